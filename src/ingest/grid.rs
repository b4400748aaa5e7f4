//! A sheet as one format-neutral grid of cells, with its merged areas.
//! What each format stores in a cell is decided in [`super::cells`].

use std::collections::HashMap;

use calamine::{Data, Range};

use super::cells::{convert, formula_cell, Stored};
use super::formula::as_user_sees_it;
use crate::diag::CellPos;

pub use super::cells::{format_number, Cell};

/// A merged area: its first (top-left) and last (bottom-right) cell. Only
/// the first cell holds a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: CellPos,
    pub last: CellPos,
}

impl Merge {
    pub fn contains(&self, pos: CellPos) -> bool {
        (self.first.row..=self.last.row).contains(&pos.row) && (self.first.col..=self.last.col).contains(&pos.col)
    }

    /// `E7:G7`.
    pub fn a1(&self) -> String {
        format!("{}:{}", self.first.a1(), self.last.a1())
    }
}

/// One sheet: cells addressed by absolute (row, col), whatever the range's
/// start. Outside the used area every cell is empty.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet's name as the workbook spells it.
    pub name: String,
    origin: (u32, u32),
    width: usize,
    cells: Vec<Cell>,
    /// Formula texts as the user sees them, by absolute (row, col).
    formulas: HashMap<(u32, u32), String>,
    pub merges: Vec<Merge>,
    /// Why the sheet's formulas could not be read, if they could not: then a
    /// blank cell may be a formula never calculated.
    pub formulas_unreadable: Option<String>,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    /// Build from the cached values and the formula texts; `stored` says how
    /// the file stores a formula cell's result (see [`super::cells`]).
    pub fn new(
        name: &str,
        values: &Range<Data>,
        formulas: Option<&Range<String>>,
        stored: impl Fn((u32, u32), &Data) -> Stored,
    ) -> Grid {
        let formula_bounds = formulas.and_then(|f| f.start().zip(f.end()));
        let Some(((r0, c0), (r1, c1))) = bounds(values.start().zip(values.end()), formula_bounds) else {
            return Grid::from_cells(name, (0, 0), 0, Vec::new());
        };
        let width = (c1 - c0 + 1) as usize;
        let height = (r1 - r0 + 1) as usize;
        let mut cells = vec![Cell::Empty; width * height];
        let index = |r: u32, c: u32| (r - r0) as usize * width + (c - c0) as usize;
        let mut formula_texts = HashMap::new();
        if let Some(vs) = values.start() {
            for (r, c, v) in values.used_cells() {
                let (ar, ac) = (vs.0 + r as u32, vs.1 + c as u32);
                cells[index(ar, ac)] = convert(v);
            }
        }
        if let (Some(f), Some((fs, _))) = (formulas, formula_bounds) {
            for (r, c, text) in f.used_cells() {
                let pos = (fs.0 + r as u32, fs.1 + c as u32);
                if text.trim().is_empty() {
                    continue;
                }
                let value = values.get_value(pos).unwrap_or(&Data::Empty);
                cells[index(pos.0, pos.1)] = formula_cell(stored(pos, value), value, text);
                formula_texts.insert(pos, as_user_sees_it(text));
            }
        }
        let mut grid = Grid::from_cells(name, (r0, c0), width, cells);
        grid.formulas = formula_texts;
        grid
    }

    pub fn from_cells(name: &str, origin: (u32, u32), width: usize, cells: Vec<Cell>) -> Grid {
        Grid {
            name: name.to_owned(),
            origin,
            width,
            cells,
            formulas: HashMap::new(),
            merges: Vec::new(),
            formulas_unreadable: None,
        }
    }

    /// The formula in a cell, as the user sees it (`SUM(E7:P7)`), if any.
    /// calamine gives no text for an .xls shared formula (LibreOffice writes
    /// a column of alike formulas so): such a cell reads by its value alone.
    pub fn formula(&self, pos: CellPos) -> Option<&str> {
        self.formulas.get(&(pos.row, pos.col)).map(String::as_str)
    }

    /// The merged area that starts at `pos`, if any.
    pub fn merge_at(&self, pos: CellPos) -> Option<&Merge> {
        self.merges.iter().find(|m| m.first == pos)
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

/// The area covering both the values and the formulas: a formula cell may
/// lie outside the value range when it has no value.
fn bounds(
    values: Option<((u32, u32), (u32, u32))>,
    formulas: Option<((u32, u32), (u32, u32))>,
) -> Option<((u32, u32), (u32, u32))> {
    match (values, formulas) {
        (Some(v), Some(f)) => Some((
            (v.0 .0.min(f.0 .0), v.0 .1.min(f.0 .1)),
            (v.1 .0.max(f.1 .0), v.1 .1.max(f.1 .1)),
        )),
        (v, f) => v.or(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_addresses_cells_absolutely() {
        let mut range = Range::new((2, 3), (3, 4));
        range.set_value((2, 3), Data::Float(1.0));
        range.set_value((3, 4), Data::String("x".into()));
        let g = Grid::new("s", &range, None, |_, v| {
            super::super::cells::stored_in_binary_or_xlsx(v)
        });
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
        let g = Grid::new("s", &values, Some(&formulas), |_, v| {
            super::super::cells::stored_in_binary_or_xlsx(v)
        });
        assert_eq!(g.get(CellPos::new(0, 1)), &Cell::FormulaWithoutValue("SUM(A1)".into()));
        assert_eq!(g.formula(CellPos::new(0, 1)), Some("SUM(A1)"));
        assert_eq!(g.formula(CellPos::new(0, 0)), None);
    }
}
