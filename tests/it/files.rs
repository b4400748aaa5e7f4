//! Files that are not clean workbooks: skipped with a note, or an error for
//! that file alone — never a panic, never the end of the run.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{Form, Workdir, V};

fn good() -> Form {
    Form::new("u002").row("fitness.items", &[("1月", V::N(4.0))])
}

#[test]
fn lock_files_and_other_files_are_skipped_with_a_note() {
    let w = Workdir::new();
    w.form("2015/u002.xlsx", &good());
    w.write("input/2015/~$u002.xlsx", b"lock");
    w.write("input/2015/说明.docx", b"PK\x03\x04");
    w.write("input/2015/.DS_Store", b"x");
    let r = w.read(2015);
    let notes: Vec<(&str, String)> = r.diags().iter().map(|d| (d.code.as_str(), d.file.clone())).collect();
    assert_eq!(
        notes,
        [
            ("not-a-spreadsheet", "2015/.DS_Store".to_string()),
            ("lock-file", "2015/~$u002.xlsx".to_string()),
            ("not-a-spreadsheet", "2015/说明.docx".to_string()),
        ]
    );
    assert!(r.diags().iter().all(|d| d.severity == Severity::Note));
    assert_eq!(r.status("u002"), Status::Reported);
}

#[test]
fn subfolders_are_searched() {
    let w = Workdir::new();
    w.form("2015/第一批/二组/u002.xlsx", &good());
    let r = w.read(2015);
    assert_eq!(r.reading.submissions[0].file, "2015/第一批/二组/u002.xlsx");
    assert_eq!(r.status("u002"), Status::Reported);
}

#[test]
fn broken_files_are_errors_for_that_file_and_the_run_goes_on() {
    let w = Workdir::new();
    w.form("2015/u002.xlsx", &good());
    let bytes = Form::new("u001").to_xlsx();
    w.write("input/2015/empty.xlsx", b"");
    w.write("input/2015/half.xlsx", &bytes[..bytes.len() / 2]);
    w.write(
        "input/2015/noise.xls",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3],
    );
    w.write("input/2015/zip.ods", b"PK\x03\x04 not really");
    w.write(
        "input/2015/web.xls",
        "<html><table><tr><td>1</td></tr></table></html>".as_bytes(),
    );
    let r = w.read(2015);
    let codes: Vec<(String, &str)> = r.errors().iter().map(|d| (d.file.clone(), d.code.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("2015/empty.xlsx".to_string(), "empty-file"),
            ("2015/half.xlsx".to_string(), "corrupt-file"),
            ("2015/noise.xls".to_string(), "corrupt-file"),
            ("2015/web.xls".to_string(), "not-a-workbook"),
            ("2015/zip.ods".to_string(), "corrupt-file"),
        ]
    );
    assert!(r
        .errors()
        .iter()
        .all(|d| d.unit_code.is_none() && !d.message.is_empty()));
    assert_eq!(r.status("u002"), Status::Reported);
}

#[test]
fn a_missing_year_folder_is_fatal() {
    let w = Workdir::new();
    let inputs = annual_report::inputs::Inputs::load(&w.input()).unwrap();
    let options = annual_report::validate::ReadOptions {
        progress: false,
        due_through: None,
        isolation: None,
    };
    let e = annual_report::validate::read_year(&w.input(), 2013, &inputs.catalogue, &inputs.registry, &options)
        .unwrap_err();
    assert!(e.to_string().contains("2013"), "{e}");
}
