//! What calamine does not tell about an .ods: how each formula's result is
//! stored (an empty string, nothing at all, or an error, which calamine reads
//! alike) and the merged cells (calamine has no merge API for .ods). Read
//! from content.xml with the same quick-xml and zip that calamine uses.

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

use super::cells::Stored;
use super::grid::Merge;
use crate::diag::CellPos;

/// One sheet's formula cells and merged areas.
#[derive(Debug, Default)]
pub struct OdsSheet {
    /// How each formula cell's result is stored, by absolute (row, col).
    pub formulas: HashMap<(u32, u32), Stored>,
    pub merges: Vec<Merge>,
}

/// Repeated rows beyond this many are the empty tail LibreOffice writes
/// (`number-rows-repeated="1048571"`): nothing in them is recorded.
const MAX_REPEAT: u32 = 10_000;

/// Formula cells recorded per sheet at most, so that no file, however
/// repeated its cells, exhausts memory. Past it, calamine's reading stands.
const MAX_FORMULAS: usize = 1_000_000;

/// Read the sheets named (exactly as calamine lists them) from an .ods's bytes.
pub fn read_sheets(bytes: &[u8], names: &[&str]) -> Result<HashMap<String, OdsSheet>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    parse_content(BufReader::new(content), names).map_err(|e| format!("content.xml: {e}"))
}

/// The state of the cell being read.
struct OpenCell {
    pos: (u32, u32),
    columns: u32,
    formula: Option<String>,
    value_type: Option<String>,
    calc_type: Option<String>,
    string_value: Option<String>,
    paragraph: Option<String>,
}

fn parse_content<R: std::io::BufRead>(input: R, names: &[&str]) -> Result<HashMap<String, OdsSheet>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut sheets: HashMap<String, OdsSheet> = HashMap::new();
    let mut current: Option<String> = None;
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    let mut cell: Option<OpenCell> = None;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf)?;
        let is_empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    let name = attr(&e, "table:name").unwrap_or_default();
                    current = names.contains(&name.as_str()).then_some(name);
                    (row, col) = (0, 0);
                }
                "table:table-row" => {
                    row_repeat = repeat(&e, "table:number-rows-repeated");
                    col = 0;
                    if is_empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let columns = repeat(&e, "table:number-columns-repeated");
                    if let Some(sheet) = current.as_ref() {
                        let spanned = |key: &str| attr(&e, key).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
                        let (rows, cols) = (
                            spanned("table:number-rows-spanned"),
                            spanned("table:number-columns-spanned"),
                        );
                        if rows > 1 || cols > 1 {
                            let first = CellPos::new(row, col);
                            let last = CellPos::new(row.saturating_add(rows - 1), col.saturating_add(cols - 1));
                            sheets
                                .entry(sheet.clone())
                                .or_default()
                                .merges
                                .push(Merge { first, last });
                        }
                        let open = OpenCell {
                            pos: (row, col),
                            columns,
                            formula: attr(&e, "table:formula"),
                            value_type: attr(&e, "office:value-type"),
                            calc_type: attr(&e, "calcext:value-type"),
                            string_value: attr(&e, "office:string-value"),
                            paragraph: None,
                        };
                        if is_empty {
                            record(&mut sheets, sheet, open, row_repeat);
                        } else {
                            cell = Some(open);
                        }
                    }
                    col = col.saturating_add(columns);
                }
                "text:p" => {
                    if let Some(c) = cell.as_mut() {
                        c.paragraph.get_or_insert_with(String::new);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(p) = cell.as_mut().and_then(|c| c.paragraph.as_mut()) {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some(open), Some(sheet)) = (cell.take(), current.as_ref()) {
                        record(&mut sheets, sheet, open, row_repeat);
                    }
                }
                "table:table-row" => row = row.saturating_add(row_repeat),
                "table:table" => current = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Note a formula cell (and its repeats) in its sheet.
fn record(sheets: &mut HashMap<String, OdsSheet>, sheet: &str, cell: OpenCell, rows: u32) {
    let Some(formula) = cell.formula.as_deref() else {
        return;
    };
    let stored = stored(&cell, formula);
    let sheet = sheets.entry(sheet.to_owned()).or_default();
    for r in 0..rows.min(MAX_REPEAT) {
        for c in 0..cell.columns.min(MAX_REPEAT) {
            if sheet.formulas.len() >= MAX_FORMULAS {
                return;
            }
            let pos = (cell.pos.0.saturating_add(r), cell.pos.1.saturating_add(c));
            sheet.formulas.insert(pos, stored.clone());
        }
    }
}

/// How LibreOffice (and scripts) store a formula's result in an .ods.
fn stored(cell: &OpenCell, formula: &str) -> Stored {
    if cell.calc_type.as_deref() == Some("error") {
        let shown = cell.paragraph.clone().filter(|p| !p.is_empty());
        return Stored::Error(
            shown
                .or_else(|| cell.string_value.clone())
                .unwrap_or_else(|| "#VALUE!".into()),
        );
    }
    match cell.value_type.as_deref() {
        // LibreOffice writes an empty-string result as an empty paragraph and
        // no value type; a cell with no paragraph either was never calculated.
        None | Some("") => match cell.paragraph {
            Some(_) => Stored::EmptyString,
            None => Stored::Nothing,
        },
        // A script that wrote the formula's own text as its "value".
        Some("string") if cell.calc_type.is_none() => {
            let value = cell.string_value.as_deref().or(cell.paragraph.as_deref()).unwrap_or("");
            let bare = |s: &str| s.trim().trim_start_matches("of:").trim_start_matches('=').to_owned();
            if !value.is_empty() && bare(value) == bare(formula) {
                Stored::Nothing
            } else {
                Stored::Value
            }
        }
        Some(_) => Stored::Value,
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn repeat(e: &BytesStart<'_>, key: &str) -> u32 {
    attr(e, key).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
</table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;

    #[test]
    fn formula_results_and_merges_as_libreoffice_and_scripts_store_them() {
        let sheets = parse_content(ROW.as_bytes(), &["数据"]).unwrap();
        assert_eq!(sheets.len(), 1, "other sheets are not read");
        let s = &sheets["数据"];
        assert_eq!(s.formulas[&(2, 0)], Stored::Error("#DIV/0!".into()));
        assert_eq!(s.formulas[&(2, 1)], Stored::EmptyString);
        assert_eq!(s.formulas[&(2, 6)], Stored::Nothing);
        assert_eq!(s.formulas[&(2, 7)], Stored::Value);
        assert_eq!(
            s.formulas[&(2, 8)],
            Stored::Nothing,
            "a script's formula text as its value"
        );
        assert_eq!(
            s.merges,
            [Merge {
                first: CellPos::new(2, 4),
                last: CellPos::new(2, 5)
            }]
        );
    }
}
