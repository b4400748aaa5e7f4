//! Per metric × month: amounts summed over units in each month; a level
//! (`last`) as it stands at the end of each month — each unit's latest level
//! carried forward — so month M of a level is the snapshot total through M.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::Serialize;

use super::{tidy, Span};
use crate::catalogue::{Aggregate, Catalogue};
use crate::table::YearFigures;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthTotal {
    pub metric: usize,
    pub month: u8,
    /// `None` after the span's last month, and for a level no unit had
    /// filled by then.
    pub total: Option<f64>,
}

/// Twelve rows per metric, in catalogue order. Only month cells count: a
/// 全年-only figure is in no month.
pub fn month_rows(figures: &YearFigures, catalogue: &Catalogue, span: Span) -> PolarsResult<Vec<MonthTotal>> {
    let sums = month_sums(&figures.frame)?;
    let levels = levels_by_unit(&figures.frame, catalogue)?;
    let last_month = span.last_month();
    let mut rows = Vec::with_capacity(catalogue.metrics.len() * 12);
    for (i, m) in catalogue.metrics.iter().enumerate() {
        for month in 1..=12u8 {
            let total = match m.aggregate {
                _ if month > last_month => None,
                Aggregate::Sum => Some(sums.get(&(i as u32, month)).copied().unwrap_or(0.0)),
                Aggregate::Last => level_at(levels.get(&(i as u32)), month),
            };
            rows.push(MonthTotal {
                metric: i,
                month,
                total: total.map(|t| tidy(t, m.decimals)),
            });
        }
    }
    Ok(rows)
}

/// Month cells summed per metric and month. Grouped by one integer key
/// (metric × 13 + month; a 全年-only row is month 0 and dropped), not by two
/// columns after a filter: at 10,000 units the filter's copy and the two
/// keys took about 80 MB of passing memory.
fn month_sums(frame: &DataFrame) -> PolarsResult<HashMap<(u32, u8), f64>> {
    let key = (col("metric").cast(DataType::UInt64) * lit(13u64)
        + col("month").fill_null(lit(0)).cast(DataType::UInt64))
    .alias("key");
    let df = frame
        .clone()
        .lazy()
        .group_by([key])
        .agg([col("value").sum().alias("total")])
        .collect()?;
    let keys = df.column("key")?.u64()?;
    let totals = df.column("total")?.f64()?;
    Ok(keys
        .iter()
        .zip(totals.iter())
        .filter_map(|(key, t)| {
            let (key, t) = (key?, t?);
            let month = (key % 13) as u8;
            (month > 0).then_some((((key / 13) as u32, month), t))
        })
        .collect())
}

/// Metric → unit → filled month → level.
type Levels = HashMap<u32, BTreeMap<u32, BTreeMap<u8, f64>>>;

/// For each level metric, each unit's filled months: month → value.
fn levels_by_unit(frame: &DataFrame, catalogue: &Catalogue) -> PolarsResult<Levels> {
    let levels = super::level_flags(catalogue);
    let units = frame.column("unit")?.u32()?;
    let ids = frame.column("metric")?.u32()?;
    let months = frame.column("month")?.i32()?;
    let values = frame.column("value")?.f64()?;
    let mut out = Levels::new();
    for (((unit, id), month), value) in units.iter().zip(ids.iter()).zip(months.iter()).zip(values.iter()) {
        if let (Some(unit), Some(id), Some(month), Some(value)) = (unit, id, month, value) {
            if super::is_level(&levels, id) {
                out.entry(id)
                    .or_default()
                    .entry(unit)
                    .or_default()
                    .insert(month as u8, value);
            }
        }
    }
    Ok(out)
}

/// The level at the end of `month`: each unit's latest filled month up to
/// it, summed; `None` when no unit had filled one yet.
fn level_at(units: Option<&BTreeMap<u32, BTreeMap<u8, f64>>>, month: u8) -> Option<f64> {
    let mut total = None;
    for months in units?.values() {
        if let Some((_, v)) = months.range(..=month).next_back() {
            *total.get_or_insert(0.0) += v;
        }
    }
    total
}
