//! The reading stage: every submission of a year read in parallel, checked
//! against the rules of SPEC.md, and the one that counts chosen per unit.

mod annual;
pub mod data;
mod dates;
pub mod figure;
mod header;
pub mod info;
pub mod number;
pub mod remote;
mod row;
pub mod select;
pub mod submission;
pub mod summary;

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::diag::{Code, Diagnostic, Severity};
use crate::ingest::discover::{discover, Found};
use crate::ingest::limits::read_capped;
use crate::ingest::open::{open, OpenError, Pick};
use crate::ingest::pool::Pool;
use crate::registry::Registry;

pub use crate::ingest::pool::Isolation;
pub use select::{Selection, Status, UnitStatus};
pub use submission::Submission;
pub use summary::Summary;

/// Everything read for one year.
#[derive(Debug)]
pub struct YearReading {
    pub year: i32,
    /// Every spreadsheet found, in path order.
    pub submissions: Vec<Submission>,
    /// Files skipped before reading (lock files, other files).
    pub skipped: Vec<Diagnostic>,
    pub selection: Selection,
}

impl YearReading {
    /// All diagnostics of the year in reading order: file, then the file
    /// itself before its sheets (基本信息, then 数据), then row and column.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self
            .skipped
            .iter()
            .chain(self.submissions.iter().flat_map(|s| &s.diagnostics))
            .collect();
        let sheet_rank = |d: &Diagnostic| match d.sheet.as_deref() {
            None => 0,
            Some(info::SHEET) => 1,
            Some(data::SHEET) => 2,
            Some(_) => 3,
        };
        all.sort_by(|a, b| {
            (a.file.as_str(), sheet_rank(a), a.cell.map(|c| (c.row, c.col))).cmp(&(
                b.file.as_str(),
                sheet_rank(b),
                b.cell.map(|c| (c.row, c.col)),
            ))
        });
        all
    }

    pub fn has_errors(&self) -> bool {
        self.skipped
            .iter()
            .chain(self.submissions.iter().flat_map(|s| &s.diagnostics))
            .any(|d| d.severity == Severity::Error)
    }

    pub fn counted(&self) -> impl Iterator<Item = &Submission> {
        self.selection.counted.iter().map(|&i| &self.submissions[i])
    }
}

pub struct ReadOptions {
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// The month a submission must reach to be on time; `None` in `validate`.
    pub due_through: Option<u8>,
    /// Open each workbook in a worker process with memory and time limits
    /// (the CLI does); `None`: in this process, as tests and libraries do.
    pub isolation: Option<Isolation>,
}

/// Read `input/<year>/`. A missing year folder is fatal; everything wrong
/// inside it is a diagnostic.
pub fn read_year(
    input: &Path,
    year: i32,
    catalogue: &Catalogue,
    registry: &Registry,
    options: &ReadOptions,
) -> Result<YearReading> {
    let dir = input.join(year.to_string());
    if !dir.is_dir() {
        bail!(
            "找不到 {} 年的文件夹 {}：请把各单位报表放在 {}/ 下",
            year,
            dir.display(),
            dir.display()
        );
    }
    let (found, skipped) = discover(input, &dir);
    let bar = progress_bar(found.len(), options.progress);
    let setup = remote::setup_bytes(year, catalogue, registry);
    let pool = options.isolation.clone().map(|i| Pool::with_setup(i, &setup));
    // Workbooks are independent: read them on every core. With workers,
    // each worker reads and checks the files and this thread only waits:
    // one per core, each handing its worker a few files at a time so it
    // never waits between them.
    let mut submissions: Vec<Submission> = found
        .par_chunks(FILES_PER_REQUEST)
        .flat_map_iter(|files| {
            let read = read_some(files, year, catalogue, registry, pool.as_ref());
            bar.inc(files.len() as u64);
            read
        })
        .collect();
    drop(pool);
    bar.finish_and_clear();
    let selection = select::select(&mut submissions, registry, options.due_through);
    Ok(YearReading {
        year,
        submissions,
        skipped,
        selection,
    })
}

/// How many files a reading worker is handed at once: it reads them one
/// after the other without waiting for the reading thread (a year of
/// 9,681 workbooks, four runs side by side: 3.17–3.36 s one at a time,
/// 2.96–3.21 s eight at a time).
const FILES_PER_REQUEST: usize = 8;

/// Read some submissions: in a worker when there is one (it reads each file
/// and answers with the checked submission), else here.
fn read_some(
    files: &[Found],
    year: i32,
    catalogue: &Catalogue,
    registry: &Registry,
    pool: Option<&Pool>,
) -> Vec<Submission> {
    let here = |found: &Found| read_here(found, year, catalogue, registry);
    let Some(pool) = pool else {
        return files.iter().map(here).collect();
    };
    // A path that is not UTF-8 cannot be sent: read here.
    let jobs: Vec<Option<Vec<u8>>> = files.iter().map(remote::job).collect();
    let sent: Vec<&[u8]> = jobs.iter().flatten().map(Vec::as_slice).collect();
    let mut answers = pool.read_all(&sent).into_iter();
    files
        .iter()
        .zip(&jobs)
        .map(
            |(found, job)| match job.as_ref().and_then(|_| answers.next().flatten()) {
                None => here(found),
                Some(Ok(answer)) => remote::decode(&answer).unwrap_or_else(|e| {
                    let died = OpenError::reader_died(&format!("答复无法解读：{e}"));
                    failed(found, died, year, catalogue, registry)
                }),
                // The worker died or ran out of time on this file.
                Some(Err(e)) => failed(found, e, year, catalogue, registry),
            },
        )
        .collect()
}

/// A file no worker could read: hashed here for the manifest, as a stream.
fn failed(found: &Found, e: OpenError, year: i32, catalogue: &Catalogue, registry: &Registry) -> Submission {
    let sha256 = crate::digest::sha256_file(&found.path).unwrap_or_default();
    submission::from_opened(found, sha256, Err(e), year, catalogue, registry)
}

/// Read one submission in this process: its bytes read, hashed, opened and
/// checked.
pub fn read_here(found: &Found, year: i32, catalogue: &Catalogue, registry: &Registry) -> Submission {
    let bytes = match read_capped(&found.path) {
        Ok(Ok(bytes)) => bytes,
        // Too large to read: hashed as a stream for the manifest, not opened.
        Ok(Err(size)) => return failed(found, OpenError::file_too_large(size), year, catalogue, registry),
        Err(e) => {
            return Submission {
                file: found.rel.clone(),
                format: None,
                sha256: String::new(),
                info: Default::default(),
                figures: Vec::new(),
                diagnostics: vec![unreadable_file(&found.rel, &e)],
            }
        }
    };
    let opened = open(&bytes, Pick::Named(&submission::SHEETS));
    submission::from_opened(
        found,
        crate::digest::sha256_hex(&bytes),
        opened,
        year,
        catalogue,
        registry,
    )
}

/// A file found but not readable from disk.
pub fn unreadable_file(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::of_file(
        Code::UnreadableFile,
        file,
        None,
        format!("无法读取文件（{e}）。请检查文件权限后重新运行。"),
    )
}

fn progress_bar(len: usize, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("读取报表 {bar:30} {pos}/{len} {elapsed}") {
        bar.set_style(style);
    }
    bar
}
