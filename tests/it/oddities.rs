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
    let said: Vec<(String, &str, Severity)> = r
        .diags()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str(), d.severity))
        .collect();
    assert_eq!(
        said,
        [
            ("B4".to_string(), "annual-skips-text", Severity::Warning),
            ("I4".to_string(), "text-number", Severity::Note),
            ("I5".to_string(), "text-number", Severity::Note),
            ("I6".to_string(), "text-number", Severity::Note),
        ]
    );
    // The office confirms the figure with the unit: both figures and the
    // difference are in the message.
    let w = r.one("annual-skips-text");
    assert!(
        w.message.contains("全年 0 ") && w.message.contains("1740") && w.message.contains("多 1740"),
        "{}",
        w.message
    );
}

#[test]
fn ods_error_values_and_dates_in_number_cells() {
    let r = read_oddity("ods-errors.ods");
    let at: Vec<(String, &str)> = r
        .errors()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("E4".to_string(), "formula-error"),
            ("E5".to_string(), "date-in-number-cell"),
            ("E6".to_string(), "not-a-number")
        ]
    );
    assert!(r.errors().iter().all(|d| d.unit_code.as_deref() == Some("u003")));
    assert_eq!(r.status("u003"), Status::ToCorrect);
}

#[test]
fn script_written_own_annual_formula_without_cached_value_is_computed() {
    // openpyxl: Q4 = SUM(E4:P4) with an empty <v>, the months typed.
    let r = read_oddity("script-no-cache.xlsx");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let note = r.one("annual-computed");
    assert_at(&note, Some("u001"), "2015/script-no-cache.xlsx", "数据", "Q4");
    assert!(
        note.message.contains("=SUM(E4:P4)") && note.message.contains("30"),
        "{}",
        note.message
    );
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(1), 10.0),
            ("fitness.items".into(), Some(2), 20.0)
        ]
    );
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

#[test]
fn a_form_filled_by_a_script_and_saved_by_libreoffice_reads_back_exactly() {
    // The case: in the .ods, 全年 of the empty row is the form's own
    // formula with an empty-string result (no value type, an empty <text:p/>).
    for name in ["lo-form.ods", "lo-form.xls", "lo-form.xlsx"] {
        let r = read_oddity(name);
        assert!(r.diags().is_empty(), "{name}: {:#?}", r.diags());
        assert_eq!(r.status("u004"), Status::Reported, "{name}");
        assert_eq!(
            r.figures("u004"),
            vec![
                ("fitness.funds".into(), Some(2), 20.5),
                ("fitness.funds".into(), Some(6), 12.31),
                ("fitness.units".into(), Some(3), 3.0),
                ("fitness.units".into(), Some(9), 2.0),
                ("members.count".into(), Some(1), 300.0),
                ("members.count".into(), Some(6), 305.0),
            ],
            "{name}"
        );
    }
}
