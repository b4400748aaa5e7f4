//! What no folder, link or name in the input can do: pull other years in,
//! hang the run on a pipe, or hash files outside the input into the manifest.

use crate::harness::{files_under, Form, Workdir, V};

fn unit(code: &str, items: f64) -> Form {
    Form::new(code).row("fitness.items", &[("1月", V::N(items))])
}

#[cfg(unix)]
#[test]
fn links_and_pipes_in_a_year_folder_are_noted_not_followed() {
    use std::os::unix::fs::symlink;
    let w = Workdir::new();
    let last_year = unit("u001", 9.0)
        .set("年度", Some(V::N(2014.0)))
        .set("填报日期", Some(V::Date(2015, 1, 10)));
    w.form("2014/u001.xlsx", &last_year);
    w.form("2015/u001.xlsx", &unit("u001", 4.0));
    w.form("elsewhere/u002.xlsx", &unit("u002", 5.0));
    let year = w.input().join("2015");
    symlink("..", year.join("loop")).unwrap();
    symlink("/etc/passwd", year.join("passwd.xlsx")).unwrap();
    symlink("../elsewhere/u002.xlsx", year.join("u002.xlsx")).unwrap();
    let fifo = year.join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let before = files_under(&w.input());

    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let csv = w.read_output("2015/validation.csv");
    for (file, code) in [
        ("2015/loop", "folder-link"),
        ("2015/passwd.xlsx", "outside-link"),
        ("2015/pipe.xlsx", "not-a-file"),
    ] {
        assert!(
            csv.lines().any(|l| l.contains(file) && l.contains(code)),
            "{file} {code} in\n{csv}"
        );
    }
    // The loop pulled nothing in: u001 counts once, from 2015 only; the
    // link to a workbook inside the input counts as that unit's file.
    let metrics = w.read_output("2015/tables/metrics.csv");
    let fitness = metrics.lines().find(|l| l.starts_with("fitness.items,")).unwrap();
    assert!(
        fitness.contains(",9,2,9,"),
        "4 + 5 from two units, last year 9: {fitness}"
    );
    let manifest = w.read_output("2015/manifest.json");
    assert!(!manifest.contains("root:"), "nothing of /etc/passwd");
    let passwd = manifest.find("2015/passwd.xlsx").expect("listed as skipped");
    assert!(
        manifest[passwd..].lines().nth(1).unwrap().contains("null"),
        "and not hashed"
    );
    assert_eq!(files_under(&w.input()), before, "inputs untouched");
}

/// A 单位代码 written as a formula reaches validation.csv neutralised: the
/// office opening it in Excel sees text, not a live link.
#[test]
fn unit_written_text_never_starts_a_csv_cell_as_a_formula() {
    let w = Workdir::new();
    for (i, code) in ["=HYPERLINK(\"http://x.cn\",\"x\")", "@SUM(1)", "+1+2"]
        .iter()
        .enumerate()
    {
        w.form(&format!("2015/bad{i}.xlsx"), &unit(code, 1.0));
    }
    let run = w.run(&["validate", "2015"]);
    assert_eq!(
        run.code, 1,
        "unregistered codes are errors: {}{}",
        run.stdout, run.stderr
    );
    let csv = w.read_output("2015/validation.csv");
    let mut rows = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let mut seen = 0;
    for row in rows.records() {
        for cell in row.unwrap().iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a formula cell in validation.csv: {cell:?}\n{csv}");
            seen += cell.starts_with("'=HYPERLINK") as usize;
        }
    }
    assert!(seen > 0, "the code is still there, as text:\n{csv}");
}

fn templated(name: &str, text: &[u8]) -> Workdir {
    let w = Workdir::new();
    w.form("2015/u001.xlsx", &unit("u001", 4.0));
    w.write(&format!("templates/{name}"), text);
    w
}

/// A user's template can reach only the templates folder and the built-ins,
/// cannot hang the run, and is never silently replaced by the built-in one.
#[test]
fn hostile_or_broken_templates_stop_the_run_with_a_message() {
    for (text, says) in [
        (&b"{% include \"../../etc/passwd\" %}\n"[..], "不允许"),
        (b"{% include \"/etc/passwd\" %}\n", "不允许"),
        (
            b"{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}.{% endfor %}{% endfor %}{% endfor %}",
            "report.md.j2",
        ),
        // "各单位" in GBK: not UTF-8.
        (b"\xb8\xf7\xb5\xa5\xce\xbb {{ year }}\n", "不是 UTF-8"),
        // A string doubled forty times (a terabyte): fuel does not count
        // bytes, the render worker's memory cap does.
        (
            b"{% set ns = namespace(s=\"x\") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}\n",
            "内存超过",
        ),
    ] {
        let w = templated("report.md.j2", text);
        let started = std::time::Instant::now();
        let run = w.run(&["report", "2015", "--templates", "templates"]);
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(says), "{says} in {}", run.stderr);
        assert!(!run.stderr.contains("root:"), "{}", run.stderr);
        assert!(!w.output().join("2015").exists(), "nothing written");
        assert!(started.elapsed().as_secs() < 60, "stopped, not hung");
    }
}

/// A user's templates render in a worker process: a copy of the built-in
/// ones writes the very report the built-in ones do (the context reaches
/// the worker whole), and the manifest names the copies.
#[test]
fn a_copy_of_the_built_in_templates_writes_the_same_report() {
    let w = templated("README.txt", b"copies of the built-in templates");
    for name in ["report.md.j2", "phrases.j2", "committee.j2", "snapshot.md.j2"] {
        w.write(
            &format!("templates/{name}"),
            &std::fs::read(format!("templates/{name}")).unwrap(),
        );
    }
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let built_in = (w.read_output("2015/report.md"), w.read_output("2015/report.html"));
    let run = w.run(&["report", "2015", "--templates", "templates"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        (w.read_output("2015/report.md"), w.read_output("2015/report.html")),
        built_in
    );
    let manifest = w.read_output("2015/manifest.json");
    assert!(manifest.contains("templates/report.md.j2"), "{manifest}");
    assert!(manifest.contains("templates/phrases.j2"), "{manifest}");
}

/// The manifest lists every template a render loaded — a user's include too —
/// with where it came from.
#[test]
fn the_manifest_lists_every_template_loaded() {
    let w = templated("report.md.j2", b"# {{ title }}\n\n{% include \"extra.j2\" %}\n");
    w.write("templates/extra.j2", b"{{ organisation }}\n");
    let run = w.run(&["report", "2015", "--templates", "templates"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let manifest: serde_json::Value = serde_json::from_str(&w.read_output("2015/manifest.json")).unwrap();
    let templates: Vec<(String, String)> = manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["origin"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let origin = |name: &str| templates.iter().find(|(n, _)| n == name).map(|(_, o)| o.clone());
    assert!(
        origin("extra.j2").is_some_and(|o| o.ends_with("extra.j2")),
        "{templates:?}"
    );
    assert!(origin("report.md.j2").is_some_and(|o| o != "built-in"), "{templates:?}");
    assert_eq!(templates.len(), 2, "only what was loaded: {templates:?}");
}

/// Figures that would make a total overflow are errors at their cells, so
/// every total is a finite figure and no sentence loses its number.
#[test]
fn a_figure_that_would_overflow_a_total_is_an_error_at_its_cell() {
    let w = Workdir::new();
    w.form(
        "2015/u001.xlsx",
        &Form::new("u001").row("fitness.funds", &[("3月", V::N(1e308))]),
    );
    w.form(
        "2015/u002.xlsx",
        &Form::new("u002").row("fitness.funds", &[("4月", V::N(1e308))]),
    );
    w.form(
        "2015/u003.xlsx",
        &Form::new("u003").row("fitness.funds", &[("4月", V::N(12.5))]),
    );
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let errors: Vec<_> = w
        .csv_rows("2015/validation.csv")
        .into_iter()
        .filter(|d| d["code"] == "too-large")
        .map(|d| (d["unit_code"].clone(), d["cell"].clone()))
        .collect();
    assert_eq!(
        errors,
        [
            ("u001".to_owned(), "G4".to_owned()),
            ("u002".to_owned(), "H4".to_owned())
        ]
    );
    let funds = w
        .csv_rows("2015/tables/metrics.csv")
        .into_iter()
        .find(|m| m["metric_id"] == "fitness.funds")
        .unwrap();
    assert_eq!(funds["total"], "12.5", "only the plausible unit counts");
    assert!(!w.read_output("2015/report.md").contains("投入资金。"));
}

/// The registry is read with the unit workbooks' limits: a units.csv past
/// 100 MB (here sparse, so the test writes nothing) stops the run with a
/// message naming it and the limit, before anything is read whole.
#[test]
fn a_registry_past_the_size_limit_is_refused_with_its_name() {
    let w = Workdir::new();
    w.form("2015/u001.xlsx", &unit("u001", 4.0));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(w.input().join("units.csv"))
        .unwrap();
    file.set_len(101 << 20).unwrap();
    let run = w.run(&["report", "2015"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("units.csv") && run.stderr.contains("超过 100 MB"),
        "{}",
        run.stderr
    );
}
