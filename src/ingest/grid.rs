//! A sheet as one format-neutral grid of cells, with its merged areas.
//! What each format stores in a cell is decided in [`super::cells`].

use std::collections::HashMap;

use super::limits::Ignored;
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
    /// Cells beyond the area read (see [`super::limits`]), not in the grid.
    pub ignored: Ignored,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    pub fn from_cells(name: &str, origin: (u32, u32), width: usize, cells: Vec<Cell>) -> Grid {
        Grid {
            name: name.to_owned(),
            origin,
            width,
            cells,
            formulas: HashMap::new(),
            merges: Vec::new(),
            formulas_unreadable: None,
            ignored: Ignored::default(),
        }
    }

    /// Every non-empty cell with its absolute (row, col), row by row.
    pub fn used_cells(&self) -> impl Iterator<Item = ((u32, u32), &Cell)> {
        let (r0, c0, w) = (self.origin.0, self.origin.1, self.width.max(1));
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != Cell::Empty)
            .map(move |(i, c)| ((r0 + (i / w) as u32, c0 + (i % w) as u32), c))
    }

    /// Formula texts by absolute (row, col).
    pub fn formulas(&self) -> &HashMap<(u32, u32), String> {
        &self.formulas
    }

    /// A grid from sparse cells (absolute positions, all inside the area
    /// read) and formula texts as the user sees them.
    pub fn from_sparse(name: &str, cells: Vec<((u32, u32), Cell)>, formulas: HashMap<(u32, u32), String>) -> Grid {
        let bounds = cells
            .iter()
            .map(|(p, _)| *p)
            .fold(None, |b: Option<((u32, u32), (u32, u32))>, (r, c)| {
                Some(match b {
                    None => ((r, c), (r, c)),
                    Some(((r0, c0), (r1, c1))) => ((r0.min(r), c0.min(c)), (r1.max(r), c1.max(c))),
                })
            });
        let Some(((r0, c0), (r1, c1))) = bounds else {
            let mut grid = Grid::from_cells(name, (0, 0), 0, Vec::new());
            grid.formulas = formulas;
            return grid;
        };
        let width = (c1 - c0 + 1) as usize;
        let mut dense = vec![Cell::Empty; width * (r1 - r0 + 1) as usize];
        for ((r, c), cell) in cells {
            dense[(r - r0) as usize * width + (c - c0) as usize] = cell;
        }
        let mut grid = Grid::from_cells(name, (r0, c0), width, dense);
        grid.formulas = formulas;
        grid
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_addresses_cells_absolutely() {
        let cells = vec![((2, 3), Cell::Number(1.0)), ((3, 4), Cell::Text("x".into()))];
        let g = Grid::from_sparse("s", cells, HashMap::new());
        assert_eq!(g.get(CellPos::new(2, 3)), &Cell::Number(1.0));
        assert_eq!(g.get(CellPos::new(3, 4)), &Cell::Text("x".into()));
        assert_eq!(g.get(CellPos::new(0, 0)), &Cell::Empty);
        assert_eq!(g.get(CellPos::new(9, 9)), &Cell::Empty);
        assert_eq!(g.row_end(), 4);
        assert_eq!(g.col_end(), 5);
        let used: Vec<(u32, u32)> = g.used_cells().map(|(p, _)| p).collect();
        assert_eq!(used, [(2, 3), (3, 4)]);
    }
}
