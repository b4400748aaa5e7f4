//! One file per subcommand: glue from arguments to the pipeline. Here the
//! product of a run is written (through [`crate::output`]) and summed up on
//! the terminal.

pub mod forms;
pub mod report;
pub mod snapshot;
pub mod trace;
pub mod validate;

use std::path::Path;

use anyhow::Result;

use crate::changes::{self, RunFiles};
use crate::diag::Severity;
use crate::inputs::Inputs;
use crate::output::{OutputFile, Staging};
use crate::pipeline::{self, Period, Product};
use crate::render;
use crate::settings::Settings;
use crate::timings::Timings;
use crate::validate::Summary;
use crate::validate::YearReading;

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the data has errors and the command was asked to fail on them.
    DataErrors,
}

/// Build and write a report or snapshot as one folder, `output/<period>/`,
/// replacing the previous run's (kept as `.previous/`), with what changed
/// since it. Files are staged as they are made (see [`output::Staging`]);
/// the folder is locked and checked before anything is read. With
/// `--strict`, any error stops it unwritten. `--timings` prints the stages
/// when it ends.
fn deliver(
    settings: &Settings,
    inputs: &Inputs,
    period: Period,
    pre_read: Option<YearReading>,
    timings: &mut Timings,
) -> Result<Outcome> {
    let dest = settings.output.join(period.name());
    let mut staging = Staging::open(&dest)?;
    let product = pipeline::build(inputs, period, settings, pre_read, timings, &mut staging)?;
    if product.stopped {
        drop(staging);
        timings.print();
        return Ok(strict_failure(&product.reading));
    }
    let document = format!("{}.md", product.period.stem());
    let before = RunFiles::load(&dest, &document);
    let found = match &before {
        Some(before) => {
            let folder = staging.folder()?;
            let now = RunFiles::load(folder, &document)
                .ok_or_else(|| anyhow::anyhow!("无法读回刚写入的 {}", folder.display()))?;
            Some(changes::compare(before, &now, &document))
        }
        None => None,
    };
    drop(before);
    let title = product.period.title();
    staging.put(vec![
        OutputFile::new(
            "changes.md",
            render::changes::changes_md(found.as_deref(), &title, &inputs.catalogue),
        ),
        OutputFile::new(
            "changes.csv",
            render::changes::changes_csv(found.as_deref().unwrap_or_default()),
        ),
    ])?;
    timings.stage("与上次结果比较");
    let recovered = staging.commit()?;
    timings.stage("写入");
    finish(settings, &product, &dest, &recovered);
    timings.print();
    if !settings.quiet {
        println!("{}", render::changes::summary_line(found.as_deref()));
    }
    Ok(Outcome::Success)
}

/// What every writing command prints: what was recovered from an
/// interrupted run, the warnings, the year's summary line and where it went.
fn finish(settings: &Settings, product: &Product, dest: &Path, recovered: &[String]) {
    for line in recovered.iter().chain(&product.warnings) {
        eprintln!("{line}");
    }
    if !settings.quiet {
        println!("{}", Summary::of(&product.reading).line(product.reading.year));
        println!("已写入 {}", dest.display());
    }
}

/// `--strict`: any error stops the run before anything is written.
fn strict_failure(reading: &YearReading) -> Outcome {
    let errors: Vec<_> = reading
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    eprintln!(
        "--strict：{} 年的报表有 {} 个错误，未生成报告。前几个错误：",
        reading.year,
        errors.len()
    );
    for d in errors.iter().take(10) {
        eprintln!("  {}：{}", d.location(), d.message);
    }
    eprintln!("完整清单请运行 annual-report validate {}", reading.year);
    Outcome::DataErrors
}
