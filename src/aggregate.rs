//! Aggregation in polars: per unit × metric, per metric (with last year and
//! the target), per metric × month. The one place figures are summed.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::catalogue::{Aggregate, Catalogue};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSummary {
    /// Index into the catalogue's metrics.
    #[serde(skip)]
    pub metric: usize,
    pub total: f64,
    /// Units whose counted submission has a value > 0.
    pub units_reporting: u32,
    /// `None` when there is no previous year to compare with.
    pub previous: Option<f64>,
    /// `None` when previous is missing or 0.
    pub yoy_pct: Option<f64>,
    pub target: Option<f64>,
    pub target_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitTotal {
    pub unit_code: String,
    pub metric: usize,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonthTotal {
    pub metric: usize,
    pub month: u8,
    /// `None` for a level (`"last"`) that no unit filled in that month.
    pub total: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    /// One per catalogue metric, in catalogue order.
    pub metrics: Vec<MetricSummary>,
    /// Non-zero totals, in unit then catalogue order.
    pub units: Vec<UnitTotal>,
    /// Twelve per metric, in catalogue order.
    pub months: Vec<MonthTotal>,
}

/// What to aggregate: the whole year, or months 1..=M of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Year end: every counted figure, 全年-only rows included.
    Year,
    /// Year to date through a month: month rows only, 全年-only rows excluded.
    Through(u8),
}

/// Float sums of decimal fractions carry noise (56.819999…); every figure
/// leaves this module rounded to well below a cent.
fn clean(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// `unit_code, metric_id, total, positive` for a figures frame: a sum over
/// months, or for a level the value of the latest filled month.
fn unit_totals(figures: &DataFrame, catalogue: &Catalogue, span: Span) -> PolarsResult<LazyFrame> {
    let (ids, is_last): (Vec<&str>, Vec<bool>) = catalogue
        .metrics
        .iter()
        .map(|m| (m.id.as_str(), m.aggregate == Aggregate::Last))
        .unzip();
    let kinds = df!("metric_id" => ids, "is_last" => is_last)?;
    let lf = match span {
        Span::Year => figures.clone().lazy(),
        Span::Through(m) => figures
            .clone()
            .lazy()
            .filter(col("month").is_not_null().and(col("month").lt_eq(lit(m as i32)))),
    };
    Ok(lf
        .left_join(kinds.lazy(), col("metric_id"), col("metric_id"))
        .group_by([col("unit_code"), col("metric_id")])
        .agg([
            col("value").sum().alias("sum"),
            // A 全年-only row has no month and is then the unit's only row.
            col("value")
                .sort_by([col("month")], SortMultipleOptions::default())
                .last()
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
        ]))
}

/// Per metric: total and units reporting.
fn metric_totals(units: LazyFrame) -> PolarsResult<HashMap<String, (f64, u32)>> {
    let df = units
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

/// Aggregate this year's counted figures, against last year's when given.
/// `year` picks the targets.
pub fn aggregate(
    figures: &DataFrame,
    previous: Option<&DataFrame>,
    catalogue: &Catalogue,
    year: i32,
    span: Span,
) -> PolarsResult<Aggregates> {
    let per_unit = unit_totals(figures, catalogue, span)?.collect()?;
    let current = metric_totals(per_unit.clone().lazy())?;
    let before = match previous {
        Some(p) => Some(metric_totals(unit_totals(p, catalogue, span)?)?),
        None => None,
    };

    let metrics = catalogue
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (total, units_reporting) = current.get(&m.id).copied().unwrap_or((0.0, 0));
            let total = clean(total);
            let previous = before.as_ref().map(|b| clean(b.get(&m.id).map_or(0.0, |x| x.0)));
            let yoy_pct = previous.filter(|p| *p != 0.0).map(|p| clean((total - p) / p * 100.0));
            let target = m.targets.get(&year).copied();
            let target_pct = target.filter(|t| *t != 0.0).map(|t| clean(total / t * 100.0));
            MetricSummary {
                metric: i,
                total,
                units_reporting,
                previous,
                yoy_pct,
                target,
                target_pct,
            }
        })
        .collect();

    Ok(Aggregates {
        metrics,
        units: unit_rows(&per_unit, catalogue)?,
        months: month_rows(figures, catalogue, span)?,
    })
}

fn unit_rows(per_unit: &DataFrame, catalogue: &Catalogue) -> PolarsResult<Vec<UnitTotal>> {
    let index: HashMap<&str, usize> = catalogue
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let codes = per_unit.column("unit_code")?.str()?;
    let ids = per_unit.column("metric_id")?.str()?;
    let totals = per_unit.column("total")?.f64()?;
    let mut rows: Vec<UnitTotal> = codes
        .iter()
        .zip(ids.iter())
        .zip(totals.iter())
        .filter_map(|((code, id), total)| {
            let total = clean(total?);
            let metric = *index.get(id?)?;
            (total != 0.0).then(|| UnitTotal {
                unit_code: code.unwrap_or_default().to_owned(),
                metric,
                total,
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.unit_code.as_str(), a.metric).cmp(&(b.unit_code.as_str(), b.metric)));
    Ok(rows)
}

/// Per metric × month: twelve rows per metric (months after a snapshot's
/// month are empty).
pub fn month_rows(figures: &DataFrame, catalogue: &Catalogue, span: Span) -> PolarsResult<Vec<MonthTotal>> {
    let df = figures
        .clone()
        .lazy()
        .filter(col("month").is_not_null())
        .group_by([col("metric_id"), col("month")])
        .agg([col("value").sum().alias("total")])
        .collect()?;
    let ids = df.column("metric_id")?.str()?;
    let months = df.column("month")?.i32()?;
    let totals = df.column("total")?.f64()?;
    let found: HashMap<(&str, i32), f64> = ids
        .iter()
        .zip(months.iter())
        .zip(totals.iter())
        .filter_map(|((id, m), t)| Some(((id?, m?), t?)))
        .collect();
    let last_month = match span {
        Span::Year => 12,
        Span::Through(m) => m,
    };
    let mut rows = Vec::with_capacity(catalogue.metrics.len() * 12);
    for (i, m) in catalogue.metrics.iter().enumerate() {
        for month in 1..=12u8 {
            let value = found.get(&(m.id.as_str(), month as i32)).copied().map(clean);
            let total = match (value, m.aggregate) {
                _ if month > last_month => None,
                (Some(v), _) => Some(v),
                (None, Aggregate::Sum) => Some(0.0),
                (None, Aggregate::Last) => None,
            };
            rows.push(MonthTotal {
                metric: i,
                month,
                total,
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn frame(rows: &[(&str, &str, Option<i32>, f64)]) -> DataFrame {
        df!(
            "unit_code" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            "metric_id" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            "month" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            "value" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        )
        .unwrap()
    }

    fn catalogue() -> Catalogue {
        Catalogue::parse(CATALOGUE, "t").unwrap()
    }

    #[test]
    fn sums_amounts_and_takes_the_latest_level() {
        let f = frame(&[
            ("a", "funds", Some(1), 10.1),
            ("a", "funds", Some(5), 10.2),
            ("b", "funds", None, 36.52),
            ("a", "members", Some(1), 100.0),
            ("a", "members", Some(6), 110.0),
            ("b", "members", None, 50.0),
            ("c", "funds", Some(2), 0.0),
        ]);
        let agg = aggregate(&f, None, &catalogue(), 2015, Span::Year).unwrap();
        assert_eq!(agg.metrics[0].total, 56.82, "no float noise");
        assert_eq!(agg.metrics[0].units_reporting, 2, "a zero is not reporting");
        assert_eq!(agg.metrics[0].target_pct, Some(56.82));
        assert_eq!(agg.metrics[1].total, 160.0, "latest month of a, 全年 of b");
        assert_eq!(agg.metrics[0].previous, None);
        assert_eq!(agg.metrics[0].yoy_pct, None);
        assert_eq!(
            agg.units,
            vec![
                UnitTotal {
                    unit_code: "a".into(),
                    metric: 0,
                    total: 20.3
                },
                UnitTotal {
                    unit_code: "a".into(),
                    metric: 1,
                    total: 110.0
                },
                UnitTotal {
                    unit_code: "b".into(),
                    metric: 0,
                    total: 36.52
                },
                UnitTotal {
                    unit_code: "b".into(),
                    metric: 1,
                    total: 50.0
                },
            ]
        );
        let funds: Vec<Option<f64>> = agg.months.iter().filter(|m| m.metric == 0).map(|m| m.total).collect();
        assert_eq!(
            funds[..6],
            [Some(10.1), Some(0.0), Some(0.0), Some(0.0), Some(10.2), Some(0.0)]
        );
        let members: Vec<Option<f64>> = agg.months.iter().filter(|m| m.metric == 1).map(|m| m.total).collect();
        assert_eq!(members[..6], [Some(100.0), None, None, None, None, Some(110.0)]);
    }

    #[test]
    fn year_on_year_against_last_year() {
        let now = frame(&[("a", "funds", Some(1), 54.0)]);
        let before = frame(&[("a", "funds", Some(1), 41.22)]);
        let agg = aggregate(&now, Some(&before), &catalogue(), 2015, Span::Year).unwrap();
        assert_eq!(agg.metrics[0].previous, Some(41.22));
        assert!((agg.metrics[0].yoy_pct.unwrap() - 31.004367).abs() < 1e-5);
        assert_eq!(
            agg.metrics[1].previous,
            Some(0.0),
            "a previous year without the metric is 0"
        );
        assert_eq!(agg.metrics[1].yoy_pct, None, "never infinite");
    }

    #[test]
    fn year_to_date_uses_months_only() {
        let f = frame(&[
            ("a", "funds", Some(1), 1.0),
            ("a", "funds", Some(7), 5.0),
            ("b", "funds", None, 9.0),
            ("a", "members", Some(2), 100.0),
            ("a", "members", Some(8), 120.0),
        ]);
        let agg = aggregate(&f, None, &catalogue(), 2015, Span::Through(6)).unwrap();
        assert_eq!(agg.metrics[0].total, 1.0);
        assert_eq!(agg.metrics[1].total, 100.0, "the level of the latest month up to June");
        assert_eq!(
            agg.months
                .iter()
                .filter(|m| m.metric == 0 && m.month > 6)
                .map(|m| m.total)
                .collect::<Vec<_>>(),
            vec![None; 6]
        );
    }
}
