//! Several submissions of one unit: which one counts, and what is said of
//! the others.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{Form, Workdir, V};

fn filed(day: u8, items_in_january: f64) -> Form {
    Form::new("u001")
        .set("填报日期", Some(V::Date(2016, 1, day)))
        .row("fitness.items", &[("1月", V::N(items_in_january))])
}

#[test]
fn the_latest_filing_date_counts_and_the_rest_are_superseded() {
    let w = Workdir::new();
    // Path order is the opposite of date order: the date decides.
    w.form("2015/a-new.xlsx", &filed(20, 7.0));
    w.form("2015/b-old.xlsx", &filed(10, 5.0));
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 7.0)]);
    let note = r.one("superseded");
    assert_eq!((note.severity, note.file.as_str()), (Severity::Note, "2015/b-old.xlsx"));
    assert!(note.message.contains("2015/a-new.xlsx"), "{}", note.message);
}

#[test]
fn a_corrected_resubmission_replaces_a_faulty_one() {
    let w = Workdir::new();
    w.form(
        "2015/old.xlsx",
        &filed(10, 5.0).row("fitness.units", &[("1月", V::T("约3"))]),
    );
    w.form(
        "2015/new.xlsx",
        &filed(20, 5.0).row("fitness.units", &[("1月", V::N(3.0))]),
    );
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::Reported);
    assert!(
        r.errors().is_empty(),
        "the old file's problems are history: {:#?}",
        r.errors()
    );
    let old = r
        .diags()
        .into_iter()
        .find(|d| d.code == "not-a-number")
        .expect("still shown");
    assert_eq!(
        (old.severity, old.cell.unwrap().a1()),
        (Severity::Note, "E5".to_string())
    );
}

#[test]
fn a_faulty_latest_submission_makes_the_unit_to_be_corrected() {
    let w = Workdir::new();
    w.form("2015/old.xlsx", &filed(10, 5.0));
    w.form("2015/new.xlsx", &filed(20, -5.0));
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::ToCorrect);
    assert!(
        r.figures("u001").is_empty(),
        "the older file does not stand in for the faulty newer one"
    );
    let i = r.reading.selection.units[0].submission.unwrap();
    assert_eq!(r.reading.submissions[i].file, "2015/new.xlsx");
}

#[test]
fn same_date_different_figures_is_an_error_and_neither_counts() {
    let w = Workdir::new();
    w.form("2015/a.xlsx", &filed(10, 5.0));
    w.form("2015/b.xlsx", &filed(10, 6.0));
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::ToCorrect);
    let conflicts: Vec<String> = r
        .errors()
        .iter()
        .filter(|d| d.code == "same-date-conflict")
        .map(|d| d.file.clone())
        .collect();
    assert_eq!(conflicts, ["2015/a.xlsx", "2015/b.xlsx"]);
    assert!(r.reading.selection.counted.is_empty());
}

#[test]
fn same_date_same_figures_counts_once() {
    let w = Workdir::new();
    w.form("2015/a.xlsx", &filed(10, 5.0));
    w.form("2015/copy/a.xlsx", &filed(10, 5.0));
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 5.0)]);
    assert_eq!(r.one("duplicate-submission").file, "2015/copy/a.xlsx");
}

#[test]
fn an_unreadable_filing_date_blocks_the_unit() {
    let w = Workdir::new();
    w.form("2015/a.xlsx", &filed(10, 5.0));
    w.form("2015/b.xlsx", &filed(10, 5.0).set("填报日期", Some(V::T("下周"))));
    let r = w.read(2015);
    assert_eq!(r.status("u001"), Status::ToCorrect);
}
