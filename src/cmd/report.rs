//! `annual-report [report] [YEAR]`: the year-end report, read top to bottom.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use crate::aggregate::{aggregate, Span};
use crate::cli::Common;
use crate::inputs::Inputs;
use crate::output::{replace_folder, OutputFile};
use crate::render::manifest::{manifest_json, InputFile, Run};
use crate::render::{submissions::submissions_csv, tables, validation, workbook};
use crate::report::context::{self, ContextInput};
use crate::report::{charts, Templates};
use crate::table::figures_frame;
use crate::validate::{read_year, ReadOptions, YearReading};

use super::Outcome;

pub fn run(common: &Common, year: Option<i32>) -> Result<Outcome> {
    let inputs = Inputs::load(&common.input)?;
    let year = inputs.year_or_latest(year)?;
    let templates = Templates::new(common.templates.as_deref())?;
    let as_of = parse_as_of(common.as_of.as_deref())?;
    let (catalogue, registry) = (&inputs.catalogue, &inputs.registry);

    // Read: this year (due through December) and last year, if there is one.
    let options = ReadOptions {
        progress: !common.quiet,
        due_through: Some(12),
    };
    let reading = read_year(&inputs.dir, year, catalogue, registry, &options)?;
    if common.strict && reading.has_errors() {
        return Ok(strict_failure(&reading));
    }
    let previous = read_previous(&inputs, year, common.quiet)?;

    // Aggregate.
    let figures = figures_frame(&reading, catalogue)?;
    let previous_figures = previous.as_ref().map(|p| figures_frame(p, catalogue)).transpose()?;
    let agg = aggregate(&figures, previous_figures.as_ref(), catalogue, year, Span::Year)?;

    // Chart and write the text.
    let charts = charts::year_charts(catalogue, &agg, year, previous.is_some())?;
    let mut by_group: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for c in &charts {
        by_group.entry(c.group.clone()).or_default().push(c.ctx.clone());
    }
    let ctx = context::build(ContextInput {
        catalogue,
        registry,
        reading: &reading,
        aggregates: &agg,
        has_previous: previous.is_some(),
        as_of: as_of.clone(),
        through_month: None,
        charts: by_group,
    });
    let env = templates.environment();
    let md = templates.render(&env, "report.md.j2", &ctx)?;
    let html = templates.render(&env, "report.html.j2", &ctx)?;

    // Every output as bytes, then one atomic write.
    let mut files = vec![
        OutputFile::new("report.md", md.into_bytes()),
        OutputFile::new("report.html", html.into_bytes()),
        OutputFile::new("tables/metrics.csv", tables::metrics_csv(&agg, catalogue)),
        OutputFile::new("tables/units.csv", tables::units_csv(&agg, catalogue, registry)),
        OutputFile::new("tables/months.csv", tables::months_csv(&agg, catalogue)),
        OutputFile::new("tables/submissions.csv", submissions_csv(&reading, registry)),
        OutputFile::new(
            "tables/summary.xlsx",
            workbook::summary_xlsx(&reading, &agg, catalogue, registry)?,
        ),
        OutputFile::new("validation.md", validation::validation_md(&reading, registry)),
        OutputFile::new("validation.csv", validation::validation_csv(&reading)),
    ];
    files.extend(charts.iter().flat_map(|c| c.files.iter().cloned()));
    let run = Run {
        command: "report",
        period: year.to_string(),
        as_of,
    };
    let used = templates.used(&["report.md.j2", "report.html.j2"]);
    let manifest = manifest_json(&run, &input_files(&inputs, &reading, previous.as_ref()), &used, &files);
    files.push(OutputFile::new("manifest.json", manifest));
    let dest = common.output.join(year.to_string());
    replace_folder(&dest, &files)?;

    for c in &charts {
        for ch in &c.missing_glyphs {
            eprintln!("警告：图表“{}”中的字符“{ch}”内置字体没有，图中显示为方框", c.ctx.title);
        }
    }
    if !common.quiet {
        println!("{}", validation::Summary::of(&reading).line(year));
        println!("报告已写入 {}", dest.display());
    }
    Ok(Outcome::Success)
}

/// Last year's counted figures, for the year-on-year comparison.
pub fn read_previous(inputs: &Inputs, year: i32, quiet: bool) -> Result<Option<YearReading>> {
    if !inputs.dir.join((year - 1).to_string()).is_dir() {
        return Ok(None);
    }
    let options = ReadOptions {
        progress: !quiet,
        due_through: None,
    };
    Ok(Some(read_year(
        &inputs.dir,
        year - 1,
        &inputs.catalogue,
        &inputs.registry,
        &options,
    )?))
}

/// `--as-of` must be a real date: it is printed in the report.
pub fn parse_as_of(s: Option<&str>) -> Result<Option<String>> {
    let Some(s) = s else { return Ok(None) };
    match chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Ok(Some(d.format("%Y-%m-%d").to_string())),
        Err(_) => bail!("--as-of “{s}” 不是日期：请写成 YYYY-MM-DD，如 2016-03-18"),
    }
}

/// Every input file with its hash and what became of it.
pub fn input_files(inputs: &Inputs, reading: &YearReading, previous: Option<&YearReading>) -> Vec<InputFile> {
    let mut files: Vec<InputFile> = inputs
        .files
        .iter()
        .enumerate()
        .map(|(i, (file, sha256))| InputFile {
            file: file.clone(),
            sha256: sha256.clone(),
            role: if i == 0 { "catalogue" } else { "registry" },
        })
        .collect();
    for r in std::iter::once(reading).chain(previous) {
        for (i, s) in r.submissions.iter().enumerate() {
            let counted = r.selection.counted.binary_search(&i).is_ok();
            files.push(InputFile {
                file: s.file.clone(),
                sha256: s.sha256.clone(),
                role: if counted { "counted" } else { "not counted" },
            });
        }
        for d in &r.skipped {
            let sha256 = std::fs::read(inputs.dir.join(&d.file))
                .map(|b| crate::digest::sha256_hex(&b))
                .unwrap_or_default();
            files.push(InputFile {
                file: d.file.clone(),
                sha256,
                role: "skipped",
            });
        }
    }
    files
}

/// `--strict`: any error stops the run before anything is written.
fn strict_failure(reading: &YearReading) -> Outcome {
    let errors: Vec<_> = reading
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
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
