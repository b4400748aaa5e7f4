//! The cells of summary.xlsx: what a cell holds and how it looks — YaHei
//! 10 pt, thin grey borders, the metric's decimals, dates as dates, "—"
//! where there is nothing to compare with, a bold totals row.

use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// A value for one cell. Text is always written as text, never a formula.
pub enum Cell<'a> {
    Text(&'a str),
    /// Short text centred: a status, a month.
    Centred(&'a str),
    /// A code, shown last and in grey.
    Code(&'a str),
    /// A figure with the metric's decimals.
    Number(f64, u32),
    /// A percentage, in percentage points with one decimal.
    Pct(f64),
    /// A month number shown as `6月`, still a number to sort and filter.
    Month(u8),
    Date(NaiveDate),
    /// `—`: there is nothing to compare with.
    Dash,
    Blank,
}

impl<'a> Cell<'a> {
    /// Text, or a blank cell for none.
    pub fn text_or_blank(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Blank, Cell::Text)
    }

    /// Centred text, or a blank cell for none.
    pub fn centred_or_blank(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Blank, Cell::Centred)
    }
}

/// The formats of one kind of row: body rows, or the bold totals row.
pub(super) struct Palette {
    text: Format,
    centred: Format,
    code: Format,
    date: Format,
    pct: Format,
    month: Format,
    by_decimals: Vec<Format>,
}

impl Palette {
    fn new(base: &Format) -> Palette {
        let number = |pattern: &str| base.clone().set_num_format(pattern).set_align(FormatAlign::Right);
        Palette {
            text: base.clone().set_text_wrap(),
            centred: base.clone().set_align(FormatAlign::Center),
            code: base.clone().set_font_color(Color::RGB(0x595959)),
            date: base.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Center),
            pct: number("0.0"),
            month: base.clone().set_num_format("0\"月\"").set_align(FormatAlign::Center),
            by_decimals: (0..=6)
                .map(|d| match d {
                    0 => number("#,##0"),
                    d => number(&format!("#,##0.{}", "0".repeat(d))),
                })
                .collect(),
        }
    }

    pub(super) fn of(&self, cell: &Cell) -> &Format {
        match cell {
            Cell::Text(_) => &self.text,
            Cell::Centred(_) | Cell::Dash => &self.centred,
            Cell::Code(_) => &self.code,
            Cell::Number(_, d) => &self.by_decimals[(*d as usize).min(6)],
            Cell::Pct(_) => &self.pct,
            Cell::Month(_) => &self.month,
            Cell::Date(_) => &self.date,
            Cell::Blank => &self.text,
        }
    }
}

pub struct Styles {
    pub(super) header: Format,
    pub(super) body: Palette,
    pub(super) total: Palette,
}

impl Styles {
    pub fn new() -> Styles {
        let base = Format::new()
            .set_font_name("Microsoft YaHei")
            .set_font_size(10)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        Styles {
            header: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E2F3)),
            total: Palette::new(&base.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2))),
            body: Palette::new(&base),
        }
    }
}
