//! Reading one year of a folder, in workers and in-process, timed: wall
//! clock and processor time of this process and its children.
//! The difference is what isolating the reader costs.
//!   cargo build --release && cargo run --release --example read_probe -- INPUT YEAR [RUNS]
//!   PROBE=workers (or in-process) runs one of the two only, for a profiler.
use annual_report::inputs::Inputs;
use annual_report::validate::{read_year, Isolation, ReadOptions};

fn cpu() -> f64 {
    let get = |who| unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut u);
        let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        t(u.ru_utime) + t(u.ru_stime)
    };
    get(libc::RUSAGE_SELF) + get(libc::RUSAGE_CHILDREN)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inputs = Inputs::load(std::path::Path::new(&args[1])).unwrap();
    let year: i32 = args[2].parse().unwrap();
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3);
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/annual-report");
    for _ in 0..runs {
        for isolated in [true, false] {
            if std::env::var("PROBE").is_ok_and(|m| (m == "workers") != isolated) {
                continue;
            }
            let options = ReadOptions {
                progress: false,
                due_through: None,
                isolation: isolated.then(|| Isolation {
                    program: bin.clone(),
                    args: vec!["__read-worker".into(), "943718400".into()],
                    time_limit: std::time::Duration::from_secs(60),
                }),
            };
            let (t, c) = (std::time::Instant::now(), cpu());
            let r = read_year(&inputs.dir, year, &inputs.catalogue, &inputs.registry, &options).unwrap();
            println!(
                "{} {} files: wall {:.3} s, cpu {:.3} s",
                if isolated { "workers   " } else { "in-process" },
                r.submissions.len(),
                t.elapsed().as_secs_f64(),
                cpu() - c
            );
        }
    }
}
