//! Blank unit forms: the workbook the office sends each unit, generated from
//! the catalogue, laid out exactly as the reader expects it back. What a
//! unit types into it is [`Filling`] (filling.rs).

mod filling;

pub use filling::Filling;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};

use chrono::Datelike;

use crate::catalogue::{Aggregate, Catalogue};
use crate::diag::column_letters;
use crate::output::safe_stem;
use crate::registry::Unit;
use crate::validate::{data, info};

pub const GUIDE_SHEET: &str = "填报说明";

/// Layout of sheet 数据: two title lines, a two-row header, then metrics.
pub const HEADER_ROW: u32 = 2;
pub const FIRST_DATA_ROW: u32 = 4;
pub const CODE_COL: u16 = 2;
pub const FIRST_MONTH_COL: u16 = 4;
pub const ANNUAL_COL: u16 = FIRST_MONTH_COL + 12;
pub const REMARK_COL: u16 = ANNUAL_COL + 1;

/// 基本信息 rows (label in A, value in B).
const INFO_ROWS: [&str; 7] = [
    "单位代码",
    "单位名称",
    "年度",
    "截至月份",
    "填报日期",
    "填报人",
    "联系电话",
];

struct Styles {
    title: Format,
    subtitle: Format,
    header: Format,
    label: Format,
    locked: Format,
    input_text: Format,
    input_date: Format,
    input_number: Vec<Format>,
    formula: Vec<Format>,
    hint: Format,
    guide: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let pattern = |d: u32| {
            if d == 0 {
                "0".to_owned()
            } else {
                format!("0.{}", "0".repeat(d as usize))
            }
        };
        let grey = Color::RGB(0xF2F2F2);
        Styles {
            title: base.clone().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            subtitle: base.clone().set_font_size(10),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E2F3))
                .set_text_wrap(),
            label: boxed.clone().set_bold().set_background_color(grey),
            locked: boxed.clone().set_background_color(grey),
            input_text: boxed.clone().set_unlocked().set_num_format("@"),
            input_date: boxed.clone().set_unlocked().set_num_format("yyyy-mm-dd"),
            input_number: (0..=6)
                .map(|d| boxed.clone().set_unlocked().set_num_format(pattern(d)))
                .collect(),
            formula: (0..=6)
                .map(|d| boxed.clone().set_background_color(grey).set_num_format(pattern(d)))
                .collect(),
            hint: base.clone().set_font_color(Color::RGB(0x808080)).set_font_size(9),
            guide: base.clone().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// The file name of a unit's form: `<单位代码>-<单位名称>.xlsx`.
pub fn form_file_name(unit: &Unit) -> String {
    format!("{}.xlsx", safe_stem(&format!("{}-{}", unit.code, unit.name)))
}

/// The blank form of one unit for one year, as xlsx bytes.
pub fn unit_form(catalogue: &Catalogue, unit: &Unit, year: i32) -> Result<Vec<u8>, XlsxError> {
    filled_form(catalogue, unit, year, &Filling::default())
}

/// A unit's form with `filling` typed in, formulas cached as Excel would.
pub fn filled_form(catalogue: &Catalogue, unit: &Unit, year: i32, filling: &Filling) -> Result<Vec<u8>, XlsxError> {
    let s = Styles::new();
    let mut book = Workbook::new();
    // A fixed creation time: the same catalogue gives the same bytes.
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?)
            .set_title(&catalogue.title),
    );
    guide_sheet(book.add_worksheet(), catalogue, unit, year, &s)?;
    info_sheet(book.add_worksheet(), unit, year, filling, &s)?;
    data_sheet(book.add_worksheet(), catalogue, unit, year, filling, &s)?;
    book.worksheet_from_index(2)?.set_active(true);
    book.save_to_buffer()
}

fn guide_sheet(ws: &mut Worksheet, catalogue: &Catalogue, unit: &Unit, year: i32, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(GUIDE_SHEET)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 20)?;
    ws.set_column_width(2, 20)?;
    ws.set_column_width(3, 10)?;
    ws.set_column_width(4, 44)?;
    ws.merge_range(
        0,
        0,
        0,
        4,
        &format!("{year}年度{}工作数据报表 填报说明", catalogue.organisation),
        &s.title,
    )?;
    let lines = [
        format!("1. 本表由{}（单位代码 {}）填写，共两张表：“基本信息”和“数据”。", unit.name, unit.code),
        "2. 基本信息：单位代码、单位名称、年度已经填好，请勿修改；请填写截至月份、填报日期、填报人和联系电话。".to_owned(),
        "3. 截至月份：本次报送的数据截至哪个月（1–12）。年中报送填当月，年终报送填 12；截至月份之后的月份请留空。".to_owned(),
        "4. 数据：每个指标一行，按月填写当月发生的数；“月末数”类指标填该月月末的数。没有发生的月份请留空。".to_owned(),
        "5. 只填数字，不要带单位、文字或估计数（如“约300”）；金额按计量单位填写（如 54 表示 54 万元）。".to_owned(),
        "6. “全年”一列由公式自动计算，请勿改动；请不要增删行列或修改表头、工作表名称。".to_owned(),
        "7. 更正：如需更正已报送的数据，请修改后作为新文件重新报送，并把填报日期改为更正当天；汇总时以填报日期最晚的一份为准。"
            .to_owned(),
    ];
    for (i, line) in lines.iter().enumerate() {
        let r = i as u32 + 2;
        ws.merge_range(r, 0, r, 4, line, &s.guide)?;
        ws.set_row_height(r, 30)?;
    }
    let top = lines.len() as u32 + 3;
    for (c, h) in ["项目", "指标", "指标代码", "计量单位", "填写要求"].iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &s.header)?;
    }
    for (i, m) in catalogue.metrics.iter().enumerate() {
        let r = top + 1 + i as u32;
        let kind = match m.aggregate {
            Aggregate::Sum => "填当月发生数",
            Aggregate::Last => "填月末数（全年取最后一个已填月份）",
        };
        let digits = if m.decimals == 0 {
            "整数".to_owned()
        } else {
            format!("最多 {} 位小数", m.decimals)
        };
        ws.write_string_with_format(r, 0, &catalogue.programmes[m.programme].name, &s.locked)?;
        ws.write_string_with_format(r, 1, &m.name, &s.locked)?;
        ws.write_string_with_format(r, 2, &m.id, &s.locked)?;
        ws.write_string_with_format(r, 3, &m.unit, &s.locked)?;
        ws.write_string_with_format(r, 4, format!("{kind}，{digits}，不小于 0"), &s.locked)?;
    }
    Ok(())
}

fn info_sheet(ws: &mut Worksheet, unit: &Unit, year: i32, filling: &Filling, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(info::SHEET)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 34)?;
    ws.set_column_width(2, 40)?;
    for (r, label) in INFO_ROWS.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *label, &s.label)?;
    }
    ws.write_string_with_format(0, 1, &unit.code, &s.locked)?;
    ws.write_string_with_format(1, 1, &unit.name, &s.locked)?;
    ws.write_number_with_format(2, 1, year as f64, &s.locked)?;
    match filling.filled_through {
        Some(m) => ws.write_number_with_format(3, 1, m as f64, &s.input_number[0])?,
        None => ws.write_blank(3, 1, &s.input_number[0])?,
    };
    match filling.filed_on {
        Some(d) => {
            let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(4, 1, d, &s.input_date)?
        }
        None => ws.write_blank(4, 1, &s.input_date)?,
    };
    for (r, text) in [(5, &filling.filer), (6, &filling.phone)] {
        match text {
            Some(t) => ws.write_string_with_format(r, 1, t, &s.input_text)?,
            None => ws.write_blank(r, 1, &s.input_text)?,
        };
    }
    ws.write_string_with_format(3, 2, "1–12 的整数；年终报送填 12", &s.hint)?;
    ws.write_string_with_format(4, 2, "如 2016-01-10；更正时填更正当天", &s.hint)?;
    let month = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1, 12))
        .set_error_title("截至月份")?
        .set_error_message("请填写 1–12 的整数月份。")?;
    ws.add_data_validation(3, 1, 3, 1, &month)?;
    let first = ExcelDateTime::from_ymd(year as u16, 1, 1)?;
    let last = ExcelDateTime::from_ymd(year as u16 + 1, 12, 31)?;
    let date = DataValidation::new()
        .allow_date(DataValidationRule::Between(first, last))
        .set_error_title("填报日期")?
        .set_error_message(format!(
            "请填写 {year}-01-01 至 {}-12-31 之间的日期，如 {}-01-10。",
            year + 1,
            year + 1
        ))?;
    ws.add_data_validation(4, 1, 4, 1, &date)?;
    ws.protect();
    Ok(())
}

fn data_sheet(
    ws: &mut Worksheet,
    catalogue: &Catalogue,
    unit: &Unit,
    year: i32,
    filling: &Filling,
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(data::SHEET)?;
    // An unfilled row's 全年 is blank, as Excel shows it, not 0.
    ws.set_formula_result_default("");
    ws.merge_range(
        0,
        0,
        0,
        REMARK_COL,
        &format!("{year}年度{}工作数据报表", catalogue.organisation),
        &s.title,
    )?;
    ws.merge_range(
        1,
        0,
        1,
        REMARK_COL,
        &format!("表号：{}　填报单位：{}（{}）", catalogue.title, unit.name, unit.code),
        &s.subtitle,
    )?;
    let (h, h2) = (HEADER_ROW, HEADER_ROW + 1);
    for (c, label) in [
        (0, "项目"),
        (1, "指标"),
        (CODE_COL, "指标代码"),
        (3, "计量单位"),
        (ANNUAL_COL, "全年"),
        (REMARK_COL, "备注"),
    ] {
        ws.merge_range(h, c, h2, c, label, &s.header)?;
    }
    ws.merge_range(h, FIRST_MONTH_COL, h, FIRST_MONTH_COL + 11, "月份", &s.header)?;
    for m in 0..12u16 {
        ws.write_string_with_format(h2, FIRST_MONTH_COL + m, format!("{}月", m + 1), &s.header)?;
        ws.set_column_width(FIRST_MONTH_COL + m, 8)?;
    }
    for (c, w) in [
        (0, 14.0),
        (1, 18.0),
        (CODE_COL, 16.0),
        (3, 8.0),
        (ANNUAL_COL, 10.0),
        (REMARK_COL, 16.0),
    ] {
        ws.set_column_width(c, w)?;
    }

    let mut r = FIRST_DATA_ROW;
    for p in &catalogue.programmes {
        let first = r;
        for &mi in &p.metrics {
            let m = &catalogue.metrics[mi];
            let d = m.decimals.min(6) as usize;
            ws.write_string_with_format(r, 1, &m.name, &s.locked)?;
            ws.write_string_with_format(r, CODE_COL, &m.id, &s.locked)?;
            ws.write_string_with_format(r, 3, &m.unit, &s.locked)?;
            let months = filling.months.get(&m.id);
            for (i, c) in (FIRST_MONTH_COL..FIRST_MONTH_COL + 12).enumerate() {
                let text = filling.texts.get(&(m.id.clone(), i as u8 + 1));
                match (text, months.and_then(|v| v[i])) {
                    (Some(t), _) => ws.write_string_with_format(r, c, t, &s.input_number[d])?,
                    (None, Some(v)) => ws.write_number_with_format(r, c, v, &s.input_number[d])?,
                    (None, None) => ws.write_blank(r, c, &s.input_number[d])?,
                };
            }
            match filling.remarks.get(&m.id) {
                Some(t) => ws.write_string_with_format(r, REMARK_COL, t, &s.input_text)?,
                None => ws.write_blank(r, REMARK_COL, &s.input_text)?,
            };
            ws.add_data_validation(
                r,
                FIRST_MONTH_COL,
                r,
                FIRST_MONTH_COL + 11,
                &month_rule(m.decimals, &m.name)?,
            )?;
            // Cached as Excel computes it: blank until a month is filled, so
            // an untouched row reads as blank.
            let cached = filling.cached_annual(&m.id, m.aggregate).unwrap_or_default();
            ws.write_formula_with_format(
                r,
                ANNUAL_COL,
                annual_formula(m.aggregate, r).set_result(cached),
                &s.formula[d],
            )?;
            r += 1;
        }
        if r - first > 1 {
            ws.merge_range(first, 0, r - 1, 0, &p.name, &s.locked)?;
        } else if r > first {
            ws.write_string_with_format(first, 0, &p.name, &s.locked)?;
        }
    }
    if filling.totals_row {
        ws.write_string_with_format(r, 0, "合计", &s.label)?;
        for (i, c) in (FIRST_MONTH_COL..FIRST_MONTH_COL + 12).enumerate() {
            let sum: f64 = filling
                .months
                .iter()
                .filter(|(id, _)| !filling.texts.contains_key(&((*id).clone(), i as u8 + 1)))
                .filter_map(|(_, v)| v[i])
                .sum();
            if sum != 0.0 {
                ws.write_number_with_format(r, c, sum, &s.input_number[6])?;
            }
        }
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, FIRST_MONTH_COL)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

fn month_rule(decimals: u32, name: &str) -> Result<DataValidation, XlsxError> {
    let (rule, what) = if decimals == 0 {
        (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "不小于 0 的整数".to_owned(),
        )
    } else {
        (
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            format!("不小于 0 的数（最多 {decimals} 位小数）"),
        )
    };
    rule.set_error_title(name)?
        .set_error_message(format!("“{name}”请填写{what}；没有发生请留空。"))
}

/// 全年: the sum of the months, or for a level the latest filled month;
/// blank while no month is filled.
fn annual_formula(aggregate: Aggregate, row: u32) -> Formula {
    Formula::new(annual_formula_text(aggregate, row))
}

fn annual_formula_text(aggregate: Aggregate, row: u32) -> String {
    let first = format!("{}{}", column_letters(FIRST_MONTH_COL as u32), row + 1);
    let last = format!("{}{}", column_letters(FIRST_MONTH_COL as u32 + 11), row + 1);
    let range = format!("{first}:{last}");
    let value = match aggregate {
        Aggregate::Sum => format!("SUM({range})"),
        Aggregate::Last => format!("LOOKUP(2,1/({range}<>\"\"),{range})"),
    };
    format!("=IF(COUNT({range})=0,\"\",{value})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annual_formula_blank_until_filled() {
        assert_eq!(
            annual_formula_text(Aggregate::Sum, 4),
            "=IF(COUNT(E5:P5)=0,\"\",SUM(E5:P5))"
        );
        assert!(annual_formula_text(Aggregate::Last, 4).contains("LOOKUP(2,1/(E5:P5<>\"\"),E5:P5)"));
    }
}
