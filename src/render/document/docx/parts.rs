//! The package's small parts: content types, relationships, document
//! properties (title, organisation, a date from the data — never the clock),
//! settings and the two page-number footers.

use super::{esc, R_NS, W_NS};
use crate::render::document::DocMeta;

const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

pub fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let overrides = [
        ("/word/document.xml", format!("{main}.document.main+xml")),
        ("/word/styles.xml", format!("{main}.styles+xml")),
        ("/word/settings.xml", format!("{main}.settings+xml")),
        ("/word/fontTable.xml", format!("{main}.fontTable+xml")),
        ("/word/footer1.xml", format!("{main}.footer+xml")),
        ("/word/footer2.xml", format!("{main}.footer+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
        ),
    ];
    let mut xml = format!(
        r#"{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>"#
    );
    for (part, kind) in overrides {
        xml.push_str(&format!(r#"<Override PartName="{part}" ContentType="{kind}"/>"#));
    }
    xml.push_str("</Types>");
    xml
}

pub fn package_rels() -> String {
    format!(
        r#"{XML_HEAD}<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{REL_TYPE}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL_TYPE}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

/// The body's relationships: styles and friends, `images` PNGs, `links`.
pub fn document_rels(images: usize, links: &[String]) -> String {
    let mut xml = format!(
        r#"{XML_HEAD}<Relationships xmlns="{REL_NS}"><Relationship Id="rIdStyles" Type="{REL_TYPE}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="{REL_TYPE}/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="{REL_TYPE}/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="{REL_TYPE}/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="{REL_TYPE}/footer" Target="footer2.xml"/>"#
    );
    for i in 1..=images {
        xml.push_str(&format!(
            r#"<Relationship Id="rIdImage{i}" Type="{REL_TYPE}/image" Target="media/image{i}.png"/>"#
        ));
    }
    for (i, link) in links.iter().enumerate() {
        xml.push_str(&format!(
            r#"<Relationship Id="rIdLink{}" Type="{REL_TYPE}/hyperlink" Target="{}" TargetMode="External"/>"#,
            i + 1,
            esc(&uri(link))
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// Word refuses a relationship whose target is not a URI: encode what a
/// URI cannot hold as it is (Chinese, spaces, quotes).
fn uri(link: &str) -> String {
    let mut out = String::with_capacity(link.len());
    for b in link.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@' | b'!' | b'$' | b'&' => {
                out.push(b as char)
            }
            b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'%' | b'\'' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Title and organisation; created and modified on the report's date (from
/// `--as-of` or the data), left out when there is none.
pub fn core(meta: &DocMeta) -> String {
    let date = meta
        .date
        .map(|d| {
            let d = d.format("%Y-%m-%dT00:00:00Z");
            format!(
                r#"<dcterms:created xsi:type="dcterms:W3CDTF">{d}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{d}</dcterms:modified>"#
            )
        })
        .unwrap_or_default();
    let org = esc(&meta.organisation);
    format!(
        r#"{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{org}</dc:creator><cp:lastModifiedBy>{org}</cp:lastModifiedBy><dc:language>zh-CN</dc:language>{date}</cp:coreProperties>"#,
        esc(&meta.title)
    )
}

pub fn app(meta: &DocMeta) -> String {
    format!(
        r#"{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Company>{}</Company><Application>annual-report</Application></Properties>"#,
        esc(&meta.organisation)
    )
}

/// Odd and even footers differ (GB/T 9704), Word 2013+ layout, Chinese
/// punctuation not compressed.
pub fn settings() -> String {
    format!(
        r#"{XML_HEAD}<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"#
    )
}

/// "— 1 —" in 宋体 四号 (the Footer style), a PAGE field between the dashes:
/// on the right of odd pages, on the left of even ones, one character in.
pub fn footer(even: bool) -> String {
    let place = match even {
        false => r#"<w:ind w:right="280"/><w:jc w:val="right"/>"#,
        true => r#"<w:ind w:left="280"/><w:jc w:val="left"/>"#,
    };
    let text = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    let field = |kind: &str| format!(r#"<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>"#);
    format!(
        r#"{XML_HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>{place}</w:pPr>{}{}<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>{}{}{}{}</w:p></w:ftr>"#,
        text("— "),
        field("begin"),
        field("separate"),
        text("1"),
        field("end"),
        text(" —"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_are_uris() {
        assert_eq!(uri("https://例.cn/a b?x=\"1\""), "https://%E4%BE%8B.cn/a%20b?x=%221%22");
        assert_eq!(uri("charts/01-1.svg"), "charts/01-1.svg");
    }
}
