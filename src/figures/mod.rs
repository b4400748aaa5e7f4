//! The one owner of a report's charts: which charts there are, in document order, their file names,
//! figure numbers (图1, 图2 …) and captions. Year end, per programme group in catalogue order: the 同比
//! chart (when there is a last year), then this year against last year, one panel per metric. Snapshot:
//! per metric with a target, its progress by month. Drawing is [`crate::chart`]'s; the figures come from
//! the aggregates through [`from_aggregates`] and are worded by [`wording`].
//!
//! Two charts a group keeps a report readable: the 同比 chart says what the sentences say (up or down,
//! by how much), the panels give the figures behind it. A chart holds at most [`year::ROWS_PER_CHART`]
//! metrics so that it fits on a page with its caption; a larger group continues in a chart captioned
//! "（续）".

mod from_aggregates;
mod snapshot;
mod wording;
mod year;

use anyhow::{anyhow, Result};
use rayon::prelude::*;

use crate::aggregate::{Aggregates, MonthTotal};
use crate::catalogue::Catalogue;
use crate::chart::{self, ChangeChart, CompareChart, ProgressChart, Rendered};
use crate::output::OutputFile;

/// A programme group: the heading the report writes its programmes under.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The programme's `group`, or its own name when it has none.
    pub heading: String,
    /// Indices into the catalogue's programmes, in catalogue order.
    pub programmes: Vec<usize>,
    /// Indices into the catalogue's metrics, in catalogue order.
    pub metrics: Vec<usize>,
}

/// The groups in the order the report writes them: by each heading's first programme.
pub fn groups(catalogue: &Catalogue) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (pi, p) in catalogue.programmes.iter().enumerate() {
        let heading = p.group.clone().unwrap_or_else(|| p.name.clone());
        let group = match groups.iter().position(|g| g.heading == heading) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Group {
                    heading,
                    programmes: Vec::new(),
                    metrics: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        group.programmes.push(pi);
        group.metrics.extend(&p.metrics);
    }
    groups
}

/// One chart of a document.
pub struct Figure {
    /// Index into [`groups`]: the section it is shown in.
    pub group: usize,
    /// 图N: from 1, in document order.
    pub number: usize,
    /// e.g. "五送五有各项同比变化".
    pub caption: String,
    /// `charts/….png`, embedded by the documents.
    pub png: OutputFile,
    /// `charts/….svg`, the same chart for editing and the web.
    pub svg: OutputFile,
    /// Drawn characters the embedded font lacks (shown as boxes).
    pub missing_glyphs: Vec<char>,
}

impl Figure {
    /// "图3 五送五有各项同比变化": what the documents write under the chart.
    pub fn label(&self) -> String {
        format!("图{} {}", self.number, self.caption)
    }

    pub fn files(&self) -> [&OutputFile; 2] {
        [&self.svg, &self.png]
    }
}

/// The charts of a year-end report, in document order.
pub fn year_figures(catalogue: &Catalogue, agg: &Aggregates, year: i32, has_previous: bool) -> Result<Vec<Figure>> {
    render_all(year::plan(catalogue, agg, year, has_previous))
}

/// The charts of a snapshot through `month`, in document order. `last_year` is last year's months.
pub fn snapshot_figures(
    catalogue: &Catalogue,
    agg: &Aggregates,
    last_year: Option<&[MonthTotal]>,
    year: i32,
    month: u8,
) -> Result<Vec<Figure>> {
    render_all(snapshot::plan(catalogue, agg, last_year, year, month))
}

/// The figures of each group, indexed like [`groups`].
pub fn by_group(figures: &[Figure], group_count: usize) -> Vec<Vec<&Figure>> {
    let mut out: Vec<Vec<&Figure>> = (0..group_count).map(|_| Vec::new()).collect();
    for f in figures {
        if let Some(list) = out.get_mut(f.group) {
            list.push(f);
        }
    }
    out
}

/// A chart decided on but not drawn yet.
struct Planned {
    group: usize,
    /// File name without extension, under `charts/`.
    stem: String,
    caption: String,
    chart: Chart,
}

enum Chart {
    Change(ChangeChart),
    Compare(CompareChart),
    Progress(ProgressChart),
}

/// Draws every planned chart (in parallel) and numbers them in plan order, which is document order.
fn render_all(planned: Vec<Planned>) -> Result<Vec<Figure>> {
    let rendered: Result<Vec<Rendered>> = planned
        .par_iter()
        .map(|p| {
            match &p.chart {
                Chart::Change(c) => chart::render_change(c),
                Chart::Compare(c) => chart::render_compare(c),
                Chart::Progress(c) => chart::render_progress(c),
            }
            .map_err(|e| anyhow!("无法绘制图表“{}”：{e}", p.caption))
        })
        .collect::<Result<_>>();
    chart::release_canvases();
    let rendered = rendered?;
    Ok(planned
        .into_iter()
        .zip(rendered)
        .enumerate()
        .map(|(i, (p, r))| Figure {
            group: p.group,
            number: i + 1,
            caption: p.caption,
            png: OutputFile::new(format!("charts/{}.png", p.stem), r.png),
            svg: OutputFile::new(format!("charts/{}.svg", p.stem), r.svg),
            missing_glyphs: r.missing_glyphs,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_the_first_programme_of_each_heading() {
        let catalogue = Catalogue::parse(
            r#"
organisation = "工委"
title = "报告"
[[programmes]]
id = "a"
name = "甲"
group = "五送五有"
  [[programmes.metrics]]
  id = "a.x"
  name = "x"
  unit = "个"
[[programmes]]
id = "b"
name = "乙"
  [[programmes.metrics]]
  id = "b.x"
  name = "x"
  unit = "个"
[[programmes]]
id = "c"
name = "丙"
group = "五送五有"
  [[programmes.metrics]]
  id = "c.x"
  name = "x"
  unit = "个"
"#,
            "report.toml",
        )
        .unwrap();
        let g = groups(&catalogue);
        assert_eq!(
            g.iter().map(|g| g.heading.as_str()).collect::<Vec<_>>(),
            ["五送五有", "乙"]
        );
        assert_eq!(
            (g[0].programmes.clone(), g[0].metrics.clone()),
            (vec![0, 2], vec![0, 2])
        );
    }
}
