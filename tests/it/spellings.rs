//! Spellings real forms carry, each read — and each with a note, never
//! silently: marks for "nothing", month headers, 截至月份 in words, a date
//! serial in a General cell, codes and sheet names with stray spaces.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{assert_at, rewrite_zip, Form, Reading, Workdir, V};

const F: &str = "2015/u001.xlsx";

fn one_form(form: Form) -> Reading {
    let w = Workdir::new();
    w.form(F, &form);
    w.read(2015)
}

/// Every diagnostic is a note with this code; their cells.
fn notes(r: &Reading, code: &str) -> Vec<String> {
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    r.diags()
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            assert_eq!(d.severity, Severity::Note, "{d:#?}");
            d.cell.map(|c| c.a1()).unwrap_or_default()
        })
        .collect()
}

#[test]
fn dashes_slashes_and_wu_alone_mean_nothing_reported() {
    let r = one_form(Form::new("u001").set("截至月份", Some(V::N(6.0))).row(
        "fitness.items",
        &[
            ("1月", V::T("—")),
            ("2月", V::T("－")),
            ("3月", V::T("-")),
            ("4月", V::T("/")),
            ("5月", V::T(" 无 ")),
            ("6月", V::N(4.0)),
            // After 截至月份, a mark is still nothing, not a figure.
            ("7月", V::T("—")),
            ("全年", V::T("无")),
        ],
    ));
    assert_eq!(
        notes(&r, "nothing-reported-mark"),
        ["E4", "F4", "G4", "H4", "I4", "K4", "Q4"]
    );
    assert_eq!(r.diags().len(), 7, "{:#?}", r.diags());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(6), 4.0)]);
    let note = &r.diags()[0];
    assert!(
        note.message.starts_with("健身器材（件）1月（数据!E4）：“—”按未填报"),
        "{}",
        note.message
    );
}

#[test]
fn month_headers_written_1yuefen_and_01yue() {
    let mut form = Form::new("u001").row(
        "fitness.items",
        &[("1月份", V::N(3.0)), ("02月", V::N(4.0)), ("全年", V::N(7.0))],
    );
    form.columns[4] = "1月份".into();
    form.columns[5] = "02月".into();
    let r = one_form(form);
    assert_eq!(notes(&r, "header-spelling"), ["E3"]);
    assert!(
        r.diags()[0].message.contains("“1月份”“02月”"),
        "{}",
        r.diags()[0].message
    );
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(1), 3.0),
            ("fitness.items".into(), Some(2), 4.0)
        ]
    );
}

#[test]
fn cutoff_month_in_words() {
    let r = one_form(Form::new("u001").set("截至月份", Some(V::T("十二月"))));
    assert_eq!(notes(&r, "month-spelling"), ["B4"]);
    assert_eq!(r.reading.submissions[0].info.filled_through, Some(12));
    // The form's own spellings are no news.
    let r = one_form(Form::new("u001").set("截至月份", Some(V::T("12月"))));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
}

#[test]
fn filing_date_as_a_serial_number_in_a_general_cell() {
    // 42379 is 2016-01-10: within the year (2015) or the next.
    let r = one_form(Form::new("u001").set("填报日期", Some(V::N(42379.0))));
    assert_eq!(notes(&r, "date-serial"), ["B5"]);
    assert_eq!(
        r.reading.submissions[0].info.filed_on,
        chrono::NaiveDate::from_ymd_opt(2016, 1, 10)
    );
    assert!(r.diags()[0].message.contains("2016-01-10"), "{}", r.diags()[0].message);
    // 40000 is 2009-07-06: not a date of this report.
    let r = one_form(Form::new("u001").set("填报日期", Some(V::N(40000.0))));
    assert_at(&r.one("bad-date"), Some("u001"), F, "基本信息", "B5");
}

#[test]
fn unit_codes_with_full_width_letters_or_spaces() {
    for written in ["ｕ００１", " u001 ", "\u{3000}u001"] {
        let r = one_form(Form::new("x").set("单位代码", Some(V::T(written))));
        assert_eq!(notes(&r, "unit-code-normalised"), ["B1"], "{written}");
        assert_eq!(r.status("u001"), Status::Reported, "{written}");
        assert!(
            r.diags()[0].message.contains(&format!("“{written}”")),
            "{}",
            r.diags()[0].message
        );
    }
}

#[test]
fn sheet_names_with_surrounding_spaces() {
    let w = Workdir::new();
    let bytes = Form::new("u001").row("fitness.items", &[("1月", V::N(2.0))]).to_xlsx();
    let renamed = rewrite_zip(&bytes, |name, xml| {
        if name == "xl/workbook.xml" {
            xml.replace("name=\"数据\"", "name=\" 数据 \"")
                .replace("name=\"基本信息\"", "name=\"基本信息　\"")
        } else {
            xml
        }
    });
    w.write("input/2015/u001.xlsx", &renamed);
    let r = w.read(2015);
    let sheets: Vec<String> = r
        .diags()
        .iter()
        .map(|d| {
            assert_eq!((d.code.as_str(), d.severity), ("sheet-name-spelling", Severity::Note));
            d.sheet.clone().unwrap()
        })
        .collect();
    assert_eq!(sheets, ["基本信息", "数据"]);
    assert!(r.diags()[1].message.contains("“ 数据 ”"), "{}", r.diags()[1].message);
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 2.0)]);
}
