//! A sheet of summary.xlsx being written: cells put with their style,
//! column widths measured from the content (CJK characters count double),
//! wrapped text given the rows it needs, the header frozen and filtered,
//! and the print setup.
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Worksheet, XlsxError};

use super::print::{self, Blocks};
use super::style::{Cell, Styles};

/// Widths in Excel's units (the width of a `0`), padding included.
const MIN_WIDTH: f64 = 5.0;
const MAX_WIDTH: f64 = 60.0;
const PADDING: f64 = 2.0;
/// Points per line of 10 pt Microsoft YaHei, and the row's own margin.
const LINE_HEIGHT: f64 = 14.0;
const ROW_MARGIN: f64 = 3.0;

/// A sheet being written: remembers how wide each column's content is.
pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Vec<f64>,
    /// Columns whose text wraps beyond this width.
    caps: Vec<(u16, f64)>,
    /// `None`: fit to one page wide. Otherwise print the first columns on
    /// every page, the column blocks after them whole, page by page.
    blocks: Option<Blocks>,
    /// The row being written: a row's height is set as it is left, so that
    /// a sheet written row by row in rust_xlsxwriter's low-memory mode
    /// (the unit grid and 报送情况, 10,000 rows at 10,000 units) has it
    /// before the row goes to disk.
    row: Option<u32>,
    /// Lines the row being written needs: Excel does not grow a row for
    /// wrapped text by itself.
    lines: u32,
    /// Rows from this one on are this tall, unless their text needs more.
    body_height: Option<(u32, f64)>,
}

impl<'a> Sheet<'a> {
    pub fn new(ws: &'a mut Worksheet, name: &str, styles: &'a Styles) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            styles,
            widths: Vec::new(),
            caps: Vec::new(),
            blocks: None,
            row: None,
            lines: 1,
            body_height: None,
        })
    }

    /// Rows from `from` on are `height` points tall (unless wrapped text
    /// needs more).
    pub fn body_height(&mut self, from: u32, height: f64) {
        self.body_height = Some((from, height));
    }

    /// About to write `row`: the row left behind gets its height. Every
    /// sheet is written row by row (low-memory mode drops a write to a row
    /// already left).
    fn enter(&mut self, row: u32) -> Result<(), XlsxError> {
        match self.row {
            Some(current) if row > current => {
                self.leave(current)?;
                self.row = Some(row);
            }
            None => self.row = Some(row),
            Some(current) => debug_assert_eq!(row, current, "rows are written in order"),
        }
        Ok(())
    }

    /// The height of a row that is done: what its wrapped text needs, or
    /// the body height.
    fn leave(&mut self, row: u32) -> Result<(), XlsxError> {
        let wrapped = (self.lines > 1).then_some(self.lines as f64 * LINE_HEIGHT + ROW_MARGIN);
        self.lines = 1;
        let body = self.body_height.filter(|(from, _)| row >= *from).map(|(_, h)| h);
        if let Some(height) = wrapped.or(body) {
            self.ws.set_row_height(row, height)?;
        }
        Ok(())
    }

    /// Text in `col` wraps at `width` instead of widening the column.
    pub fn wrap_at(&mut self, col: u16, width: f64) {
        self.caps.push((col, width));
    }

    pub fn header(&mut self, row: u32, col: u16, label: &str) -> Result<(), XlsxError> {
        self.enter(row)?;
        self.ws.write_string_with_format(row, col, label, &self.styles.header)?;
        self.measure_text(col, label);
        Ok(())
    }

    /// A header cell spanning columns (a programme over its metrics), `width`
    /// wide in all; its text wraps within the span and widens no column.
    pub fn header_span(&mut self, row: u32, cols: (u16, u16), width: f64, label: &str) -> Result<(), XlsxError> {
        self.enter(row)?;
        if cols.0 == cols.1 {
            self.ws
                .write_string_with_format(row, cols.0, label, &self.styles.header)?;
        } else {
            self.ws
                .merge_range(row, cols.0, row, cols.1, label, &self.styles.header)?;
        }
        self.need(lines_needed(display_width(label), width));
        Ok(())
    }

    /// A header cell spanning header rows (a label beside a band).
    pub fn header_tall(&mut self, rows: (u32, u32), col: u16, label: &str) -> Result<(), XlsxError> {
        self.enter(rows.0)?;
        self.ws
            .merge_range(rows.0, col, rows.1, col, label, &self.styles.header)?;
        self.measure(col, display_width(label));
        Ok(())
    }

    /// A sheet too wide for one page: columns `0..label_cols` on every page,
    /// and each block of columns (a programme's metrics) kept whole on one.
    pub fn print_in_blocks(&mut self, label_cols: u16, blocks: Vec<(u16, u16)>) {
        self.blocks = Some((label_cols, blocks));
    }

    /// The width `col` will have (once everything is measured, if capped).
    pub fn cap(&self, col: u16) -> Option<f64> {
        self.caps.iter().find(|(c, _)| *c == col).map(|c| c.1 + PADDING)
    }

    pub fn put(&mut self, row: u32, col: u16, cell: Cell) -> Result<(), XlsxError> {
        self.write(row, col, cell, false)
    }

    /// A cell of the totals row, in bold.
    pub fn put_total(&mut self, row: u32, col: u16, cell: Cell) -> Result<(), XlsxError> {
        self.write(row, col, cell, true)
    }

    fn write(&mut self, row: u32, col: u16, cell: Cell, total: bool) -> Result<(), XlsxError> {
        self.enter(row)?;
        let palette = if total { &self.styles.total } else { &self.styles.body };
        let format = palette.of(&cell);
        let width = match cell {
            Cell::Text(s) | Cell::Centred(s) | Cell::Code(s) => {
                self.ws.write_string_with_format(row, col, s, format)?;
                self.measure_text(col, s);
                return Ok(());
            }
            // The value as metrics.csv writes it (the one number module),
            // so a cell and the CSV never disagree in the last digit.
            Cell::Number(v, decimals) => {
                let v = crate::number::rounded(v, decimals);
                self.ws.write_number_with_format(row, col, v, format)?;
                grouped(v, decimals).len() as f64
            }
            Cell::Pct(v) => {
                let v = crate::number::rounded(v, crate::number::DATA_PCT_DECIMALS);
                self.ws.write_number_with_format(row, col, v, format)?;
                format!("{v:.1}").len() as f64
            }
            Cell::Month(m) => {
                self.ws.write_number_with_format(row, col, m as f64, format)?;
                display_width(&format!("{m}月"))
            }
            Cell::Date(d) => {
                let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                self.ws.write_datetime_with_format(row, col, date, format)?;
                10.0
            }
            Cell::Dash => {
                self.ws.write_string_with_format(row, col, "—", format)?;
                2.0
            }
            Cell::Blank => {
                self.ws.write_blank(row, col, format)?;
                0.0
            }
        };
        self.measure(col, width);
        Ok(())
    }

    /// Text widens its column up to the column's cap, and wraps beyond it.
    fn measure_text(&mut self, col: u16, text: &str) {
        let width = text.lines().map(display_width).fold(0.0, f64::max);
        self.measure(col, width);
        let room = self.cap(col).unwrap_or(MAX_WIDTH);
        let lines = text.lines().map(|line| lines_needed(display_width(line), room)).sum();
        self.need(lines);
    }

    /// The row being written needs `lines` lines.
    fn need(&mut self, lines: u32) {
        self.lines = self.lines.max(lines);
    }

    fn measure(&mut self, col: u16, width: f64) {
        let col = col as usize;
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        self.widths[col] = self.widths[col].max(width);
    }

    /// Widths, frozen header (and `frozen_cols` label columns), autofilter
    /// on the last header row over `last_row`, and the print setup.
    pub fn finish(
        mut self,
        header_rows: u32,
        frozen_cols: u16,
        last_row: u32,
        page_title: &str,
    ) -> Result<(), XlsxError> {
        if let Some(row) = self.row {
            self.leave(row)?;
        }
        let last_col = self.widths.len().saturating_sub(1) as u16;
        let mut widths = Vec::with_capacity(self.widths.len());
        for (col, content) in self.widths.iter().enumerate() {
            let cap = self.cap(col as u16).map_or(MAX_WIDTH, |c| c - PADDING);
            let width = (content.min(cap) + PADDING).clamp(MIN_WIDTH, MAX_WIDTH);
            self.ws.set_column_width(col as u16, width)?;
            widths.push(width);
        }
        self.ws.set_freeze_panes(header_rows, frozen_cols)?;
        if last_row >= header_rows {
            self.ws.autofilter(header_rows - 1, 0, last_row, last_col)?;
        }
        print::set_up(self.ws, header_rows, &widths, self.blocks.as_ref(), page_title)
    }
}

/// Lines a text `text_width` wide takes in a column `room` wide: less room
/// than the width for the cell's padding, and Excel breaks lines at words,
/// not at the last character that fits.
fn lines_needed(text_width: f64, room: f64) -> u32 {
    (text_width / (room - 1.0).max(1.0)).ceil().max(1.0) as u32
}

/// Width on screen in Excel's units: CJK and full-width characters (and
/// the punctuation CJK fonts draw full width) count about double.
pub fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2010..=0x206F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2.0,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFF => 2.0,
            _ => 1.1,
        })
        .sum()
}

/// How wide a figure is as the number format shows it.
pub fn figure_width(v: f64, decimals: u32) -> f64 {
    grouped(v, decimals).len() as f64
}

/// A figure as the number format shows it (`50,510.00`), for measuring.
fn grouped(v: f64, decimals: u32) -> String {
    let s = format!("{:.*}", decimals as usize, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("组建科技联盟"), 12.0);
        assert!((display_width("S031") - 4.4).abs() < 1e-9);
        assert!(
            (display_width("“约300”") - (6.0 + 3.3)).abs() < 1e-9,
            "quotes are drawn full width"
        );
    }

    #[test]
    fn figures_are_measured_as_shown() {
        assert_eq!(grouped(50510.0, 2), "50,510.00");
        assert_eq!(grouped(159.0, 0), "159");
        assert_eq!(grouped(1234567.5, 1), "1,234,567.5");
    }
}
