//! The report pipeline, read top to bottom: read the year (and last year),
//! aggregate, chart, write the text, render every output as bytes, then one
//! atomic write. The year-end report and the monthly snapshot differ only in
//! their [`Period`].

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use crate::aggregate::{aggregate, month_rows, Span};
use crate::cli::Common;
use crate::diag::Severity;
use crate::inputs::Inputs;
use crate::output::{replace_folder, OutputFile};
use crate::render::manifest::{manifest_json, InputFile, Run};
use crate::render::{docx, submissions::submissions_csv, tables, validation, workbook};
use crate::report::context::{self, ContextInput};
use crate::report::{charts, Templates};
use crate::table::figures_frame;
use crate::validate::{read_year, ReadOptions, YearReading};

use crate::cmd::Outcome;

/// What a run reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole year, at year end.
    Year(i32),
    /// Months 1..=month of the year, as a progress snapshot.
    Snapshot { year: i32, month: u8 },
}

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Snapshot { year: y, .. } => y,
        }
    }

    /// The month submissions must reach to be on time.
    fn due_through(self) -> u8 {
        match self {
            Period::Year(_) => 12,
            Period::Snapshot { month, .. } => month,
        }
    }

    fn span(self) -> Span {
        match self {
            Period::Year(_) => Span::Year,
            Period::Snapshot { month, .. } => Span::Through(month),
        }
    }

    /// `2015` or `2016-06`: the output folder and the manifest's period.
    pub fn name(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Snapshot { year, month } => format!("{year}-{month:02}"),
        }
    }

    /// `report` or `snapshot`: the templates' and documents' stem.
    fn stem(self) -> &'static str {
        match self {
            Period::Year(_) => "report",
            Period::Snapshot { .. } => "snapshot",
        }
    }
}

/// Run the pipeline. `pre_read` is the year's reading when the caller
/// already has it (choosing the default year reads it), so no file is read twice.
pub fn run(common: &Common, inputs: &Inputs, period: Period, pre_read: Option<YearReading>) -> Result<Outcome> {
    let (catalogue, registry, year) = (&inputs.catalogue, &inputs.registry, period.year());
    crate::output::check_apart(&common.input, &common.output)?;
    let templates = Templates::new(common.templates.as_deref())?;
    let as_of = parse_as_of(common.as_of.as_deref())?;

    // Read this year, and last year for the comparison.
    let reading = match pre_read {
        Some(r) => r,
        None => read(inputs, year, Some(period.due_through()), common.quiet)?,
    };
    if common.strict && reading.has_errors() {
        return Ok(strict_failure(&reading));
    }
    if let Period::Year(_) = period {
        if !reading.counted().any(|s| s.info.filled_through == Some(12)) {
            eprintln!("注意：{year} 年还没有年终报表（截至月份 12），报告按已报的月份统计；年中进度请用 annual-report snapshot");
        }
    }
    let previous = match inputs.dir.join((year - 1).to_string()).is_dir() {
        true => Some(read(inputs, year - 1, None, common.quiet)?),
        false => None,
    };

    // Aggregate: this year and the same span of last year.
    let figures = figures_frame(&reading, catalogue)?;
    let previous_figures = previous.as_ref().map(|p| figures_frame(p, catalogue)).transpose()?;
    let agg = aggregate(&figures, previous_figures.as_ref(), catalogue, year, period.span())?;

    // Chart.
    let charts = match period {
        Period::Year(_) => charts::year_charts(catalogue, &agg, year, previous.is_some())?,
        Period::Snapshot { month, .. } => {
            let last_year = previous_figures
                .as_ref()
                .map(|f| month_rows(f, catalogue, Span::Year))
                .transpose()?;
            charts::progress_charts(catalogue, &agg, last_year.as_deref(), year, month)?
        }
    };
    let mut charts_by_group: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for c in &charts {
        charts_by_group.entry(c.group.clone()).or_default().push(c.ctx.clone());
    }

    // Write the text.
    let ctx = context::build(ContextInput {
        catalogue,
        registry,
        reading: &reading,
        previous: previous.as_ref(),
        aggregates: &agg,
        as_of: as_of.clone(),
        through_month: match period {
            Period::Year(_) => None,
            Period::Snapshot { month, .. } => Some(month),
        },
        charts: charts_by_group,
    });
    let env = templates.environment();
    let (md_name, html_name) = (format!("{}.md.j2", period.stem()), format!("{}.html.j2", period.stem()));
    let md = templates.render(&env, &md_name, &ctx)?;
    let html = templates.render(&env, &html_name, &ctx)?;

    // Every output as bytes; the Word document is the Markdown laid out.
    let images = charts
        .iter()
        .flat_map(|c| &c.files)
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    let docx = docx::docx_from_markdown(&md, &images).map_err(|e| anyhow::anyhow!("无法生成 Word 文档：{e}"))?;
    let mut files = vec![
        OutputFile::new(format!("{}.docx", period.stem()), docx),
        OutputFile::new(format!("{}.md", period.stem()), md.into_bytes()),
        OutputFile::new(format!("{}.html", period.stem()), html.into_bytes()),
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
        command: period.stem(),
        period: period.name(),
        as_of,
    };
    let used = templates.used(&[&md_name, &html_name]);
    let manifest = manifest_json(&run, &input_files(inputs, &reading, previous.as_ref()), &used, &files);
    files.push(OutputFile::new("manifest.json", manifest));

    // One atomic write.
    let dest = common.output.join(period.name());
    for said in replace_folder(&dest, &files)? {
        eprintln!("{said}");
    }

    // A character the embedded font lacks: named once, with its charts.
    let mut missing: BTreeMap<char, Vec<&str>> = BTreeMap::new();
    for c in &charts {
        for ch in &c.missing_glyphs {
            missing.entry(*ch).or_default().push(&c.ctx.title);
        }
    }
    for (ch, titles) in missing {
        eprintln!(
            "警告：内置字体没有字符“{ch}”，它在图表 {} 中会显示为方框",
            titles.join("、")
        );
    }
    if !common.quiet {
        println!("{}", validation::Summary::of(&reading).line(year));
        println!("已写入 {}", dest.display());
    }
    Ok(Outcome::Success)
}

/// Read a year; `due_through` marks lateness (`None`: last year, no lateness).
pub fn read(inputs: &Inputs, year: i32, due_through: Option<u8>, quiet: bool) -> Result<YearReading> {
    let options = ReadOptions {
        progress: !quiet,
        due_through,
    };
    read_year(&inputs.dir, year, &inputs.catalogue, &inputs.registry, &options)
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
fn input_files(inputs: &Inputs, reading: &YearReading, previous: Option<&YearReading>) -> Vec<InputFile> {
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
