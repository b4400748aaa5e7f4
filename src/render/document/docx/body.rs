//! document.xml's body: every block of the model as paragraphs on named
//! styles, figures as numbered drawings with their alt text, page breaks as
//! "page break before" on what follows.

use std::collections::HashMap;

use super::{esc, EMU_PER_TWIP, TEXT_HEIGHT, TEXT_WIDTH};
use crate::render::document::image;
use crate::render::document::model::{Block, Figure, Inline, Style};

/// A figure's picture may take the page but for its caption.
const FIGURE_MAX_HEIGHT: u32 = TEXT_HEIGHT - 1400;

pub struct Body<'a> {
    images: &'a HashMap<String, Vec<u8>>,
    pub out: String,
    /// PNGs to store as word/media/image1.png …, in order.
    pub media: Vec<&'a [u8]>,
    media_by_src: HashMap<String, usize>,
    /// Hyperlink targets, `rIdLink1` …
    pub links: Vec<String>,
    /// Drawings so far: each gets its own `wp:docPr` id.
    drawings: u32,
    page_break: bool,
}

impl<'a> Body<'a> {
    pub fn new(images: &'a HashMap<String, Vec<u8>>) -> Self {
        Body {
            images,
            out: String::new(),
            media: Vec::new(),
            media_by_src: HashMap::new(),
            links: Vec::new(),
            drawings: 0,
            page_break: false,
        }
    }

    pub fn blocks(&mut self, blocks: &[Block], depth: usize) {
        for block in blocks {
            if let (Block::Table(_), true) = (block, self.page_break) {
                // A table cannot carry "page break before": a 1pt paragraph does.
                self.paragraph("Normal", r#"<w:spacing w:line="20" w:lineRule="exact"/>"#, &[]);
            }
            self.block(block, depth);
            if let Block::Table(_) = block {
                // Half a line after a table keeps it off what follows (and
                // two tables apart: Word would merge them).
                self.paragraph("Normal", r#"<w:spacing w:line="280" w:lineRule="exact"/>"#, &[]);
            }
        }
    }

    fn block(&mut self, block: &Block, depth: usize) {
        match block {
            Block::Title(c) => self.paragraph("Title", "", c),
            Block::TitleLine(c) => self.paragraph("Subtitle", "", c),
            Block::Heading { level, content } => {
                let style = match level {
                    1 | 2 => "Heading1",
                    3 => "Heading2",
                    4 => "Heading3",
                    _ => "Heading4",
                };
                self.paragraph(style, "", content);
            }
            Block::Paragraph(c) => self.paragraph("Normal", "", c),
            Block::Figure(f) => self.figure(f),
            Block::List { start, items } => {
                let indent = format!(r#"<w:ind w:leftChars="{}" w:left="{}"/>"#, 200 * depth, 640 * depth);
                for (i, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(n) => format!("{}. ", n + i as u64),
                        None => "• ".to_owned(),
                    };
                    self.list_item(item, &marker, &indent, depth);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Quote(blocks) => {
                for b in blocks {
                    match b {
                        Block::Paragraph(c) => self.paragraph("Quote", "", c),
                        other => self.block(other, depth),
                    }
                }
            }
            Block::Verbatim(text) => self.paragraph("PlainText", "", &[plain(text)]),
            Block::PageBreak => self.page_break = true,
        }
    }

    /// An item's first paragraph carries the marker; nested lists indent.
    fn list_item(&mut self, item: &[Block], marker: &str, indent: &str, depth: usize) {
        let mut marked = false;
        for b in item {
            match b {
                Block::Paragraph(c) => {
                    let mut content = Vec::with_capacity(c.len() + 1);
                    if !std::mem::replace(&mut marked, true) {
                        content.push(plain(marker));
                    }
                    content.extend(c.iter().cloned());
                    self.paragraph("List", indent, &content);
                }
                other => self.blocks(std::slice::from_ref(other), depth + 1),
            }
        }
    }

    /// One paragraph; `extra` is pPr children after the style, in schema
    /// order (spacing, ind, jc).
    pub fn paragraph(&mut self, style: &str, extra: &str, content: &[Inline]) {
        self.out
            .push_str(&format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>"#));
        if std::mem::take(&mut self.page_break) {
            self.out.push_str("<w:pageBreakBefore/>");
        }
        if content.iter().any(|i| matches!(i, Inline::Image { .. })) && !extra.contains("<w:spacing") {
            // Exact line spacing would clip a picture to one line.
            self.out.push_str(r#"<w:spacing w:line="240" w:lineRule="auto"/>"#);
        }
        self.out.push_str(extra);
        self.out.push_str("</w:pPr>");
        self.runs(content);
        self.out.push_str("</w:p>");
    }

    fn runs(&mut self, content: &[Inline]) {
        for inline in content {
            match inline {
                Inline::Text { text, style } => {
                    // A link within the document (a figure to its sources)
                    // is the html's; on paper it is the figure.
                    let style = &Style {
                        link: style.link.clone().filter(|l| !l.starts_with('#')),
                        ..style.clone()
                    };
                    let run = text_run(text, style);
                    match style.link.as_deref() {
                        Some(link) => {
                            self.links.push(link.to_owned());
                            let id = self.links.len();
                            self.out.push_str(&format!(
                                r#"<w:hyperlink r:id="rIdLink{id}" w:history="1">{run}</w:hyperlink>"#
                            ));
                        }
                        None => self.out.push_str(&run),
                    }
                }
                Inline::Break => self.out.push_str("<w:r><w:br/></w:r>"),
                Inline::Anchor(_) => {}
                Inline::Image { src, alt } => match self.picture(src, alt, None) {
                    Some(drawing) => self.out.push_str(&drawing),
                    None => self.out.push_str(&text_run(alt, &Style::default())),
                },
            }
        }
    }

    fn figure(&mut self, f: &Figure) {
        if let Some(drawing) = self.picture(&f.src, &f.alt, Some(f.number)) {
            self.out.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Figure"/>"#);
            if std::mem::take(&mut self.page_break) {
                self.out.push_str("<w:pageBreakBefore/>");
            }
            self.out.push_str(&format!("</w:pPr>{drawing}</w:p>"));
        }
        self.paragraph("Caption", "", &[plain(&f.caption)]);
    }

    /// A run holding the picture at `src`: a figure as wide as the text, an
    /// image in running text at its own size (96 dpi) up to that width.
    fn picture(&mut self, src: &str, alt: &str, figure: Option<usize>) -> Option<String> {
        let png = image::find_png(src, self.images)?;
        let (px_w, px_h) = image::png_size(png)?;
        let (mut w, mut h) = match figure {
            Some(_) => (TEXT_WIDTH as u64, TEXT_WIDTH as u64 * px_h as u64 / px_w as u64),
            None => (px_w as u64 * 15, px_h as u64 * 15),
        };
        let (max_w, max_h) = (TEXT_WIDTH as u64, FIGURE_MAX_HEIGHT as u64);
        if w > max_w {
            (w, h) = (max_w, h * max_w / w);
        }
        if h > max_h {
            (w, h) = (w * max_h / h, max_h);
        }
        let media = match self.media_by_src.get(src) {
            Some(&i) => i,
            None => {
                self.media.push(png);
                self.media_by_src.insert(src.to_owned(), self.media.len());
                self.media.len()
            }
        };
        self.drawings += 1;
        let id = self.drawings;
        let name = match figure {
            Some(n) => format!("图{n}"),
            None => format!("图片{id}"),
        };
        let (cx, cy) = (w * EMU_PER_TWIP, h * EMU_PER_TWIP);
        let descr = esc(alt);
        Some(format!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="{name}" descr="{descr}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{id}" name="image{media}.png" descr="{descr}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage{media}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        ))
    }
}

fn plain(text: &str) -> Inline {
    Inline::Text {
        text: text.to_owned(),
        style: Style::default(),
    }
}

/// A run of text: line breaks and tabs as Word's own elements; "“”—" in
/// the Chinese font (`w:hint`), not in Times New Roman.
fn text_run(text: &str, style: &Style) -> String {
    let mut run = String::from("<w:r><w:rPr>");
    if style.code {
        run.push_str(r#"<w:rStyle w:val="VerbatimChar"/>"#);
    } else if style.link.is_some() {
        run.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
    }
    run.push_str(r#"<w:rFonts w:hint="eastAsia"/>"#);
    if style.strong {
        run.push_str("<w:b/><w:bCs/>");
    }
    if style.emphasis {
        run.push_str("<w:i/><w:iCs/>");
    }
    run.push_str("</w:rPr>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                run.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                run.push_str(&format!(r#"<w:t xml:space="preserve">{}</w:t>"#, esc(piece)));
            }
        }
    }
    run.push_str("</w:r>");
    run
}
