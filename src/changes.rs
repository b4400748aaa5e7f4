//! What changed since the last run of the same period, read from that run's
//! own files (manifest.json, tables/sources.csv, submissions.csv,
//! metrics.csv and the report's Markdown) — no hidden state. The new run's
//! files are read the same way, so both sides are compared like for like.

use std::collections::BTreeMap;
use std::path::Path;

use crate::output::OutputFile;

/// The files of a run that a comparison reads, by their path in the run.
#[derive(Debug, Clone, Default)]
pub struct RunFiles(BTreeMap<String, Vec<u8>>);

const COMPARED: [&str; 4] = [
    "manifest.json",
    "tables/sources.csv",
    "tables/submissions.csv",
    "tables/metrics.csv",
];

impl RunFiles {
    /// The previous run in `dest`, when there is one the tool wrote.
    pub fn load(dest: &Path, document: &str) -> Option<RunFiles> {
        if !dest.join(crate::output::MARKER).is_file() || !dest.join("manifest.json").is_file() {
            return None;
        }
        let files = COMPARED
            .iter()
            .chain([&document])
            .filter_map(|name| Some((name.to_string(), std::fs::read(dest.join(name)).ok()?)))
            .collect();
        Some(RunFiles(files))
    }

    /// The same files of a run still in memory.
    pub fn of(files: &[OutputFile], document: &str) -> RunFiles {
        RunFiles(
            files
                .iter()
                .filter(|f| COMPARED.contains(&f.path.as_str()) || f.path == document)
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        )
    }

    fn text(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// A CSV as rows keyed by header.
    fn rows(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let text = self.text(name);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let Ok(header) = reader.headers().cloned() else {
            return Vec::new();
        };
        reader
            .records()
            .flatten()
            .map(|r| {
                header
                    .iter()
                    .map(str::to_owned)
                    .zip(r.iter().map(str::to_owned))
                    .collect()
            })
            .collect()
    }

    /// Input file → SHA-256, from the manifest.
    fn inputs(&self) -> BTreeMap<String, String> {
        let Ok(manifest) =
            serde_json::from_slice::<serde_json::Value>(self.0.get("manifest.json").map_or(&[][..], |b| b))
        else {
            return BTreeMap::new();
        };
        manifest["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| {
                Some((
                    i["file"].as_str()?.to_owned(),
                    i["sha256"].as_str().unwrap_or("").to_owned(),
                ))
            })
            .collect()
    }
}

/// One change, as a row of changes.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `file-added`, `file-removed`, `file-replaced`, `status`, `value`,
    /// `total`, `yoy` or `text`.
    pub kind: &'static str,
    pub unit_code: String,
    pub unit_name: String,
    pub metric_id: String,
    pub month: String,
    pub old: String,
    pub new: String,
    /// Where the new value is (the old one's, when it is gone).
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

impl Change {
    fn new(kind: &'static str, old: impl Into<String>, new: impl Into<String>) -> Change {
        Change {
            kind,
            unit_code: String::new(),
            unit_name: String::new(),
            metric_id: String::new(),
            month: String::new(),
            old: old.into(),
            new: new.into(),
            file: String::new(),
            sheet: String::new(),
            cell: String::new(),
        }
    }
}

/// Every change from `before` to `after`, in the order changes.md shows
/// them: files, statuses, cells, totals, sentences.
pub fn compare(before: &RunFiles, after: &RunFiles, document: &str) -> Vec<Change> {
    let mut out = files_changed(before, after);
    out.extend(statuses_changed(before, after));
    out.extend(cells_changed(before, after));
    out.extend(totals_changed(before, after));
    out.extend(sentences_changed(&before.text(document), &after.text(document)));
    out
}

fn files_changed(before: &RunFiles, after: &RunFiles) -> Vec<Change> {
    let (old, new) = (before.inputs(), after.inputs());
    let mut out = Vec::new();
    for (file, hash) in &new {
        let kind = match old.get(file) {
            None => "file-added",
            Some(h) if h != hash => "file-replaced",
            Some(_) => continue,
        };
        let short = |h: &str| h.chars().take(12).collect::<String>();
        let mut c = Change::new(kind, old.get(file).map(|h| short(h)).unwrap_or_default(), short(hash));
        c.file = file.clone();
        out.push(c);
    }
    for (file, hash) in &old {
        if !new.contains_key(file) {
            let mut c = Change::new("file-removed", hash.chars().take(12).collect::<String>(), "");
            c.file = file.clone();
            out.push(c);
        }
    }
    out
}

fn statuses_changed(before: &RunFiles, after: &RunFiles) -> Vec<Change> {
    let key = |r: &BTreeMap<String, String>| r["unit_code"].clone();
    let old: BTreeMap<String, BTreeMap<String, String>> = before
        .rows("tables/submissions.csv")
        .into_iter()
        .map(|r| (key(&r), r))
        .collect();
    let mut out = Vec::new();
    for row in after.rows("tables/submissions.csv") {
        let was = old
            .get(&row["unit_code"])
            .map(|r| r["status"].clone())
            .unwrap_or_default();
        if was != row["status"] {
            let mut c = Change::new("status", was, row["status"].clone());
            c.unit_code = row["unit_code"].clone();
            c.unit_name = row["unit_name"].clone();
            c.file = row["file"].clone();
            out.push(c);
        }
    }
    out
}

fn cells_changed(before: &RunFiles, after: &RunFiles) -> Vec<Change> {
    // (unit, metric, month as a number for the order, month as written)
    type Key = (String, String, u8, String);
    let index = |run: &RunFiles| -> BTreeMap<Key, BTreeMap<String, String>> {
        run.rows("tables/sources.csv")
            .into_iter()
            .map(|r| {
                let month = r["month"].parse().unwrap_or(13);
                (
                    (
                        r["unit_code"].clone(),
                        r["metric_id"].clone(),
                        month,
                        r["month"].clone(),
                    ),
                    r,
                )
            })
            .collect()
    };
    let (old, new) = (index(before), index(after));
    let mut keys: Vec<&Key> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let (was, now) = (old.get(key), new.get(key));
        let value = |r: Option<&BTreeMap<String, String>>| r.map(|r| r["value"].clone()).unwrap_or_default();
        if value(was) == value(now) {
            continue;
        }
        let at = now.or(was).expect("one side has the key");
        let mut c = Change::new("value", value(was), value(now));
        c.unit_code = key.0.clone();
        c.unit_name = at["unit_name"].clone();
        c.metric_id = key.1.clone();
        c.month = key.3.clone();
        c.file = at["file"].clone();
        c.sheet = at["sheet"].clone();
        c.cell = at["cell"].clone();
        out.push(c);
    }
    out
}

fn totals_changed(before: &RunFiles, after: &RunFiles) -> Vec<Change> {
    let old: BTreeMap<String, BTreeMap<String, String>> = before
        .rows("tables/metrics.csv")
        .into_iter()
        .map(|r| (r["metric_id"].clone(), r))
        .collect();
    let mut out = Vec::new();
    for row in after.rows("tables/metrics.csv") {
        let was = old.get(&row["metric_id"]);
        for (column, kind) in [("total", "total"), ("yoy_pct", "yoy")] {
            let before = was.and_then(|r| r.get(column)).cloned().unwrap_or_default();
            let now = row.get(column).cloned().unwrap_or_default();
            if before != now {
                let mut c = Change::new(kind, before, now);
                c.metric_id = row["metric_id"].clone();
                out.push(c);
            }
        }
    }
    out
}

/// The sentences of the review that changed, before and after. Tables and
/// images are left to the totals above.
fn sentences_changed(before: &str, after: &str) -> Vec<Change> {
    let (old, new) = (sentences(before), sentences(after));
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let mut out = Vec::new();
    for op in diff {
        let (_, old_range, new_range) = op.as_tag_tuple();
        if old_range.is_empty() && new_range.is_empty() || matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let n = old_range.len().max(new_range.len());
        for i in 0..n {
            let was = old_range.clone().nth(i).map(|j| old[j].clone()).unwrap_or_default();
            let now = new_range.clone().nth(i).map(|j| new[j].clone()).unwrap_or_default();
            out.push(Change::new("text", was, now));
        }
    }
    out
}

fn sentences(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.starts_with("![") && !l.starts_with("***"))
        .flat_map(|line| {
            line.split_inclusive('。')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_that_changed_are_paired() {
        let before = "# 报告\n\n甲。乙增长31%。丙。\n";
        let after = "# 报告\n\n甲。乙增长33%。丙。丁。\n";
        let changes = sentences_changed(before, after);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(
            (changes[0].old.as_str(), changes[0].new.as_str()),
            ("乙增长31%。", "乙增长33%。")
        );
        assert_eq!((changes[1].old.as_str(), changes[1].new.as_str()), ("", "丁。"));
    }
}
