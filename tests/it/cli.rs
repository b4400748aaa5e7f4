//! The binary as users run it: exit codes, files written, messages.

use crate::harness::{Form, Workdir, V};

fn clean() -> Workdir {
    let w = Workdir::new();
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001").row("fitness.items", &[("1月", V::N(4.0))]),
    );
    w
}

#[test]
fn validate_writes_its_files_and_exits_zero_when_clean() {
    let w = clean();
    let run = w.run(&["validate", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("应报 4 个单位"), "{}", run.stdout);
    assert_eq!(
        w.read_output("2015/validation.csv"),
        "severity,unit_code,file,sheet,cell,code,message\n"
    );
    assert_eq!(
        w.read_output("2015/tables/submissions.csv"),
        "unit_code,unit_name,status,file,filled_through,filed_on\n\
         u001,测试一单位工会,已报,2015/u001.xlsx,12,2016-01-10\n\
         u002,测试二单位工会,未报,,,\n\
         u003,测试三单位工会,未报,,,\n\
         u004,测试四单位工会,未报,,,\n"
    );
    assert!(w
        .read_output("2015/validation.md")
        .contains("| 4 | 1 | 1 | 0 | 3 | 0 | 0 | 0 |"));
}

#[test]
fn validate_defaults_to_the_latest_year() {
    let w = clean();
    std::fs::create_dir_all(w.input().join("2014")).unwrap();
    let run = w.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.output().join("2015/validation.csv").exists());
}

#[test]
fn validate_exits_one_on_errors_and_lists_them() {
    let w = clean();
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.items", &[("3月", V::T("约300"))]),
    );
    let run = w.run(&["validate", "2015", "--quiet"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "--quiet prints nothing: {}", run.stdout);
    let csv = w.read_output("2015/validation.csv");
    assert!(csv.contains("error,u002,2015/u002.xlsx,数据,G4,not-a-number,"), "{csv}");
    assert!(w
        .read_output("2015/tables/submissions.csv")
        .contains("u002,测试二单位工会,待更正,2015/u002.xlsx,12,2016-01-10"));
}

#[test]
fn fatal_input_problems_exit_two_with_one_clear_line() {
    let w = clean();
    w.write("input/report.toml", b"organisation = \"x\"\ntitle = \"y\"\nbogus = 1\n");
    let run = w.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("report.toml 第 3 行") && run.stderr.contains("bogus"),
        "{}",
        run.stderr
    );

    let run = w.run(&["validate", "--input", "nowhere"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("找不到输入文件夹"), "{}", run.stderr);
}

#[test]
fn inputs_are_never_modified() {
    let w = clean();
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.items", &[("3月", V::T("约300"))]),
    );
    let snapshot = || -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(w.input())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let before = snapshot();
    assert_eq!(w.run(&["validate"]).code, 1, "u002's 约300 is an error");
    assert_eq!(before, snapshot());
}

#[test]
fn validation_report_wording() {
    let w = Workdir::new();
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001")
            .set("单位名称", Some(V::T("测试一单位")))
            .row("fitness.items", &[("1月", V::T("１２")), ("3月", V::T("约300"))])
            .row("", &[("项目", V::T("合计")), ("1月", V::N(12.0))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.funds", &[("1月", V::N(1.5))]),
    );
    w.form("2015/u999.xlsx", &Form::new("u999"));
    w.write("input/2015/~$u002.xlsx", b"");
    let run = w.run(&["validate", "2015"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(w.read_output("2015/validation.md"));
}

/// `--output` equal to, inside or around `--input` is refused before
/// anything is read or written, and every submission stays as it was.
#[test]
fn output_overlapping_input_is_refused_and_input_untouched() {
    let w = clean();
    let before = crate::harness::files_under(&w.input());
    for args in [
        &["report", "2015", "--input", "input", "--output", "input"][..],
        &["validate", "2015", "--input", "input", "--output", "input"],
        &["report", "2015", "--input", "input", "--output", "input/2015/out"],
        &["report", "2015", "--input", "input", "--output", "."],
        &["forms", "2015", "--input", "input", "--output", "input"],
    ] {
        let run = w.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("输入文件夹"), "{args:?}: {}", run.stderr);
        assert_eq!(
            crate::harness::files_under(&w.input()),
            before,
            "{args:?} changed the input"
        );
    }
}

/// A folder in the output's place that the tool did not write is never
/// replaced: the run stops with exit 2 and the folder keeps its files.
#[test]
fn a_foreign_folder_at_the_destination_is_left_alone() {
    let w = clean();
    w.write("output/2015/notes.txt", b"the office's own notes");
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("不是 annual-report 生成的"), "{}", run.stderr);
    assert_eq!(w.read_output("2015/notes.txt"), "the office's own notes");
}

/// Each command takes only the flags that mean something to it, and says
/// so in Chinese; `--help` is Chinese throughout.
#[test]
fn flags_that_mean_nothing_are_refused_and_help_is_chinese() {
    let w = clean();
    for args in [
        &["forms", "2016", "--strict"][..],
        &["forms", "2016", "--as-of", "2016-01-01"],
        &["validate", "2015", "--as-of", "2016-01-01"],
        &["validate", "2015", "--templates", "t"],
    ] {
        let run = w.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.starts_with("错误："), "{args:?}: {}", run.stderr);
    }
    let run = w.run(&["2015", "--as-of", "2016-02-30"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不是日期"), "{}", run.stderr);
    for args in [&["--help"][..], &["snapshot", "--help"], &["forms", "-h"]] {
        let run = w.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        for english in [
            "Usage",
            "Options",
            "OPTIONS",
            "Arguments",
            "Commands",
            "default:",
            "Print help",
        ] {
            assert!(
                !run.stdout.contains(english),
                "{args:?} says “{english}”:\n{}",
                run.stdout
            );
        }
        assert!(run.stdout.contains("用法："), "{}", run.stdout);
    }
}

/// `--timings` prints each stage's wall time to stderr, in the order the
/// stages ran, and the total; without it nothing of the kind is printed.
/// `validate` does not take it (it has no stages to speak of).
#[test]
fn timings_name_each_stage_in_order() {
    let w = clean();
    std::fs::create_dir_all(w.input().join("2014")).unwrap();
    let run = w.run(&["2015", "--quiet", "--timings"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let stages = [
        "读取 2015 年报表",
        "读取 2014 年报表",
        "汇总",
        "图表",
        "Word 与 HTML",
        "等待回执与 sources.csv",
        "写入",
        "合计",
    ];
    let at: Vec<usize> = stages
        .iter()
        .map(|s| {
            run.stderr
                .find(&format!("  {s} "))
                .unwrap_or_else(|| panic!("{s}:\n{}", run.stderr))
        })
        .collect();
    assert!(at.windows(2).all(|p| p[0] < p[1]), "{}", run.stderr);
    assert!(run.stderr.contains(" s"), "{}", run.stderr);

    let run = w.run(&["snapshot", "2015-06", "--quiet", "--timings"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("合计"), "{}", run.stderr);

    let run = w.run(&["2015", "--quiet"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("合计"), "{}", run.stderr);

    let run = w.run(&["validate", "2015", "--timings"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
