//! Plausibility against each unit's own history: figures that pass every
//! reading rule but look like a slip — 元 typed in a 万元 column, a figure
//! many times the unit's own last year, one month many times its usual
//! month, a level that jumps and returns. Each is a warning (请核实) at its
//! cell; the figure still counts. Thresholds come from `[checks]` in
//! report.toml.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::aggregate::Span;
use crate::catalogue::{Aggregate, Catalogue, Checks, Metric};
use crate::diag::{Code, Diagnostic, Severity};
use crate::validate::data::{Figure, SHEET};
use crate::validate::YearReading;

/// Add the warnings to the counted submissions of `reading`, comparing each
/// unit with itself this year and, where it sent one, last year.
pub fn check(reading: &mut YearReading, previous: Option<&YearReading>, catalogue: &Catalogue, span: Span) {
    let last_year: HashMap<usize, &[Figure]> = previous
        .map(|p| {
            p.selection
                .units
                .iter()
                .filter_map(|u| Some((u.unit, counted(p, u.submission?)?)))
                .collect()
        })
        .unwrap_or_default();
    let jobs: Vec<(usize, usize)> = reading
        .selection
        .units
        .iter()
        .filter_map(|u| {
            Some((
                u.unit,
                u.submission
                    .filter(|i| reading.selection.counted.binary_search(i).is_ok())?,
            ))
        })
        .collect();
    // Each unit against itself: independent, so on every core; the
    // warnings are added afterwards, in the units' order.
    let found: Vec<(usize, Vec<Found>)> = jobs
        .par_iter()
        .map(|&(unit, i)| {
            let before = last_year.get(&unit).copied().unwrap_or_default();
            let now = ByMetric::new(&reading.submissions[i].figures, span);
            let then = ByMetric::new(before, span);
            let mut found = Vec::new();
            for (m, metric) in catalogue.metrics.iter().enumerate() {
                found.extend(check_metric(metric, &catalogue.checks, now.of(m), then.of(m)));
            }
            (i, found)
        })
        .collect();
    for (i, found) in found {
        let submission = &mut reading.submissions[i];
        for (cell, code, message) in found {
            submission.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                unit_code: submission.info.unit.clone(),
                file: submission.file.clone(),
                sheet: Some(SHEET.to_owned()),
                cell: Some(cell),
                code,
                message,
            });
        }
    }
}

fn counted(reading: &YearReading, i: usize) -> Option<&[Figure]> {
    reading
        .selection
        .counted
        .binary_search(&i)
        .ok()
        .map(|_| reading.submissions[i].figures.as_slice())
}

/// A unit's cells within the span, grouped by metric, each metric's in the
/// order they were read: sorted once, instead of each of the 26 metrics
/// picking its cells out of all of them (the check took 0.19 s at 10,000
/// units, 0.17 s so).
struct ByMetric<'a> {
    cells: Vec<&'a Figure>,
}

impl<'a> ByMetric<'a> {
    fn new(figures: &'a [Figure], span: Span) -> Self {
        let mut cells: Vec<&Figure> = figures.iter().filter(|f| within(f, span)).collect();
        // Stable: a metric's cells keep their order.
        cells.sort_by_key(|f| f.metric);
        ByMetric { cells }
    }

    /// The cells of metric `m`.
    fn of(&self, m: usize) -> &[&'a Figure] {
        let start = self.cells.partition_point(|f| (f.metric as usize) < m);
        let end = start + self.cells[start..].partition_point(|f| f.metric as usize == m);
        &self.cells[start..end]
    }
}

fn within(f: &Figure, span: Span) -> bool {
    match span {
        Span::Year => true,
        Span::Through(m) => f.month.is_some_and(|month| month <= m),
    }
}

type Found = (crate::diag::CellPos, Code, String);

/// The warnings for one unit and metric: `now` this year's cells, `then`
/// last year's over the same months.
fn check_metric(metric: &Metric, checks: &Checks, now: &[&Figure], then: &[&Figure]) -> Vec<Found> {
    let material = material(metric, checks);
    let say = |v: f64| format!("{}{}", crate::number::figure(v, metric.decimals.max(2)), metric.unit);
    // "投入资金（万元）9月（数据!M4）", as the reading rules name a cell.
    let place = |f: &Figure| match f.month {
        Some(m) => format!("{}（{}）{m}月（{SHEET}!{}）", metric.name, metric.unit, f.cell.a1()),
        None => format!("{}（{}）全年（{SHEET}!{}）", metric.name, metric.unit, f.cell.a1()),
    };
    let mut out: Vec<Found> = Vec::new();
    let flagged = |out: &Vec<Found>, f: &Figure| out.iter().any(|(c, _, _)| *c == f.cell);

    // 元 typed for 万元 (or the reverse): one cell about 10,000 times the
    // unit's usual cell for this metric, this year or last.
    if metric.is_money() {
        // The middle of all the unit's cells, which one slip cannot move.
        // The median of the *other* cells can: with one honest cell and the
        // slip left it is their mean, about half the slip, and every honest
        // cell beside a slip would be warned as a slip the other way.
        let all: Vec<f64> = now
            .iter()
            .chain(then)
            .filter(|o| o.value > 0.0)
            .map(|o| o.value)
            .collect();
        let sorted = finite_sorted(&all);
        let middle = median_of_sorted(&sorted).unwrap_or(0.0);
        let far = |ratio: f64| ratio >= checks.unit_slip || ratio <= 1.0 / checks.unit_slip;
        for f in now.iter().filter(|f| f.value > 0.0) {
            // The other cells are all of them but this one.
            let Some(usual) = median_without(&sorted, f.value).filter(|_| all.len() > 2) else {
                continue;
            };
            let ratio = f.value / usual;
            if far(ratio) && far(f.value / middle) {
                out.push((
                    f.cell,
                    Code::CheckUnitSlip,
                    format!(
                        "{}：填了 {}，而该单位这一指标通常约为 {}，相差约{}倍：是否把“元”当成了“{}”（或相反）？请核实计量单位后重新报送。",
                        place(f),
                        say(f.value),
                        say(usual),
                        if ratio >= 1.0 { crate::number::figure(ratio.round(), 0) } else { crate::number::figure((1.0 / ratio).round(), 0) },
                        metric.unit
                    ),
                ));
            }
        }
    }

    // Many times (or a small fraction of) the unit's own last year, where
    // both figures are material.
    let total = |cells: &[&Figure]| -> f64 {
        match metric.aggregate {
            Aggregate::Sum => cells.iter().map(|f| f.value).sum(),
            Aggregate::Last => cells
                .iter()
                .max_by_key(|f| f.month.map_or(13, i32::from))
                .map_or(0.0, |f| f.value),
        }
    };
    let (this_year, last_year) = (total(now), total(then));
    if !then.is_empty() && this_year >= material && last_year >= material {
        let ratio = this_year / last_year;
        let biggest = now.iter().max_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(f) = biggest.filter(|f| !flagged(&out, f)) {
            if ratio >= checks.vs_last_year || ratio <= 1.0 / checks.vs_last_year {
                out.push((
                    f.cell,
                    Code::CheckVsLastYear,
                    format!(
                        "{}（{}）合计 {}，上年同期为 {}，是上年的{}（其中最大的一笔在 {SHEET}!{}）：请核实后确认或更正。",
                        metric.name,
                        metric.unit,
                        say(this_year),
                        say(last_year),
                        times(ratio),
                        f.cell.a1()
                    ),
                ));
            }
        }
    }

    match metric.aggregate {
        // One month many times the unit's usual month, this year and last
        // (its own history), and well above every other month: months that
        // merely vary a lot (3, 2, 24, 27) raise nothing.
        Aggregate::Sum => {
            for f in now.iter().filter(|f| f.month.is_some() && f.value >= material) {
                let others: Vec<f64> = now
                    .iter()
                    .chain(then)
                    .filter(|o| o.month.is_some() && !std::ptr::eq(**o, *f) && o.value > 0.0)
                    .map(|o| o.value)
                    .collect();
                if others.len() < 3 || flagged(&out, f) {
                    continue;
                }
                let usual = median(&others).unwrap_or(0.0);
                let largest = others.iter().copied().fold(0.0, f64::max);
                if usual > 0.0 && f.value / usual >= checks.month_spike && f.value / largest >= checks.month_spike / 2.0
                {
                    out.push((
                        f.cell,
                        Code::CheckMonthSpike,
                        format!(
                            "{}：{}，是该单位其他月份通常数额（约 {}）的{}：请核实。",
                            place(f),
                            say(f.value),
                            say(usual),
                            times(f.value / usual)
                        ),
                    ));
                }
            }
        }
        // A level that jumps for one month and comes back.
        Aggregate::Last => {
            let mut months: Vec<&&Figure> = now.iter().filter(|f| f.month.is_some()).collect();
            months.sort_by_key(|f| f.month);
            for w in months.windows(3) {
                let (a, b, c) = (w[0], w[1], w[2]);
                let consecutive = b.month == a.month.map(|m| m + 1) && c.month == b.month.map(|m| m + 1);
                let steady = a.value > 0.0 && c.value > 0.0 && (a.value / c.value).max(c.value / a.value) <= 1.5;
                let around = (a.value + c.value) / 2.0;
                let jump = b.value / around;
                if consecutive
                    && steady
                    && (b.value - around).abs() >= material
                    && (jump >= checks.level_jump || jump <= 1.0 / checks.level_jump)
                    && !flagged(&out, b)
                {
                    out.push((
                        b.cell,
                        Code::CheckLevelJump,
                        format!(
                            "{}：{}，前后两个月分别为 {} 和 {}：这个月是否填错？请核实。",
                            place(b),
                            say(b.value),
                            say(a.value),
                            say(c.value)
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// The size below which a figure is never "many times" anything: small
/// counts (1 → 4) and small sums of money raise nothing.
fn material(metric: &Metric, checks: &Checks) -> f64 {
    match metric.unit.as_str() {
        "万元" => checks.material_money,
        "元" => checks.material_money * 10_000.0,
        "亿元" => checks.material_money / 10_000.0,
        _ => checks.material_count,
    }
}

fn times(ratio: f64) -> String {
    if ratio >= 1.0 {
        format!("{}倍", crate::number::figure(ratio, 1))
    } else {
        format!("{}分之一", crate::number::figure((1.0 / ratio).round(), 0))
    }
}

fn median(values: &[f64]) -> Option<f64> {
    median_of_sorted(&finite_sorted(values))
}

/// The finite values, in order.
fn finite_sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn median_of_sorted(v: &[f64]) -> Option<f64> {
    median_by(v.len(), |i| v[i])
}

/// The median of `n` values in order, the `i`-th being `at(i)`.
fn median_by(n: usize, at: impl Fn(usize) -> f64) -> Option<f64> {
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(at(n / 2)),
        _ => Some((at(n / 2 - 1) + at(n / 2)) / 2.0),
    }
}

/// The median of `sorted` with one `value` taken out (a value that is not
/// there, or not finite, takes nothing out): per cell without sorting a copy
/// of the others for each.
fn median_without(sorted: &[f64], value: f64) -> Option<f64> {
    let Some(gone) = value
        .is_finite()
        .then(|| sorted.partition_point(|x| x.total_cmp(&value).is_lt()))
        .filter(|&i| sorted.get(i).is_some_and(|x| x.total_cmp(&value).is_eq()))
    else {
        return median_of_sorted(sorted);
    };
    median_by(sorted.len() - 1, |i| if i < gone { sorted[i] } else { sorted[i + 1] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::CellPos;

    #[test]
    fn the_median_without_one_cell_is_the_median_of_the_others() {
        let values = [5.0, 1.0, 7.0, 7.0, 3.0, 2.0, 9.0, 4.0, f64::INFINITY];
        for len in 0..=values.len() {
            let all = &values[..len];
            let sorted = finite_sorted(all);
            for (i, &v) in all.iter().enumerate() {
                let others: Vec<f64> = all
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, x)| *x)
                    .collect();
                assert_eq!(median_without(&sorted, v), median(&others), "{all:?} without {v}");
            }
        }
        assert_eq!(
            median_without(&[1.0, 2.0, 4.0], 3.0),
            Some(2.0),
            "absent: nothing taken out"
        );
    }

    #[test]
    fn cells_grouped_by_metric_are_each_metrics_cells_in_read_order() {
        let cell = |metric: u32, month: Option<u8>, at: u32| Figure {
            metric,
            month,
            value: f64::from(at),
            cell: CellPos::new(at, 0),
        };
        let figures = [
            cell(2, Some(1), 0),
            cell(0, Some(9), 1),
            cell(2, None, 2),
            cell(0, Some(3), 3),
            cell(5, Some(4), 4),
            cell(2, Some(7), 5),
        ];
        for span in [Span::Year, Span::Through(6)] {
            let grouped = ByMetric::new(&figures, span);
            for m in 0..7 {
                let filtered: Vec<&Figure> = figures
                    .iter()
                    .filter(|f| f.metric as usize == m && within(f, span))
                    .collect();
                assert_eq!(grouped.of(m), filtered.as_slice(), "metric {m}, {span:?}");
            }
        }
        assert!(ByMetric::new(&[], Span::Year).of(3).is_empty());
    }

    fn funds() -> Metric {
        Metric {
            id: "help.funds".into(),
            name: "协调资金".into(),
            unit: "万元".into(),
            decimals: 2,
            aggregate: Aggregate::Sum,
            targets: Default::default(),
            programme: 0,
        }
    }

    fn month(m: u8, value: f64) -> Figure {
        Figure {
            metric: 0,
            month: Some(m),
            value,
            cell: CellPos::new(8, 3 + u32::from(m)),
        }
    }

    /// Three months, one typed in 元, no last year: the slip alone is
    /// warned, not the two honest months beside it.
    #[test]
    fn a_slip_among_three_months_is_the_only_cell_warned() {
        let cells = [month(9, 0.32), month(11, 2600.0), month(12, 0.29)];
        let now: Vec<&Figure> = cells.iter().collect();
        let found = check_metric(&funds(), &Checks::default(), &now, &[]);
        let warned: Vec<(String, Code)> = found.iter().map(|(c, code, _)| (c.a1(), *code)).collect();
        assert_eq!(warned, vec![("O9".to_owned(), Code::CheckUnitSlip)], "{found:#?}");
        assert!(found[0].2.contains("通常约为 0.31万元"), "{}", found[0].2);
    }

    /// The reverse slip (万元 typed where the unit's figures are 10,000
    /// times larger) is caught the same way.
    #[test]
    fn a_reverse_slip_among_three_months_is_the_only_cell_warned() {
        let cells = [month(3, 35.0), month(6, 0.0035), month(9, 41.0)];
        let now: Vec<&Figure> = cells.iter().collect();
        let found = check_metric(&funds(), &Checks::default(), &now, &[]);
        let warned: Vec<String> = found.iter().map(|(c, _, _)| c.a1()).collect();
        assert_eq!(warned, vec!["J9".to_owned()], "{found:#?}");
    }
}
