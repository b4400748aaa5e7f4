//! The sheets of a workbook read by calamine, format by format, into grids:
//! cached values, formula texts (to tell a formula never calculated from a
//! blank), merged areas, and for .ods what calamine cannot tell (see
//! `ods.rs`).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use super::cells::{stored_in_binary_or_xlsx, Stored};
use super::grid::{Grid, Merge};
use super::ods;
use super::open::{Format, OpenError, Opened, Pick};
use crate::diag::CellPos;
use crate::text::label_key;

pub(super) fn read(format: Format, bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    let cursor = Cursor::new(bytes);
    let opened = |(names, sheets)| Ok(Opened::new(format, names, sheets));
    // Merges only add warnings: a file whose merges cannot be read still
    // counts each value once, where it is stored.
    match format {
        Format::Xlsx => {
            let book: Xlsx<_> = open_workbook_from_rs(cursor).map_err(|e: calamine::XlsxError| failed(&e))?;
            opened(grids(book, wanted, |b, name| {
                merges_of(&b.merge_cells_by_sheet_name(name).unwrap_or_default())
            })?)
        }
        Format::Xls => {
            let book: Xls<_> = open_workbook_from_rs(cursor).map_err(|e: calamine::XlsError| failed(&e))?;
            opened(grids(book, wanted, |b, name| {
                merges_of(&b.merge_cells_by_sheet_name(name).unwrap_or_default())
            })?)
        }
        Format::Xlsb => {
            let book: Xlsb<_> = open_workbook_from_rs(cursor).map_err(|e: calamine::XlsbError| failed(&e))?;
            opened(grids(book, wanted, |_, _| Vec::new())?)
        }
        Format::Ods => {
            let mut book: Ods<_> = open_workbook_from_rs(cursor).map_err(|e: calamine::OdsError| failed(&e))?;
            let (names, raw) = raw_sheets(&mut book, wanted)?;
            opened((names, ods_grids(bytes, raw)))
        }
    }
}

/// The grids of .xlsx/.xls/.xlsb: calamine keeps what these formats store.
fn grids<R, RS>(
    mut book: R,
    wanted: Pick<'_>,
    merges: impl Fn(&mut R, &str) -> Vec<Merge>,
) -> Result<(Vec<String>, Vec<Option<Grid>>), OpenError>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let (names, raw) = raw_sheets(&mut book, wanted)?;
    let sheets = raw
        .into_iter()
        .map(|r| {
            r.map(|r| {
                let merged = merges(&mut book, &r.name);
                r.into_grid(|_, v| stored_in_binary_or_xlsx(v), merged)
            })
        })
        .collect();
    Ok((names, sheets))
}

/// The grids of an .ods: calamine reads an empty-string result, a formula
/// never calculated and an error alike, and no merges; content.xml tells.
fn ods_grids(bytes: &[u8], raw: Vec<Option<RawSheet>>) -> Vec<Option<Grid>> {
    let names: Vec<&str> = raw.iter().flatten().map(|r| r.name.as_str()).collect();
    let facts = ods::read_sheets(bytes, &names);
    raw.into_iter()
        .map(|r| {
            r.map(|r| match &facts {
                Ok(facts) => {
                    let sheet = facts.get(&r.name);
                    let merges = sheet.map(|s| s.merges.clone()).unwrap_or_default();
                    let stored = |pos: (u32, u32), v: &Data| {
                        sheet
                            .and_then(|s| s.formulas.get(&pos).cloned())
                            .unwrap_or_else(|| stored_in_binary_or_xlsx(v))
                    };
                    r.into_grid(stored, merges)
                }
                Err(e) => {
                    let mut grid = r.into_grid(|_, v| stored_in_binary_or_xlsx(v), Vec::new());
                    grid.formulas_unreadable = Some(e.clone());
                    grid
                }
            })
        })
        .collect()
}

fn failed(e: &dyn std::fmt::Display) -> OpenError {
    corrupt_or_locked(&e.to_string())
}

fn corrupt_or_locked(detail: &str) -> OpenError {
    if detail.contains("password protected") {
        OpenError::Encrypted
    } else {
        OpenError::Corrupt(detail.to_owned())
    }
}

/// A sheet as calamine reads it: cached values and, separately, formulas.
struct RawSheet {
    name: String,
    values: Range<Data>,
    formulas: Result<Range<String>, String>,
}

impl RawSheet {
    fn into_grid(self, stored: impl Fn((u32, u32), &Data) -> Stored, merges: Vec<Merge>) -> Grid {
        let mut grid = Grid::new(&self.name, &self.values, self.formulas.as_ref().ok(), stored);
        grid.merges = merges;
        grid.formulas_unreadable = self.formulas.err();
        grid
    }
}

fn merges_of(dims: &[calamine::Dimensions]) -> Vec<Merge> {
    dims.iter()
        .map(|d| Merge {
            first: CellPos::new(d.start.0, d.start.1),
            last: CellPos::new(d.end.0, d.end.1),
        })
        .collect()
}

/// The sheets picked, in the order asked for, and the names of all sheets.
fn raw_sheets<R, RS>(book: &mut R, wanted: Pick<'_>) -> Result<(Vec<String>, Vec<Option<RawSheet>>), OpenError>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let sheet_names = book.sheet_names();
    let names: Vec<Option<String>> = match wanted {
        Pick::Named(wanted) => wanted
            .iter()
            .map(|want| {
                let key = label_key(want);
                sheet_names.iter().find(|n| label_key(n) == key).cloned()
            })
            .collect(),
        Pick::First => vec![sheet_names.first().cloned()],
    };
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let Some(name) = name else {
            sheets.push(None);
            continue;
        };
        let values = book
            .worksheet_range(&name)
            .map_err(|e| corrupt_or_locked(&format!("工作表“{name}”：{e}")))?;
        // Formula texts tell a never-calculated formula from a blank cell;
        // when they cannot be read, the sheet says so (never a silent blank).
        let formulas = book.worksheet_formula(&name).map_err(|e| e.to_string());
        sheets.push(Some(RawSheet { name, values, formulas }));
    }
    Ok((sheet_names, sheets))
}
