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

/// A rerun after one unit corrected a cell and another withdrew its file
/// names both units, the cell with its old and new values and the totals
/// that moved; the previous run is kept as `.previous/`.
#[test]
fn a_rerun_says_what_changed_since_the_last_run() {
    use crate::harness::{Form, V};
    let w = Workdir::new();
    let form =
        |code: &str, items: f64| Form::new(code).row("fitness.items", &[("3月", V::N(items)), ("5月", V::N(2.0))]);
    w.form("2015/u001.xlsx", &form("u001", 10.0));
    w.form("2015/u002.xlsx", &form("u002", 7.0));
    w.form("2015/u003.xlsx", &form("u003", 1.0));
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("本期第一次生成"), "{}", run.stdout);
    assert!(w.read_output("2015/changes.md").contains("没有可比较的上次结果"));

    // u001 corrects 3月 from 10 to 12 (a later 填报日期); u003 withdraws.
    w.form(
        "2015/u001-更正.xlsx",
        &form("u001", 12.0).set("填报日期", Some(V::Date(2016, 1, 20))),
    );
    std::fs::remove_file(w.input().join("2015/u003.xlsx")).unwrap();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("与上次相比："), "{}", run.stdout);

    let changes = w.csv_rows("2015/changes.csv");
    let has = |kind: &str, pred: &dyn Fn(&std::collections::BTreeMap<String, String>) -> bool| {
        changes.iter().any(|c| c["kind"] == kind && pred(c))
    };
    assert!(
        has("file-added", &|c| c["file"] == "2015/u001-更正.xlsx"),
        "{changes:?}"
    );
    assert!(has("file-removed", &|c| c["file"] == "2015/u003.xlsx"), "{changes:?}");
    assert!(
        has("value", &|c| c["unit_code"] == "u001"
            && c["month"] == "3"
            && c["old"] == "10"
            && c["new"] == "12"
            && c["file"] == "2015/u001-更正.xlsx"
            && !c["cell"].is_empty()),
        "{changes:?}"
    );
    assert!(
        has("status", &|c| c["unit_code"] == "u003"
            && c["old"] == "已报"
            && c["new"] == "未报"),
        "{changes:?}"
    );
    // 10+2 + 7+2 + 1+2 = 24 before; 12+2 + 7+2 = 23 after.
    assert!(
        has("total", &|c| c["metric_id"] == "fitness.items"
            && c["old"] == "24"
            && c["new"] == "23"),
        "{changes:?}"
    );
    let md = w.read_output("2015/changes.md");
    for needle in ["u001", "u003", "健身器材", "| 10 | 12 |"] {
        assert!(md.contains(needle), "{needle} in\n{md}");
    }
    assert!(
        w.output().join("2015/.previous/report.md").is_file(),
        "the previous run is kept"
    );
    assert!(!w.output().join("2015/.previous/.previous").exists());
}
