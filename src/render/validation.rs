//! validation.md (for office staff: summary first, then problems grouped by
//! unit) and validation.csv (SPEC columns). Both return bytes.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diag::{Counts, Diagnostic, Severity};
use crate::escape::markdown as md_escape;
use crate::registry::Registry;
use crate::validate::{Status, YearReading};

use super::csv_bytes;

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

/// The counts at the top of validation.md and in the printed summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub due: usize,
    pub files: usize,
    pub units_received: usize,
    pub counted: usize,
    pub late: usize,
    pub to_correct: usize,
    pub missing: usize,
    pub diagnostics: Counts,
}

impl Summary {
    pub fn of(reading: &YearReading) -> Summary {
        let units = &reading.selection.units;
        let count = |s: Status| reading.selection.with_status(s).count();
        Summary {
            due: units.len(),
            files: reading.submissions.len(),
            units_received: units.iter().filter(|u| u.status != Status::Missing).count(),
            counted: count(Status::Reported) + count(Status::Late),
            late: count(Status::Late),
            to_correct: count(Status::ToCorrect),
            missing: count(Status::Missing),
            diagnostics: Counts::of(reading.diagnostics()),
        }
    }

    /// One line for the terminal.
    pub fn line(&self, year: i32) -> String {
        format!(
            "{year} 年：应报 {} 个单位，收到 {} 个文件，计入 {} 个单位，待更正 {}，未报 {}；错误 {} 条，警告 {} 条，提示 {} 条",
            self.due,
            self.files,
            self.counted,
            self.to_correct,
            self.missing,
            self.diagnostics.errors,
            self.diagnostics.warnings,
            self.diagnostics.notes
        )
    }
}

/// validation.md, grouped by unit in registry order.
pub fn validation_md(reading: &YearReading, registry: &Registry) -> Vec<u8> {
    let s = Summary::of(reading);
    let mut md = String::new();
    let _ = writeln!(md, "# {} 年度报表检查结果\n", reading.year);
    md.push_str("| 应报单位 | 收到文件 | 计入 | 待更正 | 未报 | 错误 | 警告 | 提示 |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.due,
        s.files,
        s.counted,
        s.to_correct,
        s.missing,
        s.diagnostics.errors,
        s.diagnostics.warnings,
        s.diagnostics.notes
    );
    md.push_str("**错误**使这份报表不能计入，须由单位改正后重新报送（填报日期写更正当天）；**警告**请核实；**提示**说明程序如何读取了某个单元格，仅供参考。\n\n");

    let units_with = |status: Status| -> Vec<String> {
        reading
            .selection
            .with_status(status)
            .map(|u| {
                let unit = &registry.units[u.unit];
                format!("{} {}", unit.code, unit.name)
            })
            .collect()
    };
    for (status, title) in [
        (Status::ToCorrect, "待更正的单位"),
        (Status::Late, "逾期的单位"),
        (Status::Missing, "未报的单位"),
    ] {
        let list = units_with(status);
        if !list.is_empty() {
            let _ = writeln!(md, "## {title}（{} 个）\n", list.len());
            for item in list {
                let _ = writeln!(md, "- {}", md_escape(&item));
            }
            md.push('\n');
        }
    }

    // Problems of registered units, in registry order; then the rest by file.
    let mut by_unit: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
    let mut unattributed: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in reading.diagnostics() {
        if reading.skipped.contains(d) {
            continue;
        }
        let registered = d.unit_code.as_deref().and_then(|c| registry.position(c));
        match registered {
            Some(i) => by_unit.entry(i).or_default().push(d),
            None => unattributed.entry(d.file.clone()).or_default().push(d),
        }
    }
    if !by_unit.is_empty() {
        md.push_str("## 各单位的问题\n\n");
    }
    for (i, diags) in &by_unit {
        let unit = &registry.units[*i];
        let status = reading.selection.units.get(*i).map_or("", |u| u.status.label());
        let _ = writeln!(
            md,
            "### {} {}（{status}）\n",
            md_escape(&unit.code),
            md_escape(&unit.name)
        );
        table(&mut md, diags);
    }
    if !unattributed.is_empty() {
        md.push_str("## 无法对应到名册单位的文件\n\n");
        for (file, diags) in &unattributed {
            let _ = writeln!(md, "### {}\n", md_escape(file));
            table(&mut md, diags);
        }
    }
    if !reading.skipped.is_empty() {
        md.push_str("## 跳过的文件\n\n| 文件 | 原因 |\n|---|---|\n");
        for d in &reading.skipped {
            let _ = writeln!(md, "| {} | {} |", md_escape(&d.file), md_escape(&d.message));
        }
        md.push('\n');
    }
    if s.diagnostics == Counts::default() {
        md.push_str("没有发现问题。\n");
    }
    md.into_bytes()
}

fn table(md: &mut String, diags: &[&Diagnostic]) {
    md.push_str("| 级别 | 位置 | 问题 |\n|---|---|---|\n");
    for d in diags {
        let label = match d.severity {
            Severity::Error => "**错误**",
            _ => d.severity.label(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} |",
            md_escape(&d.location()),
            md_escape(&d.message)
        );
    }
    md.push('\n');
}
