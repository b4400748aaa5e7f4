//! What a cell holds, the same for every format. The one place where each
//! format's way of storing a formula's result is turned into a [`Cell`]:
//!
//! | the file holds | .xlsx | .xls | .ods |
//! |---|---|---|---|
//! | a formula never calculated (scripts) | `<f>` with no or an empty `<v>` | cannot be stored: xlwt stores an empty-string result | `table:formula` with no `office:value-type` and no `<text:p>` |
//! | a formula whose result is "" | `t="str"` and an empty `<v>` | FORMULA record, result type 3 | `table:formula`, no `office:value-type`, an empty `<text:p/>` |
//! | a formula whose result is an error | `t="e"`, `<v>#DIV/0!</v>` | FORMULA record, error result | `office:value-type="string"` `calcext:value-type="error"`, the error in `<text:p>` |
//!
//! calamine reads the first two .ods cases both as an empty cell with a
//! formula, and an .ods error as the string of its paragraph: the .ods
//! reader (`ods.rs`) reads those cells' attributes from content.xml
//! itself. What the reader makes of each case is [`Stored`]. A stored empty
//! string for a formula that cannot give one (`E4*2`, `SUM(…)`) is read as
//! never calculated: that is how xlwt writes every formula of an .xls.

use calamine::Data;
use chrono::NaiveDate;

use super::formula;

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
    /// A formula whose result was never computed (written by a script), in
    /// A1 syntax as the user sees it (`SUM(E7:P7)`).
    FormulaWithoutValue(String),
}

/// What the file stores as a formula's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// A value: read as the value.
    Value,
    /// The empty string (`=IF(…,"",…)`): a blank cell, as every program shows it.
    EmptyString,
    /// Nothing: the formula was never calculated.
    Nothing,
    /// An error value, as the program shows it (`#DIV/0!`, `Err:502`).
    Error(String),
}

/// Error values as programs show them; an .ods written by a program other
/// than LibreOffice may mark them only by their text.
const ERROR_LITERALS: [&str; 9] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#SPILL!",
];

/// Whether a text is an error value as a program displays it (LibreOffice
/// also writes `Err:502` and the like).
pub fn is_error_text(s: &str) -> bool {
    let s = s.trim();
    ERROR_LITERALS.contains(&s)
        || s.strip_prefix("Err:")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

/// How an .xlsx/.xls/.xlsb formula cell's result is stored, from calamine's
/// value (these formats keep the distinction calamine needs).
pub fn stored_in_binary_or_xlsx(value: &Data) -> Stored {
    match value {
        Data::Empty => Stored::Nothing,
        Data::String(s) if s.is_empty() => Stored::EmptyString,
        Data::Error(e) => Stored::Error(e.to_string()),
        _ => Stored::Value,
    }
}

/// A formula cell: its result as stored, with its formula for messages.
pub fn formula_cell(stored: Stored, value: &Data, formula_text: &str) -> Cell {
    match stored {
        Stored::Value => match convert(value) {
            // A formula's string result that is an error's text.
            Cell::Text(s) if is_error_text(&s) => Cell::Error(s.trim().to_owned()),
            cell => cell,
        },
        Stored::EmptyString => {
            let shown = formula::as_user_sees_it(formula_text);
            if formula::never_empty_string(&shown) {
                Cell::FormulaWithoutValue(shown)
            } else {
                Cell::Empty
            }
        }
        Stored::Nothing => Cell::FormulaWithoutValue(formula::as_user_sees_it(formula_text)),
        Stored::Error(e) => Cell::Error(e),
    }
}

/// A value cell (no formula) as calamine reads it.
pub fn convert(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if !dt.is_duration() && dt.as_f64() >= 1.0 => Cell::Date(d.date()),
            // A time of day as the cell shows it; a duration as a number of days.
            Some(d) if !dt.is_duration() => Cell::Time(d.time().format("%H:%M").to_string()),
            _ => Cell::Time(format_number(dt.as_f64())),
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
    fn values_of_every_format_become_one_kind_of_cell() {
        assert_eq!(convert(&Data::Int(7)), Cell::Number(7.0));
        assert_eq!(
            convert(&Data::DateTimeIso("2016-01-10".into())),
            Cell::Date(NaiveDate::from_ymd_opt(2016, 1, 10).unwrap())
        );
        assert_eq!(
            convert(&Data::String("#DIV/0!".into())),
            Cell::Text("#DIV/0!".into()),
            "typed text is text; only a formula's result is an error value"
        );
    }

    #[test]
    fn formula_results_as_stored() {
        let f = "of:=IF(COUNT([.E7:.P7])=0;\"\";SUM([.E7:.P7]))";
        assert_eq!(formula_cell(Stored::EmptyString, &Data::Empty, f), Cell::Empty);
        assert_eq!(
            formula_cell(Stored::Nothing, &Data::Empty, f),
            Cell::FormulaWithoutValue("IF(COUNT(E7:P7)=0,\"\",SUM(E7:P7))".into())
        );
        assert_eq!(
            formula_cell(
                Stored::Error("#DIV/0!".into()),
                &Data::String("#DIV/0!".into()),
                "of:=1/0"
            ),
            Cell::Error("#DIV/0!".into())
        );
        assert_eq!(
            formula_cell(Stored::Value, &Data::String("Err:502".into()), "of:=SQRT(-1)"),
            Cell::Error("Err:502".into())
        );
        assert_eq!(
            formula_cell(Stored::Value, &Data::Float(8.0), "SUM(C1:E1)"),
            Cell::Number(8.0)
        );
        assert_eq!(
            stored_in_binary_or_xlsx(&Data::String(String::new())),
            Stored::EmptyString
        );
        assert_eq!(
            formula_cell(Stored::EmptyString, &Data::String(String::new()), "E4*2"),
            Cell::FormulaWithoutValue("E4*2".into()),
            "xlwt's placeholder for a formula that cannot give \"\""
        );
        assert_eq!(stored_in_binary_or_xlsx(&Data::Empty), Stored::Nothing);
    }
}
