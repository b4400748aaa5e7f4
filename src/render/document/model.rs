//! The one document model both writers read: what the rendered Markdown says,
//! with the report's conventions (title, title block, figures, page breaks)
//! already applied, so report.html and report.docx cannot drift apart.

/// A whole document, its blocks in the Markdown's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The title's plain text, for the documents' properties.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The first `#` heading.
    Title(Vec<Inline>),
    /// A paragraph between the title and the first heading after it
    /// (organisation, date): centred, not indented.
    TitleLine(Vec<Inline>),
    /// `level` as in the Markdown: 2 = `##` (一级), 3 = 二级, 4 = 三级; a
    /// later `#` is 1, `#####` and deeper 5–6.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// An image alone in its paragraph.
    Figure(Figure),
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table(Table),
    Quote(Vec<Block>),
    /// A code block or a raw HTML block, shown as the text it is.
    Verbatim(String),
    /// A thematic break (`***`): what follows starts a new page.
    PageBreak,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// 1, 2, … in document order.
    pub number: usize,
    /// "图3 五送五有各项同比变化": the alt text, numbered when it is not.
    pub caption: String,
    /// The alt text as written: the image's description.
    pub alt: String,
    pub src: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// One per column: from the Markdown's `:---:`, else right for columns
    /// of numbers and left for the rest.
    pub align: Vec<Align>,
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Style {
    pub strong: bool,
    pub emphasis: bool,
    pub code: bool,
    /// The link's target, already checked (http, https, mailto, relative,
    /// or `#…` to an anchor in the document).
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        style: Style,
    },
    /// A hard line break.
    Break,
    /// An image inside running text (an image alone is a [`Figure`]).
    Image {
        src: String,
        alt: String,
    },
    /// `<a id="…"></a>`: where a link `#…` leads (in report.html; Word
    /// prints such links as their text).
    Anchor(String),
}

/// The plain text of inline content (images by their alt text).
pub fn plain_text(content: &[Inline]) -> String {
    let mut out = String::new();
    for inline in content {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Break => out.push('\n'),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Anchor(_) => {}
        }
    }
    out
}
