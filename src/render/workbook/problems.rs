//! Sheet 问题清单: every error and warning of the year, one row each, to
//! filter by unit or severity: who, where (file, sheet, cell) and what.

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::diag::{Diagnostic, Severity};

use super::sheet::Sheet;
use super::style::{Cell, Styles};
use super::Sources;

const HEADERS: [&str; 8] = [
    "单位名称",
    "状态",
    "级别",
    "文件",
    "工作表",
    "单元格",
    "问题",
    "单位代码",
];
/// File paths and messages wrap beyond these widths.
const FILE_WIDTH: f64 = 30.0;
const MESSAGE_WIDTH: f64 = 56.0;

pub fn write(ws: &mut Worksheet, src: &Sources, styles: &Styles, title: &str) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(ws, "问题清单", styles)?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.header(0, c as u16, h)?;
    }
    sheet.wrap_at(3, FILE_WIDTH);
    sheet.wrap_at(6, MESSAGE_WIDTH);
    let rows = problems(src);
    for (i, (unit, d)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let (name, status) = match unit {
            Some(u) => (
                src.registry.units[*u].name.as_str(),
                src.reading.selection.units.get(*u).map_or("", |s| s.status.label()),
            ),
            None if d.unit_code.is_some() => ("（不在名册中）", ""),
            None => ("（无法确定单位）", ""),
        };
        let cell = d.cell.map(|c| c.a1());
        sheet.put(row, 0, Cell::Text(name))?;
        sheet.put(row, 1, Cell::centred_or_blank(Some(status).filter(|s| !s.is_empty())))?;
        sheet.put(row, 2, Cell::Centred(d.severity.label()))?;
        sheet.put(row, 3, Cell::Text(&d.file))?;
        sheet.put(row, 4, Cell::centred_or_blank(d.sheet.as_deref()))?;
        sheet.put(row, 5, Cell::centred_or_blank(cell.as_deref()))?;
        sheet.put(row, 6, Cell::Text(&d.message))?;
        sheet.put(row, 7, d.unit_code.as_deref().map_or(Cell::Blank, Cell::Code))?;
    }
    sheet.finish(1, 1, rows.len() as u32, title)
}

/// Errors and warnings with their registered unit (registry index), units
/// in registry order and files no unit owns last; errors before warnings.
fn problems<'a>(src: &Sources<'a>) -> Vec<(Option<usize>, &'a Diagnostic)> {
    let reading = src.reading;
    let mut rows: Vec<(Option<usize>, &Diagnostic)> = reading
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity != Severity::Note && !reading.skipped.contains(d))
        .map(|d| (d.unit_code.as_deref().and_then(|c| src.registry.position(c)), d))
        .collect();
    // Stable: reading order within each unit and severity.
    rows.sort_by_key(|(unit, d)| {
        (
            unit.unwrap_or(usize::MAX),
            unit.is_none().then(|| d.file.clone()),
            d.severity,
        )
    });
    rows
}
