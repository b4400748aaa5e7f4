//! A receipt's .xlsx package. The parts every receipt shares (content
//! types, relationships, workbook, styles, theme, app properties) are
//! deflated once per run and copied into each receipt as compressed bytes;
//! only the sheet and the document properties are written per receipt.
//!
//! The parts (in `parts`) are the ones rust_xlsxwriter wrote for the
//! receipt, tested against it below, without the shared-strings table: the
//! sheet holds its text inline.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use zip::result::ZipResult;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::parts::{CORE_START, SHARED, SHEET_AT, SHEET_COLUMNS, SHEET_END, SHEET_START};
use super::sheet::{push_escaped, Sheet};

/// A receipt's document properties; `created` is a date from the data
/// (never the clock), so the same input gives the same bytes.
pub struct Properties<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: (i32, u32, u32),
}

/// The receipt's .xlsx: `sheet` as the one worksheet, 回执.
pub fn xlsx(sheet: Sheet, properties: &Properties<'_>) -> ZipResult<Vec<u8>> {
    let (dimension, data, merges) = sheet.finish();
    let mut shared = shared_parts().clone();
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(12 * 1024)));
    // The parts in rust_xlsxwriter's order; the sheet and core.xml go where
    // it put them.
    for i in 0..SHEET_AT {
        zip.raw_copy_file(shared.by_index_raw(i)?)?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated(FAST))?;
    for part in [
        SHEET_START,
        &dimension,
        SHEET_COLUMNS,
        &data,
        "</sheetData>",
        &merges,
        SHEET_END,
    ] {
        zip.write_all(part.as_bytes())?;
    }
    // Stored: deflating its 700 bytes would cost a compressor's set-up,
    // about a tenth of the receipt's time, to save 300 bytes.
    zip.start_file("docProps/core.xml", stored())?;
    zip.write_all(core(properties).as_bytes())?;
    for i in SHEET_AT..shared.len() {
        zip.raw_copy_file(shared.by_index_raw(i)?)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Deflate level for the sheet. Level 3 makes files 10% smaller for a
/// third more time in this stage; level 1 it is, as before.
const FAST: i64 = 1;

fn deflated(level: i64) -> SimpleFileOptions {
    stored()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
}

/// A fixed time stamp: the same input gives the same bytes.
fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::DEFAULT)
}

/// The shared parts deflated at the best level, once per run, as a zip
/// whose entries are copied into each receipt without recompressing.
fn shared_parts() -> &'static ZipArchive<Cursor<&'static [u8]>> {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    static ARCHIVE: OnceLock<ZipArchive<Cursor<&'static [u8]>>> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let bytes = BYTES.get_or_init(|| {
            let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
            for (name, xml) in SHARED {
                zip.start_file(name, deflated(9)).expect("an in-memory zip");
                zip.write_all(xml.as_bytes()).expect("an in-memory zip");
            }
            zip.finish().expect("an in-memory zip").into_inner()
        });
        ZipArchive::new(Cursor::new(bytes.as_slice())).expect("the zip just written")
    })
}

fn core(p: &Properties<'_>) -> String {
    let mut xml = String::with_capacity(1024);
    xml.push_str(CORE_START);
    for (tag, text) in [
        ("dc:title", p.title),
        ("dc:creator", p.author),
        ("cp:lastModifiedBy", p.author),
    ] {
        if tag == "dc:title" && text.is_empty() {
            continue;
        }
        xml.push_str(&format!("<{tag}>"));
        push_escaped(&mut xml, text, false);
        xml.push_str(&format!("</{tag}>"));
    }
    let (y, m, d) = p.created;
    let date = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    for tag in ["dcterms:created", "dcterms:modified"] {
        xml.push_str(&format!(r#"<{tag} xsi:type="dcterms:W3CDTF">{date}</{tag}>"#));
    }
    xml.push_str("</cp:coreProperties>");
    xml
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

    use super::*;
    use crate::render::receipts::sheet::Style;

    /// The formats receipts asked rust_xlsxwriter for, in [`Style`]'s order.
    fn formats() -> Vec<(Style, Format)> {
        let base = Format::new().set_font_name("宋体").set_font_size(10.5);
        let boxed = base.clone().set_border(FormatBorder::Thin);
        let mut formats = vec![
            (
                Style::Title,
                base.clone().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            ),
            (
                Style::Label,
                boxed.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2)),
            ),
            (
                Style::Text,
                boxed.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter),
            ),
            (
                Style::Header,
                boxed
                    .clone()
                    .set_bold()
                    .set_align(FormatAlign::Center)
                    .set_background_color(Color::RGB(0xD9E2F3)),
            ),
        ];
        for d in 0..=6u8 {
            let pattern = if d == 0 {
                "0".to_owned()
            } else {
                format!("0.{}", "0".repeat(d.into()))
            };
            formats.push((Style::Number(d), boxed.clone().set_num_format(pattern)));
        }
        formats.push((Style::Error, boxed.set_font_color(Color::RGB(0xC00000)).set_text_wrap()));
        formats.push((Style::Note, Format::new().set_font_name("宋体")));
        formats
    }

    /// The parts of a package, in order.
    fn parts(bytes: Vec<u8>) -> Vec<(String, String)> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).unwrap();
                let mut text = String::new();
                file.read_to_string(&mut text).unwrap();
                (file.name().unwrap().into_owned(), text)
            })
            .collect()
    }

    /// rust_xlsxwriter's sheet with each shared string put inline, as
    /// ours holds it, and without the optional `spans` of its rows.
    fn inline_strings(sheet: &str, shared: &str) -> String {
        let mut sheet = sheet.to_owned();
        while let Some(at) = sheet.find(" spans=\"") {
            let end = at + 8 + sheet[at + 8..].find('"').unwrap() + 1;
            sheet.replace_range(at..end, "");
        }
        let items = shared.split("<si>").skip(1);
        for (i, item) in items.enumerate() {
            let t = &item[..item.find("</si>").unwrap()];
            sheet = sheet.replace(
                &format!(r#"t="s"><v>{i}</v>"#),
                &format!(r#"t="inlineStr"><is>{t}</is>"#),
            );
        }
        sheet
    }

    #[test]
    fn the_package_is_what_rust_xlsxwriter_wrote_for_the_same_receipt() {
        let (title, author) = ("甲<&>\"单位\u{1}_x0041_回执", "工委 & 办公室");
        let mut book = Workbook::new();
        book.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&ExcelDateTime::from_ymd(2016, 1, 10).unwrap())
                .set_title(title)
                .set_author(author),
        );
        let ws = book.add_worksheet();
        ws.set_name("回执").unwrap();
        ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        ws.set_footer("&C第 &P 页，共 &N 页");
        for (col, width) in [(0, 20.0), (1, 30.0), (2, 7.0)]
            .into_iter()
            .chain((3..=15).map(|c| (c, 7.5)))
        {
            ws.set_column_width(col, width).unwrap();
        }
        let mut sheet = Sheet::new();

        let formats = formats();
        ws.merge_range(0, 0, 0, 15, "标题", &formats[0].1).unwrap();
        sheet.row(0);
        sheet.merged(0, 15, "标题", Style::Title);
        // Every style in its order, so rust_xlsxwriter numbers them as ours.
        sheet.tall_row(2, 30.0);
        ws.set_row_height(2, 30).unwrap();
        for (col, (style, format)) in formats.iter().enumerate() {
            let text = [" 前有空格", "a<b>&c\"", "控制\u{7}字符", "_x0041_", "后有换行\n"][col % 5];
            ws.write_string_with_format(2, col as u16, text, format).unwrap();
            sheet.text(col as u16, text, *style);
        }
        sheet.row(3);
        for (col, value) in [0.0, -1.5, 12345678.9, 1e-7, 2e20, f64::NAN].into_iter().enumerate() {
            let (style, format) = &formats[4 + col];
            ws.write_number_with_format(3, col as u16, value, format).unwrap();
            sheet.number(col as u16, value, *style);
        }
        ws.write_blank(3, 10, &formats[10].1).unwrap();
        sheet.blank(10, Style::Number(6));
        sheet.tall_row(5, 45.0);
        ws.set_row_height(5, 45).unwrap();
        ws.merge_range(5, 2, 5, 15, "说明", &formats[11].1).unwrap();
        sheet.merged(2, 15, "说明", Style::Error);
        let theirs = parts(book.save_to_buffer().unwrap());

        let properties = Properties {
            title,
            author,
            created: (2016, 1, 10),
        };
        let ours = parts(xlsx(sheet, &properties).unwrap());

        let shared = &theirs
            .iter()
            .find(|(name, _)| name == "xl/sharedStrings.xml")
            .unwrap()
            .1;
        let theirs: Vec<(String, String)> = theirs
            .iter()
            .filter(|(name, _)| name != "xl/sharedStrings.xml")
            .map(|(name, xml)| {
                let xml = match name.as_str() {
                    "xl/worksheets/sheet1.xml" => inline_strings(xml, shared),
                    "[Content_Types].xml" => xml.replace(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#, ""),
                    "xl/_rels/workbook.xml.rels" => xml.replace(r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#, ""),
                    _ => xml.clone(),
                };
                (name.clone(), xml)
            })
            .collect();
        let names = |parts: &[(String, String)]| parts.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&theirs));
        for ((name, ours), (_, theirs)) in ours.iter().zip(&theirs) {
            assert_eq!(ours, theirs, "{name}");
        }
    }

    #[test]
    fn the_same_receipt_gives_the_same_bytes() {
        let receipt = || {
            let mut sheet = Sheet::new();
            sheet.row(0);
            sheet.merged(0, 15, "标题", Style::Title);
            let properties = Properties {
                title: "回执",
                author: "工委",
                created: (2016, 1, 10),
            };
            xlsx(sheet, &properties).unwrap()
        };
        assert_eq!(receipt(), receipt());
    }
}
