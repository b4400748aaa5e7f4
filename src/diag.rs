//! Diagnostics: problems found in the data, collected for the whole run.
//!
//! A data problem is never an early `Err`: it becomes a [`Diagnostic`] with the
//! place it was found (`file › sheet!cell`) and a message in Chinese telling the
//! unit what to fix, and the run goes on.

use std::fmt;

use serde::{Deserialize, Serialize};

mod code;
pub use code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    /// The word used in validation.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// The word shown to office staff.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}

/// A zero-based (row, column) position in a sheet, absolute from A1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellPos {
    pub row: u32,
    pub col: u32,
}

impl CellPos {
    pub fn new(row: u32, col: u32) -> Self {
        CellPos { row, col }
    }

    /// The cell in A1 form, e.g. `F12`.
    pub fn a1(self) -> String {
        let mut out = String::with_capacity(8);
        self.push_a1(&mut out);
        out
    }

    /// `E7`, appended to `out` (sources.csv writes one per row).
    pub fn push_a1(self, out: &mut String) {
        push_column_letters(out, self.col);
        crate::number::push_digits(out, u64::from(self.row) + 1);
    }
}

impl fmt::Display for CellPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.a1())
    }
}

/// Zero-based column index to letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut out = String::with_capacity(4);
    push_column_letters(&mut out, col);
    out
}

/// [`column_letters`] appended to `out`.
pub fn push_column_letters(out: &mut String, col: u32) {
    // Seven letters reach past u32::MAX.
    let mut letters = [0u8; 8];
    let mut at = letters.len();
    let mut n = col as u64 + 1;
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.push_str(std::str::from_utf8(&letters[at..]).expect("ASCII letters"));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The unit the problem belongs to, when known (as written in the workbook).
    pub unit_code: Option<String>,
    /// Path relative to the input folder, with `/` separators.
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<CellPos>,
    /// What kind of problem it is; `code.as_str()` is validation.csv's code.
    pub code: Code,
    pub message: String,
}

impl Diagnostic {
    /// A problem of a whole file, with the code's own severity.
    pub fn of_file(code: Code, file: &str, unit_code: Option<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            unit_code,
            file: file.to_owned(),
            sheet: None,
            cell: None,
            code,
            message: message.into(),
        }
    }

    /// `2015/u017.xlsx › 数据!F12`, as much of it as is known.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(sheet) = &self.sheet {
            s.push_str(" › ");
            s.push_str(sheet);
            if let Some(cell) = self.cell {
                s.push('!');
                s.push_str(&cell.a1());
            }
        }
        s
    }
}

/// Collects the diagnostics of one file as it is read.
#[derive(Debug, Default)]
pub struct Sink {
    pub file: String,
    pub unit_code: Option<String>,
    pub items: Vec<Diagnostic>,
}

impl Sink {
    pub fn new(file: impl Into<String>) -> Self {
        Sink {
            file: file.into(),
            unit_code: None,
            items: Vec::new(),
        }
    }

    /// Record a problem with the code's own severity.
    pub fn push(&mut self, code: Code, sheet: Option<&str>, cell: Option<CellPos>, message: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: code.severity(),
            unit_code: self.unit_code.clone(),
            file: self.file.clone(),
            sheet: sheet.map(str::to_owned),
            cell,
            code,
            message: message.into(),
        });
    }

    /// A problem at one cell.
    pub fn at(&mut self, sheet: &str, cell: CellPos, code: Code, message: impl Into<String>) {
        self.push(code, Some(sheet), Some(cell), message);
    }

    /// A problem of a whole sheet.
    pub fn on_sheet(&mut self, sheet: &str, code: Code, message: impl Into<String>) {
        self.push(code, Some(sheet), None, message);
    }

    /// A problem of the whole file.
    pub fn on_file(&mut self, code: Code, message: impl Into<String>) {
        self.push(code, None, None, message);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Once the unit is known, every diagnostic of the file belongs to it.
    pub fn set_unit(&mut self, code: &str) {
        self.unit_code = Some(code.to_owned());
        for d in &mut self.items {
            d.unit_code = Some(code.to_owned());
        }
    }
}

/// Counts by severity, for summaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_roll_over() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(51), "AZ");
        assert_eq!(column_letters(52), "BA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
        let mut out = String::from("数据!");
        CellPos::new(1_048_575, 16_383).push_a1(&mut out);
        assert_eq!(out, "数据!XFD1048576");
    }

    #[test]
    fn location_reads_file_sheet_cell() {
        let mut sink = Sink::new("2015/u017.xlsx");
        sink.at("数据", CellPos::new(11, 5), Code::NotANumber, "m");
        assert_eq!(sink.items[0].location(), "2015/u017.xlsx › 数据!F12");
    }
}
