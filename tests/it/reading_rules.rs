//! Every reading rule of SPEC.md on workbooks built in code. The default form
//! has its header in row 3 (title and 表号 above), data from row 4, columns
//! A 项目 B 指标 C 指标代码 D 计量单位 E…P 1月…12月 Q 全年 R 备注.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{assert_at, Form, Workdir, V};

const F: &str = "2015/u001.xlsx";

fn one_form(form: Form) -> crate::harness::Reading {
    let w = Workdir::new();
    w.form(F, &form);
    w.read(2015)
}

#[test]
fn a_clean_form_counts_exactly() {
    let r = one_form(
        Form::new("u001")
            .set("单位名称", Some(V::T("测试一单位工会")))
            .row(
                "fitness.units",
                &[("3月", V::N(5.0)), ("9月", V::N(3.0)), ("全年", V::N(8.0))],
            )
            .row("fitness.funds", &[("3月", V::N(20.5)), ("9月", V::N(12.31))])
            .row(
                "members.count",
                &[("1月", V::N(120.0)), ("12月", V::N(130.0)), ("全年", V::N(130.0))],
            ),
    );
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.funds".into(), Some(3), 20.5),
            ("fitness.funds".into(), Some(9), 12.31),
            ("fitness.units".into(), Some(3), 5.0),
            ("fitness.units".into(), Some(9), 3.0),
            ("members.count".into(), Some(1), 120.0),
            ("members.count".into(), Some(12), 130.0),
        ]
    );
    assert_eq!(r.status("u002"), Status::Missing);
}

#[test]
fn info_labels_are_found_in_any_row_order_and_spelling() {
    let mut form = Form::new("u001").row("fitness.items", &[("1月", V::N(1.0))]);
    form.info.reverse();
    form.info.insert(0, ("省直机关工会年度报表".into(), None));
    let form = form
        .cell("基本信息", "A3", V::T(" 截止月份： "))
        .cell("基本信息", "B3", V::N(6.0));
    let r = one_form(form);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.reading.submissions[0].info.filled_through, Some(6));
}

#[test]
fn info_value_is_column_b_and_the_hint_beside_it_is_never_read() {
    // The blank form's hints stand in column C; B left blank is 未填写.
    let form = Form::new("u001")
        .set("截至月份", None)
        .set("填报日期", None)
        .cell("基本信息", "C4", V::T("1–12 的整数；年终报送填 12"))
        .cell("基本信息", "C5", V::T("如 2016-01-10；更正时填更正当天"));
    let r = one_form(form.row("fitness.items", &[("1月", V::N(1.0))]));
    let blanks: Vec<String> = r
        .errors()
        .iter()
        .map(|d| {
            assert_eq!(d.code, "missing-value", "{d:#?}");
            assert!(
                d.message.contains("未填写") && !d.message.contains("整数；"),
                "{}",
                d.message
            );
            d.cell.unwrap().a1()
        })
        .collect();
    assert_eq!(blanks, ["B4", "B5"]);
}

#[test]
fn info_value_in_a_merged_cell_starting_at_b() {
    let w = Workdir::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let info = book.add_worksheet().set_name("基本信息").unwrap();
    let f = rust_xlsxwriter::Format::new();
    for (r, (label, value)) in [
        ("单位代码", "u001"),
        ("年度", "2015"),
        ("截至月份", "12"),
        ("填报日期", "2016-01-10"),
    ]
    .iter()
    .enumerate()
    {
        info.write_string(r as u32, 0, *label).unwrap();
        info.merge_range(r as u32, 1, r as u32, 3, value, &f).unwrap();
        info.write_string(r as u32, 4, "（填写说明）").unwrap();
    }
    let data = book.add_worksheet().set_name("数据").unwrap();
    data.write_string(0, 0, "指标代码").unwrap();
    data.write_string(0, 1, "1月").unwrap();
    data.write_string(1, 0, "fitness.items").unwrap();
    data.write_number(1, 1, 3.0).unwrap();
    w.write("input/2015/merged.xlsx", &book.save_to_buffer().unwrap());
    let r = w.read(2015);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 3.0)]);
}

#[test]
fn missing_required_info_is_an_error() {
    let r = one_form(Form::new("u001").without("年度").set("截至月份", None));
    let missing = r.one("missing-field");
    assert_eq!(missing.sheet.as_deref(), Some("基本信息"));
    assert!(missing.message.contains("年度"), "{}", missing.message);
    assert_at(&r.one("missing-value"), Some("u001"), F, "基本信息", "B3");
    assert_eq!(r.status("u001"), Status::ToCorrect);
}

#[test]
fn bad_month_and_date_are_errors_at_their_cells() {
    let r = one_form(
        Form::new("u001")
            .set("截至月份", Some(V::T("十三月")))
            .set("填报日期", Some(V::T("明天"))),
    );
    assert_at(&r.one("bad-month"), Some("u001"), F, "基本信息", "B4");
    assert_at(&r.one("bad-date"), Some("u001"), F, "基本信息", "B5");
}

#[test]
fn filing_date_as_text_in_every_spelling() {
    for text in ["2016-01-10", "2016/1/10", "2016.1.10", "2016年1月10日"] {
        let r = one_form(Form::new("u001").set("填报日期", Some(V::T(text))));
        assert!(r.errors().is_empty(), "{text}: {:#?}", r.errors());
        assert_eq!(
            r.reading.submissions[0].info.filed_on,
            chrono::NaiveDate::from_ymd_opt(2016, 1, 10),
            "{text}"
        );
    }
}

#[test]
fn year_end_and_compact_dates_as_units_write_them() {
    let r = one_form(
        Form::new("u001")
            .set("截至月份", Some(V::T("全年")))
            .set("填报日期", Some(V::N(20160110.0))),
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let info = &r.reading.submissions[0].info;
    assert_eq!(
        (info.filled_through, info.filed_on),
        (Some(12), chrono::NaiveDate::from_ymd_opt(2016, 1, 10))
    );
}

#[test]
fn an_uncalculated_formula_in_the_info_sheet_is_an_error() {
    let r = one_form(Form::new("u001").set("单位代码", Some(V::F("=Sheet9!A1", "#REF!"))));
    assert_at(&r.one("formula-error"), None, F, "基本信息", "B1");
}

#[test]
fn header_is_found_below_title_rows_up_to_row_ten() {
    let mut form = Form::new("u001").row("fitness.items", &[("2月", V::N(4.0))]);
    form.title_rows = 9; // header in row 10
    let r = one_form(form.clone());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(2), 4.0)]);

    form.title_rows = 10; // header in row 11: too far down
    let r = one_form(form);
    let e = r.one("no-header");
    assert_eq!(e.sheet.as_deref(), Some("数据"));
    assert_eq!(r.status("u001"), Status::ToCorrect);
}

#[test]
fn two_row_header_with_merged_month_band() {
    let mut form = Form::new("u001").row(
        "fitness.items",
        &[("3月", V::N(40.0)), ("12月", V::N(2.0)), ("全年", V::N(42.0))],
    );
    form.two_row_header = true;
    let r = one_form(form);
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(3), 40.0),
            ("fitness.items".into(), Some(12), 2.0)
        ]
    );
}

#[test]
fn columns_in_any_order() {
    let mut form = Form::new("u001").row(
        "fitness.items",
        &[("1月", V::N(7.0)), ("12月", V::N(5.0)), ("全年", V::N(12.0))],
    );
    form.columns = [
        "全年",
        "指标代码",
        "12月",
        "11月",
        "10月",
        "9月",
        "8月",
        "7月",
        "6月",
        "5月",
        "4月",
        "3月",
        "2月",
        "1月",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let r = one_form(form);
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(1), 7.0),
            ("fitness.items".into(), Some(12), 5.0)
        ]
    );
}

#[test]
fn blank_is_nothing_and_zero_is_a_figure() {
    let r = one_form(Form::new("u001").row("fitness.items", &[("1月", V::N(0.0)), ("2月", V::T("   "))]));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 0.0)]);
}

#[test]
fn formula_counts_by_its_cached_value() {
    let r = one_form(Form::new("u001").row(
        "fitness.items",
        &[
            ("1月", V::N(10.0)),
            ("2月", V::F("=E4*2", "20")),
            ("全年", V::F("=SUM(E4:P4)", "30")),
        ],
    ));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(1), 10.0),
            ("fitness.items".into(), Some(2), 20.0)
        ]
    );
}

#[test]
fn text_numbers_are_normalised_with_a_note_at_each_cell() {
    let r = one_form(
        Form::new("u001")
            .row(
                "fitness.items",
                &[
                    ("1月", V::T("１２")),
                    ("2月", V::T("1,740")),
                    ("3月", V::T("1，740")),
                    ("4月", V::T(" 9 ")),
                    ("5月", V::T("3件")),
                ],
            )
            .row("fitness.funds", &[("1月", V::T("54万元"))]),
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let notes: Vec<String> = r
        .diags()
        .iter()
        .filter(|d| d.code == "text-number")
        .map(|d| d.cell.unwrap().a1())
        .collect();
    assert_eq!(notes, ["E4", "F4", "G4", "H4", "I4", "E5"]);
    assert!(r.diags().iter().all(|d| d.severity == Severity::Note));
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.funds".into(), Some(1), 54.0),
            ("fitness.items".into(), Some(1), 12.0),
            ("fitness.items".into(), Some(2), 1740.0),
            ("fitness.items".into(), Some(3), 1740.0),
            ("fitness.items".into(), Some(4), 9.0),
            ("fitness.items".into(), Some(5), 3.0),
        ]
    );
}

#[test]
fn anything_else_in_a_number_cell_is_an_error_at_that_cell() {
    let r = one_form(
        Form::new("u001")
            .row(
                "fitness.items",
                &[
                    ("1月", V::T("约300")),
                    ("2月", V::T("六十")),
                    ("3月", V::Date(2015, 3, 1)),
                ],
            )
            .row(
                "fitness.units",
                &[("1月", V::F("=1/0", "#DIV/0!")), ("2月", V::T("54元"))],
            )
            .row("fitness.funds", &[("1月", V::T("54元"))]),
    );
    let at: Vec<(String, &str)> = r
        .errors()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("E4".to_string(), "not-a-number"),
            ("F4".to_string(), "not-a-number"),
            ("G4".to_string(), "date-in-number-cell"),
            ("E5".to_string(), "formula-error"),
            ("F5".to_string(), "number-with-other-unit"),
            ("E6".to_string(), "number-with-other-unit"),
        ]
    );
    assert!(r
        .errors()
        .iter()
        .all(|d| d.unit_code.as_deref() == Some("u001") && d.sheet.as_deref() == Some("数据")));
    assert!(
        r.errors()[5].message.contains("万元"),
        "a wrong unit is named: {}",
        r.errors()[5].message
    );
    assert_eq!(r.status("u001"), Status::ToCorrect);
    assert!(
        r.figures("u001").is_empty(),
        "a submission with errors counts for nothing"
    );
}

#[test]
fn negatives_and_fractions_in_whole_number_metrics_are_errors() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.items", &[("1月", V::N(-3.0)), ("2月", V::N(2.5))])
            .row("fitness.funds", &[("1月", V::N(2.5)), ("2月", V::T("-1"))]),
    );
    let at: Vec<(String, &str)> = r
        .errors()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("E4".to_string(), "negative"),
            ("F4".to_string(), "fraction"),
            ("F5".to_string(), "negative")
        ]
    );
}

#[test]
fn months_after_the_cutoff_must_be_blank() {
    let r = one_form(Form::new("u001").set("截至月份", Some(V::T("6月"))).row(
        "fitness.items",
        &[("6月", V::N(3.0)), ("7月", V::N(0.0)), ("12月", V::T("x"))],
    ));
    let at: Vec<(String, &str)> = r
        .errors()
        .iter()
        .map(|d| (d.cell.unwrap().a1(), d.code.as_str()))
        .collect();
    assert_eq!(
        at,
        [("K4".to_string(), "after-cutoff"), ("P4".to_string(), "after-cutoff")]
    );
}

#[test]
fn annual_must_agree_with_the_months() {
    let r = one_form(
        Form::new("u001")
            .row(
                "fitness.items",
                &[("1月", V::N(3.0)), ("2月", V::N(4.0)), ("全年", V::N(8.0))],
            )
            .row(
                "members.count",
                &[("1月", V::N(100.0)), ("6月", V::N(110.0)), ("全年", V::N(110.0))],
            )
            .row(
                "fitness.funds",
                &[("1月", V::N(0.1)), ("2月", V::N(0.2)), ("全年", V::N(0.3))],
            ),
    );
    let e = r.one("annual-mismatch");
    assert_at(&e, Some("u001"), F, "数据", "Q4");
    assert!(e.message.contains('8') && e.message.contains('7'), "{}", e.message);
    assert_eq!(
        r.errors().len(),
        1,
        "a level's 全年 is its last month; 0.1+0.2 is 0.3: {:#?}",
        r.errors()
    );
}

#[test]
fn a_last_metric_annual_that_is_not_the_last_month_is_an_error() {
    let r = one_form(Form::new("u001").row(
        "members.count",
        &[("1月", V::N(100.0)), ("6月", V::N(110.0)), ("全年", V::N(210.0))],
    ));
    assert_at(&r.one("annual-mismatch"), Some("u001"), F, "数据", "Q4");
}

#[test]
fn annual_only_counts_for_the_year_and_no_month() {
    let r = one_form(Form::new("u001").row("fitness.items", &[("全年", V::N(52.0))]));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), None, 52.0)]);
}

#[test]
fn totals_rows_are_skipped_with_a_note() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.items", &[("1月", V::N(3.0))])
            .row("", &[("项目", V::T("合  计")), ("1月", V::N(3.0))])
            .row("", &[("指标", V::T("小计")), ("1月", V::N(3.0))]),
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let notes: Vec<String> = r
        .diags()
        .iter()
        .filter(|d| d.code == "total-row-skipped")
        .map(|d| d.cell.unwrap().a1())
        .collect();
    assert_eq!(notes, ["A5", "B6"]);
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 3.0)]);
}

#[test]
fn a_row_with_numbers_and_no_code_is_an_error() {
    let r = one_form(Form::new("u001").row("", &[("指标", V::T("健身器材")), ("4月", V::N(9.0))]));
    assert_at(&r.one("row-without-code"), Some("u001"), F, "数据", "C4");
}

#[test]
fn a_text_only_row_without_code_is_noted() {
    let r = one_form(Form::new("u001").row("", &[("项目", V::T("一、五送五有"))]));
    assert!(r.errors().is_empty());
    assert_at(&r.one("row-skipped"), Some("u001"), F, "数据", "A4");
}

#[test]
fn unknown_code_is_a_warning_and_its_row_does_not_count() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.itmes", &[("1月", V::N(9.0))])
            .row("fitness.items", &[("1月", V::N(1.0))]),
    );
    let w = r.one("unknown-metric");
    assert_eq!(w.severity, Severity::Warning);
    assert_at(&w, Some("u001"), F, "数据", "C4");
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 1.0)]);
}

#[test]
fn a_metric_twice_is_an_error() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.items", &[("1月", V::N(9.0))])
            .row("fitness.items", &[("1月", V::N(1.0))]),
    );
    assert_at(&r.one("duplicate-metric"), Some("u001"), F, "数据", "C5");
}

#[test]
fn a_metric_missing_from_the_form_counts_as_blank() {
    let r = one_form(Form::new("u001").row("fitness.items", &[("1月", V::N(9.0))]));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.status("u001"), Status::Reported);
}

#[test]
fn name_mismatch_is_a_warning() {
    let r = one_form(Form::new("u001").set("单位名称", Some(V::T("别的单位工会"))));
    let w = r.one("name-mismatch");
    assert_eq!(w.severity, Severity::Warning);
    assert_at(&w, Some("u001"), F, "基本信息", "B2");
    assert!(w.message.contains("测试一单位工会"), "{}", w.message);
    assert_eq!(r.status("u001"), Status::Reported);
}

#[test]
fn wrong_year_is_an_error() {
    let r = one_form(Form::new("u001").set("年度", Some(V::T("2014年"))));
    assert_at(&r.one("wrong-year"), Some("u001"), F, "基本信息", "B3");
    assert_eq!(r.status("u001"), Status::ToCorrect);
}

#[test]
fn unregistered_unit_is_an_error_and_counts_for_no_unit() {
    let w = Workdir::new();
    w.form(
        "2015/x.xlsx",
        &Form::new("u999").row("fitness.items", &[("1月", V::N(9.0))]),
    );
    let r = w.read(2015);
    assert_at(&r.one("unknown-unit"), Some("u999"), "2015/x.xlsx", "基本信息", "B1");
    assert!(r.reading.selection.counted.is_empty());
}

#[test]
fn numeric_unit_code_matches_its_zero_padded_registry_code() {
    let w = Workdir::new();
    w.write("input/units.csv", "单位代码,单位名称\n007,七号单位工会\n".as_bytes());
    w.form(
        "2015/7.xlsx",
        &Form::new("x")
            .set("单位代码", Some(V::N(7.0)))
            .row("fitness.items", &[("1月", V::N(9.0))]),
    );
    let r = w.read(2015);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.status("007"), Status::Reported);
}

#[test]
fn missing_sheets_are_errors() {
    let w = Workdir::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Sheet1").unwrap();
    w.write("input/2015/blank.xlsx", &book.save_to_buffer().unwrap());
    let r = w.read(2015);
    let sheets: Vec<Option<String>> = r
        .errors()
        .iter()
        .filter(|d| d.code == "missing-sheet")
        .map(|d| d.sheet.clone())
        .collect();
    assert_eq!(sheets, [Some("基本信息".to_string()), Some("数据".to_string())]);
    assert!(r.errors()[0].message.contains("Sheet1"), "names the sheets there are");
}

#[test]
fn a_hidden_data_sheet_and_hidden_rows_inside_it_are_read_and_other_sheets_ignored() {
    let mut form = Form::new("u001")
        .row("fitness.items", &[("1月", V::N(9.0))])
        .row("fitness.units", &[("1月", V::N(2.0))])
        .row("fitness.funds", &[("1月", V::N(1.5))]);
    // Rows 5 and 6 (0-based 4, 5) hidden: inside the data area.
    form.hidden_rows = vec![4, 5];
    form.extra_sheets = vec![("填表说明".into(), true), ("草稿".into(), false)];
    let hidden = crate::harness::rewrite_zip(&form.to_xlsx(), |name, xml| {
        if name == "xl/workbook.xml" {
            assert!(xml.contains("<sheet name=\"数据\""), "{xml}");
            xml.replace("<sheet name=\"数据\"", "<sheet name=\"数据\" state=\"hidden\"")
        } else {
            xml
        }
    });
    let w = Workdir::new();
    w.write(&format!("input/{F}"), &hidden);
    let r = w.read(2015);
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.funds".into(), Some(1), 1.5),
            ("fitness.items".into(), Some(1), 9.0),
            ("fitness.units".into(), Some(1), 2.0),
        ],
        "the hidden sheet and its hidden rows count"
    );
}

#[test]
fn an_empty_row_inside_the_data_area_is_no_end_of_it() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.items", &[("1月", V::N(9.0))])
            .row("", &[])
            .row("", &[])
            .row("fitness.units", &[("1月", V::N(2.0))]),
    );
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.items".into(), Some(1), 9.0),
            ("fitness.units".into(), Some(1), 2.0)
        ]
    );
}

#[test]
fn unknown_columns_with_content_are_noted() {
    let mut form = Form::new("u001").row("fitness.items", &[("1月", V::N(9.0)), ("上年同期", V::N(7.0))]);
    form.columns.push("上年同期".into());
    let r = one_form(form);
    assert_at(&r.one("column-ignored"), Some("u001"), F, "数据", "S3");
}

#[test]
fn numbers_in_a_column_without_header_are_noted() {
    let r = one_form(
        Form::new("u001")
            .row("fitness.items", &[("1月", V::N(9.0))])
            .cell("数据", "T4", V::N(5.0))
            .cell("数据", "T5", V::N(6.0)),
    );
    let note = r.one("column-ignored");
    assert_at(&note, Some("u001"), F, "数据", "T4");
    assert!(note.message.contains("T 列没有表头"), "{}", note.message);
}

#[test]
fn labels_with_a_remark_in_brackets() {
    let mut form = Form::new("u001").row("fitness.items", &[("1月(件)", V::N(9.0))]);
    form.columns[4] = "1月(件)".into();
    form.info[0].0 = "单位代码（必填）".into();
    let r = one_form(form);
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.figures("u001"), vec![("fitness.items".into(), Some(1), 9.0)]);
}

#[test]
fn every_problem_of_a_file_is_collected() {
    let r = one_form(
        Form::new("u001")
            .set("填报日期", Some(V::T("?")))
            .row("fitness.items", &[("1月", V::T("约3")), ("2月", V::N(-1.0))])
            .row("fitness.units", &[("1月", V::N(1.5))]),
    );
    assert_eq!(r.errors().len(), 4, "{:#?}", r.errors());
}
