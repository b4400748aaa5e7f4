//! A formula's result as each format stores it — never calculated, the empty
//! string, an error — read the same from .xlsx, .xls and .ods: one test per
//! format per case. Files saved by LibreOffice are made here where `soffice`
//! is installed (a failure under CI=true when it is not); files written by
//! scripts are edited here or committed under tests/fixtures/oddities.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{assert_at, saved_by_libreoffice, soffice, without_formula_results, Form, Reading, Workdir, V};

/// Read one workbook as `2015/u001.<ext>`.
fn read(bytes: &[u8], ext: &str) -> Reading {
    let w = Workdir::new();
    w.write(&format!("input/2015/u001.{ext}"), bytes);
    w.read(2015)
}

/// Rows 4–6: a month formula whose result is "" (E5 is blank), the form's
/// own 全年 on a row left empty, and a unit's own variant of 全年 that also
/// gives "" on an empty row.
fn empty_string_results() -> Form {
    Form::new("u001")
        .row(
            "fitness.items",
            &[
                ("1月", V::N(5.0)),
                ("2月", V::F("=IF(E5=\"\",\"\",E5)", "")),
                ("全年", V::F("=IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))", "5")),
            ],
        )
        .row(
            "fitness.units",
            &[("全年", V::F("=IF(COUNT(E5:P5)=0,\"\",SUM(E5:P5))", ""))],
        )
        .row(
            "fitness.funds",
            &[("全年", V::F("=IF(SUM(E6:P6)=0,\"\",SUM(E6:P6))", ""))],
        )
}

/// Errors computed by the program that saved the file.
fn error_results() -> Form {
    Form::new("u001").row(
        "fitness.items",
        &[
            ("1月", V::F("=1/0", "#DIV/0!")),
            ("2月", V::F("=SQRT(-1)", "#NUM!")),
            ("3月", V::F("=NA()", "#N/A")),
            ("4月", V::N(3.0)),
        ],
    )
}

/// The empty string is a blank cell, as every program shows it: no error,
/// nothing counted for it.
fn assert_empty_strings_are_blank(r: &Reading, ext: &str) {
    assert!(r.diags().is_empty(), "{ext}: {:#?}", r.diags());
    assert_eq!(r.status("u001"), Status::Reported, "{ext}");
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 5.0)], "{ext}");
}

/// An error value is an error at its cell, never a blank.
fn assert_errors_at_their_cells(r: &Reading, ext: &str) {
    let at: Vec<(String, &str)> = r
        .errors()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("E4".to_string(), "formula-error"),
            ("F4".to_string(), "formula-error"),
            ("G4".to_string(), "formula-error")
        ],
        "{ext}"
    );
    assert!(
        r.errors()[0].message.contains("#DIV/0!"),
        "{ext}: {}",
        r.errors()[0].message
    );
    assert!(
        r.errors()[2].message.contains("#N/A"),
        "{ext}: {}",
        r.errors()[2].message
    );
    assert_eq!(r.status("u001"), Status::ToCorrect, "{ext}");
}

/// The form rewritten by LibreOffice as `format`, every formula calculated
/// by LibreOffice itself (the results written by our test writer dropped).
fn by_libreoffice(form: &Form, format: &str) -> Option<Vec<u8>> {
    let soffice = soffice()?;
    let uncached = without_formula_results(&form.to_xlsx());
    Some(saved_by_libreoffice(&soffice, &uncached, "u001.xlsx", format))
}

#[test]
fn xlsx_formula_result_empty_string() {
    let Some(bytes) = by_libreoffice(&empty_string_results(), "xlsx") else {
        return;
    };
    assert_empty_strings_are_blank(&read(&bytes, "xlsx"), "xlsx");
}

#[test]
fn xls_formula_result_empty_string() {
    let Some(bytes) = by_libreoffice(&empty_string_results(), "xls") else {
        return;
    };
    assert_empty_strings_are_blank(&read(&bytes, "xls"), "xls");
}

#[test]
fn ods_formula_result_empty_string() {
    // LibreOffice stores "" as a formula cell with no value type and an
    // empty paragraph; calamine reads it as an empty cell with a formula.
    let Some(bytes) = by_libreoffice(&empty_string_results(), "ods") else {
        return;
    };
    assert_empty_strings_are_blank(&read(&bytes, "ods"), "ods");
}

#[test]
fn xlsx_formula_result_error() {
    let Some(bytes) = by_libreoffice(&error_results(), "xlsx") else {
        return;
    };
    assert_errors_at_their_cells(&read(&bytes, "xlsx"), "xlsx");
}

#[test]
fn xls_formula_result_error() {
    let Some(bytes) = by_libreoffice(&error_results(), "xls") else {
        return;
    };
    assert_errors_at_their_cells(&read(&bytes, "xls"), "xls");
}

#[test]
fn ods_formula_result_error() {
    // LibreOffice: office:value-type="string" office:string-value=""
    // calcext:value-type="error", the error in the paragraph.
    let Some(bytes) = by_libreoffice(&error_results(), "ods") else {
        return;
    };
    let r = read(&bytes, "ods");
    assert_errors_at_their_cells(&r, "ods");
    assert!(
        r.errors()[1].message.contains("Err:502"),
        "LibreOffice's own error text: {}",
        r.errors()[1].message
    );
}

/// A month formula never calculated is an error with the formula as the
/// user sees it; the form's own 全年 is computed from the months, with a note.
fn assert_uncalculated(r: &Reading, file: &str, month_formula: &str) {
    let e = r.one("formula-without-value");
    assert_at(&e, Some("u001"), file, "数据", "F4");
    assert!(
        e.message.contains(&format!("公式 ={month_formula} "))
            && e.message
                .contains("在 Excel、WPS 或 LibreOffice 中打开，重新计算并保存"),
        "{}",
        e.message
    );
    assert!(e.message.starts_with("健身器材（件）2月（数据!F4）："), "{}", e.message);
    assert_eq!(r.errors().len(), 1, "{:#?}", r.errors());
}

#[test]
fn xlsx_formula_never_calculated() {
    // openpyxl and web exports: <f> with no stored value.
    let form = Form::new("u001")
        .row(
            "fitness.items",
            &[
                ("1月", V::N(10.0)),
                ("2月", V::F("=E4*2", "20")),
                ("全年", V::F("=IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))", "30")),
            ],
        )
        .row(
            "fitness.units",
            &[
                ("1月", V::N(2.0)),
                ("3月", V::N(1.0)),
                ("全年", V::F("=SUM(E5:P5)", "3")),
            ],
        )
        .row(
            "members.count",
            &[
                ("1月", V::N(300.0)),
                ("6月", V::N(305.0)),
                (
                    "全年",
                    V::F("=IF(COUNT(E6:P6)=0,\"\",LOOKUP(2,1/(E6:P6<>\"\"),E6:P6))", "305"),
                ),
            ],
        );
    let r = read(&without_formula_results(&form.to_xlsx()), "xlsx");
    assert_uncalculated(&r, "2015/u001.xlsx", "E4*2");
    let computed: Vec<(String, String)> = r
        .diags()
        .iter()
        .filter(|d| d.code == "annual-computed")
        .map(|d| (d.cell.unwrap().a1(), d.message.clone()))
        .collect();
    assert_eq!(computed.len(), 3, "{computed:#?}");
    assert!(computed[0].1.contains("已按各月计算为 10"), "{}", computed[0].1);
    assert!(
        computed[1].1.contains("=SUM(E5:P5)") && computed[1].1.contains("为 3"),
        "{}",
        computed[1].1
    );
    assert!(
        computed[2].1.contains("LOOKUP") && computed[2].1.contains("为 305"),
        "{}",
        computed[2].1
    );
    assert!(r
        .diags()
        .iter()
        .all(|d| d.code != "annual-computed" || d.severity == Severity::Note));
}

#[test]
fn ods_formula_never_calculated() {
    // Written as odfpy writes formulas: table:formula and nothing else.
    let w = Workdir::new();
    w.oddity("script-no-cache.ods", "2015/u001.ods");
    let r = w.read(2015);
    assert_uncalculated(&r, "2015/u001.ods", "E4*2");
    assert_at(&r.one("annual-computed"), Some("u001"), "2015/u001.ods", "数据", "Q4");
}

#[test]
fn xls_formula_never_calculated() {
    // BIFF8 cannot store "no result": xlwt stores an empty string as every
    // formula's result. `E4*2` cannot give one, so it was never calculated;
    // the form's own 全年 may give "", and is blank: the months count.
    let w = Workdir::new();
    w.oddity("script-no-cache.xls", "2015/u001.xls");
    let r = w.read(2015);
    assert_uncalculated(&r, "2015/u001.xls", "E4*2");
    assert_eq!(r.diags().len(), 1, "{:#?}", r.diags());
}

/// (metric id, month, value), as `Reading::figures` lists them.
type Figures = Vec<(String, Option<u8>, f64)>;

/// u002's 2015 form from `annual-report forms`, months typed, and the
/// figures it must read back as.
fn blank_form_filled(w: &Workdir) -> (Vec<u8>, Figures) {
    let inputs = annual_report::inputs::Inputs::load(&w.input()).unwrap();
    let unit = inputs.registry.lookup("u002").unwrap().clone();
    let mut filling = annual_report::forms::Filling {
        filled_through: Some(12),
        filed_on: chrono::NaiveDate::from_ymd_opt(2016, 1, 18),
        ..Default::default()
    };
    let mut months = |id: &str, typed: &[(usize, f64)]| {
        let mut row = [None; 12];
        for &(m, v) in typed {
            row[m - 1] = Some(v);
        }
        filling.months.insert(id.to_owned(), row);
    };
    months("fitness.units", &[(3, 3.0), (9, 2.0)]);
    months("fitness.funds", &[(2, 20.5), (6, 12.31), (12, 0.1)]);
    months("members.count", &[(1, 300.0), (6, 305.0)]);
    let bytes = annual_report::forms::filled_form(&inputs.catalogue, &unit, 2015, &filling).unwrap();
    let expected = vec![
        ("fitness.funds".into(), Some(2), 20.5),
        ("fitness.funds".into(), Some(6), 12.31),
        ("fitness.funds".into(), Some(12), 0.1),
        ("fitness.units".into(), Some(3), 3.0),
        ("fitness.units".into(), Some(9), 2.0),
        ("members.count".into(), Some(1), 300.0),
        ("members.count".into(), Some(6), 305.0),
    ];
    (bytes, expected)
}

#[test]
fn a_blank_form_filled_by_a_script_reads_back_exactly() {
    // openpyxl and web exports write the months and drop every formula's
    // stored result: 全年 is the form's own formula, computed from the months.
    let w = Workdir::new();
    let (bytes, expected) = blank_form_filled(&w);
    w.write("input/2015/u002.xlsx", &without_formula_results(&bytes));
    let r = w.read(2015);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.status("u002"), Status::Reported);
    assert_eq!(r.figures("u002"), expected);
    let computed: Vec<String> = r
        .diags()
        .iter()
        .filter(|d| d.code == "annual-computed" && d.severity == Severity::Note)
        .map(|d| d.cell.unwrap().a1())
        .collect();
    assert_eq!(computed.len(), 3, "one note per filled row: {:#?}", r.diags());
    assert_eq!(r.diags().len(), 3, "{:#?}", r.diags());
}

#[test]
fn a_blank_form_filled_by_a_script_and_saved_by_libreoffice_reads_back_exactly() {
    let Some(soffice) = soffice() else { return };
    let w = Workdir::new();
    let (bytes, expected) = blank_form_filled(&w);
    let typed = without_formula_results(&bytes);
    for format in ["ods", "xls", "xlsx"] {
        let saved = saved_by_libreoffice(&soffice, &typed, "u002.xlsx", format);
        let w = Workdir::new();
        w.write(&format!("input/2015/u002.{format}"), &saved);
        let r = w.read(2015);
        assert!(r.diags().is_empty(), "{format}: {:#?}", r.diags());
        assert_eq!(r.figures("u002"), expected, "{format}");
    }
}
