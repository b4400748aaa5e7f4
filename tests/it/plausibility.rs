//! Plausibility against a unit's own history: planted slips are warned at
//! their cell, the figure still counts, and ordinary figures raise nothing.

use crate::harness::{Form, Workdir, V};

fn last_year(code: &str) -> Form {
    Form::new(code)
        .set("年度", Some(V::N(2014.0)))
        .set("填报日期", Some(V::Date(2015, 1, 10)))
}

fn months(values: &[(u8, f64)]) -> Vec<(String, V)> {
    values.iter().map(|(m, v)| (format!("{m}月"), V::N(*v))).collect()
}

fn row(form: Form, metric: &str, values: &[(u8, f64)]) -> Form {
    let cells = months(values);
    let cells: Vec<(&str, V)> = cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect();
    form.row(metric, &cells)
}

fn warnings(w: &Workdir) -> Vec<(String, String, String, String)> {
    w.csv_rows("2015/validation.csv")
        .into_iter()
        .filter(|d| d["code"].starts_with("check-"))
        .map(|d| {
            (
                d["unit_code"].clone(),
                d["code"].clone(),
                d["cell"].clone(),
                d["message"].clone(),
            )
        })
        .collect()
}

#[test]
fn planted_slips_are_warned_at_their_cell_and_still_count() {
    let w = Workdir::new();
    // u001: funds in 万元 around 3–4, one month typed in 元.
    w.form(
        "2014/u001.xlsx",
        &row(last_year("u001"), "fitness.funds", &[(3, 3.2), (6, 4.1)]),
    );
    w.form(
        "2015/u001.xlsx",
        &row(Form::new("u001"), "fitness.funds", &[(3, 3.5), (5, 4.2), (9, 35000.0)]),
    );
    // u002: items many times its own last year.
    w.form("2014/u002.xlsx", &row(last_year("u002"), "fitness.items", &[(5, 30.0)]));
    w.form(
        "2015/u002.xlsx",
        &row(Form::new("u002"), "fitness.items", &[(5, 320.0), (6, 20.0)]),
    );
    // u003: one month many times its usual month; a level that jumps and returns.
    let u003 = row(
        Form::new("u003"),
        "fitness.units",
        &[(1, 10.0), (2, 12.0), (3, 9.0), (4, 11.0), (7, 150.0)],
    );
    w.form(
        "2015/u003.xlsx",
        &row(
            u003,
            "members.count",
            &[(1, 300.0), (2, 300.0), (3, 3000.0), (4, 305.0)],
        ),
    );

    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let found = warnings(&w);
    let at = |unit: &str, code: &str, cell_col: char| {
        found
            .iter()
            .any(|(u, c, cell, _)| u == unit && c == code && cell.starts_with(cell_col))
    };
    // Columns: month N is in column D+N (1月 = E) in the harness form.
    assert!(at("u001", "check-unit-slip", 'M'), "{found:#?}");
    assert!(at("u002", "check-vs-last-year", 'I'), "{found:#?}");
    assert!(at("u003", "check-month-spike", 'K'), "{found:#?}");
    assert!(at("u003", "check-level-jump", 'G'), "{found:#?}");
    assert_eq!(found.len(), 4, "nothing else: {found:#?}");
    let slip = &found.iter().find(|f| f.1 == "check-unit-slip").unwrap().3;
    assert!(slip.contains("投入资金（万元）9月") && slip.contains("35000"), "{slip}");
    let vs = &found.iter().find(|f| f.1 == "check-vs-last-year").unwrap().3;
    assert!(vs.contains("上年同期为 30件"), "{vs}");

    // The figures still count: 3.5 + 4.2 + 35000.
    let metrics = w.csv_rows("2015/tables/metrics.csv");
    let funds = metrics.iter().find(|m| m["metric_id"] == "fitness.funds").unwrap();
    assert_eq!(funds["total"], "35007.7");
}

#[test]
fn ordinary_growth_small_counts_and_new_units_raise_nothing() {
    let w = Workdir::new();
    // Growth of 2–3×, small counts 1 → 4, a unit with no last year, a
    // metric new this year, money that grows from 2 to 9 万元.
    w.form("2014/u001.xlsx", &row(last_year("u001"), "fitness.items", &[(5, 40.0)]));
    w.form(
        "2015/u001.xlsx",
        &row(Form::new("u001"), "fitness.items", &[(5, 60.0), (9, 45.0)]),
    );
    w.form("2014/u002.xlsx", &row(last_year("u002"), "fitness.units", &[(5, 1.0)]));
    let u002 = row(Form::new("u002"), "fitness.units", &[(5, 4.0)]);
    w.form(
        "2015/u002.xlsx",
        &row(u002, "members.count", &[(1, 120.0), (6, 130.0), (12, 128.0)]),
    );
    w.form(
        "2015/u003.xlsx",
        &row(Form::new("u003"), "fitness.funds", &[(2, 1.5), (4, 2.0), (10, 5.5)]),
    );
    w.form("2014/u004.xlsx", &row(last_year("u004"), "fitness.funds", &[(6, 2.0)]));
    w.form(
        "2015/u004.xlsx",
        &row(Form::new("u004"), "fitness.funds", &[(6, 9.0), (7, 0.5)]),
    );
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(warnings(&w), Vec::new());
}
