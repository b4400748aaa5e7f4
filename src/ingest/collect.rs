//! One sheet's cells collected as a reader streams them: only cells inside
//! the area read are kept (the rest are counted for a note), and the text
//! they hold is budgeted, so that no sheet grows past the limits however
//! its file is made.

use std::collections::HashMap;

use calamine::Data;

use super::cells::{convert, formula_cell, Stored};
use super::formula::as_user_sees_it;
use super::grid::{Cell, Grid};
use super::limits::{in_area, Ignored, MAX_COLS, MAX_ROWS, MAX_SHEET_TEXT_BYTES};
use super::open::OpenError;

pub struct SheetCells {
    name: String,
    cells: Vec<((u32, u32), Cell)>,
    formulas: HashMap<(u32, u32), String>,
    ignored: Ignored,
    text_bytes: usize,
}

impl SheetCells {
    pub fn new(name: &str) -> SheetCells {
        SheetCells {
            name: name.to_owned(),
            cells: Vec::new(),
            formulas: HashMap::new(),
            ignored: Ignored::default(),
            text_bytes: 0,
        }
    }

    /// Whether the cell at (row, col) is read; a cell beyond the area is
    /// noted as ignored.
    pub fn wants(&mut self, row: u32, col: u32) -> bool {
        if in_area(row, col) {
            return true;
        }
        self.ignored.note(row, col);
        false
    }

    /// Note `count` cells beyond the area, the first at (row, col), without
    /// visiting them (a repeated .ods row or column).
    pub fn ignore(&mut self, row: u32, col: u32, count: u64) {
        self.ignored.note(row, col);
        self.ignored.count += count - 1;
    }

    /// Count `bytes` more text against the sheet's budget.
    pub fn spend_text(&mut self, bytes: usize) -> Result<(), OpenError> {
        self.text_bytes = self.text_bytes.saturating_add(bytes);
        if self.text_bytes > MAX_SHEET_TEXT_BYTES {
            return Err(OpenError::TooLarge(format!(
                "工作表“{}”的文字超过 {} MB",
                self.name,
                MAX_SHEET_TEXT_BYTES >> 20
            )));
        }
        Ok(())
    }

    /// A value cell (no formula), already checked with [`Self::wants`];
    /// taken by value, so that a text is moved into the grid, not copied.
    pub fn value(&mut self, pos: (u32, u32), value: Data) -> Result<(), OpenError> {
        let cell = match value {
            Data::Empty => return Ok(()),
            Data::String(s) => Cell::Text(s),
            other => convert(&other),
        };
        self.push(pos, cell)
    }

    /// A formula cell: its stored result and its formula text as the file
    /// spells it.
    pub fn formula(&mut self, pos: (u32, u32), stored: Stored, value: &Data, text: &str) -> Result<(), OpenError> {
        self.spend_text(text.len())?;
        self.push(pos, formula_cell(stored, value, text))?;
        self.formulas.insert(pos, as_user_sees_it(text));
        Ok(())
    }

    /// A cell already made (the .ods reader decides formula results itself).
    pub fn push(&mut self, pos: (u32, u32), cell: Cell) -> Result<(), OpenError> {
        if let Cell::Text(s) | Cell::Time(s) | Cell::Error(s) | Cell::FormulaWithoutValue(s) = &cell {
            self.spend_text(s.len())?;
        }
        // No sheet of the area holds more cells; only a file that repeats
        // cells (no program does) gets here.
        if self.cells.len() >= (MAX_ROWS * MAX_COLS) as usize {
            return Err(OpenError::TooLarge(format!(
                "工作表“{}”的单元格超过 {MAX_ROWS} 行 × {MAX_COLS} 列",
                self.name
            )));
        }
        self.cells.push((pos, cell));
        Ok(())
    }

    pub fn finish(self) -> Grid {
        let mut grid = Grid::from_sparse(&self.name, self.cells, self.formulas);
        grid.ignored = self.ignored;
        grid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::CellPos;

    #[test]
    fn cells_beyond_the_area_are_counted_not_kept() {
        let mut s = SheetCells::new("数据");
        assert!(s.wants(0, 0));
        s.value((0, 0), Data::Float(1.0)).unwrap();
        assert!(!s.wants(1_048_575, 16_383));
        assert!(!s.wants(MAX_ROWS, 0));
        let g = s.finish();
        assert_eq!(g.row_end(), 1);
        assert_eq!(g.ignored.count, 2);
        assert_eq!(g.ignored.examples[0], CellPos::new(1_048_575, 16_383));
        assert!(g.ignored.message("数据").contains("XFD1048576"));
    }

    #[test]
    fn a_formula_without_cached_value_is_marked() {
        let mut s = SheetCells::new("s");
        s.value((0, 0), Data::Float(1.0)).unwrap();
        s.formula((0, 1), Stored::Nothing, &Data::Empty, "SUM(A1)").unwrap();
        let g = s.finish();
        assert_eq!(g.get(CellPos::new(0, 1)), &Cell::FormulaWithoutValue("SUM(A1)".into()));
        assert_eq!(g.formula(CellPos::new(0, 1)), Some("SUM(A1)"));
        assert_eq!(g.formula(CellPos::new(0, 0)), None);
    }

    #[test]
    fn text_past_the_budget_is_too_large() {
        let mut s = SheetCells::new("数据");
        let long = "x".repeat(MAX_SHEET_TEXT_BYTES / 2 + 1);
        s.value((0, 0), Data::String(long.clone())).unwrap();
        let err = s.value((0, 1), Data::String(long)).unwrap_err();
        assert!(matches!(err, OpenError::TooLarge(_)), "{err:?}");
    }
}
