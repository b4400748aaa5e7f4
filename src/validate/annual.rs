//! 全年 against the months: equal at the metric's decimals, compared as
//! decimals; a 全年 whose SUM skipped months typed as text; and the form's own
//! 全年 formula left uncalculated by a script, computed from the months.

use crate::catalogue::Aggregate;
use crate::diag::{column_letters, CellPos, Code, Sink};

use super::data::Figure;
use super::figure::{difference, equals_sum, shown, sum};
use super::header::Layout;
use super::row::Row;

/// A month's counted value.
#[derive(Debug, Clone, Copy)]
pub struct MonthValue {
    pub month: u8,
    pub value: f64,
    /// Typed as text (a SUM formula skips it).
    pub coerced: bool,
    pub cell: CellPos,
}

/// Whether `formula` (as the user sees it) is the form's own 全年 formula
/// for this row: the sum of the row's month cells for a sum, the latest
/// filled month for a level — alone or inside the form's
/// `IF(COUNT(…)=0,"",…)`.
pub fn is_own_formula(formula: &str, row: u32, layout: &Layout, aggregate: Aggregate) -> bool {
    let months: Vec<u32> = layout.months.iter().flatten().copied().collect();
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return false;
    };
    // The range must be exactly the month columns, side by side.
    if (last - first + 1) as usize != months.len() {
        return false;
    }
    let range = format!("{}{n}:{}{n}", column_letters(first), column_letters(last), n = row + 1);
    let value = match aggregate {
        Aggregate::Sum => format!("SUM({range})"),
        Aggregate::Last => format!("LOOKUP(2,1/({range}<>\"\"),{range})"),
    };
    let written: String = formula
        .trim_start_matches('=')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '$')
        .collect::<String>()
        .to_uppercase();
    written == value || written == format!("IF(COUNT({range})=0,\"\",{value})")
}

/// The own formula had no stored result: the months are the figures, and
/// the unit is told so.
pub fn note_computed(row: &Row<'_>, pos: CellPos, formula: &str, months: &[MonthValue], sink: &mut Sink) {
    let said = "文件中没有它的计算结果（由程序或网页导出的文件常见）";
    note(row, pos, formula, said, months, sink);
}

fn note(row: &Row<'_>, pos: CellPos, formula: &str, said: &str, months: &[MonthValue], sink: &mut Sink) {
    let d = row.metric.decimals;
    let computed = shown(sum(&expected(row, months), d), d);
    sink.at(
        super::data::SHEET,
        pos,
        Code::AnnualComputed,
        format!(
            "{}全年是表格自带的公式 ={formula}，{said}，已按各月计算为 {computed}。",
            row.place(pos)
        ),
    );
}

/// A 全年 read from its cell: the value, where, and the form's own formula
/// when it holds it.
pub struct Annual<'a> {
    pub value: f64,
    pub cell: CellPos,
    pub own_formula: Option<&'a str>,
}

/// What 全年 should be: the months' sum, or a level's latest month.
fn expected(row: &Row<'_>, months: &[MonthValue]) -> Vec<f64> {
    match row.metric.aggregate {
        Aggregate::Sum => months.iter().map(|m| m.value).collect(),
        Aggregate::Last => months.last().map(|m| m.value).into_iter().collect(),
    }
}

/// Check 全年 against the months; a 全年-only row counts for the year.
pub fn check(
    row: &Row<'_>,
    annual: Option<Annual<'_>>,
    months: &[MonthValue],
    row_ok: bool,
    sink: &mut Sink,
) -> Vec<Figure> {
    let Some(Annual {
        value: annual,
        cell: pos,
        own_formula,
    }) = annual
    else {
        return Vec::new();
    };
    if months.is_empty() {
        return vec![Figure {
            metric: row.metric_idx as u32,
            month: None,
            value: annual,
            cell: pos,
        }];
    }
    if !row_ok {
        return Vec::new();
    }
    let d = row.metric.decimals;
    let expected = expected(row, months);
    if equals_sum(annual, &expected, d) {
        return Vec::new();
    }
    // A SUM formula skips numbers typed as text: the months, read with the
    // normalisation rules, are the unit's figures — but the office should
    // hear of a 全年 that moves.
    let numeric: Vec<f64> = months.iter().filter(|m| !m.coerced).map(|m| m.value).collect();
    let text_months: Vec<String> = months
        .iter()
        .filter(|m| m.coerced)
        .map(|m| format!("{}月", m.month))
        .collect();
    let place = row.place(pos);
    if row.metric.aggregate == Aggregate::Sum && !text_months.is_empty() && equals_sum(annual, &numeric, d) {
        sink.at(
            super::data::SHEET,
            pos,
            Code::AnnualSkipsText,
            format!(
                "{place}全年 {} 的公式没有计入以文本形式填写的{}，已按各月之和 {} 计入，比全年多 {}。请与单位核实各月数字；月份请填成数值。",
                shown(annual, d),
                text_months.join("、"),
                shown(sum(&expected, d), d),
                shown(-difference(annual, &expected, d), d),
            ),
        );
        return Vec::new();
    }
    // The form's own formula cannot disagree with the months it adds up:
    // its stored result is older than the months (Excel in manual
    // calculation, or a script's placeholder such as xlsxwriter's 0).
    if let Some(formula) = own_formula {
        let said = format!("文件中保存的结果 {} 与各月不符（保存前没有重新计算）", shown(annual, d));
        note(row, pos, formula, &said, months, sink);
        return Vec::new();
    }
    let what = match row.metric.aggregate {
        Aggregate::Sum => "各月之和",
        Aggregate::Last => "最后一个已填月份的数",
    };
    sink.at(
        super::data::SHEET,
        pos,
        Code::AnnualMismatch,
        format!(
            "{place}全年 {} 与{what} {} 不一致（相差 {}）。请核对各月数字和全年数（全年可留空，由程序计算）。",
            shown(annual, d),
            shown(sum(&expected, d), d),
            shown(difference(annual, &expected, d), d),
        ),
    );
    Vec::new()
}
