//! Rendered Markdown → [`Document`], with pulldown-cmark (CommonMark plus
//! tables). The report's conventions are applied here, once for every
//! format: the first `#` is the title, the paragraphs after it the title
//! block, an image alone in a paragraph a numbered figure, `***` a page break.

use std::iter::Peekable;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use super::model::{plain_text, Align, Block, Document, Figure, Inline, Style, Table};

type Events<'a> = Peekable<Parser<'a>>;

pub fn parse(markdown: &str) -> Document {
    let mut events = Parser::new_ext(markdown, Options::ENABLE_TABLES).peekable();
    let mut builder = Builder::default();
    let blocks = builder.blocks(&mut events, None);
    let blocks = builder.apply_title(blocks);
    Document {
        title: builder.title,
        blocks,
    }
}

#[derive(Default)]
struct Builder {
    figures: usize,
    title: Option<String>,
}

impl Builder {
    /// Blocks until `end` (or the end of the text).
    fn blocks(&mut self, events: &mut Events, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some(event) = events.peek() {
            if is_inline(event) {
                // A tight list item holds its text without a paragraph.
                let content = inlines(events, None);
                blocks.push(self.paragraph(content));
                continue;
            }
            let event = events.next().expect("peeked");
            match event {
                Event::End(e) if Some(e) == end => break,
                Event::Rule => blocks.push(Block::PageBreak),
                Event::Start(Tag::Paragraph) => {
                    let content = inlines(events, Some(TagEnd::Paragraph));
                    blocks.push(self.paragraph(content));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let content = inlines(events, Some(TagEnd::Heading(level)));
                    blocks.push(Block::Heading {
                        level: level as u8,
                        content,
                    });
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    blocks.push(Block::Quote(self.blocks(events, Some(TagEnd::BlockQuote(kind)))));
                }
                Event::Start(Tag::CodeBlock(_)) => blocks.push(Block::Verbatim(verbatim(events, TagEnd::CodeBlock))),
                Event::Start(Tag::HtmlBlock) => blocks.push(Block::Verbatim(verbatim(events, TagEnd::HtmlBlock))),
                Event::Start(Tag::List(start)) => {
                    let mut items = Vec::new();
                    while let Some(Event::Start(Tag::Item)) = events.next() {
                        items.push(self.blocks(events, Some(TagEnd::Item)));
                    }
                    blocks.push(Block::List { start, items });
                }
                Event::Start(Tag::Table(align)) => blocks.push(Block::Table(table(events, &align))),
                // Nothing else is enabled; skip whatever a newer parser adds.
                _ => {}
            }
        }
        blocks
    }

    /// A paragraph, or a figure when it is an image alone.
    fn paragraph(&mut self, content: Vec<Inline>) -> Block {
        let visible: Vec<&Inline> = content
            .iter()
            .filter(|i| !matches!(i, Inline::Text { text, .. } if text.trim().is_empty()))
            .collect();
        if let [Inline::Image { src, alt }] = visible[..] {
            self.figures += 1;
            return Block::Figure(Figure {
                number: self.figures,
                caption: caption(self.figures, alt),
                alt: alt.clone(),
                src: src.clone(),
            });
        }
        Block::Paragraph(content)
    }

    /// The first `#` before any other heading is the title; the paragraphs
    /// right after it are the title block.
    fn apply_title(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        let first_heading = blocks.iter().position(|b| matches!(b, Block::Heading { .. }));
        let Some(at) = first_heading.filter(|&i| matches!(blocks[i], Block::Heading { level: 1, .. })) else {
            return blocks;
        };
        let mut out = Vec::with_capacity(blocks.len());
        let mut in_title_block = false;
        for (i, block) in blocks.into_iter().enumerate() {
            match block {
                Block::Heading { content, .. } if i == at => {
                    self.title = Some(plain_text(&content));
                    out.push(Block::Title(content));
                    in_title_block = true;
                }
                Block::Paragraph(content) if in_title_block => out.push(Block::TitleLine(content)),
                other => {
                    in_title_block = false;
                    out.push(other);
                }
            }
        }
        out
    }
}

/// "图3 …" stays as written; anything else is numbered "图N ".
fn caption(number: usize, alt: &str) -> String {
    let numbered = alt
        .strip_prefix('图')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    match numbered {
        true => alt.to_owned(),
        false => format!("图{number} {alt}"),
    }
}

fn is_inline(event: &Event) -> bool {
    match event {
        Event::Start(tag) => is_inline_tag(tag),
        Event::End(end) => matches!(
            end,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}

fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// Inline content until `end`, or (for `None`) while the events are inline.
fn inlines(events: &mut Events, end: Option<TagEnd>) -> Vec<Inline> {
    let mut out = Inlines::default();
    let (mut strong, mut emphasis) = (0u32, 0u32);
    let mut links: Vec<Option<String>> = Vec::new();
    loop {
        if end.is_none() && !events.peek().is_some_and(is_inline) {
            break;
        }
        let Some(event) = events.next() else { break };
        let style = Style {
            strong: strong > 0,
            emphasis: emphasis > 0,
            code: false,
            link: links.last().cloned().flatten(),
        };
        match event {
            Event::End(e) if Some(e) == end => break,
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => emphasis += 1,
            Event::End(TagEnd::Emphasis) => emphasis = emphasis.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(safe_link(&dest_url)),
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let alt = verbatim(events, TagEnd::Image);
                out.push(Inline::Image {
                    src: dest_url.into_string(),
                    alt: alt.trim().to_owned(),
                });
            }
            Event::Code(t) => out.text(&t, Style { code: true, ..style }),
            Event::InlineHtml(t) if is_line_break(&t) => out.push(Inline::Break),
            Event::InlineHtml(t) => match anchor(&t) {
                Some(id) if matches!(events.peek(), Some(Event::InlineHtml(c)) if c.trim() == "</a>") => {
                    events.next();
                    out.push(Inline::Anchor(id));
                }
                _ => out.text(&t, style),
            },
            Event::Text(t) | Event::Html(t) | Event::InlineMath(t) => out.text(&t, style),
            Event::SoftBreak => out.soft_break = true,
            Event::HardBreak => out.push(Inline::Break),
            _ => {}
        }
    }
    out.items
}

/// Inline content being collected: adjacent text of one style merged, and a
/// soft line break a space between Latin words but nothing between Chinese
/// characters (a browser would show a space).
#[derive(Default)]
struct Inlines {
    items: Vec<Inline>,
    soft_break: bool,
}

impl Inlines {
    fn text(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let mut text = text.to_owned();
        if std::mem::take(&mut self.soft_break) {
            let before = self.items.last().and_then(|i| match i {
                Inline::Text { text, .. } => text.chars().last(),
                _ => None,
            });
            let wide = |c: Option<char>| c.is_some_and(is_wide);
            if !wide(before) && !wide(text.chars().next()) && before.is_some() {
                text.insert(0, ' ');
            }
        }
        if let Some(Inline::Text { text: last, style: s }) = self.items.last_mut() {
            if *s == style {
                last.push_str(&text);
                return;
            }
        }
        self.items.push(Inline::Text { text, style });
    }

    fn push(&mut self, inline: Inline) {
        self.soft_break = false;
        self.items.push(inline);
    }
}

/// `<br>`, `<br/>` or `<br />`: a line break inside a table cell, as on GitHub.
fn is_line_break(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase().replace(' ', "");
    matches!(tag.as_str(), "<br>" | "<br/>")
}

/// The id of `<a id="…">` (or `name=`), when it is made of letters,
/// digits, `.`, `-` and `_` only; other HTML stays text.
fn anchor(html: &str) -> Option<String> {
    let rest = html.trim().strip_prefix("<a ")?.strip_suffix('>')?.trim();
    let value = rest.strip_prefix("id=").or_else(|| rest.strip_prefix("name="))?;
    let id = value.strip_prefix('"')?.strip_suffix('"')?;
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    ok.then(|| id.to_owned())
}

/// Chinese characters and full-width punctuation: no space between them.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{A4CF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// The text inside a block (code, raw HTML) or an image (its alt text).
fn verbatim(events: &mut Events, end: TagEnd) -> String {
    let mut out = String::new();
    for event in events.by_ref() {
        match event {
            Event::End(e) if e == end => break,
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(if end == TagEnd::Image { ' ' } else { '\n' }),
            _ => {}
        }
    }
    if end != TagEnd::Image {
        out.truncate(out.trim_end().len());
    }
    out
}

/// Links a document may carry: web, mail and relative ones. Anything else
/// (`javascript:`, `file:` …) stays as its text.
fn safe_link(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        // Relative, or `#…` within the document.
        None if !url.is_empty() => Some(url.to_owned()),
        Some("http" | "https" | "mailto") => Some(url.to_owned()),
        _ => None,
    }
}

fn table(events: &mut Events, align: &[Alignment]) -> Table {
    let mut head = Vec::new();
    let mut rows = Vec::new();
    let mut row = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::TableCell) => row.push(inlines(events, Some(TagEnd::TableCell))),
            Event::End(TagEnd::TableHead) => head = std::mem::take(&mut row),
            Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    let align = align
        .iter()
        .enumerate()
        .map(|(col, a)| match a {
            Alignment::Left => Align::Left,
            Alignment::Center => Align::Center,
            Alignment::Right => Align::Right,
            Alignment::None if is_numeric_column(&rows, col) => Align::Right,
            Alignment::None => Align::Left,
        })
        .collect();
    Table { align, head, rows }
}

/// A column of figures ("54", "56.82万元", "31%"), blanks and dashes allowed.
fn is_numeric_column(rows: &[Vec<Vec<Inline>>], col: usize) -> bool {
    let cells: Vec<String> = rows
        .iter()
        .filter_map(|r| r.get(col))
        .map(|c| plain_text(c).trim().to_owned())
        .filter(|t| !matches!(t.as_str(), "" | "—" | "-" | "－" | "/" | "–"))
        .collect();
    !cells.is_empty() && cells.iter().all(|c| is_figure(c))
}

/// A number with at most a short unit after it; "024-20799979" is not one.
pub(crate) fn is_figure(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-', '−']);
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let unit = t.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'));
    unit.chars().count() <= 3 && !unit.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            style: Style::default(),
        }
    }

    #[test]
    fn title_and_title_block_then_body() {
        let doc = parse("# 报告\n\n工委\n\n2016年3月18日\n\n## 一、回顾\n\n正文\n\n***\n\n## 附件\n");
        assert_eq!(doc.title.as_deref(), Some("报告"));
        assert_eq!(
            doc.blocks,
            vec![
                Block::Title(vec![text("报告")]),
                Block::TitleLine(vec![text("工委")]),
                Block::TitleLine(vec![text("2016年3月18日")]),
                Block::Heading {
                    level: 2,
                    content: vec![text("一、回顾")]
                },
                Block::Paragraph(vec![text("正文")]),
                Block::PageBreak,
                Block::Heading {
                    level: 2,
                    content: vec![text("附件")]
                },
            ]
        );
    }

    #[test]
    fn a_lone_image_is_a_numbered_figure() {
        let doc = parse("![图3 五送五有](a.png)\n\n![五送五有（万元）](b.png)\n\n看 ![x](c.png) 这里\n");
        let captions: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Figure(f) => Some(f.caption.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(captions, ["图3 五送五有", "图2 五送五有（万元）"]);
        assert!(
            matches!(&doc.blocks[2], Block::Paragraph(p) if p.len() == 3),
            "an image in text stays inline"
        );
    }

    #[test]
    fn soft_breaks_join_chinese_without_a_space() {
        let doc = parse("第一行\n第二行 and\nmore\n");
        assert_eq!(doc.blocks, vec![Block::Paragraph(vec![text("第一行第二行 and more")])]);
    }

    #[test]
    fn styles_lists_code_and_html_survive() {
        let doc =
            parse("**粗** *斜* `代码` <b>x</b> [链接](https://a.cn) [坏](javascript:x)\n\n1. 一\n2. 二\n\n- 甲\n");
        let Block::Paragraph(p) = &doc.blocks[0] else { panic!() };
        assert!(p.contains(&Inline::Text {
            text: "粗".into(),
            style: Style {
                strong: true,
                ..Style::default()
            }
        }));
        assert!(p
            .iter()
            .any(|i| matches!(i, Inline::Text { text, style } if text == "代码" && style.code)));
        assert!(plain_text(p).contains("<b>x</b>"), "inline HTML is text");
        assert!(p
            .iter()
            .any(|i| matches!(i, Inline::Text { style, .. } if style.link.as_deref() == Some("https://a.cn"))));
        assert!(!p
            .iter()
            .any(|i| matches!(i, Inline::Text { text, style } if text == "坏" && style.link.is_some())));
        assert!(matches!(&doc.blocks[1], Block::List { start: Some(1), items } if items.len() == 2));
        assert!(matches!(&doc.blocks[2], Block::List { start: None, .. }));
    }

    #[test]
    fn anchors_and_line_breaks_are_the_only_html_read() {
        let doc = parse("| 项目 |\n|---|\n| <a id=\"m-fitness.items\"></a>甲<br>乙 |\n\n<a id=\"x y\"></a> <br/> [159件](#m-fitness.items)\n");
        let Block::Table(t) = &doc.blocks[0] else { panic!() };
        assert_eq!(
            t.rows[0][0],
            [
                Inline::Anchor("m-fitness.items".into()),
                text("甲"),
                Inline::Break,
                text("乙")
            ]
        );
        let Block::Paragraph(p) = &doc.blocks[1] else { panic!() };
        assert_eq!(
            plain_text(p),
            "<a id=\"x y\"></a> \n 159件",
            "an id with a space is text"
        );
        assert!(p
            .iter()
            .any(|i| matches!(i, Inline::Text { style, .. } if style.link.as_deref() == Some("#m-fitness.items"))));
    }

    #[test]
    fn number_columns_align_right_unless_told() {
        let doc = parse("| 单位 | 金额 | 电话 | 比例 |\n|---|---|---|:-:|\n| 甲 | 56.82万元 | 024-20799979 | 31% |\n| 乙 | — | 024-1 | 5% |\n");
        let Block::Table(t) = &doc.blocks[0] else { panic!() };
        assert_eq!(t.align, [Align::Left, Align::Right, Align::Left, Align::Center]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(plain_text(&t.head[1]), "金额");
    }
}
