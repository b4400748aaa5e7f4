//! Sheet 数据: its header found, then one row per metric read under the
//! rules of SPEC.md — every value either counted, or named in a diagnostic.
//! Rows without a code (totals, headings) are skipped with a word.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::diag::{column_letters, CellPos, Code, Sink};
use crate::ingest::grid::Grid;
use crate::text::{label_key, trim};

use super::header::{locate_header, Layout};
use super::row::{read_metric_row, Row};

pub const SHEET: &str = "数据";

/// One counted figure: a metric's value for a month, or for the year only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The catalogue index (u32: both years' figures are kept for the
    /// whole run, 2.8 million at 10,000 units, and this makes each 24
    /// bytes instead of 32).
    pub metric: u32,
    /// 1–12; `None` when only 全年 was filled.
    pub month: Option<u8>,
    pub value: f64,
    pub cell: CellPos,
}

/// Read the data rows. `through` is 截至月份 when it could be read.
pub fn read_data(grid: &Grid, catalogue: &Catalogue, through: Option<u8>, sink: &mut Sink) -> Vec<Figure> {
    let Some(layout) = locate_header(grid, sink) else {
        return Vec::new();
    };
    let mut figures = Vec::new();
    let mut seen: HashMap<usize, u32> = HashMap::new();
    let mut other_columns_used = vec![false; layout.others.len()];
    let mut headerless_noted = HashSet::new();
    let number_cols = layout.number_columns();

    for r in layout.first_data_row..grid.row_end() {
        let at = |c: u32| CellPos::new(r, c);
        // An empty row inside the data area is no end of it: read on.
        let row_blank = (0..grid.col_end()).all(|c| grid.get(at(c)).is_blank());
        if row_blank {
            continue;
        }
        // Something typed where no header says what it is: named, not lost.
        for &c in &layout.headerless {
            let cell = grid.get(at(c));
            if !cell.is_blank() && headerless_noted.insert(c) {
                sink.at(
                    SHEET,
                    at(c),
                    Code::ColumnIgnored,
                    format!(
                        "{} 列没有表头，其中的内容（如“{}”）未读取。如是数字，请填入对应月份的列。",
                        column_letters(c),
                        cell.shown()
                    ),
                );
            }
        }
        for (i, (c, ..)) in layout.others.iter().enumerate() {
            other_columns_used[i] |= !grid.get(at(*c)).is_blank();
        }
        let code_cell = grid.get(at(layout.code));
        let has_numbers = number_cols.iter().any(|&c| !grid.get(at(c)).is_blank());
        let Some(code) = code_cell
            .as_text()
            .map(|s| trim(&s).to_owned())
            .filter(|s| !s.is_empty())
        else {
            skip_row_without_code(grid, &layout, r, has_numbers, sink);
            continue;
        };
        let Some(metric_idx) = catalogue.metric_by_code(&code) else {
            let tail = if has_numbers {
                "这一行的数字未计入"
            } else {
                "这一行没有数字"
            };
            sink.at(
                SHEET,
                at(layout.code),
                Code::UnknownMetric,
                format!("指标代码“{code}”不在本年度的指标目录中，{tail}。请核对指标代码（以下发的表格为准）。"),
            );
            continue;
        };
        if let Some(first_row) = seen.insert(metric_idx, r) {
            sink.at(
                SHEET,
                at(layout.code),
                Code::DuplicateMetric,
                format!(
                    "指标代码“{code}”在第 {} 行已经出现，同一指标只能填一行。请把两行合并为一行。",
                    first_row + 1
                ),
            );
            continue;
        }
        let row = Row {
            grid,
            layout: &layout,
            metric_idx,
            metric: &catalogue.metrics[metric_idx],
            row: r,
            through,
        };
        figures.extend(read_metric_row(&row, sink));
    }

    for ((_, at, label), used) in layout.others.iter().zip(other_columns_used) {
        if used {
            sink.at(
                SHEET,
                *at,
                Code::ColumnIgnored,
                format!("“{label}”列不是表格规定的列，其中的内容未读取。"),
            );
        }
    }
    figures
}

/// Totals rows are skipped with a note; a row with numbers and no code is an
/// error (its figures would otherwise vanish); a text-only row is a note.
fn skip_row_without_code(grid: &Grid, layout: &Layout, r: u32, has_numbers: bool, sink: &mut Sink) {
    let at = |c: u32| CellPos::new(r, c);
    let label_cols: Vec<u32> = match (layout.project, layout.name) {
        (None, None) => (0..grid.col_end()).collect(),
        (p, n) => p.into_iter().chain(n).collect(),
    };
    let total = label_cols.iter().find_map(|&c| {
        let key = label_key(&grid.get(at(c)).as_text().unwrap_or_default());
        (key.contains("合计") || key.contains("小计") || key.contains("总计")).then_some((c, key))
    });
    if let Some((c, key)) = total {
        sink.at(
            SHEET,
            at(c),
            Code::TotalRowSkipped,
            format!("第 {} 行是“{key}”行，已跳过：合计由程序按各指标自动计算。", r + 1),
        );
    } else if has_numbers {
        sink.at(
            SHEET,
            at(layout.code),
            Code::RowWithoutCode,
            format!(
                "第 {} 行有数字但没有指标代码，无法确定是哪个指标。请填写指标代码，或删除这一行。",
                r + 1
            ),
        );
    } else {
        let first = (0..grid.col_end()).find(|&c| !grid.get(at(c)).is_blank()).unwrap_or(0);
        sink.at(
            SHEET,
            at(first),
            Code::RowSkipped,
            format!(
                "第 {} 行没有指标代码，也没有数字（“{}”），已跳过。",
                r + 1,
                grid.get(at(first)).shown()
            ),
        );
    }
}
