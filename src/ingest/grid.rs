//! A sheet as one format-neutral grid of cells.
//!
//! calamine hands back each format differently (xls whole numbers as `Int`,
//! ods dates as ISO text and errors as strings, formulas without a cached value
//! as empty cells). Everything past this module sees only [`Cell`].

use calamine::{Data, Range};
use chrono::NaiveDate;

use crate::diag::CellPos;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// A date (or date-time; the time is dropped).
    Date(NaiveDate),
    /// A time or duration with no date part, or a date out of range.
    Time(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was never computed (written by a script).
    FormulaWithoutValue(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::text::trim(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for labels and codes (numbers without a trailing `.0`).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) => Some(format_number(*n)),
            Cell::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
            Cell::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
            Cell::Time(s) | Cell::Error(s) => Some(s.clone()),
            Cell::Empty | Cell::FormulaWithoutValue(_) => None,
        }
    }

    /// How the cell reads in a message to a unit.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => "（空）".into(),
            Cell::FormulaWithoutValue(f) => format!("公式 ={f}"),
            other => other.as_text().unwrap_or_default(),
        }
    }
}

/// A number as a person writes it: `12`, `12.5`, never `12.0` or `12.499999`.
pub fn format_number(n: f64) -> String {
    crate::text::decimal(n, 6)
}

/// Error literals as ODS files store them (as plain strings).
const ERROR_LITERALS: [&str; 8] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
];

pub fn convert(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::String(s) => {
            if ERROR_LITERALS.contains(&s.trim()) || s.trim() == "Err:502" {
                Cell::Error(s.trim().to_owned())
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if !dt.is_duration() && dt.as_f64() >= 1.0 => Cell::Date(d.date()),
            _ => Cell::Time(format!("{}", dt)),
        },
        Data::DateTimeIso(s) => {
            let date_part = s.get(..10).unwrap_or(s);
            match NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
                Ok(d) => Cell::Date(d),
                Err(_) => Cell::Time(s.clone()),
            }
        }
        Data::DurationIso(s) => Cell::Time(s.clone()),
    }
}

/// One sheet: cells addressed by absolute (row, col), whatever the range's
/// start. Outside the used area every cell is empty.
#[derive(Debug, Clone)]
pub struct Grid {
    pub name: String,
    origin: (u32, u32),
    width: usize,
    cells: Vec<Cell>,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    /// Build from the cached values and, where the format has them, the
    /// formula texts (to tell "blank" from "formula never calculated").
    pub fn new(name: &str, values: &Range<Data>, formulas: Option<&Range<String>>) -> Grid {
        let (Some(vs), Some(ve)) = (values.start(), values.end()) else {
            return Grid::from_cells(name, (0, 0), 0, Vec::new());
        };
        // The grid covers both ranges: a formula cell may lie outside the
        // value range when its value is missing.
        let (mut r0, mut c0, mut r1, mut c1) = (vs.0, vs.1, ve.0, ve.1);
        if let Some(f) = formulas {
            if let (Some(fs), Some(fe)) = (f.start(), f.end()) {
                r0 = r0.min(fs.0);
                c0 = c0.min(fs.1);
                r1 = r1.max(fe.0);
                c1 = c1.max(fe.1);
            }
        }
        let width = (c1 - c0 + 1) as usize;
        let height = (r1 - r0 + 1) as usize;
        let mut cells = vec![Cell::Empty; width * height];
        for (r, c, v) in values.used_cells() {
            let (ar, ac) = (vs.0 as usize + r, vs.1 as usize + c);
            cells[(ar - r0 as usize) * width + (ac - c0 as usize)] = convert(v);
        }
        if let (Some(f), Some(fs)) = (formulas, formulas.and_then(|f| f.start())) {
            for (r, c, text) in f.used_cells() {
                let (ar, ac) = (fs.0 as usize + r, fs.1 as usize + c);
                let slot = &mut cells[(ar - r0 as usize) * width + (ac - c0 as usize)];
                if *slot == Cell::Empty && !text.trim().is_empty() {
                    *slot = Cell::FormulaWithoutValue(text.clone());
                }
            }
        }
        Grid::from_cells(name, (r0, c0), width, cells)
    }

    pub fn from_cells(name: &str, origin: (u32, u32), width: usize, cells: Vec<Cell>) -> Grid {
        Grid {
            name: name.to_owned(),
            origin,
            width,
            cells,
        }
    }

    pub fn get(&self, pos: CellPos) -> &Cell {
        let (r0, c0) = self.origin;
        if pos.row < r0 || pos.col < c0 || self.width == 0 {
            return &EMPTY;
        }
        let (r, c) = ((pos.row - r0) as usize, (pos.col - c0) as usize);
        if c >= self.width {
            return &EMPTY;
        }
        self.cells.get(r * self.width + c).unwrap_or(&EMPTY)
    }

    /// One past the last used row (absolute).
    pub fn row_end(&self) -> u32 {
        if self.width == 0 {
            return 0;
        }
        self.origin.0 + (self.cells.len() / self.width) as u32
    }

    /// One past the last used column (absolute).
    pub fn col_end(&self) -> u32 {
        self.origin.1 + self.width as u32
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_people_write_them() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(56.82), "56.82");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
    }

    #[test]
    fn ods_error_strings_become_errors() {
        assert_eq!(convert(&Data::String("#DIV/0!".into())), Cell::Error("#DIV/0!".into()));
        assert_eq!(convert(&Data::Int(7)), Cell::Number(7.0));
        assert_eq!(
            convert(&Data::DateTimeIso("2016-01-10".into())),
            Cell::Date(NaiveDate::from_ymd_opt(2016, 1, 10).unwrap())
        );
    }

    #[test]
    fn grid_addresses_cells_absolutely() {
        let mut range = Range::new((2, 3), (3, 4));
        range.set_value((2, 3), Data::Float(1.0));
        range.set_value((3, 4), Data::String("x".into()));
        let g = Grid::new("s", &range, None);
        assert_eq!(g.get(CellPos::new(2, 3)), &Cell::Number(1.0));
        assert_eq!(g.get(CellPos::new(3, 4)), &Cell::Text("x".into()));
        assert_eq!(g.get(CellPos::new(0, 0)), &Cell::Empty);
        assert_eq!(g.get(CellPos::new(9, 9)), &Cell::Empty);
        assert_eq!(g.row_end(), 4);
    }

    #[test]
    fn formula_without_cached_value_is_marked() {
        let mut values = Range::new((0, 0), (0, 0));
        values.set_value((0, 0), Data::Float(1.0));
        let mut formulas = Range::new((0, 1), (0, 1));
        formulas.set_value((0, 1), "SUM(A1)".to_string());
        let g = Grid::new("s", &values, Some(&formulas));
        assert_eq!(g.get(CellPos::new(0, 1)), &Cell::FormulaWithoutValue("SUM(A1)".into()));
    }
}
