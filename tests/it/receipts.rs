//! receipts/: one 回执 per unit that sent something, with every counted
//! figure and every problem's cell; index.csv lists every unit.

use std::path::Path;

use calamine::{Data, Reader};

use crate::harness::{Form, Workdir, V};

/// The rows of a receipt's sheet, cells joined by `|`.
fn receipt_rows(path: &Path) -> Vec<String> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("回执").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

#[test]
fn every_unit_that_sent_something_gets_a_receipt_with_its_figures_and_problems() {
    let w = Workdir::new();
    w.write(
        "input/report.toml",
        format!(
            "{}\n[office]\ncontact = \"工委办公室 王老师\"\nphone = \"024-12345678\"\n",
            crate::harness::CATALOGUE
        )
        .as_bytes(),
    );
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
