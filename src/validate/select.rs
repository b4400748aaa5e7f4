//! Which submission counts for each registered unit, and each unit's status.
//!
//! The latest 填报日期 counts and earlier ones are superseded. Two at the same
//! date with different figures are an error and neither counts. A counted
//! candidate with any error makes the unit 待更正: its older files are not
//! used in its place, since they are what the unit itself replaced.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diag::{Code, Diagnostic, Severity};
use crate::registry::Registry;

use super::submission::Submission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Counted, and filled through the month asked for.
    Reported,
    /// Counted, but filled through an earlier month than asked for.
    Late,
    /// Nothing received.
    Missing,
    /// Received, but excluded for errors.
    ToCorrect,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Reported => "已报",
            Status::Late => "逾期",
            Status::Missing => "未报",
            Status::ToCorrect => "待更正",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitStatus {
    /// Index into the registry.
    pub unit: usize,
    pub status: Status,
    /// The submission that counts (or blocks), an index into the submissions.
    pub submission: Option<usize>,
    pub filled_through: Option<u8>,
    pub filed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// One per registered unit, in registry order.
    pub units: Vec<UnitStatus>,
    /// Indices of the submissions whose figures count.
    pub counted: Vec<usize>,
}

impl Selection {
    /// The units with this status, in registry order.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &UnitStatus> {
        self.units.iter().filter(move |u| u.status == status)
    }
}

/// Decide what counts. `due_through` is the month a submission must reach to
/// be on time (`None`: no lateness, as in `validate`). Diagnostics about the
/// choice are added to the submissions they concern.
pub fn select(submissions: &mut [Submission], registry: &Registry, due_through: Option<u8>) -> Selection {
    let mut by_unit: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, s) in submissions.iter().enumerate() {
        if let Some(u) = s.info.unit.as_deref().and_then(|code| registry.position(code)) {
            by_unit.entry(u).or_default().push(i);
        }
    }
    let mut selection = Selection::default();
    for unit in 0..registry.units.len() {
        let candidates = by_unit.remove(&unit).unwrap_or_default();
        let status = choose(submissions, &candidates, due_through);
        if let Some(i) = status
            .submission
            .filter(|_| matches!(status.status, Status::Reported | Status::Late))
        {
            selection.counted.push(i);
        }
        selection.units.push(UnitStatus { unit, ..status });
    }
    selection.counted.sort_unstable();
    selection
}

fn choose(submissions: &mut [Submission], candidates: &[usize], due_through: Option<u8>) -> UnitStatus {
    let mut status = UnitStatus {
        unit: 0,
        status: Status::Missing,
        submission: None,
        filled_through: None,
        filed_on: None,
    };
    if candidates.is_empty() {
        return status;
    }
    // A file whose date cannot be read cannot be ordered: the unit must fix it.
    if let Some(&undated) = candidates.iter().find(|&&i| submissions[i].info.filed_on.is_none()) {
        status.status = Status::ToCorrect;
        status.submission = Some(undated);
        status.filled_through = submissions[undated].info.filled_through;
        return status;
    }
    let latest = candidates.iter().map(|&i| submissions[i].info.filed_on).max().flatten();
    let (newest, older): (Vec<usize>, Vec<usize>) = candidates
        .iter()
        .partition(|&&i| submissions[i].info.filed_on == latest);
    let chosen = newest[0];
    status.submission = Some(chosen);
    status.filled_through = submissions[chosen].info.filled_through;
    status.filed_on = latest;

    let chosen_file = submissions[chosen].file.clone();
    for &i in &older {
        supersede(&mut submissions[i], &chosen_file, latest);
    }
    if newest.iter().any(|&i| submissions[i].has_errors()) {
        status.status = Status::ToCorrect;
        status.submission = newest.iter().copied().find(|&i| submissions[i].has_errors());
        return status;
    }
    let conflicting: Vec<usize> = newest[1..]
        .iter()
        .copied()
        .filter(|&i| !same_figures(&submissions[chosen], &submissions[i]))
        .collect();
    if !conflicting.is_empty() {
        let names: Vec<String> = newest.iter().map(|&i| submissions[i].file.clone()).collect();
        for &i in &newest {
            let s = &mut submissions[i];
            s.diagnostics.push(Diagnostic {
                severity: Code::SameDateConflict.severity(),
                unit_code: s.info.unit.clone(),
                file: s.file.clone(),
                sheet: Some(super::info::SHEET.to_owned()),
                cell: None,
                code: Code::SameDateConflict,
                message: format!(
                    "本单位有 {} 份填报日期同为 {} 但数字不同的报表（{}），无法确定以哪份为准，均未计入。请删除错误的一份，或把更正后的报表填报日期改为更晚的日期。",
                    newest.len(),
                    latest.map(|d| d.to_string()).unwrap_or_default(),
                    names.join("、")
                ),
            });
        }
        status.status = Status::ToCorrect;
        return status;
    }
    for &i in &newest[1..] {
        let s = &mut submissions[i];
        let n = note(
            s,
            Code::DuplicateSubmission,
            format!("与 {chosen_file} 的填报日期和数字都相同，是重复的报表，只计一次。"),
        );
        s.diagnostics.push(n);
    }
    status.status = match (due_through, status.filled_through) {
        (Some(due), Some(t)) if t < due => Status::Late,
        _ => Status::Reported,
    };
    status
}

/// An older submission no longer counts; its problems stay visible, as
/// notes, so the office sees what the unit corrected.
fn supersede(s: &mut Submission, by: &str, date: Option<NaiveDate>) {
    for d in &mut s.diagnostics {
        if d.severity != Severity::Note {
            d.severity = Severity::Note;
            d.message = format!("（此报表已被更新的报表取代，仅供参考）{}", d.message);
        }
    }
    let when = date.map(|d| d.to_string()).unwrap_or_default();
    let n = note(
        s,
        Code::Superseded,
        format!("已被填报日期更晚（{when}）的 {by} 取代，不计入。"),
    );
    s.diagnostics.push(n);
}

fn note(s: &Submission, code: Code, message: String) -> Diagnostic {
    Diagnostic::of_file(code, &s.file, s.info.unit.clone(), message)
}

fn same_figures(a: &Submission, b: &Submission) -> bool {
    let key = |s: &Submission| {
        let mut v: Vec<(u32, Option<u8>, u64)> = s
            .figures
            .iter()
            .map(|f| (f.metric, f.month, f.value.to_bits()))
            .collect();
        v.sort_unstable();
        v
    };
    key(a) == key(b)
}
