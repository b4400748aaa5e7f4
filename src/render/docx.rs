//! report.docx: the rendered Markdown laid out as a Word document (title,
//! headings, paragraphs, lists, tables, chart images), so Word, Markdown and
//! any user template say exactly the same thing.

use std::collections::HashMap;

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableRow,
};

/// Chinese official-document fonts; Word substitutes where one is missing.
const BODY_FONT: &str = "仿宋";
const HEADING_FONT: &str = "黑体";
const TITLE_FONT: &str = "宋体";
/// Sizes in half-points: 三号 (16pt) body, 二号 (22pt) title.
const BODY_SIZE: usize = 32;
const TITLE_SIZE: usize = 44;
const TABLE_SIZE: usize = 21;
/// A4 in twentieths of a point, margins as official documents use them.
const A4: (u32, u32) = (11906, 16838);
/// Chart width on the page: 15 cm in EMU, height by the image's ratio.
const CHART_WIDTH_EMU: u32 = 5_400_000;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

/// Runs of one line, with `**bold**` spans.
fn runs(text: &str, font: &str, size: usize, bold_all: bool) -> Vec<Run> {
    text.split("**")
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            let run = Run::new().add_text(unescape(part)).fonts(fonts(font)).size(size);
            if bold_all || i % 2 == 1 {
                run.bold()
            } else {
                run
            }
        })
        .collect()
}

/// Markdown backslash escapes back to their characters.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn paragraph(runs: Vec<Run>) -> Paragraph {
    runs.into_iter()
        .fold(Paragraph::new(), |p, r| p.add_run(r))
        .line_spacing(LineSpacing::new().line(560))
}

/// Cells of a Markdown table row, split on unescaped `|`.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(inner);
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => out.push(String::new()),
            _ => {
                out.last_mut().expect("one cell").push(c);
            }
        }
        escaped = c == '\\' && !escaped;
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

fn table(lines: &[&str]) -> Table {
    let rows = lines
        .iter()
        .filter(|l| {
            !cells(l)
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
        })
        .enumerate()
        .map(|(i, l)| {
            let cells = cells(l)
                .into_iter()
                .map(|c| TableCell::new().add_paragraph(paragraph(runs(&c, BODY_FONT, TABLE_SIZE, i == 0))))
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows)
}

/// `![alt](path)` → the chart's PNG, scaled to the text width.
fn image(line: &str, images: &HashMap<String, Vec<u8>>) -> Option<Paragraph> {
    let path = line.trim().strip_prefix("![")?.split_once("](")?.1.strip_suffix(')')?;
    let png = images.get(path)?;
    let (w, h) = png_size(png)?;
    let height = (CHART_WIDTH_EMU as u64 * h as u64 / w.max(1) as u64) as u32;
    let pic = Pic::new_with_dimensions(png.clone(), w, h).size(CHART_WIDTH_EMU, height);
    Some(
        Paragraph::new()
            .add_run(Run::new().add_image(pic))
            .align(AlignmentType::Center),
    )
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// Lay out `markdown` as a .docx; `images` maps the paths it links to PNG bytes.
pub fn docx_from_markdown(markdown: &str, images: &HashMap<String, Vec<u8>>) -> Result<Vec<u8>, docx_rs::DocxError> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(2098).bottom(1984).left(1588).right(1474))
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim_start().starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            doc = doc.add_table(table(&lines[start..i]));
            continue;
        }
        i += 1;
        if line.trim().is_empty() {
            continue;
        }
        let p = if let Some(t) = line.strip_prefix("# ") {
            paragraph(runs(t, TITLE_FONT, TITLE_SIZE, true)).align(AlignmentType::Center)
        } else if let Some(t) = line.strip_prefix("## ").or_else(|| line.strip_prefix("### ")) {
            paragraph(runs(t, HEADING_FONT, BODY_SIZE, false))
        } else if let Some(p) = image(line, images) {
            p
        } else if let Some(t) = line.strip_prefix("- ") {
            paragraph([vec![Run::new().add_text("• ")], runs(t, BODY_FONT, BODY_SIZE, false)].concat()).indent(
                Some(640),
                None,
                None,
                None,
            )
        } else {
            // Body text: first line indented two characters (2 × 16pt).
            paragraph(runs(line, BODY_FONT, BODY_SIZE, false)).indent(
                None,
                Some(SpecialIndentType::FirstLine(640)),
                None,
                None,
            )
        };
        doc = doc.add_paragraph(p);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_keep_escaped_pipes() {
        assert_eq!(cells("| a | b\\|c | d |"), ["a", "b\\|c", "d"]);
        assert_eq!(unescape("b\\|c \\<x\\>"), "b|c <x>");
    }

    #[test]
    fn png_dimensions_from_the_header() {
        let mut png = vec![0u8; 24];
        png[16..20].copy_from_slice(&900u32.to_be_bytes());
        png[20..24].copy_from_slice(&520u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((900, 520)));
    }
}
