//! Tables in Word, as [`layout`] sets them: fitted to the text width, in
//! 小四 or 五号, headers broken between words, a repeated 项目 as a group
//! row above its rows, the header row repeated on every page, no row split
//! by a page break.

use super::body::Body;
use super::TEXT_WIDTH;
use crate::render::document::layout::{layout, Size, CELL_MARGIN};
use crate::render::document::model::{Align, Inline, Style, Table};

/// Space above and below a cell's text, in twips (0.5 mm).
const CELL_MARGIN_Y: u32 = 28;
/// A group row's light grey: it reads as a heading in any font.
const GROUP_FILL: &str = "F2F2F2";

impl Body<'_> {
    pub fn table(&mut self, t: &Table) {
        let l = layout(t, TEXT_WIDTH);
        self.out.push_str(&format!(
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="{CELL_MARGIN_Y}" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:bottom w:w="{CELL_MARGIN_Y}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        ));
        for w in &l.widths {
            self.out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        }
        self.out.push_str("</w:tblGrid>");
        let (text, heading) = match l.size {
            Size::Normal => ("TableText", "TableHeading"),
            Size::Small => ("TableTextSmall", "TableHeadingSmall"),
        };

        self.out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (head, width) in l.head.iter().zip(&l.widths) {
            self.cell_start(*width, "");
            self.paragraph(heading, "", &lines(head));
            self.out.push_str("</w:tc>");
        }
        self.out.push_str("</w:tr>");

        let empty = Vec::new();
        let full: u32 = l.widths.iter().sum();
        for (r, row) in t.rows.iter().enumerate() {
            if l.group_before[r] {
                // The 项目 heads its rows: in the heading font, kept with the next row.
                self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
                let span = format!(
                    r#"<w:gridSpan w:val="{}"/><w:shd w:val="clear" w:color="auto" w:fill="{GROUP_FILL}"/>"#,
                    l.widths.len()
                );
                self.cell_start(full, &span);
                self.paragraph(heading, r#"<w:jc w:val="left"/>"#, row.first().unwrap_or(&empty));
                self.out.push_str("</w:tc></w:tr>");
            }
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (&i, width) in l.columns.iter().zip(&l.widths) {
                self.cell_start(*width, "");
                let jc = match t.align.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left => "",
                    Align::Center => r#"<w:jc w:val="center"/>"#,
                    Align::Right => r#"<w:jc w:val="right"/>"#,
                };
                self.paragraph(text, jc, row.get(i).unwrap_or(&empty));
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }

    /// `<w:tc>` with its properties; `span` is `w:gridSpan` and `w:shd`, or nothing.
    fn cell_start(&mut self, width: u32, span: &str) {
        self.out.push_str(&format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vAlign w:val="center"/></w:tcPr>"#
        ));
    }
}

/// A header cell's lines, with line breaks between them.
fn lines(lines: &[String]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Inline::Break);
        }
        out.push(Inline::Text {
            text: line.clone(),
            style: Style::default(),
        });
    }
    out
}
