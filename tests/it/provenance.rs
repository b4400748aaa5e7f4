//! Where every figure comes from: tables/sources.csv adds up to
//! metrics.csv, and `trace` lists each contributing unit with its cells.

use std::collections::BTreeMap;

use annual_report::catalogue::Aggregate;
use annual_report::inputs::Inputs;

use crate::harness::Workdir;

/// Per metric, the total the sources give: a sum over every row, or for a
/// level each unit's latest month (its 全年-only row when it has no month).
fn totals_from_sources(w: &Workdir, period: &str) -> BTreeMap<String, f64> {
    let inputs = Inputs::load(&w.input()).unwrap();
    let is_level = |id: &str| {
        inputs
            .catalogue
            .metrics
            .iter()
            .any(|m| m.id == id && m.aggregate == Aggregate::Last)
    };
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    let mut latest: BTreeMap<(String, String), (i32, f64)> = BTreeMap::new();
    for row in w.csv_rows(&format!("{period}/tables/sources.csv")) {
        let (id, value) = (row["metric_id"].clone(), row["value"].parse::<f64>().unwrap());
        assert_eq!(row["sha256"].len(), 64, "{row:?}");
        assert!(!row["cell"].is_empty() && !row["file"].is_empty(), "{row:?}");
        if is_level(&id) {
            let month = row["month"].parse::<i32>().unwrap_or(0);
            let slot = latest.entry((row["unit_code"].clone(), id)).or_insert((-1, 0.0));
            if month > slot.0 {
                *slot = (month, value);
            }
        } else {
            *sums.entry(id).or_default() += value;
        }
    }
    for ((_, id), (_, value)) in latest {
        *sums.entry(id).or_default() += value;
    }
    sums
}

#[test]
fn sources_add_up_to_metrics_at_year_end_and_in_a_snapshot() {
    let w = Workdir::sample();
    assert_eq!(w.run(&["2015", "--quiet"]).code, 0);
    assert_eq!(w.run(&["snapshot", "2016-06", "--quiet"]).code, 0);
    for period in ["2015", "2016-06"] {
        let from_sources = totals_from_sources(&w, period);
        let metrics = w.csv_rows(&format!("{period}/tables/metrics.csv"));
        assert!(metrics.len() > 10);
        for m in metrics {
            let total: f64 = m["total"].parse().unwrap();
            let summed = from_sources.get(&m["metric_id"]).copied().unwrap_or(0.0);
            assert!(
                (total - summed).abs() <= 1e-6 * total.abs().max(1.0),
                "{period} {}: metrics.csv {total}, sources {summed}",
                m["metric_id"]
            );
        }
    }
}

/// `trace` states the figure, then lists each contributing unit with its
/// cells: the units add up to metrics.csv and every cell is a counted one.
#[test]
fn trace_lists_each_contributing_unit_with_its_cells() {
    let w = Workdir::sample();
    assert_eq!(w.run(&["2015", "--quiet"]).code, 0);
    let run = w.run(&["trace", "健身器材", "2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("送健身器材·健身器材（fitness.items）2015年：159件"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" › 数据!"), "{}", run.stdout);

    let run = w.run(&["trace", "fitness.funds", "2015", "--csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sources: Vec<(String, String, String)> = w
        .csv_rows("2015/tables/sources.csv")
        .into_iter()
        .filter(|r| r["metric_id"] == "fitness.funds")
        .map(|r| (r["unit_code"].clone(), r["file"].clone(), r["cell"].clone()))
        .collect();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let mut units: BTreeMap<String, f64> = BTreeMap::new();
    let mut cells = 0;
    for row in reader.deserialize::<BTreeMap<String, String>>() {
        let row = row.unwrap();
        units.insert(row["unit_code"].clone(), row["unit_value"].parse().unwrap());
        let key = (row["unit_code"].clone(), row["file"].clone(), row["cell"].clone());
        assert!(sources.contains(&key), "{key:?} is a counted cell");
        cells += 1;
    }
    assert_eq!(cells, sources.len(), "every counted cell of the metric is listed");
    let total: f64 = w
        .csv_rows("2015/tables/metrics.csv")
        .into_iter()
        .find(|m| m["metric_id"] == "fitness.funds")
        .unwrap()["total"]
        .parse()
        .unwrap();
    assert!(
        (units.values().sum::<f64>() - total).abs() < 1e-6,
        "{units:?} vs {total}"
    );

    let run = w.run(&["trace", "no.such.metric", "2015"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("没有指标"), "{}", run.stderr);
}
