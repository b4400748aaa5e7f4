//! The year-end report: files, figures, golden text, determinism, atomic
//! writes, templates and escaping.

use crate::harness::{files_under, Form, Workdir, V};

/// Two years: 2014 for the comparison, 2015 with a late, a missing, a
/// faulty and an unregistered submission.
fn two_years() -> Workdir {
    let w = Workdir::new();
    let y2014 = |code: &str, items: f64, funds: f64| {
        Form::new(code)
            .set("年度", Some(V::N(2014.0)))
            .set("填报日期", Some(V::Date(2015, 1, 8)))
            .row("fitness.items", &[("6月", V::N(items))])
            .row("fitness.funds", &[("6月", V::N(funds))])
    };
    w.form("2014/u001.xlsx", &y2014("u001", 50.0, 30.0));
    w.form("2014/u002.xlsx", &y2014("u002", 70.0, 11.22));
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .row("fitness.units", &[("3月", V::N(20.0)), ("9月", V::N(16.0))])
            .row("fitness.items", &[("3月", V::N(80.0)), ("9月", V::N(79.0))])
            .row("fitness.funds", &[("3月", V::N(20.5)), ("9月", V::N(12.31))])
            .row("members.count", &[("1月", V::N(300.0)), ("12月", V::N(320.0))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .set("截至月份", Some(V::N(9.0)))
            .row("fitness.units", &[("4月", V::N(30.0))])
            .row("fitness.funds", &[("全年", V::N(21.19))])
            .row("members.count", &[("2月", V::N(180.0))]),
    );
    w.form(
        "2015/u003.xlsx",
        &Form::new("u003").row("fitness.items", &[("1月", V::T("约5"))]),
    );
    w.form("2015/x.xlsx", &Form::new("u999"));
    w
}

#[test]
fn writes_every_output_of_the_spec() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let files: Vec<String> = files_under(&w.output().join("2015")).into_keys().collect();
    for expected in [
        "report.md",
        "report.html",
        "report.docx",
        "tables/summary.xlsx",
        "tables/metrics.csv",
        "tables/units.csv",
        "tables/months.csv",
        "tables/submissions.csv",
        "validation.md",
        "validation.csv",
        "manifest.json",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "{expected} missing from {files:?}"
        );
    }
    assert!(files.iter().any(|f| f.starts_with("charts/") && f.ends_with(".svg")));
    assert!(files.iter().any(|f| f.starts_with("charts/") && f.ends_with(".png")));
}

#[test]
fn metrics_are_summed_compared_and_targeted() {
    let w = two_years();
    w.run(&["report", "2015"]);
    insta::assert_snapshot!("metrics_csv", w.read_output("2015/tables/metrics.csv"));
    insta::assert_snapshot!("units_csv", w.read_output("2015/tables/units.csv"));
    insta::assert_snapshot!("submissions_csv", w.read_output("2015/tables/submissions.csv"));
    let months = w.read_output("2015/tables/months.csv");
    assert!(
        months.starts_with("metric_id,month,total\nfitness.units,1,0\n"),
        "{months}"
    );
    // A level as it stands at each month's end: u001's 300 from January (320
    // in December), u002's 180 from February; December is the year's total.
    for line in [
        "members.count,1,300\n",
        "members.count,2,480\n",
        "members.count,3,480\n",
        "members.count,12,500\n",
    ] {
        assert!(months.contains(line), "{line} in {months}");
    }
    assert_eq!(months.lines().count(), 1 + 4 * 12);
}

#[test]
fn report_text_golden() {
    let w = two_years();
    let run = w.run(&["2015", "--as-of", "2016-03-18"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("report_md", w.read_output("2015/report.md"));
}

#[test]
fn two_runs_write_identical_bytes() {
    let w = two_years();
    w.run(&["2015"]);
    let first = files_under(&w.output().join("2015"));
    std::fs::remove_dir_all(w.output()).unwrap();
    w.run(&["2015"]);
    let second = files_under(&w.output().join("2015"));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between runs");
    }
}

#[test]
fn manifest_hashes_inputs_and_outputs_without_clock_time() {
    let w = two_years();
    w.run(&["2015"]);
    let manifest: serde_json::Value = serde_json::from_str(&w.read_output("2015/manifest.json")).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    let u001 = inputs.iter().find(|i| i["file"] == "2015/u001.xlsx").unwrap();
    let bytes = std::fs::read(w.input().join("2015/u001.xlsx")).unwrap();
    assert_eq!(u001["sha256"], annual_report::digest::sha256_hex(&bytes));
    assert_eq!(u001["role"], "counted");
    assert!(
        inputs.iter().any(|i| i["file"] == "2014/u002.xlsx"),
        "last year's files are inputs too"
    );
    assert_eq!(manifest["catalogue"]["file"], "report.toml");
    let outputs = manifest["outputs"].as_array().unwrap();
    let md = outputs.iter().find(|o| o["file"] == "report.md").unwrap();
    assert_eq!(
        md["sha256"],
        annual_report::digest::sha256_hex(w.read_output("2015/report.md").as_bytes())
    );
    assert!(manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["sha256"].as_str().unwrap().len() == 64));
    assert_eq!(manifest["program"]["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn a_failed_run_leaves_the_previous_report() {
    let w = two_years();
    assert_eq!(w.run(&["2015"]).code, 0);
    let before = files_under(&w.output().join("2015"));
    w.write("templates/report.md.j2", b"{{ no_such_variable }}\n");
    let run = w.run(&["2015", "--templates", "templates"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("report.md.j2") && run.stderr.contains("第 1 行"),
        "{}",
        run.stderr
    );
    assert_eq!(before, files_under(&w.output().join("2015")));
    let mut leftovers: Vec<_> = std::fs::read_dir(w.output())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from(".2015.lock"), std::ffi::OsString::from("2015")],
        "no temporary folder left behind, only the lock file"
    );
}

#[test]
fn templates_can_be_replaced_and_errors_name_file_and_line() {
    let w = two_years();
    w.write(
        "templates/report.md.j2",
        "{{ year }}年：{{ metrics['fitness.funds'].total|money('万元') }}\n".as_bytes(),
    );
    let run = w.run(&["2015", "--templates", "templates"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(w.read_output("2015/report.md"), "2015年：54万元\n");
    assert!(
        w.read_output("2015/report.html").contains("<html"),
        "templates not overridden stay built in"
    );

    w.write("templates/report.md.j2", "第一行\n{% for x in %}\n".as_bytes());
    let run = w.run(&["2015", "--templates", "templates"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("模板 report.md.j2 第 2 行"), "{}", run.stderr);
}

#[test]
fn html_escapes_names_and_embeds_charts() {
    let w = two_years();
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,甲<script>&工会\nu002,乙工会\nu003,丙 & 丁工会\n".as_bytes(),
    );
    w.run(&["2015"]);
    let html = w.read_output("2015/report.html");
    assert!(
        html.contains("丙 &amp; 丁工会"),
        "to-be-corrected units are named, escaped"
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("data:image/png;base64,"), "charts are inline");
    assert!(html.contains("@page") && html.contains("A4"));
    assert!(!html.contains("src=\"charts/"), "self-contained");
}

#[test]
fn strict_makes_errors_fatal_and_writes_nothing() {
    let w = two_years();
    let run = w.run(&["2015", "--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("约5"), "{}", run.stderr);
    assert!(!w.output().join("2015").exists());
    let left: Vec<String> = std::fs::read_dir(w.output())
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        left.iter().all(|n| !n.contains(".tmp-")),
        "the staging folder is removed: {left:?}"
    );
}

#[test]
fn as_of_must_be_a_date() {
    let w = two_years();
    let run = w.run(&["2015", "--as-of", "next week"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn no_previous_year_means_no_comparison() {
    let w = two_years();
    std::fs::remove_dir_all(w.input().join("2014")).unwrap();
    w.run(&["2015"]);
    let metrics = w.read_output("2015/tables/metrics.csv");
    assert!(
        metrics.contains("fitness.funds,fitness,投入资金,万元,54,2,,,,,,,\n"),
        "{metrics}"
    );
    let md = w.read_output("2015/report.md");
    assert!(!md.contains("同比") && !md.contains("新增"), "{md}");
}

/// 指标汇总 carries the comparable basis next to the totals, the same
/// figures as metrics.csv (the sheets themselves: tests/it/office.rs).
#[test]
fn summary_workbook_states_the_comparable_basis_as_metrics_csv() {
    use calamine::{Data, Reader};
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = calamine::open_workbook_auto(w.output().join("2015/tables/summary.xlsx")).unwrap();
    let metrics = book.worksheet_range("指标汇总").unwrap();
    let header: Vec<String> = (0..metrics.width())
        .map(|c| metrics.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let funds = (1..metrics.height())
        .find(|&r| metrics.get((r, header.len() - 1)) == Some(&Data::String("fitness.funds".into())))
        .expect("the fitness.funds row");
    let at = |name: &str| metrics.get((funds, col(name))).cloned();
    assert_eq!(at("本年合计"), Some(Data::Float(54.0)));
    assert_eq!(at("可比单位数"), Some(Data::Float(2.0)));
    assert_eq!(
        at("可比口径本年"),
        Some(Data::Float(54.0)),
        "comparable, as metrics.csv"
    );
    assert_eq!(at("可比口径上年"), Some(Data::Float(41.22)));
    assert_eq!(at("同比（%）"), Some(Data::Float(31.0)), "yoy_pct as metrics.csv");
}

#[test]
fn any_valid_catalogue_renders() {
    let w = Workdir::new();
    w.write(
        "input/report.toml",
        r#"
organisation = "某<委>&会"
title = "任意目录"
[[programmes]]
id = "a"
name = "<体育>&文化"
  [[programmes.metrics]]
  id = "a.rate"
  name = "达标率"
  unit = "%"
  decimals = 3
  aggregate = "last"
  [[programmes.metrics]]
  id = "a.n"
  name = "场次"
  unit = ""
[[programmes]]
id = "b"
name = "没有数据的项目"
  [[programmes.metrics]]
  id = "b.x"
  name = "某指标"
  unit = "人次"
  targets = { 2015 = 0 }
"#
        .as_bytes(),
    );
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .row("a.rate", &[("3月", V::N(97.125)), ("6月", V::N(98.5))])
            .row("a.n", &[("1月", V::N(3.0))]),
    );
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = w.read_output("2015/report.md");
    assert!(md.contains("达标率98.5%") && md.contains("场次3"), "{md}");
    assert!(md.contains("没有数据的项目。全年没有单位报送数据。"), "{md}");
    let html = w.read_output("2015/report.html");
    assert!(
        html.contains("&lt;体育&gt;&amp;文化") && !html.contains("<体育>"),
        "escaped"
    );
    let metrics = w.read_output("2015/tables/metrics.csv");
    assert!(
        metrics.contains("b.x,b,某指标,人次,0,0,,,0,,,,\n"),
        "a zero target has no percentage: {metrics}"
    );
}

#[test]
fn the_word_document_says_what_the_markdown_says() {
    use std::io::Read;
    let w = two_years();
    w.run(&["2015"]);
    let path = w.output().join("2015/report.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let text: String = xml
        .split("<w:t")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split("</w:t>").next()?.to_owned()))
        .collect();
    for phrase in [
        "一、2015年主要工作回顾",
        "投入资金54万元，同比增长31%",
        "待更正1个：测试三单位工会",
    ] {
        assert!(text.contains(phrase), "{phrase} missing from the .docx: {text}");
    }
    let images = (0..zip.len())
        .filter(|&i| {
            let n = zip.by_index(i).unwrap().name().unwrap().into_owned();
            n.starts_with("word/media/") && n.ends_with(".png")
        })
        .count();
    let linked = w
        .read_output("2015/report.md")
        .lines()
        .filter(|l| l.starts_with("!["))
        .count();
    assert!(linked > 0);
    assert_eq!(images, linked, "every chart of report.md is in the document");

    // Where LibreOffice Writer is installed (.ci/run installs it), it must open the document.
    let writer = std::path::Path::new("/usr/lib/libreoffice/program/libswlo.so").is_file();
    let soffice = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("soffice"))
            .find(|p| p.is_file())
    });
    if let Some(soffice) = soffice.filter(|_| writer) {
        let out = std::process::Command::new(soffice)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(w.path().join("pdf"))
            .arg(&path)
            .env("HOME", w.path())
            .output()
            .unwrap();
        assert!(
            w.path().join("pdf/report.pdf").is_file(),
            "LibreOffice opens it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_character_the_font_lacks_is_a_warning_that_names_it() {
    let w = two_years();
    let toml = std::fs::read_to_string(w.input().join("report.toml"))
        .unwrap()
        .replace("group = \"五送五有\"", "group = \"犇腾计划\"");
    w.write("input/report.toml", toml.as_bytes());
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("字符“犇”"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("字符“腾”"),
        "only what is missing is named: {}",
        run.stderr
    );
}

fn metric_row(csv: &str, id: &str) -> Vec<String> {
    csv.lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap_or_else(|| panic!("{id} in {csv}"))
        .split(',')
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_unit_late_at_year_end_is_compared_over_the_months_it_sent() {
    let w = two_years();
    // u002 stops at September in 2015; in 2014 it also sent December figures.
    w.form(
        "2014/u002.xlsx",
        &Form::new("u002")
            .set("年度", Some(V::N(2014.0)))
            .set("填报日期", Some(V::Date(2015, 1, 8)))
            .row("fitness.items", &[("6月", V::N(70.0)), ("12月", V::N(5.0))])
            .row("fitness.funds", &[("6月", V::N(11.22)), ("12月", V::N(1.0))]),
    );
    assert_eq!(w.run(&["2015"]).code, 0);
    let csv = w.read_output("2015/tables/metrics.csv");
    // 2014 all year: 50 + 75 items; like for like u002 over January–September: 50 + 70.
    assert_eq!(
        metric_row(&csv, "fitness.items")[4..],
        ["159", "1", "125", "32.5", "", "", "2", "159", "120"]
    );
    // u002's 2015 全年-only 21.19 covers its nine months and counts; its 2014 December does not.
    assert_eq!(
        metric_row(&csv, "fitness.funds")[4..],
        ["54", "2", "42.22", "31", "", "", "2", "54", "41.22"]
    );
    let md = w.read_output("2015/report.md");
    assert!(
        md.contains("投入资金54万元，同比增长31%"),
        "every counted unit is comparable: {md}"
    );
}

#[test]
fn a_unit_new_this_year_puts_the_basis_into_words() {
    let w = two_years();
    std::fs::remove_file(w.input().join("2014/u002.xlsx")).unwrap();
    assert_eq!(w.run(&["2015"]).code, 0);
    let csv = w.read_output("2015/tables/metrics.csv");
    // u001 alone: 32.81 against 30.
    assert_eq!(
        metric_row(&csv, "fitness.funds")[4..],
        ["54", "2", "30", "9.37", "", "", "1", "32.81", "30"]
    );
    let md = w.read_output("2015/report.md");
    let (review, annex) = md.split_once("\n***\n").unwrap();
    assert!(
        review.contains("投入资金54万元，按可比口径计算（1个单位），同比增长9.4%"),
        "{md}"
    );
    assert!(
        annex.contains("本年计入而上年未计入的1个单位（测试二单位工会）不参与同比"),
        "{annex}"
    );
    assert!(annex.contains("| 可比口径2015年 | 可比口径2014年 |"), "{annex}");
    assert!(
        annex.contains("| 送健身器材 | 投入资金 | 万元 | 54 | 30 | 32.81 | 30 | 增长9.4% | 2 |"),
        "{annex}"
    );
}

#[test]
fn new_only_for_a_flow_that_last_years_forms_carried() {
    let w = two_years();
    // Typed zeros: last year's forms carried both metrics.
    w.form(
        "2014/u001.xlsx",
        &Form::new("u001")
            .set("年度", Some(V::N(2014.0)))
            .set("填报日期", Some(V::Date(2015, 1, 8)))
            .row("fitness.units", &[("6月", V::N(0.0))])
            .row("fitness.items", &[("6月", V::N(50.0))])
            .row("fitness.funds", &[("6月", V::N(30.0))])
            .row("members.count", &[("6月", V::N(0.0))]),
    );
    assert_eq!(w.run(&["2015"]).code, 0);
    let md = w.read_output("2015/report.md");
    assert!(md.contains("基层工会66个，新增；"), "{md}");
    assert!(md.contains("在册会员500人。"), "a level is never 新增: {md}");
    assert!(md.contains("| 会员 | 在册会员 | 人 | 500 | 0 | — | 2 |"), "{md}");

    // Without the rows last year: nothing said, "—" in the table.
    let w = two_years();
    assert_eq!(w.run(&["2015"]).code, 0);
    let md = w.read_output("2015/report.md");
    assert!(md.contains("基层工会66个；") && !md.contains("新增"), "{md}");
    assert!(md.contains("| 送健身器材 | 基层工会 | 个 | 66 | — | — | 2 |"), "{md}");
}

#[test]
fn names_in_the_report_are_markdown_escaped() {
    let w = two_years();
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,甲工会\nu002,\"乙|工会\n# 标题\"\nu003,丙 *工会* <i>x</i>\nu004,丁 & [链接](x)\n"
            .as_bytes(),
    );
    assert_eq!(w.run(&["2015"]).code, 0);
    let md = w.read_output("2015/report.md");
    assert!(
        md.contains("逾期1个：乙\\|工会 # 标题）"),
        "one line, the bar escaped: {md}"
    );
    assert!(md.contains("待更正1个：丙 \\*工会\\* \\<i\\>x\\</i\\>"), "{md}");
    assert!(md.contains("未报1个：丁 & \\[链接\\](x)"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# 标题")), "{md}");
}
