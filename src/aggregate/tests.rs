//! The aggregation rules on small frames: sums, levels, the comparable basis, pace.

use super::*;
use crate::table::CountedUnit;

const CATALOGUE: &str = r#"
organisation = "o"
title = "t"
[[programmes]]
id = "p"
name = "p"
  [[programmes.metrics]]
  id = "funds"
  name = "资金"
  unit = "万元"
  decimals = 2
  targets = { 2015 = 100 }
  [[programmes.metrics]]
  id = "members"
  name = "会员"
  unit = "人"
  aggregate = "last"
"#;

/// A unit's index, the same for a code in both years.
fn id(code: &str) -> u32 {
    code.bytes().fold(0, |n, b| n * 256 + b as u32)
}

/// A year's figures: `(unit, metric, month, value)` rows and each unit's 截至月份.
fn year(rows: &[(&str, &str, Option<i32>, f64)], through: &[(&str, u8)]) -> YearFigures {
    let metric = |m: &str| catalogue().metrics.iter().position(|x| x.id == m).unwrap() as u32;
    let frame = df!(
        "unit" => rows.iter().map(|r| id(r.0)).collect::<Vec<_>>(),
        "metric" => rows.iter().map(|r| metric(r.1)).collect::<Vec<_>>(),
        "month" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        "value" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
    )
    .unwrap();
    let units = through
        .iter()
        .map(|(code, t)| CountedUnit {
            unit: id(code),
            code: (*code).to_owned(),
            through: *t,
        })
        .collect();
    YearFigures { frame, units }
}

fn catalogue() -> Catalogue {
    Catalogue::parse(CATALOGUE, "t").unwrap()
}

fn months_of(agg: &Aggregates, metric: usize) -> Vec<Option<f64>> {
    agg.months
        .iter()
        .filter(|m| m.metric == metric)
        .map(|m| m.total)
        .collect()
}

#[test]
fn sums_amounts_and_takes_the_latest_level() {
    let f = year(
        &[
            ("a", "funds", Some(1), 10.1),
            ("a", "funds", Some(5), 10.2),
            ("b", "funds", None, 36.52),
            ("a", "members", Some(1), 100.0),
            ("a", "members", Some(6), 110.0),
            ("b", "members", None, 50.0),
            ("c", "funds", Some(2), 0.0),
        ],
        &[("a", 12), ("b", 12), ("c", 12)],
    );
    let agg = aggregate(&f, None, &catalogue(), 2015, Span::Year).unwrap();
    let funds = &agg.metrics[0];
    assert_eq!(funds.total, 56.82, "no float noise");
    assert_eq!(funds.units_reporting, 2, "a zero is not reporting");
    assert_eq!(funds.target_pct, Some(56.82));
    assert_eq!(agg.metrics[1].total, 160.0, "latest month of a, 全年 of b");
    assert_eq!(
        (funds.previous, funds.yoy_pct, funds.comparable_units),
        (None, None, None)
    );
    assert_eq!((funds.change, funds.pace), (Change::None, None));
    assert!(agg.basis.is_none());
    let unit = |code: &str, metric, total| UnitTotal {
        unit_code: code.into(),
        metric,
        total,
    };
    assert_eq!(
        agg.units,
        [
            unit("a", 0, 20.3),
            unit("a", 1, 110.0),
            unit("b", 0, 36.52),
            unit("b", 1, 50.0)
        ]
    );
    assert_eq!(
        months_of(&agg, 0)[..6],
        [Some(10.1), Some(0.0), Some(0.0), Some(0.0), Some(10.2), Some(0.0)]
    );
    assert_eq!(
        months_of(&agg, 1)[..7],
        [
            Some(100.0),
            Some(100.0),
            Some(100.0),
            Some(100.0),
            Some(100.0),
            Some(110.0),
            Some(110.0)
        ],
        "a level carries forward; b's 全年-only level is in no month"
    );
}

#[test]
fn the_latest_level_is_the_latest_month_whatever_the_row_order() {
    let f = year(
        &[
            ("a", "members", Some(6), 110.0),
            ("a", "members", Some(1), 100.0),
            ("b", "members", Some(9), 7.0),
            ("b", "members", Some(3), 50.0),
            ("c", "members", None, 20.0),
        ],
        &[("a", 12), ("b", 12), ("c", 12)],
    );
    let agg = aggregate(&f, None, &catalogue(), 2015, Span::Year).unwrap();
    assert_eq!(agg.metrics[1].total, 137.0, "a's June, b's September, c's 全年");
}

#[test]
fn year_on_year_on_the_comparable_basis() {
    let now = year(
        &[("a", "funds", Some(1), 54.0), ("a", "members", Some(1), 500.0)],
        &[("a", 12)],
    );
    let before = year(&[("a", "funds", Some(1), 41.22)], &[("a", 12)]);
    let agg = aggregate(&now, Some(&before), &catalogue(), 2015, Span::Year).unwrap();
    let funds = &agg.metrics[0];
    assert_eq!((funds.previous, funds.comparable_units), (Some(41.22), Some(1)));
    assert_eq!(
        (funds.comparable_total, funds.comparable_previous),
        (Some(54.0), Some(41.22))
    );
    assert!((funds.yoy_pct.unwrap() - 31.004367).abs() < 1e-5);
    assert_eq!(funds.change.words(), "同比增长31%");
    let members = &agg.metrics[1];
    assert_eq!(members.previous, Some(0.0), "last year's sum over no figure is 0");
    assert!(!members.carried && members.previous_shown().is_none());
    assert_eq!(
        members.change,
        Change::NotCounted,
        "not on last year's forms: never 新增"
    );
    assert_eq!(members.yoy_pct, None, "never infinite");
}

#[test]
fn missing_and_new_units_are_outside_the_basis() {
    // a reported both years; b only now; c only last year; d late (through April).
    let now = year(
        &[
            ("a", "funds", Some(2), 10.0),
            ("b", "funds", Some(3), 5.0),
            ("d", "funds", Some(4), 2.0),
        ],
        &[("a", 6), ("b", 6), ("d", 4)],
    );
    let before = year(
        &[
            ("a", "funds", Some(2), 8.0),
            ("c", "funds", Some(1), 193.0),
            ("d", "funds", Some(4), 1.0),
            ("d", "funds", Some(5), 100.0),
            ("a", "funds", None, 999.0),
        ],
        &[("a", 12), ("c", 12), ("d", 12)],
    );
    let agg = aggregate(&now, Some(&before), &catalogue(), 2015, Span::Through(6)).unwrap();
    let funds = &agg.metrics[0];
    assert_eq!(funds.total, 17.0);
    assert_eq!(funds.previous, Some(302.0), "all of last year's units, January–June");
    assert_eq!(funds.comparable_units, Some(2));
    assert_eq!(funds.comparable_total, Some(12.0), "a and d; b is new");
    assert_eq!(funds.comparable_previous, Some(9.0), "d through April only");
    assert_eq!(funds.dropped_previous, Some(193.0), "what c had a year before");
    assert!((funds.yoy_pct.unwrap() - 33.333333).abs() < 1e-5);
    assert!(!funds.comparable_is_plain());
    let basis = agg.basis.unwrap();
    assert_eq!(
        (basis.added, basis.dropped),
        (vec!["b".to_owned()], vec!["c".to_owned()])
    );
}

#[test]
fn new_only_for_a_flow_that_was_zero_like_for_like() {
    let now = year(
        &[("a", "funds", Some(1), 3.0), ("a", "members", Some(1), 9.0)],
        &[("a", 12)],
    );
    let before = year(
        &[("a", "funds", Some(1), 0.0), ("a", "members", Some(1), 0.0)],
        &[("a", 12)],
    );
    let agg = aggregate(&now, Some(&before), &catalogue(), 2015, Span::Year).unwrap();
    assert_eq!(agg.metrics[0].change, Change::New);
    assert_eq!(agg.metrics[1].change, Change::None, "a level is never 新增");
}

#[test]
fn year_to_date_uses_months_only() {
    let f = year(
        &[
            ("a", "funds", Some(1), 1.0),
            ("a", "funds", Some(7), 5.0),
            ("b", "funds", None, 9.0),
            ("a", "members", Some(2), 100.0),
            ("a", "members", Some(8), 120.0),
        ],
        &[("a", 12), ("b", 12)],
    );
    let agg = aggregate(&f, None, &catalogue(), 2015, Span::Through(6)).unwrap();
    assert_eq!(agg.metrics[0].total, 1.0);
    assert_eq!(agg.metrics[1].total, 100.0, "the level of the latest month up to June");
    assert_eq!(months_of(&agg, 0)[6..], [None; 6]);
    let pace = agg.metrics[0].pace.unwrap();
    assert_eq!((pace.completion, pace.reference, pace.last_year), (1.0, 50.0, false));
}

#[test]
fn month_m_of_a_level_is_the_snapshot_through_m() {
    let f = year(
        &[
            ("a", "members", Some(1), 100.0),
            ("a", "members", Some(6), 110.0),
            ("b", "members", Some(3), 50.0),
            ("c", "members", Some(5), 7.0),
            ("c", "members", Some(9), 0.0),
        ],
        &[("a", 12), ("b", 4), ("c", 12)],
    );
    let year_end = aggregate(&f, None, &catalogue(), 2015, Span::Year).unwrap();
    for m in 1..=12u8 {
        let snapshot = aggregate(&f, None, &catalogue(), 2015, Span::Through(m)).unwrap();
        let total = snapshot.metrics[1].total;
        assert_eq!(
            months_of(&year_end, 1)[m as usize - 1].unwrap_or(0.0),
            total,
            "month {m}"
        );
        assert_eq!(
            months_of(&snapshot, 1)[m as usize - 1].unwrap_or(0.0),
            total,
            "month {m}"
        );
    }
    assert_eq!(year_end.metrics[1].total, 160.0, "c's level fell to 0 in September");
}

/// A frame of `(unit, metric, month, value)` rows, by index.
fn indexed_frame(rows: &[(u32, u32, Option<i32>, f64)]) -> DataFrame {
    df!(
        "unit" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        "metric" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "month" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        "value" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
    )
    .unwrap()
}

#[test]
fn unit_totals_are_the_same_whatever_the_row_order() {
    let catalogue = catalogue();
    // (unit, metric, month, value): unit 1's rows are out of metric
    // order, as a form whose rows were moved would give them.
    let rows = [
        (0u32, 0u32, Some(1), 0.1),
        (0, 0, Some(2), 0.2),
        (0, 1, Some(2), 40.0),
        (0, 1, Some(1), 30.0),
        (1, 1, Some(3), 5.0),
        (1, 0, Some(1), 0.7),
        (1, 0, None, 1e16),
        (1, 0, Some(3), 0.3),
    ];
    let windows = [0, 1].map(|unit| sums::Window {
        unit,
        last_month: 12,
        annual: true,
    });
    let as_given = sums::unit_totals(&indexed_frame(&rows), &windows, &catalogue).unwrap();
    let mut sorted = rows.to_vec();
    sorted.sort_by_key(|r| (r.0, r.1));
    let by_key = sums::unit_totals(&indexed_frame(&sorted), &windows, &catalogue).unwrap();
    assert!(as_given.equals(&by_key), "{as_given}\n{by_key}");
    let totals: Vec<f64> = by_key
        .column("total")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(totals, [0.1 + 0.2, 40.0, 0.7 + 1e16 + 0.3, 5.0]);
}

#[test]
fn unit_totals_over_whole_windows_are_taken_from_the_whole_years_and_others_summed_again() {
    let catalogue = catalogue();
    let rows = [
        (0u32, 0u32, Some(1), 1.5),
        (0, 0, Some(9), 2.0),
        (1, 0, Some(3), 7.0),
        (2, 0, Some(2), 0.25),
        (2, 0, Some(8), 4.0),
        (2, 1, Some(8), 30.0),
    ];
    let frame = indexed_frame(&rows);
    let window = |unit, last_month, annual| sums::Window {
        unit,
        last_month,
        annual,
    };
    let whole_windows = [window(0, 12, true), window(1, 12, true), window(2, 12, true)];
    let whole = sums::unit_totals(&frame, &whole_windows, &catalogue).unwrap();

    // Units 0 and 2 over their whole windows: the figures are not read again
    // (an empty frame here), and the rows are those summed afresh.
    let subset = [window(0, 12, true), window(2, 12, true)];
    let empty = frame.head(Some(0));
    let taken = sums::unit_totals_within(&empty, &subset, &whole, &whole_windows, &catalogue).unwrap();
    let summed = sums::unit_totals(&frame, &subset, &catalogue).unwrap();
    assert!(taken.equals(&summed), "{taken}\n{summed}");
    assert_eq!(taken.height(), 3);

    // Unit 2 through June: summed again, its August figures left out.
    let shortened = [window(0, 12, true), window(2, 6, false)];
    let again = sums::unit_totals_within(&frame, &shortened, &whole, &whole_windows, &catalogue).unwrap();
    assert!(again.equals(&sums::unit_totals(&frame, &shortened, &catalogue).unwrap()));
    let totals: Vec<f64> = again
        .column("total")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(totals, [3.5, 0.25]);
}
