//! The charts as a reader meets them: one 同比 chart per group, this year
//! against last year by metric, no bar where last year has no figure, money
//! in 亿元 from 1亿 on, text of at least 9 pt as printed, every chart used by
//! the documents with its number and caption, snapshot titles that name the
//! programme and the metric. Read through the SVG text, which is the same
//! layout as the PNG.

use std::collections::BTreeMap;

use crate::harness::{files_under, Form, Workdir, V};

/// Two groups; 投入资金 in two programmes; 帮扶企业 new in 2015; 空白指标
/// empty in every year (with a 2016 target); 协调资金 beyond 1亿元.
const CATALOGUE: &str = r#"
organisation = "测试工委"
title = "测试工作报告"

[[programmes]]
id = "fitness"
name = "送健身器材"
group = "五送五有"

  [[programmes.metrics]]
  id = "fitness.items"
  name = "健身器材"
  unit = "件"
  targets = { 2016 = 180 }

  [[programmes.metrics]]
  id = "fitness.funds"
  name = "投入资金"
  unit = "万元"
  decimals = 2
  targets = { 2016 = 60 }

[[programmes]]
id = "study"
name = "送助学"
group = "五送五有"

  [[programmes.metrics]]
  id = "study.funds"
  name = "投入资金"
  unit = "万元"
  decimals = 2
  targets = { 2016 = 12 }

  [[programmes.metrics]]
  id = "study.students"
  name = "资助学生"
  unit = "名"

[[programmes]]
id = "help"
name = "帮企业"
group = "服务中心工作"

  [[programmes.metrics]]
  id = "help.funds"
  name = "协调资金"
  unit = "万元"
  decimals = 2

  [[programmes.metrics]]
  id = "help.enterprises"
  name = "帮扶企业"
  unit = "家"

  [[programmes.metrics]]
  id = "help.idle"
  name = "空白指标"
  unit = "个"
  targets = { 2016 = 5 }
"#;

/// Colours of the drawn bars (chart/style.rs): this year or a rise, a fall, last year.
const CURRENT: &str = "#C8382C";
const FALL: &str = "#268060";
const PREVIOUS: &str = "#8096B2";

/// How wide report.docx places a chart, and 9 pt in mm.
const PLACED_MM: f64 = 150.0;
const NINE_PT_MM: f64 = 9.0 * 25.4 / 72.0;

fn workdir() -> Workdir {
    let w = Workdir::new();
    w.write("input/report.toml", CATALOGUE.as_bytes());
    w
}

/// 2014 and 2015 at year end: 健身器材 +60%, 送健身器材·投入资金 −33.3%,
/// 送助学·投入资金 +20%, 资助学生 0%, 协调资金 20000 → 50510 万元, 帮扶企业 新增.
fn two_years() -> Workdir {
    let w = workdir();
    let year = |code: &str, y: f64, rows: &[(&str, f64)]| {
        rows.iter().fold(
            Form::new(code)
                .set("年度", Some(V::N(y)))
                .set("填报日期", Some(V::Date(y as u16 + 1, 1, 8))),
            |form, (id, v)| form.row(id, &[("5月", V::N(*v))]),
        )
    };
    w.form(
        "2014/u001.xlsx",
        &year(
            "u001",
            2014.0,
            &[
                ("fitness.items", 50.0),
                ("fitness.funds", 30.0),
                ("study.funds", 5.0),
                ("study.students", 10.0),
                ("help.funds", 20000.0),
            ],
        ),
    );
    w.form(
        "2015/u001.xlsx",
        &year(
            "u001",
            2015.0,
            &[
                ("fitness.items", 80.0),
                ("fitness.funds", 20.0),
                ("study.funds", 6.0),
                ("study.students", 10.0),
                ("help.funds", 50510.0),
                ("help.enterprises", 7.0),
            ],
        ),
    );
    w
}

/// An SVG read as a reader's checker would: size, texts with their font size, bars by colour.
struct Svg {
    width: f64,
    height: f64,
    texts: Vec<(f64, String)>,
    source: String,
}

impl Svg {
    fn parse(source: &str) -> Svg {
        let attr = |name: &str| -> f64 {
            let head = source.split('>').next().unwrap();
            let value = head
                .split(&format!(" {name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            value.parse().unwrap()
        };
        let texts = source
            .split("<text ")
            .skip(1)
            .map(|t| {
                let size: f64 = t
                    .split("font-size=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let body = t.split_once('>').unwrap().1.split("</text>").next().unwrap().trim();
                (size, body.to_string())
            })
            .collect();
        Svg {
            width: attr("width"),
            height: attr("height"),
            texts,
            source: source.to_string(),
        }
    }

    fn has_text(&self, text: &str) -> bool {
        self.texts.iter().any(|(_, t)| t == text)
    }

    fn all_text(&self) -> String {
        self.texts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn bars(&self, fill: &str) -> usize {
        self.source
            .split("<rect ")
            .skip(1)
            .filter(|r| r.contains(&format!("fill=\"{fill}\"")))
            .count()
    }

    fn title(&self) -> &str {
        &self.texts[0].1
    }
}

/// The charts of a written period: file name → SVG, and file name → PNG bytes.
fn charts(w: &Workdir, period: &str) -> (BTreeMap<String, Svg>, BTreeMap<String, Vec<u8>>) {
    let files = files_under(&w.output().join(period).join("charts"));
    let svgs = files
        .iter()
        .filter(|(name, _)| name.ends_with(".svg"))
        .map(|(name, bytes)| (name.clone(), Svg::parse(std::str::from_utf8(bytes).unwrap())))
        .collect();
    let pngs = files.into_iter().filter(|(name, _)| name.ends_with(".png")).collect();
    (svgs, pngs)
}

fn png_size(png: &[u8]) -> (f64, f64) {
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w as f64, h as f64)
}

/// `(caption, path)` of every image of a Markdown document, in order.
fn md_images(md: &str) -> Vec<(String, String)> {
    md.lines()
        .filter_map(|l| l.trim().strip_prefix("!["))
        .map(|l| {
            let (alt, rest) = l.split_once("](").unwrap();
            (alt.to_string(), rest.trim_end_matches(')').to_string())
        })
        .collect()
}

#[test]
fn one_change_chart_per_group_and_metrics_by_name() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (svgs, _) = charts(&w, "2015");
    let change: Vec<&Svg> = svgs.values().filter(|s| s.title().contains("同比")).collect();
    assert_eq!(change.len(), 2, "one 同比 chart per group: {:?}", svgs.keys());
    let five = &svgs["01-change.svg"];
    assert!(five.title().starts_with("五送五有"), "{}", five.title());
    for name in ["健身器材", "送健身器材·投入资金", "送助学·投入资金", "资助学生"] {
        assert!(five.has_text(name), "{name} in {}", five.all_text());
        assert!(
            svgs["01-compare.svg"].all_text().contains(name),
            "{name} in the comparison"
        );
    }
    for figure in ["+60%", "-33.3%", "+20%", "0%"] {
        assert!(five.has_text(figure), "{figure} in {}", five.all_text());
    }
    assert_eq!(
        (five.bars(CURRENT), five.bars(FALL)),
        (2, 1),
        "two rises, one fall, 0% no bar"
    );
    let service = &svgs["02-change.svg"];
    // 帮扶企业 was on no counted form of 2014: 上年未统计, not 新增.
    assert!(service.has_text("协调资金") && service.has_text("帮扶企业") && service.has_text("上年未统计"));
    assert!(
        !service.all_text().contains("空白指标"),
        "nothing in either year: not charted"
    );
    for svg in svgs.values() {
        let text = svg.all_text();
        assert!(
            !text.contains("inf") && !text.contains("NaN") && !text.contains('∞'),
            "{text}"
        );
    }
}

#[test]
fn no_bar_where_last_year_has_no_figure_and_money_from_one_yi_in_yi() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (svgs, _) = charts(&w, "2015");
    let service = &svgs["02-compare.svg"];
    // 协调资金 has last year's bar; 帮扶企业 (on no 2014 form) has none, only a word.
    assert_eq!(service.bars(PREVIOUS), 1, "{}", service.all_text());
    assert_eq!(service.bars(CURRENT), 2);
    assert!(service.has_text("未统计"));
    assert!(service.has_text("协调资金（亿元）") && service.has_text("5.051") && service.has_text("2"));
    assert!(
        !service.all_text().contains("50510"),
        "the text says 5.051亿元, so does the chart"
    );
    let md = w.read_output("2015/report.md");
    assert!(md.contains("5.051亿元"), "{md}");
    // 五送五有: four metrics, each with last year's figure.
    assert_eq!(svgs["01-compare.svg"].bars(PREVIOUS), 4);
    assert!(svgs["01-compare.svg"].has_text("送健身器材·投入资金（万元）"));
}

#[test]
fn every_text_prints_at_nine_points_or_more() {
    let w = two_years();
    assert_eq!(w.run(&["2015"]).code, 0);
    let y2016 = Form::new("u001")
        .set("年度", Some(V::N(2016.0)))
        .set("截至月份", Some(V::N(6.0)))
        .set("填报日期", Some(V::Date(2016, 7, 5)))
        .row("fitness.items", &[("2月", V::N(30.0))]);
    w.form("2016/u001.xlsx", &y2016);
    assert_eq!(w.run(&["snapshot", "2016-06"]).code, 0);
    for period in ["2015", "2016-06"] {
        let (svgs, pngs) = charts(&w, period);
        assert!(!svgs.is_empty());
        for (name, svg) in &svgs {
            let png = &pngs[&name.replace(".svg", ".png")];
            assert_eq!(
                png_size(png),
                (svg.width, svg.height),
                "{name}: PNG and SVG share one layout"
            );
            let smallest = svg.texts.iter().map(|t| t.0).fold(f64::INFINITY, f64::min);
            let printed_mm = smallest * PLACED_MM / svg.width;
            assert!(
                printed_mm >= NINE_PT_MM,
                "{name}: {smallest}px on {}px prints at {printed_mm:.2} mm",
                svg.width
            );
        }
    }
}

#[test]
fn every_chart_is_in_the_documents_numbered_and_captioned_in_order() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (svgs, pngs) = charts(&w, "2015");
    let images = md_images(&w.read_output("2015/report.md"));
    let linked: Vec<String> = images.iter().map(|(_, path)| path.clone()).collect();
    let mut on_disk: Vec<String> = pngs.keys().map(|p| format!("charts/{p}")).collect();
    on_disk.sort();
    let mut sorted = linked.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk, "charts/ holds exactly the charts report.md shows");
    assert_eq!(svgs.len(), pngs.len(), "each PNG with its SVG");
    let numbers: Vec<String> = images
        .iter()
        .map(|(alt, _)| alt.split(' ').next().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (1..=images.len()).map(|n| format!("图{n}")).collect();
    assert_eq!(numbers, expected, "numbered in document order");
    assert_eq!(images[0].0, "图1 五送五有各项同比变化");
    assert!(images
        .iter()
        .all(|(alt, _)| alt.split_once(' ').is_some_and(|(_, c)| !c.is_empty())));
    // The HTML shows the same figures with the same captions, in the same order.
    let html = w.read_output("2015/report.html");
    let captions: Vec<&str> = html
        .split("<figcaption>")
        .skip(1)
        .map(|c| c.split("</figcaption>").next().unwrap())
        .collect();
    let alts: Vec<&str> = images.iter().map(|(alt, _)| alt.as_str()).collect();
    assert_eq!(captions, alts);
}

#[test]
fn without_last_year_there_is_no_change_chart_and_no_last_year_bar() {
    let w = two_years();
    let run = w.run(&["2014"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (svgs, _) = charts(&w, "2014");
    assert_eq!(svgs.keys().collect::<Vec<_>>(), ["01-compare.svg", "02-compare.svg"]);
    for svg in svgs.values() {
        assert_eq!(svg.bars(PREVIOUS), 0);
        assert!(!svg.all_text().contains("2013"), "{}", svg.all_text());
    }
}

#[test]
fn snapshot_titles_name_programme_and_metric_and_are_unique() {
    let w = two_years();
    let y2016 = Form::new("u001")
        .set("年度", Some(V::N(2016.0)))
        .set("截至月份", Some(V::N(6.0)))
        .set("填报日期", Some(V::Date(2016, 7, 5)))
        .row("fitness.items", &[("2月", V::N(30.0)), ("6月", V::N(12.0))])
        .row("fitness.funds", &[("3月", V::N(25.0))])
        .row("study.funds", &[("4月", V::N(3.5))]);
    w.form("2016/u001.xlsx", &y2016);
    let run = w.run(&["snapshot", "2016-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (svgs, _) = charts(&w, "2016-06");
    let titles: Vec<&str> = svgs.values().map(|s| s.title()).collect();
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), titles.len(), "{titles:?}");
    let funds = &svgs["fitness.funds.svg"];
    assert_eq!(funds.title(), "送健身器材·投入资金累计完成情况（万元）");
    assert_eq!(svgs["study.funds.svg"].title(), "送助学·投入资金累计完成情况（万元）");
    let months: Vec<String> = (1..=12).map(|m| format!("{m}月")).collect();
    assert!(months.iter().all(|m| funds.has_text(m)), "{}", funds.all_text());
    assert!(funds.has_text("全年目标 60万元") && funds.has_text("2015年") && funds.has_text("25"));
    // Last year's cumulative line, in last year's colour; none where last year had nothing.
    let last_year_line = format!("stroke=\"{PREVIOUS}\"");
    assert!(funds.source.contains(&last_year_line), "{}", funds.source);
    let idle = &svgs["help.idle.svg"];
    assert!(
        !idle.source.contains(&last_year_line) && !idle.has_text("2015年"),
        "{}",
        idle.source
    );
    let md = w.read_output("2016-06/snapshot.md");
    let images = md_images(&md);
    assert_eq!(images.len(), svgs.len(), "every snapshot chart is in the snapshot");
    assert!(
        images
            .iter()
            .any(|(alt, _)| alt.ends_with("送助学·投入资金累计完成情况")),
        "{images:?}"
    );
}
