//! report.html from the document model: one self-contained file (images
//! inline as `data:` URIs) in a small page shell whose print CSS lays it out
//! like report.docx — A4, the same margins, fonts and page breaks. A link to
//! an anchor in a table row (a figure to its sources) carries that row as
//! its tooltip.

mod table;

use std::collections::HashMap;
use std::fmt::Write;

use base64::Engine;

use super::image;
use super::model::{Block, Document, Inline};
use super::DocMeta;

/// The page shell's style: the 公文 look on screen and on paper. Kept here,
/// not in a template, because the content is the Markdown's and the layout
/// must match the Word document's.
const CSS: &str = include_str!("page.css");

pub fn html(doc: &Document, images: &HashMap<String, Vec<u8>>, meta: &DocMeta) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&meta.title));
    if !meta.organisation.is_empty() {
        let _ = writeln!(out, "<meta name=\"author\" content=\"{}\">", esc(&meta.organisation));
    }
    if let Some(date) = meta.date {
        let _ = writeln!(out, "<meta name=\"date\" content=\"{}\">", date.format("%Y-%m-%d"));
    }
    let _ = write!(out, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n");
    let writer = Writer {
        images,
        targets: table::targets(&doc.blocks),
    };
    for block in &doc.blocks {
        writer.block(&mut out, block);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

struct Writer<'a> {
    images: &'a HashMap<String, Vec<u8>>,
    /// Every anchor of the document, with the tooltip of its table row.
    targets: HashMap<String, String>,
}

impl Writer<'_> {
    fn block(&self, out: &mut String, block: &Block) {
        match block {
            Block::Title(c) => self.wrap(out, "<h1>", c, "</h1>"),
            Block::TitleLine(c) => self.wrap(out, "<p class=\"title-line\">", c, "</p>"),
            Block::Heading { level, content } => {
                let h = (*level).clamp(2, 6);
                self.wrap(out, &format!("<h{h}>"), content, &format!("</h{h}>"));
            }
            Block::Paragraph(c) => self.wrap(out, "<p>", c, "</p>"),
            Block::Figure(f) => {
                let _ = writeln!(
                    out,
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                    self.src(&f.src),
                    esc(&f.alt),
                    esc(&f.caption)
                );
            }
            Block::List { start, items } => {
                let (open, close) = match start {
                    Some(1) => ("<ol>".to_owned(), "</ol>"),
                    Some(n) => (format!("<ol start=\"{n}\">"), "</ol>"),
                    None => ("<ul>".to_owned(), "</ul>"),
                };
                let _ = writeln!(out, "{open}");
                for item in items {
                    out.push_str("<li>");
                    for b in item {
                        self.block(out, b);
                    }
                    out.push_str("</li>\n");
                }
                let _ = writeln!(out, "{close}");
            }
            Block::Table(t) => self.table(out, t),
            Block::Quote(blocks) => {
                out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(out, b);
                }
                out.push_str("</blockquote>\n");
            }
            Block::Verbatim(text) => {
                let _ = writeln!(out, "<pre>{}</pre>", esc(text));
            }
            Block::PageBreak => out.push_str("<hr class=\"page-break\">\n"),
        }
    }

    fn wrap(&self, out: &mut String, open: &str, content: &[Inline], close: &str) {
        out.push_str(open);
        self.inlines(out, content);
        out.push_str(close);
        out.push('\n');
    }

    fn inlines(&self, out: &mut String, content: &[Inline]) {
        for inline in content {
            match inline {
                Inline::Text { text, style } => {
                    let mut s = esc(text);
                    if style.code {
                        s = format!("<code>{s}</code>");
                    }
                    if style.emphasis {
                        s = format!("<em>{s}</em>");
                    }
                    if style.strong {
                        s = format!("<strong>{s}</strong>");
                    }
                    match style.link.as_deref().map(|l| (l, l.strip_prefix('#'))) {
                        Some((_, Some(id))) => {
                            // Within the document: only to an anchor it has.
                            if let Some(tip) = self.targets.get(id) {
                                s = format!(
                                    "<a class=\"source\" href=\"#{}\" title=\"{}\">{s}</a>",
                                    esc(id),
                                    attr(tip)
                                );
                            }
                        }
                        Some((link, None)) => s = format!("<a href=\"{}\">{s}</a>", esc(link)),
                        None => {}
                    }
                    out.push_str(&s);
                }
                Inline::Break => out.push_str("<br>"),
                Inline::Anchor(id) => {
                    let _ = write!(out, "<a id=\"{}\"></a>", esc(id));
                }
                Inline::Image { src, alt } => {
                    let _ = write!(out, "<img src=\"{}\" alt=\"{}\">", self.src(src), esc(alt));
                }
            }
        }
    }

    fn wrap_inline(&self, out: &mut String, open: &str, content: &[Inline], close: &str) {
        out.push_str(open);
        self.inlines(out, content);
        out.push_str(close);
    }

    /// The image inline as a `data:` URI when the run wrote it; otherwise
    /// the link as the template wrote it.
    fn src(&self, src: &str) -> String {
        match image::find(src, self.images) {
            Some((bytes, kind)) => format!(
                "data:{};base64,{}",
                kind.mime(),
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
            None => esc(src),
        }
    }
}

/// An attribute value over several lines (a tooltip).
fn attr(text: &str) -> String {
    esc(text).replace('\n', "&#10;")
}

/// Text and attribute values, escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn render(md: &str) -> String {
        let meta = DocMeta {
            title: "T".into(),
            organisation: "工委".into(),
            date: None,
        };
        html(&parse(md), &HashMap::new(), &meta)
    }

    #[test]
    fn markdown_and_html_in_text_are_shown_escaped() {
        let h = render("# 标题\n\n工委\n\n## 一、甲 <script>x</script>\n\n**乙** & <i>丙</i>\n\n<div>块</div>\n");
        assert!(h.contains("<h1>标题</h1>\n<p class=\"title-line\">工委</p>"), "{h}");
        assert!(h.contains("<h2>一、甲 &lt;script&gt;x&lt;/script&gt;</h2>"), "{h}");
        assert!(
            h.contains("<p><strong>乙</strong> &amp; &lt;i&gt;丙&lt;/i&gt;</p>"),
            "{h}"
        );
        assert!(h.contains("<pre>&lt;div&gt;块&lt;/div&gt;</pre>"), "{h}");
        assert!(!h.contains("<script>") && !h.contains("<div>"));
    }

    #[test]
    fn page_breaks_print_as_new_pages() {
        let h = render("正文\n\n***\n\n## 附件\n");
        assert!(h.contains("<hr class=\"page-break\">\n<h2>附件</h2>"), "{h}");
        assert!(h.contains("hr.page-break + * { page-break-before: always"));
        assert!(h.contains("size: A4; margin: 37mm 26mm 35mm 28mm"));
    }
}
