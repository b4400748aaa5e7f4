//! Tables in Word: fitted to the text width, each column as wide as its
//! content asks (a Chinese character counts twice a digit), figures never
//! wrapped, the header row repeated on every page, no row split by a page.

use super::body::Body;
use super::TEXT_WIDTH;
use crate::render::document::model::{plain_text, Align, Inline, Table};

/// Left and right padding inside a cell, in twips (1 mm).
pub const CELL_MARGIN: u32 = 57;
/// One Chinese character of table text (小四, 12pt) in twips; a digit or
/// letter is counted at 0.65 of it, enough for Times New Roman and for the
/// wider fonts that stand in for it where it is missing (DejaVu Serif).
const CHAR: u32 = 240;
const ASCII: u32 = 156;
/// Word and WPS put a quarter character between Chinese and Latin text.
const AUTO_SPACE: u32 = CHAR / 4;
/// Cell text up to this wide is kept on one line while anything else wraps.
const SHORT: u32 = 7 * CHAR;

impl Body<'_> {
    pub fn table(&mut self, t: &Table) {
        let columns = t.align.len().max(t.head.len()).max(1);
        let widths = column_widths(t, columns, TEXT_WIDTH);
        self.out.push_str(&format!(
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        ));
        for w in &widths {
            self.out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        }
        self.out.push_str("</w:tblGrid>");
        self.row(&t.head, &widths, None);
        for row in &t.rows {
            self.row(row, &widths, Some(&t.align));
        }
        self.out.push_str("</w:tbl>");
    }

    /// A row; `align` is `None` for the header row (centred, repeated).
    fn row(&mut self, cells: &[Vec<Inline>], widths: &[u32], align: Option<&[Align]>) {
        let header = if align.is_none() { "<w:tblHeader/>" } else { "" };
        self.out
            .push_str(&format!("<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>"));
        let empty = Vec::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&empty);
            let (style, jc) = match align.map(|a| a.get(i).copied().unwrap_or(Align::Left)) {
                None => ("TableHeading", ""),
                Some(Align::Left) => ("TableText", ""),
                Some(Align::Center) => ("TableText", r#"<w:jc w:val="center"/>"#),
                Some(Align::Right) => ("TableText", r#"<w:jc w:val="right"/>"#),
            };
            self.out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
            ));
            self.paragraph(style, jc, cell);
            self.out.push_str("</w:tc>");
        }
        self.out.push_str("</w:tr>");
    }
}

fn text_width(text: &str) -> u32 {
    let mut width = 0;
    let mut previous: Option<bool> = None;
    for c in text.chars() {
        let ascii = c.is_ascii();
        width += if ascii { ASCII } else { CHAR };
        if previous.is_some_and(|p| p != ascii) && c.is_alphanumeric() {
            width += AUTO_SPACE;
        }
        previous = c.is_alphanumeric().then_some(ascii).or(previous);
    }
    width
}

/// The width of the widest line, and of the longest piece that cannot be
/// broken (words, numbers, phone numbers such as "024-20799979").
fn measure<'a>(cells: impl Iterator<Item = &'a Vec<Inline>>) -> (u32, u32) {
    let (mut natural, mut word) = (0, 0);
    for cell in cells {
        let text = plain_text(cell);
        natural = natural.max(text.lines().map(text_width).max().unwrap_or(0));
        let words = text.split(|c: char| c.is_whitespace() || !c.is_ascii());
        word = word.max(words.map(text_width).max().unwrap_or(0));
    }
    (natural, word)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Header,
    Figures,
    Text,
}

/// A column part's width in twips at four degrees of squeezing: on one
/// line; headers and long text on about two lines; long text down to four
/// characters a line (short text, up to seven, stays whole); anything down
/// to two. Figures are never wrapped.
fn tiers((natural, word): (u32, u32), kind: Kind) -> [u32; 4] {
    let at_least = |chars: u32| word.max(chars * CHAR).min(natural);
    let half = (natural / 2).div_ceil(CHAR) * CHAR;
    match kind {
        Kind::Figures => [natural; 4],
        Kind::Header => [natural, half.max(at_least(2)), at_least(2), at_least(2)],
        Kind::Text if natural <= SHORT => [natural, natural, natural, at_least(2)],
        Kind::Text => [natural, half.max(at_least(4)), at_least(4), at_least(2)],
    }
}

/// Column widths in twips adding up to `total`: the first degree of
/// squeezing at which the columns fit, widened toward the degree before by
/// what is left over; as a last resort the narrowest, scaled down.
pub fn column_widths(t: &Table, columns: usize, total: u32) -> Vec<u32> {
    let pad = 2 * CELL_MARGIN + 30;
    let tier: Vec<[u32; 4]> = (0..columns)
        .map(|i| {
            let head = tiers(measure(t.head.get(i).into_iter()), Kind::Header);
            let kind = match t.align.get(i) {
                Some(Align::Right) => Kind::Figures,
                _ => Kind::Text,
            };
            let body = tiers(measure(t.rows.iter().filter_map(|r| r.get(i))), kind);
            [0, 1, 2, 3].map(|k| head[k].max(body[k]) + pad)
        })
        .collect();
    let at = |k: usize| tier.iter().map(|t| t[k] as u64).collect::<Vec<_>>();
    let sum = |v: &[u64]| v.iter().sum::<u64>();
    let total = total as u64;
    let fits = (0..4).find(|&k| sum(&at(k)) <= total);
    let mut widths: Vec<u64> = match fits {
        Some(0) => at(0).iter().map(|&n| n * total / sum(&at(0))).collect(),
        Some(k) => {
            let (wide, narrow) = (at(k - 1), at(k));
            let (spare, wanted) = (total - sum(&narrow), sum(&wide) - sum(&narrow));
            narrow
                .iter()
                .zip(&wide)
                .map(|(&n, &w)| n + (w - n) * spare / wanted)
                .collect()
        }
        None => at(3).iter().map(|&l| l * total / sum(&at(3))).collect(),
    };
    // Rounding leaves a few twips: give them to the widest column.
    let short = total.saturating_sub(sum(&widths));
    if let Some(widest) = (0..columns).max_by_key(|&i| widths[i]) {
        widths[widest] += short;
    }
    widths.into_iter().map(|w| w as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::model::Block;
    use crate::render::document::parse::parse;

    fn widths(md: &str) -> Vec<u32> {
        let doc = parse(md);
        let Some(Block::Table(t)) = doc.blocks.first() else {
            panic!()
        };
        column_widths(t, t.align.len(), TEXT_WIDTH)
    }

    #[test]
    fn columns_fill_the_text_width_by_their_content() {
        let w = widths("| 项目 | 指标 | 合计 |\n|---|---|---:|\n| 帮企业稳增长促振兴 | 协调资金 | 50510万元 |\n");
        assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
        assert!(w[0] > w[1] && w[1] > w[2] / 2, "{w:?}");
    }

    #[test]
    fn phone_numbers_and_figures_are_never_broken() {
        let long = "很长的说明文字".repeat(12);
        let w = widths(&format!(
            "| 单位 | 情况 | 电话 | 金额 |\n|---|---|---|---:|\n| 某单位 | {long} | 024-20799979 | 1234567.89万元 |\n"
        ));
        assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
        assert!(w[2] >= 12 * ASCII + 2 * CELL_MARGIN, "{w:?}");
        assert!(w[3] >= 10 * ASCII + 2 * CHAR + 2 * CELL_MARGIN, "{w:?}");
        assert!(w[1] > w[0], "the long text takes what is left: {w:?}");
    }
}
