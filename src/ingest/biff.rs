//! The records of an .xls `Workbook` stream that would make calamine
//! allocate from what the file claims: a cell far outside any form's area
//! (calamine builds every sheet as a dense rows × columns range at open, for
//! all sheets) and a DIMENSIONS record sizing a sheet past the area. Such
//! records are patched in place into BLANK records, which calamine skips,
//! so the cell reads as empty; the cells are counted per sheet for a note.

use std::borrow::Cow;

use super::cfb::Located;
use super::limits::{in_area, Ignored, MAX_COLS, MAX_ROWS};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const MULRK: u16 = 0x00BD;
/// Records holding one cell at (row, col) in their first four bytes.
const CELLS: [u16; 6] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];
/// What a patched record becomes: BLANK, an empty cell calamine skips.
pub const PATCHED: u16 = 0x0201;

/// The file with its far cells blanked out (borrowed when nothing was
/// found), and what was ignored in each sheet, in BOUNDSHEET order.
pub fn bound<'a>(file: &'a [u8], stream: &Located) -> (Cow<'a, [u8]>, Vec<Ignored>) {
    let data = &stream.data;
    let mut patches = Vec::new();
    let mut sheets = Vec::new();
    for (_, typ, body) in records(data, 0) {
        match typ {
            BOUNDSHEET if body.len() >= 4 => {
                sheets.push(u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize)
            }
            EOF => break,
            _ => {}
        }
    }
    let ignored = sheets.iter().map(|&pos| scan_sheet(data, pos, &mut patches)).collect();
    if patches.is_empty() {
        return (Cow::Borrowed(file), ignored);
    }
    let mut out = file.to_vec();
    for at in patches {
        for (i, b) in PATCHED.to_le_bytes().into_iter().enumerate() {
            if let Some(o) = stream.file_offset(at + i).and_then(|o| out.get_mut(o)) {
                *o = b;
            }
        }
    }
    (Cow::Owned(out), ignored)
}

/// A sheet's substream from `pos`, as calamine walks it (embedded chart
/// substreams skipped): records to patch at `patches` (stream offsets).
fn scan_sheet(data: &[u8], pos: usize, patches: &mut Vec<usize>) -> Ignored {
    let mut ignored = Ignored::default();
    let (mut depth, mut seen_bof, mut formula_patched) = (0usize, false, false);
    for (at, typ, body) in records(data, pos) {
        if depth > 0 {
            match typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let cell = || (body.len() >= 4).then(|| (u16_at(body, 0) as u32, u16_at(body, 2) as u32));
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS if too_large(body) => patches.push(at),
            FORMULA => {
                formula_patched = false;
                if let Some((row, col)) = cell().filter(|&(r, c)| !in_area(r, c)) {
                    ignored.note(row, col);
                    patches.push(at);
                    formula_patched = true;
                }
            }
            // A formula's string result belongs to the formula before it.
            STRING if formula_patched => patches.push(at),
            MULRK if body.len() >= 6 => {
                let (row, first) = (u16_at(body, 0) as u32, u16_at(body, 2) as u32);
                let last = u16_at(body, body.len() - 2) as u32;
                if !in_area(row, first) || !in_area(row, last) {
                    for col in first..=last.max(first) {
                        if !in_area(row, col) {
                            ignored.note(row, col);
                        }
                    }
                    patches.push(at);
                }
            }
            t if CELLS.contains(&t) => {
                if let Some((row, col)) = cell().filter(|&(r, c)| !in_area(r, c)) {
                    ignored.note(row, col);
                    patches.push(at);
                }
            }
            _ => {}
        }
    }
    ignored
}

/// A DIMENSIONS record sizing the sheet past the area read, or whose
/// first row or column is past its last: calamine reserves rows × columns
/// cells for it (and the second underflows into a giant size).
fn too_large(body: &[u8]) -> bool {
    let u32_at = |at: usize| u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]);
    let (first_row, rows, first_col, cols) = match body.len() {
        10 => (
            u16_at(body, 0) as u32,
            u16_at(body, 2) as u32,
            u16_at(body, 4) as u32,
            u16_at(body, 6) as u32,
        ),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(body, 8) as u32, u16_at(body, 10) as u32),
        _ => return false,
    };
    let first_col = if first_col > 0xFF || cols < first_col {
        0
    } else {
        first_col
    };
    if rows == 0 || cols == 0 {
        return false;
    }
    rows > MAX_ROWS || cols > MAX_COLS || first_row >= rows || first_col >= cols
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

/// The records from `pos`: (offset, type, body); CONTINUE records belong to
/// the record before them and are passed over, as calamine does.
fn records(data: &[u8], pos: usize) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = pos;
    std::iter::from_fn(move || loop {
        let head = data.get(at..at + 4)?;
        let (typ, len) = (u16_at(head, 0), u16_at(head, 2) as usize);
        let body = data.get(at + 4..at + 4 + len)?;
        let start = at;
        at += 4 + len;
        if typ != CONTINUE {
            return Some((start, typ, body));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
    }

    fn cell(row: u16, col: u16) -> Vec<u8> {
        [row, col, 0, 0, 0, 0, 0].iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn far_cells_and_giant_dimensions_are_blanked() {
        let mut s = Vec::new();
        record(&mut s, BOF, &[0; 16]);
        let sheet_at = 4 + 16 + 4 + 9 + 4;
        let mut bound_sheet = (sheet_at as u32).to_le_bytes().to_vec();
        bound_sheet.extend([0, 0, 1, 0, b'a']);
        record(&mut s, BOUNDSHEET, &bound_sheet);
        record(&mut s, EOF, &[]);
        assert_eq!(s.len(), sheet_at);
        record(&mut s, BOF, &[0; 16]);
        let dims: Vec<u8> = [0u32.to_le_bytes(), u32::MAX.to_le_bytes()].concat();
        record(&mut s, DIMENSIONS, &[dims, vec![0, 0, 18, 0, 0, 0]].concat());
        record(&mut s, 0x0203, &cell(3, 4));
        record(&mut s, 0x0203, &cell(65535, 16383));
        record(&mut s, EOF, &[]);
        let stream = Located::whole(&s);
        let (patched, ignored) = bound(&s, &stream);
        assert_eq!(ignored[0].count, 1);
        assert_eq!(ignored[0].examples[0].a1(), "XFD65536");
        let types: Vec<u16> = records(&patched, sheet_at).map(|(_, t, _)| t).collect();
        assert_eq!(types, [BOF, PATCHED, 0x0203, PATCHED, EOF]);
    }
}
