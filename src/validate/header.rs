//! The header of sheet 数据: one or two rows anywhere in the first ten,
//! columns in any order, labels in the spellings real forms carry.

use crate::diag::{CellPos, Code, Sink};
use crate::ingest::grid::{Cell, Grid};
use crate::text::{label_key, parse_month, trim};

use super::data::SHEET;

/// The header is looked for in the first rows: forms carry a title and a
/// 表号 line above it.
const HEADER_SEARCH_ROWS: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Project,
    Name,
    Unit,
    Month(u8),
    Annual,
    Remark,
    Band,
    Other,
}

fn role_of(key: &str) -> Role {
    match key {
        "指标代码" | "指标编码" => Role::Code,
        "项目" | "项目名称" | "工作项目" => Role::Project,
        "指标" | "指标名称" => Role::Name,
        "计量单位" | "单位" => Role::Unit,
        "全年" | "全年合计" | "全年累计" | "合计" | "年度合计" | "本年合计" | "全年数" | "全年总计" => {
            Role::Annual
        }
        "备注" | "说明" => Role::Remark,
        "月份" | "月度" | "各月" => Role::Band,
        "" => Role::Other,
        _ if key.ends_with('月') || key.ends_with("月份") => parse_month(key).map_or(Role::Other, Role::Month),
        _ => Role::Other,
    }
}

/// Where each column of 数据 is.
#[derive(Debug)]
pub struct Layout {
    pub code: u32,
    pub project: Option<u32>,
    pub name: Option<u32>,
    pub unit: Option<u32>,
    pub months: [Option<u32>; 12],
    pub annual: Option<u32>,
    /// Columns with a header nobody asked for, and that header.
    pub others: Vec<(u32, CellPos, String)>,
    /// Columns with no header at all.
    pub headerless: Vec<u32>,
    pub first_data_row: u32,
}

impl Layout {
    /// The month and 全年 columns.
    pub fn number_columns(&self) -> Vec<u32> {
        self.months
            .iter()
            .flatten()
            .chain(self.annual.iter())
            .copied()
            .collect()
    }

    /// A number column's name in words: `3月`, `全年`.
    pub fn column_label(&self, col: u32) -> String {
        match self.months.iter().position(|c| *c == Some(col)) {
            Some(i) => format!("{}月", i + 1),
            None => "全年".to_owned(),
        }
    }
}

/// Find and check the header; `None` (with errors in the sink) when the
/// sheet cannot be read.
pub fn locate_header(grid: &Grid, sink: &mut Sink) -> Option<Layout> {
    let text = |r: u32, c: u32| grid.get(CellPos::new(r, c)).as_text().unwrap_or_default();
    let cols = grid.col_end();
    let Some((top, code)) = (0..HEADER_SEARCH_ROWS.min(grid.row_end())).find_map(|r| {
        (0..cols)
            .find(|&c| role_of(&label_key(&text(r, c))) == Role::Code)
            .map(|c| (r, c))
    }) else {
        sink.on_sheet(
            SHEET,
            Code::NoHeader,
            "数据表前 10 行中找不到含“指标代码”的表头行。请使用下发的表格，不要删除或改动表头。",
        );
        return None;
    };

    // A second header row: the code cell is merged down (blank below it) and
    // the row holds month labels under a 月份 band — or numbers 1–12 there.
    let band = (0..cols).any(|c| role_of(&label_key(&text(top, c))) == Role::Band);
    let lower_month = |c: u32| -> Option<u8> {
        match grid.get(CellPos::new(top + 1, c)) {
            Cell::Number(n) if band && n.fract() == 0.0 && (1.0..=12.0).contains(n) => Some(*n as u8),
            cell => match role_of(&label_key(&cell.as_text().unwrap_or_default())) {
                Role::Month(m) => Some(m),
                _ => None,
            },
        }
    };
    let two_rows = grid.get(CellPos::new(top + 1, code)).is_blank() && (0..cols).any(|c| lower_month(c).is_some());

    let mut layout = Layout {
        code,
        project: None,
        name: None,
        unit: None,
        months: [None; 12],
        annual: None,
        others: Vec::new(),
        headerless: Vec::new(),
        first_data_row: top + if two_rows { 2 } else { 1 },
    };
    let mut ok = true;
    let mut other_spellings: Vec<(CellPos, String)> = Vec::new();
    for c in 0..cols {
        let (role, at, label) = match (two_rows, lower_month(c)) {
            (true, Some(m)) => (Role::Month(m), CellPos::new(top + 1, c), text(top + 1, c)),
            _ => {
                let upper = text(top, c);
                if label_key(&upper).is_empty() && two_rows {
                    let lower = text(top + 1, c);
                    (role_of(&label_key(&lower)), CellPos::new(top + 1, c), lower)
                } else {
                    (role_of(&label_key(&upper)), CellPos::new(top, c), upper)
                }
            }
        };
        if let Role::Month(m) = role {
            let key = label_key(&label);
            let plain = key == format!("{m}月") || key == m.to_string();
            if !plain {
                other_spellings.push((at, trim(&label).to_owned()));
            }
        }
        let slot = match role {
            Role::Code if c == code => continue,
            Role::Code => None,
            Role::Project => Some(&mut layout.project),
            Role::Name => Some(&mut layout.name),
            Role::Unit => Some(&mut layout.unit),
            Role::Month(m) => Some(&mut layout.months[m as usize - 1]),
            Role::Annual => Some(&mut layout.annual),
            Role::Remark | Role::Band => continue,
            Role::Other => {
                if label_key(&label).is_empty() {
                    layout.headerless.push(c);
                } else {
                    layout.others.push((c, at, trim(&label).to_owned()));
                }
                continue;
            }
        };
        match slot {
            Some(slot @ None) => *slot = Some(c),
            _ => {
                ok = false;
                sink.at(
                    SHEET,
                    at,
                    Code::DuplicateColumn,
                    format!("表头“{}”出现了两次，无法确定该读哪一列。请删除多余的列。", trim(&label)),
                );
            }
        }
    }
    if let Some((at, _)) = other_spellings.first() {
        let written: Vec<String> = other_spellings.iter().map(|(_, l)| format!("“{l}”")).collect();
        sink.at(
            SHEET,
            *at,
            Code::HeaderSpelling,
            format!("月份表头写作{}，按“1月”…“12月”读取。", written.join("")),
        );
    }
    if layout.months.iter().all(Option::is_none) && layout.annual.is_none() {
        sink.on_sheet(
            SHEET,
            Code::NoNumberColumns,
            "数据表的表头中没有“1月”…“12月”或“全年”列。请使用下发的表格，不要删除或改动表头。",
        );
        ok = false;
    }
    ok.then_some(layout)
}
