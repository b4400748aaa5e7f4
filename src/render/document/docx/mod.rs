//! report.docx from the document model, in the layout of GB/T 9704 (党政机关
//! 公文格式): A4, margins 37/35/28/26 mm, named styles, page numbers
//! "— 1 —" in the footer.
//!
//! The package is written part by part into a zip rather than with docx-rs
//! 0.4, which cannot repeat a table's header row (`w:tblHeader`), gives every
//! drawing the id 1 (Word may then call the file unreadable) and has no
//! image description; each part here is a few lines of XML in schema order.

mod body;
mod parts;
mod styles;
mod table;

use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;
use zip::write::SimpleFileOptions;

use super::clean::is_allowed;
use super::model::Document;
use super::DocMeta;
use body::Body;

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

/// A4 and its margins in twips (1/1440 inch): top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm; the text is 156 × 225 mm.
const PAGE: (u32, u32) = (11906, 16838);
const MARGIN_TOP: u32 = 2098;
const MARGIN_BOTTOM: u32 = 1984;
const MARGIN_LEFT: u32 = 1587;
const MARGIN_RIGHT: u32 = 1474;
pub const TEXT_WIDTH: u32 = PAGE.0 - MARGIN_LEFT - MARGIN_RIGHT;
pub const TEXT_HEIGHT: u32 = PAGE.1 - MARGIN_TOP - MARGIN_BOTTOM;
/// The footer's foot 23 mm above the paper's edge: the page number sits
/// about 7 mm below the text, as GB/T 9704 asks.
const FOOTER: u32 = 1304;
pub const EMU_PER_TWIP: u64 = 635;

pub fn docx(doc: &Document, images: &HashMap<String, Vec<u8>>, meta: &DocMeta) -> Result<Vec<u8>> {
    let mut body = Body::new(images);
    body.blocks(&doc.blocks, 0);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}"><w:body>{}{}</w:body></w:document>"#,
        body.out,
        section()
    );

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time stamp: the same input gives the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT);
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    put("[Content_Types].xml", parts::content_types().as_bytes())?;
    put("_rels/.rels", parts::package_rels().as_bytes())?;
    put("docProps/core.xml", parts::core(meta).as_bytes())?;
    put("docProps/app.xml", parts::app(meta).as_bytes())?;
    put("word/document.xml", document.as_bytes())?;
    put(
        "word/_rels/document.xml.rels",
        parts::document_rels(body.media.len(), &body.links).as_bytes(),
    )?;
    put("word/styles.xml", styles::styles_xml().as_bytes())?;
    put("word/settings.xml", parts::settings().as_bytes())?;
    put("word/fontTable.xml", styles::font_table_xml().as_bytes())?;
    put("word/footer1.xml", parts::footer(false).as_bytes())?;
    put("word/footer2.xml", parts::footer(true).as_bytes())?;
    for (i, png) in body.media.iter().enumerate() {
        put(&format!("word/media/image{}.png", i + 1), png)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The one section: A4, the margins, odd pages numbered on the right and
/// even pages on the left.
fn section() -> String {
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER}" w:gutter="0"/><w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/></w:sectPr>"#,
        PAGE.0, PAGE.1
    )
}

/// Text and attribute values for XML: escaped, and without the characters
/// XML cannot carry (the text was cleaned before; this is the last guard).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| is_allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::render::document::parse::parse;

    /// A 4 × 2 PNG (only its header is read).
    fn png() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(4u32.to_be_bytes());
        png.extend(2u32.to_be_bytes());
        png
    }

    fn document_xml(md: &str) -> String {
        let images = HashMap::from([("a.png".to_owned(), png())]);
        let bytes = docx(&parse(md), &images, &DocMeta::default()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn every_picture_has_its_own_id_and_description() {
        let xml = document_xml("![甲](a.png)\n\n文字 ![乙](a.png) 文字\n\n![丙](missing.png)\n");
        assert!(xml.contains(r#"<wp:docPr id="1" name="图1" descr="甲"/>"#), "{xml}");
        assert!(xml.contains(r#"<wp:docPr id="2" name="图片2" descr="乙"/>"#), "{xml}");
        assert_eq!(
            xml.matches("<wp:docPr ").count(),
            2,
            "a missing image is its caption only"
        );
        assert!(
            xml.contains(">图2 丙<"),
            "figures are numbered apart from pictures in text"
        );
        // The figure fills the text width; the picture in text keeps its size
        // (4 px at 96 dpi) and lifts the exact line spacing that would clip it.
        let (width, height) = (TEXT_WIDTH as u64 * EMU_PER_TWIP, (TEXT_WIDTH / 2) as u64 * EMU_PER_TWIP);
        assert!(
            xml.contains(&format!(r#"<wp:extent cx="{width}" cy="{height}"/>"#)),
            "{xml}"
        );
        assert!(xml.contains(r#"<wp:extent cx="38100" cy="19050"/>"#));
        assert!(xml.contains(r#"<w:pStyle w:val="Normal"/><w:spacing w:line="240" w:lineRule="auto"/>"#));
    }

    #[test]
    fn a_page_break_goes_to_what_follows_even_a_table() {
        let xml = document_xml("前\n\n***\n\n## 附件\n\n***\n\n| a |\n|---|\n| 1 |\n");
        assert!(
            xml.contains(r#"<w:pStyle w:val="Heading1"/><w:pageBreakBefore/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<w:pStyle w:val="Normal"/><w:pageBreakBefore/><w:spacing w:line="20" w:lineRule="exact"/></w:pPr></w:p><w:tbl>"#),
            "{xml}"
        );
        assert_eq!(xml.matches("<w:pageBreakBefore/>").count(), 2);
    }
}
