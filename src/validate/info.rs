//! Sheet 基本信息: who sent the workbook, for which year, through which month,
//! and on what date. Labels are found by their words, in any row; the value
//! is the cell right of the label (column B, or the merged cell starting
//! there) — the form's hints further right are never read as a value.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diag::{CellPos, Code, Sink};
use crate::ingest::grid::{Cell, Grid};
use crate::registry::Registry;
use crate::text::{code_key, halfwidth, label_key, parse_month, trim};

use super::dates;
use super::number::{formula_error_message, formula_without_value_message};

pub const SHEET: &str = "基本信息";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// The code as written, and where.
    pub written_code: Option<String>,
    /// The registry's code, when the written one is registered.
    pub unit: Option<String>,
    pub written_name: Option<String>,
    pub year: Option<i32>,
    pub filled_through: Option<u8>,
    #[serde(with = "days")]
    pub filed_on: Option<NaiveDate>,
    pub filer: Option<String>,
    pub phone: Option<String>,
}

/// A date as days from 1 January of year 1 (the workers' answers are
/// postcard, and chrono is built without its serde feature).
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        date.map(|d| d.num_days_from_ce()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<i32>::deserialize(d)?.and_then(NaiveDate::from_num_days_from_ce_opt))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Code,
    Name,
    Year,
    Through,
    Date,
    Filer,
    Phone,
}

const FIELDS: [(Field, &str, &[&str], bool); 7] = [
    (Field::Code, "单位代码", &["单位代码", "单位编码", "单位编号"], true),
    (Field::Name, "单位名称", &["单位名称", "填报单位"], false),
    (Field::Year, "年度", &["年度", "年份", "报表年度"], true),
    // 截止 is the common misspelling of 截至.
    (
        Field::Through,
        "截至月份",
        &["截至月份", "截止月份", "截至月", "截止月"],
        true,
    ),
    (Field::Date, "填报日期", &["填报日期", "报送日期", "填表日期"], true),
    (Field::Filer, "填报人", &["填报人", "填表人"], false),
    (Field::Phone, "联系电话", &["联系电话", "电话"], false),
];

const HOW_TO_FILL: [(Field, &str); 4] = [
    (Field::Code, "请填写下发表格中的单位代码"),
    (Field::Year, "请填写年份，如 2015"),
    (Field::Through, "请填写本次报表截至的月份（1–12，年终报表填 12）"),
    (Field::Date, "请填写报送日期，如 2016-01-10"),
];

fn how_to_fill(field: Field) -> &'static str {
    HOW_TO_FILL.iter().find(|(f, _)| *f == field).map_or("", |(_, s)| s)
}

/// Read 基本信息. `folder_year` is the year folder the file sits in.
pub fn read_info(grid: &Grid, folder_year: i32, registry: &Registry, sink: &mut Sink) -> Info {
    let found = locate(grid);
    let mut info = Info::default();
    for (field, label, _, required) in FIELDS {
        let Some(value_pos) = found.iter().find(|(f, _)| *f == field).map(|(_, v)| *v) else {
            if required {
                sink.on_sheet(
                    SHEET,
                    Code::MissingField,
                    format!(
                        "基本信息表中找不到“{label}”。请在 A 列写“{label}”，B 列{}。",
                        how_to_fill(field).trim_start_matches('请')
                    ),
                );
            }
            continue;
        };
        let cell = grid.get(value_pos);
        if cell.is_blank() {
            if required {
                sink.at(
                    SHEET,
                    value_pos,
                    Code::MissingValue,
                    format!("“{label}”未填写。{}。", how_to_fill(field)),
                );
            }
            continue;
        }
        // A formula that was never calculated, or an error value, says nothing.
        match cell {
            Cell::Error(e) => {
                sink.at(
                    SHEET,
                    value_pos,
                    Code::FormulaError,
                    format!("“{label}”：{}", formula_error_message(e)),
                );
                continue;
            }
            Cell::FormulaWithoutValue(f) => {
                let message = formula_without_value_message(f);
                sink.at(
                    SHEET,
                    value_pos,
                    Code::FormulaWithoutValue,
                    format!("“{label}”：{message}"),
                );
                continue;
            }
            _ => {}
        }
        match field {
            Field::Code => read_code(cell, value_pos, registry, &mut info, sink),
            Field::Name => info.written_name = cell.as_text().map(|s| trim(&s).to_owned()),
            Field::Year => info.year = read_year(cell, value_pos, folder_year, sink),
            Field::Through => info.filled_through = read_through(cell, value_pos, sink),
            Field::Date => info.filed_on = dates::read_filing_date(cell, value_pos, folder_year, sink),
            Field::Filer => info.filer = cell.as_text().map(|s| trim(&s).to_owned()),
            Field::Phone => info.phone = cell.as_text().map(|s| trim(&s).to_owned()),
        }
    }
    check_name(&found, registry, &info, sink);
    info
}

/// Every known label with its value cell: the cell right after the label
/// (after the label's own merged area, if the label is merged). Forms merge
/// B:D for the value, and only B holds it; the hints in C are not values.
fn locate(grid: &Grid) -> Vec<(Field, CellPos)> {
    let mut found: Vec<(Field, CellPos)> = Vec::new();
    for r in 0..grid.row_end() {
        for c in 0..grid.col_end() {
            let Some(text) = grid.get(CellPos::new(r, c)).as_text() else {
                continue;
            };
            let key = label_key(&text);
            let Some((field, ..)) = FIELDS.iter().find(|(_, _, aliases, _)| aliases.contains(&key.as_str())) else {
                continue;
            };
            if found.iter().any(|(f, _)| f == field) {
                continue;
            }
            let label_end = grid.merge_at(CellPos::new(r, c)).map_or(c, |m| m.last.col);
            found.push((*field, CellPos::new(r, label_end + 1)));
        }
    }
    found
}

fn read_code(cell: &Cell, pos: CellPos, registry: &Registry, info: &mut Info, sink: &mut Sink) {
    let Some(written) = cell.as_text().map(|s| trim(&s).to_owned()) else {
        return;
    };
    info.written_code = Some(written.clone());
    sink.set_unit(&written);
    match registry.lookup(&written) {
        Some(unit) => {
            info.unit = Some(unit.code.clone());
            sink.set_unit(&unit.code);
            // Spaces and full-width letters vanish in the comparison; the
            // unit hears how its code was read all the same.
            let raw = cell.as_text().unwrap_or_default();
            if raw != unit.code {
                sink.at(
                    SHEET,
                    pos,
                    Code::UnitCodeNormalised,
                    format!("单位代码“{raw}”按名册中的“{}”读取。", unit.code),
                );
            }
        }
        None => sink.at(
            SHEET,
            pos,
            Code::UnknownUnit,
            format!("单位代码“{written}”不在单位名册中，这份报表无法计入。请核对单位代码（见下发的表格）；新成立的单位请先到工委办公室登记。"),
        ),
    }
}

fn read_year(cell: &Cell, pos: CellPos, folder_year: i32, sink: &mut Sink) -> Option<i32> {
    let year = match cell {
        Cell::Number(n) if n.fract() == 0.0 => Some(*n as i32),
        Cell::Text(s) => {
            let s = halfwidth(s);
            let s = trim(&s);
            s.strip_suffix("年度")
                .or_else(|| s.strip_suffix('年'))
                .unwrap_or(s)
                .trim()
                .parse::<i32>()
                .ok()
        }
        _ => None,
    };
    let Some(year) = year.filter(|y| (1900..=2999).contains(y)) else {
        sink.at(
            SHEET,
            pos,
            Code::BadYear,
            format!("年度“{}”无法识别。请填写四位年份，如 {folder_year}。", cell.shown()),
        );
        return None;
    };
    if year != folder_year {
        sink.at(
            SHEET,
            pos,
            Code::WrongYear,
            format!("年度填的是 {year}，但文件放在 {folder_year} 年的文件夹中。请改正年度，或把文件放到 {year} 年的文件夹。"),
        );
    }
    Some(year)
}

fn read_through(cell: &Cell, pos: CellPos, sink: &mut Sink) -> Option<u8> {
    let (month, in_words) = match cell {
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=12.0).contains(n) => (Some(*n as u8), false),
        // A year-end form filled "全年" means all twelve months.
        Cell::Text(s) if matches!(label_key(s).as_str(), "全年" | "年终" | "全年度") => (Some(12), true),
        Cell::Text(s) => {
            let month = parse_month(s);
            // 6 and 6月 are the form's spellings; 六月, 十二月, 06 are read too.
            let key = label_key(s);
            let plain = month.is_some_and(|m| key == m.to_string() || key == format!("{m}月"));
            (month, !plain)
        }
        _ => (None, false),
    };
    match month {
        None => sink.at(
            SHEET,
            pos,
            Code::BadMonth,
            format!(
                "截至月份“{}”无法识别。请填写 1–12 的月份数字（如 6 或“6月”），年终报表填 12。",
                cell.shown()
            ),
        ),
        Some(m) if in_words => sink.at(
            SHEET,
            pos,
            Code::MonthSpelling,
            format!("截至月份“{}”按 {m} 读取。", trim(&cell.shown())),
        ),
        Some(_) => {}
    }
    month
}

fn check_name(found: &[(Field, CellPos)], registry: &Registry, info: &Info, sink: &mut Sink) {
    let (Some(code), Some(written)) = (&info.unit, &info.written_name) else {
        return;
    };
    let Some(unit) = registry.lookup(code) else {
        return;
    };
    let comparable = |s: &str| code_key(s).replace(['(', ')'], "");
    if comparable(written) == comparable(&unit.name) {
        return;
    }
    let Some(pos) = found.iter().find(|(f, _)| *f == Field::Name).map(|(_, v)| *v) else {
        return;
    };
    sink.at(
        SHEET,
        pos,
        Code::NameMismatch,
        format!(
            "单位名称“{written}”与名册中单位代码 {} 的名称“{}”不一致。请核对单位代码是否填错；名称变更请告知工委办公室。",
            unit.code, unit.name
        ),
    );
}
