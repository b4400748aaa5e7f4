//! Committed workbooks written by other tools (tests/fixtures/oddities,
//! described cell by cell in its README).

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{assert_at, Workdir};

fn read_oddity(name: &str) -> crate::harness::Reading {
    let w = Workdir::new();
    w.oddity(name, &format!("2015/{name}"));
    w.read(2015)
}

#[test]
fn legacy_xls_with_two_row_header_and_merged_cells() {
    let r = read_oddity("legacy.xls");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.funds".into(), Some(3), 20.5),
            ("fitness.funds".into(), Some(9), 12.3),
            ("fitness.items".into(), Some(3), 40.0),
            ("fitness.items".into(), Some(9), 12.0),
            ("fitness.units".into(), Some(3), 5.0),
            ("fitness.units".into(), Some(9), 3.0),
            ("members.count".into(), Some(1), 120.0),
            ("members.count".into(), Some(6), 125.0),
            ("members.count".into(), Some(12), 130.0),
        ]
    );
    assert_at(
        &r.one("total-row-skipped"),
        Some("u001"),
        "2015/legacy.xls",
        "数据",
        "A9",
    );
}

#[test]
fn libreoffice_ods_with_text_numbers_and_a_sum_that_skipped_them() {
    let r = read_oddity("libreoffice.ods");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.status("u002"), Status::Reported);
    assert_eq!(
        r.figures("u002"),
        vec![
            ("fitness.funds".into(), Some(6), 54.0),
            ("fitness.items".into(), Some(6), 1740.0),
            ("fitness.units".into(), Some(6), 12.0),
        ]
    );
    let notes: Vec<(String, &str)> = r.diags().iter().map(|d| (d.cell.unwrap().a1(), d.code)).collect();
    assert_eq!(
        notes,
        [
            ("B4".to_string(), "annual-skips-text"),
            ("I4".to_string(), "text-number"),
            ("I5".to_string(), "text-number"),
            ("I6".to_string(), "text-number"),
        ]
    );
}

#[test]
fn ods_error_values_and_dates_in_number_cells() {
    let r = read_oddity("ods-errors.ods");
    let at: Vec<(String, &str)> = r.errors().iter().map(|d| (d.cell.unwrap().a1(), d.code)).collect();
    assert_eq!(
        at,
        [
            ("E4".to_string(), "formula-error"),
            ("E5".to_string(), "not-a-number"),
            ("E6".to_string(), "not-a-number")
        ]
    );
    assert!(r.errors().iter().all(|d| d.unit_code.as_deref() == Some("u003")));
    assert_eq!(r.status("u003"), Status::ToCorrect);
}

#[test]
fn script_written_formula_without_cached_value() {
    let r = read_oddity("script-no-cache.xlsx");
    let e = r.one("formula-without-value");
    assert_at(&e, Some("u001"), "2015/script-no-cache.xlsx", "数据", "Q4");
    assert!(e.message.contains("请在 Excel 中打开并保存"), "{}", e.message);
    assert_eq!(r.status("u001"), Status::ToCorrect);
}

#[test]
fn password_protected_truncated_and_disguised_files() {
    for (name, code) in [
        ("encrypted.xlsx", "password-protected"),
        ("truncated.xlsx", "corrupt-file"),
        ("html-disguised.xls", "not-a-workbook"),
    ] {
        let r = read_oddity(name);
        let e = r.one(code);
        assert_eq!(
            (e.severity, e.file.as_str()),
            (Severity::Error, format!("2015/{name}").as_str())
        );
    }
}

#[test]
fn xlsx_content_under_an_xls_name_is_read_with_a_note() {
    let r = read_oddity("wrong-extension.xls");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.one("wrong-extension").severity, Severity::Note);
    assert_eq!(
        r.figures("u003"),
        vec![
            ("fitness.items".into(), Some(1), 10.0),
            ("fitness.items".into(), Some(2), 20.0)
        ]
    );
}
