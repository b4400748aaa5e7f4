//! The machine-readable tables: tables/metrics.csv, units.csv, months.csv
//! (submissions.csv has its own file), with SPEC.md's exact columns.

use crate::aggregate::Aggregates;
use crate::catalogue::Catalogue;
use crate::number::{figure, percent_data};
use crate::registry::Registry;

use super::{csv_bytes, CsvWriter};

/// A figure at `decimals`, or the empty cell SPEC.md asks for "none".
fn opt(x: Option<f64>, decimals: u32) -> String {
    x.map(|v| figure(v, decimals)).unwrap_or_default()
}

fn opt_pct(x: Option<f64>) -> String {
    x.map(percent_data).unwrap_or_default()
}

/// `metric_id,programme_id,name,unit,total,units_reporting,previous_total,yoy_pct,target,target_pct,
/// comparable_units,comparable_total,comparable_previous`: figures at the metric's `decimals`,
/// percentages at two decimals, each written by [`crate::number`] as the report writes it.
pub fn metrics_csv(agg: &Aggregates, catalogue: &Catalogue) -> Vec<u8> {
    let rows = agg.metrics.iter().map(|s| {
        let m = &catalogue.metrics[s.metric];
        let d = m.decimals;
        vec![
            m.id.clone(),
            catalogue.programmes[m.programme].id.clone(),
            m.name.clone(),
            m.unit.clone(),
            figure(s.total, d),
            s.units_reporting.to_string(),
            opt(s.previous, d),
            opt_pct(s.yoy_pct),
            opt(s.target, d),
            opt_pct(s.target_pct),
            s.comparable_units.map(|n| n.to_string()).unwrap_or_default(),
            opt(s.comparable_total, d),
            opt(s.comparable_previous, d),
        ]
    });
    csv_bytes(
        &[
            "metric_id",
            "programme_id",
            "name",
            "unit",
            "total",
            "units_reporting",
            "previous_total",
            "yoy_pct",
            "target",
            "target_pct",
            "comparable_units",
            "comparable_total",
            "comparable_previous",
        ],
        rows,
    )
}

/// Per-unit totals in registry order, the rows a unit appears in.
pub fn unit_rows<'a>(
    agg: &'a Aggregates,
    registry: &'a Registry,
) -> Vec<(&'a crate::registry::Unit, &'a crate::aggregate::UnitTotal)> {
    let mut rows: Vec<_> = agg
        .units
        .iter()
        .filter_map(|t| {
            let i = registry.position(&t.unit_code)?;
            Some((i, t))
        })
        .collect();
    rows.sort_by_key(|(i, t)| (*i, t.metric));
    rows.into_iter().map(|(i, t)| (&registry.units[i], t)).collect()
}

/// `unit_code,unit_name,metric_id,total` (non-zero only).
///
/// Its cells borrowed, into a buffer sized once: at 10,000 units it has
/// 260,000 rows, and with four copied cells a row in a buffer that doubled
/// it was a sixth of making the tables (a profile of a whole run).
pub fn units_csv(agg: &Aggregates, catalogue: &Catalogue, registry: &Registry) -> Vec<u8> {
    let rows = unit_rows(agg, registry);
    let mut w = CsvWriter::new(&["unit_code", "unit_name", "metric_id", "total"], rows.len() * 64);
    for (unit, t) in rows {
        let metric = &catalogue.metrics[t.metric];
        let total = figure(t.total, metric.decimals);
        let cells = [
            unit.code.as_str(),
            unit.name.as_str(),
            metric.id.as_str(),
            total.as_str(),
        ];
        w.row(cells).expect("in-memory CSV");
    }
    w.into_bytes()
}

/// `metric_id,month,total` (months 1–12 of the year; a level as it stands at each month's end).
pub fn months_csv(agg: &Aggregates, catalogue: &Catalogue) -> Vec<u8> {
    let rows = agg.months.iter().map(|m| {
        vec![
            catalogue.metrics[m.metric].id.clone(),
            m.month.to_string(),
            opt(m.total, catalogue.metrics[m.metric].decimals),
        ]
    });
    csv_bytes(&["metric_id", "month", "total"], rows)
}
