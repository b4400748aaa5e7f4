//! What changed since the last run of the same period, read from that run's
//! own files (manifest.json, tables/sources.csv, submissions.csv,
//! metrics.csv and the report's Markdown) — no hidden state. The new run's
//! files are read the same way, so both sides are compared like for like.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// One unit's rows of sources.csv (see [`RunFiles::unit_blocks`]).
#[derive(Default)]
struct UnitBlock {
    figures: String,
    offsets: Vec<u64>,
}

/// The files of a run that a comparison reads, by their path in the run.
#[derive(Debug, Clone, Default)]
pub struct RunFiles(BTreeMap<String, Content>);

/// A file's bytes, or (sources.csv: 130 MB at 10,000 units, two of them
/// in a rerun) where to stream it from.
#[derive(Debug, Clone)]
enum Content {
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// Read whole.
const COMPARED: [&str; 3] = ["manifest.json", "tables/submissions.csv", "tables/metrics.csv"];
/// Streamed.
const SOURCES: &str = "tables/sources.csv";

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

impl RunFiles {
    /// The run in `dest`, when there is one the tool wrote.
    pub fn load(dest: &Path, document: &str) -> Option<RunFiles> {
        if !dest.join(crate::output::MARKER).is_file() || !dest.join("manifest.json").is_file() {
            return None;
        }
        let mut files: BTreeMap<String, Content> = COMPARED
            .iter()
            .chain([&document])
            .filter_map(|name| {
                let bytes = std::fs::read(dest.join(name)).ok()?;
                Some((name.to_string(), Content::Bytes(bytes)))
            })
            .collect();
        let sources = dest.join(SOURCES);
        if sources.is_file() {
            files.insert(SOURCES.to_owned(), Content::File(sources));
        }
        Some(RunFiles(files))
    }

    /// A file from its start, for reading and seeking.
    fn open(&self, name: &str) -> Option<Box<dyn ReadSeek + '_>> {
        match self.0.get(name)? {
            Content::Bytes(b) => Some(Box::new(Cursor::new(b.as_slice()))),
            Content::File(path) => Some(Box::new(BufReader::new(File::open(path).ok()?))),
        }
    }

    /// sources.csv per unit: its figures as one string (metric, month and
    /// value of each row, in file order), and where each of its rows starts.
    fn unit_blocks(&self) -> HashMap<String, UnitBlock> {
        let mut blocks: HashMap<String, UnitBlock> = HashMap::new();
        let Some(file) = self.open(SOURCES) else {
            return blocks;
        };
        let mut reader = csv::Reader::from_reader(file);
        let Ok(header) = reader.headers().cloned() else {
            return blocks;
        };
        let column = |name: &str| header.iter().position(|h| h == name);
        let (Some(unit), Some(metric), Some(month), Some(value)) = (
            column("unit_code"),
            column("metric_id"),
            column("month"),
            column("value"),
        ) else {
            return blocks;
        };
        let mut record = csv::StringRecord::new();
        loop {
            let at = reader.position().byte();
            if !matches!(reader.read_record(&mut record), Ok(true)) {
                break;
            }
            let block = blocks.entry(record[unit].to_owned()).or_default();
            for i in [metric, month, value] {
                block.figures.push_str(&record[i]);
                block.figures.push('\u{1f}');
            }
            block.offsets.push(at);
        }
        blocks
    }

    /// The rows of a CSV that start at `offsets`, keyed by header.
    fn rows_at<'o>(&self, name: &str, offsets: impl Iterator<Item = &'o u64>) -> Vec<BTreeMap<String, String>> {
        let Some(file) = self.open(name) else {
            return Vec::new();
        };
        let mut reader = csv::Reader::from_reader(file);
        let Ok(header) = reader.headers().cloned() else {
            return Vec::new();
        };
        let mut file = reader.into_inner();
        offsets
            .filter_map(|&at| {
                file.seek(SeekFrom::Start(at)).ok()?;
                let mut one = csv::ReaderBuilder::new().has_headers(false).from_reader(&mut file);
                let record = one.records().next()?.ok()?;
                Some(row(&header, &record))
            })
            .collect()
    }

    /// A file read whole, as text (lossy only if it is not UTF-8, which the
    /// tool never writes).
    fn text(&self, name: &str) -> Cow<'_, str> {
        match self.0.get(name) {
            Some(Content::Bytes(b)) => String::from_utf8_lossy(b),
            Some(Content::File(path)) => Cow::Owned(std::fs::read_to_string(path).unwrap_or_default()),
            None => Cow::Borrowed(""),
        }
    }

    /// A CSV as rows keyed by header.
    fn rows(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let text = self.text(name);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let Ok(header) = reader.headers().cloned() else {
            return Vec::new();
        };
        reader.records().flatten().map(|r| row(&header, &r)).collect()
    }

    /// Input file → SHA-256, from the manifest.
    fn inputs(&self) -> BTreeMap<String, String> {
        let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&self.text("manifest.json")) else {
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

/// A CSV record keyed by its header.
fn row(header: &csv::StringRecord, record: &csv::StringRecord) -> BTreeMap<String, String> {
    header
        .iter()
        .map(str::to_owned)
        .zip(record.iter().map(str::to_owned))
        .collect()
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
    let (old_units, new_units) = (before.unit_blocks(), after.unit_blocks());
    // Only the units whose figures differ are compared row by row: with
    // ten thousand units, every row of both sources.csv as a map took
    // gigabytes, for the one unit that sent a correction.
    let differ: BTreeSet<&str> = old_units
        .iter()
        .filter(|(u, b)| new_units.get(*u).is_none_or(|n| n.figures != b.figures))
        .chain(new_units.iter().filter(|(u, _)| !old_units.contains_key(*u)))
        .map(|(u, _)| u.as_str())
        .collect();
    let index = |run: &RunFiles, blocks: &HashMap<String, UnitBlock>| -> BTreeMap<Key, BTreeMap<String, String>> {
        run.rows_at(
            "tables/sources.csv",
            differ.iter().filter_map(|u| blocks.get(*u)).flat_map(|b| &b.offsets),
        )
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
    let (old, new) = (index(before, &old_units), index(after, &new_units));
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

    fn sources(rows: &[&str]) -> RunFiles {
        let text = format!(
            "\u{feff}unit_code,unit_name,metric_id,month,value,file,sheet,cell,sha256\n{}\n",
            rows.join("\n")
        );
        RunFiles([(SOURCES.to_owned(), Content::Bytes(text.into_bytes()))].into())
    }

    /// Units are compared row by row only where their figures differ; a
    /// unit new or gone has every row listed; a figure that moved to
    /// another file or cell with the same value is no change.
    #[test]
    fn only_the_values_that_changed_are_listed() {
        let before = sources(&[
            "a,甲,m1,1,5,2015/a.xlsx,数据,D5,x",
            "a,甲,m1,2,6,2015/a.xlsx,数据,E5,x",
            "b,乙,m1,1,7,2015/b.xlsx,数据,D5,y",
            "d,丁,m1,,9,2015/d.xlsx,数据,P5,w",
        ]);
        let after = sources(&[
            "a,甲,m1,1,5,2015/a2.xlsx,数据,D5,z",
            "a,甲,m1,2,8,2015/a2.xlsx,数据,E5,z",
            "b,乙,m1,1,7,2015/b-更正.xlsx,数据,D6,v",
            "c,丙,m1,3,1,2015/c.xlsx,数据,F5,u",
        ]);
        let changes: Vec<_> = cells_changed(&before, &after)
            .into_iter()
            .map(|c| (c.unit_code, c.month, c.old, c.new, c.file, c.cell))
            .collect();
        let row = |u: &str, m: &str, o: &str, n: &str, f: &str, c: &str| {
            (u.into(), m.into(), o.into(), n.into(), f.into(), c.into())
        };
        assert_eq!(
            changes,
            vec![
                row("a", "2", "6", "8", "2015/a2.xlsx", "E5"),
                row("c", "3", "", "1", "2015/c.xlsx", "F5"),
                row("d", "", "9", "", "2015/d.xlsx", "P5"),
            ]
        );
    }
}
