//! Sheet 指标汇总: one row per metric with this year, last year, the
//! year-on-year change and the target. Its columns are listed once, in
//! [`COLUMNS`]: a new column is one entry there.

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::aggregate::MetricSummary;
use crate::catalogue::Metric;

use super::sheet::Sheet;
use super::style::{Cell, Styles};
use super::Sources;

/// One row: a catalogue metric and its figures.
struct Row<'a> {
    metric: &'a Metric,
    programme: &'a str,
    figures: &'a MetricSummary,
    /// Whether last year's forms carried the metric (else 上年 is "—").
    had_previous: bool,
}

impl Row<'_> {
    /// A figure in the metric's own format.
    fn figure(&self, v: f64) -> Cell<'static> {
        Cell::Number(v, self.metric.decimals)
    }

    /// A figure of last year: "—" when there is none to compare with.
    fn previous(&self, v: Option<f64>) -> Cell<'static> {
        match v {
            Some(v) if self.had_previous => self.figure(v),
            _ => Cell::Dash,
        }
    }
}

/// A column: its header and how a row fills it.
struct Column {
    header: &'static str,
    cell: for<'a> fn(&Row<'a>) -> Cell<'a>,
}

/// The columns, in order: Chinese names first, the code last.
const COLUMNS: &[Column] = &[
    Column {
        header: "项目",
        cell: |r| Cell::Text(r.programme),
    },
    Column {
        header: "指标",
        cell: |r| Cell::Text(&r.metric.name),
    },
    Column {
        header: "计量单位",
        cell: |r| Cell::Centred(&r.metric.unit),
    },
    Column {
        header: "本年合计",
        cell: |r| r.figure(r.figures.total),
    },
    Column {
        header: "填报单位数",
        cell: |r| Cell::Number(r.figures.units_reporting as f64, 0),
    },
    Column {
        header: "上年合计",
        cell: |r| r.previous(r.figures.previous),
    },
    Column {
        header: "可比单位数",
        cell: |r| {
            r.figures
                .comparable_units
                .map_or(Cell::Dash, |n| Cell::Number(f64::from(n), 0))
        },
    },
    Column {
        header: "可比口径本年",
        cell: |r| r.figures.comparable_total.map_or(Cell::Dash, |v| r.figure(v)),
    },
    Column {
        header: "可比口径上年",
        cell: |r| r.previous(r.figures.comparable_previous),
    },
    Column {
        header: "同比（%）",
        cell: |r| r.figures.yoy_pct.map_or(Cell::Dash, Cell::Pct),
    },
    Column {
        header: "目标",
        cell: |r| r.figures.target.map_or(Cell::Blank, |t| r.figure(t)),
    },
    Column {
        header: "完成目标（%）",
        cell: |r| r.figures.target_pct.map_or(Cell::Blank, Cell::Pct),
    },
    Column {
        header: "指标代码",
        cell: |r| Cell::Code(&r.metric.id),
    },
];

pub fn write(ws: &mut Worksheet, src: &Sources, styles: &Styles, title: &str) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(ws, "指标汇总", styles)?;
    for (c, column) in COLUMNS.iter().enumerate() {
        sheet.header(0, c as u16, column.header)?;
    }
    for (i, figures) in src.aggregates.metrics.iter().enumerate() {
        let metric = &src.catalogue.metrics[figures.metric];
        let row = Row {
            metric,
            programme: &src.catalogue.programmes[metric.programme].name,
            figures,
            had_previous: figures.previous_shown().is_some(),
        };
        for (c, column) in COLUMNS.iter().enumerate() {
            sheet.put(i as u32 + 1, c as u16, (column.cell)(&row))?;
        }
    }
    sheet.finish(1, 2, src.aggregates.metrics.len() as u32, title)
}
