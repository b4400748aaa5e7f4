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
    let metrics = catalogue.metrics.len().max(1) as u64;
    let (flows, levels) = counted_rows(figures, windows, catalogue, metrics)?;
    let positive = || col("value").max().gt(lit(0.0)).alias("positive");
    let mut parts = vec![flows
        .lazy()
        .group_by([col("key")])
        .agg([col("value").sum().alias("total"), positive()])];
    if levels.height() > 0 {
        // The value of the latest month, found without sorting each group:
        // a unit's counted submission has one row per metric, so months are
        // distinct, and a 全年-only row (no month) is then the unit's only
        // row.
        parts.push(
            levels.lazy().group_by([col("key")]).agg([
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

/// The rows of `figures` in their unit's window (months 1..=`last_month`,
/// a 全年-only row when `annual`), as `key` (unit × metric in one integer),
/// `value` — and `month` for the levels — split into flows and levels.
/// Picked row by row rather than by a join on the windows and filters in
/// polars: at 10,000 units those copies of the frame took about 180 MB
/// passing memory for a frame of 30 MB.
fn counted_rows(
    figures: &DataFrame,
    windows: &[Window],
    catalogue: &Catalogue,
    metrics: u64,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let window_of = by_unit(windows);
    let levels = super::level_flags(catalogue);
    // Sized once: a Vec that doubles holds both copies while it moves (and
    // untouched capacity costs no memory).
    let height = figures.height();
    let (mut flow_key, mut flow_value) = (Vec::with_capacity(height), Vec::with_capacity(height));
    let (mut level_key, mut level_value, mut level_month) = (Vec::new(), Vec::new(), Vec::new());
    let rows = figures
        .column("unit")?
        .u32()?
        .iter()
        .zip(figures.column("metric")?.u32()?.iter())
        .zip(figures.column("month")?.i32()?.iter())
        .zip(figures.column("value")?.f64()?.iter());
    for (((unit, metric), month), value) in rows {
        let (Some(unit), Some(metric), Some(value)) = (unit, metric, value) else {
            continue;
        };
        let Some(w) = window_of.get(unit as usize).copied().flatten() else {
            continue;
        };
        let in_window = match month {
            Some(m) => m <= i32::from(w.last_month),
            None => w.annual,
        };
        if !in_window {
            continue;
        }
        let key = u64::from(unit) * metrics + u64::from(metric);
        if super::is_level(&levels, metric) {
            level_key.push(key);
            level_value.push(value);
            level_month.push(month);
        } else {
            flow_key.push(key);
            flow_value.push(value);
        }
    }
    let flows = DataFrame::new_infer_height(vec![key_column(flow_key), Column::new("value".into(), flow_value)])?;
    let levels = DataFrame::new_infer_height(vec![
        key_column(level_key),
        Column::new("value".into(), level_value),
        Column::new("month".into(), level_month),
    ])?;
    Ok((flows, levels))
}

/// The `key` column, flagged sorted when it is: rows come unit by unit and,
/// in a form laid out as the catalogue, metric by metric, and polars groups
/// a sorted key by slicing it instead of hashing every row.
fn key_column(keys: Vec<u64>) -> Column {
    let sorted = keys.is_sorted();
    let mut key = Series::new("key".into(), keys);
    if sorted {
        key.set_sorted_flag(polars::series::IsSorted::Ascending);
    }
    key.into()
}

/// [`unit_totals`] for `windows`, taken from `whole` — the same frame's
/// unit totals over `whole_windows` — when each unit's window is its window
/// there: the same rows in the same order, without summing every figure
/// again. At year end the like-for-like basis is most units' whole year,
/// and of the five passes over the figures (each a million rows at 10,000
/// units) three were this one.
pub fn unit_totals_within(
    figures: &DataFrame,
    windows: &[Window],
    whole: &DataFrame,
    whole_windows: &[Window],
    catalogue: &Catalogue,
) -> PolarsResult<DataFrame> {
    let whole_of = by_unit(whole_windows);
    if !windows.iter().all(|w| whole_of.get(w.unit as usize) == Some(&Some(w))) {
        return unit_totals(figures, windows, catalogue);
    }
    let wanted = by_unit(windows);
    let keep: BooleanChunked = whole
        .column("unit")?
        .u32()?
        .iter()
        .map(|unit| Some(unit.is_some_and(|u| wanted.get(u as usize).is_some_and(Option::is_some))))
        .collect();
    whole.filter(&keep)
}

/// Each unit's window, indexed by the unit (the registry index).
fn by_unit(windows: &[Window]) -> Vec<Option<&Window>> {
    let size = windows.iter().map(|w| w.unit as usize + 1).max().unwrap_or(0);
    let mut window_of = vec![None; size];
    for w in windows {
        window_of[w.unit as usize] = Some(w);
    }
    window_of
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

#[cfg(test)]
mod tests {
    use super::*;
    use polars::series::IsSorted;

    #[test]
    fn a_sorted_key_is_flagged_and_an_unsorted_one_is_not() {
        let flag = |keys: Vec<u64>| key_column(keys).as_materialized_series().is_sorted_flag();
        assert_eq!(flag(vec![1, 2, 2, 7]), IsSorted::Ascending);
        assert_eq!(flag(vec![2, 1, 3]), IsSorted::Not);
    }
}
