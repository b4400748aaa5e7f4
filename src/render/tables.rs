//! The machine-readable tables: tables/metrics.csv, units.csv, months.csv
//! (submissions.csv has its own file), with SPEC.md's exact columns.

use crate::aggregate::Aggregates;
use crate::catalogue::Catalogue;
use crate::registry::Registry;
use crate::text::decimal;

use super::csv_bytes;

/// Totals are exact to six decimals; percentages to four.
const TOTAL_DECIMALS: usize = 6;
const PCT_DECIMALS: usize = 4;

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map(|v| decimal(v, decimals)).unwrap_or_default()
}

/// `metric_id,programme_id,name,unit,total,units_reporting,previous_total,yoy_pct,target,target_pct`.
pub fn metrics_csv(agg: &Aggregates, catalogue: &Catalogue) -> Vec<u8> {
    let rows = agg.metrics.iter().map(|s| {
        let m = &catalogue.metrics[s.metric];
        vec![
            m.id.clone(),
            catalogue.programmes[m.programme].id.clone(),
            m.name.clone(),
            m.unit.clone(),
            decimal(s.total, TOTAL_DECIMALS),
            s.units_reporting.to_string(),
            opt(s.previous, TOTAL_DECIMALS),
            opt(s.yoy_pct, PCT_DECIMALS),
            opt(s.target, TOTAL_DECIMALS),
            opt(s.target_pct, PCT_DECIMALS),
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
pub fn units_csv(agg: &Aggregates, catalogue: &Catalogue, registry: &Registry) -> Vec<u8> {
    let rows = unit_rows(agg, registry).into_iter().map(|(unit, t)| {
        vec![
            unit.code.clone(),
            unit.name.clone(),
            catalogue.metrics[t.metric].id.clone(),
            decimal(t.total, TOTAL_DECIMALS),
        ]
    });
    csv_bytes(&["unit_code", "unit_name", "metric_id", "total"], rows)
}

/// `metric_id,month,total` (months 1–12 of the year).
pub fn months_csv(agg: &Aggregates, catalogue: &Catalogue) -> Vec<u8> {
    let rows = agg.months.iter().map(|m| {
        vec![
            catalogue.metrics[m.metric].id.clone(),
            m.month.to_string(),
            opt(m.total, TOTAL_DECIMALS),
        ]
    });
    csv_bytes(&["metric_id", "month", "total"], rows)
}
