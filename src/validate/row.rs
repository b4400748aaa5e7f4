//! One metric row of 数据: each month and 全年 cell read under the rules of
//! SPEC.md, every problem named with the metric and the month in words
//! ("投入资金（万元）3月（数据!G4）：…") so the office can phone the unit
//! without opening the file.

use crate::catalogue::Metric;
use crate::diag::{CellPos, Code, Sink};
use crate::ingest::grid::{Cell, Grid};
use crate::text::{code_key, trim};

use super::annual::{self, Annual, MonthValue};
use super::data::{Figure, SHEET};
use super::figure::as_typed;
use super::header::Layout;
use super::number::{check_value, read_number, Reading};

/// One metric row and what is needed to read it.
pub struct Row<'a> {
    pub grid: &'a Grid,
    pub layout: &'a Layout,
    pub metric_idx: usize,
    pub metric: &'a Metric,
    pub row: u32,
    /// 截至月份, when it could be read.
    pub through: Option<u8>,
}

impl Row<'_> {
    fn at(&self, col: u32) -> CellPos {
        CellPos::new(self.row, col)
    }

    /// The start of every message about a cell of this row:
    /// `投入资金（万元）3月（数据!G4）：`.
    pub fn place(&self, pos: CellPos) -> String {
        if Some(pos.col) == self.layout.unit {
            return format!("{}（{SHEET}!{}）：", self.metric.name, pos.a1());
        }
        let month = self.layout.column_label(pos.col);
        format!("{}{month}（{SHEET}!{}）：", self.metric_label(), pos.a1())
    }

    /// `投入资金（万元）`.
    fn metric_label(&self) -> String {
        match self.metric.unit.as_str() {
            "" => self.metric.name.clone(),
            unit => format!("{}（{unit}）", self.metric.name),
        }
    }

    fn problem(&self, sink: &mut Sink, pos: CellPos, code: Code, message: &str) {
        sink.at(SHEET, pos, code, format!("{}{message}", self.place(pos)));
    }
}

/// Read the row: its counted figures, every problem in the sink.
pub fn read_metric_row(row: &Row<'_>, sink: &mut Sink) -> Vec<Figure> {
    check_unit(row, sink);
    warn_merged_values(row, sink);
    let errors_before = sink.error_count();
    let mut months: Vec<MonthValue> = Vec::new();
    for (i, col) in row.layout.months.iter().enumerate() {
        let Some(col) = *col else { continue };
        let month = i as u8 + 1;
        let pos = row.at(col);
        let after_cutoff = row.through.filter(|t| month > *t).map(|t| (t, month));
        let Some((value, coerced)) = read_cell(row, pos, sink, after_cutoff) else {
            continue;
        };
        months.push(MonthValue {
            month,
            value,
            coerced,
            cell: pos,
        });
    }
    let annual = read_annual(row, &months, sink);
    let row_ok = sink.error_count() == errors_before;
    let mut figures = annual::check(row, annual, &months, row_ok, sink);
    figures.extend(months.into_iter().map(|m| Figure {
        metric: row.metric_idx as u32,
        month: Some(m.month),
        value: m.value,
        cell: m.cell,
    }));
    figures
}

/// Read 全年, when it holds a figure.
fn read_annual<'a>(row: &Row<'a>, months: &[MonthValue], sink: &mut Sink) -> Option<Annual<'a>> {
    let pos = row.at(row.layout.annual?);
    // A 全年 of 0 over months all blank adds nothing, and is often no figure
    // at all: LibreOffice saving the blank form as .xls stores 0 for the own
    // formula of an empty row (a cell with a number format), as a shared
    // formula whose text calamine does not give.
    if months.is_empty() && *row.grid.get(pos) == Cell::Number(0.0) {
        return None;
    }
    let own = row
        .grid
        .formula(pos)
        .filter(|f| annual::is_own_formula(f, row.row, row.layout, row.metric.aggregate));
    if let Some(formula) = own {
        match row.grid.get(pos) {
            // The form's own formula over blank months is blank, whatever a
            // program stored for it.
            _ if months.is_empty() => return None,
            Cell::FormulaWithoutValue(_) => {
                annual::note_computed(row, pos, formula, months, sink);
                return None;
            }
            // A stale "" (the months were typed after it was stored): blank,
            // and the months count, as a recalculation would show.
            _ => {}
        }
    }
    read_cell(row, pos, sink, None).map(|(value, _)| Annual {
        value,
        cell: pos,
        own_formula: own,
    })
}

/// Read one number cell; `Some((value, coerced))` when it counts.
/// `after_cutoff` is (截至月份, this month) for a month after 截至月份: then
/// anything but a blank is an error.
fn read_cell(row: &Row<'_>, pos: CellPos, sink: &mut Sink, after_cutoff: Option<(u8, u8)>) -> Option<(f64, bool)> {
    let metric = row.metric;
    let reading = read_number(row.grid.get(pos), &metric.unit);
    let filled = !matches!(reading, Reading::Blank | Reading::NothingMark(_));
    if let (true, Some((t, month))) = (filled, after_cutoff) {
        let cell = row.grid.get(pos).shown();
        row.problem(
            sink,
            pos,
            Code::AfterCutoff,
            &format!("截至月份是 {t} 月，这个月应为空（现为“{cell}”）。如果已经填到 {month} 月，请把基本信息表的截至月份改为 {month}。"),
        );
        return None;
    }
    let (value, coerced) = match reading {
        Reading::Blank => return None,
        Reading::NothingMark(mark) => {
            row.problem(
                sink,
                pos,
                Code::NothingReportedMark,
                &format!("“{mark}”按未填报（空白）读取。没有发生的月份直接留空即可。"),
            );
            return None;
        }
        Reading::Number(v) => (v, false),
        Reading::Coerced { value, original } => {
            row.problem(
                sink,
                pos,
                Code::TextNumber,
                &format!("文本“{}”按数字 {} 读取。", trim(&original), as_typed(value)),
            );
            (value, true)
        }
        Reading::Problem { code, message } => {
            row.problem(sink, pos, code, &message);
            return None;
        }
    };
    match check_value(value, metric.decimals, &metric.name, &metric.unit) {
        Ok(()) => Some((value, coerced)),
        Err((code, message)) => {
            row.problem(sink, pos, code, &message);
            None
        }
    }
}

/// `（万元）` in the unit column is the same unit as `万元`.
fn check_unit(row: &Row<'_>, sink: &mut Sink) {
    let Some(uc) = row.layout.unit else { return };
    let metric = row.metric;
    let written = row
        .grid
        .get(row.at(uc))
        .as_text()
        .map(|s| trim(&s).to_owned())
        .unwrap_or_default();
    let unit_of = |s: &str| code_key(s).replace(['(', ')'], "");
    if !written.is_empty() && !metric.unit.is_empty() && unit_of(&written) != unit_of(&metric.unit) {
        row.problem(
            sink,
            row.at(uc),
            Code::UnitMismatch,
            &format!(
                "计量单位写的是“{written}”，指标目录中“{}”的计量单位是“{}”。请确认数字是按“{}”填写的。",
                metric.name, metric.unit, metric.unit
            ),
        );
    }
}

/// A figure in a cell merged over several month (or row) cells is stored
/// once, in the first: it counts there, and the unit is told.
fn warn_merged_values(row: &Row<'_>, sink: &mut Sink) {
    let numbers = row.layout.number_columns();
    for &col in &numbers {
        let pos = row.at(col);
        let Some(merge) = row.grid.merge_at(pos) else { continue };
        if row.grid.get(pos).is_blank() || merge.first == merge.last {
            continue;
        }
        let covered: Vec<String> = numbers
            .iter()
            .filter(|&&c| c != col && merge.contains(CellPos::new(row.row, c)))
            .map(|&c| row.layout.column_label(c))
            .collect();
        let rows = merge.last.row - merge.first.row + 1;
        let spread = match (covered.is_empty(), rows > 1) {
            (false, _) => format!("合并了{}和{}", row.layout.column_label(col), covered.join("、")),
            (true, true) => format!("向下合并了 {rows} 行"),
            (true, false) => "与旁边的单元格合并".to_owned(),
        };
        row.problem(
            sink,
            pos,
            Code::MergedValue,
            &format!(
                "单元格 {} {spread}，其中的数字只计入{}一次。如是几个月（或几行）的数，请取消合并，分别填入各自的单元格。",
                merge.a1(),
                row.layout.column_label(col)
            ),
        );
    }
}
