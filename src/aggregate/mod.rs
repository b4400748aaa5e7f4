//! Aggregation: per unit × metric; per metric, with last year on the
//! like-for-like basis (可比口径), the target and, for a snapshot, the
//! seasonal pace; per metric × month. The one place figures are summed; every
//! figure leaves it rounded at its metric's `decimals` ([`crate::number`]).

mod comparable;
mod months;
mod pace;
mod sums;

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::catalogue::{Aggregate, Catalogue};
use crate::number::{rounded, share_pct, yoy_pct};
use crate::table::{CountedUnit, YearFigures};

pub use crate::number::Change;
pub use comparable::Basis;
pub use months::{month_rows, MonthTotal};
pub use pace::Pace;
use sums::MetricSums;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSummary {
    /// Index into the catalogue's metrics.
    #[serde(skip)]
    pub metric: usize,
    pub total: f64,
    /// Units whose counted submission has a value > 0.
    pub units_reporting: u32,
    /// Last year over the same span, all its counted units; `None` when
    /// there is no previous year.
    pub previous: Option<f64>,
    /// On the comparable basis; `None` when comparable_previous is 0 or
    /// there is no previous year.
    pub yoy_pct: Option<f64>,
    pub target: Option<f64>,
    pub target_pct: Option<f64>,
    /// The like-for-like basis: units counted in both periods, each over
    /// the same months in both; all `None` without a previous year.
    pub comparable_units: Option<u32>,
    pub comparable_total: Option<f64>,
    pub comparable_previous: Option<f64>,
    /// Last year's figure (same span) of the units counted then and not now.
    pub dropped_previous: Option<f64>,
    /// Whether last year's forms carried the metric: some counted
    /// submission had a figure for it, a typed 0 included.
    pub carried: bool,
    pub change: Change,
    /// A snapshot's pace against its target; `None` without a target.
    pub pace: Option<Pace>,
}

impl MetricSummary {
    /// Last year's figure where there is one to show (a chart's bar, a
    /// table's cell): `None` without a previous year or when last year's
    /// forms did not carry the metric, never a 0 that was never counted.
    pub fn previous_shown(&self) -> Option<f64> {
        self.previous.filter(|_| self.carried)
    }

    /// The comparable figure is the period's own figure, so a sentence can
    /// state the change without naming the basis.
    pub fn comparable_is_plain(&self) -> bool {
        self.comparable_total.is_none_or(|c| c == self.total)
    }
}

#[cfg(test)]
impl MetricSummary {
    /// Metric `metric` with only its figure: no last year, target or pace.
    pub(crate) fn of_total(metric: usize, total: f64) -> MetricSummary {
        MetricSummary {
            metric,
            total,
            units_reporting: 0,
            previous: None,
            yoy_pct: None,
            target: None,
            target_pct: None,
            comparable_units: None,
            comparable_total: None,
            comparable_previous: None,
            dropped_previous: None,
            carried: false,
            change: Change::None,
            pace: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitTotal {
    pub unit_code: String,
    pub metric: usize,
    pub total: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    /// One per catalogue metric, in catalogue order.
    pub metrics: Vec<MetricSummary>,
    /// Non-zero totals, in unit then catalogue order.
    pub units: Vec<UnitTotal>,
    /// Twelve per metric, in catalogue order.
    pub months: Vec<MonthTotal>,
    /// Who the year-on-year figures compare; `None` without a previous year.
    pub basis: Option<Basis>,
}

/// What to aggregate: the whole year, or months 1..=M of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Year end: every counted figure, 全年-only rows included.
    Year,
    /// Year to date through a month: month rows only, 全年-only rows excluded.
    Through(u8),
}

impl Span {
    pub fn last_month(self) -> u8 {
        match self {
            Span::Year => 12,
            Span::Through(m) => m,
        }
    }
}

/// Per catalogue index (as the frames hold it): whether the metric is a
/// level (`aggregate = "last"`).
fn level_flags(catalogue: &Catalogue) -> Vec<bool> {
    catalogue
        .metrics
        .iter()
        .map(|m| m.aggregate == Aggregate::Last)
        .collect()
}

/// Whether the frames' metric `id` is a level, by [`level_flags`].
fn is_level(flags: &[bool], id: u32) -> bool {
    flags.get(id as usize).copied().unwrap_or(false)
}

/// `x` as written at `decimals`; float noise (56.819999…) and -0 gone.
fn tidy(x: f64, decimals: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let r = rounded(x, decimals);
    if r == 0.0 {
        0.0 // not -0
    } else {
        r
    }
}

/// Last year, as the comparison needs it.
struct LastYear {
    /// All of last year's counted units over the span.
    totals: MetricSums,
    comparable_now: MetricSums,
    comparable_before: MetricSums,
    dropped: MetricSums,
    present: Vec<usize>,
    basis: Basis,
    /// Last year's whole year by month, for a snapshot's pace.
    months: Option<Vec<MonthTotal>>,
}

/// `now_per_unit`: this year's unit totals over `whole_now`, each unit's
/// whole window.
fn last_year(
    now: &YearFigures,
    (now_per_unit, whole_now): (&DataFrame, &[sums::Window]),
    before: &YearFigures,
    catalogue: &Catalogue,
    span: Span,
) -> PolarsResult<LastYear> {
    let (basis, windows) = comparable::basis(&now.units, &before.units, span);
    let whole_before = comparable::whole(&before.units, span);
    let before_per_unit = sums::unit_totals(&before.frame, &whole_before, catalogue)?;
    let sum = |figures: &YearFigures, windows: &[sums::Window], per_unit: &DataFrame, whole: &[sums::Window]| {
        let sums = sums::metric_sums(&sums::unit_totals_within(
            &figures.frame,
            windows,
            per_unit,
            whole,
            catalogue,
        )?);
        crate::memory::give_back();
        sums
    };
    Ok(LastYear {
        totals: sums::metric_sums(&before_per_unit)?,
        comparable_now: sum(now, &windows.current, now_per_unit, whole_now)?,
        comparable_before: sum(before, &windows.previous, &before_per_unit, &whole_before)?,
        dropped: sum(before, &windows.dropped, &before_per_unit, &whole_before)?,
        present: sums::metrics_present(&before.frame, catalogue.metrics.len())?,
        basis,
        months: match span {
            Span::Year => None,
            Span::Through(_) => Some(month_rows(before, catalogue, Span::Year)?),
        },
    })
}

/// Aggregate this year's counted figures, against last year's when given.
/// `year` picks the targets.
pub fn aggregate(
    figures: &YearFigures,
    previous: Option<&YearFigures>,
    catalogue: &Catalogue,
    year: i32,
    span: Span,
) -> PolarsResult<Aggregates> {
    let whole = comparable::whole(&figures.units, span);
    let per_unit = sums::unit_totals(&figures.frame, &whole, catalogue)?;
    let current = sums::metric_sums(&per_unit)?;
    crate::memory::give_back();
    let before = previous
        .map(|p| last_year(figures, (&per_unit, &whole), p, catalogue, span))
        .transpose()?;

    let metrics = catalogue
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let d = m.decimals;
            let sum_of = |sums: &MetricSums| tidy(sums.get(&i).map_or(0.0, |x| x.0), d);
            let (total, units_reporting) = current.get(&i).copied().unwrap_or((0.0, 0));
            let total = tidy(total, d);
            let target = m.targets.get(&year).copied();
            let target_pct = target.and_then(|t| share_pct(total, t, d));
            let comparable_total = before.as_ref().map(|b| sum_of(&b.comparable_now));
            let comparable_previous = before.as_ref().map(|b| sum_of(&b.comparable_before));
            let yoy = comparable_total
                .zip(comparable_previous)
                .and_then(|(c, p)| yoy_pct(c, p, d));
            let carried = before.as_ref().is_some_and(|b| b.present.binary_search(&i).is_ok());
            let is_flow = m.aggregate == Aggregate::Sum;
            let last_year_months = before
                .as_ref()
                .and_then(|b| b.months.as_deref())
                .map(|rows| &rows[i * 12..i * 12 + 12]);
            MetricSummary {
                metric: i,
                total,
                units_reporting,
                previous: before.as_ref().map(|b| sum_of(&b.totals)),
                yoy_pct: yoy.filter(|_| carried),
                target,
                target_pct,
                comparable_units: before.as_ref().map(|b| b.basis.units),
                comparable_total,
                comparable_previous,
                dropped_previous: before.as_ref().map(|b| sum_of(&b.dropped)),
                carried,
                change: Change::of(before.is_some(), carried, is_flow, yoy, comparable_total.unwrap_or(0.0)),
                pace: match span {
                    Span::Year => None,
                    Span::Through(month) => {
                        pace::pace(target_pct, month, m.aggregate, d, last_year_months.filter(|_| carried))
                    }
                },
            }
        })
        .collect();

    Ok(Aggregates {
        metrics,
        units: unit_rows(&per_unit, &figures.units, catalogue)?,
        months: month_rows(figures, catalogue, span)?,
        basis: before.map(|b| b.basis),
    })
}

fn unit_rows(per_unit: &DataFrame, units: &[CountedUnit], catalogue: &Catalogue) -> PolarsResult<Vec<UnitTotal>> {
    let code_of: HashMap<u32, &str> = units.iter().map(|u| (u.unit, u.code.as_str())).collect();
    let unit_ids = per_unit.column("unit")?.u32()?;
    let ids = per_unit.column("metric")?.u32()?;
    let totals = per_unit.column("total")?.f64()?;
    let mut rows: Vec<UnitTotal> = unit_ids
        .iter()
        .zip(ids.iter())
        .zip(totals.iter())
        .filter_map(|((unit, id), total)| {
            let (unit, metric) = (unit?, id? as usize);
            let total = tidy(total?, catalogue.metrics.get(metric)?.decimals);
            (total != 0.0).then(|| UnitTotal {
                unit_code: code_of.get(&unit).copied().unwrap_or_default().to_owned(),
                metric,
                total,
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.unit_code.as_str(), a.metric).cmp(&(b.unit_code.as_str(), b.metric)));
    Ok(rows)
}

#[cfg(test)]
mod tests;
