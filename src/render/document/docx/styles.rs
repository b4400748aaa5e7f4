//! styles.xml: the GB/T 9704 look as named styles, so the office changes a
//! font or a size once (Word: 样式; WPS: 样式和格式) instead of in every
//! paragraph. Headings carry outline levels for the navigation pane and the
//! table of contents; every style names its East Asian font.

use super::W_NS;

/// Sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt.
const ERHAO: u32 = 44;
const SANHAO: u32 = 32;
const SIHAO: u32 = 28;
const XIAOSI: u32 = 24;
const WUHAO: u32 = 21;

/// The fonts of a 公文; Word and WPS substitute by fontTable.xml where one
/// is missing (方正小标宋简体 → 宋体).
pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋";
pub const HEI: &str = "黑体";
pub const KAI: &str = "楷体";
pub const SONG: &str = "宋体";
const LATIN: &str = "Times New Roman";
const MONO: &str = "Courier New";

/// Exact line spacing of body text: 28pt, 22 lines on the page.
pub const BODY_LINE: u32 = 560;
/// One Chinese character of body text, in twentieths of a point.
pub const BODY_CHAR: u32 = 320;

fn fonts(latin: &str, east_asia: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>"#)
}

fn size(half_points: u32) -> String {
    format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#)
}

const NO_INDENT: &str = r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#;
const SINGLE: &str = r#"<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>"#;

/// One `w:style`; `ppr` and `rpr` hold their children in schema order.
fn style(kind: &str, id: &str, name: &str, based_on: Option<&str>, ppr: &str, rpr: &str) -> String {
    let mut s = format!(r#"<w:style w:type="{kind}" w:styleId="{id}"><w:name w:val="{name}"/>"#);
    if let Some(b) = based_on {
        s.push_str(&format!(r#"<w:basedOn w:val="{b}"/>"#));
    }
    if kind == "paragraph" {
        s.push_str(r#"<w:next w:val="Normal"/>"#);
    }
    s.push_str("<w:qFormat/>");
    if !ppr.is_empty() {
        s.push_str(&format!("<w:pPr>{ppr}</w:pPr>"));
    }
    s.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
    s.push_str("</w:style>");
    s
}

fn heading(level: u8, font: &str, bold: bool) -> String {
    let b = if bold {
        "<w:b/><w:bCs/>"
    } else {
        r#"<w:b w:val="0"/><w:bCs w:val="0"/>"#
    };
    style(
        "paragraph",
        &format!("Heading{level}"),
        &format!("heading {level}"),
        Some("Normal"),
        &format!(r#"<w:keepNext/><w:keepLines/><w:outlineLvl w:val="{}"/>"#, level - 1),
        &format!("{}{b}{}", fonts(LATIN, font), size(SANHAO)),
    )
}

pub fn styles_xml() -> String {
    let defaults = format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr>{}{}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(LATIN, BODY_FONT),
        size(SANHAO)
    );
    let normal = format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{BODY_LINE}" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="{}"/><w:jc w:val="both"/></w:pPr><w:rPr>{}{}</w:rPr></w:style>"#,
        2 * BODY_CHAR,
        fonts(LATIN, BODY_FONT),
        size(SANHAO)
    );
    let styles = [
        normal,
        style(
            "paragraph",
            "Title",
            "Title",
            Some("Normal"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="0" w:after="{BODY_LINE}" w:line="700" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>"#
            ),
            &format!(
                r#"{}<w:b w:val="0"/><w:bCs w:val="0"/>{}"#,
                fonts(LATIN, TITLE_FONT),
                size(ERHAO)
            ),
        ),
        style(
            "paragraph",
            "Subtitle",
            "Subtitle",
            Some("Normal"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="0" w:after="{BODY_LINE}" w:line="{BODY_LINE}" w:lineRule="exact"/>{NO_INDENT}<w:contextualSpacing/><w:jc w:val="center"/>"#
            ),
            &format!("{}{}", fonts(LATIN, KAI), size(SANHAO)),
        ),
        heading(1, HEI, false),
        heading(2, KAI, false),
        heading(3, BODY_FONT, true),
        heading(4, BODY_FONT, false),
        style(
            "paragraph",
            "Figure",
            "Figure",
            Some("Normal"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/>{NO_INDENT}<w:jc w:val="center"/>"#
            ),
            &fonts(LATIN, BODY_FONT),
        ),
        style(
            "paragraph",
            "Caption",
            "caption",
            Some("Normal"),
            &format!(
                r#"<w:spacing w:before="0" w:after="{}"/>{NO_INDENT}<w:jc w:val="center"/>"#,
                BODY_LINE / 2
            ),
            &format!("{}{}", fonts(LATIN, BODY_FONT), size(SIHAO)),
        ),
        style(
            "paragraph",
            "TableText",
            "Table Text",
            Some("Normal"),
            &format!(r#"{SINGLE}{NO_INDENT}<w:jc w:val="left"/>"#),
            &format!("{}{}", fonts(LATIN, BODY_FONT), size(XIAOSI)),
        ),
        style(
            "paragraph",
            "TableHeading",
            "Table Heading",
            Some("TableText"),
            r#"<w:keepNext/><w:jc w:val="center"/>"#,
            &format!("{}{}", fonts(LATIN, HEI), size(XIAOSI)),
        ),
        style(
            "paragraph",
            "TableTextSmall",
            "Table Text Small",
            Some("TableText"),
            "",
            &format!("{}{}", fonts(LATIN, BODY_FONT), size(WUHAO)),
        ),
        style(
            "paragraph",
            "TableHeadingSmall",
            "Table Heading Small",
            Some("TableHeading"),
            "",
            &format!("{}{}", fonts(LATIN, HEI), size(WUHAO)),
        ),
        style(
            "paragraph",
            "List",
            "List",
            Some("Normal"),
            "",
            &fonts(LATIN, BODY_FONT),
        ),
        style(
            "paragraph",
            "Quote",
            "Quote",
            Some("Normal"),
            &format!(r#"<w:ind w:leftChars="200" w:left="{}"/>"#, 2 * BODY_CHAR),
            &fonts(LATIN, KAI),
        ),
        style(
            "paragraph",
            "PlainText",
            "Plain Text",
            Some("Normal"),
            &format!("{SINGLE}{NO_INDENT}<w:jc w:val=\"left\"/>"),
            &format!("{}{}", fonts(MONO, BODY_FONT), size(XIAOSI)),
        ),
        style(
            "paragraph",
            "Footer",
            "footer",
            Some("Normal"),
            &format!("{SINGLE}{NO_INDENT}"),
            &format!("{}{}", fonts(SONG, SONG), size(SIHAO)),
        ),
        style(
            "character",
            "Hyperlink",
            "Hyperlink",
            None,
            "",
            &format!(
                r#"{}<w:color w:val="0563C1"/><w:u w:val="single"/>"#,
                fonts(LATIN, BODY_FONT)
            ),
        ),
        style(
            "character",
            "VerbatimChar",
            "Verbatim Char",
            None,
            "",
            &fonts(MONO, BODY_FONT),
        ),
        table_grid(),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">{defaults}{}</w:styles>"#,
        styles.concat()
    )
}

/// Tables: thin lines all round; the text style is in the paragraphs.
fn table_grid() -> String {
    let line = |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| line(s))
        .collect();
    format!(
        r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:qFormat/><w:rPr>{}{}</w:rPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders><w:tblCellMar><w:left w:w="{m}" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        fonts(LATIN, BODY_FONT),
        size(XIAOSI),
        m = crate::render::document::layout::CELL_MARGIN
    )
}

/// The fonts the styles name, with what to use where one is missing.
pub fn font_table_xml() -> String {
    let font = |name: &str, alt: &str, panose: Option<&str>| {
        let panose = panose
            .map(|p| format!(r#"<w:panose1 w:val="{p}"/>"#))
            .unwrap_or_default();
        format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/>{panose}<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
        )
    };
    let fonts = [
        font(TITLE_FONT, SONG, Some("02010600030101010101")),
        font(BODY_FONT, "仿宋_GB2312", None),
        font(KAI, "楷体_GB2312", None),
        font(HEI, "SimHei", None),
        font(SONG, "SimSun", Some("02010600030101010101")),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W_NS}"><w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>{}</w:fonts>"#,
        fonts.concat()
    )
}
