//! `--timings`: the wall time of each stage of a run, and the memory held
//! after it, printed to stderr when the run ends (as zola prints its
//! stages). A small recorder handed down the pipeline, never a global.

use std::time::{Duration, Instant};

/// The stages of one run, in the order they ran.
pub struct Timings {
    enabled: bool,
    start: Instant,
    last: Instant,
    /// Processor time of the whole process (all threads) when the last
    /// stage ended: on a busy machine it says what the stage cost when the
    /// wall time says how long it waited.
    last_cpu: Option<Duration>,
    stages: Vec<Stage>,
}

struct Stage {
    name: String,
    took: Duration,
    cpu: Option<Duration>,
    /// Resident memory when the stage ended, in bytes (Linux only).
    resident: Option<u64>,
}

impl Timings {
    /// A recorder that prints only when `enabled`; the clock starts now.
    pub fn new(enabled: bool) -> Timings {
        let now = Instant::now();
        Timings {
            enabled,
            start: now,
            last: now,
            last_cpu: cpu_time(),
            stages: Vec::new(),
        }
    }

    /// Close the stage that ran since the previous one ended.
    pub fn stage(&mut self, name: impl Into<String>) {
        if !self.enabled {
            return;
        }
        let (now, cpu) = (Instant::now(), cpu_time());
        self.stages.push(Stage {
            name: name.into(),
            took: now - self.last,
            cpu: cpu.zip(self.last_cpu).map(|(c, l)| c.saturating_sub(l)),
            resident: memory("VmRSS:"),
        });
        self.last = now;
        self.last_cpu = cpu;
    }

    /// The table printed at the end: one line per stage, then the total
    /// and the peak memory of the run.
    pub fn lines(&self) -> Vec<String> {
        let width = self
            .stages
            .iter()
            .map(|s| display_width(&s.name))
            .max()
            .unwrap_or(0)
            .max(4);
        let line = |name: &str, took: Duration, cpu: Option<Duration>, mem: Option<u64>| {
            let pad = " ".repeat(width - display_width(name));
            let cpu = cpu
                .map(|c| format!("{:>8.2} s", c.as_secs_f64()))
                .unwrap_or_else(|| " ".repeat(10));
            let mem = mem.map(|b| format!("{:>7} MB", b / 1_000_000)).unwrap_or_default();
            format!("  {name}{pad}  {:>8.3} s  {cpu}  {mem}", took.as_secs_f64())
                .trim_end()
                .to_owned()
        };
        let mut out = vec![format!(
            "  {}{}      墙钟         CPU       内存",
            "阶段",
            " ".repeat(width - 4)
        )];
        out.extend(self.stages.iter().map(|s| line(&s.name, s.took, s.cpu, s.resident)));
        let cpu = self.stages.iter().map(|s| s.cpu).sum::<Option<Duration>>();
        out.push(line("合计", self.last - self.start, cpu, None));
        if let Some(peak) = memory("VmHWM:") {
            out.push(format!(
                "  内存峰值 {} MB（CPU 为所有线程的处理器时间，内存为该阶段结束时占用的）",
                peak / 1_000_000
            ));
        }
        out
    }

    /// Print the table to stderr, when asked for.
    pub fn print(&self) {
        if self.enabled {
            for line in self.lines() {
                eprintln!("{line}");
            }
        }
    }
}

/// A line of /proc/self/status (`VmRSS:`, `VmHWM:`) in bytes; `None`
/// where there is no /proc.
fn memory(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// The processor time of the whole process, all threads, from
/// /proc/self/stat (utime + stime, in clock ticks of 10 ms); `None` where
/// there is no /proc.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; the fields after it are plain.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

/// Terminal columns: a Chinese character takes two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_is_timed_in_order_and_totalled() {
        let mut t = Timings::new(true);
        t.stage("读取 2015 年报表");
        std::thread::sleep(Duration::from_millis(20));
        t.stage("图表");
        let lines = t.lines();
        assert!(lines[1].contains("读取 2015 年报表"), "{lines:?}");
        assert!(lines[2].contains("图表"), "{lines:?}");
        assert!(lines[3].contains("合计"), "{lines:?}");
        assert!(t.stages[1].took >= Duration::from_millis(20));
        assert!(t.last - t.start >= t.stages[1].took);
        // The seconds line up in one column whatever the names' widths.
        let column = |l: &str| display_width(&l[..l.find(" s").unwrap()]);
        assert_eq!(column(&lines[1]), column(&lines[2]));
        assert_eq!(column(&lines[1]), column(&lines[3]));
    }

    #[test]
    fn nothing_is_recorded_when_not_asked() {
        let mut t = Timings::new(false);
        t.stage("图表");
        assert!(t.stages.is_empty());
    }
}
