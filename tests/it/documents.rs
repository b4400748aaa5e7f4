//! report.html and report.docx: laid out from report.md, the docx as a
//! GB/T 9704 document on named styles (unzipped and read part by part),
//! safe whatever a unit's name holds, and opened by LibreOffice.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use crate::harness::{Form, Workdir, V};

/// 2014 for the comparison (so there are charts), 2015 with a unit to
/// correct (so a name is printed) and one missing.
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
            .row("fitness.units", &[("3月", V::N(20.0))])
            .row("fitness.items", &[("3月", V::N(80.0)), ("9月", V::N(79.0))])
            .row("fitness.funds", &[("3月", V::N(20.5)), ("9月", V::N(12.31))])
            .row("members.count", &[("1月", V::N(300.0))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .set("填报日期", Some(V::Date(2016, 1, 21)))
            .row("fitness.units", &[("4月", V::N(30.0))])
            .row("fitness.funds", &[("全年", V::N(21.19))]),
    );
    w.form(
        "2015/u003.xlsx",
        &Form::new("u003").row("fitness.items", &[("1月", V::T("约5"))]),
    );
    w
}

/// A user template that says everything the conventions cover: title and
/// title block, three heading levels, styles, lists, a quote, inline HTML,
/// a link, every chart as a figure, a page break, and an annex whose table
/// runs over a page.
const EVERYTHING: &str = r#"# {{ title }}

{{ organisation }}

（2016年3月18日）

## 一、总体情况

正文第一段，**加粗**和*强调*，`代码`，<b>内联HTML</b>，[链接](<https://example.cn/路径 a>)。

### （一）分项

#### 1.细项

1. 第一项
2. 第二项

- 甲项
- 乙项

> 引用的话

{% for g in groups %}{% for c in g.charts %}
![{{ c.title }}]({{ c.png }})

{% endfor %}{% endfor %}
![图9 已编号的图]({{ groups[0].charts[0].png }})

***

## 附件：报表报送情况

| 单位 | 情况 | 联系电话 | 金额 |
|---|---|---|---:|
{% for i in range(60) %}
| 帮企业稳增长促振兴联络单位{{ i }} | 未报 | 024-20799979 | 1,234.5万元 |
{% endfor %}
"#;

/// The unzipped package: part name → text.
struct Docx(BTreeMap<String, String>);

impl Docx {
    fn open(path: &Path) -> Docx {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if name.ends_with(".xml") || name.ends_with(".rels") {
                parts.insert(name, String::from_utf8(bytes).unwrap());
            } else {
                parts.insert(name, String::new());
            }
        }
        Docx(parts)
    }

    fn part(&self, name: &str) -> &str {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing: {:?}", self.0.keys()))
    }

    fn paragraphs(&self) -> Vec<Para> {
        paragraphs(self.part("word/document.xml"))
    }
}

#[derive(Debug, Default, Clone)]
struct Para {
    style: String,
    text: String,
    page_break_before: bool,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    })
}

fn entity(name: &str) -> char {
    match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        other => panic!("entity &{other};"),
    }
}

/// Every `w:p` with its style, text (a line break as `\n`) and page break.
fn paragraphs(xml: &str) -> Vec<Para> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut current, mut in_text) = (Vec::new(), Para::default(), false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:p" => current = Para::default(),
            Event::End(e) if e.name().as_ref() == "w:p" => out.push(std::mem::take(&mut current)),
            Event::Empty(e) if e.name().as_ref() == "w:p" => out.push(Para::default()),
            Event::Empty(e) if e.name().as_ref() == "w:pStyle" => current.style = attr(&e, "w:val").unwrap(),
            Event::Empty(e) if e.name().as_ref() == "w:pageBreakBefore" => current.page_break_before = true,
            Event::Empty(e) if e.name().as_ref() == "w:br" => current.text.push('\n'),
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Text(t) if in_text => current.text.push_str(&t.into_inner()),
            Event::GeneralRef(r) if in_text => current.text.push(entity(&r.into_inner())),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Well-formed XML that Word can read: tags nest, attributes and entity
/// references are valid, and no character XML forbids is present.
fn assert_well_formed(name: &str, xml: &str) {
    let bad: Vec<char> = xml
        .chars()
        .filter(|&c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    assert!(bad.is_empty(), "{name} holds characters XML forbids: {bad:?}");
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("{name}: attribute: {err}"));
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap_or_else(|err| panic!("{name}: attribute value: {err}"));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if !r.is_char_ref() {
                    entity(&r.into_inner());
                }
            }
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
}

/// The Markdown's headings and plain one-line paragraphs (no markup).
fn markdown_texts(md: &str) -> (Vec<String>, Vec<String>) {
    let mut headings = Vec::new();
    let mut paragraphs = Vec::new();
    for line in md.lines().map(str::trim) {
        if let Some(h) = line.strip_prefix('#') {
            headings.push(h.trim_start_matches('#').trim().to_owned());
        } else if !line.is_empty()
            && !line.starts_with(['|', '!', '-', '>', '*'])
            && !line.starts_with(|c: char| c.is_ascii_digit())
            && !line.contains(['*', '`', '[', '<', '\\', '_'])
        {
            paragraphs.push(line.to_owned());
        }
    }
    (headings, paragraphs)
}

/// The text of every `<tag …>…</tag>` of the html, unescaped.
fn html_texts(html: &str, tags: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for tag in tags {
        for piece in html.split(&format!("<{tag}")).skip(1) {
            let Some((_, rest)) = piece.split_once('>') else {
                continue;
            };
            let Some((inner, _)) = rest.split_once(&format!("</{tag}>")) else {
                continue;
            };
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            out.insert(text);
        }
    }
    out
}

#[test]
fn the_word_document_is_laid_out_as_an_official_document() {
    let w = two_years();
    w.write("templates/report.md.j2", EVERYTHING.as_bytes());
    let run = w.run(&["2015", "--templates", "templates", "--as-of", "2016-03-18"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = Docx::open(&w.output().join("2015/report.docx"));
    let styles = docx.part("word/styles.xml");

    // Named styles with outline levels, East Asian fonts on every style.
    let style = |id: &str| -> String {
        let start = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("style {id}"));
        let end = start + styles[start..].find("</w:style>").unwrap();
        styles[start..end].to_owned()
    };
    for (id, level, font) in [
        ("Heading1", 0, "黑体"),
        ("Heading2", 1, "楷体"),
        ("Heading3", 2, "仿宋"),
    ] {
        let s = style(id);
        assert!(s.contains(&format!(r#"<w:outlineLvl w:val="{level}"/>"#)), "{s}");
        assert!(
            s.contains(&format!(r#"w:eastAsia="{font}""#)) && s.contains(r#"<w:sz w:val="32"/>"#),
            "{s}"
        );
    }
    assert!(style("Heading3").contains("<w:b/>"), "三级 is bold");
    let title = style("Title");
    assert!(title.contains(r#"w:eastAsia="方正小标宋简体""#) && title.contains(r#"<w:sz w:val="44"/>"#));
    assert!(title.contains(r#"<w:b w:val="0"/>"#) && title.contains(r#"<w:jc w:val="center"/>"#));
    let normal = style("Normal");
    assert!(normal.contains(r#"w:line="560" w:lineRule="exact""#), "{normal}");
    assert!(normal.contains(r#"w:firstLineChars="200""#) && normal.contains(r#"w:eastAsia="仿宋""#));
    assert!(
        style("TableText").contains(r#"w:lineRule="auto""#),
        "tables at single spacing"
    );
    let every_style: Vec<&str> = styles.split("<w:style ").skip(1).collect();
    assert!(every_style.len() >= 10);
    for s in every_style {
        assert!(
            s.contains("<w:rFonts ") && s.contains(" w:eastAsia=\""),
            "no East Asian font: {s}"
        );
    }
    let fonts = docx.part("word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#));

    // The heading paragraphs use those styles; the title block is centred.
    let paras = docx.paragraphs();
    let styled = |style: &str| -> Vec<String> {
        paras
            .iter()
            .filter(|p| p.style == style)
            .map(|p| p.text.clone())
            .collect()
    };
    assert_eq!(styled("Title"), ["测试工作报告"]);
    assert_eq!(styled("Subtitle"), ["测试工委", "（2016年3月18日）"]);
    assert_eq!(styled("Heading1"), ["一、总体情况", "附件：报表报送情况"]);
    assert_eq!(styled("Heading2"), ["（一）分项"]);
    assert_eq!(styled("Heading3"), ["1.细项"]);
    let body = paras.iter().find(|p| p.text.starts_with("正文第一段")).unwrap();
    assert_eq!(body.style, "Normal");
    assert!(
        body.text.contains("<b>内联HTML</b>") && body.text.ends_with("，链接。"),
        "{}",
        body.text
    );
    let rels = docx.part("word/_rels/document.xml.rels");
    assert!(
        rels.contains(r#"Target="https://example.cn/%E8%B7%AF%E5%BE%84%20a" TargetMode="External""#),
        "a link Word accepts: {rels}"
    );
    assert_eq!(styled("List"), ["1. 第一项", "2. 第二项", "• 甲项", "• 乙项"]);

    // A page break before the annex, and only there.
    let breaks: Vec<&str> = paras
        .iter()
        .filter(|p| p.page_break_before)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(breaks, ["附件：报表报送情况"]);

    // Page numbers "— 1 —" from a PAGE field; A4 and GB/T 9704 margins.
    let document = docx.part("word/document.xml");
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(document.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(document.contains(r#"<w:footerReference w:type="default""#));
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        let f = docx.part(footer);
        assert!(
            f.contains(r#"<w:fldChar w:fldCharType="begin"/>"#) && f.contains("> PAGE <"),
            "{f}"
        );
        assert!(f.contains(">— <") && f.contains("> —<") && f.contains(r#"<w:pStyle w:val="Footer"/>"#));
    }
    assert!(style("Footer").contains(r#"w:eastAsia="宋体""#) && style("Footer").contains(r#"<w:sz w:val="28"/>"#));
    assert!(docx.part("word/settings.xml").contains("<w:evenAndOddHeaders/>"));

    // The annex table: fitted to the text width, header repeated, rows whole.
    let table = &document[document.find("<w:tbl>").unwrap()..document.find("</w:tbl>").unwrap()];
    let grid: u32 = table
        .split(r#"<w:gridCol w:w=""#)
        .skip(1)
        .map(|g| g.split('"').next().unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(grid, 11906 - 1587 - 1474, "the columns fill the 156 mm of text");
    let rows = table.matches("<w:tr>").count();
    assert_eq!(rows, 61);
    assert_eq!(table.matches("<w:tblHeader/>").count(), 1, "the header row repeats");
    assert_eq!(
        table.matches("<w:cantSplit/>").count(),
        rows,
        "no row splits across pages"
    );
    assert!(table.contains(r#"<w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">1,234.5万元"#));

    // Figures: every chart, numbered, described, with unique drawing ids.
    let md = w.read_output("2015/report.md");
    let alts: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![")?.split_once("](").map(|(alt, _)| alt))
        .collect();
    assert!(alts.len() >= 3, "{md}");
    let ids: Vec<&str> = document
        .split("<wp:docPr id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let expected: Vec<String> = (1..=alts.len()).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected, "drawing ids 1..n");
    let captions = styled("Caption");
    for (i, alt) in alts.iter().enumerate() {
        assert!(
            document.contains(&format!(r#"descr="{alt}""#)),
            "{alt} as the image's description"
        );
        let numbered = if is_numbered(alt) {
            alt.to_string()
        } else {
            format!("图{} {alt}", i + 1)
        };
        assert_eq!(captions[i], numbered);
    }

    // Document properties from report.toml and --as-of.
    let core = docx.part("docProps/core.xml");
    assert!(core.contains("<dc:title>测试工作报告</dc:title>") && core.contains("<dc:creator>测试工委</dc:creator>"));
    assert!(core.contains(r#"<dcterms:created xsi:type="dcterms:W3CDTF">2016-03-18T00:00:00Z</dcterms:created>"#));
    for (name, xml) in &docx.0 {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(name, xml);
        }
    }
}

#[test]
fn without_as_of_the_date_comes_from_the_data_and_reruns_are_identical() {
    let w = two_years();
    assert_eq!(w.run(&["2015"]).code, 0);
    let first = std::fs::read(w.output().join("2015/report.docx")).unwrap();
    let html = std::fs::read(w.output().join("2015/report.html")).unwrap();
    assert_eq!(w.run(&["2015"]).code, 0);
    assert_eq!(std::fs::read(w.output().join("2015/report.docx")).unwrap(), first);
    assert_eq!(std::fs::read(w.output().join("2015/report.html")).unwrap(), html);
    let core = Docx::open(&w.output().join("2015/report.docx"));
    let core = core.part("docProps/core.xml");
    assert!(
        core.contains(">2016-01-21T00:00:00Z</dcterms:created>"),
        "the latest 填报日期 counted, never the clock: {core}"
    );
}

#[test]
fn html_and_docx_carry_the_markdowns_headings_paragraphs_figures_and_tables() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(assert_same_content(&w, "2015/report") > 0, "the report has figures");
    let run = w.run(&["snapshot", "2015-09"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_same_content(&w, "2015-09/snapshot");
}

/// md, html and docx of `stem` say the same; returns the number of figures.
fn assert_same_content(w: &Workdir, stem: &str) -> usize {
    let md = w.read_output(&format!("{stem}.md"));
    let html = w.read_output(&format!("{stem}.html"));
    let docx = Docx::open(&w.output().join(format!("{stem}.docx")));
    let paras = docx.paragraphs();
    let (headings, texts) = markdown_texts(&md);
    assert!(headings.len() >= 3 && texts.len() >= 2, "{md}");

    let docx_headings: Vec<String> = paras
        .iter()
        .filter(|p| p.style == "Title" || p.style.starts_with("Heading"))
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(docx_headings, headings);
    let html_headings = html_texts(&html, &["h1", "h2", "h3", "h4", "h5", "h6"]);
    assert_eq!(html_headings, headings.iter().cloned().collect::<BTreeSet<_>>());

    let docx_texts: BTreeSet<String> = paras.iter().map(|p| p.text.clone()).collect();
    let html_paragraphs = html_texts(&html, &["p"]);
    for text in &texts {
        assert!(docx_texts.contains(text), "{text} missing from {stem}.docx");
        assert!(html_paragraphs.contains(text), "{text} missing from {stem}.html");
    }
    // Every figure of the Markdown, by its caption, in both.
    let alts: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![")?.split_once("](").map(|(alt, _)| alt))
        .collect();
    let captions = html_texts(&html, &["figcaption"]);
    for (i, alt) in alts.iter().enumerate() {
        let caption = if is_numbered(alt) {
            alt.to_string()
        } else {
            format!("图{} {alt}", i + 1)
        };
        assert!(docx_texts.contains(&caption), "{caption} missing from {stem}.docx");
        assert!(captions.contains(&caption), "{caption} missing from {stem}.html");
    }
    assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), alts.len());
    // Every table row; a 项目 repeated down the rows is one group row above them.
    let rows = md.lines().filter(|l| l.starts_with('|') && !l.contains("---")).count();
    let document = docx.part("word/document.xml");
    let groups = document.matches("<w:gridSpan ").count();
    assert_eq!(
        document.matches("<w:tr>").count(),
        rows + groups,
        "table rows in {stem}.docx"
    );
    assert_eq!(html.matches("<tr>").count(), rows, "table rows in {stem}.html");
    assert_eq!(
        html.matches("<tr class=\"group\">").count(),
        groups,
        "group rows in {stem}.html"
    );
    // The figures link to their sources in the html only.
    for text in docx_texts.iter().chain(&texts) {
        assert!(
            !text.contains("](#") && !text.contains("<a "),
            "link syntax in {stem}: {text}"
        );
    }
    alts.len()
}

/// Each figure of the review leads, in report.html, to its row of the
/// annex's table of sources — the units behind it, largest first, with
/// their share — as a link with that row as its tooltip. report.md and the
/// Word document print the figure alone; the table is in all three.
#[test]
fn in_the_html_each_figure_carries_the_units_it_comes_from() {
    let w = two_years();
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = w.read_output("2015/report.html");
    let md = w.read_output("2015/report.md");
    let funds = "最多的5个单位（占比）：测试一单位工会 32.81万元（60.8%）、测试二单位工会 21.19万元（39.2%）";
    let link = format!(
        "<a class=\"source\" href=\"#m-fitness.funds\" title=\"项目：送健身器材&#10;指标：投入资金&#10;2015年：54万元&#10;填报单位：2&#10;{funds}\">54万元</a>"
    );
    assert!(html.contains(&link), "{html}");
    assert!(
        html.contains("<td><a id=\"m-fitness.funds\"></a>投入资金</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>测试一单位工会 32.81万元（60.8%）<br>测试二单位工会 21.19万元（39.2%）</td>"),
        "{html}"
    );
    // The review names the figure as report.md does; the md carries no links.
    assert!(!md.contains("](#") && !md.contains("<a id"), "{md}");
    assert!(md.contains("### 3、各项数字的来源（前5个单位）"), "{md}");
    assert!(
        md.contains("| 送健身器材 | 投入资金 | 54万元 | 2 | 测试一单位工会 32.81万元（60.8%）<br>测试二单位工会 21.19万元（39.2%） |"),
        "{md}"
    );
    let docx = Docx::open(&w.output().join("2015/report.docx"));
    let text: String = docx.paragraphs().iter().map(|p| p.text.as_str()).collect();
    assert!(text.contains("投入资金54万元") && !text.contains("](#"), "{text}");
    let document = docx.part("word/document.xml");
    assert!(
        !document.contains("#m-") && !docx.part("word/_rels/document.xml.rels").contains("#m-"),
        "no link into the document in Word"
    );
    assert!(
        !document.contains(r#"<w:rStyle w:val="Hyperlink"/>"#),
        "a figure is not styled as a link on paper"
    );
    // A unit with nothing to count is in no tooltip; a metric nobody reported has no row.
    assert!(!html.contains("测试三单位工会 "), "{html}");
    assert!(!md.contains("| 会员 | 在册会员 | 0"), "{md}");
}

/// The annex's table of all figures, nine columns wide, fits A4 portrait:
/// 五号, the repeated 项目 as group rows, every figure on one line, headers
/// broken between words.
#[test]
fn a_wide_table_fits_the_page_with_figures_whole_and_headers_broken_between_words() {
    let w = two_years();
    // A unit new this year: the comparable basis differs, so its columns show.
    w.form(
        "2015/u004.xlsx",
        &Form::new("u004").row("fitness.funds", &[("5月", V::N(1234.56))]),
    );
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = w.read_output("2015/report.md");
    assert!(
        md.contains("| 项目 | 指标 | 计量单位 | 2015年 | 2014年 | 可比口径2015年 | 可比口径2014年 | 同比 | 填报单位 |"),
        "{md}"
    );
    let docx = Docx::open(&w.output().join("2015/report.docx"));
    let document = docx.part("word/document.xml");
    let start = document.find("<w:tbl>").unwrap();
    let table = &document[start..start + document[start..].find("</w:tbl>").unwrap()];
    let grid: Vec<u32> = table
        .split(r#"<w:gridCol w:w=""#)
        .skip(1)
        .map(|g| g.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(grid.len(), 8, "项目 became group rows: {grid:?}");
    assert_eq!(grid.iter().sum::<u32>(), 11906 - 1587 - 1474);
    // 小四, or 五号 where 小四 would make the table much taller.
    let em = match table.contains(r#"<w:pStyle w:val="TableTextSmall"/>"#) {
        true => 210,
        false => 240,
    };
    // Headers break between words: "可比口径 / 2015年", never "可比口径2 / 015年".
    let header = &table[..table.find("</w:tr>").unwrap()];
    let cells: Vec<Vec<String>> = header
        .split("<w:tc>")
        .skip(1)
        .map(|c| &c[..c.find("</w:tc>").unwrap()])
        .map(|c| {
            paragraphs(c)
                .iter()
                .flat_map(|p| p.text.split('\n').map(str::to_owned).collect::<Vec<_>>())
                .collect()
        })
        .collect();
    let comparable = cells
        .iter()
        .find(|c| c.concat() == "可比口径2015年")
        .expect("the header");
    assert!(
        [vec!["可比口径2015年"], vec!["可比口径", "2015年"]].contains(&comparable.iter().map(String::as_str).collect()),
        "{cells:?}"
    );
    // Group rows: the 项目 once, across the table, shaded.
    let group = r#"<w:gridSpan w:val="8"/><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>"#;
    assert_eq!(table.matches(group).count(), 2, "送健身器材 and 会员");
    let styles = docx.part("word/styles.xml");
    // 五号 is a named style too (the sample's annex, with longer names, uses it).
    let small = &styles[styles.find(r#"w:styleId="TableTextSmall""#).unwrap()..];
    let small = &small[..small.find("</w:style>").unwrap()];
    assert!(
        small.contains(r#"<w:sz w:val="21"/>"#) && small.contains(r#"w:eastAsia="仿宋""#),
        "{small}"
    );
    // Every figure fits its column on one line: 0.65 em a digit, a Chinese
    // character 1 em, 1 mm margins.
    let rows: Vec<Vec<&str>> = md
        .split("### 2、指标汇总")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("###"))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 项目"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert!(!rows.is_empty());
    for row in rows {
        for (cell, width) in row[3..].iter().zip(&grid[2..]) {
            let need: u32 = cell
                .chars()
                .map(|c| if c.is_ascii() { em * 65 / 100 } else { em })
                .sum::<u32>()
                + 114;
            assert!(
                need <= *width,
                "{cell} needs {need} twips, its column is {width}: {grid:?}"
            );
        }
    }
}

/// An alt text already numbered "图3 …" is the caption as it stands.
fn is_numbered(alt: &str) -> bool {
    alt.strip_prefix('图')
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_ascii_digit())
}

#[test]
fn a_control_character_or_markup_in_a_name_still_gives_a_readable_docx() {
    let w = two_years();
    let name = "测试三\u{b}单位\u{1}工会 <b>粗</b> ]]> & \"引号\"";
    w.write(
        "input/units.csv",
        format!("单位代码,单位名称\nu001,测试一单位工会\nu002,测试二单位工会\nu003,{name}\nu004,四\u{7}工会\n")
            .as_bytes(),
    );
    let run = w.run(&["2015"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The Markdown's escaping already turned the control characters of the
    // names into spaces; a template's own control character is removed from
    // the docx with a note.
    let md = w.read_output("2015/report.md");
    assert!(md.contains("测试三 单位 工会") && !md.contains('\u{b}'), "{md}");
    let path = w.output().join("2015/report.docx");
    let docx = Docx::open(&path);
    for (part, xml) in &docx.0 {
        if part.ends_with(".xml") || part.ends_with(".rels") {
            assert_well_formed(part, xml);
        }
    }
    let text: String = docx.paragraphs().iter().map(|p| p.text.as_str()).collect();
    assert!(text.contains("测试三 单位 工会 <b>粗</b> ]]> & \"引号\""), "{text}");
    assert!(text.contains("四 工会"), "{text}");
    let html = w.read_output("2015/report.html");
    assert!(
        !html.contains('\u{b}') && !html.contains("<b>粗"),
        "escaped and cleaned"
    );
    assert_converts_with_libreoffice(&[path]);

    w.write(
        "templates/report.md.j2",
        "# 报告\n\n正文\u{b}有控制字符\u{1}。\n".as_bytes(),
    );
    let run = w.run(&["2015", "--templates", "templates"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("U+0001") && run.stderr.contains("U+000B"),
        "{}",
        run.stderr
    );
    let docx = Docx::open(&w.output().join("2015/report.docx"));
    let text: String = docx.paragraphs().iter().map(|p| p.text.as_str()).collect();
    assert!(text.contains("正文有控制字符。"), "{text}");
}

#[test]
fn libreoffice_converts_the_word_documents_to_pdf() {
    let w = two_years();
    w.write("templates/report.md.j2", EVERYTHING.as_bytes());
    assert_eq!(w.run(&["2015", "--templates", "templates"]).code, 0);
    let plain = two_years();
    assert_eq!(plain.run(&["2015"]).code, 0);
    assert_converts_with_libreoffice(&[
        w.output().join("2015/report.docx"),
        plain.output().join("2015/report.docx"),
    ]);
}

/// `soffice --headless --convert-to pdf` must succeed for every file. Where
/// LibreOffice is missing this fails on CI (CI=true) and is skipped, with a
/// word, elsewhere.
fn assert_converts_with_libreoffice(docs: &[PathBuf]) {
    let soffice = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("soffice"))
            .find(|p| p.is_file())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "LibreOffice (soffice) is not installed: CI must convert report.docx to PDF"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed, report.docx not converted to PDF");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    // Each under a name of its own (they are all report.docx).
    let copies: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let copy = out.path().join(format!("doc{i}.docx"));
            std::fs::copy(doc, &copy).unwrap();
            copy
        })
        .collect();
    // A profile of its own: parallel tests must not share LibreOffice's lock.
    let profile = format!("-env:UserInstallation=file://{}/profile", out.path().display());
    let run = std::process::Command::new(soffice)
        .arg(profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .args(&copies)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for copy in &copies {
        let pdf = copy.with_extension("pdf");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{} not converted: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "{}", pdf.display());
    }
}
