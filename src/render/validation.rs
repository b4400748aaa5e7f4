//! validation.md (for the office staff who phone the units: what to call
//! about first, notes last; in `validation/`) and validation.csv (SPEC
//! columns), and the counts both the file and the terminal show. Both
//! return bytes.

mod blocks;
mod markdown;

use crate::validate::YearReading;

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

pub use crate::validate::Summary;

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
