//! The scan of an .xlsx sheet's XML that runs before calamine reads it: its
//! merged areas, and no shared-formula index (`si`) past the limit (calamine
//! sizes a table by it). Only `<f>` and `<mergeCell>` tags matter, so the
//! scan jumps from `<` to `<` over the bytes instead of parsing every event:
//! it was a third of reading a workbook. Text cannot hold a raw `<`;
//! comments, CDATA and processing instructions are skipped whole. Whether
//! the XML is well-formed is calamine's to say when it reads the sheet.

use memchr::{memchr, memchr2, memmem};

use super::grid::Merge;
use super::limits::{MAX_MERGES, MAX_SHARED_FORMULAS};
use super::open::OpenError;
use super::xlsx::cell_ref;

/// Merged areas of the sheet `name` (its XML in `xml`), at most
/// [`MAX_MERGES`]; an error if a shared-formula index reaches
/// [`MAX_SHARED_FORMULAS`].
pub(super) fn scan(xml: &[u8], name: &str) -> Result<Vec<Merge>, OpenError> {
    let mut merges = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr(b'<', &xml[at..]) {
        let start = at + found + 1;
        let rest = &xml[start..];
        // Markup that is not an element: skip to its end.
        if matches!(rest.first(), Some(b'!' | b'?')) {
            let skip = |open: &[u8], close: &[u8]| {
                rest.starts_with(open).then(|| {
                    memmem::find(&rest[open.len()..], close).map_or(xml.len(), |e| start + open.len() + e + close.len())
                })
            };
            if let Some(end) = skip(b"!--", b"-->")
                .or_else(|| skip(b"![CDATA[", b"]]>"))
                .or_else(|| skip(b"?", b"?>"))
            {
                at = end;
                continue;
            }
        }
        let name_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(rest.len());
        let tag = &rest[..name_len];
        let local = tag.rsplit(|&b| b == b':').next().unwrap_or(tag);
        // Only two elements' attributes matter. An attribute value cannot
        // hold a raw `<`, so any other tag is passed by looking for the
        // next `<` from its name on (most tags are `<c>`, `<v>`, `<row>`).
        if local != b"f" && local != b"mergeCell" {
            at = start + name_len;
            continue;
        }
        let (attrs, end) = attributes(&rest[name_len..]);
        at = start + name_len + end;
        match local {
            b"f" => {
                if let Some(si) = attrs.iter().find(|(k, _)| *k == b"si").map(|(_, v)| *v) {
                    let index = std::str::from_utf8(si)
                        .ok()
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(u64::MAX);
                    if index >= MAX_SHARED_FORMULAS {
                        return Err(OpenError::TooLarge(format!(
                            "工作表“{name}”的共享公式编号超过 {MAX_SHARED_FORMULAS}"
                        )));
                    }
                }
            }
            b"mergeCell" if merges.len() < MAX_MERGES => {
                let area = attrs
                    .iter()
                    .find(|(k, _)| *k == b"ref")
                    .and_then(|(_, v)| std::str::from_utf8(v).ok())
                    .and_then(merge_area);
                merges.extend(area);
            }
            _ => {}
        }
    }
    Ok(merges)
}

type Attr<'a> = (&'a [u8], &'a [u8]);

/// The attributes of a start tag from just after its name (local names,
/// values unescaped only as far as digits and cell references need), and
/// where the tag ends. Values are quoted and may hold `>`.
fn attributes(tag: &[u8]) -> (Vec<Attr<'_>>, usize) {
    let mut attrs = Vec::new();
    let mut i = 0;
    loop {
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        match tag.get(i) {
            None => return (attrs, tag.len()),
            Some(b'>') => return (attrs, i + 1),
            Some(b'/') => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let Some(eq) = memchr2(b'=', b'>', &tag[i..]) else {
            return (attrs, tag.len());
        };
        if tag[i + eq] == b'>' {
            return (attrs, i + eq + 1);
        }
        let key = tag[i..i + eq].trim_ascii();
        let key = key.rsplit(|&b| b == b':').next().unwrap_or(key);
        i += eq + 1;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let Some(&quote) = tag.get(i).filter(|q| matches!(q, b'"' | b'\'')) else {
            return (attrs, tag.len());
        };
        let Some(len) = memchr(quote, &tag[i + 1..]) else {
            return (attrs, tag.len());
        };
        attrs.push((key, &tag[i + 1..i + 1 + len]));
        i += len + 2;
    }
}

/// `E7:G7` (or a single cell) as a merged area.
pub(super) fn merge_area(range: &str) -> Option<Merge> {
    let (first, last) = range.split_once(':').unwrap_or((range, range));
    Some(Merge {
        first: cell_ref(first)?,
        last: cell_ref(last)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::CellPos;

    fn area(a: &str) -> Merge {
        merge_area(a).unwrap()
    }

    #[test]
    fn merges_are_found_with_or_without_a_prefix() {
        let xml = br#"<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a &lt;mergeCell ref="Z9:Z10"/&gt; b</t></is></c></row></sheetData>
<mergeCells count="2"><mergeCell ref="E7:G7"/><x:mergeCell  ref = 'B2:C3' /></mergeCells></worksheet>"#;
        assert_eq!(scan(xml, "数据").unwrap(), vec![area("E7:G7"), area("B2:C3")]);
        assert_eq!(area("E7:G7").first, CellPos::new(6, 4));
    }

    #[test]
    fn a_shared_formula_index_past_the_limit_is_too_large() {
        let ok = br#"<worksheet><c r="P5"><f t="shared" ref="P5:P9" si="3">SUM(D5:O5)</f><v>1</v></c></worksheet>"#;
        assert!(scan(ok, "数据").is_ok());
        for si in ["100000", "99999999999999999999999", "x"] {
            let xml = format!(r#"<worksheet><c r="P5"><x:f t="shared" si="{si}"/></c></worksheet>"#);
            assert!(
                matches!(scan(xml.as_bytes(), "数据"), Err(OpenError::TooLarge(_))),
                "{si}"
            );
        }
    }

    #[test]
    fn comments_and_cdata_hold_no_tags() {
        let xml = br#"<worksheet><!-- <f si="999999999"/> --><![CDATA[<mergeCell ref="A1:B1"/>]]><mergeCell ref="A2:B2"/></worksheet>"#;
        assert_eq!(scan(xml, "数据").unwrap(), vec![area("A2:B2")]);
    }

    #[test]
    fn other_tags_are_passed_whatever_their_attributes_hold() {
        // A skipped tag's values may hold `>` and look like the tags that
        // matter; only real `<f>` and `<mergeCell>` elements count.
        let xml = br#"<worksheet><row r="1" x:note='f si="999999999" mergeCell ref="A1:B1"' y="a>b"><c r="A1"><v>1</v></c></row><mergeCell ref="C1:D1"/></worksheet>"#;
        assert_eq!(scan(xml, "数据").unwrap(), vec![area("C1:D1")]);
    }

    #[test]
    fn a_value_may_hold_a_closing_bracket() {
        let xml = br#"<worksheet><c r="A1"><f>IF(A2>1,1,0)</f></c><c r="B1"><f aca="a>b" si="7"/></c><mergeCell ref="C1:D1"/></worksheet>"#;
        assert_eq!(scan(xml, "数据").unwrap(), vec![area("C1:D1")]);
    }
}
