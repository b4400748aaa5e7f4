//! Which charts a report has — year end: per group and unit of measure, this
//! year against last year; snapshot: progress by month against target.
//! Rendering is the chart module's; this decides what goes in each chart and
//! names the files.

use base64::Engine;
use rayon::prelude::*;

use crate::aggregate::{Aggregates, MonthTotal};
use crate::catalogue::{Aggregate, Catalogue};
use crate::chart::{render_bars, render_lines, BarChart, LineChart, LineSeries, Series};
use crate::output::OutputFile;

use super::context::ChartCtx;

/// A rendered chart: its place in the report and its files.
pub struct ChartOut {
    /// The group heading it belongs under.
    pub group: String,
    pub ctx: ChartCtx,
    pub files: Vec<OutputFile>,
    pub missing_glyphs: Vec<char>,
}

/// Group headings in catalogue order: a programme's group, or its own name.
pub fn group_headings(catalogue: &Catalogue) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for p in &catalogue.programmes {
        let heading = p.group.clone().unwrap_or_else(|| p.name.clone());
        match groups.iter_mut().find(|(g, _)| *g == heading) {
            Some((_, metrics)) => metrics.extend(&p.metrics),
            None => groups.push((heading, p.metrics.clone())),
        }
    }
    groups
}

/// One bar chart per group and unit of measure: bars of different units on
/// one axis would mislead. Within a group, money comes first, then the units
/// with the most metrics; charts with no figures at all are left out.
pub fn year_charts(
    catalogue: &Catalogue,
    agg: &Aggregates,
    year: i32,
    has_previous: bool,
) -> anyhow::Result<Vec<ChartOut>> {
    let mut planned = Vec::new();
    for (gi, (group, metrics)) in group_headings(catalogue).into_iter().enumerate() {
        let mut by_unit: Vec<(&str, Vec<usize>)> = Vec::new();
        for &m in &metrics {
            let unit = catalogue.metrics[m].unit.as_str();
            match by_unit.iter_mut().find(|(u, _)| *u == unit) {
                Some((_, ms)) => ms.push(m),
                None => by_unit.push((unit, vec![m])),
            }
        }
        by_unit.retain(|(_, ms)| {
            ms.iter()
                .any(|&m| agg.metrics[m].total != 0.0 || agg.metrics[m].previous.is_some_and(|p| p != 0.0))
        });
        by_unit.sort_by_key(|(_, ms)| (!catalogue.metrics[ms[0]].is_money(), std::cmp::Reverse(ms.len())));
        for (ui, (unit, chosen)) in by_unit.into_iter().enumerate() {
            let mut series = Vec::new();
            if has_previous {
                series.push(Series {
                    label: format!("{}年", year - 1),
                    values: chosen.iter().map(|&m| agg.metrics[m].previous).collect(),
                });
            }
            series.push(Series {
                label: format!("{year}年"),
                values: chosen.iter().map(|&m| Some(agg.metrics[m].total)).collect(),
            });
            let title = if unit.is_empty() {
                group.clone()
            } else {
                format!("{group}（{unit}）")
            };
            let chart = BarChart {
                title,
                categories: bar_names(catalogue, &chosen),
                series,
            };
            planned.push((group.clone(), format!("charts/{:02}-{}", gi + 1, ui + 1), chart));
        }
    }
    planned
        .into_par_iter()
        .map(|(group, stem, chart)| {
            let rendered = render_bars(&chart).map_err(|e| anyhow::anyhow!("无法绘制图表“{}”：{e}", chart.title))?;
            Ok(chart_out(group, &stem, &chart.title, rendered))
        })
        .collect()
}

/// What each bar is called: the programme's name when every bar comes from
/// a different programme (五送五有（万元）: 送报刊, 送温暖 …); else the
/// metric's name, with its programme in front where two names are alike.
fn bar_names(catalogue: &Catalogue, metrics: &[usize]) -> Vec<String> {
    let programme = |m: usize| &catalogue.programmes[catalogue.metrics[m].programme].name;
    let mut programmes: Vec<&String> = metrics.iter().map(|&m| programme(m)).collect();
    programmes.sort();
    programmes.dedup();
    if metrics.len() > 1 && programmes.len() == metrics.len() {
        return metrics.iter().map(|&m| programme(m).clone()).collect();
    }
    let name = |m: usize| &catalogue.metrics[m].name;
    metrics
        .iter()
        .map(|&m| {
            let repeated = metrics.iter().filter(|&&o| name(o) == name(m)).count() > 1;
            if repeated {
                format!("{}·{}", programme(m), name(m))
            } else {
                name(m).clone()
            }
        })
        .collect()
}

/// Snapshot charts: per metric with a target, progress by month this year
/// (through the snapshot month) against last year and the target line.
/// Amounts accumulate; levels are shown as they stand each month.
pub fn progress_charts(
    catalogue: &Catalogue,
    agg: &Aggregates,
    previous_months: Option<&[MonthTotal]>,
    year: i32,
    month: u8,
) -> anyhow::Result<Vec<ChartOut>> {
    let groups = group_headings(catalogue);
    let mut planned = Vec::new();
    for (mi, m) in catalogue.metrics.iter().enumerate() {
        let Some(target) = m.targets.get(&year) else { continue };
        let group = groups
            .iter()
            .find(|(_, ms)| ms.contains(&mi))
            .map(|(g, _)| g.clone())
            .unwrap_or_default();
        let line = |months: &[MonthTotal], through: u8| -> Vec<(u8, f64)> {
            let mut acc = 0.0;
            months
                .iter()
                .filter(|t| t.metric == mi && t.month <= through)
                .filter_map(|t| match m.aggregate {
                    Aggregate::Sum => {
                        acc += t.total.unwrap_or(0.0);
                        Some((t.month, acc))
                    }
                    Aggregate::Last => t.total.map(|v| (t.month, v)),
                })
                .collect()
        };
        let mut series = vec![LineSeries {
            label: format!("{year}年"),
            points: line(&agg.months, month),
        }];
        if let Some(prev) = previous_months {
            series.push(LineSeries {
                label: format!("{}年", year - 1),
                points: line(prev, 12),
            });
        }
        let kind = if m.aggregate == Aggregate::Sum {
            "累计完成情况"
        } else {
            "各月情况"
        };
        let unit = if m.unit.is_empty() {
            String::new()
        } else {
            format!("（{}）", m.unit)
        };
        let chart = LineChart {
            title: format!("{}{kind}{unit}", m.name),
            months_shown: month,
            series,
            target: Some(("全年目标".to_owned(), *target)),
        };
        planned.push((group, format!("charts/{}", crate::output::safe_stem(&m.id)), chart));
    }
    planned
        .into_par_iter()
        .map(|(group, stem, chart)| {
            let rendered = render_lines(&chart).map_err(|e| anyhow::anyhow!("无法绘制图表“{}”：{e}", chart.title))?;
            Ok(chart_out(group, &stem, &chart.title, rendered))
        })
        .collect()
}

fn chart_out(group: String, stem: &str, title: &str, rendered: crate::chart::Rendered) -> ChartOut {
    let (svg, png) = (format!("{stem}.svg"), format!("{stem}.png"));
    let data_uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&rendered.png)
    );
    ChartOut {
        group,
        ctx: ChartCtx {
            title: title.to_owned(),
            svg: svg.clone(),
            png: png.clone(),
            png_data_uri: data_uri,
        },
        files: vec![OutputFile::new(svg, rendered.svg), OutputFile::new(png, rendered.png)],
        missing_glyphs: rendered.missing_glyphs,
    }
}
