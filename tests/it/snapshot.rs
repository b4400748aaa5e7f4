//! The monthly snapshot: year to date against the same months of last year
//! and the target, and who is late.

use crate::harness::{Form, Workdir, V};

/// 2015 for comparison; 2016 with u001 on time (through June), u002 late
/// (through April), u003 to be corrected, u004 missing.
fn year_in_progress() -> Workdir {
    let w = Workdir::new();
    let y2015 = |code: &str| Form::new(code).set("填报日期", Some(V::Date(2016, 1, 10)));
    w.form(
        "2015/u001.xlsx",
        &y2015("u001")
            .set("联系电话", Some(V::T("024-1111")))
            .row(
                "fitness.items",
                &[("1月", V::N(8.0)), ("5月", V::N(12.0)), ("9月", V::N(30.0))],
            )
            .row("members.count", &[("2月", V::N(90.0)), ("8月", V::N(95.0))]),
    );
    // 全年 only: counts for 2015 as a whole, for no month of it.
    w.form(
        "2015/u002.xlsx",
        &y2015("u002").row("fitness.items", &[("全年", V::N(40.0))]),
    );
    w.form(
        "2015/u004.xlsx",
        &y2015("u004")
            .set("填报人", Some(V::T("李四")))
            .set("联系电话", Some(V::T("024-4444"))),
    );

    let y2016 = |code: &str, through: f64| {
        Form::new(code)
            .set("年度", Some(V::N(2016.0)))
            .set("截至月份", Some(V::N(through)))
            .set("填报日期", Some(V::Date(2016, 7, 5)))
    };
    w.form(
        "2016/u001.xlsx",
        &y2016("u001", 6.0)
            .row(
                "fitness.items",
                &[("1月", V::N(10.0)), ("3月", V::N(20.0)), ("6月", V::N(30.0))],
            )
            .row("members.count", &[("1月", V::N(100.0)), ("6月", V::N(110.0))]),
    );
    w.form(
        "2016/u002.xlsx",
        &y2016("u002", 4.0)
            .set("填报人", Some(V::T("王五")))
            .set("联系电话", Some(V::T("024-2222")))
            .row("fitness.items", &[("2月", V::N(15.0)), ("4月", V::N(5.0))])
            .row("members.count", &[("3月", V::N(50.0))]),
    );
    w.form(
        "2016/u003.xlsx",
        &y2016("u003", 6.0).row("fitness.items", &[("1月", V::T("约8"))]),
    );
    w
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
fn year_to_date_against_last_year_and_target() {
    let w = year_in_progress();
    let run = w.run(&["snapshot", "2016-06"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let csv = w.read_output("2016-06/tables/metrics.csv");
    // items: 2016 Jan–Jun 10+20+30 (u001) + 15+5 (u002, late but counted) = 80;
    // 2015 Jan–Jun 8+12 = 20 (u002's 全年-only 40 is in no month); target 180.
    // Like for like: u001 and u002 (u004 sent nothing this year), u002 over
    // January–April of both years: 80 against 20.
    assert_eq!(
        metric_row(&csv, "fitness.items")[4..],
        ["80", "2", "20", "300", "180", "44.44", "2", "80", "20"]
    );
    // members is a level: u001's June 110 + u002's March 50; last year u001's February 90.
    assert_eq!(
        metric_row(&csv, "members.count")[4..],
        ["160", "2", "90", "77.78", "", "", "2", "160", "90"]
    );
}

#[test]
fn months_after_the_snapshot_month_do_not_count() {
    let w = year_in_progress();
    assert_eq!(w.run(&["snapshot", "2016-03"]).code, 0);
    let csv = w.read_output("2016-03/tables/metrics.csv");
    // 2016 Jan–Mar 10+20+15 = 45; 2015 Jan–Mar 8; level in March: 100 + 50, last year February's 90.
    assert_eq!(metric_row(&csv, "fitness.items")[4..7], ["45", "2", "8"]);
    assert_eq!(metric_row(&csv, "members.count")[4..7], ["150", "2", "90"]);
    let months = w.read_output("2016-03/tables/months.csv");
    assert!(months.contains("fitness.items,3,20\nfitness.items,4,\n"), "{months}");
    let submissions = w.read_output("2016-03/tables/submissions.csv");
    assert!(
        submissions.contains("u002,测试二单位工会,已报,2016/u002.xlsx,4,2016-07-05"),
        "on time for March: {submissions}"
    );
}

#[test]
fn statuses_and_who_to_phone() {
    let w = year_in_progress();
    w.run(&["snapshot", "2016-06"]);
    assert_eq!(
        w.read_output("2016-06/tables/submissions.csv"),
        "unit_code,unit_name,status,file,filled_through,filed_on\n\
         u001,测试一单位工会,已报,2016/u001.xlsx,6,2016-07-05\n\
         u002,测试二单位工会,逾期,2016/u002.xlsx,4,2016-07-05\n\
         u003,测试三单位工会,待更正,2016/u003.xlsx,6,2016-07-05\n\
         u004,测试四单位工会,未报,,,\n"
    );
    let md = w.read_output("2016-06/snapshot.md");
    assert!(md.contains("| 测试二单位工会 | 只报到4月 | 王五 | 024-2222 |"), "{md}");
    assert!(
        md.contains("| 测试四单位工会 | 未报 | 李四 | 024-4444 |"),
        "missing units: last year's contact: {md}"
    );
    assert!(
        md.contains("测试三单位工会") && md.contains("约8"),
        "what must be corrected: {md}"
    );
}

#[test]
fn pace_against_last_years_season() {
    let w = year_in_progress();
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let md = w.read_output("2016-06/snapshot.md");
    assert!(md.contains("全年时间进度为50%"), "{md}");
    // Last year's months: 8 in January, 12 in May, 30 in September: 40% by June.
    assert!(
        md.contains("- 送健身器材·健身器材：完成80件，完成全年目标（180件）的44.4%，上年同期完成全年的40%，快4.4个百分点，同比增长300%。\n"),
        "{md}"
    );
    assert_eq!(w.run(&["snapshot", "2016-03"]).code, 0);
    let md = w.read_output("2016-03/snapshot.md");
    assert!(
        md.contains("完成全年目标（180件）的25%，上年同期完成全年的16%，快9个百分点"),
        "{md}"
    );
}

#[test]
fn the_straight_line_only_without_last_year_and_behind_is_bold() {
    let w = year_in_progress();
    std::fs::remove_dir_all(w.input().join("2015")).unwrap();
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let md = w.read_output("2016-06/snapshot.md");
    assert!(
        md.contains(
            "- **送健身器材·健身器材：完成80件，完成全年目标（180件）的44.4%，时间进度50%，慢5.6个百分点。**\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("**加粗**的是进度慢于时间进度的指标"),
        "the emphasis is explained: {md}"
    );
    assert!(!md.contains("同比") && !md.contains("上年"), "{md}");
}

#[test]
fn metrics_most_behind_come_first() {
    let w = year_in_progress();
    let toml = std::fs::read_to_string(w.input().join("report.toml"))
        .unwrap()
        .replace("unit = \"个\"\n", "unit = \"个\"\n  targets = { 2016 = 10 }\n");
    w.write("input/report.toml", toml.as_bytes());
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let md = w.read_output("2016-06/snapshot.md");
    let units = md
        .find("- **送健身器材·基层工会：完成0个，完成全年目标（10个）的0%，时间进度50%，慢50个百分点")
        .unwrap_or_else(|| panic!("{md}"));
    let items = md.find("- 送健身器材·健身器材：").unwrap_or_else(|| panic!("{md}"));
    assert!(units < items, "50 points behind before 4.4 ahead: {md}");
}

#[test]
fn a_new_unit_is_outside_the_comparable_basis() {
    let w = year_in_progress();
    std::fs::remove_file(w.input().join("2015/u004.xlsx")).unwrap();
    w.form(
        "2016/u004.xlsx",
        &Form::new("u004")
            .set("年度", Some(V::N(2016.0)))
            .set("截至月份", Some(V::N(6.0)))
            .set("填报日期", Some(V::Date(2016, 7, 5)))
            .row("fitness.items", &[("2月", V::N(100.0))]),
    );
    // u002 sent May and June last year too: compared over January–April only.
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .set("填报日期", Some(V::Date(2016, 1, 10)))
            .row("fitness.items", &[("3月", V::N(4.0)), ("5月", V::N(6.0))]),
    );
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let csv = w.read_output("2016-06/tables/metrics.csv");
    // 2016: 60 (u001) + 20 (u002) + 100 (u004, new) = 180; 2015 January–June: 8+12 (u001) + 4+6 (u002) = 30.
    // Like for like: u001 60 against 20, u002 20 against 4 (April): 80 against 24.
    assert_eq!(
        metric_row(&csv, "fitness.items")[4..],
        ["180", "3", "30", "233.33", "180", "100", "2", "80", "24"]
    );
    let md = w.read_output("2016-06/snapshot.md");
    assert!(md.contains("按可比口径计算（2个单位），同比增长233.3%"), "{md}");
    let annex = &md[md.find("## 附件").unwrap()..];
    assert!(
        annex.contains("本期计入而上年未计入的1个单位（测试四单位工会）不参与同比"),
        "{annex}"
    );
    assert!(
        !md[..md.find("## 附件").unwrap()].contains("不参与同比"),
        "coverage is stated once, in the annex"
    );
}

#[test]
fn a_level_by_month_is_the_snapshot_through_that_month() {
    let w = year_in_progress();
    for month in ["2016-02", "2016-03", "2016-05", "2016-06"] {
        assert_eq!(w.run(&["snapshot", month]).code, 0);
    }
    let months = w.read_output("2016-06/tables/months.csv");
    for (period, m) in [("2016-02", 2), ("2016-03", 3), ("2016-05", 5), ("2016-06", 6)] {
        let total = metric_row(&w.read_output(&format!("{period}/tables/metrics.csv")), "members.count")[4].clone();
        assert!(
            months.contains(&format!("members.count,{m},{total}\n")),
            "month {m} against the snapshot's {total}: {months}"
        );
    }
    assert!(
        months.contains("members.count,4,150\n"),
        "u002's March level carries forward: {months}"
    );
}

#[test]
fn rows_still_zero_in_both_years_are_one_line() {
    let w = year_in_progress();
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let md = w.read_output("2016-06/snapshot.md");
    assert!(md.contains("两年同期均为0：送健身器材（基层工会、投入资金）。"), "{md}");
    assert!(!md.contains("| 送健身器材 | 基层工会 |"), "no table row each: {md}");
    assert!(md.contains("| 送健身器材 | 健身器材 | 80件 |"), "{md}");
}

#[test]
fn unit_written_text_comes_out_literally() {
    let w = year_in_progress();
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,测试一单位工会\nu002,\"乙<b>工会</b>\"\nu003,丙[链接](http://x)\nu004,# 丁工会\n"
            .as_bytes(),
    );
    w.form(
        "2015/u004.xlsx",
        &Form::new("u004")
            .set("单位名称", Some(V::T("# 丁工会")))
            .set("填报日期", Some(V::Date(2016, 1, 10)))
            .set("填报人", Some(V::T("李四\n# 注入标题\n| a | b |")))
            .set("联系电话", Some(V::T("**024**-4444"))),
    );
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    let md = w.read_output("2016-06/snapshot.md");
    assert!(
        md.contains("| \\# 丁工会 | 未报 | 李四 # 注入标题 \\| a \\| b \\| | \\*\\*024\\*\\*-4444 |\n"),
        "one table row, every character as written: {md}"
    );
    assert!(md.contains("乙\\<b\\>工会\\</b\\>"), "{md}");
    assert!(md.contains("丙\\[链接\\](http://x)"), "{md}");
    assert!(
        !md.lines().any(|l| l.starts_with("# 注入") || l.starts_with("# 丁")),
        "{md}"
    );
}

#[test]
fn charts_show_progress_for_metrics_with_targets() {
    let w = year_in_progress();
    w.run(&["snapshot", "2016-06"]);
    let svg = w.read_output("2016-06/charts/fitness.items.svg");
    assert!(
        svg.contains("全年目标") && svg.contains("2016年") && svg.contains("2015年"),
        "{svg}"
    );
    assert!(w.output().join("2016-06/charts/fitness.items.png").is_file());
    assert!(
        !w.output().join("2016-06/charts/members.count.svg").exists(),
        "no target, no progress chart"
    );
    let html = w.read_output("2016-06/snapshot.html");
    assert!(html.contains("data:image/png;base64,"));
}

#[test]
fn last_month_for_schedulers_and_a_missing_year_is_fatal() {
    let w = year_in_progress();
    let run = w.run(&["snapshot", "last-month", "--as-of", "2016-07-05"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.output().join("2016-06/snapshot.md").is_file());

    let run = w.run(&["snapshot", "2017-02"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("2017"), "{}", run.stderr);
    let run = w.run(&["snapshot", "2016-13"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_snapshot_is_deterministic() {
    let w = year_in_progress();
    w.run(&["snapshot", "2016-06"]);
    let first = std::fs::read(w.output().join("2016-06/manifest.json")).unwrap();
    w.run(&["snapshot", "2016-06"]);
    assert_eq!(
        first,
        std::fs::read(w.output().join("2016-06/manifest.json")).unwrap(),
        "hashes of every output are equal"
    );
}
