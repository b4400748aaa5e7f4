//! Workbooks that once aborted the run, hung it or took gigabytes (issue
//! 15, as measured there): each is now one file's note or error, and the
//! run goes on. Read in-process (the checks before calamine), in reading
//! workers (what no check catches), and through the binary.

pub mod build;
mod workers;
mod xls;

use std::time::{Duration, Instant};

use annual_report::diag::{Diagnostic, Severity};
use annual_report::validate::YearReading;
use build::*;
use xls::{number, xls_from, XlsKnobs};

use crate::harness::{Workdir, V};

/// A work folder whose registry has units u001–u012.
pub fn workdir() -> Workdir {
    let w = Workdir::new();
    let units: String = (1..=12)
        .map(|i| format!("u{i:03},测试{i}单位工会,直属工会\n"))
        .collect();
    w.write("input/units.csv", format!("单位代码,单位名称,类别\n{units}").as_bytes());
    w
}

fn oddity(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/oddities")
            .join(name),
    )
    .unwrap()
}

/// The diagnostics of one file.
pub fn of_file<'a>(reading: &'a YearReading, file: &str) -> Vec<&'a Diagnostic> {
    reading.diagnostics().into_iter().filter(|d| d.file == file).collect()
}

/// The file was read whole: no error, its figure counted, and a note that
/// names the far cell at its sheet.
fn assert_read_with_note(reading: &YearReading, file: &str, sheet: &str, cell: &str) {
    let diags = of_file(reading, file);
    assert!(
        diags.iter().all(|d| d.severity != Severity::Error),
        "{file}: {diags:#?}"
    );
    let note = diags
        .iter()
        .find(|d| d.code == "cells-ignored")
        .unwrap_or_else(|| panic!("{file}: no cells-ignored in {diags:#?}"));
    assert_eq!(note.sheet.as_deref(), Some(sheet), "{note:#?}");
    assert!(note.message.contains(cell), "{note:#?}");
    let s = reading.submissions.iter().find(|s| s.file == file).unwrap();
    assert!(!s.figures.is_empty(), "{file}: figures read");
}

/// The file is one error with this code, whose message says `detail`.
pub fn assert_refused(reading: &YearReading, file: &str, code: &str, detail: &str) {
    let diags = of_file(reading, file);
    assert_eq!(diags.len(), 1, "{file}: {diags:#?}");
    assert_eq!(diags[0].code, code, "{file}: {diags:#?}");
    assert_eq!(diags[0].severity, Severity::Error);
    assert!(diags[0].message.contains(detail), "{file}: {}", diags[0].message);
}

#[test]
fn stray_cells_far_away_are_ignored_with_a_note_and_the_form_counts() {
    let w = workdir();
    w.write("input/2015/u001.xlsx", &far_cell_xlsx("u001", "数据", "XFD1048576"));
    w.write("input/2015/u002.xlsx", &far_cell_xlsx("u002", "基本信息", "XFD1048576"));
    w.form("2015/u003.xlsx", &form("u003").cell("数据", "BH1048576", V::N(1.0)));
    w.write("input/2015/u004.xlsx", &giant_reference_xlsx("u004"));
    let far = XlsKnobs {
        records: vec![(1, 0x0203, number(65535, 65535, 1.0))],
        ..Default::default()
    };
    w.write("input/2015/u005.xls", &xls_from(&form("u005"), &far));
    w.write(
        "input/2015/lo-form.ods",
        &far_rows_ods(&oddity("lo-form.ods"), "数据", 1_000_000, 95),
    );
    let started = Instant::now();
    let r = w.read(2015);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    assert_read_with_note(&r.reading, "2015/u001.xlsx", "数据", "XFD1048576");
    assert_read_with_note(&r.reading, "2015/u002.xlsx", "基本信息", "XFD1048576");
    assert_read_with_note(&r.reading, "2015/u003.xlsx", "数据", "BH1048576");
    assert_read_with_note(&r.reading, "2015/u004.xlsx", "数据", "ZZZZ99999999");
    assert_read_with_note(&r.reading, "2015/u005.xls", "数据", "CRXP65536");
    assert_read_with_note(&r.reading, "2015/lo-form.ods", "数据", "95 个单元格");
    assert_eq!(r.figures("u001"), [("fitness.items".to_owned(), Some(1), 4.0)]);
}

#[test]
fn sizes_the_file_claims_are_checked_before_anything_is_allocated() {
    let w = workdir();
    w.write("input/2015/u001.xlsx", &lying_string_count_xlsx("u001"));
    w.write("input/2015/u002.xlsx", &giant_shared_formula_xlsx("u002"));
    // 200 MiB of spaces in 1.3 MB, declared honestly, then with a lie.
    w.write("input/2015/u003.xlsx", &string_bomb_xlsx("u003", 200 << 20, None));
    w.write("input/2015/u004.xlsx", &string_bomb_xlsx("u004", 200 << 20, Some(2000)));
    let dims = XlsKnobs {
        dimensions: Some((0, u32::MAX, 0, 18)),
        ..Default::default()
    };
    w.write("input/2015/u005.xls", &xls_from(&form("u005"), &dims));
    // Two billion spaces asked for in one cell of an .ods.
    let spaces = ods_with(
        &oddity("lo-form.ods"),
        "<text:p>",
        "<text:p><text:s text:c=\"2000000000\"/>",
    );
    w.write("input/2015/spaces.ods", &spaces);
    let started = Instant::now();
    let r = w.read(2015);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    assert_refused(&r.reading, "2015/u001.xlsx", "too-large-or-damaged", "99999999999999");
    assert_refused(&r.reading, "2015/u002.xlsx", "too-large-or-damaged", "共享公式");
    assert_refused(
        &r.reading,
        "2015/u003.xlsx",
        "too-large-or-damaged",
        "xl/sharedStrings.xml",
    );
    assert_refused(&r.reading, "2015/u004.xlsx", "corrupt-file", "declared");
    assert_refused(&r.reading, "2015/spaces.ods", "too-large-or-damaged", "单元格文字超过");
    // A DIMENSIONS record of 4 billion rows only sized a table: the file reads.
    assert!(of_file(&r.reading, "2015/u005.xls")
        .iter()
        .all(|d| d.severity != Severity::Error));
    assert_eq!(r.figures("u005"), [("fitness.items".to_owned(), Some(1), 4.0)]);
}

#[test]
fn an_xls_whose_sector_chain_loops_is_refused_at_once() {
    let w = workdir();
    let looping = XlsKnobs {
        fat_loop: true,
        ..Default::default()
    };
    w.write("input/2015/u001.xls", &xls_from(&form("u001"), &looping));
    w.write("input/2015/u002.xls", &xls_from(&form("u002"), &XlsKnobs::default()));
    let started = Instant::now();
    let r = w.read(2015);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    assert_refused(&r.reading, "2015/u001.xls", "corrupt-file", "扇区链首尾相接");
    assert_eq!(r.figures("u002"), [("fitness.items".to_owned(), Some(1), 4.0)]);
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let w = workdir();
    w.form("2015/u001.xlsx", &form("u001"));
    let big = std::fs::File::create(w.input().join("2015/u002.xlsx")).unwrap();
    big.set_len(101 << 20).unwrap();
    let r = w.read(2015);
    assert_refused(&r.reading, "2015/u002.xlsx", "too-large-or-damaged", "超过 100 MB");
    let s = r
        .reading
        .submissions
        .iter()
        .find(|s| s.file == "2015/u002.xlsx")
        .unwrap();
    assert_eq!(s.sha256.len(), 64, "hashed as a stream for the manifest");
}
