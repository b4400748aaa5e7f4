//! One number cell: blank, a number, a text that is a number once normalised
//! (a note), a mark meaning "nothing" (a note), or a problem the unit must
//! fix — with the message saying how.

use crate::diag::Code;
use crate::ingest::grid::Cell;
use crate::text::{halfwidth, trim};

use super::figure::as_typed;

#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    Blank,
    /// "—", "-", "/", "无" alone: nothing reported, as written.
    NothingMark(String),
    Number(f64),
    /// Text read as a number; the note names the original text.
    Coerced {
        value: f64,
        original: String,
    },
    Problem {
        code: Code,
        message: String,
    },
}

fn problem(code: Code, message: String) -> Reading {
    Reading::Problem { code, message }
}

/// What units write for "nothing this month" (after full-width forms are
/// made half-width: "－" is "-", "／" is "/").
const NOTHING_MARKS: [&str; 6] = ["-", "—", "——", "–", "/", "无"];

/// The largest figure a cell may hold: a trillion of any unit is far
/// beyond any committee's figures, and keeps every sum over any number of
/// cells finite (two cells of 1e308 would add up to infinity).
pub const MAX_FIGURE: f64 = 1e12;

/// Read a month or 全年 cell of a metric measured in `unit`.
pub fn read_number(cell: &Cell, unit: &str) -> Reading {
    match read_any_number(cell, unit) {
        Reading::Number(v) | Reading::Coerced { value: v, .. } if v.abs() > MAX_FIGURE => problem(
            Code::TooLarge,
            format!("数字 {v} 大得不合理（超过一万亿）。请核对是否多打了数字，或填错了单元格。"),
        ),
        reading => reading,
    }
}

fn read_any_number(cell: &Cell, unit: &str) -> Reading {
    match cell {
        Cell::Empty => Reading::Blank,
        Cell::Number(n) if n.is_finite() => Reading::Number(*n),
        Cell::Number(_) => problem(Code::InvalidNumber, "数值无效（不是有限的数）。请填写数字。".into()),
        Cell::Text(s) if trim(s).is_empty() => Reading::Blank,
        Cell::Text(s) if NOTHING_MARKS.contains(&trim(&halfwidth(s))) => Reading::NothingMark(trim(s).to_owned()),
        Cell::Text(s) => match parse_number_text(s, unit) {
            Ok(value) => Reading::Coerced {
                value,
                original: s.clone(),
            },
            Err((code, message)) => problem(code, message),
        },
        Cell::Date(d) => problem(
            Code::DateInNumberCell,
            format!(
                "这里是日期（{}），不是数字。请填写数量或金额；若单元格被设成了日期格式，请改为“常规”或“数值”格式。",
                d.format("%Y-%m-%d")
            ),
        ),
        Cell::Time(t) => problem(
            Code::TimeInNumberCell,
            format!("这里是时间（{t}），不是数字。请填写数量或金额。"),
        ),
        Cell::Bool(b) => problem(
            Code::LogicalInNumberCell,
            format!(
                "这里是逻辑值 {}，不是数字。请填写数量或金额。",
                if *b { "TRUE" } else { "FALSE" }
            ),
        ),
        Cell::Error(e) => problem(Code::FormulaError, formula_error_message(e)),
        Cell::FormulaWithoutValue(f) => problem(Code::FormulaWithoutValue, formula_without_value_message(f)),
    }
}

/// A cached error value, in any sheet.
pub fn formula_error_message(error: &str) -> String {
    format!("单元格显示错误值 {error}（公式出错）。请改正公式，或直接填写数字。")
}

/// A formula never calculated, shown as the user sees it in any program.
pub fn formula_without_value_message(formula: &str) -> String {
    format!(
        "公式 ={formula} 没有计算结果（文件可能由程序生成，保存前没有计算过）。请在 Excel、WPS 或 LibreOffice 中打开，重新计算并保存后再发送；也可以直接填写数字。"
    )
}

/// A number typed as text: full-width digits, thousands separators (`1,740`,
/// `1，740`), surrounding spaces, and a trailing unit equal to the metric's
/// own (`54万元` in a 万元 metric). Anything else is an error message.
pub fn parse_number_text(original: &str, unit: &str) -> Result<f64, (Code, String)> {
    let s = halfwidth(original);
    let mut s = trim(&s).to_owned();
    let unit = trim(&halfwidth(unit)).to_owned();
    if !unit.is_empty() {
        if let Some(stripped) = s.strip_suffix(unit.as_str()) {
            s = trim(stripped).to_owned();
        }
    }
    if let Some(v) = plain_number(&s) {
        return Ok(v);
    }
    // Say what is wrong in the unit's terms.
    let numeric_prefix: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+'))
        .collect();
    let suffix = trim(&s[numeric_prefix.len()..]).to_owned();
    if !numeric_prefix.is_empty() && plain_number(&numeric_prefix).is_some() && !suffix.is_empty() {
        let expected = if unit.is_empty() {
            String::new()
        } else {
            format!("，本指标的计量单位是“{unit}”")
        };
        return Err((
            Code::NumberWithOtherUnit,
            format!(
                "“{}”带有文字“{suffix}”{expected}。请按计量单位换算后只填数字。",
                trim(original)
            ),
        ));
    }
    Err((
        Code::NotANumber,
        format!(
            "“{}”不是数字。请只填写数字（如 300），不要写文字、估计数或符号；没有发生的月份请留空。",
            trim(original)
        ),
    ))
}

/// `123`, `-5`, `12.50`, `1,740`, `1,234,567.8` — and nothing looser.
fn plain_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let digits_ok = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        (1..=3).contains(&first.len())
            && first.chars().all(|c| c.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
    } else {
        !int.is_empty() && int.chars().all(|c| c.is_ascii_digit())
    };
    if !digits_ok {
        return None;
    }
    s.replace(',', "").parse::<f64>().ok()
}

/// The checks every value of a metric must pass, as a message if it fails.
pub fn check_value(value: f64, decimals: u32, metric_name: &str, unit: &str) -> Result<(), (Code, String)> {
    if value < 0.0 {
        return Err((
            Code::Negative,
            format!(
                "数值 {} 是负数。请填写不小于 0 的数；如需更正以前月份的数，请直接改正那个月。",
                as_typed(value)
            ),
        ));
    }
    if decimals == 0 && (value - value.round()).abs() > 1e-9 {
        return Err((
            Code::Fraction,
            format!(
                "“{metric_name}”按{}计，只能是整数，这里是 {}。请填写整数。",
                if unit.is_empty() { "个数" } else { unit },
                as_typed(value)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str, unit: &str) -> f64 {
        parse_number_text(s, unit).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn normalises_what_units_type() {
        assert_eq!(ok("１２３", "件"), 123.0);
        assert_eq!(ok("1,740", "个"), 1740.0);
        assert_eq!(ok("1，740", "个"), 1740.0);
        assert_eq!(ok("  300 ", "人"), 300.0);
        assert_eq!(ok("\u{3000}300\u{3000}", "人"), 300.0);
        assert_eq!(ok("54万元", "万元"), 54.0);
        assert_eq!(ok("54 万元", "万元"), 54.0);
        assert_eq!(ok("56.82", "万元"), 56.82);
        assert_eq!(ok("1,234,567.5", "元"), 1234567.5);
        assert_eq!(
            ok("-5", "件"),
            -5.0,
            "the sign is kept so the negative rule can name it"
        );
    }

    #[test]
    fn rejects_everything_else() {
        for s in [
            "约300",
            "六十",
            "300左右",
            "1,74",
            "12,3456",
            "1.2.3",
            "",
            "3e5",
            "1 740",
        ] {
            assert!(parse_number_text(s, "件").is_err(), "{s} must be rejected");
        }
    }

    #[test]
    fn a_different_unit_is_named() {
        let (code, e) = parse_number_text("54元", "万元").unwrap_err();
        assert_eq!(code, Code::NumberWithOtherUnit);
        assert!(e.contains("带有文字“元”") && e.contains("万元"), "{e}");
    }

    #[test]
    fn cells_of_every_kind() {
        assert_eq!(read_number(&Cell::Empty, "件"), Reading::Blank);
        assert_eq!(read_number(&Cell::Text("  ".into()), "件"), Reading::Blank);
        assert_eq!(read_number(&Cell::Number(5.0), "件"), Reading::Number(5.0));
        assert!(matches!(read_number(&Cell::Text("5".into()), "件"), Reading::Coerced { value, .. } if value == 5.0));
        for mark in ["—", "－", "-", "/", "无", " 无 ", "——"] {
            assert_eq!(
                read_number(&Cell::Text(mark.into()), "件"),
                Reading::NothingMark(mark.trim().into()),
                "{mark}"
            );
        }
        assert!(matches!(
            read_number(&Cell::Text("无数".into()), "件"),
            Reading::Problem {
                code: Code::NotANumber,
                ..
            }
        ));
        for c in [
            Cell::Error("#DIV/0!".into()),
            Cell::Bool(true),
            Cell::Date(chrono::NaiveDate::from_ymd_opt(2015, 3, 1).unwrap()),
            Cell::FormulaWithoutValue("SUM(A1:A2)".into()),
        ] {
            assert!(matches!(read_number(&c, "件"), Reading::Problem { .. }), "{c:?}");
        }
    }

    #[test]
    fn values_must_be_non_negative_and_whole_where_required() {
        assert!(check_value(0.0, 0, "器材", "件").is_ok());
        assert_eq!(check_value(-1.0, 2, "资金", "万元").unwrap_err().0, Code::Negative);
        assert_eq!(check_value(12.5, 0, "器材", "件").unwrap_err().0, Code::Fraction);
        assert!(check_value(12.5, 2, "资金", "万元").is_ok());
        assert!(
            check_value(3.0000000000004, 0, "器材", "件").is_ok(),
            "float noise from formulas is whole"
        );
    }
}
