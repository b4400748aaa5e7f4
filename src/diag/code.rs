//! The list of diagnostic codes: each one meaning, its severity, and what the
//! unit (or the office) should do. `as_str` is the stable code written to
//! validation.csv; the README's table is rendered from this list.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident, $meaning:literal, $action:literal;)*) => {
        /// A diagnostic's kind. Each code has exactly one meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case code of validation.csv.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The severity the code is reported with (a superseded file's
            /// problems are later lowered to notes).
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, for the README.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }

            /// What the unit (or the office) should do about it.
            pub fn action(self) -> &'static str {
                match self {
                    $(Code::$variant => $action,)*
                }
            }
        }
    };
}

codes! {
    // Files found in a year folder.
    LockFile = "lock-file", Note,
        "An Office/WPS lock file (`~$…`, `.~lock.…`); skipped.", "Nothing.";
    NotASpreadsheet = "not-a-spreadsheet", Note,
        "A file that is not a workbook (by its extension); skipped.", "Nothing, unless it was meant as a submission.";
    FolderLink = "folder-link", Warning,
        "A link (symlink) to a folder inside a year folder; not followed, so no folder is read twice or from another year.", "Office: put the workbooks themselves into the year folder.";
    OutsideLink = "outside-link", Warning,
        "A link to a file outside the input folder, or a broken link; not read.", "Office: copy the workbook itself into the year folder.";
    NotAFile = "not-a-file", Warning,
        "A FIFO, device or socket in a year folder; skipped without opening it.", "Office: remove it from the input folder.";
    UnreadablePath = "unreadable-path", Warning,
        "A folder or file the job cannot list; what it holds was not checked.", "Office: check the folder's permissions.";
    UnreadableFile = "unreadable-file", Error,
        "The file could not be read from disk.", "Office: check the file's permissions and run again.";
    EmptyFile = "empty-file", Error,
        "The file is 0 bytes.", "Send the workbook again.";
    PasswordProtected = "password-protected", Error,
        "The workbook has an opening password.", "Remove the password, save, send again.";
    NotAWorkbook = "not-a-workbook", Error,
        "A spreadsheet name on something else (HTML, PDF, a Word file).", "Open it in Excel/WPS and save as .xlsx.";
    CorruptFile = "corrupt-file", Error,
        "The workbook is damaged or cut short.", "Save it again and resend; check the mail attachment.";
    TooLargeOrDamaged = "too-large-or-damaged", Error,
        "The workbook is past the reader's limits (file over 100 MB, a part over 128 MB inflated, a deflate bomb, sizes or counts the file claims far beyond any form, a sector chain that loops), or reading it in its worker process took more than 900 MiB of memory or 10 s; not read.", "Open it in Excel/WPS, delete what is not the form, save as .xlsx, send again.";
    WrongExtension = "wrong-extension", Note,
        "The content is another format than the name says; read by its content.", "Nothing.";
    MissingSheet = "missing-sheet", Error,
        "Sheet 基本信息 or 数据 is not in the workbook.", "Use the form as sent; do not rename its sheets.";
    SheetNameSpelling = "sheet-name-spelling", Note,
        "A sheet found under its name with spaces or full-width letters (` 数据 `).", "Nothing.";
    CellsIgnored = "cells-ignored", Note,
        "Cells far outside any form's area (beyond row 10,000 or column 200, e.g. a stray XFD1048576) in 基本信息 or 数据; not read.", "Nothing; delete the stray cells next time.";
    FormulasUnreadable = "formulas-unreadable", Error,
        "The sheet's formulas could not be read, so blank cells and never-calculated formulas cannot be told apart.", "Open in Excel, WPS or LibreOffice, recalculate, save, send again.";
    FormulaError = "formula-error", Error,
        "A formula's stored result is an error value (#DIV/0!, #N/A, Err:502 …).", "Correct the formula, or type the number.";
    FormulaWithoutValue = "formula-without-value", Error,
        "A formula whose result was never calculated (written by a script), other than the form's own 全年.", "Open in Excel, WPS or LibreOffice, recalculate, save, send again.";
    // 基本信息.
    MissingField = "missing-field", Error,
        "A required label (单位代码, 年度, 截至月份, 填报日期) is not in 基本信息.", "Use the form as sent.";
    MissingValue = "missing-value", Error,
        "A required field is left blank (未填写), at its column-B cell.", "Fill it in.";
    UnknownUnit = "unknown-unit", Error,
        "单位代码 is not in the registry; the file counts for no unit.", "Correct the code; a new unit registers with the office first.";
    UnitCodeNormalised = "unit-code-normalised", Note,
        "单位代码 read with spaces, full-width letters, case or leading zeros set aside.", "Nothing.";
    NameMismatch = "name-mismatch", Warning,
        "单位名称 differs from the registry's name for that code.", "Check the code; tell the office of a new name.";
    BadYear = "bad-year", Error,
        "年度 is not a year.", "Write the four-digit year.";
    WrongYear = "wrong-year", Error,
        "年度 differs from the year folder the file is in.", "Correct 年度 (or the office moves the file).";
    BadMonth = "bad-month", Error,
        "截至月份 is not a month 1–12.", "Write 1–12 (12 at year end).";
    MonthSpelling = "month-spelling", Note,
        "截至月份 written in words (十二月, 全年) and read as its number.", "Nothing.";
    BadDate = "bad-date", Error,
        "填报日期 is not a date.", "Write a date such as 2016-01-10.";
    DateSerial = "date-serial", Note,
        "填报日期 is a date's serial number in a General cell (42379), read as that date.", "Nothing; format the cell as a date next time.";
    // 数据: the header.
    NoHeader = "no-header", Error,
        "No header row with 指标代码 in the first 10 rows of 数据.", "Use the form as sent; keep its header.";
    DuplicateColumn = "duplicate-column", Error,
        "Two columns with the same header (two 3月 columns).", "Delete the extra column.";
    NoNumberColumns = "no-number-columns", Error,
        "The header has none of 1月…12月 or 全年.", "Use the form as sent; keep its header.";
    HeaderSpelling = "header-spelling", Note,
        "Month headers written 1月份 or 01月, read as 1月.", "Nothing.";
    ColumnIgnored = "column-ignored", Note,
        "A column the form does not have holds something; it is not read.", "Move figures into their month columns.";
    // 数据: the rows.
    UnknownMetric = "unknown-metric", Warning,
        "A 指标代码 that is not in the year's catalogue; its row does not count.", "Correct the code (as in the form sent).";
    DuplicateMetric = "duplicate-metric", Error,
        "The same 指标代码 on two rows.", "Merge the two rows into one.";
    TotalRowSkipped = "total-row-skipped", Note,
        "A 合计/小计 row without 指标代码, skipped: totals are computed.", "Nothing.";
    RowWithoutCode = "row-without-code", Error,
        "A row with figures but no 指标代码.", "Write the code, or delete the row.";
    RowSkipped = "row-skipped", Note,
        "A row with text but no code and no figures, skipped.", "Nothing.";
    UnitMismatch = "unit-mismatch", Warning,
        "The row's 计量单位 differs from the catalogue's.", "Check the figures are in the catalogue's unit.";
    TextNumber = "text-number", Note,
        "A number typed as text (１２, 1,740, 54万元 in a 万元 metric), read as the number.", "Nothing.";
    NothingReportedMark = "nothing-reported-mark", Note,
        "“—”, “－”, “-”, “/” or “无” alone in a number cell, read as blank (nothing reported).", "Nothing; leave such cells empty next time.";
    NotANumber = "not-a-number", Error,
        "Text in a number cell that is not a number (约300, 六十, 1,74).", "Type the number only; leave months with nothing empty.";
    NumberWithOtherUnit = "number-with-other-unit", Error,
        "A number followed by a word or sign other than the metric's unit (54元 in a 万元 metric, 15%).", "Convert to the metric's unit and type the number only.";
    DateInNumberCell = "date-in-number-cell", Error,
        "A date in a number cell (often a number cell formatted as a date).", "Type the number; set the cell's format to General.";
    TimeInNumberCell = "time-in-number-cell", Error,
        "A time or duration in a number cell.", "Type the number; set the cell's format to General.";
    LogicalInNumberCell = "logical-in-number-cell", Error,
        "TRUE/FALSE in a number cell.", "Type the number.";
    TooLarge = "too-large", Error,
        "A figure over a trillion (1e12): no committee figure is that large, and such figures could make totals overflow.", "Check the figure for extra digits or a wrong cell.";
    InvalidNumber = "invalid-number", Error,
        "A number that is not finite.", "Type the number.";
    Negative = "negative", Error,
        "A negative figure.", "Correct the month concerned instead.";
    Fraction = "fraction", Error,
        "A fraction in a whole-number metric (decimals = 0).", "Type a whole number.";
    AfterCutoff = "after-cutoff", Error,
        "A month after 截至月份 is filled.", "Clear it, or raise 截至月份.";
    MergedValue = "merged-value", Warning,
        "A figure in a cell merged across several month (or row) cells; it counts once, in its first cell.", "Unmerge and type each month's figure.";
    AnnualMismatch = "annual-mismatch", Error,
        "全年 differs from the months (their sum; a level's latest month) at the metric's decimals.", "Correct the months or 全年 (全年 may be left blank).";
    AnnualSkipsText = "annual-skips-text", Warning,
        "全年 was computed by a SUM that skipped months typed as text; the months' sum counts instead.", "Office: confirm the figure with the unit; type months as numbers.";
    AnnualComputed = "annual-computed", Note,
        "全年 holds the form's own formula with no usable stored result (none: scripts, web exports; or one older than the months: manual calculation, xlsxwriter's 0); computed from the months.", "Nothing.";
    // Which submission counts.
    SameDateConflict = "same-date-conflict", Error,
        "Two submissions of a unit with the same 填报日期 and different figures; neither counts.", "Delete the wrong one, or date the correction later.";
    DuplicateSubmission = "duplicate-submission", Note,
        "A copy of another submission (same date, same figures); counted once.", "Nothing.";
    Superseded = "superseded", Note,
        "An older submission replaced by one with a later 填报日期; its problems are shown as notes.", "Nothing.";
    // Plausibility against the unit's own history (the figure still counts).
    CheckUnitSlip = "check-unit-slip", Warning,
        "A money cell about 1,000–10,000 times (or that fraction of) the unit's usual cell for the metric: 元 typed in a 万元 column, or the reverse.", "Unit: check the unit of measure and send the corrected workbook.";
    CheckVsLastYear = "check-vs-last-year", Warning,
        "The unit's figure is many times (or a small fraction of) its own last year over the same months, both material.", "Unit: confirm the figure or correct it.";
    CheckMonthSpike = "check-month-spike", Warning,
        "One month many times the unit's usual month for the metric.", "Unit: confirm the month or correct it.";
    CheckLevelJump = "check-level-jump", Warning,
        "A level (在册人数 …) that jumps for one month and returns the next.", "Unit: check that month's level.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and scripts compare codes with their validation.csv spelling.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{s} is not kebab-case"
            );
            assert!(!c.meaning().is_empty() && !c.action().is_empty(), "{s}");
        }
    }
}
