//! The sheets of a workbook read into grids, format by format: .xlsx in
//! `xlsx.rs`, .ods in `ods.rs`, .xls (checked in `cfb.rs` and `biff.rs`)
//! and .xlsb here. Every reader keeps cells sparsely inside the area read
//! (see `limits.rs`), with cached values, formula texts (to tell a formula
//! never calculated from a blank) and merged areas.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xls, XlsError, Xlsb, XlsbError};

use super::biff;
use super::cells::stored_in_binary_or_xlsx;
use super::cfb;
use super::collect::SheetCells;
use super::grid::{Grid, Merge};
use super::limits::{in_area, Ignored, MAX_MERGES};
use super::open::{Format, OpenError, Opened, Pick};
use super::{ods, xlsx, zipcheck};
use crate::diag::CellPos;
use crate::text::label_key;

pub(super) fn read(format: Format, bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    match format {
        Format::Xlsx => xlsx::read(bytes, wanted),
        Format::Ods => ods::read(bytes, wanted),
        Format::Xls => read_xls(bytes, wanted),
        Format::Xlsb => read_xlsb(bytes, wanted),
    }
}

/// The sheets picked, by name, in the order asked for (`None`: no such sheet).
pub(super) fn picked(sheet_names: &[String], wanted: Pick<'_>) -> Vec<Option<String>> {
    match wanted {
        Pick::Named(wanted) => wanted
            .iter()
            .map(|want| {
                let key = label_key(want);
                sheet_names.iter().find(|n| label_key(n) == key).cloned()
            })
            .collect(),
        Pick::First => vec![sheet_names.first().cloned()],
    }
}

pub(super) fn corrupt_or_locked(detail: &str) -> OpenError {
    if detail.contains("password protected") {
        OpenError::Encrypted
    } else {
        OpenError::Corrupt(detail.to_owned())
    }
}

/// .xls: calamine reads every sheet into dense ranges at open, so the
/// compound file is checked and far cells blanked out first.
fn read_xls(bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    let (bytes, ignored) = match cfb::workbook_stream(bytes)? {
        Some(stream) => biff::bound(bytes, &stream),
        None => (bytes.into(), Vec::new()),
    };
    let mut book: Xls<_> =
        open_workbook_from_rs(Cursor::new(&bytes[..])).map_err(|e: XlsError| corrupt_or_locked(&e.to_string()))?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in picked(&names, wanted) {
        let Some(name) = name else {
            sheets.push(None);
            continue;
        };
        let values = book
            .worksheet_range(&name)
            .map_err(|e| corrupt_or_locked(&format!("工作表“{name}”：{e}")))?;
        let formulas = book.worksheet_formula(&name).map_err(|e| e.to_string());
        let mut grid = from_ranges(&name, &values, formulas)?;
        // Merges only add warnings: a file whose merges cannot be read still
        // counts each value once, where it is stored.
        grid.merges = merges_of(&book.merge_cells_by_sheet_name(&name).unwrap_or_default());
        let index = names.iter().position(|n| *n == name);
        grid.ignored = index
            .and_then(|i| ignored.get(i))
            .cloned()
            .unwrap_or_else(Ignored::default);
        sheets.push(Some(grid));
    }
    Ok(Opened::new(Format::Xls, names, sheets))
}

/// .xlsb: formulas, then values, streamed by calamine's cell reader.
fn read_xlsb(bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    zipcheck::open_checked(bytes)?;
    let mut book: Xlsb<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: XlsbError| corrupt_or_locked(&e.to_string()))?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in picked(&names, wanted) {
        sheets.push(name.map(|name| xlsb_sheet(&mut book, &name)).transpose()?);
    }
    Ok(Opened::new(Format::Xlsb, names, sheets))
}

fn xlsb_sheet(book: &mut Xlsb<Cursor<&[u8]>>, name: &str) -> Result<Grid, OpenError> {
    let failed = |e: XlsbError| corrupt_or_locked(&format!("工作表“{name}”：{e}"));
    let mut cells = SheetCells::new(name);
    let formulas = (|| {
        let mut texts = HashMap::new();
        let mut reader = book.worksheet_cells_reader(name)?;
        while let Some(cell) = reader.next_formula()? {
            let (row, col) = cell.get_position();
            if in_area(row, col) && !cell.get_value().trim().is_empty() {
                texts.insert((row, col), cell.get_value().clone());
            }
        }
        Ok(texts)
    })()
    .map_err(|e: XlsbError| e.to_string());
    let mut texts = formulas.clone().unwrap_or_default();
    let mut reader = book.worksheet_cells_reader(name).map_err(failed)?;
    while let Some(cell) = reader.next_cell().map_err(failed)? {
        let pos = cell.get_position();
        let empty = matches!(cell.get_value(), calamine::DataRef::Empty) && !texts.contains_key(&pos);
        if empty || !cells.wants(pos.0, pos.1) {
            continue;
        }
        let value = Data::from(cell.get_value().clone());
        match texts.remove(&pos) {
            Some(text) => cells.formula(pos, stored_in_binary_or_xlsx(&value), &value, &text)?,
            None => cells.value(pos, value)?,
        }
    }
    // Formulas with no value cell at all: never calculated.
    for (pos, text) in texts {
        cells.formula(pos, stored_in_binary_or_xlsx(&Data::Empty), &Data::Empty, &text)?;
    }
    let mut grid = cells.finish();
    grid.formulas_unreadable = formulas.err();
    Ok(grid)
}

/// A grid from calamine's ranges (already inside the area read): the
/// cached values, and the formulas, or why they could not be read.
fn from_ranges(name: &str, values: &Range<Data>, formulas: Result<Range<String>, String>) -> Result<Grid, OpenError> {
    let mut cells = SheetCells::new(name);
    let formula_texts = formulas.as_ref().ok();
    let formula_at = |pos: (u32, u32)| {
        formula_texts
            .and_then(|f| f.get_value(pos))
            .filter(|t| !t.trim().is_empty())
    };
    if let Some(start) = values.start() {
        for (r, c, v) in values.used_cells() {
            let pos = (start.0 + r as u32, start.1 + c as u32);
            if formula_at(pos).is_none() && cells.wants(pos.0, pos.1) {
                cells.value(pos, v.clone())?;
            }
        }
    }
    if let (Some(f), Some(start)) = (formula_texts, formula_texts.and_then(Range::start)) {
        for (r, c, text) in f.used_cells() {
            let pos = (start.0 + r as u32, start.1 + c as u32);
            if text.trim().is_empty() || !cells.wants(pos.0, pos.1) {
                continue;
            }
            let value = values.get_value(pos).unwrap_or(&Data::Empty);
            cells.formula(pos, stored_in_binary_or_xlsx(value), value, text)?;
        }
    }
    let mut grid = cells.finish();
    grid.formulas_unreadable = formulas.err();
    Ok(grid)
}

fn merges_of(dims: &[calamine::Dimensions]) -> Vec<Merge> {
    dims.iter()
        .take(MAX_MERGES)
        .map(|d| Merge {
            first: CellPos::new(d.start.0, d.start.1),
            last: CellPos::new(d.end.0, d.end.1),
        })
        .collect()
}
