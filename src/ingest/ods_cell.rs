//! One cell of an .ods content.xml: its value as calamine would read it
//! (the same attributes, in the same order of precedence, the same text
//! from its paragraphs), and how its formula's result is stored — what
//! calamine cannot tell: an empty-string result, a formula never
//! calculated, an error (see `cells.rs`).

use std::io::BufRead;

use calamine::Data;
use quick_xml::events::{BytesStart, Event};

use super::cells::Stored;
use super::limits::MAX_SHEET_TEXT_BYTES;
use super::open::OpenError;

/// A cell as read, before it is placed (it may repeat across columns, and
/// its row across rows).
#[derive(Debug, Clone)]
pub struct OdsCell {
    pub columns: u32,
    /// (rows, columns) spanned, when merged.
    pub span: (u32, u32),
    pub value: Data,
    /// The formula and how its result is stored.
    pub formula: Option<(String, Stored)>,
}

#[derive(Default)]
struct Attrs {
    columns: Option<u32>,
    span: (u32, u32),
    value: Option<Data>,
    is_string: bool,
    is_error: bool,
    /// Whether `calcext:value-type` is there (LibreOffice writes it).
    calc_type: bool,
    value_type: Option<String>,
    string_value: Option<String>,
    formula: Option<String>,
}

pub fn fail(e: impl std::fmt::Display) -> OpenError {
    OpenError::Corrupt(format!("content.xml：{e}"))
}

fn decoded(raw: &str) -> Result<String, OpenError> {
    quick_xml::escape::unescape(raw).map(|v| v.into_owned()).map_err(fail)
}

fn attrs(e: &BytesStart<'_>) -> Result<Attrs, OpenError> {
    let mut a = Attrs {
        span: (1, 1),
        ..Attrs::default()
    };
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(fail)?;
        let raw = attr.value.as_ref();
        let count = || raw.trim().parse::<u32>().ok().map(|n| n.max(1));
        match attr.key.as_ref() {
            "office:value" if a.value.is_none() => {
                let n = raw
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| fail(format!("数值“{raw}”无效")))?;
                a.value = Some(Data::Float(n));
            }
            key @ ("office:string-value" | "office:date-value" | "office:time-value") => {
                let v = decoded(raw)?;
                if key == "office:string-value" {
                    a.string_value = Some(v.clone());
                }
                if a.value.is_none() {
                    a.value = Some(match key {
                        "office:date-value" => Data::DateTimeIso(v),
                        "office:time-value" => Data::DurationIso(v),
                        _ => Data::String(v),
                    });
                }
            }
            "office:boolean-value" if a.value.is_none() => a.value = Some(Data::Bool(raw == "TRUE" || raw == "true")),
            "office:value-type" => {
                if a.value.is_none() {
                    a.is_string = raw == "string";
                }
                a.value_type = Some(raw.to_owned());
            }
            "calcext:value-type" => {
                a.calc_type = true;
                a.is_error = raw == "error";
            }
            "table:formula" => a.formula = Some(decoded(raw)?),
            "table:number-columns-repeated" => a.columns = count(),
            "table:number-rows-spanned" => a.span.0 = count().unwrap_or(1),
            "table:number-columns-spanned" => a.span.1 = count().unwrap_or(1),
            _ => {}
        }
    }
    Ok(a)
}

/// Read the cell that `e` opens (its content too, unless it is empty).
pub fn read_cell<R: BufRead>(
    xml: &mut quick_xml::Reader<R>,
    e: &BytesStart<'_>,
    has_content: bool,
) -> Result<OdsCell, OpenError> {
    let a = attrs(e)?;
    let paragraph = if has_content { content(xml)? } else { None };
    let text = paragraph.clone().unwrap_or_default();
    let value = match &a.value {
        // A string cell without a string value holds its text; LibreOffice
        // stores an error's text so too, with an empty string value.
        None if a.is_string => Data::String(text),
        Some(Data::String(s)) if a.is_error && s.is_empty() => Data::String(text),
        Some(v) => v.clone(),
        None => Data::Empty,
    };
    let formula = a.formula.clone().map(|f| {
        let stored = stored(&a, &f, paragraph.as_deref());
        (f, stored)
    });
    Ok(OdsCell {
        columns: a.columns.unwrap_or(1),
        span: a.span,
        value,
        formula,
    })
}

/// The text of a cell's paragraphs, as calamine joins them (`None`: the
/// cell has no paragraph at all).
fn content<R: BufRead>(xml: &mut quick_xml::Reader<R>) -> Result<Option<String>, OpenError> {
    let mut buf = Vec::new();
    let mut text: Option<String> = None;
    let push = |text: &mut Option<String>, s: &str| -> Result<(), OpenError> {
        let t = text.get_or_insert_with(String::new);
        if t.len() + s.len() > MAX_SHEET_TEXT_BYTES {
            return Err(OpenError::TooLarge(format!(
                "单元格文字超过 {} MB",
                MAX_SHEET_TEXT_BYTES >> 20
            )));
        }
        t.push_str(s);
        Ok(())
    };
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(fail)? {
            // A comment is not the cell's text.
            Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(fail)?;
            }
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "text:p" => match &mut text {
                    Some(_) => push(&mut text, "\n")?,
                    None => text = Some(String::new()),
                },
                "text:s" => {
                    let n = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "text:c")
                        .and_then(|a| a.value.trim().parse::<usize>().ok())
                        .unwrap_or(1);
                    push(&mut text, &" ".repeat(n.min(MAX_SHEET_TEXT_BYTES + 1)))?;
                }
                "text:tab" => push(&mut text, "\t")?,
                "text:line-break" => push(&mut text, "\n")?,
                _ => {}
            },
            Event::Text(t) => push(&mut text, &t.xml10_content())?,
            Event::GeneralRef(r) => {
                let name = r.as_ref();
                let resolved = match quick_xml::escape::resolve_predefined_entity(name) {
                    Some(s) => s.to_owned(),
                    None => match r.resolve_char_ref().map_err(fail)? {
                        Some(c) => c.to_string(),
                        None => return Err(fail(format!("未知实体 &{name};"))),
                    },
                };
                push(&mut text, &resolved)?;
            }
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                return Ok(text);
            }
            Event::Eof => return Err(fail("单元格未结束")),
            _ => {}
        }
    }
}

/// How LibreOffice (and scripts) store a formula's result in an .ods.
fn stored(a: &Attrs, formula: &str, paragraph: Option<&str>) -> Stored {
    if a.is_error {
        let shown = paragraph.filter(|p| !p.is_empty()).map(str::to_owned);
        return Stored::Error(
            shown
                .or_else(|| a.string_value.clone())
                .unwrap_or_else(|| "#VALUE!".into()),
        );
    }
    match a.value_type.as_deref() {
        // LibreOffice writes an empty-string result as an empty paragraph and
        // no value type; a cell with no paragraph either was never calculated.
        None | Some("") => match paragraph {
            Some(_) => Stored::EmptyString,
            None => Stored::Nothing,
        },
        // A script that wrote the formula's own text as its "value".
        Some("string") if !a.calc_type => {
            let value = a.string_value.as_deref().or(paragraph).unwrap_or("");
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
