//! The pieces validation.md is made of: problems grouped by who owns them,
//! a unit's name and contact, where a problem is, a table of problems and a
//! folded list of notes.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Severity};
use crate::registry::{Registry, Unit};
use crate::render::contact::Contact;
use crate::validate::{Status, YearReading};

use super::md_escape;

/// The diagnostics of the year by owner: registered units in registry order,
/// then files no registered unit owns (skipped files have their own list).
pub(super) struct Owners<'a> {
    pub units: BTreeMap<usize, Vec<&'a Diagnostic>>,
    pub files: BTreeMap<String, Vec<&'a Diagnostic>>,
}

impl<'a> Owners<'a> {
    pub fn of(reading: &'a YearReading, registry: &Registry) -> Owners<'a> {
        let mut owners = Owners {
            units: BTreeMap::new(),
            files: BTreeMap::new(),
        };
        for d in reading.diagnostics() {
            if reading.skipped.contains(d) {
                continue;
            }
            match d.unit_code.as_deref().and_then(|c| registry.position(c)) {
                Some(i) => owners.units.entry(i).or_default().push(d),
                None => owners.files.entry(d.file.clone()).or_default().push(d),
            }
        }
        owners
    }

    /// A unit's diagnostics of the severities wanted, errors first.
    pub fn of_unit(&self, unit: usize, wanted: impl Fn(Severity) -> bool) -> Vec<&'a Diagnostic> {
        let mut list: Vec<&Diagnostic> = self
            .units
            .get(&unit)
            .into_iter()
            .flatten()
            .copied()
            .filter(|d| wanted(d.severity))
            .collect();
        // Stable: reading order within each severity.
        list.sort_by_key(|d| d.severity);
        list
    }

    pub fn all(&self) -> impl Iterator<Item = &&'a Diagnostic> {
        self.units.values().chain(self.files.values()).flatten()
    }
}

pub(super) fn status_of(reading: &YearReading, unit: usize) -> Option<Status> {
    reading.selection.units.get(unit).map(|u| u.status)
}

/// The file a unit's status rests on: locations in it are shown without
/// the file name.
pub(super) fn main_file(reading: &YearReading, unit: usize) -> Option<&str> {
    let i = reading.selection.units.get(unit)?.submission?;
    Some(reading.submissions[i].file.as_str())
}

/// `省财政厅机关工会（S020）`, with the status when given: `（S020，已报）`.
pub(super) fn unit_title(unit: &Unit, status: Option<Status>) -> String {
    match status {
        Some(s) => format!("{}（{}，{}）", unit.name, unit.code, s.label()),
        None => format!("{}（{}）", unit.name, unit.code),
    }
}

pub(super) fn contact_text(contact: Option<&Contact>, year: i32) -> String {
    match contact {
        Some(c) if c.year == year => c.text(),
        Some(c) => format!("{}（取自{}年报表）", c.text(), c.year),
        None => "报表中没有联系人，请查通讯录".to_owned(),
    }
}

pub(super) fn contact_line(md: &mut String, contact: Option<Contact>, year: i32) {
    md.push_str(&format!(
        "- 联系人：{}\n",
        md_escape(&contact_text(contact.as_ref(), year))
    ));
}

/// Where a problem is: `数据!I37` in the block's own file, the whole
/// location `file › 数据!I37` in any other.
pub(super) fn place(d: &Diagnostic, main: Option<&str>) -> String {
    match (&d.sheet, main == Some(d.file.as_str())) {
        (Some(sheet), true) => match d.cell {
            Some(cell) => format!("{sheet}!{}", cell.a1()),
            None => format!("{sheet}表"),
        },
        (None, true) => "整个文件".to_owned(),
        (_, false) => d.location(),
    }
}

pub(super) fn table(md: &mut String, diags: &[&Diagnostic], main: Option<&str>) {
    if diags.is_empty() {
        return;
    }
    md.push_str("| 级别 | 位置 | 问题 |\n|---|---|---|\n");
    for d in diags {
        let label = match d.severity {
            Severity::Error => "**错误**",
            _ => d.severity.label(),
        };
        md.push_str(&format!(
            "| {label} | {} | {} |\n",
            md_escape(&place(d, main)),
            md_escape(&d.message)
        ));
    }
    md.push('\n');
}

/// `- **单位**：位置：提示；位置、位置：提示` — identical messages share one entry.
pub(super) fn folded(md: &mut String, who: &str, diags: &[&Diagnostic], main: Option<&str>) {
    let mut entries: Vec<(Vec<String>, &str)> = Vec::new();
    for d in diags {
        let place = place(d, main);
        match entries.iter_mut().find(|(_, m)| *m == d.message) {
            Some((places, _)) => places.push(place),
            None => entries.push((vec![place], &d.message)),
        }
    }
    match main.filter(|m| *m != who && diags.iter().any(|d| d.file == *m)) {
        Some(file) => md.push_str(&format!("- **{}**，报表：{}\n", md_escape(who), md_escape(file))),
        None => md.push_str(&format!("- **{}**\n", md_escape(who))),
    }
    for (places, message) in entries {
        // A message that opens with its own place ("健身器材（件）2月（数据!F4）：…")
        // is not prefixed with it again.
        let named = places.len() == 1 && message.contains(&format!("（{}）", places[0]));
        match named {
            true => md.push_str(&format!("  - {}\n", md_escape(message))),
            false => md.push_str(&format!(
                "  - {}：{}\n",
                md_escape(&places.join("、")),
                md_escape(message)
            )),
        }
    }
}
