//! Sums in polars: each unit's figure of each metric over the months its
//! window lets in, then per metric over units.

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use crate::catalogue::{Aggregate, Catalogue};

/// The months of one unit that count: 1..=`last_month`, and its 全年-only
/// figures when `annual` (they cover the whole submission, so they count
/// only where the window is the whole submission at year end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub unit_code: String,
    pub last_month: u8,
    pub annual: bool,
}

/// Per metric: the sum over units, and the units with a value > 0.
pub type MetricSums = HashMap<String, (f64, u32)>;

/// `unit_code, metric_id, total, positive` for the units of `windows`: a
/// sum over the window's months, or for a level (`last`) the value of the
/// latest month in it. Units without a window are left out.
pub fn unit_totals(figures: &DataFrame, windows: &[Window], catalogue: &Catalogue) -> PolarsResult<DataFrame> {
    let (ids, is_last): (Vec<&str>, Vec<bool>) = catalogue
        .metrics
        .iter()
        .map(|m| (m.id.as_str(), m.aggregate == Aggregate::Last))
        .unzip();
    let kinds = df!("metric_id" => ids, "is_last" => is_last)?;
    let windows = df!(
        "unit_code" => windows.iter().map(|w| w.unit_code.as_str()).collect::<Vec<_>>(),
        "last_month" => windows.iter().map(|w| w.last_month as i32).collect::<Vec<_>>(),
        "annual" => windows.iter().map(|w| w.annual).collect::<Vec<_>>(),
    )?;
    let in_window = (col("month").is_not_null().and(col("month").lt_eq(col("last_month"))))
        .or(col("month").is_null().and(col("annual")));
    figures
        .clone()
        .lazy()
        .inner_join(windows.lazy(), col("unit_code"), col("unit_code"))
        .filter(in_window)
        .left_join(kinds.lazy(), col("metric_id"), col("metric_id"))
        .group_by([col("unit_code"), col("metric_id")])
        .agg([
            col("value").sum().alias("sum"),
            // The value of the latest month, found without sorting each
            // group: a unit's counted submission has one row per metric, so
            // months are distinct, and a 全年-only row (no month) is then the
            // unit's only row.
            col("value")
                .get(col("month").fill_null(lit(0)).arg_max(), false)
                .alias("latest"),
            col("is_last").first().alias("is_last"),
            col("value").max().gt(lit(0.0)).alias("positive"),
        ])
        .select([
            col("unit_code"),
            col("metric_id"),
            when(col("is_last"))
                .then(col("latest"))
                .otherwise(col("sum"))
                .alias("total"),
            col("positive"),
        ])
        .sort(["unit_code", "metric_id"], SortMultipleOptions::default())
        .collect()
}

/// Per metric: total and units reporting, from [`unit_totals`].
pub fn metric_sums(per_unit: &DataFrame) -> PolarsResult<MetricSums> {
    let df = per_unit
        .clone()
        .lazy()
        .group_by([col("metric_id")])
        .agg([
            col("total").sum(),
            col("positive").cast(DataType::UInt32).sum().alias("units_reporting"),
        ])
        .collect()?;
    let ids = df.column("metric_id")?.str()?;
    let totals = df.column("total")?.f64()?;
    let reporting = df.column("units_reporting")?.u32()?;
    Ok(ids
        .iter()
        .zip(totals.iter())
        .zip(reporting.iter())
        .filter_map(|((id, t), n)| Some((id?.to_owned(), (t.unwrap_or(0.0), n.unwrap_or(0)))))
        .collect())
}

/// Metrics with any figure at all (a typed 0 included) in a frame: the
/// metrics that year's forms carried.
pub fn metrics_present(figures: &DataFrame) -> PolarsResult<Vec<String>> {
    let ids = figures.column("metric_id")?.str()?;
    // A few dozen metrics over a million rows: distinct before owned.
    let present: BTreeSet<&str> = ids.iter().flatten().collect();
    Ok(present.into_iter().map(str::to_owned).collect())
}
