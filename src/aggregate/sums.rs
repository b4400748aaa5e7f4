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
    // The rows in their unit's window, picked by a mask rather than a join
    // on the windows, and grouped by one integer key rather than two
    // columns: at 10,000 units the join and the two-column keys took about
    // 180 MB of passing memory for a frame of 20 MB.
    let counted = figures.filter(&in_windows(figures, windows)?)?;
    let metrics = catalogue.metrics.len().max(1) as u64;
    let key = (col("unit").cast(DataType::UInt64) * lit(metrics) + col("metric").cast(DataType::UInt64)).alias("key");
    let grouped = |which: Expr| counted.clone().lazy().filter(which).group_by([key.clone()]);
    let positive = || col("value").max().gt(lit(0.0)).alias("positive");
    let mut parts = vec![grouped(is_level.clone().not()).agg([col("value").sum().alias("total"), positive()])];
    if !levels.is_empty() {
        // The value of the latest month, found without sorting each group:
        // a unit's counted submission has one row per metric, so months are
        // distinct, and a 全年-only row (no month) is then the unit's only
        // row. Per group, so only over the levels' rows (at 10,000 units
        // over every row it took 0.3 s).
        parts.push(
            grouped(is_level).agg([
                col("value")
                    .get(col("month").fill_null(lit(0)).arg_max(), false)
                    .alias("total"),
                positive(),
            ]),
        );
    }
    concat(parts, UnionArgs::default())?
        // Group order is not fixed: sorted (by unit, then metric), the sums
        // add up in one order.
        .sort(["key"], SortMultipleOptions::default())
        .select([
            (col("key") / lit(metrics)).cast(DataType::UInt32).alias("unit"),
            (col("key") % lit(metrics)).cast(DataType::UInt32).alias("metric"),
            col("total"),
            col("positive"),
        ])
        .collect()
}

/// Which rows of `figures` fall in their unit's window: months
/// 1..=`last_month`, a 全年-only row (no month) when `annual`.
fn in_windows(figures: &DataFrame, windows: &[Window]) -> PolarsResult<BooleanChunked> {
    let size = windows.iter().map(|w| w.unit as usize + 1).max().unwrap_or(0);
    let mut window_of: Vec<Option<&Window>> = vec![None; size];
    for w in windows {
        window_of[w.unit as usize] = Some(w);
    }
    let units = figures.column("unit")?.u32()?;
    let months = figures.column("month")?.i32()?;
    Ok(units
        .iter()
        .zip(months.iter())
        .map(|(unit, month)| {
            let window = unit.and_then(|u| window_of.get(u as usize).copied().flatten());
            window.is_some_and(|w| match month {
                Some(m) => m <= i32::from(w.last_month),
                None => w.annual,
            })
        })
        .collect())
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
