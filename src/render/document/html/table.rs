//! Tables in report.html, set as in report.docx ([`layout`]): the same
//! column widths and font size, headers breaking only between words, a
//! repeated 项目 as a group row; and the tooltips of anchored rows.

use std::collections::HashMap;
use std::fmt::Write;

use super::super::docx::TEXT_WIDTH;
use super::super::layout::{header_pieces, layout, Size};
use super::super::model::{plain_text, Align, Block, Inline, Table};
use super::{esc, Writer};

impl Writer<'_> {
    pub(super) fn table(&self, out: &mut String, t: &Table) {
        let l = layout(t, TEXT_WIDTH);
        let class = if l.size == Size::Small { " class=\"small\"" } else { "" };
        let _ = write!(out, "<table{class}>\n<colgroup>");
        let total: u32 = l.widths.iter().sum::<u32>().max(1);
        for w in &l.widths {
            let _ = write!(out, "<col style=\"width:{:.1}%\">", *w as f64 * 100.0 / total as f64);
        }
        out.push_str("</colgroup>\n<thead><tr>");
        for &i in &l.columns {
            let text = t.head.get(i).map(|c| plain_text(c)).unwrap_or_default();
            let lines: Vec<String> = text
                .split('\n')
                .map(|line| {
                    header_pieces(line)
                        .iter()
                        .map(|p| esc(p))
                        .collect::<Vec<_>>()
                        .join("<wbr>")
                })
                .collect();
            let _ = write!(out, "<th>{}</th>", lines.join("<br>"));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let empty = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            if l.group_before[r] {
                let _ = write!(out, "<tr class=\"group\"><td colspan=\"{}\">", l.columns.len());
                self.inlines(out, row.first().unwrap_or(&empty));
                out.push_str("</td></tr>\n");
            }
            out.push_str("<tr>");
            for &i in &l.columns {
                let open = match t.align.get(i) {
                    Some(Align::Right) => "<td class=\"r\">",
                    Some(Align::Center) => "<td class=\"c\">",
                    _ => "<td>",
                };
                self.wrap_inline(out, open, row.get(i).unwrap_or(&empty), "</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
}

/// Every anchor of `blocks` with its tooltip: for an anchor in a table row,
/// the row's cells under their headers, one a line ("2015年：159件"); for
/// any other, nothing.
pub(super) fn targets(blocks: &[Block]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for block in blocks {
        match block {
            Block::Table(t) => {
                for row in &t.rows {
                    let mut tip = None;
                    for cell in row {
                        for id in anchors(cell) {
                            let tip = tip.get_or_insert_with(|| tooltip(&t.head, row)).clone();
                            out.entry(id.to_owned()).or_insert(tip);
                        }
                    }
                }
            }
            Block::List { items, .. } => items.iter().for_each(|item| out.extend(targets(item))),
            Block::Quote(blocks) => out.extend(targets(blocks)),
            Block::Title(c) | Block::TitleLine(c) | Block::Paragraph(c) | Block::Heading { content: c, .. } => {
                for id in anchors(c) {
                    out.entry(id.to_owned()).or_default();
                }
            }
            Block::Figure(_) | Block::Verbatim(_) | Block::PageBreak => {}
        }
    }
    out
}

fn anchors(content: &[Inline]) -> impl Iterator<Item = &str> {
    content.iter().filter_map(|i| match i {
        Inline::Anchor(id) => Some(id.as_str()),
        _ => None,
    })
}

fn tooltip(head: &[Vec<Inline>], row: &[Vec<Inline>]) -> String {
    let mut lines = Vec::new();
    for (i, cell) in row.iter().enumerate() {
        let text = plain_text(cell).trim().replace('\n', "、");
        if text.is_empty() {
            continue;
        }
        match head
            .get(i)
            .map(|h| plain_text(h).trim().to_owned())
            .filter(|h| !h.is_empty())
        {
            Some(h) => lines.push(format!("{h}：{text}")),
            None => lines.push(text),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::super::super::parse::parse;
    use super::*;

    #[test]
    fn a_link_to_a_table_row_carries_the_row() {
        let md = "[159件](#m-1)，[4个](#nowhere)\n\n| 项目 | 指标 | 数 | 最多的单位 |\n|---|---|---:|---|\n| 送健身器材 | <a id=\"m-1\"></a>健身器材 | 159件 | 甲 12件<br>乙 10件 |\n| 送健身器材 | 资金 | 54万元 | 甲 |\n";
        let doc = parse(md);
        let targets = targets(&doc.blocks);
        assert_eq!(
            targets["m-1"],
            "项目：送健身器材\n指标：健身器材\n数：159件\n最多的单位：甲 12件、乙 10件"
        );
        let meta = crate::render::document::DocMeta::default();
        let h = super::super::html(&doc, &HashMap::new(), &meta);
        assert!(
            h.contains("<a class=\"source\" href=\"#m-1\" title=\"项目：送健身器材&#10;指标：健身器材&#10;数：159件&#10;最多的单位：甲 12件、乙 10件\">159件</a>，4个</p>"),
            "{h}"
        );
        assert!(h.contains("<td><a id=\"m-1\"></a>健身器材</td>"), "{h}");
        assert!(
            h.contains("<tr class=\"group\"><td colspan=\"3\">送健身器材</td></tr>"),
            "{h}"
        );
        assert!(h.contains("<td>甲 12件<br>乙 10件</td>"), "{h}");
    }

    #[test]
    fn headers_break_between_words_and_columns_are_set_as_in_word() {
        let meta = crate::render::document::DocMeta::default();
        let doc = parse("| 指标 | 可比口径2015年 |\n|---|---:|\n| 甲 | 1 |\n");
        let h = super::super::html(&doc, &HashMap::new(), &meta);
        assert!(h.contains("<th>可比<wbr>口径<wbr>2015年</th>"), "{h}");
        assert!(h.contains("<colgroup><col style=\"width:"), "{h}");
    }
}
