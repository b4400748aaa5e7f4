//! receipts/: one 回执 per unit that sent something, with every counted
//! figure and every problem's cell; index.csv lists every unit.

use annual_report::digest::sha256_file;
use calamine::{Data, Reader};

use crate::harness::{receipt_rows, Form, Workdir, V};

/// The test catalogue with the office's contact, which receipts print.
fn with_office(w: &Workdir) {
    w.write(
        "input/report.toml",
        format!(
            "{}\n[office]\ncontact = \"工委办公室 王老师\"\nphone = \"024-12345678\"\n",
            crate::harness::CATALOGUE
        )
        .as_bytes(),
    );
}

#[test]
fn every_unit_that_sent_something_gets_a_receipt_with_its_figures_and_problems() {
    let w = Workdir::new();
    with_office(&w);
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .row("fitness.items", &[("3月", V::N(7.0)), ("9月", V::N(5.0))])
            .row("fitness.funds", &[("全年", V::N(12.5))]),
    );
    // u002 has an error (text in a number cell): 待更正, its receipt names the cell.
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.items", &[("4月", V::T("约300"))]),
    );
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let dir = w.output().join("2015/receipts");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "index.csv",
            "u001-测试一单位工会-回执.xlsx",
            "u002-测试二单位工会-回执.xlsx"
        ]
    );

    let text_of = |name: &str| receipt_rows(&dir.join(name));
    let u001 = text_of("u001-测试一单位工会-回执.xlsx");
    let row = |label: &str| u001.iter().find(|r| r.contains(label)).cloned().unwrap_or_default();
    assert!(
        row("健身器材").contains("|7|") && row("健身器材").ends_with("|12"),
        "{u001:#?}"
    );
    assert!(row("投入资金").ends_with("|12.5"), "{u001:#?}");
    assert!(row("状态").contains("已计入"), "{u001:#?}");
    assert!(row("计入的文件").contains("2015/u001.xlsx"), "{u001:#?}");
    assert!(
        u001.iter()
            .any(|r| r.contains("工委办公室 王老师") && r.contains("024-12345678")),
        "{u001:#?}"
    );

    let u002 = text_of("u002-测试二单位工会-回执.xlsx");
    assert!(u002.iter().any(|r| r.contains("待更正")), "{u002:#?}");
    assert!(
        u002.iter()
            .any(|r| r.contains("错误") && r.contains("数据!") && r.contains("约300")),
        "{u002:#?}"
    );

    let index = w.csv_rows("2015/receipts/index.csv");
    let status: Vec<(&str, &str)> = index
        .iter()
        .map(|r| (r["unit_code"].as_str(), r["status"].as_str()))
        .collect();
    assert_eq!(
        status,
        [("u001", "已报"), ("u002", "待更正"), ("u003", "未报"), ("u004", "未报")]
    );
    assert_eq!(index[1]["errors"], "1");
    assert_eq!(index[0]["填报人"], "张三");

    // validate writes the receipts too, and only the current ones.
    std::fs::remove_file(w.input().join("2015/u002.xlsx")).unwrap();
    let run = w.run(&["validate", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(dir.join("u001-测试一单位工会-回执.xlsx").is_file());
    assert!(
        !dir.join("u002-测试二单位工会-回执.xlsx").exists(),
        "a withdrawn unit's receipt goes"
    );
}

/// A unit that sent a correction: its receipt counts the later file and
/// names the one it superseded; a unit that sent one file names none.
#[test]
fn a_receipt_names_the_files_its_unit_superseded() {
    let w = Workdir::new();
    let first = Form::new("u001").row("fitness.items", &[("3月", V::N(7.0))]);
    w.form("2015/u001.xlsx", &first);
    w.form(
        "2015/u001-更正.xlsx",
        &first.clone().set("填报日期", Some(V::Date(2016, 1, 20))),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.items", &[("4月", V::N(3.0))]),
    );
    let run = w.run(&["report", "2015", "--quiet"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let dir = w.output().join("2015/receipts");
    // The value beside a label: the merged cell right of it.
    let value = |rows: &[String], label: &str| -> String {
        let row = rows.iter().find(|r| r.starts_with(label)).cloned().unwrap_or_default();
        row.split('|').nth(1).unwrap_or_default().to_owned()
    };

    let u001 = receipt_rows(&dir.join("u001-测试一单位工会-回执.xlsx"));
    assert_eq!(value(&u001, "计入的文件"), "2015/u001-更正.xlsx", "{u001:#?}");
    assert_eq!(value(&u001, "被取代的文件"), "2015/u001.xlsx", "{u001:#?}");
    let u002 = receipt_rows(&dir.join("u002-测试二单位工会-回执.xlsx"));
    assert_eq!(value(&u002, "被取代的文件"), "无", "{u002:#?}");
}

/// A receipt's cells as calamine reads them: text as it is, numbers as
/// `#value`, empty cells as nothing; cells joined by `|`.
fn typed_rows(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("#{f}"),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("a receipt holds text and numbers only: {other:?}"),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

type Receipt = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

/// Three units — u001 with figures, u002 with an error, a warning and a
/// name and filer full of markup and control characters, u003 late — and
/// the office's contact line.
fn three_units() -> Workdir {
    let w = Workdir::new();
    with_office(&w);
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,测试一单位工会\nu002,\"乙<&\"\"单位\"\"\u{7}工会\"\nu003,测试三单位工会\n".as_bytes(),
    );
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .row("fitness.items", &[("3月", V::N(7.0)), ("9月", V::N(5.0))])
            .row("fitness.funds", &[("2月", V::N(1.25)), ("9月", V::N(11.25))])
            .row("members.count", &[("3月", V::N(100.0)), ("9月", V::N(120.0))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002")
            .set("单位名称", Some(V::T("乙单位")))
            .set("填报人", Some(V::T("李\u{1}四 <b>&amp;")))
            .row("fitness.items", &[("4月", V::T("约300")), ("5月", V::N(2.0))]),
    );
    w.form(
        "2015/u003.xlsx",
        &Form::new("u003")
            .set("截至月份", Some(V::N(9.0)))
            .row("fitness.items", &[("9月", V::N(3.0))]),
    );
    let run = w.run(&["report", "2015", "--quiet"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    w
}

fn open_receipt(w: &Workdir, name: &str) -> Receipt {
    calamine::open_workbook(w.output().join("2015/receipts").join(name)).unwrap()
}

/// How a cell looks, in words: font, size, bold, colour, fill, box,
/// alignment, number format.
fn look(styles: &calamine::StyleRange, (row, col): (u32, u32)) -> String {
    let Some(style) = styles.get((row, col)) else {
        return "default".into();
    };
    let hex = |c: &calamine::Color| format!("{:02X}{:02X}{:02X}", c.red, c.green, c.blue);
    let mut words = Vec::new();
    if let Some(font) = &style.font {
        words.push(format!(
            "{} {}",
            font.name.as_deref().unwrap_or("?"),
            font.size.unwrap_or(0.0)
        ));
        if font.is_bold() {
            words.push("bold".into());
        }
        if let Some(color) = font.color.as_ref().filter(|c| hex(c) != "000000") {
            words.push(hex(color));
        }
    }
    if let Some(color) = style.fill.as_ref().and_then(|f| f.foreground_color.as_ref()) {
        words.push(format!("on {}", hex(color)));
    }
    if let Some(borders) = &style.borders {
        let sides = [&borders.left, &borders.right, &borders.top, &borders.bottom];
        if sides.iter().all(|b| format!("{:?}", b.style) == "Thin") {
            words.push("boxed".into());
        }
    }
    if let Some(a) = &style.alignment {
        let (h, v) = (format!("{:?}", a.horizontal), format!("{:?}", a.vertical));
        if h != "General" {
            words.push(h.to_lowercase());
        }
        if v != "Bottom" {
            words.push(format!("v-{}", v.to_lowercase()));
        }
        if a.wrap_text {
            words.push("wrapped".into());
        }
    }
    if let Some(format) = style.number_format.as_ref().filter(|f| f.format_code != "General") {
        words.push(format!("as {}", format.format_code));
    }
    words.join(" ")
}

/// The receipts of a unit with figures, one with an error and a warning,
/// and a late one read back cell by cell: text as text, figures as
/// numbers in their formats, the merged ranges, the looks of each part,
/// and the document properties (dated by the data).
#[test]
fn receipts_read_back_with_their_cells_merges_and_looks() {
    let w = three_units();
    let mut book = open_receipt(&w, "u001-测试一单位工会-回执.xlsx");
    assert_eq!(book.sheet_names(), ["回执"]);
    let range = book.worksheet_range("回执").unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    let blank = "|".repeat(15);
    let label = |l: &str, v: &str| format!("{l}|{v}{}", "|".repeat(14));
    let contact = format!("如有疑问，请联系工委办公室 王老师，电话 024-12345678。{blank}");
    assert_eq!(
        typed_rows(&range),
        [
            format!("测试工委2015年度报表回执{blank}"),
            blank.clone(),
            label("单位", "u001 测试一单位工会"),
            label("报送期间", "2015年度"),
            label("状态", "已计入"),
            label("计入的文件", "2015/u001.xlsx"),
            label("填报日期", "2016-01-10"),
            label(
                "文件校验码",
                &sha256_file(&w.input().join("2015/u001.xlsx")).unwrap()[..12]
            ),
            label("被取代的文件", "无"),
            label("填报人 / 联系电话", "张三 024-86000000"),
            blank.clone(),
            label("需要处理的问题", "没有需要更正的问题。"),
            blank.clone(),
            format!("计入的数字{blank}"),
            "项目|指标|单位|1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月|全年".into(),
            "送健身器材|健身器材|件|||#7||||||#5||||#12".into(),
            "送健身器材|投入资金|万元||#1.25|||||||#11.25||||#12.5".into(),
            "会员|在册会员|人|||#100||||||#120||||#120".into(),
            blank.clone(),
            contact.clone(),
        ]
    );
    let merged: Vec<String> = book
        .merge_cells_by_sheet_name("回执")
        .unwrap()
        .iter()
        .map(|d| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    let mut want = vec!["(0, 0)-(0, 15)".to_owned()];
    want.extend([2, 3, 4, 5, 6, 7, 8, 9, 11].map(|r| format!("({r}, 1)-({r}, 15)")));
    want.push("(19, 0)-(19, 15)".into());
    assert_eq!(merged, want);

    let styles = book.worksheet_style("回执").unwrap();
    let text = "宋体 10.5 boxed v-center wrapped";
    for (cell, want) in [
        ((0, 0), "宋体 16 bold center"),
        ((0, 15), "宋体 16 bold center"),
        ((2, 0), "宋体 10.5 bold on F2F2F2 boxed"),
        ((2, 1), text),
        ((2, 15), text),
        ((14, 0), "宋体 10.5 bold on D9E2F3 boxed center"),
        ((14, 15), "宋体 10.5 bold on D9E2F3 boxed center"),
        ((15, 0), text),
        ((15, 3), text),
        ((15, 5), "宋体 10.5 boxed as 0"),
        ((15, 15), "宋体 10.5 boxed as 0"),
        ((16, 4), "宋体 10.5 boxed as 0.00"),
        ((16, 15), "宋体 10.5 boxed as 0.00"),
        ((19, 0), "宋体 11"),
        ((1, 0), "Calibri 11"),
    ] {
        assert_eq!(look(&styles, cell), want, "{cell:?}");
    }
    let properties = book.workbook_properties().unwrap();
    assert_eq!(properties.title.as_deref(), Some("测试一单位工会回执"));
    assert_eq!(properties.creator.as_deref(), Some("测试工委"));
    assert_eq!(properties.created.as_deref(), Some("2016-01-10T00:00:00Z"));

    let mut book = open_receipt(&w, "u002-乙_&_单位__工会-回执.xlsx");
    let rows = typed_rows(&book.worksheet_range("回执").unwrap());
    assert_eq!(
        rows[4],
        label(
            "状态",
            "待更正：报表有错误，本次未计入，请改正后重新报送（填报日期写更正当天）"
        )
    );
    assert_eq!(rows[11], format!("需要处理的问题{blank}"));
    assert_eq!(rows[12], format!("类别|位置|说明{}", "|".repeat(13)));
    let at = |kind: &str| {
        rows.iter()
            .position(|r| r.starts_with(kind))
            .unwrap_or_else(|| panic!("{rows:#?}")) as u32
    };
    let (error, warning) = (at("错误（须改正）|"), at("警告（请核实）|"));
    assert!(
        rows[error as usize].starts_with("错误（须改正）|数据!H4|健身器材（件）4月（数据!H4）：“约300”不是数字"),
        "{rows:#?}"
    );
    assert!(
        rows[warning as usize].starts_with("警告（请核实）|基本信息!B2|"),
        "{rows:#?}"
    );
    assert_eq!(rows.last(), Some(&contact));
    assert!(rows.contains(&format!("读到的数字（本次未计入）{blank}")), "{rows:#?}");
    assert!(
        rows.contains(&"送健身器材|健身器材|件|||||#2||||||||#2".to_owned()),
        "{rows:#?}"
    );
    let styles = book.worksheet_style("回执").unwrap();
    let red = "宋体 10.5 C00000 boxed wrapped";
    for (row, col, want) in [
        (error, 0, red),
        (error, 1, text),
        (error, 2, red),
        (error, 15, red),
        (warning, 0, text),
        (warning, 15, text),
    ] {
        assert_eq!(look(&styles, (row, col)), want, "{row}, {col}");
    }
    let merged = book.merge_cells_by_sheet_name("回执").unwrap();
    for row in [error, warning] {
        assert!(
            merged.iter().any(|d| d.start == (row, 2) && d.end == (row, 15)),
            "{merged:?}"
        );
    }

    let mut book = open_receipt(&w, "u003-测试三单位工会-回执.xlsx");
    let rows = typed_rows(&book.worksheet_range("回执").unwrap());
    assert_eq!(rows[4], label("状态", "已计入，但只填报到9月（逾期）"));
    assert_eq!(rows[15], "送健身器材|健身器材|件|||||||||#3||||#3");
}

/// Unit names, filers and file names come from users: markup and control
/// characters come back from the receipt as they were written.
#[test]
fn markup_and_control_characters_survive_a_receipt() {
    let w = three_units();
    let mut book = open_receipt(&w, "u002-乙_&_单位__工会-回执.xlsx");
    let range = book.worksheet_range("回执").unwrap();
    assert_eq!(
        range.get_value((2, 1)),
        Some(&Data::String("u002 乙<&\"单位\"\u{7}工会".into()))
    );
    assert_eq!(
        range.get_value((9, 1)),
        Some(&Data::String("李\u{1}四 <b>&amp; 024-86000000".into()))
    );
    // In the document properties a control character is written as Excel
    // writes it there, `_x0007_`.
    let title = book.workbook_properties().unwrap().title;
    assert_eq!(title.as_deref(), Some("乙<&\"单位\"_x0007_工会回执"));
}

/// LibreOffice opens a receipt: it prints it to PDF, and saved again as
/// .xlsx by LibreOffice it holds the same cells.
#[test]
fn libreoffice_opens_a_receipt() {
    let Some(soffice) = crate::harness::soffice() else {
        return;
    };
    let w = three_units();
    let name = "u002-乙_&_单位__工会-回执.xlsx";
    let bytes = std::fs::read(w.output().join("2015/receipts").join(name)).unwrap();
    let pdf = crate::harness::saved_by_libreoffice(&soffice, &bytes, "receipt.xlsx", "pdf");
    assert!(pdf.starts_with(b"%PDF") && pdf.len() > 10_000, "{} bytes", pdf.len());
    let saved = crate::harness::saved_by_libreoffice(&soffice, &bytes, "receipt.xlsx", "xlsx");
    let mut again: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(saved)).unwrap();
    let mut ours = open_receipt(&w, name);
    assert_eq!(
        typed_rows(&again.worksheet_range("回执").unwrap()),
        typed_rows(&ours.worksheet_range("回执").unwrap())
    );
}
