//! What the office opens and reads: tables/summary.xlsx as Excel, WPS and
//! LibreOffice users see and print it, and validation.md as the person who
//! phones the units reads it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader};

use crate::harness::{Form, Workdir, V};

const SHEETS: [&str; 5] = ["指标汇总", "单位×指标", "月度", "报送情况", "问题清单"];

/// 2014 and 2015 of four units: u001 counted (its name a formula-like
/// text), u002 待更正 with no contact written this year, u003 未报 with last
/// year's contact, u004 counted with a warning and a note; and a file of an
/// unregistered unit.
fn office() -> Workdir {
    let w = Workdir::new();
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,=HYPERLINK(\"x\")\nu002,乙单位工会\nu003,丙单位工会\nu004,丁单位工会\n".as_bytes(),
    );
    let last_year = |code: &str, filer: &'static str| {
        Form::new(code)
            .set("年度", Some(V::N(2014.0)))
            .set("填报日期", Some(V::Date(2015, 1, 8)))
            .set("填报人", Some(V::T(filer)))
            .set("联系电话", Some(V::T("13800000000")))
            .row("fitness.items", &[("6月", V::N(50.0))])
    };
    for (code, filer) in [("u001", "甲"), ("u002", "李四"), ("u003", "王五")] {
        w.form(&format!("2014/{code}.xlsx"), &last_year(code, filer));
    }
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .set("单位名称", Some(V::T("=HYPERLINK(\"x\")")))
            .row("fitness.items", &[("3月", V::N(80.0)), ("9月", V::N(79.0))])
            .row("fitness.funds", &[("3月", V::N(20.5)), ("9月", V::N(12.31))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .set("填报人", None)
            .set("联系电话", None)
            .row("fitness.items", &[("1月", V::T("约5"))]),
    );
    w.form(
        "2015/u004.xlsx",
        &Form::new("u004")
            .set("单位名称", Some(V::T("丁单位")))
            .set("填报日期", Some(V::Date(2016, 1, 12)))
            .row("fitness.items", &[("2月", V::T("１２"))])
            .row("fitness.funds", &[("2月", V::N(1.25))]),
    );
    w.form("2015/x.xlsx", &Form::new("u999"));
    w
}

fn run_2015(w: &Workdir) {
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

type Book = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

fn book(w: &Workdir) -> Book {
    calamine::open_workbook(w.output().join("2015/tables/summary.xlsx")).unwrap()
}

/// A sheet's cells as calamine reads them, by absolute (row, column).
fn sheet(book: &mut Book, name: &str) -> calamine::Range<Data> {
    book.worksheet_range(name).unwrap()
}

fn column_of(range: &calamine::Range<Data>, header_row: u32, header: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| range.get_value((header_row, c)) == Some(&Data::String(header.into())))
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn row_of(range: &calamine::Range<Data>, col: u32, text: &str) -> u32 {
    (0..range.height() as u32)
        .find(|&r| range.get_value((r, col)) == Some(&Data::String(text.into())))
        .unwrap_or_else(|| panic!("no row {text}"))
}

/// metrics.csv: metric id → total.
fn metric_totals(w: &Workdir) -> BTreeMap<String, f64> {
    w.read_output("2015/tables/metrics.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_owned(), cells[4].parse().unwrap())
        })
        .collect()
}

#[test]
fn the_summary_workbook_has_the_office_sheets_and_text_stays_text() {
    let w = office();
    run_2015(&w);
    let mut book = book(&w);
    assert_eq!(book.sheet_names(), SHEETS);
    for name in SHEETS {
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(formulas.used_cells().next().is_none(), "{name}: no formulas at all");
    }
    let grid = sheet(&mut book, "单位×指标");
    let names = column_of(&grid, 1, "单位名称");
    assert_eq!(names, 0, "Chinese names first");
    row_of(&grid, names, "=HYPERLINK(\"x\")");
    let summary = sheet(&mut book, "指标汇总");
    assert_eq!(summary.get_value((0, 0)), Some(&Data::String("项目".into())));
    let last = summary.width() as u32 - 1;
    assert_eq!(
        summary.get_value((0, last)),
        Some(&Data::String("指标代码".into())),
        "codes last"
    );
}

/// The grid: one row per registered unit, one column per metric (found by
/// the metric codes in its hidden first row), and a 合计 row equal to
/// metrics.csv's totals.
#[test]
fn the_grid_totals_are_the_metric_totals() {
    let w = office();
    run_2015(&w);
    let mut book = book(&w);
    let grid = sheet(&mut book, "单位×指标");
    let totals_row = row_of(&grid, 0, "合计");
    assert_eq!(totals_row, 3 + 4, "three header rows, four registered units");
    let expected = metric_totals(&w);
    let mut seen = 0;
    for c in 0..grid.width() as u32 {
        let Some(Data::String(id)) = grid.get_value((0, c)) else {
            continue;
        };
        let Some(&want) = expected.get(id) else { continue };
        let got = match grid.get_value((totals_row, c)) {
            Some(Data::Float(v)) => *v,
            other => panic!("{id}: total {other:?}"),
        };
        assert_eq!(got, want, "{id}");
        seen += 1;
    }
    assert_eq!(seen, expected.len(), "every metric has its column");
    // u001 counted 159 items; u002 (待更正) and u003 (未报) have no figures.
    let items = column_of(&grid, 0, "fitness.items");
    let u001 = row_of(&grid, 0, "=HYPERLINK(\"x\")");
    assert_eq!(grid.get_value((u001, items)), Some(&Data::Float(159.0)));
    let u002 = row_of(&grid, 0, "乙单位工会");
    assert_eq!(grid.get_value((u002, 1)), Some(&Data::String("待更正".into())));
    assert!(matches!(grid.get_value((u002, items)), None | Some(Data::Empty)));
}

#[test]
fn dates_are_dates_and_no_previous_year_is_a_dash() {
    let w = office();
    run_2015(&w);
    let mut book = book(&w);
    let sent = sheet(&mut book, "报送情况");
    let date = column_of(&sent, 0, "填报日期");
    let u004 = row_of(&sent, 0, "丁单位工会");
    let cell = sent.get_value((u004, date)).unwrap();
    assert!(matches!(cell, Data::DateTime(_)), "{cell:?}");
    assert_eq!(cell.as_date(), chrono::NaiveDate::from_ymd_opt(2016, 1, 12));
    let filer = column_of(&sent, 0, "填报人");
    let phone = column_of(&sent, 0, "联系电话");
    let u003 = row_of(&sent, 0, "丙单位工会");
    assert_eq!(
        sent.get_value((u003, filer)),
        Some(&Data::String("王五".into())),
        "last year's contact"
    );
    assert_eq!(sent.get_value((u003, phone)), Some(&Data::String("13800000000".into())));

    let summary = sheet(&mut book, "指标汇总");
    let previous = column_of(&summary, 0, "上年合计");
    let yoy = column_of(&summary, 0, "同比（%）");
    let code = column_of(&summary, 0, "指标代码");
    let row = |id: &str| row_of(&summary, code, id);
    // 2014 had fitness.items only: fitness.funds did not exist then.
    assert_eq!(
        summary.get_value((row("fitness.items"), previous)),
        Some(&Data::Float(150.0))
    );
    for id in ["fitness.funds", "members.count"] {
        assert_eq!(
            summary.get_value((row(id), previous)),
            Some(&Data::String("—".into())),
            "{id}"
        );
        assert_eq!(
            summary.get_value((row(id), yoy)),
            Some(&Data::String("—".into())),
            "{id}"
        );
    }
}

#[test]
fn the_problem_list_has_every_error_and_warning_and_no_notes() {
    let w = office();
    run_2015(&w);
    let mut book = book(&w);
    let list = sheet(&mut book, "问题清单");
    let header: Vec<String> = (0..list.width() as u32)
        .map(|c| list.get_value((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        header,
        [
            "单位名称",
            "状态",
            "级别",
            "文件",
            "工作表",
            "单元格",
            "问题",
            "单位代码"
        ]
    );
    let rows: Vec<Vec<String>> = (1..list.height() as u32)
        .map(|r| {
            (0..list.width() as u32)
                .map(|c| list.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default())
                .collect()
        })
        .collect();
    let csv = w.read_output("2015/validation.csv");
    let wanted = csv
        .lines()
        .filter(|l| l.starts_with("error,") || l.starts_with("warning,"))
        .count();
    assert_eq!(rows.len(), wanted, "{rows:#?}");
    assert!(rows.iter().all(|r| r[2] != "提示"));
    let u002 = rows.iter().find(|r| r[7] == "u002").expect("u002's error");
    assert_eq!(
        u002[..6],
        ["乙单位工会", "待更正", "错误", "2015/u002.xlsx", "数据", "E4"]
    );
    assert!(u002[6].contains("约5"), "{u002:?}");
    assert!(rows.iter().any(|r| r[7] == "u004" && r[2] == "警告"));
    assert!(rows.iter().any(|r| r[0] == "（不在名册中）" && r[7] == "u999"));
}

/// Every sheet prints on A4 landscape with its header rows on every page,
/// the sheet name and page number in the footer, and an autofilter; the
/// grid keeps each programme whole on a page beside the unit names, every
/// other sheet is one page wide.
#[test]
fn every_sheet_is_set_up_to_print() {
    let w = office();
    run_2015(&w);
    let bytes = std::fs::read(w.output().join("2015/tables/summary.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = part("xl/workbook.xml");
    for (i, name) in SHEETS.iter().enumerate() {
        let xml = part(&format!("xl/worksheets/sheet{}.xml", i + 1));
        let page = xml.split("<pageSetup ").nth(1).map(|s| &s[..s.find("/>").unwrap()]);
        let page = page.unwrap_or_else(|| panic!("{name}: no pageSetup"));
        assert!(page.contains(r#"paperSize="9""#), "{name}: A4: {page}");
        assert!(page.contains(r#"orientation="landscape""#), "{name}: {page}");
        if *name == "单位×指标" {
            // A print scale, not fit-to-width: two programmes fit one page
            // here (the sample's page breaks are checked in LibreOffice).
            assert!(page.contains("scale="), "{name}: {page}");
            assert!(!xml.contains("<colBreaks"), "{name}");
            assert!(
                workbook.contains(&format!("'{name}'!$A:$A,'{name}'!$1:$3")),
                "{workbook}"
            );
        } else {
            // One page wide: fitToWidth is left at its default, 1 (the
            // writer omits default attributes), the height is free.
            assert!(!page.contains("fitToWidth"), "{name}: {page}");
            assert!(page.contains(r#"fitToHeight="0""#), "{name}: {page}");
            assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{name}");
            assert!(
                workbook.contains(&format!(">{name}!$1:$1<")),
                "{name}: print titles: {workbook}"
            );
        }
        assert!(xml.contains("<autoFilter "), "{name}: autofilter");
        assert!(xml.contains("<printOptions "), "{name}: centred on the page");
        assert!(xml.contains("<pane "), "{name}: frozen header");
        let footer = xml.split("<oddFooter>").nth(1).expect("footer");
        for code in ["&amp;A", "&amp;P", "&amp;N"] {
            assert!(
                footer.starts_with("&amp;L") && footer.contains(code),
                "{name}: {footer}"
            );
        }
    }
    let titles = workbook.matches(r#"<definedName name="_xlnm.Print_Titles""#).count();
    assert_eq!(titles, SHEETS.len(), "{workbook}");
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// A tool the test needs: missing is a failure in CI, a skip elsewhere.
fn tool(program: &str) -> Option<std::path::PathBuf> {
    let found = which(program);
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true: {program} is required (see .ci/run)"
        );
        eprintln!("{program} not installed: the printed summary.xlsx was not checked");
    }
    found
}

/// A work folder holding a copy of the repository's sample `input/`.
fn sample() -> Workdir {
    let w = Workdir::new();
    std::fs::remove_dir_all(w.input()).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let to = w.input().join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    w
}

/// The sample's summary.xlsx printed by LibreOffice: 指标汇总 keeps labels
/// and numbers on one page; every page of the grid shows the unit names and
/// whole programmes.
#[test]
fn the_sample_summary_prints_readably_in_libreoffice() {
    let (Some(soffice), Some(pdftotext)) = (tool("soffice"), tool("pdftotext")) else {
        return;
    };
    let w = sample();
    run_2015(&w);
    let pdf_dir = w.path().join("pdf");
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .arg(w.output().join("2015/tables/summary.xlsx"))
        .env("HOME", w.path())
        .output()
        .unwrap();
    let pdf = pdf_dir.join("summary.pdf");
    assert!(
        pdf.is_file(),
        "LibreOffice converts it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::process::Command::new(pdftotext)
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    let of_sheet = |name: &str| -> Vec<&str> {
        pages
            .iter()
            .copied()
            .filter(|p| {
                p.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim_start().starts_with(name))
            })
            .collect()
    };
    let summary = of_sheet("指标汇总");
    assert_eq!(summary.len(), 1, "指标汇总 on one page");
    for words in ["组建科技联盟或技术合作组织", "50,510.00", "help.alliances", "第1页"] {
        assert!(summary[0].contains(words), "{words} on 指标汇总's page: {}", summary[0]);
    }
    let grid = of_sheet("单位×指标");
    assert!(grid.len() > 1, "the grid is printed over several pages");
    for page in &grid {
        assert!(page.contains("单位名称"), "unit names on every page: {page}");
    }
    // Pages run down the units, then across the programmes; the 合计 row
    // ends each column of pages. A programme kept whole prints its band on
    // one column of pages: once per page down.
    let across = grid.iter().filter(|p| p.contains("合计")).count();
    assert!(across > 1 && grid.len() % across == 0, "{across} of {}", grid.len());
    let down = grid.len() / across;
    for programme in ["帮企业稳增长促振兴", "服务振兴献良策", "送健身器材", "文体活动"] {
        let on = grid.iter().filter(|p| p.contains(programme)).count();
        assert_eq!(on, down, "{programme} printed whole on one column of pages");
    }
    for name in SHEETS {
        assert!(!of_sheet(name).is_empty(), "{name} is printed");
    }
}

/// validation.md as the person who phones reads it.
#[test]
fn validation_md_puts_the_units_to_call_first_with_their_contacts() {
    let w = office();
    run_2015(&w);
    let md = w.read_output("2015/validation.md");
    assert!(md.starts_with("# 2015年度报表检查结果\n"), "{md}");
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing: {md}"));
    let to_correct = at("## 一、请先联系：待更正的单位（1个）");
    let unregistered = at("## 二、无法对应到名册单位的文件（1个）");
    let warnings = at("## 三、请核实：警告（1条）");
    let chase = at("## 四、请催报：逾期和未报的单位（1个）");
    let notes = at("## 五、提示（");
    assert!(to_correct < unregistered && unregistered < warnings && warnings < chase && chase < notes);

    // 待更正: contact (last year's: none written this year), file, every error.
    let block = &md[to_correct..unregistered];
    assert!(block.contains("### 1. 乙单位工会（u002）"), "{block}");
    assert!(
        block.contains("- 联系人：李四，13800000000（取自2014年报表）"),
        "{block}"
    );
    assert!(block.contains("- 报表：2015/u002.xlsx"), "{block}");
    assert!(
        block.contains("| **错误** | 数据!E4 | 健身器材（件）1月（数据!E4）：“约5”不是数字。"),
        "{block}"
    );
    assert!(!block.contains("提示"), "notes are not mixed with errors: {block}");
    // This year's contact where the submission has one.
    assert!(md[warnings..chase].contains("- 联系人：张三，024-86000000"), "{md}");
    assert!(
        md[chase..notes].contains("| 丙单位工会（u003） | 未报 | 王五，13800000000（取自2014年报表） |"),
        "{md}"
    );
    // Notes: one short list per unit.
    let listed = &md[notes..];
    assert!(
        listed.contains(
            "- **丁单位工会（u004，已报）**，报表：2015/u004.xlsx\n  - 健身器材（件）2月（数据!F4）：文本“１２”"
        ),
        "{listed}"
    );

    // No stray space between a digit and a Chinese character in the
    // report's own words (messages quote cells and files as they are).
    for line in md.lines().filter(|l| !l.starts_with('|') && !l.starts_with("  - ")) {
        let chars: Vec<char> = line.chars().collect();
        for win in chars.windows(3) {
            let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            let stray =
                win[1] == ' ' && ((win[0].is_ascii_digit() && cjk(win[2])) || (cjk(win[0]) && win[2].is_ascii_digit()));
            assert!(!stray, "stray space in {line:?}");
        }
    }
}

#[test]
fn a_snapshot_is_checked_under_the_months_it_covers() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.input().join("2016")).unwrap();
    w.form(
        "2016/u001.xlsx",
        &Form::new("u001")
            .set("年度", Some(V::N(2016.0)))
            .set("截至月份", Some(V::N(6.0)))
            .set("填报日期", Some(V::Date(2016, 7, 5)))
            .row("fitness.items", &[("2月", V::N(3.0))]),
    );
    let run = w.run(&["snapshot", "2016-06"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let md = w.read_output("2016-06/validation.md");
    assert!(md.starts_with("# 2016年1—6月报表检查结果\n"), "{md}");
}
