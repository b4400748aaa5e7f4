//! The report pipeline, read top to bottom: read the year (and last year),
//! aggregate, chart, write the text, render every output as bytes. The
//! result is a [`Product`]; the command writes it and prints. The year-end
//! report and the monthly snapshot differ only in their [`Period`].

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::aggregate::{aggregate, month_rows, Aggregates, Span};
use crate::figures::{self, Figure};
use crate::inputs::Inputs;
use crate::output::{OutputFile, Put, Staging};
use crate::plausibility;
use crate::render::document::{self, DocMeta};
use crate::render::manifest::{manifest_json, InputFile, Run, TemplateHash};
use crate::render::{receipts, sources, submissions::submissions_csv, tables, validation, workbook};
use crate::report::context::{self, ChartCtx, ContextInput};
use crate::report::sandbox::Sandbox;
use crate::report::Templates;
use crate::settings::Settings;
use crate::table::figures_frame;
use crate::timings::Timings;
use crate::validate::{read_year, ReadOptions, YearReading};

pub use crate::period::Period;

/// What a run made besides its files: the year's reading (for the summary
/// and `--strict`), and warnings to print.
pub struct Product {
    pub period: Period,
    pub reading: YearReading,
    pub warnings: Vec<String>,
    /// `--strict` stopped the run after reading (the year has errors):
    /// nothing was made, and nothing may be written.
    pub stopped: bool,
}

/// The report or snapshot of `period`, each file put into `out` as soon as
/// it is made. `pre_read` is the year's reading when the caller already has
/// it (choosing the default year reads it), so no file is read twice. With
/// `--strict`, a year with errors stops after reading. Each stage is closed
/// on `timings`.
pub fn build(
    inputs: &Inputs,
    period: Period,
    settings: &Settings,
    pre_read: Option<YearReading>,
    timings: &mut Timings,
    out: &mut Staging,
) -> Result<Product> {
    let (catalogue, year) = (&inputs.catalogue, period.year());
    let templates = Templates::new(settings.templates.as_deref())?.sandboxed(Sandbox::this_binary());
    let mut warnings = Vec::new();

    // 1. Read this year, and last year for the comparison.
    let mut reading = match pre_read {
        Some(r) => r,
        None => read(inputs, year, Some(period.due_through()), settings.quiet)?,
    };
    timings.stage(format!("读取 {year} 年报表"));
    if period.is_year_end() && !reading.counted().any(|s| s.info.filled_through == Some(12)) {
        warnings.push(format!(
            "注意：{year} 年还没有年终报表（截至月份 12），报告按已报的月份统计；年中进度请用 annual-report snapshot"
        ));
    }
    let previous = read_previous(inputs, year, settings)?;
    timings.stage(format!("读取 {} 年报表", year - 1));
    plausibility::check(&mut reading, previous.as_ref(), catalogue, period.span());
    timings.stage("与本单位往年比较");
    if settings.strict && reading.has_errors() {
        return Ok(Product {
            period,
            reading,
            warnings,
            stopped: true,
        });
    }

    // 2.–5. The report and the tables. Beside them, on a thread of their
    // own, the receipts and sources.csv (they need the readings only):
    // creating 10,000 receipt files is the file system's time on one core,
    // which the report's stages, on one core mostly, leave free.
    let (reading_ref, previous_ref) = (&reading, previous.as_ref());
    let stager = out.stager();
    let (made, beside) = std::thread::scope(|scope| {
        let beside = stager.and_then(|mut stager| {
            let make = move || receipts_and_sources(inputs, reading_ref, previous_ref, period, &mut stager);
            std::thread::Builder::new()
                .name("receipts".into())
                .spawn_scoped(scope, make)
                .ok()
        });
        let made = report_and_tables(
            inputs,
            period,
            settings,
            &templates,
            reading_ref,
            previous_ref,
            timings,
            out,
        );
        (made, beside.map(|r| r.join()))
    });
    warnings.extend(made?);
    match beside {
        // No thread to be had: made now.
        None => receipts_and_sources(inputs, &reading, previous.as_ref(), period, out)?,
        Some(Ok(Ok(()))) => {}
        // The staging's own error (a failed write) says more, if it has one.
        Some(Ok(Err(e))) => {
            out.written()?;
            return Err(e);
        }
        Some(Err(_)) => anyhow::bail!("回执和 sources.csv 未能生成（线程意外中止）"),
    }
    timings.stage("等待回执与 sources.csv");

    // 6. The manifest: every input and output with its hash.
    let run = Run {
        command: period.stem(),
        period: period.name(),
        as_of: settings.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
    };
    let used: Vec<TemplateHash> = templates
        .used()
        .into_iter()
        .map(|t| TemplateHash {
            sha256: crate::digest::sha256_hex(t.text.as_bytes()),
            name: t.name,
            origin: t.origin,
        })
        .collect();
    let manifest = manifest_json(
        &run,
        &input_files(inputs, &reading, previous.as_ref()),
        &used,
        out.written()?,
    );
    out.put(vec![OutputFile::new("manifest.json", manifest)])?;
    timings.stage("清单（manifest）");

    Ok(Product {
        period,
        reading,
        warnings,
        stopped: false,
    })
}

/// Stages 2–5: aggregate this year and the same span of last year, chart,
/// write the text, lay it out as Word and HTML, make the tables; each file
/// staged as it is made. Returns warnings to print.
#[allow(clippy::too_many_arguments)]
fn report_and_tables(
    inputs: &Inputs,
    period: Period,
    settings: &Settings,
    templates: &Templates,
    reading: &YearReading,
    previous: Option<&YearReading>,
    timings: &mut Timings,
    out: &mut Staging,
) -> Result<Vec<String>> {
    let (catalogue, registry, year) = (&inputs.catalogue, &inputs.registry, period.year());
    let mut warnings = Vec::new();
    // 2. Aggregate this year and the same span of last year.
    let figures = figures_frame(reading)?;
    let previous_figures = previous.map(figures_frame).transpose()?;
    let agg = aggregate(&figures, previous_figures.as_ref(), catalogue, year, period.span())?;
    drop(figures);
    timings.stage("汇总");

    // 3. Chart.
    let charts = match period {
        Period::Year(_) => figures::year_figures(catalogue, &agg, year, previous.is_some())?,
        Period::Snapshot { month, .. } => {
            let last_year = previous_figures
                .as_ref()
                .map(|f| month_rows(f, catalogue, Span::Year))
                .transpose()?;
            figures::snapshot_figures(catalogue, &agg, last_year.as_deref(), year, month)?
        }
    };
    // The frames hold every counted figure: not kept past here.
    drop(previous_figures);
    crate::memory::give_back();
    warnings.extend(missing_glyph_warnings(&charts));
    timings.stage("图表");

    // 4. Write the text.
    let ctx = context::build(ContextInput {
        catalogue,
        registry,
        reading,
        previous,
        aggregates: &agg,
        as_of: settings.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        through_month: period.through_month(),
        charts: charts_by_group(catalogue, &charts),
    });
    let env = templates.environment();
    // Serialised once for both renders.
    let ctx = minijinja::Value::from(minijinja::value::Serde(&ctx));
    let md = templates.render(&env, &format!("{}.md.j2", period.stem()), &ctx)?;
    // The same text with each figure linked to its sources, for html and docx.
    let linked = minijinja::context! { figure_links => true, ..ctx };
    let linked = templates.render(&env, &format!("{}.md.j2", period.stem()), &linked)?;
    timings.stage("报告文字");

    // 5. Every output as bytes; html and docx are the Markdown laid out.
    let images: HashMap<String, Vec<u8>> = charts
        .iter()
        .flat_map(|f| f.files())
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    let meta = DocMeta {
        title: catalogue.title.clone(),
        organisation: catalogue.organisation.clone(),
        date: settings
            .as_of
            .or_else(|| reading.counted().filter_map(|s| s.info.filed_on).max()),
    };
    let doc = document::render(&linked, &images, &meta).map_err(|e| anyhow::anyhow!("无法生成 Word 文档：{e}"))?;
    if !doc.removed_chars.is_empty() {
        let codes: Vec<String> = doc
            .removed_chars
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        warnings.push(format!(
            "注意：报告文字中有 Word 无法保存的控制字符（{}），已从 {stem}.docx 和 {stem}.html 中删除；请检查单位名称、填报人等文字",
            codes.join("、"),
            stem = period.stem()
        ));
    }
    drop(images);
    out.put(vec![
        OutputFile::new(format!("{}.docx", period.stem()), doc.docx),
        OutputFile::new(format!("{}.md", period.stem()), md.into_bytes()),
        OutputFile::new(format!("{}.html", period.stem()), doc.html),
    ])?;
    out.put(charts.into_iter().flat_map(|f| [f.svg, f.png]).collect())?;
    timings.stage("Word 与 HTML");
    table_files(inputs, period, reading, previous, &agg, out)?;
    drop(agg);
    timings.stage("汇总表与检查结果");
    Ok(warnings)
}

/// `validate`: the year's checks only — validation.md, validation.csv and
/// tables/submissions.csv — and the files to write.
pub fn check(inputs: &Inputs, year: i32, settings: &Settings) -> Result<(Product, Vec<OutputFile>)> {
    let mut reading = read(inputs, year, None, settings.quiet)?;
    let previous = read_previous(inputs, year, settings)?;
    plausibility::check(
        &mut reading,
        previous.as_ref(),
        &inputs.catalogue,
        Period::Year(year).span(),
    );
    let mut files = vec![
        OutputFile::new(
            "validation.md",
            validation::validation_md(&reading, previous.as_ref(), &inputs.registry, Period::Year(year)),
        ),
        OutputFile::new("validation.csv", validation::validation_csv(&reading)),
        OutputFile::new("tables/submissions.csv", submissions_csv(&reading, &inputs.registry)),
    ];
    receipt_files(inputs, &reading, previous.as_ref(), Period::Year(year), &mut |r| {
        files.extend(r);
        Ok(())
    })?;
    let product = Product {
        period: Period::Year(year),
        reading,
        warnings: Vec::new(),
        stopped: false,
    };
    Ok((product, files))
}

/// Read a year; `due_through` marks lateness (`None`: no lateness).
pub fn read(inputs: &Inputs, year: i32, due_through: Option<u8>, quiet: bool) -> Result<YearReading> {
    let options = ReadOptions {
        progress: !quiet,
        due_through,
        isolation: crate::validate::Isolation::this_binary(),
    };
    read_year(&inputs.dir, year, &inputs.catalogue, &inputs.registry, &options)
}

/// Last year, when its folder exists: the comparison, the units' own
/// history for the plausibility checks, and contacts of units not heard from.
fn read_previous(inputs: &Inputs, year: i32, settings: &Settings) -> Result<Option<YearReading>> {
    match inputs.dir.join((year - 1).to_string()).is_dir() {
        true => Ok(Some(read(inputs, year - 1, None, settings.quiet)?)),
        false => Ok(None),
    }
}

/// receipts/ and tables/sources.csv, put into `out` as they are made.
fn receipts_and_sources(
    inputs: &Inputs,
    reading: &YearReading,
    previous: Option<&YearReading>,
    period: Period,
    out: &mut impl Put,
) -> Result<()> {
    receipt_files(inputs, reading, previous, period, &mut |files| out.put(files))?;
    // Made on every core, freed here: handed back before sources.csv.
    crate::memory::give_back();
    out.put_streamed("tables/sources.csv", |sink| {
        sources::write_sources_csv(reading, &inputs.catalogue, &inputs.registry, period.span(), sink)
    })
}

/// receipts/: one 回执 per unit that sent something, and the index, handed
/// to `put` a batch at a time.
fn receipt_files(
    inputs: &Inputs,
    reading: &YearReading,
    previous: Option<&YearReading>,
    period: Period,
    put: &mut dyn FnMut(Vec<OutputFile>) -> Result<()>,
) -> Result<()> {
    let ctx = receipts::ReceiptContext {
        reading,
        previous,
        catalogue: &inputs.catalogue,
        registry: &inputs.registry,
        period_title: period.title(),
        span: period.span(),
    };
    receipts::receipts(&ctx, put)
}

/// The machine-readable tables, summary.xlsx and the validation report,
/// each staged as soon as it is made: at 10,000 units together they held
/// about 100 MB.
fn table_files(
    inputs: &Inputs,
    period: Period,
    reading: &YearReading,
    previous: Option<&YearReading>,
    agg: &Aggregates,
    out: &mut Staging,
) -> Result<()> {
    let (catalogue, registry) = (&inputs.catalogue, &inputs.registry);
    let mut put = |path: &str, bytes: Vec<u8>| out.put(vec![OutputFile::new(path, bytes)]);
    put("tables/metrics.csv", tables::metrics_csv(agg, catalogue))?;
    put("tables/units.csv", tables::units_csv(agg, catalogue, registry))?;
    put("tables/months.csv", tables::months_csv(agg, catalogue))?;
    put("tables/submissions.csv", submissions_csv(reading, registry))?;
    let sources = workbook::Sources {
        period,
        reading,
        previous,
        aggregates: agg,
        catalogue,
        registry,
    };
    put("tables/summary.xlsx", workbook::summary_xlsx(&sources)?)?;
    put(
        "validation.md",
        validation::validation_md(reading, previous, registry, period),
    )?;
    put("validation.csv", validation::validation_csv(reading))
}

fn charts_by_group(catalogue: &crate::catalogue::Catalogue, charts: &[Figure]) -> BTreeMap<String, Vec<ChartCtx>> {
    let groups = figures::groups(catalogue);
    let mut by_group: BTreeMap<String, Vec<ChartCtx>> = BTreeMap::new();
    for f in charts {
        by_group
            .entry(groups[f.group].heading.clone())
            .or_default()
            .push(ChartCtx {
                title: f.label(),
                svg: f.svg.path.clone(),
                png: f.png.path.clone(),
                png_data_uri: format!("data:image/png;base64,{}", STANDARD.encode(&f.png.bytes)),
            });
    }
    by_group
}

/// A character the embedded font lacks: named once, with its charts.
fn missing_glyph_warnings(charts: &[Figure]) -> Vec<String> {
    let mut missing: BTreeMap<char, Vec<String>> = BTreeMap::new();
    for f in charts {
        for ch in &f.missing_glyphs {
            missing.entry(*ch).or_default().push(f.label());
        }
    }
    missing
        .into_iter()
        .map(|(ch, titles)| {
            format!(
                "警告：内置字体没有字符“{ch}”，它在图表 {} 中会显示为方框",
                titles.join("、")
            )
        })
        .collect()
}

/// Every input file with its hash and what became of it.
fn input_files(inputs: &Inputs, reading: &YearReading, previous: Option<&YearReading>) -> Vec<InputFile> {
    let mut files: Vec<InputFile> = inputs
        .files
        .iter()
        .enumerate()
        .map(|(i, (file, sha256))| InputFile {
            file: file.clone(),
            sha256: Some(sha256.clone()),
            role: if i == 0 { "catalogue" } else { "registry" },
        })
        .collect();
    for r in std::iter::once(reading).chain(previous) {
        for (i, s) in r.submissions.iter().enumerate() {
            let counted = r.selection.counted.binary_search(&i).is_ok();
            files.push(InputFile {
                file: s.file.clone(),
                sha256: (!s.sha256.is_empty()).then(|| s.sha256.clone()),
                role: if counted { "counted" } else { "not counted" },
            });
        }
        // Skipped files are hashed as a stream, never read whole; one that
        // cannot be read has no hash (its diagnostic says why).
        for d in &r.skipped {
            files.push(InputFile {
                file: d.file.clone(),
                sha256: crate::digest::sha256_file(&inputs.dir.join(&d.file)).ok(),
                role: "skipped",
            });
        }
    }
    files
}
