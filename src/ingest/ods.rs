//! .ods read from content.xml in one pass, without calamine: calamine
//! expands every sheet at open into dense ranges (up to 100 million cells,
//! 3 GB, for one repeated row far down), reads an empty-string result, a
//! formula never calculated and an error alike, and has no merges. Here
//! only the sheets picked are kept, sparsely, inside the area read;
//! repeated rows and columns are expanded only there.

use std::io::BufRead;

use quick_xml::events::Event;

use super::collect::SheetCells;
use super::grid::{Grid, Merge};
use super::limits::{MAX_COLS, MAX_MERGES, MAX_ROWS};
use super::ods_cell::{fail, read_cell, OdsCell};
use super::open::{Format, OpenError, Opened, Pick};
use super::zipcheck::{self, Archive};
use crate::diag::CellPos;
use crate::text::label_key;

pub(super) fn read(bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    let mut zip = zipcheck::open_checked(bytes)?;
    if encrypted(&mut zip)? {
        return Err(OpenError::Encrypted);
    }
    let content = zipcheck::part(&mut zip, "content.xml")?.ok_or_else(|| fail("文件中没有 content.xml"))?;
    let (names, sheets) = parse(content, wanted)?;
    Ok(Opened::new(Format::Ods, names, sheets))
}

/// An .ods saved with a password lists how its parts are encrypted.
fn encrypted(zip: &mut Archive<'_>) -> Result<bool, OpenError> {
    let Some(manifest) = zipcheck::part_bytes(zip, "META-INF/manifest.xml")? else {
        return Ok(false);
    };
    let mut xml = quick_xml::Reader::from_reader(&manifest[..]);
    loop {
        match xml.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == "manifest:encryption-data" => {
                return Ok(true)
            }
            Ok(Event::Eof) | Err(_) => return Ok(false),
            _ => {}
        }
    }
}

/// The sheet being read: where the reader is, and what it keeps.
struct Table {
    slot: usize,
    cells: SheetCells,
    merges: Vec<Merge>,
    row: u32,
    /// The current row's cells (column, cell), placed when the row ends,
    /// once per repeat of the row.
    pending: Vec<(u32, OdsCell)>,
    col: u32,
}

/// All sheet names, and the sheets picked (in the order asked for).
fn parse<R: BufRead>(input: R, wanted: Pick<'_>) -> Result<(Vec<String>, Vec<Option<Grid>>), OpenError> {
    let mut xml = quick_xml::Reader::from_reader(input);
    xml.config_mut().check_end_names = false;
    let wanted_keys: Vec<String> = match wanted {
        Pick::Named(names) => names.iter().map(|n| label_key(n)).collect(),
        Pick::First => vec![String::new()],
    };
    let mut grids: Vec<Option<Grid>> = vec![None; wanted_keys.len()];
    let mut names = Vec::new();
    let mut table: Option<Table> = None;
    let mut row_repeat = 1u32;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(fail)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" if table.is_none() => {
                    let Some(name) = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned()))
                    else {
                        continue;
                    };
                    names.push(name.clone());
                    if empty {
                        continue;
                    }
                    let key = if matches!(wanted, Pick::First) {
                        String::new()
                    } else {
                        label_key(&name)
                    };
                    match (0..grids.len()).find(|&i| grids[i].is_none() && wanted_keys[i] == key) {
                        Some(slot) => {
                            table = Some(Table {
                                slot,
                                cells: SheetCells::new(&name),
                                merges: Vec::new(),
                                row: 0,
                                pending: Vec::new(),
                                col: 0,
                            })
                        }
                        // A sheet not picked is passed over, its cells unread.
                        None => {
                            xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(fail)?;
                        }
                    }
                }
                "table:table-row" => {
                    if let Some(t) = table.as_mut() {
                        row_repeat = count(&e, "table:number-rows-repeated");
                        t.col = 0;
                        if empty {
                            t.row = t.row.saturating_add(row_repeat);
                        }
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(t) = table.as_mut() {
                        let cell = read_cell(&mut xml, &e, !empty)?;
                        let columns = cell.columns;
                        if cell.span != (1, 1) && t.merges.len() < MAX_MERGES {
                            let (rows, cols) = cell.span;
                            t.merges.push(Merge {
                                first: CellPos::new(t.row, t.col),
                                last: CellPos::new(t.row.saturating_add(rows - 1), t.col.saturating_add(cols - 1)),
                            });
                        }
                        if !matches!(cell.value, calamine::Data::Empty) || cell.formula.is_some() {
                            t.pending.push((t.col, cell));
                        }
                        t.col = t.col.saturating_add(columns);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if let Some(t) = table.as_mut() {
                        place_row(t, row_repeat)?;
                        t.row = t.row.saturating_add(row_repeat);
                    }
                }
                "table:table" => {
                    if let Some(t) = table.take() {
                        let mut grid = t.cells.finish();
                        grid.merges = t.merges;
                        grids[t.slot] = Some(grid);
                    }
                }
                _ => {}
            },
            // Cut short (damaged, or longer than its zip entry declares):
            // never read as a sheet that ends early.
            Event::Eof if table.is_some() => return Err(fail("工作表不完整")),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((names, grids))
}

/// Place a row's cells, repeated across its columns and its rows, inside
/// the area read; what lies beyond is counted, not visited.
fn place_row(t: &mut Table, rows: u32) -> Result<(), OpenError> {
    let pending = std::mem::take(&mut t.pending);
    let rows_in = rows.min(MAX_ROWS.saturating_sub(t.row));
    for (col, cell) in &pending {
        let cols_in = cell.columns.min(MAX_COLS.saturating_sub(*col));
        let outside = rows as u64 * cell.columns as u64 - rows_in as u64 * cols_in as u64;
        if outside > 0 {
            let (r, c) = if rows_in < rows {
                (t.row + rows_in, *col)
            } else {
                (t.row, col + cols_in)
            };
            t.cells.ignore(r, c, outside);
        }
        for r in t.row..t.row + rows_in {
            for c in *col..col + cols_in {
                match &cell.formula {
                    Some((text, stored)) if !text.trim().is_empty() => {
                        t.cells.formula((r, c), stored.clone(), &cell.value, text)?
                    }
                    _ => t.cells.value((r, c), cell.value.clone())?,
                }
            }
        }
    }
    Ok(())
}

fn count(e: &quick_xml::events::BytesStart<'_>, key: &str) -> u32 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::grid::Cell;

    const ROW: &str = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="其他"><table:table-row><table:table-cell table:formula="of:=1/0"/></table:table-row></table:table>
<table:table table:name="数据">
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row>
<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>
<table:table-cell table:formula="of:=IF(1;&quot;&quot;;&quot;x&quot;)"><text:p/></table:table-cell>
<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="5" table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p>5</text:p></table:table-cell>
<table:covered-table-cell/>
<table:table-cell table:formula="of:=SUM([.C3:.E3])"/>
<table:table-cell table:formula="of:=SUM([.C3:.E3])" office:value-type="float" office:value="8" calcext:value-type="float"><text:p>8</text:p></table:table-cell>
<table:table-cell table:formula="of:=[.A1]*2" office:value-type="string" office:string-value="=[.A1]*2"><text:p>=[.A1]*2</text:p></table:table-cell>
<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>a<text:s text:c="2"/>&amp;b</text:p><text:p>c<office:annotation><text:p>note</text:p></office:annotation></text:p></table:table-cell>
</table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="300" office:value-type="float" office:value="1"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;

    #[test]
    fn values_formula_results_and_merges_as_libreoffice_and_scripts_store_them() {
        let (names, grids) = parse(ROW.as_bytes(), Pick::Named(&["数据"])).unwrap();
        assert_eq!(names, ["其他", "数据"]);
        let g = grids[0].as_ref().unwrap();
        let at = |a1: &str| g.get(crate::ingest::xlsx::cell_ref(a1).unwrap()).clone();
        assert_eq!(at("A3"), Cell::Error("#DIV/0!".into()));
        assert_eq!(at("B3"), Cell::Empty, "an empty-string result");
        assert_eq!(at("C3"), Cell::Number(3.0));
        assert_eq!(at("D3"), Cell::Number(3.0), "repeated across columns");
        assert_eq!(at("E3"), Cell::Number(5.0));
        assert_eq!(at("G3"), Cell::FormulaWithoutValue("SUM(C3:E3)".into()));
        assert_eq!(at("H3"), Cell::Number(8.0));
        assert_eq!(
            at("I3"),
            Cell::FormulaWithoutValue("A1*2".into()),
            "a script's formula text as its value"
        );
        assert_eq!(at("J3"), Cell::Text("a  &b\nc".into()));
        assert_eq!(
            g.formula(crate::ingest::xlsx::cell_ref("H3").unwrap()),
            Some("SUM(C3:E3)")
        );
        assert_eq!(
            g.merges,
            [Merge {
                first: CellPos::new(2, 4),
                last: CellPos::new(2, 5)
            }]
        );
        assert_eq!(g.row_end(), 3, "the row far down is not read");
        assert_eq!(g.ignored.count, 300);
        assert_eq!(g.ignored.examples[0].a1(), "A1048004");
    }

    #[test]
    fn a_sheet_cut_short_is_corrupt() {
        let cut = &ROW[..ROW
            .find("<table:table-row table:number-rows-repeated=\"1048000\"")
            .unwrap()];
        let err = parse(cut.as_bytes(), Pick::Named(&["数据"])).unwrap_err();
        assert!(matches!(&err, OpenError::Corrupt(d) if d.contains("不完整")), "{err:?}");
    }

    #[test]
    fn the_first_sheet_whatever_its_name() {
        let (_, grids) = parse(ROW.as_bytes(), Pick::First).unwrap();
        assert_eq!(grids[0].as_ref().unwrap().name, "其他");
    }
}
