//! Sheet 基本信息: who sent the workbook, for which year, through which month,
//! and on what date. Labels are found by their words, in any row.

use chrono::NaiveDate;

use crate::diag::{CellPos, Sink};
use crate::ingest::grid::{Cell, Grid};
use crate::registry::Registry;
use crate::text::{code_key, halfwidth, label_key, parse_month, trim};

pub const SHEET: &str = "基本信息";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Info {
    /// The code as written, and where.
    pub written_code: Option<String>,
    /// The registry's code, when the written one is registered.
    pub unit: Option<String>,
    pub written_name: Option<String>,
    pub year: Option<i32>,
    pub filled_through: Option<u8>,
    pub filed_on: Option<NaiveDate>,
    pub filer: Option<String>,
    pub phone: Option<String>,
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
                sink.push(
                    crate::diag::Severity::Error,
                    Some(SHEET),
                    None,
                    "missing-field",
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
                sink.error_at(
                    SHEET,
                    value_pos,
                    "missing-value",
                    format!("“{label}”没有填写。{}。", how_to_fill(field)),
                );
            }
            continue;
        }
        // A formula that was never calculated, or an error value, says nothing.
        if let Cell::FormulaWithoutValue(_) | Cell::Error(_) = cell {
            let code = if matches!(cell, Cell::Error(_)) {
                "formula-error"
            } else {
                "formula-without-value"
            };
            sink.error_at(
                SHEET,
                value_pos,
                code,
                format!(
                    "“{label}”是公式（{}），没有可用的结果。请直接填写，或在 Excel 中打开并保存。",
                    cell.shown()
                ),
            );
            continue;
        }
        match field {
            Field::Code => read_code(cell, value_pos, registry, &mut info, sink),
            Field::Name => info.written_name = cell.as_text().map(|s| trim(&s).to_owned()),
            Field::Year => info.year = read_year(cell, value_pos, folder_year, sink),
            Field::Through => info.filled_through = read_through(cell, value_pos, sink),
            Field::Date => info.filed_on = read_date(cell, value_pos, sink),
            Field::Filer => info.filer = cell.as_text().map(|s| trim(&s).to_owned()),
            Field::Phone => info.phone = cell.as_text().map(|s| trim(&s).to_owned()),
        }
    }
    check_name(&found, registry, &info, sink);
    info
}

/// Every known label with its value cell: the first non-blank cell to its
/// right (forms merge B:D for the value), else the cell right beside it.
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
            let value = (c + 1..grid.col_end())
                .map(|vc| CellPos::new(r, vc))
                .find(|p| !grid.get(*p).is_blank())
                .unwrap_or(CellPos::new(r, c + 1));
            found.push((*field, value));
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
            if code_key(&written) != code_key(&unit.code) {
                sink.note_at(SHEET, pos, "unit-code-normalised", format!("单位代码“{written}”按名册中的“{}”读取。", unit.code));
            }
        }
        None => sink.error_at(
            SHEET,
            pos,
            "unknown-unit",
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
        sink.error_at(
            SHEET,
            pos,
            "bad-year",
            format!("年度“{}”无法识别。请填写四位年份，如 {folder_year}。", cell.shown()),
        );
        return None;
    };
    if year != folder_year {
        sink.error_at(
            SHEET,
            pos,
            "wrong-year",
            format!("年度填的是 {year}，但文件放在 {folder_year} 年的文件夹中。请改正年度，或把文件放到 {year} 年的文件夹。"),
        );
    }
    Some(year)
}

fn read_through(cell: &Cell, pos: CellPos, sink: &mut Sink) -> Option<u8> {
    let month = match cell {
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=12.0).contains(n) => Some(*n as u8),
        // A year-end form filled "全年" means all twelve months.
        Cell::Text(s) if matches!(label_key(s).as_str(), "全年" | "年终" | "全年度") => Some(12),
        Cell::Text(s) => parse_month(s),
        _ => None,
    };
    if month.is_none() {
        sink.error_at(
            SHEET,
            pos,
            "bad-month",
            format!(
                "截至月份“{}”无法识别。请填写 1–12 的月份数字（如 6 或“6月”），年终报表填 12。",
                cell.shown()
            ),
        );
    }
    month
}

fn read_date(cell: &Cell, pos: CellPos, sink: &mut Sink) -> Option<NaiveDate> {
    let date = match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(s) => parse_date_text(s),
        // 20160110 typed into a number cell.
        Cell::Number(n) if n.fract() == 0.0 => parse_date_text(&format!("{}", *n as i64)),
        _ => None,
    };
    if date.is_none() {
        sink.error_at(
            SHEET,
            pos,
            "bad-date",
            format!(
                "填报日期“{}”无法识别。请填写日期，如 2016-01-10 或 2016年1月10日。",
                cell.shown()
            ),
        );
    }
    date
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
    sink.warning_at(
        SHEET,
        pos,
        "name-mismatch",
        format!(
            "单位名称“{written}”与名册中单位代码 {} 的名称“{}”不一致。请核对单位代码是否填错；名称变更请告知工委办公室。",
            unit.code, unit.name
        ),
    );
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
