//! Sheet 单位×指标: registered units as rows, metrics as columns grouped by
//! programme under a two-row header (programme, then metric), and one row
//! of totals. The pivot and the totals are done in polars; the totals equal
//! metrics.csv's `total`. A hidden first row carries the metric codes, so a
//! script can find its columns.

use anyhow::Result;
use polars::prelude::*;
use rust_xlsxwriter::Worksheet;

use crate::aggregate::Aggregates;
use crate::catalogue::Catalogue;
use crate::registry::Registry;

use super::sheet::{figure_width, Sheet};
use super::style::{Cell, Styles};
use super::Sources;

/// The grid: per metric column (in programme order), one value per
/// registered unit (`None`: nothing counted) and the column's total.
pub struct Grid {
    pub metrics: Vec<usize>,
    pub values: Vec<Vec<Option<f64>>>,
    pub totals: Vec<f64>,
}

/// Pivot the unit totals (unit × metric, long) into one column per metric,
/// rows in registry order, and total each column.
pub fn pivot(agg: &Aggregates, catalogue: &Catalogue, registry: &Registry) -> PolarsResult<Grid> {
    let metrics: Vec<usize> = catalogue.programmes.iter().flat_map(|p| p.metrics.clone()).collect();
    let long = df!(
        "unit_code" => agg.units.iter().map(|t| t.unit_code.as_str()).collect::<Vec<_>>(),
        "metric" => agg.units.iter().map(|t| t.metric as u32).collect::<Vec<_>>(),
        "total" => agg.units.iter().map(|t| t.total).collect::<Vec<_>>(),
    )?;
    let name = |m: usize| format!("m{m}");
    let wide = long.lazy().group_by([col("unit_code")]).agg(
        metrics
            .iter()
            .map(|&m| {
                col("total")
                    .filter(col("metric").eq(lit(m as u32)))
                    .sum()
                    .alias(name(m))
            })
            .collect::<Vec<_>>(),
    );
    let units = df!(
        "unit_code" => registry.units.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
        "row" => (0..registry.units.len() as u32).collect::<Vec<_>>(),
    )?;
    let rows = units
        .lazy()
        .left_join(wide.clone(), col("unit_code"), col("unit_code"))
        .sort(["row"], SortMultipleOptions::default())
        .collect()?;
    let sums = wide
        .select(metrics.iter().map(|&m| col(name(m)).sum()).collect::<Vec<_>>())
        .collect()?;

    let mut values = Vec::with_capacity(metrics.len());
    let mut totals = Vec::with_capacity(metrics.len());
    for &m in &metrics {
        // A zero is no figure: units.csv lists non-zero totals only.
        values.push(
            rows.column(&name(m))?
                .f64()?
                .iter()
                .map(|v| v.filter(|v| *v != 0.0))
                .collect(),
        );
        totals.push(sums.column(&name(m))?.f64()?.get(0).map_or(0.0, clean));
    }
    Ok(Grid {
        metrics,
        values,
        totals,
    })
}

/// Sums of decimal fractions carry float noise; figures are exact to six
/// decimals, as in metrics.csv.
fn clean(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Rows: the hidden codes row, the programme band, the metric names.
const CODES: u32 = 0;
const BAND: u32 = 1;
const NAMES: u32 = 2;
const HEADER_ROWS: u32 = 3;
/// Label columns before the metrics: 单位名称, 状态.
const LABELS: u16 = 2;
/// Points: one line of 10 pt text.
const BODY_ROW_HEIGHT: f64 = 15.0;
/// Metric columns wrap their header at this width, or the widest figure.
const METRIC_WIDTH: f64 = 8.0;

pub fn write(ws: &mut Worksheet, src: &Sources, styles: &Styles, title: &str) -> Result<()> {
    let (catalogue, registry) = (src.catalogue, src.registry);
    let grid = pivot(src.aggregates, catalogue, registry)?;
    let mut sheet = Sheet::new(ws, "单位×指标", styles)?;
    let code_col = LABELS + grid.metrics.len() as u16;

    // Row by row (the sheet is written in low-memory mode): the hidden
    // codes, the programme band, the metric names.
    for (i, &m) in grid.metrics.iter().enumerate() {
        let widest = figure_width(grid.totals[i], catalogue.metrics[m].decimals);
        sheet.wrap_at(LABELS + i as u16, widest.max(METRIC_WIDTH));
    }
    sheet.header(CODES, 0, "指标代码")?;
    for (i, &m) in grid.metrics.iter().enumerate() {
        sheet.put(CODES, LABELS + i as u16, Cell::Code(&catalogue.metrics[m].id))?;
    }
    sheet.ws.set_row_hidden(CODES)?;
    sheet.header_tall((BAND, NAMES), 0, "单位名称")?;
    sheet.header_tall((BAND, NAMES), 1, "状态")?;
    sheet.header_tall((BAND, NAMES), code_col, "单位代码")?;
    // The programme band over its metrics' columns; a programme is printed
    // whole on a page, beside the unit names (状态 goes with the first).
    let mut first = 0;
    let mut blocks: Vec<(u16, u16)> = Vec::new();
    for p in &catalogue.programmes {
        let n = p.metrics.len();
        if n > 0 {
            let cols = (LABELS + first as u16, LABELS + (first + n - 1) as u16);
            let width = (cols.0..=cols.1).filter_map(|c| sheet.cap(c)).sum();
            sheet.header_span(BAND, cols, width, &p.name)?;
            blocks.push(cols);
        }
        first += n;
    }
    blocks.push((code_col, code_col));
    blocks[0].0 = 1;
    sheet.print_in_blocks(1, blocks);
    for (i, &m) in grid.metrics.iter().enumerate() {
        let metric = &catalogue.metrics[m];
        // The unit on a line of its own, as printed tables have it.
        let label = match metric.unit.as_str() {
            "" => metric.name.clone(),
            unit => format!("{}\n（{unit}）", metric.name),
        };
        sheet.header(NAMES, LABELS + i as u16, &label)?;
    }

    // One line per unit, a little tighter than YaHei's own line: 120 units
    // print on three pages down, not four.
    sheet.body_height(HEADER_ROWS, BODY_ROW_HEIGHT);
    for (r, u) in src.reading.selection.units.iter().enumerate() {
        let row = HEADER_ROWS + r as u32;
        let unit = &registry.units[u.unit];
        sheet.put(row, 0, Cell::Text(&unit.name))?;
        sheet.put(row, 1, Cell::Centred(u.status.label()))?;
        for (i, &m) in grid.metrics.iter().enumerate() {
            let cell = match grid.values[i][u.unit] {
                Some(v) => Cell::Number(v, catalogue.metrics[m].decimals),
                None => Cell::Blank,
            };
            sheet.put(row, LABELS + i as u16, cell)?;
        }
        sheet.put(row, code_col, Cell::Code(&unit.code))?;
    }
    let last_unit = HEADER_ROWS + registry.units.len() as u32 - 1;
    let total_row = last_unit + 1;
    sheet.put_total(total_row, 0, Cell::Text("合计"))?;
    sheet.put_total(total_row, 1, Cell::Blank)?;
    for (i, &m) in grid.metrics.iter().enumerate() {
        let cell = Cell::Number(grid.totals[i], catalogue.metrics[m].decimals);
        sheet.put_total(total_row, LABELS + i as u16, cell)?;
    }
    sheet.put_total(total_row, code_col, Cell::Blank)?;
    sheet.finish(HEADER_ROWS, 1, last_unit, title)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::UnitTotal;

    const CATALOGUE: &str = r#"
organisation = "o"
title = "t"
[[programmes]]
id = "p"
name = "甲"
  [[programmes.metrics]]
  id = "p.a"
  name = "资金"
  unit = "万元"
  decimals = 2
[[programmes]]
id = "q"
name = "乙"
  [[programmes.metrics]]
  id = "q.b"
  name = "人数"
  unit = "人"
"#;

    #[test]
    fn units_become_rows_and_the_totals_are_the_metric_totals() {
        let catalogue = Catalogue::parse(CATALOGUE, "t").unwrap();
        let registry = Registry::from_bytes(
            "单位代码,单位名称\nu1,一\nu2,二\nu3,三\n".as_bytes(),
            "units.csv".as_ref(),
        )
        .unwrap();
        let t = |unit_code: &str, metric, total| UnitTotal {
            unit_code: unit_code.into(),
            metric,
            total,
        };
        let agg = Aggregates {
            units: vec![t("u1", 0, 0.1), t("u3", 0, 0.2), t("u3", 1, 7.0)],
            ..Aggregates::default()
        };
        let grid = pivot(&agg, &catalogue, &registry).unwrap();
        assert_eq!(grid.metrics, [0, 1]);
        assert_eq!(grid.values[0], [Some(0.1), None, Some(0.2)]);
        assert_eq!(grid.values[1], [None, None, Some(7.0)]);
        assert_eq!(grid.totals, [0.3, 7.0], "0.1 + 0.2 without float noise");
    }
}
