//! The diagnostic wording is part of the interface: one example of every
//! code, from workbooks that make it, rendered into one snapshot (so any
//! change of wording is seen in review); and the table of codes for the
//! README. A new code without an example here fails.

use std::collections::BTreeMap;

use annual_report::diag::{Code, Diagnostic};
use annual_report::ingest::grid::Cell;
use annual_report::validate::number::{read_number, Reading};

use crate::harness::{rewrite_zip, without_formula_results, Form, Workdir, V};

/// Read 2015 of a folder set up by `setup`; the temporary folder's path is
/// `<work>` in messages.
fn diags(setup: impl FnOnce(&Workdir)) -> Vec<Diagnostic> {
    let w = Workdir::new();
    setup(&w);
    let work = w.path().display().to_string();
    let mut diags = w.read(2015).diags();
    for d in &mut diags {
        d.message = d.message.replace(&work, "<work>");
    }
    diags
}

fn with_merge(bytes: &[u8], range: &str) -> Vec<u8> {
    rewrite_zip(bytes, |name, xml| {
        if name == "xl/worksheets/sheet2.xml" {
            xml.replace(
                "</sheetData>",
                &format!("</sheetData><mergeCells count=\"1\"><mergeCell ref=\"{range}\"/></mergeCells>"),
            )
        } else {
            xml
        }
    })
}

/// Workbooks that, between them, make every code a workbook can make.
fn from_workbooks() -> Vec<Diagnostic> {
    let mut all = Vec::new();
    // Files that are skipped, or cannot be read.
    all.extend(diags(|w| {
        w.write("input/2015/~$u001.xlsx", b"lock");
        w.write("input/2015/说明.txt", b"x");
        #[cfg(unix)]
        std::os::unix::fs::symlink(w.path().join("nowhere"), w.input().join("2015/gone")).unwrap();
        w.write("input/2015/empty.xlsx", b"");
        w.oddity("encrypted.xlsx", "2015/encrypted.xlsx");
        w.oddity("truncated.xlsx", "2015/truncated.xlsx");
        w.oddity("html-disguised.xls", "2015/web.xls");
        w.oddity("wrong-extension.xls", "2015/u003.xls");
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().set_name("Sheet1").unwrap();
        w.write("input/2015/sheet1.xlsx", &book.save_to_buffer().unwrap());
    }));
    // 基本信息 in every way but one, 数据 with every spelling and row kind.
    all.extend(diags(|w| {
        let mut form = Form::new("u001")
            .set("单位代码", Some(V::T("ｕ００１")))
            .set("单位名称", Some(V::T("别的单位工会")))
            .without("年度")
            .set("截至月份", Some(V::T("十二月")))
            .set("填报日期", Some(V::N(42379.0)))
            .row(
                "fitness.items",
                &[
                    ("1月份", V::T("1,740")),
                    ("2月", V::T("—")),
                    ("3月", V::T("约300")),
                    ("4月", V::T("54元")),
                    ("5月", V::Date(2015, 5, 1)),
                    ("6月", V::Time(9, 30)),
                    ("7月", V::B(true)),
                    ("上年同期", V::N(1.0)),
                ],
            )
            .row("fitness.itmes", &[("1月份", V::N(1.0))])
            .row("fitness.items", &[("1月份", V::N(1.0))])
            .row("", &[("项目", V::T("合计")), ("1月份", V::N(1.0))])
            .row("", &[("指标", V::T("健身器材")), ("2月", V::N(1.0))])
            .row("", &[("项目", V::T("一、五送五有"))])
            .row("fitness.funds", &[("计量单位", V::T("元")), ("1月份", V::N(1.0))]);
        form.columns[4] = "1月份".into();
        form.columns.push("上年同期".into());
        let renamed = rewrite_zip(&form.to_xlsx(), |name, xml| {
            if name == "xl/workbook.xml" {
                xml.replace("name=\"数据\"", "name=\" 数据 \"")
            } else {
                xml
            }
        });
        w.write("input/2015/u001.xlsx", &renamed);
    }));
    // Values a unit must correct.
    all.extend(diags(|w| {
        let form = Form::new("u002")
            .set("截至月份", Some(V::N(6.0)))
            .set("填报日期", None)
            .row(
                "fitness.items",
                &[
                    ("1月", V::N(-1.0)),
                    ("2月", V::N(2.5)),
                    ("7月", V::N(1.0)),
                    ("3月", V::F("=1/0", "#DIV/0!")),
                ],
            )
            .row(
                "fitness.units",
                &[("1月", V::N(3.0)), ("2月", V::N(4.0)), ("全年", V::N(8.0))],
            )
            .row("fitness.funds", &[("1月", V::N(9.0))]);
        w.write("input/2015/u002.xlsx", &with_merge(&form.to_xlsx(), "E6:F6"));
        w.form(
            "2015/u003.xlsx",
            &Form::new("u003")
                .set("年度", Some(V::N(2014.0)))
                .set("截至月份", Some(V::T("十三月")))
                .set("填报日期", Some(V::T("明天"))),
        );
        w.form("2015/u004.xlsx", &Form::new("u004").set("年度", Some(V::T("明年"))));
        w.form("2015/u999.xlsx", &Form::new("u999"));
    }));
    // Headers that cannot be read.
    all.extend(diags(|w| {
        let mut no_header = Form::new("u001");
        no_header.title_rows = 10;
        w.form("2015/u001.xlsx", &no_header);
        let mut twice = Form::new("u002");
        twice.columns[5] = "1月".into();
        w.form("2015/u002.xlsx", &twice);
        let mut no_numbers = Form::new("u003");
        no_numbers.columns = vec!["项目".into(), "指标代码".into()];
        w.form("2015/u003.xlsx", &no_numbers);
    }));
    // 全年: a SUM that skipped text, a script's formulas, formulas unreadable.
    all.extend(diags(|w| {
        w.form(
            "2015/u001.xlsx",
            &Form::new("u001").row(
                "fitness.funds",
                &[
                    ("1月", V::N(1.5)),
                    ("2月", V::T("2")),
                    ("全年", V::F("=SUM(E4:P4)", "1.5")),
                ],
            ),
        );
        let script = Form::new("u002").row(
            "fitness.items",
            &[
                ("1月", V::N(10.0)),
                ("2月", V::F("=E4*2", "20")),
                ("全年", V::F("=IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))", "30")),
            ],
        );
        w.write("input/2015/u002.xlsx", &without_formula_results(&script.to_xlsx()));
        // An entity no XML knows, inside a formula: values read, formulas not.
        let broken = rewrite_zip(
            &Form::new("u003")
                .row(
                    "fitness.items",
                    &[("1月", V::N(1.0)), ("全年", V::F("=SUM(E4:P4)", "1"))],
                )
                .to_xlsx(),
            |name, xml| {
                if name == "xl/worksheets/sheet2.xml" {
                    xml.replace("<f>SUM(E4:P4)</f>", "<f>SUM(E4:P4)&bogus;</f>")
                } else {
                    xml
                }
            },
        );
        w.write("input/2015/u003.xlsx", &broken);
    }));
    // Links and pipes in a year folder.
    #[cfg(unix)]
    all.extend(diags(|w| {
        std::os::unix::fs::symlink("..", w.input().join("2015/loop")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", w.input().join("2015/outside.xlsx")).unwrap();
        let fifo = w.input().join("2015/pipe.xlsx");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
    }));
    // Past the reader's limits, and a stray cell far away.
    all.extend(diags(|w| {
        use crate::hostile::build::{far_cell_xlsx, lying_string_count_xlsx};
        w.write("input/2015/limits.xlsx", &lying_string_count_xlsx("u001"));
        w.write("input/2015/stray.xlsx", &far_cell_xlsx("u002", "数据", "XFD1048576"));
    }));
    all.extend(plausibility());
    // Which submission counts.
    all.extend(diags(|w| {
        let filed = |day: u8, n: f64| {
            Form::new("u001")
                .set("填报日期", Some(V::Date(2016, 1, day)))
                .row("fitness.items", &[("1月", V::N(n))])
        };
        w.form("2015/a.xlsx", &filed(10, 5.0));
        w.form("2015/b.xlsx", &filed(10, 6.0));
        w.form("2015/old.xlsx", &filed(5, 5.0));
        let copy = Form::new("u002").row("fitness.items", &[("1月", V::N(1.0))]);
        w.form("2015/u002.xlsx", &copy);
        w.form("2015/u002-copy.xlsx", &copy);
    }));
    all
}

/// The checks against a unit's own history, which need last year too.
fn plausibility() -> Vec<Diagnostic> {
    let w = Workdir::new();
    let last_year = |code: &str| {
        Form::new(code)
            .set("年度", Some(V::N(2014.0)))
            .set("填报日期", Some(V::Date(2015, 1, 10)))
    };
    w.form(
        "2014/u001.xlsx",
        &last_year("u001").row("fitness.funds", &[("3月", V::N(3.2)), ("6月", V::N(4.1))]),
    );
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001").row(
            "fitness.funds",
            &[("3月", V::N(3.5)), ("5月", V::N(4.2)), ("9月", V::N(35000.0))],
        ),
    );
    w.form(
        "2014/u002.xlsx",
        &last_year("u002").row("fitness.items", &[("5月", V::N(30.0))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .row("fitness.items", &[("5月", V::N(320.0)), ("6月", V::N(20.0))])
            .row(
                "fitness.units",
                &[
                    ("1月", V::N(10.0)),
                    ("2月", V::N(12.0)),
                    ("3月", V::N(9.0)),
                    ("4月", V::N(11.0)),
                    ("7月", V::N(150.0)),
                ],
            )
            .row(
                "members.count",
                &[
                    ("1月", V::N(300.0)),
                    ("2月", V::N(300.0)),
                    ("3月", V::N(3000.0)),
                    ("4月", V::N(305.0)),
                ],
            ),
    );
    let before = w.read(2014);
    let mut now = w.read(2015);
    annual_report::plausibility::check(
        &mut now.reading,
        Some(&before.reading),
        &now.inputs.catalogue,
        annual_report::aggregate::Span::Year,
    );
    now.diags()
        .into_iter()
        .filter(|d| d.code.as_str().starts_with("check-"))
        .collect()
}

/// Codes no workbook here can make, each with a message made as the reader
/// makes it.
fn without_workbooks() -> Vec<(Code, String)> {
    let problem = |cell: Cell| match read_number(&cell, "件") {
        Reading::Problem { code, message } => (code, message),
        other => panic!("{other:?}"),
    };
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    let unreadable = annual_report::ingest::discover::unreadable_path("2015/保密".into(), Some(&denied));
    vec![
        problem(Cell::Number(f64::INFINITY)),
        problem(Cell::Number(1e308)),
        (unreadable.code, unreadable.message),
        (
            Code::UnreadableFile,
            annual_report::validate::unreadable_file("2015/u001.xlsx", &denied).message,
        ),
    ]
}

#[test]
fn one_example_of_every_message() {
    let mut examples: BTreeMap<Code, String> = BTreeMap::new();
    for d in from_workbooks() {
        examples
            .entry(d.code)
            .or_insert_with(|| format!("{} · {}\n{}\n", d.severity.as_str(), d.location(), d.message));
    }
    for (code, message) in without_workbooks() {
        examples
            .entry(code)
            .or_insert_with(|| format!("{} · （无工作簿）\n{message}\n", code.severity().as_str()));
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !examples.contains_key(c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "codes without an example: {missing:?}");
    let rendered: String = Code::ALL
        .iter()
        .map(|c| format!("## {}\n{}\n", c.as_str(), examples[c]))
        .collect();
    insta::assert_snapshot!(rendered);
}

#[test]
fn the_table_of_codes() {
    let mut table = String::from("| code | severity | meaning | what to do |\n|---|---|---|---|\n");
    for c in Code::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            c.as_str(),
            c.severity().as_str(),
            c.meaning(),
            c.action()
        ));
    }
    insta::assert_snapshot!(table);
}
