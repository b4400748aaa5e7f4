//! .xlsx/.xlsm read in one pass per sheet, sparsely: calamine's cell reader
//! streams each cell with its value and formula (no dense `Range`, whose
//! rows × columns a stray cell at XFD1048576 makes 512 GiB). Before calamine
//! sees the file, the container's sizes are checked, and so are the counts
//! calamine sizes tables by: `uniqueCount` of the shared strings, and the
//! shared-formula indexes (`si`) and merged areas found in one scan of each
//! sheet picked. calamine then reads a copy of the file with the parts
//! those checks inflated stored (`repack.rs`): nothing is inflated twice.

use std::collections::HashMap;
use std::io::{BufRead, Cursor};

use calamine::{open_workbook_from_rs, Data, DataRef, Reader, Xlsx, XlsxError};
use quick_xml::events::Event;

use super::cells::stored_in_binary_or_xlsx;
use super::collect::SheetCells;
use super::grid::{Grid, Merge};
use super::open::{Format, OpenError, Opened, Pick};
use super::repack::Inflated;
use super::sheets::{corrupt_or_locked, picked};
use super::xlsx_parts::{attr, xml_reader, Parts};
use super::xlsx_scan;
use super::zipcheck::{self, Archive};
use crate::diag::CellPos;

/// More distinct strings than any workbook of forms holds; calamine
/// reserves room for the number the file declares.
const MAX_SHARED_STRINGS: u64 = 1_000_000;

pub(super) fn read(bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    let mut zip = zipcheck::open_checked(bytes)?;
    let mut inflated = Inflated::default();
    let parts = Parts::find(&mut zip, &mut inflated)?;
    check_shared_strings(&mut zip, &parts, &mut inflated)?;
    leave_out_theme(&zip, &parts, &mut inflated);
    let scanned = scan_picked(&mut zip, &parts, wanted, &mut inflated)?;
    let repacked = inflated.repack(&mut zip);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(repacked.as_deref().unwrap_or(bytes)))
        .map_err(|e: XlsxError| corrupt_or_locked(&e.to_string()))?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in picked(&names, wanted) {
        let Some(name) = name else {
            sheets.push(None);
            continue;
        };
        // A sheet calamine names otherwise than workbook.xml read here is
        // scanned now, still before calamine reads it.
        let merges = match (scanned.get(&name), parts.sheets.get(&name)) {
            (Some(merges), _) => merges.clone(),
            (None, Some(path)) => scan_sheet(&mut zip, path, &name, &mut Inflated::default())?,
            (None, None) => Vec::new(),
        };
        let mut grid = sheet(&mut book, &name)?;
        grid.merges = merges;
        sheets.push(Some(grid));
    }
    Ok(Opened::new(Format::Xlsx, names, sheets))
}

/// The sheets to be read, scanned before calamine opens the file (it sizes
/// its shared-formula table by `si`), so that it reads them as scanned,
/// stored: their merged areas by name.
fn scan_picked(
    zip: &mut Archive<'_>,
    parts: &Parts,
    wanted: Pick<'_>,
    inflated: &mut Inflated,
) -> Result<HashMap<String, Vec<Merge>>, OpenError> {
    let mut scanned = HashMap::new();
    for name in picked(&parts.order, wanted).into_iter().flatten() {
        if let Some(path) = parts.sheets.get(&name) {
            let merges = scan_sheet(zip, path, &name, inflated)?;
            scanned.insert(name, merges);
        }
    }
    Ok(scanned)
}

/// The theme, found where calamine looks for it, left out of its copy
/// (see [`Inflated::leave_out`]).
fn leave_out_theme(zip: &Archive<'_>, parts: &Parts, inflated: &mut Inflated) {
    let path = format!("{}theme/theme1.xml", parts.dir.to_lowercase());
    if let Some(index) = parts.names.get(&path).and_then(|stored| zip.index_for_name(stored)) {
        inflated.leave_out(index);
    }
}

/// A sheet's cells: values and formulas in one pass. If the formulas cannot
/// be read, the values are read alone and the sheet says why.
fn sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Grid, OpenError> {
    let unreadable = |e: XlsxError| corrupt_or_locked(&format!("工作表“{name}”：{e}"));
    let mut cells = SheetCells::new(name);
    let failed = {
        let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
        loop {
            match reader.next_cell_with_formula() {
                Ok(None) => break None,
                Err(e) => break Some(e),
                Ok(Some(cell)) => {
                    let (row, col) = cell.pos;
                    let formula = cell.formula.filter(|f| !f.trim().is_empty());
                    // An empty cell (styled, say) far away is no content.
                    if (matches!(cell.value, DataRef::Empty) && formula.is_none()) || !cells.wants(row, col) {
                        continue;
                    }
                    let value = Data::from(cell.value);
                    match formula {
                        Some(f) => cells.formula(cell.pos, stored_in_binary_or_xlsx(&value), &value, &f)?,
                        None => cells.value(cell.pos, value)?,
                    }
                }
            }
        }
    };
    let Some(formula_error) = failed else {
        return Ok(cells.finish());
    };
    let mut cells = SheetCells::new(name);
    let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if !matches!(cell.get_value(), DataRef::Empty) && cells.wants(row, col) {
            cells.value((row, col), Data::from(cell.get_value().clone()))?;
        }
    }
    let mut grid = cells.finish();
    grid.formulas_unreadable = Some(formula_error.to_string());
    Ok(grid)
}

/// `uniqueCount` of sharedStrings.xml: calamine reserves room for that many.
/// A small table is inflated whole and kept for calamine; a large one is
/// only read up to its first tag.
fn check_shared_strings(zip: &mut Archive<'_>, parts: &Parts, inflated: &mut Inflated) -> Result<(), OpenError> {
    let Some(stored) = parts
        .names
        .get(&format!("{}sharedstrings.xml", parts.dir.to_lowercase()))
    else {
        return Ok(());
    };
    if zipcheck::declared_size(zip, stored).is_some_and(Inflated::worth_keeping) {
        // One that cannot be inflated is calamine's to report, as below.
        if let Ok(Some(part)) = zipcheck::part_bytes_at(zip, stored) {
            let checked = declared_count(xml_reader(&part.bytes[..]));
            inflated.keep(part);
            return checked;
        }
    }
    match zipcheck::part(zip, stored)? {
        Some(part) => declared_count(xml_reader(part)),
        None => Ok(()),
    }
}

fn declared_count<R: BufRead>(mut xml: quick_xml::Reader<R>) -> Result<(), OpenError> {
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let declared = attr(&e, "uniqueCount").and_then(|v| v.trim().parse::<u64>().ok());
                return match declared {
                    Some(n) if n > MAX_SHARED_STRINGS => Err(OpenError::TooLarge(format!(
                        "共享字符串表声明有 {n} 项，超过 {MAX_SHARED_STRINGS} 项"
                    ))),
                    _ => Ok(()),
                };
            }
            // calamine reports what is wrong with the part itself.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => buf.clear(),
        }
    }
}

/// The sheet's merged areas, and no shared-formula index past the limit
/// (see `xlsx_scan.rs`); the sheet is kept for calamine.
fn scan_sheet(zip: &mut Archive<'_>, path: &str, name: &str, inflated: &mut Inflated) -> Result<Vec<Merge>, OpenError> {
    match zipcheck::part_bytes_at(zip, path)? {
        Some(part) => {
            let merges = xlsx_scan::scan(&part.bytes, name)?;
            inflated.keep(part);
            Ok(merges)
        }
        None => Ok(Vec::new()),
    }
}

/// `XFD1048576` → (1048575, 16383); `None` for anything else or too large.
pub(super) fn cell_ref(a1: &str) -> Option<CellPos> {
    let a1 = a1.trim().trim_start_matches('$');
    let letters = a1.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = a1.split_at(letters);
    let col = col.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?
            .checked_add((b.to_ascii_uppercase() - b'A') as u32 + 1)
    })?;
    let row: u32 = row.trim_start_matches('$').parse().ok()?;
    Some(CellPos::new(row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_parse_or_are_refused() {
        assert_eq!(cell_ref("XFD1048576"), Some(CellPos::new(1_048_575, 16_383)));
        assert_eq!(cell_ref("$E$7"), Some(CellPos::new(6, 4)));
        assert_eq!(cell_ref("ZZZZZZZZZZ1"), None, "overflows");
        assert_eq!(cell_ref("A0"), None);
    }
}
