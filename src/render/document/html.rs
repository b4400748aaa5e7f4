//! report.html from the document model: one self-contained file (images
//! inline as `data:` URIs) in a small page shell whose print CSS lays it out
//! like report.docx — A4, the same margins, fonts and page breaks.

use std::collections::HashMap;
use std::fmt::Write;

use base64::Engine;

use super::image;
use super::model::{Align, Block, Document, Inline, Table};
use super::DocMeta;

/// The page shell's style: the 公文 look on screen and on paper. Kept here,
/// not in a template, because the content is the Markdown's and the layout
/// must match the Word document's.
const CSS: &str = r#"
body { margin: 0; background: #f2f2f2; color: #000;
       font-family: FangSong, "仿宋", STFangsong, "FangSong_GB2312", "仿宋_GB2312", serif;
       font-size: 16pt; line-height: 28pt; }
main { box-sizing: border-box; max-width: 210mm; margin: 1.5em auto; padding: 20mm 26mm 20mm 28mm; background: #fff; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", SimSun, "宋体", "Songti SC", serif;
     font-size: 22pt; line-height: 36pt; font-weight: normal; text-align: center; margin: 0 0 28pt; }
h2, h3, h4, h5, h6, p { font-size: 16pt; margin: 0; text-indent: 2em; text-align: justify; }
h2 { font-family: SimHei, "黑体", "Heiti SC", sans-serif; font-weight: normal; }
h3 { font-family: KaiTi, "楷体", STKaiti, "KaiTi_GB2312", "楷体_GB2312", serif; font-weight: normal; }
h4 { font-weight: bold; }
h5, h6 { font-weight: normal; }
p.title-line { font-family: KaiTi, "楷体", STKaiti, "KaiTi_GB2312", "楷体_GB2312", serif; text-align: center; text-indent: 0; }
p.title-line + :not(.title-line) { margin-top: 28pt; }
figure { margin: 0.5em 0; text-align: center; break-inside: avoid; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 14pt; }
table { width: 100%; border-collapse: collapse; font-size: 12pt; line-height: 1.35; margin: 0.5em 0; }
th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: middle; }
th { text-align: center; font-weight: bold; }
td.r { text-align: right; white-space: nowrap; }
td.c { text-align: center; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
ul, ol { margin: 0; padding-left: 4em; }
li > p { text-indent: 0; }
blockquote { margin: 0 0 0 2em; font-family: KaiTi, "楷体", STKaiti, serif; }
pre { font-size: 12pt; line-height: 1.4; white-space: pre-wrap; margin: 0.5em 0; }
code, pre { font-family: Consolas, "Courier New", monospace; }
hr.page-break { border: 0; border-top: 1px dashed #999; margin: 2em 0; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt SimSun, "宋体", serif; margin-right: 1em; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt SimSun, "宋体", serif; margin-left: 1em; } }
@media print {
  body { background: none; }
  main { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  hr.page-break { border: 0; margin: 0; height: 0; }
  hr.page-break + * { page-break-before: always; break-before: page; }
  h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
}
"#;

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
    let _ = write!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>\n");
    let writer = Writer { images };
    for block in &doc.blocks {
        writer.block(&mut out, block);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

struct Writer<'a> {
    images: &'a HashMap<String, Vec<u8>>,
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
                    if let Some(link) = &style.link {
                        s = format!("<a href=\"{}\">{s}</a>", esc(link));
                    }
                    out.push_str(&s);
                }
                Inline::Break => out.push_str("<br>"),
                Inline::Image { src, alt } => {
                    let _ = write!(out, "<img src=\"{}\" alt=\"{}\">", self.src(src), esc(alt));
                }
            }
        }
    }

    fn table(&self, out: &mut String, t: &Table) {
        out.push_str("<table>\n<thead><tr>");
        for cell in &t.head {
            self.wrap_inline(out, "<th>", cell, "</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &t.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let open = match t.align.get(i) {
                    Some(Align::Right) => "<td class=\"r\">",
                    Some(Align::Center) => "<td class=\"c\">",
                    _ => "<td>",
                };
                self.wrap_inline(out, open, cell, "</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
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
