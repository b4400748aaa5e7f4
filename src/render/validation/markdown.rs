//! validation.md, section by section: the summary, 待更正 units with their
//! contact and every error, files no registered unit owns, warnings to
//! check, late and missing units to chase, then the notes folded per unit.

use crate::diag::{Counts, Diagnostic, Severity};
use crate::period::Period;
use crate::registry::Registry;
use crate::render::contact::{unit_contact, Contact};
use crate::validate::{Status, UnitStatus, YearReading};

use super::blocks::{contact_line, contact_text, folded, main_file, status_of, table, unit_title, Owners};
use super::{md_escape, Summary};

/// validation.md for the person who phones the units: the summary, then
/// 待更正 units with their contact and every error, files no registered unit
/// owns, warnings to check, late and missing units, and last the notes,
/// folded into one short list per unit. `previous` supplies last year's
/// contact where this year's submission names none.
pub fn validation_md(
    reading: &YearReading,
    previous: Option<&YearReading>,
    registry: &Registry,
    period: Period,
) -> Vec<u8> {
    let s = Summary::of(reading);
    let mut md = Sections::default();
    md.text.push_str(&format!("# {}\n\n", title(period)));
    summary(&mut md.text, &s);
    let doc = Doc {
        reading,
        previous,
        registry,
        owners: Owners::of(reading, registry),
    };
    doc.to_correct(&mut md);
    doc.unregistered(&mut md);
    doc.warnings(&mut md);
    doc.chase(&mut md);
    doc.notes(&mut md);
    skipped(&mut md, reading);
    if s.diagnostics == Counts::default() {
        md.text.push_str("没有发现问题。\n");
    }
    md.text.into_bytes()
}

/// What the sections are written from.
struct Doc<'a> {
    reading: &'a YearReading,
    previous: Option<&'a YearReading>,
    registry: &'a Registry,
    owners: Owners<'a>,
}

impl Doc<'_> {
    fn contact(&self, unit: usize) -> Option<Contact> {
        unit_contact(unit, self.reading, self.previous)
    }

    /// 待更正: each unit with its contact, its file and every error (and
    /// warning), so that one call covers all.
    fn to_correct(&self, md: &mut Sections) {
        let (reading, registry) = (self.reading, self.registry);
        let units: Vec<&UnitStatus> = reading.selection.with_status(Status::ToCorrect).collect();
        if units.is_empty() {
            return;
        }
        md.section(&format!("请先联系：待更正的单位（{}个）", units.len()));
        md.text
            .push_str("这些单位的报表有错误，**没有计入**汇总。请把下面每一条告诉填报人，请单位改正后重新报送。\n\n");
        for (n, u) in units.iter().enumerate() {
            let main = main_file(reading, u.unit);
            let problems = self.owners.of_unit(u.unit, |sev| sev != Severity::Note);
            md.text.push_str(&format!(
                "### {}. {}\n\n",
                n + 1,
                unit_title(&registry.units[u.unit], None)
            ));
            contact_line(&mut md.text, self.contact(u.unit), reading.year);
            if let Some(main) = main {
                md.text.push_str(&format!("- 报表：{}\n", md_escape(main)));
            }
            md.text
                .push_str("- 处理：请单位按下表逐条改正，保存后重新报送，填报日期写改正当天。\n\n");
            table(&mut md.text, &problems, main);
        }
    }

    /// Files no registered unit owns, with the contact written in them.
    fn unregistered(&self, md: &mut Sections) {
        let files = &self.owners.files;
        if files.is_empty() {
            return;
        }
        md.section(&format!("无法对应到名册单位的文件（{}个）", files.len()));
        md.text
            .push_str("这些文件的单位代码不在名册中或无法读取，没有计入。请按文件里的联系人核实是哪个单位报送的。\n\n");
        for (file, diags) in files {
            md.text.push_str(&format!("### {}\n\n", md_escape(file)));
            let sent = self.reading.submissions.iter().find(|s| &s.file == file);
            let contact = sent.and_then(|s| Contact::of(s, self.reading.year));
            contact_line(&mut md.text, contact, self.reading.year);
            md.text.push('\n');
            let shown: Vec<&Diagnostic> = diags.iter().copied().filter(|d| d.severity != Severity::Note).collect();
            table(&mut md.text, &shown, Some(file));
        }
    }

    /// Warnings of the units not already listed as 待更正.
    fn warnings(&self, md: &mut Sections) {
        let reading = self.reading;
        let warned: Vec<(usize, Vec<&Diagnostic>)> = self
            .owners
            .units
            .keys()
            .filter(|&&i| status_of(reading, i) != Some(Status::ToCorrect))
            .map(|&i| (i, self.owners.of_unit(i, |sev| sev == Severity::Warning)))
            .filter(|(_, w)| !w.is_empty())
            .collect();
        if warned.is_empty() {
            return;
        }
        let count: usize = warned.iter().map(|(_, w)| w.len()).sum();
        md.section(&format!("请核实：警告（{count}条）"));
        md.text
            .push_str("警告不影响计入，但数字或信息可能有误，请与单位核实；需要改正的，请单位改正后重新报送。\n\n");
        for (i, warnings) in warned {
            let unit = &self.registry.units[i];
            md.text
                .push_str(&format!("### {}\n\n", unit_title(unit, status_of(reading, i))));
            contact_line(&mut md.text, self.contact(i), reading.year);
            md.text.push('\n');
            table(&mut md.text, &warnings, main_file(reading, i));
        }
    }

    /// 未报 and 逾期 units, with whom to call.
    fn chase(&self, md: &mut Sections) {
        let selection = &self.reading.selection;
        // Units that sent nothing first: they are the ones to chase.
        let units: Vec<&UnitStatus> = selection
            .with_status(Status::Missing)
            .chain(selection.with_status(Status::Late))
            .collect();
        if units.is_empty() {
            return;
        }
        md.section(&format!("请催报：逾期和未报的单位（{}个）", units.len()));
        md.text.push_str("| 单位 | 情况 | 联系人 |\n|---|---|---|\n");
        for u in units {
            let state = match (u.status, u.filled_through) {
                (Status::Late, Some(m)) => format!("逾期：只填到{m}月"),
                (status, _) => status.label().to_owned(),
            };
            let contact = match self.contact(u.unit) {
                None if u.status == Status::Missing => "没有可查的报表，请查通讯录".to_owned(),
                contact => contact_text(contact.as_ref(), self.reading.year),
            };
            md.text.push_str(&format!(
                "| {} | {state} | {} |\n",
                md_escape(&unit_title(&self.registry.units[u.unit], None)),
                md_escape(&contact)
            ));
        }
        md.text.push('\n');
    }

    /// Every note, one short list per unit (then per file without a unit).
    fn notes(&self, md: &mut Sections) {
        let is_note = |sev: Severity| sev == Severity::Note;
        let count = self.owners.all().filter(|d| is_note(d.severity)).count();
        if count == 0 {
            return;
        }
        md.section(&format!("提示（{count}条，仅供参考）"));
        md.text
            .push_str("程序按下列方式读取了这些单元格或文件，仅供参考，一般不必联系单位。\n\n");
        for &i in self.owners.units.keys() {
            let list = self.owners.of_unit(i, is_note);
            if !list.is_empty() {
                let who = unit_title(&self.registry.units[i], status_of(self.reading, i));
                folded(&mut md.text, &who, &list, main_file(self.reading, i));
            }
        }
        for (file, diags) in &self.owners.files {
            let list: Vec<&Diagnostic> = diags.iter().copied().filter(|d| is_note(d.severity)).collect();
            if !list.is_empty() {
                folded(&mut md.text, file, &list, Some(file));
            }
        }
        md.text.push('\n');
    }
}

fn skipped(md: &mut Sections, reading: &YearReading) {
    if reading.skipped.is_empty() {
        return;
    }
    md.section("跳过的文件");
    md.text.push_str("| 文件 | 原因 |\n|---|---|\n");
    for d in &reading.skipped {
        md.text
            .push_str(&format!("| {} | {} |\n", md_escape(&d.file), md_escape(&d.message)));
    }
    md.text.push('\n');
}

/// `2015年度报表检查结果`, or for a snapshot `2016年1—6月报表检查结果`.
fn title(period: Period) -> String {
    match period {
        Period::Year(year) => format!("{year}年度报表检查结果"),
        Period::Snapshot { year, month: 1 } => format!("{year}年1月报表检查结果"),
        Period::Snapshot { year, month } => format!("{year}年1—{month}月报表检查结果"),
    }
}

/// Level-two headings numbered 一、二、… in the order they appear.
#[derive(Default)]
struct Sections {
    text: String,
    count: usize,
}

impl Sections {
    fn section(&mut self, heading: &str) {
        const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        let n = NUMERALS.get(self.count).copied().unwrap_or("十");
        self.count += 1;
        self.text.push_str(&format!("## {n}、{heading}\n\n"));
    }
}

fn summary(md: &mut String, s: &Summary) {
    md.push_str("| 应报单位 | 收到文件 | 计入 | 待更正 | 未报 | 错误 | 警告 | 提示 |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    md.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n\n",
        s.due,
        s.files,
        s.counted,
        s.to_correct,
        s.missing,
        s.diagnostics.errors,
        s.diagnostics.warnings,
        s.diagnostics.notes
    ));
    let late = match s.late {
        0 => String::new(),
        n => format!("（其中逾期{n}个）"),
    };
    md.push_str(&format!(
        "应报{}个单位，收到{}个文件，计入{}个单位{late}；待更正{}个，未报{}个。\n\n",
        s.due, s.files, s.counted, s.to_correct, s.missing
    ));
    md.push_str("**错误**使这份报表不能计入，须由单位改正后重新报送（填报日期写改正当天）；**警告**请与单位核实；**提示**说明程序如何读取了某个单元格，仅供参考，不必联系单位。\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_months_covered() {
        assert_eq!(title(Period::Year(2015)), "2015年度报表检查结果");
        assert_eq!(
            title(Period::Snapshot { year: 2016, month: 1 }),
            "2016年1月报表检查结果"
        );
        assert_eq!(
            title(Period::Snapshot { year: 2016, month: 6 }),
            "2016年1—6月报表检查结果"
        );
    }
}
