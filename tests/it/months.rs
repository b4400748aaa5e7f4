//! 全年 against the months (exact at the metric's decimals), a 全年 whose SUM
//! skipped text months, figures in cells merged over several months, and
//! messages that name the metric and the month in words.

use annual_report::diag::Severity;
use annual_report::validate::Status;

use crate::harness::{assert_at, rewrite_zip, saved_by_libreoffice, soffice, Form, Reading, Workdir, V};

const F: &str = "2015/u001.xlsx";

fn one_form(form: Form) -> Reading {
    let w = Workdir::new();
    w.form(F, &form);
    w.read(2015)
}

#[test]
fn annual_equals_the_months_at_the_metrics_decimals_with_no_tolerance() {
    // One cent on 23450 is a difference; 56.83 against 56.82 too.
    let r = one_form(
        Form::new("u001")
            .row(
                "fitness.funds",
                &[("1月", V::N(23000.0)), ("2月", V::N(450.0)), ("全年", V::N(23450.01))],
            )
            .row(
                "fitness.items",
                &[("1月", V::N(3.0)), ("2月", V::N(4.0)), ("全年", V::N(7.0))],
            ),
    );
    let e = r.one("annual-mismatch");
    assert_at(&e, Some("u001"), F, "数据", "Q4");
    assert_eq!(
        e.message,
        "投入资金（万元）全年（数据!Q4）：全年 23450.01 与各月之和 23450.00 不一致（相差 0.01）。请核对各月数字和全年数（全年可留空，由程序计算）。"
    );

    let r = one_form(Form::new("u001").row("fitness.funds", &[("3月", V::N(56.82)), ("全年", V::N(56.83))]));
    assert_at(&r.one("annual-mismatch"), Some("u001"), F, "数据", "Q4");

    // Equal as decimals, whatever binary fractions a formula cached.
    let r = one_form(Form::new("u001").row(
        "fitness.funds",
        &[
            ("1月", V::N(0.1)),
            ("2月", V::N(0.2)),
            ("全年", V::F("=SUM(E4:P4)", "0.30000000000000004")),
        ],
    ));
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
}

#[test]
fn an_annual_sum_that_skipped_text_months_is_a_warning_naming_both_figures() {
    // Excel's SUM skips 1,740 typed as text: 全年 caches 1366.31 while the
    // months add up to 3106.31. The months count; the office confirms.
    let r = one_form(Form::new("u001").row(
        "fitness.funds",
        &[
            ("1月", V::N(1366.31)),
            ("3月", V::T("1,740")),
            ("全年", V::F("=SUM(E4:P4)", "1366.31")),
        ],
    ));
    let w = r.one("annual-skips-text");
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(
        w.message,
        "投入资金（万元）全年（数据!Q4）：全年 1366.31 的公式没有计入以文本形式填写的3月，已按各月之和 3106.31 计入，比全年多 1740.00。请与单位核实各月数字；月份请填成数值。"
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(
        r.figures("u001"),
        vec![
            ("fitness.funds".into(), Some(1), 1366.31),
            ("fitness.funds".into(), Some(3), 1740.0)
        ]
    );
}

#[test]
fn messages_name_the_metric_and_the_month_in_words() {
    let r = one_form(
        Form::new("u001")
            .set("截至月份", Some(V::N(6.0)))
            .row("fitness.funds", &[("3月", V::T("约300")), ("7月", V::N(1.0))])
            .row("fitness.items", &[("2月", V::N(-1.0))]),
    );
    let messages: Vec<String> = r.errors().iter().map(|d| d.message.clone()).collect();
    assert!(
        messages[0].starts_with("投入资金（万元）3月（数据!G4）：“约300”不是数字。"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("投入资金（万元）7月（数据!K4）：截至月份是 6 月"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].starts_with("健身器材（件）2月（数据!F5）：数值 -1 是负数"),
        "{}",
        messages[2]
    );
}

/// A form with E4:G4 merged (1月–3月) holding 9, and 全年 9.
fn merged_across_months() -> Vec<u8> {
    let form = Form::new("u001").row("fitness.items", &[("1月", V::N(9.0)), ("全年", V::N(9.0))]);
    rewrite_zip(&form.to_xlsx(), |name, xml| {
        if name == "xl/worksheets/sheet2.xml" {
            xml.replace(
                "</sheetData>",
                "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"E4:G4\"/></mergeCells>",
            )
        } else {
            xml
        }
    })
}

fn assert_merged_value_counts_once(r: &Reading, file: &str) {
    let w = r.one("merged-value");
    assert_eq!(w.severity, Severity::Warning, "{file}");
    assert_at(&w, Some("u001"), file, "数据", "E4");
    assert!(
        w.message.contains("E4:G4") && w.message.contains("合并了1月和2月、3月") && w.message.contains("只计入1月一次"),
        "{file}: {}",
        w.message
    );
    assert!(r.errors().is_empty(), "{file}: {:#?}", r.errors());
    assert_eq!(
        r.figures("u001"),
        vec![("fitness.items".into(), Some(1), 9.0)],
        "{file}"
    );
}

#[test]
fn a_figure_merged_across_months_counts_once_with_a_warning() {
    let w = Workdir::new();
    w.write("input/2015/u001.xlsx", &merged_across_months());
    assert_merged_value_counts_once(&w.read(2015), F);
}

#[test]
fn a_figure_merged_across_months_in_xls_and_ods_saved_by_libreoffice() {
    // calamine has no merge API for .ods: the reader reads
    // table:number-columns-spanned itself.
    let Some(soffice) = soffice() else { return };
    for format in ["ods", "xls"] {
        let bytes = saved_by_libreoffice(&soffice, &merged_across_months(), "u001.xlsx", format);
        let w = Workdir::new();
        let file = format!("2015/u001.{format}");
        w.write(&format!("input/{file}"), &bytes);
        assert_merged_value_counts_once(&w.read(2015), &file);
    }
}

#[test]
fn the_forms_own_annual_with_a_stale_result_is_computed_from_the_months() {
    // xlsxwriter stores 0 as every formula's result; Excel in manual
    // calculation keeps a result older than the months. The form's own 全年
    // cannot disagree with the months it adds up: the months count.
    let r = one_form(
        Form::new("u001")
            .row(
                "fitness.items",
                &[
                    ("1月", V::N(3.0)),
                    ("2月", V::N(4.0)),
                    ("全年", V::F("=IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))", "0")),
                ],
            )
            .row(
                "members.count",
                &[
                    ("1月", V::N(300.0)),
                    ("6月", V::N(305.0)),
                    ("全年", V::F("=LOOKUP(2,1/(E5:P5<>\"\"),E5:P5)", "300")),
                ],
            ),
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let notes: Vec<String> = r
        .diags()
        .iter()
        .map(|d| {
            assert_eq!((d.code.as_str(), d.severity), ("annual-computed", Severity::Note));
            d.message.clone()
        })
        .collect();
    assert_eq!(
        notes,
        [
            "健身器材（件）全年（数据!Q4）：全年是表格自带的公式 =IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))，文件中保存的结果 0 与各月不符（保存前没有重新计算），已按各月计算为 7。",
            "在册会员（人）全年（数据!Q5）：全年是表格自带的公式 =LOOKUP(2,1/(E5:P5<>\"\"),E5:P5)，文件中保存的结果 300 与各月不符（保存前没有重新计算），已按各月计算为 305。",
        ]
    );
    // A formula of the unit's own making keeps its result: a mismatch is an error.
    let r = one_form(Form::new("u001").row(
        "fitness.items",
        &[("1月", V::N(3.0)), ("2月", V::N(4.0)), ("全年", V::F("=E4+F4+1", "8"))],
    ));
    assert_at(&r.one("annual-mismatch"), Some("u001"), F, "数据", "Q4");
}
