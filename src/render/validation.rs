//! validation.md (for the office staff who phone the units: what to call
//! about first, notes last; in `validation/`) and validation.csv (SPEC
//! columns), and the counts both the file and the terminal show. Both
//! return bytes.

mod blocks;
mod markdown;

use crate::diag::Counts;
use crate::validate::{Status, YearReading};

use super::csv_bytes;

pub use markdown::validation_md;

/// validation.csv: `severity,unit_code,file,sheet,cell,code,message`.
pub fn validation_csv(reading: &YearReading) -> Vec<u8> {
    let rows = reading.diagnostics().into_iter().map(|d| {
        vec![
            d.severity.as_str().to_owned(),
            d.unit_code.clone().unwrap_or_default(),
            d.file.clone(),
            d.sheet.clone().unwrap_or_default(),
            d.cell.map(|c| c.a1()).unwrap_or_default(),
            d.code.as_str().to_owned(),
            d.message.clone(),
        ]
    });
    csv_bytes(
        &["severity", "unit_code", "file", "sheet", "cell", "code", "message"],
        rows,
    )
}

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

/// Text safe inside a Markdown table cell: the one escaper.
pub use crate::escape::markdown as md_escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_escape("a|b\nc"), "a\\|b c");
        assert_eq!(md_escape("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
    }
}
