//! Sheet 数据: find the header (one or two rows, anywhere in the first ten,
//! columns in any order), then read one row per metric under the rules of
//! SPEC.md — every value either counted, or named in a diagnostic.

use std::collections::HashMap;

use crate::catalogue::{Aggregate, Catalogue};
use crate::diag::{CellPos, Severity, Sink};
use crate::ingest::grid::{format_number, Cell, Grid};
use crate::text::{code_key, label_key, parse_month, trim};

use super::number::{check_value, read_number, Reading};

pub const SHEET: &str = "数据";

/// The header is looked for in the first rows: forms carry a title and a
/// 表号 line above it.
const HEADER_SEARCH_ROWS: u32 = 10;

/// One counted figure: a metric's value for a month, or for the year only.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub metric: usize,
    /// 1–12; `None` when only 全年 was filled.
    pub month: Option<u8>,
    pub value: f64,
    pub cell: CellPos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Project,
    Name,
    Unit,
    Month(u8),
    Annual,
    Remark,
    Band,
    Other,
}

fn role_of(key: &str) -> Role {
    match key {
        "指标代码" | "指标编码" => Role::Code,
        "项目" | "项目名称" | "工作项目" => Role::Project,
        "指标" | "指标名称" => Role::Name,
        "计量单位" | "单位" => Role::Unit,
        "全年" | "全年合计" | "全年累计" | "合计" | "年度合计" | "本年合计" | "全年数" | "全年总计" => {
            Role::Annual
        }
        "备注" | "说明" => Role::Remark,
        "月份" | "月度" | "各月" => Role::Band,
        "" => Role::Other,
        _ if key.ends_with('月') || key.ends_with("月份") => parse_month(key).map_or(Role::Other, Role::Month),
        _ => Role::Other,
    }
}

#[derive(Debug)]
struct Layout {
    code: u32,
    project: Option<u32>,
    name: Option<u32>,
    unit: Option<u32>,
    months: [Option<u32>; 12],
    annual: Option<u32>,
    /// Columns with a header nobody asked for, and that header.
    others: Vec<(u32, CellPos, String)>,
    /// Columns with no header at all.
    headerless: Vec<u32>,
    first_data_row: u32,
}

/// Find and check the header; `None` (with errors in the sink) when the
/// sheet cannot be read.
fn locate_header(grid: &Grid, sink: &mut Sink) -> Option<Layout> {
    let text = |r: u32, c: u32| grid.get(CellPos::new(r, c)).as_text().unwrap_or_default();
    let cols = grid.col_end();
    let Some((top, code)) = (0..HEADER_SEARCH_ROWS.min(grid.row_end())).find_map(|r| {
        (0..cols)
            .find(|&c| role_of(&label_key(&text(r, c))) == Role::Code)
            .map(|c| (r, c))
    }) else {
        sink.push(
            Severity::Error,
            Some(SHEET),
            None,
            "no-header",
            "数据表前 10 行中找不到含“指标代码”的表头行。请使用下发的表格，不要删除或改动表头。",
        );
        return None;
    };

    // A second header row: the code cell is merged down (blank below it) and
    // the row holds month labels under a 月份 band — or numbers 1–12 there.
    let band = (0..cols).any(|c| role_of(&label_key(&text(top, c))) == Role::Band);
    let lower_month = |c: u32| -> Option<u8> {
        match grid.get(CellPos::new(top + 1, c)) {
            Cell::Number(n) if band && n.fract() == 0.0 && (1.0..=12.0).contains(n) => Some(*n as u8),
            cell => match role_of(&label_key(&cell.as_text().unwrap_or_default())) {
                Role::Month(m) => Some(m),
                _ => None,
            },
        }
    };
    let two_rows = grid.get(CellPos::new(top + 1, code)).is_blank() && (0..cols).any(|c| lower_month(c).is_some());

    let mut layout = Layout {
        code,
        project: None,
        name: None,
        unit: None,
        months: [None; 12],
        annual: None,
        others: Vec::new(),
        headerless: Vec::new(),
        first_data_row: top + if two_rows { 2 } else { 1 },
    };
    let mut ok = true;
    for c in 0..cols {
        let (role, at, label) = match (two_rows, lower_month(c)) {
            (true, Some(m)) => (Role::Month(m), CellPos::new(top + 1, c), text(top + 1, c)),
            _ => {
                let upper = text(top, c);
                if label_key(&upper).is_empty() && two_rows {
                    let lower = text(top + 1, c);
                    (role_of(&label_key(&lower)), CellPos::new(top + 1, c), lower)
                } else {
                    (role_of(&label_key(&upper)), CellPos::new(top, c), upper)
                }
            }
        };
        let slot = match role {
            Role::Code if c == code => continue,
            Role::Code => None,
            Role::Project => Some(&mut layout.project),
            Role::Name => Some(&mut layout.name),
            Role::Unit => Some(&mut layout.unit),
            Role::Month(m) => Some(&mut layout.months[m as usize - 1]),
            Role::Annual => Some(&mut layout.annual),
            Role::Remark | Role::Band => continue,
            Role::Other => {
                if label_key(&label).is_empty() {
                    layout.headerless.push(c);
                } else {
                    layout.others.push((c, at, trim(&label).to_owned()));
                }
                continue;
            }
        };
        match slot {
            Some(slot @ None) => *slot = Some(c),
            _ => {
                ok = false;
                sink.error_at(
                    SHEET,
                    at,
                    "duplicate-column",
                    format!("表头“{}”出现了两次，无法确定该读哪一列。请删除多余的列。", trim(&label)),
                );
            }
        }
    }
    if layout.months.iter().all(Option::is_none) && layout.annual.is_none() {
        sink.push(
            Severity::Error,
            Some(SHEET),
            None,
            "no-number-columns",
            "数据表的表头中没有“1月”…“12月”或“全年”列。请使用下发的表格，不要删除或改动表头。",
        );
        ok = false;
    }
    ok.then_some(layout)
}

/// Read the data rows. `through` is 截至月份 when it could be read.
pub fn read_data(grid: &Grid, catalogue: &Catalogue, through: Option<u8>, sink: &mut Sink) -> Vec<Figure> {
    let Some(layout) = locate_header(grid, sink) else {
        return Vec::new();
    };
    let mut figures = Vec::new();
    let mut seen: HashMap<usize, u32> = HashMap::new();
    let mut other_columns_used = vec![false; layout.others.len()];
    let mut headerless_noted = std::collections::HashSet::new();
    let number_cols: Vec<u32> = layout
        .months
        .iter()
        .flatten()
        .chain(layout.annual.iter())
        .copied()
        .collect();

    for r in layout.first_data_row..grid.row_end() {
        let at = |c: u32| CellPos::new(r, c);
        let row_blank = (0..grid.col_end()).all(|c| grid.get(at(c)).is_blank());
        if row_blank {
            continue;
        }
        // Something typed where no header says what it is: named, not lost.
        for &c in &layout.headerless {
            let cell = grid.get(at(c));
            if !cell.is_blank() && headerless_noted.insert(c) {
                sink.note_at(
                    SHEET,
                    at(c),
                    "column-ignored",
                    format!(
                        "{} 列没有表头，其中的内容（如“{}”）未读取。如是数字，请填入对应月份的列。",
                        crate::diag::column_letters(c),
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
            sink.warning_at(
                SHEET,
                at(layout.code),
                "unknown-metric",
                format!("指标代码“{code}”不在本年度的指标目录中，{tail}。请核对指标代码（以下发的表格为准）。"),
            );
            continue;
        };
        if let Some(first_row) = seen.insert(metric_idx, r) {
            sink.error_at(
                SHEET,
                at(layout.code),
                "duplicate-metric",
                format!(
                    "指标代码“{code}”在第 {} 行已经出现，同一指标只能填一行。请把两行合并为一行。",
                    first_row + 1
                ),
            );
            continue;
        }
        read_metric_row(grid, catalogue, metric_idx, &layout, r, through, sink, &mut figures);
    }

    for ((_, at, label), used) in layout.others.iter().zip(other_columns_used) {
        if used {
            sink.note_at(
                SHEET,
                *at,
                "column-ignored",
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
        sink.note_at(
            SHEET,
            at(c),
            "total-row-skipped",
            format!("第 {} 行是“{key}”行，已跳过：合计由程序按各指标自动计算。", r + 1),
        );
    } else if has_numbers {
        sink.error_at(
            SHEET,
            at(layout.code),
            "row-without-code",
            format!(
                "第 {} 行有数字但没有指标代码，无法确定是哪个指标。请填写指标代码，或删除这一行。",
                r + 1
            ),
        );
    } else {
        let first = (0..grid.col_end()).find(|&c| !grid.get(at(c)).is_blank()).unwrap_or(0);
        sink.note_at(
            SHEET,
            at(first),
            "row-skipped",
            format!(
                "第 {} 行没有指标代码，也没有数字（“{}”），已跳过。",
                r + 1,
                grid.get(at(first)).shown()
            ),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn read_metric_row(
    grid: &Grid,
    catalogue: &Catalogue,
    metric_idx: usize,
    layout: &Layout,
    r: u32,
    through: Option<u8>,
    sink: &mut Sink,
    figures: &mut Vec<Figure>,
) {
    let metric = &catalogue.metrics[metric_idx];
    let at = |c: u32| CellPos::new(r, c);
    if let Some(uc) = layout.unit {
        let written = grid
            .get(at(uc))
            .as_text()
            .map(|s| trim(&s).to_owned())
            .unwrap_or_default();
        // `（万元）` in the unit column is the same unit as `万元`.
        let unit_of = |s: &str| code_key(s).replace(['(', ')'], "");
        if !written.is_empty() && !metric.unit.is_empty() && unit_of(&written) != unit_of(&metric.unit) {
            sink.warning_at(
                SHEET,
                at(uc),
                "unit-mismatch",
                format!(
                    "计量单位写的是“{written}”，指标目录中“{}”的计量单位是“{}”。请确认数字是按“{}”填写的。",
                    metric.name, metric.unit, metric.unit
                ),
            );
        }
    }

    // Read one cell; `Some((value, coerced))` when it counts.
    let read = |pos: CellPos, sink: &mut Sink| -> Option<(f64, bool)> {
        let (value, coerced) = match read_number(grid.get(pos), &metric.unit) {
            Reading::Blank => return None,
            Reading::Number(v) => (v, false),
            Reading::Coerced { value, original } => {
                sink.note_at(
                    SHEET,
                    pos,
                    "text-number",
                    format!("文本“{}”按数字 {} 读取。", trim(&original), format_number(value)),
                );
                (value, true)
            }
            Reading::Problem { code, message } => {
                sink.error_at(SHEET, pos, code, message);
                return None;
            }
        };
        match check_value(value, metric.decimals, &metric.name, &metric.unit) {
            Ok(()) => Some((value, coerced)),
            Err((code, message)) => {
                sink.error_at(SHEET, pos, code, message);
                None
            }
        }
    };

    let errors_before = sink.items.iter().filter(|d| d.severity == Severity::Error).count();
    let mut months: Vec<(u8, f64, bool, CellPos)> = Vec::new();
    for (i, col) in layout.months.iter().enumerate() {
        let Some(col) = *col else { continue };
        let month = i as u8 + 1;
        let pos = at(col);
        let cell = grid.get(pos);
        if cell.is_blank() {
            continue;
        }
        if let Some(t) = through.filter(|t| month > *t) {
            sink.error_at(
                SHEET,
                pos,
                "after-cutoff",
                format!("截至月份是 {t} 月，{month} 月应为空（现为“{}”）。如果已经填到 {month} 月，请把基本信息表的截至月份改为 {month}。", cell.shown()),
            );
            continue;
        }
        if let Some((v, coerced)) = read(pos, sink) {
            months.push((month, v, coerced, pos));
        }
    }
    let annual = layout
        .annual
        .map(at)
        .and_then(|pos| read(pos, sink).map(|(v, c)| (v, c, pos)));
    let row_ok = sink.items.iter().filter(|d| d.severity == Severity::Error).count() == errors_before;

    match (annual, months.is_empty()) {
        (Some((value, _, pos)), true) => figures.push(Figure {
            metric: metric_idx,
            month: None,
            value,
            cell: pos,
        }),
        (Some((annual, _, pos)), false) if row_ok => {
            let expected = match metric.aggregate {
                Aggregate::Sum => months.iter().map(|m| m.1).sum::<f64>(),
                Aggregate::Last => months.last().map_or(0.0, |m| m.1),
            };
            // A SUM formula skips numbers typed as text: not the unit's mistake.
            let numeric_only: f64 = months.iter().filter(|m| !m.2).map(|m| m.1).sum();
            let skipped_text =
                metric.aggregate == Aggregate::Sum && months.iter().any(|m| m.2) && same(annual, numeric_only);
            if skipped_text {
                sink.note_at(
                    SHEET,
                    pos,
                    "annual-skips-text",
                    format!(
                        "全年 {} 未计入以文本形式填写的月份，按各月之和 {} 计。",
                        format_number(annual),
                        format_number(expected)
                    ),
                );
            } else if !same(annual, expected) {
                let what = match metric.aggregate {
                    Aggregate::Sum => "各月之和",
                    Aggregate::Last => "最后一个已填月份的数",
                };
                sink.error_at(
                    SHEET,
                    pos,
                    "annual-mismatch",
                    format!(
                        "全年 {} 与{what} {} 不一致。请核对各月数字和全年数（全年可留空，由程序计算）。",
                        format_number(annual),
                        format_number(expected)
                    ),
                );
            }
        }
        _ => {}
    }
    figures.extend(months.into_iter().map(|(month, value, _, cell)| Figure {
        metric: metric_idx,
        month: Some(month),
        value,
        cell,
    }));
}

/// Equal up to the noise of decimal fractions in binary floating point.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}
