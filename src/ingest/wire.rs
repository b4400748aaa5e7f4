//! What a reading worker sends back: the outcome of [`super::open::open`]
//! in postcard (compact binary serde), grids sparse (a cell with its
//! position), numbers by their bits, dates as days.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::grid::{Cell, Grid, Merge};
use super::limits::Ignored;
use super::open::{Format, OpenError, Opened, NOT_SPREADSHEET};
use crate::diag::CellPos;

#[derive(Serialize, Deserialize)]
enum Outcome {
    Opened {
        format: Format,
        sheet_names: Vec<String>,
        sheets: Vec<Option<WireGrid>>,
    },
    Failed(WireError),
}

#[derive(Serialize, Deserialize)]
enum WireError {
    Empty,
    Encrypted,
    NotASpreadsheet(String),
    Corrupt(String),
    TooLarge(String),
}

#[derive(Serialize, Deserialize)]
struct WireGrid {
    name: String,
    cells: Vec<(u32, u32, WireCell)>,
    formulas: Vec<(u32, u32, String)>,
    merges: Vec<[u32; 4]>,
    formulas_unreadable: Option<String>,
    ignored: (u64, Vec<(u32, u32)>),
}

#[derive(Serialize, Deserialize)]
enum WireCell {
    Number(u64),
    Text(String),
    Bool(bool),
    Date(i32),
    Time(String),
    Error(String),
    FormulaWithoutValue(String),
}

pub fn encode(result: &Result<Opened, OpenError>) -> Vec<u8> {
    let outcome = match result {
        Ok(o) => Outcome::Opened {
            format: o.format,
            sheet_names: o.sheet_names.clone(),
            sheets: o.sheets.iter().map(|g| g.as_ref().map(wire_grid)).collect(),
        },
        Err(e) => Outcome::Failed(match e {
            OpenError::Empty => WireError::Empty,
            OpenError::Encrypted => WireError::Encrypted,
            OpenError::NotASpreadsheet(what) => WireError::NotASpreadsheet((*what).to_owned()),
            OpenError::Corrupt(d) => WireError::Corrupt(d.clone()),
            OpenError::TooLarge(d) => WireError::TooLarge(d.clone()),
        }),
    };
    postcard::to_allocvec(&outcome).unwrap_or_default()
}

pub fn decode(bytes: &[u8]) -> Result<Result<Opened, OpenError>, postcard::Error> {
    Ok(match postcard::from_bytes::<Outcome>(bytes)? {
        Outcome::Opened {
            format,
            sheet_names,
            sheets,
        } => Ok(Opened::new(
            format,
            sheet_names,
            sheets.into_iter().map(|g| g.map(grid)).collect(),
        )),
        Outcome::Failed(e) => Err(match e {
            WireError::Empty => OpenError::Empty,
            WireError::Encrypted => OpenError::Encrypted,
            WireError::NotASpreadsheet(what) => OpenError::NotASpreadsheet(
                NOT_SPREADSHEET
                    .into_iter()
                    .find(|k| *k == what)
                    .unwrap_or(NOT_SPREADSHEET[3]),
            ),
            WireError::Corrupt(d) => OpenError::Corrupt(d),
            WireError::TooLarge(d) => OpenError::TooLarge(d),
        }),
    })
}

fn wire_grid(g: &Grid) -> WireGrid {
    let cells = g.used_cells().map(|((r, c), cell)| (r, c, wire_cell(cell))).collect();
    WireGrid {
        name: g.name.clone(),
        cells,
        formulas: g.formulas().iter().map(|(&(r, c), f)| (r, c, f.clone())).collect(),
        merges: g
            .merges
            .iter()
            .map(|m| [m.first.row, m.first.col, m.last.row, m.last.col])
            .collect(),
        formulas_unreadable: g.formulas_unreadable.clone(),
        ignored: (
            g.ignored.count,
            g.ignored.examples.iter().map(|p| (p.row, p.col)).collect(),
        ),
    }
}

fn grid(w: WireGrid) -> Grid {
    let cells = w
        .cells
        .into_iter()
        .map(|(r, c, cell)| ((r, c), cell_of(cell)))
        .collect();
    let formulas: HashMap<(u32, u32), String> = w.formulas.into_iter().map(|(r, c, f)| ((r, c), f)).collect();
    let mut g = Grid::from_sparse(&w.name, cells, formulas);
    g.merges = w
        .merges
        .into_iter()
        .map(|[r0, c0, r1, c1]| Merge {
            first: CellPos::new(r0, c0),
            last: CellPos::new(r1, c1),
        })
        .collect();
    g.formulas_unreadable = w.formulas_unreadable;
    g.ignored = Ignored {
        count: w.ignored.0,
        examples: w.ignored.1.into_iter().map(|(r, c)| CellPos::new(r, c)).collect(),
    };
    g
}

fn wire_cell(c: &Cell) -> WireCell {
    match c {
        Cell::Number(n) => WireCell::Number(n.to_bits()),
        Cell::Text(s) => WireCell::Text(s.clone()),
        Cell::Bool(b) => WireCell::Bool(*b),
        Cell::Date(d) => WireCell::Date(chrono::Datelike::num_days_from_ce(d)),
        Cell::Time(s) => WireCell::Time(s.clone()),
        Cell::Error(s) => WireCell::Error(s.clone()),
        Cell::FormulaWithoutValue(s) => WireCell::FormulaWithoutValue(s.clone()),
        // Not sent: used_cells skips empty cells.
        Cell::Empty => WireCell::Text(String::new()),
    }
}

fn cell_of(w: WireCell) -> Cell {
    match w {
        WireCell::Number(bits) => Cell::Number(f64::from_bits(bits)),
        WireCell::Text(s) => Cell::Text(s),
        WireCell::Bool(b) => Cell::Bool(b),
        WireCell::Date(days) => NaiveDate::from_num_days_from_ce_opt(days).map_or(Cell::Empty, Cell::Date),
        WireCell::Time(s) => Cell::Time(s),
        WireCell::Error(s) => Cell::Error(s),
        WireCell::FormulaWithoutValue(s) => Cell::FormulaWithoutValue(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_goes_and_comes_back_the_same() {
        let cells = vec![
            ((0, 0), Cell::Text("单位代码".into())),
            ((0, 1), Cell::Number(f64::INFINITY)),
            ((1, 1), Cell::Number(0.1 + 0.2)),
            ((2, 0), Cell::Date(NaiveDate::from_ymd_opt(2016, 1, 10).unwrap())),
            ((2, 1), Cell::FormulaWithoutValue("SUM(E7:P7)".into())),
            ((3, 2), Cell::Bool(true)),
        ];
        let mut g = Grid::from_sparse("数据", cells, HashMap::from([((2, 1), "SUM(E7:P7)".to_owned())]));
        g.merges.push(Merge {
            first: CellPos::new(0, 0),
            last: CellPos::new(0, 3),
        });
        g.ignored.note(1_048_575, 16_383);
        g.formulas_unreadable = Some("why".into());
        let sent = Ok(Opened::new(
            Format::Ods,
            vec!["数据".into()],
            vec![Some(g.clone()), None],
        ));
        let back = decode(&encode(&sent)).unwrap().unwrap();
        let h = back.sheets[0].as_ref().unwrap();
        assert!(back.sheets[1].is_none());
        assert_eq!(h.used_cells().collect::<Vec<_>>(), g.used_cells().collect::<Vec<_>>());
        assert_eq!(
            (h.formulas(), &h.merges, &h.ignored),
            (g.formulas(), &g.merges, &g.ignored)
        );
        assert_eq!(h.formulas_unreadable, g.formulas_unreadable);
        let err = Err(OpenError::TooLarge("x".into()));
        assert_eq!(
            decode(&encode(&err)).unwrap().unwrap_err(),
            OpenError::TooLarge("x".into())
        );
    }
}
