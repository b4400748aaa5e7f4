//! What no check before the reader can catch, contained: each file read in
//! a worker process with memory and time limits, through the library and
//! through the binary.

use std::time::{Duration, Instant};

use annual_report::inputs::Inputs;
use annual_report::validate::{read_year, Isolation, ReadOptions, YearReading};

use super::build::{far_cell_xlsx, form, giant_shared_formula_xlsx, lying_string_count_xlsx, string_bomb_xlsx};
use super::xls::{number, xls_from, XlsKnobs};
use super::{assert_refused, of_file, workdir};
use crate::harness::Workdir;

/// Read 2015 of `w` with reading workers started as `program args`.
fn read_isolated(w: &Workdir, program: &str, args: &[&str], limit: Duration) -> YearReading {
    let inputs = Inputs::load(&w.input()).unwrap();
    let options = ReadOptions {
        progress: false,
        due_through: None,
        isolation: Some(Isolation {
            program: program.into(),
            args: args.iter().map(Into::into).collect(),
            time_limit: limit,
        }),
    };
    read_year(&inputs.dir, 2015, &inputs.catalogue, &inputs.registry, &options).unwrap()
}

const WORKER: &str = env!("CARGO_BIN_EXE_annual-report");

/// A shell worker's first words: the greeting, and the answer that its
/// setup took (length 1, byte 1), written before the setup is even read.
#[cfg(unix)]
const GREET_AND_SET_UP: &str = "printf 'annual-report read worker 2\\n\\001\\0\\0\\0\\0\\0\\0\\0\\001'";

#[test]
fn reading_in_workers_gives_what_reading_in_process_gives() {
    let w = Workdir::sample();
    let here = w.read(2015).reading;
    let there = read_isolated(&w, WORKER, &["__read-worker", "943718400"], Duration::from_secs(60));
    assert_eq!(here.submissions.len(), there.submissions.len());
    for (a, b) in here.submissions.iter().zip(&there.submissions) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", a.file);
    }
}

/// `/proc/<pid>/status` of a worker just started, once it has greeted.
#[cfg(target_os = "linux")]
fn new_worker_status() -> String {
    use annual_report::child::Child;
    use annual_report::ingest::worker::GREETING;
    let mut child = Child::spawn(WORKER.as_ref(), &["__read-worker".into(), "943718400".into()]).unwrap();
    let mut greeting = vec![0; GREETING.len()];
    child
        .receive_exact(&mut greeting, Instant::now() + Duration::from_secs(30))
        .unwrap();
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    child.kill();
    status
}

/// The worker's memory cap (RLIMIT_DATA) counts what it takes, not what
/// its allocator reserved before `main`: mimalloc commits a 1 GiB arena up
/// front unless told not to, and the cap would then fail allocations an
/// ordinary workbook needs.
#[cfg(target_os = "linux")]
#[test]
fn a_new_worker_has_almost_all_of_its_memory_cap_left() {
    let status = new_worker_status();
    let data_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmData:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(
        data_kb < 100 * 1024,
        "VmData {data_kb} kB of a 900 MB cap before reading anything"
    );
}

/// Each first touch of a huge page zeroes 2 MB: at 500 units the peak was
/// a third higher with them.
#[cfg(target_os = "linux")]
#[test]
fn a_worker_runs_without_transparent_huge_pages() {
    let status = new_worker_status();
    let thp = status
        .lines()
        .find_map(|l| l.strip_prefix("THP_enabled:"))
        .map(str::trim);
    assert_eq!(thp, Some("0"), "{status}");
}

#[test]
fn a_workbook_past_the_memory_limit_stops_its_worker_and_the_run_goes_on() {
    // Twenty sheets from A1 to GR10000, each inside the area read: calamine
    // builds every .xls sheet as a dense range at open, 64 MB each.
    let mut wide = form("u002");
    wide.extra_sheets = (1..=20).map(|i| (format!("附表{i}"), false)).collect();
    let far_corners = XlsKnobs {
        records: (2..22).map(|s| (s, 0x0203, number(9999, 199, 1.0))).collect(),
        ..Default::default()
    };
    let w = workdir();
    // Handed to one worker together: the one before is answered, the one
    // after read by a fresh worker.
    w.form("2015/u001.xlsx", &form("u001"));
    w.write("input/2015/u002.xls", &xls_from(&wide, &far_corners));
    w.form("2015/u003.xlsx", &form("u003"));
    let r = read_isolated(&w, WORKER, &["__read-worker", "943718400"], Duration::from_secs(60));
    assert_refused(&r, "2015/u002.xls", "too-large-or-damaged", "内存超过 900 MB");
    for file in ["2015/u001.xlsx", "2015/u003.xlsx"] {
        assert!(of_file(&r, file).is_empty(), "{file}: {:#?}", of_file(&r, file));
    }
    assert_eq!(r.counted().count(), 2);
}

#[cfg(unix)]
#[test]
fn a_worker_that_hangs_is_killed_at_the_time_limit() {
    let w = workdir();
    w.form("2015/u001.xlsx", &form("u001"));
    w.form("2015/u002.xlsx", &form("u002"));
    let greet_then_hang = format!("{GREET_AND_SET_UP}; exec sleep 600");
    let started = Instant::now();
    let r = read_isolated(&w, "sh", &["-c", &greet_then_hang], Duration::from_secs(1));
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    assert_refused(&r, "2015/u001.xlsx", "too-large-or-damaged", "读取超过 1 秒");
    assert_refused(&r, "2015/u002.xlsx", "too-large-or-damaged", "读取超过 1 秒");
}

#[cfg(unix)]
#[test]
fn a_worker_that_dies_makes_one_file_an_error() {
    let w = workdir();
    w.form("2015/u001.xlsx", &form("u001"));
    let greet_then_crash = format!("{GREET_AND_SET_UP}; head -c 4 >/dev/null; kill -SEGV $$");
    let r = read_isolated(&w, "sh", &["-c", &greet_then_crash], Duration::from_secs(30));
    assert_refused(&r, "2015/u001.xlsx", "too-large-or-damaged", "信号 11");
}

#[test]
fn without_a_worker_files_are_read_in_process() {
    let w = workdir();
    w.form("2015/u001.xlsx", &form("u001"));
    let r = read_isolated(&w, "true", &[], Duration::from_secs(30));
    assert!(of_file(&r, "2015/u001.xlsx").is_empty());
    assert_eq!(r.counted().count(), 1);
}

/// The largest resident set of any child process waited for so far (a
/// process's own waited-for children included), in bytes.
#[cfg(unix)]
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage writes the struct passed.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    usage.ru_maxrss as u64 * 1024
}

#[cfg(unix)]
#[test]
fn the_binary_names_every_hostile_file_and_finishes_in_bounded_time_and_memory() {
    let w = workdir();
    w.form("2015/u001.xlsx", &form("u001"));
    w.write("input/2015/u002.xls", &xls_from(&form("u002"), &XlsKnobs::default()));
    w.write("input/2015/u003.xlsx", &far_cell_xlsx("u003", "数据", "XFD1048576"));
    let hostile: [(&str, Vec<u8>); 6] = [
        (
            "2015/loop.xls",
            xls_from(
                &form("u004"),
                &XlsKnobs {
                    fat_loop: true,
                    ..Default::default()
                },
            ),
        ),
        ("2015/bomb.xlsx", string_bomb_xlsx("u005", 1 << 30, None)),
        ("2015/count.xlsx", lying_string_count_xlsx("u006")),
        (
            "2015/panics.xls",
            xls_from(
                &form("u007"),
                &XlsKnobs {
                    sheet_past_end: true,
                    ..Default::default()
                },
            ),
        ),
        ("2015/formula.xlsx", giant_shared_formula_xlsx("u008")),
        ("2015/wide.xls", {
            let mut wide = form("u009");
            wide.extra_sheets = (1..=20).map(|i| (format!("附表{i}"), false)).collect();
            let corners = (2..22).map(|s| (s, 0x0203, number(9999, 199, 1.0))).collect();
            xls_from(
                &wide,
                &XlsKnobs {
                    records: corners,
                    ..Default::default()
                },
            )
        }),
    ];
    for (rel, bytes) in &hostile {
        w.write(&format!("input/{rel}"), bytes);
    }
    let started = Instant::now();
    let run = w.run(&["report", "2015", "--quiet"]);
    let took = started.elapsed();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(took < Duration::from_secs(60), "{took:?}");
    let peak = children_peak_rss();
    assert!(peak < 1 << 30, "a process peaked at {} MB", peak >> 20);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains("panicked") && !all.contains("memory allocation"), "{all}");
    let errors: Vec<_> = w
        .csv_rows("2015/validation.csv")
        .into_iter()
        .filter(|r| r["severity"] == "error")
        .collect();
    for (rel, _) in &hostile {
        let row = errors
            .iter()
            .find(|r| r["file"] == *rel)
            .unwrap_or_else(|| panic!("{rel} not named in {errors:#?}"));
        assert!(
            row["message"].contains("无法读取") || row["message"].contains("无法解析"),
            "{row:#?}"
        );
    }
    assert!(errors
        .iter()
        .all(|r| r["file"] != "2015/u001.xlsx" && r["file"] != "2015/u003.xlsx"));
    let submissions = w.read_output("2015/tables/submissions.csv");
    for file in ["2015/u001.xlsx", "2015/u002.xls", "2015/u003.xlsx"] {
        let line = submissions.lines().find(|l| l.contains(file)).unwrap();
        assert!(line.contains(",已报,"), "{line}");
    }
}
