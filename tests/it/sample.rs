//! The committed sample `input/` (written by `cargo run --example
//! make_sample`): its 2015 report states the figures of the committee's 2016
//! work report (shared/SAMPLE.md), each a sum or count over the counted
//! submissions, and its validation report lists the planted mistakes.

use std::path::Path;
use std::sync::OnceLock;

use crate::harness::{files_under, receipt_rows, Workdir};

/// A work folder holding a copy of the repository's `input/`.
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

/// What one run of the 2015 report writes (run once, shared by the tests).
struct Report2015 {
    md: String,
    html: String,
    validation: String,
    submissions: String,
    metrics: String,
    /// The receipt of the unit with the planted 元/万元 slip, row by row.
    slip_receipt: Vec<String>,
}

fn report_2015() -> &'static Report2015 {
    static RUN: OnceLock<Report2015> = OnceLock::new();
    RUN.get_or_init(|| {
        let w = sample();
        let run = w.run(&["2015"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        Report2015 {
            md: w.read_output("2015/report.md"),
            html: w.read_output("2015/report.html"),
            validation: w.read_output("2015/validation.csv"),
            submissions: w.read_output("2015/tables/submissions.csv"),
            metrics: w.read_output("2015/tables/metrics.csv"),
            slip_receipt: receipt_rows(&w.output().join(SLIP_RECEIPT)),
        }
    })
}

/// The planted 元/万元 slip (input/README.md): 省戒毒管理局 typed its
/// November 协调资金 of 0.26万元 in 元, as 2600.
const SLIP_FILE: &str = "2015/第二批/省戒毒管理局2015年报表.xlsx";
const SLIP_RECEIPT: &str = "2015/receipts/S078-省戒毒管理局直属机关工会-回执.xlsx";

/// The `check-*` rows of a validation.csv (no sample file name or code
/// holds a comma, so the code is the sixth field).
fn plausibility_warnings(csv: &str) -> Vec<&str> {
    csv.lines()
        .filter(|l| l.split(',').nth(5).is_some_and(|code| code.starts_with("check-")))
        .collect()
}

/// SAMPLE.md's table, as the report words it.
const FIGURES: [&str; 24] = [
    // 帮企业稳增长促振兴
    "组织100个省（中）直单位帮扶100家困难企业",
    "帮扶企业活动共发布信息219条",
    "100家帮企单位制定的306项帮扶措施已推进和落实203项",
    "协调各类资金5.051亿元",
    "引进或争取项目34项",
    "组建科技联盟或技术合作组织6个",
    "培训企业专业技术人员2000余人",
    // 服务振兴献良策
    "共收到80个单位13个方面计策文章329篇",
    "有119篇文稿获奖",
    // 送报刊
    "全年投入资金56.82万元，为1740个次基层工会、女职工委员会订报刊6种4161份",
    // 送温暖
    "共列入资金43.2万元，帮扶99个单位困难职工610人",
    // 送健身器材
    "为66个基层工会配备健身器材159件",
    "投入资金54万元，同比增长31%",
    // 送助学
    "投入11.9万元资金",
    "共资助学生31名",
    // 单身职工联谊
    "4场“相约金秋”单身职工联谊活动",
    "近500名单身职工参加，现场牵手42对",
    // 妇女工作
    "对71名参训学员进行培训",
    "组织300名女干部参加了",
    // 文体活动
    "先后组织4000多名职工观看了",
    "共有174个次代表队的2810名运动员参赛",
    "其中，厅局级领导101人次",
    "组织15个单位308名职工参加了省全民健身运动会",
    "有40个代表队参赛",
];

#[test]
fn report_states_every_figure_of_the_work_report() {
    let r = report_2015();
    let missing: Vec<&str> = FIGURES.iter().copied().filter(|f| !r.md.contains(f)).collect();
    assert!(missing.is_empty(), "missing {missing:#?} in\n{}", r.md);
    assert!(
        r.md.contains(
            "送健身器材，使职工运动有工具。全年为66个基层工会配备健身器材159件，投入资金54万元，同比增长31%。"
        ),
        "{}",
        r.md
    );
    // HTML says the same (escaped text, same figures).
    for f in ["5.051亿元", "2000余人", "近500名", "4000多名", "同比增长31%"] {
        assert!(r.html.contains(f), "{f} missing from report.html");
    }
}

#[test]
fn report_reads_as_the_work_reports_review() {
    let md = &report_2015().md;
    for heading in [
        "### 1、创新思路，自觉在服务中心工作中定向定位",
        "### 2、固本强基，着力夯实工作基础",
        "### 3、服务基层，切实维护职工权益",
        "### 4、发挥优势，积极做好妇工委工作",
        "### 5、活跃生活，组织机关系列文体活动",
    ] {
        assert!(md.contains(heading), "{heading} missing in\n{md}");
    }
    for (i, lead) in [
        "一是为基层工会送报刊",
        "二是坚持“两节”送温暖",
        "三是送健身器材",
        "四是送助学资金",
        "五是送联谊平台",
    ]
    .iter()
    .enumerate()
    {
        assert!(md.contains(lead), "五送五有 item {} ({lead}) missing", i + 1);
    }
    assert!(md.contains("25次得到省领导批示"), "committee facts close the review");
    // Opens as the seed does, with the year's summary; the submissions go to the annex.
    let review = md.split("\n***\n").next().unwrap();
    assert!(
        review
            .contains("## 一、2015年主要工作回顾\n\n2015年，省直机关工会工委认真落实省直机关工委和省总工会的工作部署"),
        "{md}"
    );
    assert!(
        !md.contains("各项工作数据汇总如下") && !review.contains("应报送报表的单位"),
        "{md}"
    );
    let annex = md
        .split("\n***\n\n## 附件\n")
        .nth(1)
        .expect("an annex after a thematic break");
    assert!(
        annex.contains("### 1、报表报送情况") && annex.contains("应报送报表的单位120个"),
        "{annex}"
    );
    assert!(
        annex.contains("同比按可比口径计算") && annex.contains("### 2、指标汇总"),
        "{annex}"
    );
    // No generic fallback, placeholder or float noise in the sample's text.
    assert!(!md.contains("报送了数据") && !md.contains("没有单位报送数据"), "{md}");
    assert!(!md.contains("{{") && !md.contains("}}") && !md.contains("none"), "{md}");
    assert!(!has_long_fraction(md), "a raw float in\n{md}");
}

/// A number with more than three decimals (`56.819999`), which no sentence
/// of the report should print.
fn has_long_fraction(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).enumerate().any(|(i, w)| {
        w[0].is_ascii_digit() && w[1] == '.' && chars[i + 2..].iter().take_while(|c| c.is_ascii_digit()).count() > 3
    })
}

/// metrics.csv as rows of cells (no cell of the sample holds a comma).
fn csv_rows(csv: &str) -> Vec<Vec<&str>> {
    csv.lines().skip(1).map(|l| l.split(',').collect()).collect()
}

/// Every figure report.md states is metrics.csv's value as the number module
/// writes it: the annex's table cell by cell, and each metric's figure in
/// the review (money in 万元/亿元, counts with their unit, or rounded).
#[test]
fn every_figure_in_the_report_is_the_csv_value() {
    use annual_report::number;
    use annual_report::report::wording::about;
    let r = report_2015();
    let metrics = csv_rows(&r.metrics);
    let (review, annex) = r.md.split_once("\n***\n").unwrap();
    let table: Vec<Vec<&str>> = annex
        .split("### 2、指标汇总")
        .nth(1)
        .unwrap()
        .split("\n### ")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 项目"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert_eq!(table.len(), metrics.len(), "one row per metric");
    for (row, m) in table.iter().zip(&metrics) {
        let [_, _, name, unit, total, units, previous, yoy, target, _, _, comparable_total, comparable_previous] =
            m[..]
        else {
            panic!("{m:?}")
        };
        let carried = !(previous == "0" && comparable_previous == "0");
        let shown = |v: &str| if carried { v.to_owned() } else { "—".to_owned() };
        // The table writes 同比 at the text's one decimal, recomputed here
        // from the comparable columns; the CSV carries it at two.
        let recomputed = match (comparable_total.parse::<f64>(), comparable_previous.parse::<f64>()) {
            (Ok(c), Ok(p)) if p != 0.0 => Some((c - p) / p * 100.0),
            _ => None,
        };
        if let (Some(r), Ok(csv)) = (recomputed, yoy.parse::<f64>()) {
            assert!(
                (r - csv).abs() < 0.0051,
                "yoy_pct {csv} is (comparable_total − comparable_previous) / comparable_previous: {r}"
            );
        }
        let change = match recomputed.ok_or(()) {
            Ok(p) if number::percent_figure(p) == "0" => "持平".to_owned(),
            Ok(p) if p > 0.0 => format!("增长{}", number::percent(p)),
            Ok(p) if p < 0.0 => format!("下降{}", number::percent(-p)),
            Ok(_) => "持平".to_owned(),
            Err(_) if carried && comparable_total != "0" => "新增".to_owned(),
            Err(_) => "—".to_owned(),
        };
        let expected = vec![
            row[0].to_owned(),
            name.to_owned(),
            unit.to_owned(),
            total.to_owned(),
            shown(previous),
            comparable_total.to_owned(),
            shown(comparable_previous),
            change,
            units.to_owned(),
        ];
        assert_eq!(row, &expected, "{m:?}");
        assert_eq!(target, "", "no 2015 targets");

        let value: f64 = total.parse().unwrap();
        let decimals = total.split('.').nth(1).map_or(0, |f| f.len() as u32).max(2);
        let written = [
            number::money(value, unit, decimals),
            number::count(value, unit, decimals),
            format!("{}{unit}", about(Some(value), "余")),
            format!("{}{unit}", about(Some(value), "多")),
        ];
        assert!(
            value == 0.0 || written.iter().any(|w| review.contains(w.as_str())),
            "{name}: none of {written:?} in the review"
        );
    }

    // The annex's table of sources: each reported metric's figure, as the
    // review writes it, and its number of reporting units.
    let sources: Vec<Vec<&str>> = annex
        .split("### 3、各项数字的来源（前5个单位）")
        .nth(1)
        .expect("the table of sources")
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 项目"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let reported: Vec<&Vec<&str>> = metrics.iter().filter(|m| m[4] != "0").collect();
    assert_eq!(sources.len(), reported.len(), "one row per metric reported");
    for (row, m) in sources.iter().zip(reported) {
        let (name, unit, total, units) = (m[2], m[3], m[4], m[5]);
        let value: f64 = total.parse().unwrap();
        let decimals = total.split('.').nth(1).map_or(0, |f| f.len() as u32);
        let figure = match unit.ends_with('元') {
            true => number::money(value, unit, decimals),
            false => number::count(value, unit, decimals),
        };
        assert_eq!(row[1..4], [name, figure.as_str(), units], "{row:?}");
        assert!(
            (1..=5).contains(&row[4].split("<br>").count()),
            "up to five units: {row:?}"
        );
    }
}

#[test]
fn totals_are_exact_over_counted_submissions() {
    let metrics = &report_2015().metrics;
    for prefix in [
        "help.enterprises,help,帮扶企业,家,100,100,",
        "help.funds,help,协调资金,万元,50510,",
        "help.trained,help,培训企业专业技术人员,人,2046,",
        "advice.articles,advice,计策文章,篇,329,80,",
        "papers.funds,papers,投入资金,万元,56.82,",
        "warmth.funds,warmth,列入资金,万元,43.2,99,",
        "warmth.people,warmth,帮扶困难职工,人,610,99,",
        "fitness.unions,fitness,基层工会,个,66,",
        "singles.participants,singles,参加单身职工,名,487,",
        "culture.audience,culture,观看高雅艺术演出职工,名,4012,",
        "contest.studios,contest,劳模创新工作室,个,10,10,",
    ] {
        assert!(
            metrics.lines().any(|l| l.starts_with(prefix)),
            "{prefix} not in\n{metrics}"
        );
    }
    let funds = metrics.lines().find(|l| l.starts_with("fitness.funds,")).unwrap();
    let cols: Vec<&str> = funds.split(',').collect();
    assert_eq!((cols[4], cols[6]), ("54", "41.22"), "{funds}");
}

#[test]
fn validation_lists_the_planted_mistakes() {
    let r = report_2015();
    let has = |severity: &str, unit: &str, code: &str| {
        r.validation
            .lines()
            .any(|l| l.starts_with(&format!("{severity},{unit},")) && l.contains(&format!(",{code},")))
    };
    for (severity, unit, code) in [
        ("error", "S031", "not-a-number"),    // 约300
        ("error", "S040", "negative"),        // -3 件
        ("error", "S121", "unknown-unit"),    // not in the registry
        ("warning", "S020", "name-mismatch"), // 省财政厅工会
        ("note", "S012", "superseded"),       // corrected by a later file
        ("note", "S015", "duplicate-submission"),
        ("note", "S018", "wrong-extension"), // .xlsx renamed .xls
        ("note", "S013", "text-number"),     // 1,306.58
    ] {
        assert!(
            has(severity, unit, code),
            "no {severity} {code} for {unit} in\n{}",
            r.validation
        );
    }
    assert!(r.validation.contains("约300"), "{}", r.validation);
    let status = |code: &str| {
        r.submissions
            .lines()
            .find(|l| l.starts_with(&format!("{code},")))
            .map(|l| l.split(',').nth(2).unwrap().to_owned())
    };
    assert_eq!(status("S031").as_deref(), Some("待更正"));
    assert_eq!(status("S040").as_deref(), Some("待更正"));
    assert_eq!(status("S057").as_deref(), Some("逾期"));
    assert_eq!(status("S066").as_deref(), Some("未报"));
    assert_eq!(status("S012").as_deref(), Some("已报"), "the correction counts");
    assert!(
        r.md.contains("已计入116个（其中逾期1个：省地震局机关工会）；待更正2个：省文化厅直属机关工会、省体育局直属机关工会；未报2个：省作协机关工会、省保密局机关工会。"),
        "{}",
        r.md
    );
}

/// The planted slip is warned at its cell, in validation.csv and the unit's
/// receipt, and still counts (the 2015 total of 协调资金 is the work
/// report's 5.051亿元 with it). Nothing else in 2014 or 2015 looks
/// implausible: ordinary year-on-year changes of clean units raise nothing.
#[test]
fn the_planted_slip_is_the_only_plausibility_warning() {
    let r = report_2015();
    let found = plausibility_warnings(&r.validation);
    assert_eq!(found.len(), 1, "{found:#?}");
    let slip = found[0];
    assert!(
        slip.starts_with(&format!("warning,S078,{SLIP_FILE},数据,O9,check-unit-slip,")),
        "{slip}"
    );
    assert!(
        slip.contains("协调资金（万元）11月（数据!O9）：填了 2600万元") && slip.contains("通常约为 0.31万元"),
        "{slip}"
    );
    let receipt = &r.slip_receipt;
    assert!(
        receipt
            .iter()
            .any(|row| row.contains("数据!O9") && row.contains("填了 2600万元") && row.contains("请核实")),
        "{receipt:#?}"
    );
    assert!(
        receipt.iter().any(
            |row| row.starts_with("帮企业稳增长促振兴|协调资金|万元|") && row.ends_with("|0.32||2600|0.29|2600.61")
        ),
        "the slipped figure counts as typed: {receipt:#?}"
    );
    assert!(
        r.metrics
            .lines()
            .any(|l| l.starts_with("help.funds,help,协调资金,万元,50510,")),
        "{}",
        r.metrics
    );

    let w = sample();
    let run = w.run(&["validate", "2014"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let csv = w.read_output("2014/validation.csv");
    assert_eq!(plausibility_warnings(&csv), Vec::<&str>::new(), "2014");
}

#[test]
fn snapshot_of_2016_in_progress() {
    let w = sample();
    let run = w.run(&["snapshot", "2016-06"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let md = w.read_output("2016-06/snapshot.md");
    assert!(
        md.contains("完成全年目标（40人）的"),
        "seed target 40 (典型宣传) in\n{md}"
    );
    assert!(
        md.contains("完成全年目标（15个）的"),
        "seed target 15 (劳模创新工作室) in\n{md}"
    );
    assert!(
        md.contains("送助学·投入资金：完成0万元，完成全年目标（12万元）的0%，上年同期完成全年的0%，进度持平"),
        "money paid in August is on pace in June: {md}"
    );
    assert!(md.contains("待更正1个：省统计局机关工会"), "{md}");
    assert!(md.contains("只报到4月") && md.contains("只报到5月"), "{md}");
    let csv = w.read_output("2016-06/validation.csv");
    assert_eq!(
        plausibility_warnings(&csv),
        Vec::<&str>::new(),
        "no figure of 2016 through June looks implausible against the unit's own history"
    );
}

/// The committed showcase (output/2015, output/2016-06) is what the code
/// writes from input/ today, byte for byte. After a change that alters it:
/// `cargo run --release -- 2015 && cargo run --release -- snapshot 2016-06`.
#[test]
fn the_committed_showcase_is_what_the_code_writes() {
    let w = sample();
    assert_eq!(w.run(&["2015", "--quiet"]).code, 0);
    assert_eq!(w.run(&["snapshot", "2016-06", "--quiet"]).code, 0);
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("output");
    for period in ["2015", "2016-06"] {
        let want = files_under(&committed.join(period));
        let got = files_under(&w.output().join(period));
        assert_eq!(
            want.keys().collect::<Vec<_>>(),
            got.keys().collect::<Vec<_>>(),
            "files of output/{period}"
        );
        for (name, bytes) in &want {
            assert!(
                bytes == &got[name],
                "output/{period}/{name} differs from what the code writes: regenerate the showcase"
            );
        }
    }
}
