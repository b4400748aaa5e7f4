//! The counts of a year's reading: units due, received, counted, late, to
//! correct and missing, and diagnostics by severity — what the terminal,
//! validation.md and the report's annex all state.

use crate::diag::Counts;
use crate::validate::{Status, YearReading};

/// The counts at the top of validation.md and in the printed summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub due: usize,
    pub files: usize,
    pub units_received: usize,
    pub counted: usize,
    pub late: usize,
    pub to_correct: usize,
    pub missing: usize,
    pub diagnostics: Counts,
}

impl Summary {
    pub fn of(reading: &YearReading) -> Summary {
        let units = &reading.selection.units;
        let count = |s: Status| reading.selection.with_status(s).count();
        Summary {
            due: units.len(),
            files: reading.submissions.len(),
            units_received: units.iter().filter(|u| u.status != Status::Missing).count(),
            counted: count(Status::Reported) + count(Status::Late),
            late: count(Status::Late),
            to_correct: count(Status::ToCorrect),
            missing: count(Status::Missing),
            diagnostics: Counts::of(reading.diagnostics()),
        }
    }

    /// One line for the terminal.
    pub fn line(&self, year: i32) -> String {
        format!(
            "{year} 年：应报 {} 个单位，收到 {} 个文件，计入 {} 个单位，待更正 {}，未报 {}；错误 {} 条，警告 {} 条，提示 {} 条",
            self.due,
            self.files,
            self.counted,
            self.to_correct,
            self.missing,
            self.diagnostics.errors,
            self.diagnostics.warnings,
            self.diagnostics.notes
        )
    }
}
