//! Blank unit forms: one per unit, safe names, they open, and a form filled
//! by another program reads back exactly.

use std::io::{Read, Write};
use std::path::Path;

use annual_report::validate::Status;
use calamine::{Data, Reader};

use crate::harness::Workdir;

fn forms_of(w: &Workdir) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(w.output().join("forms/2016"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != annual_report::output::MARKER)
        .collect();
    v.sort();
    v
}

#[test]
fn one_form_per_registered_unit_with_safe_names() {
    let w = Workdir::new();
    w.write(
        "input/units.csv",
        "单位代码,单位名称\nu001,测试一单位工会\nu002,省直/机关:工会*\nCON,保留名\n".as_bytes(),
    );
    let run = w.run(&["forms", "2016"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        forms_of(&w),
        [
            "CON-保留名.xlsx",
            "u001-测试一单位工会.xlsx",
            "u002-省直_机关_工会_.xlsx"
        ]
    );

    let run = w.run(&["forms", "2016", "--unit", "u009"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("u009") && run.stderr.contains("名册"),
        "{}",
        run.stderr
    );

    std::fs::remove_dir_all(w.output()).unwrap();
    assert_eq!(w.run(&["forms", "2016", "--unit", "u001"]).code, 0);
    assert_eq!(forms_of(&w), ["u001-测试一单位工会.xlsx"]);
}

#[test]
fn every_form_opens_and_carries_cached_formula_values() {
    let w = Workdir::new();
    assert_eq!(w.run(&["forms", "2016"]).code, 0);
    for name in forms_of(&w) {
        let mut book = calamine::open_workbook_auto(w.output().join("forms/2016").join(&name)).unwrap();
        assert_eq!(book.sheet_names(), ["填报说明", "基本信息", "数据"], "{name}");
        let info = book.worksheet_range("基本信息").unwrap();
        assert_eq!(info.get_value((2, 1)), Some(&Data::Float(2016.0)), "年度 filled in");
        let data = book.worksheet_range("数据").unwrap();
        let formulas = book.worksheet_formula("数据").unwrap();
        // 全年 (column Q) of the first metric row: a formula whose cached
        // result is the empty string Excel would show, not a missing value.
        assert!(
            formulas.get_value((4, 16)).is_some_and(|f| f.contains("SUM(E5:P5)")),
            "{name}"
        );
        assert_eq!(data.get_value((4, 16)), Some(&Data::String(String::new())), "{name}");
    }
}

#[test]
fn forms_are_protected_with_input_cells_open_and_validated() {
    let w = Workdir::new();
    w.run(&["forms", "2016", "--unit", "u001"]);
    let path = w.output().join("forms/2016/u001-测试一单位工会.xlsx");
    let info = zip_text(&path, "xl/worksheets/sheet2.xml");
    let data = zip_text(&path, "xl/worksheets/sheet3.xml");
    for xml in [&info, &data] {
        assert!(xml.contains("<sheetProtection"), "protected");
        assert!(!xml.contains("password="), "no password to lift it");
        assert!(xml.contains("<dataValidation"), "validated input cells");
    }
    assert!(
        info.contains(r#"type="whole""#) && info.contains(r#"type="date""#),
        "month 1–12 and a date"
    );
    assert!(data.contains(r#"type="decimal""#), "money metrics take decimals");
    assert!(data.contains(r#"orientation="landscape""#) && data.contains(r#"fitToHeight="0""#));
    assert!(
        data.contains(r#"<pane xSplit="4" ySplit="4""#),
        "frozen header and labels"
    );
}

/// Fill a form as a unit's own script would: edit the cells in the sheet
/// XML, leave formulas and their cached values alone.
fn fill(path: &Path, cells: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        for (sheet, cell, value) in cells {
            if name == format!("xl/worksheets/{sheet}.xml") {
                let xml = String::from_utf8(text).unwrap();
                let start = xml
                    .find(&format!(r#"<c r="{cell}""#))
                    .unwrap_or_else(|| panic!("{cell} in {sheet}"));
                let end = start + xml[start..].find("/>").unwrap();
                let replaced = format!("{}><v>{value}</v></c>{}", &xml[..end], &xml[end + 2..]);
                text = replaced.into_bytes();
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn zip_text(path: &Path, member: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    archive.by_name(member).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Cells typed into u001's 2016 form, and the figures they must read back as.
/// Rows (1-based) follow the catalogue: 5 fitness.units, 6 fitness.items,
/// 7 fitness.funds, 8 members.count; E = 1月.
const TYPED: [(&str, &str, &str); 9] = [
    ("sheet2", "B4", "6"),
    ("sheet2", "B5", "42556"), // 2016-07-05
    ("sheet3", "G5", "3"),
    ("sheet3", "E6", "12"),
    ("sheet3", "J6", "7"),
    ("sheet3", "F7", "20.5"),
    ("sheet3", "J7", "12.31"),
    ("sheet3", "E8", "300"),
    ("sheet3", "J8", "305"),
];

fn expected() -> Vec<(String, Option<u8>, f64)> {
    vec![
        ("fitness.funds".into(), Some(2), 20.5),
        ("fitness.funds".into(), Some(6), 12.31),
        ("fitness.items".into(), Some(1), 12.0),
        ("fitness.items".into(), Some(6), 7.0),
        ("fitness.units".into(), Some(3), 3.0),
        ("members.count".into(), Some(1), 300.0),
        ("members.count".into(), Some(6), 305.0),
    ]
}

fn filled_workdir() -> Workdir {
    let w = Workdir::new();
    w.run(&["forms", "2016", "--unit", "u001"]);
    let filled = fill(&w.output().join("forms/2016/u001-测试一单位工会.xlsx"), &TYPED);
    std::fs::create_dir_all(w.input().join("2016")).unwrap();
    w.write("input/2016/u001.xlsx", &filled);
    w
}

#[test]
fn a_form_filled_by_another_program_reads_back_exactly() {
    let w = filled_workdir();
    let r = w.read(2016);
    assert!(r.diags().is_empty(), "{:#?}", r.diags());
    assert_eq!(r.status("u001"), Status::Reported);
    assert_eq!(r.reading.submissions[0].info.filled_through, Some(6));
    assert_eq!(r.figures("u001"), expected());
}

#[test]
fn a_form_recalculated_by_libreoffice_reads_back_exactly() {
    let Ok(soffice) = which("soffice") else {
        eprintln!("soffice not installed: LibreOffice round trip not run");
        return;
    };
    let w = filled_workdir();
    let lo = w.path().join("lo");
    for format in ["ods", "xlsx"] {
        let status = std::process::Command::new(&soffice)
            .args(["--headless", "--calc", "--convert-to", format, "--outdir"])
            .arg(lo.join(format))
            .arg(w.input().join("2016/u001.xlsx"))
            .env("HOME", w.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    }
    std::fs::remove_file(w.input().join("2016/u001.xlsx")).unwrap();
    for format in ["ods", "xlsx"] {
        let bytes = std::fs::read(lo.join(format).join(format!("u001.{format}"))).unwrap();
        w.write(&format!("input/2016/u001.{format}"), &bytes);
        let r = w.read(2016);
        // LibreOffice computed 全年 itself: it must agree with the months.
        assert!(r.errors().is_empty(), "{format}: {:#?}", r.errors());
        assert_eq!(r.figures("u001"), expected(), "{format}");
        std::fs::remove_file(w.input().join(format!("2016/u001.{format}"))).unwrap();
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
