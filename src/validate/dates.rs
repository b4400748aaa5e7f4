//! 填报日期 in the spellings units write: a date cell, text such as
//! 2016-01-10 / 2016/1/10 / 2016.1.10 / 2016年1月10日, 20160110, or the date's
//! serial number in a General cell (with a note).

use chrono::{Datelike, NaiveDate};

use crate::diag::{CellPos, Code, Sink};
use crate::ingest::grid::Cell;
use crate::text::{halfwidth, trim};

use super::info::SHEET;

/// 填报日期: a date cell, a date as text, 20160110 in a number cell, or a
/// date serial in a General cell within the folder's year or the next.
pub fn read_filing_date(cell: &Cell, pos: CellPos, folder_year: i32, sink: &mut Sink) -> Option<NaiveDate> {
    let date = match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(s) => parse_date_text(s),
        // 20160110 typed into a number cell.
        Cell::Number(n) if n.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(n) => {
            parse_date_text(&format!("{}", *n as i64))
        }
        // A date typed into a General cell shows as its serial number.
        Cell::Number(n) => {
            let date = serial_date(*n).filter(|d| (folder_year..=folder_year + 1).contains(&d.year()));
            if let Some(d) = date {
                sink.at(
                    SHEET,
                    pos,
                    Code::DateSerial,
                    format!(
                        "填报日期是数字 {}（单元格格式为“常规”），按 Excel 日期读作 {}。",
                        super::figure::as_typed(*n),
                        d.format("%Y-%m-%d")
                    ),
                );
            }
            date
        }
        _ => None,
    };
    if date.is_none() {
        sink.at(
            SHEET,
            pos,
            Code::BadDate,
            format!(
                "填报日期“{}”无法识别。请填写日期，如 2016-01-10 或 2016年1月10日。",
                cell.shown()
            ),
        );
    }
    date
}

/// An Excel date serial (1900 system; days since 1899-12-30), time dropped.
fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n.floor() as u64))
}

/// `2016-01-10`, `2016/1/10`, `2016.1.10`, `2016年1月10日`, with an optional
/// time after a space.
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let s = halfwidth(s);
    let s = trim(&s);
    let s = s.split_whitespace().next().unwrap_or(s);
    let s = s.strip_suffix('日').or_else(|| s.strip_suffix('号')).unwrap_or(s);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::from_ymd_opt(s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..].parse().ok()?);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.is_empty() || d.is_empty() || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_spelling() {
        let d = NaiveDate::from_ymd_opt(2016, 1, 10);
        for s in [
            "2016-01-10",
            "2016/1/10",
            "2016.1.10",
            "2016年1月10日",
            "2016年1月10",
            "２０１６-01-10",
            "2016-01-10 09:30",
        ] {
            assert_eq!(parse_date_text(s), d, "{s}");
        }
        for s in [
            "2016-13-01",
            "16-1-10",
            "2016-1",
            "明年",
            "2016-02-30",
            "20161310",
            "2016011",
        ] {
            assert_eq!(parse_date_text(s), None, "{s}");
        }
    }
}
