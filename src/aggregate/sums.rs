//! Sums in polars: each unit's figure of each metric over the months its
//! window lets in, then per metric over units. Units and metrics are the
//! frames' indexes (see [`crate::table::YearFigures`]).

use std::collections::HashMap;

use polars::prelude::*;

use crate::catalogue::Catalogue;

/// The months of one unit that count: 1..=`last_month`, and its 全年-only
/// figures when `annual` (they cover the whole submission, so they count
/// only where the window is the whole submission at year end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The unit's registry index.
    pub unit: u32,
    pub last_month: u8,
    pub annual: bool,
}

/// Per metric (catalogue index): the sum over units, and the units with a
/// value > 0.
pub type MetricSums = HashMap<usize, (f64, u32)>;

/// `unit, metric, total, positive` for the units of `windows`: a sum over
/// the window's months, or for a level (`last`) the value of the latest
/// month in it. Units without a window are left out.
pub fn unit_totals(figures: &DataFrame, windows: &[Window], catalogue: &Catalogue) -> PolarsResult<DataFrame> {
    let levels = super::level_metrics(catalogue);
    // Whether a row's metric is a level: a few comparisons, not a join.
    let is_level = levels
        .iter()
        .fold(lit(false), |any, &i| any.or(col("metric").eq(lit(i))));
    let windows = df!(
        "unit" => windows.iter().map(|w| w.unit).collect::<Vec<_>>(),
        "last_month" => windows.iter().map(|w| w.last_month as i32).collect::<Vec<_>>(),
        "annual" => windows.iter().map(|w| w.annual).collect::<Vec<_>>(),
    )?;
    let in_window = (col("month").is_not_null().and(col("month").lt_eq(col("last_month"))))
        .or(col("month").is_null().and(col("annual")));
    // The rows counted of the metrics `which` picks.
    let counted = |which: Expr| {
        figures
            .clone()
            .lazy()
            .filter(which)
            .inner_join(windows.clone().lazy(), col("unit"), col("unit"))
            .filter(in_window.clone())
            .group_by([col("unit"), col("metric")])
    };
    let positive = || col("value").max().gt(lit(0.0)).alias("positive");
    let mut parts = vec![counted(is_level.clone().not()).agg([col("value").sum().alias("total"), positive()])];
    if !levels.is_empty() {
        // The value of the latest month, found without sorting each group:
        // a unit's counted submission has one row per metric, so months are
        // distinct, and a 全年-only row (no month) is then the unit's only
        // row. Per group, so only over the levels' rows (at 10,000 units
        // over every row it took 0.3 s).
        parts.push(
            counted(is_level).agg([
                col("value")
                    .get(col("month").fill_null(lit(0)).arg_max(), false)
                    .alias("total"),
                positive(),
            ]),
        );
    }
    concat(parts, UnionArgs::default())?
        // Group order is not fixed: sorted, the sums add up in one order.
        .sort(["unit", "metric"], SortMultipleOptions::default())
        .collect()
}

/// Per metric: total and units reporting, from [`unit_totals`].
pub fn metric_sums(per_unit: &DataFrame) -> PolarsResult<MetricSums> {
    let df = per_unit
        .clone()
        .lazy()
        .group_by([col("metric")])
        .agg([
            col("total").sum(),
            col("positive").cast(DataType::UInt32).sum().alias("units_reporting"),
        ])
        .collect()?;
    let ids = df.column("metric")?.u32()?;
    let totals = df.column("total")?.f64()?;
    let reporting = df.column("units_reporting")?.u32()?;
    Ok(ids
        .iter()
        .zip(totals.iter())
        .zip(reporting.iter())
        .filter_map(|((id, t), n)| Some((id? as usize, (t.unwrap_or(0.0), n.unwrap_or(0)))))
        .collect())
}

/// Metrics (catalogue indexes, ascending) with any figure at all (a typed
/// 0 included) in a frame: the metrics that year's forms carried.
pub fn metrics_present(figures: &DataFrame, metrics: usize) -> PolarsResult<Vec<usize>> {
    let mut present = vec![false; metrics];
    for id in figures.column("metric")?.u32()?.iter().flatten() {
        if let Some(p) = present.get_mut(id as usize) {
            *p = true;
        }
    }
    Ok((0..metrics).filter(|&i| present[i]).collect())
}
