//! Where a figure comes from: for one metric and period, each counted
//! unit's contribution (largest first) with every cell behind it — the same
//! selection and the same sums as the report, never a second rule.

use anyhow::{bail, Result};

use crate::aggregate::{aggregate, Span};
use crate::catalogue::{Aggregate, Catalogue};
use crate::registry::Registry;
use crate::table::figures_frame;
use crate::validate::YearReading;

/// One counted cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub month: Option<u8>,
    pub value: f64,
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

/// One unit's part of the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub unit_code: String,
    pub unit_name: String,
    pub value: f64,
    /// Per cent of the total; `None` when the total is 0.
    pub share_pct: Option<f64>,
    /// The cells that make the value: every month for a sum, the latest
    /// month for a level.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub metric: usize,
    pub total: f64,
    pub contributions: Vec<Contribution>,
}

/// The metric named by its id, its name, or 项目·指标 when names repeat.
pub fn find_metric(catalogue: &Catalogue, wanted: &str) -> Result<usize> {
    let wanted = wanted.trim();
    let label = |i: usize| {
        let m = &catalogue.metrics[i];
        format!("{}·{}", catalogue.programmes[m.programme].name, m.name)
    };
    if let Some(i) = catalogue.metrics.iter().position(|m| m.id == wanted) {
        return Ok(i);
    }
    let by_name: Vec<usize> = (0..catalogue.metrics.len())
        .filter(|&i| catalogue.metrics[i].name == wanted || label(i) == wanted)
        .collect();
    match by_name.as_slice() {
        [i] => Ok(*i),
        [] => bail!("没有指标“{wanted}”：请写 report.toml 中的指标代码（如 fitness.items）或指标名称"),
        several => bail!(
            "指标名称“{wanted}”有 {} 个：请写其中一个的指标代码或“项目·指标”：{}",
            several.len(),
            several
                .iter()
                .map(|&i| format!("{}（{}）", label(i), catalogue.metrics[i].id))
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

/// The contributions to `metric` over `span` of the counted submissions.
pub fn trace(
    reading: &YearReading,
    catalogue: &Catalogue,
    registry: &Registry,
    metric: usize,
    span: Span,
) -> Result<Trace> {
    let frame = figures_frame(reading)?;
    let agg = aggregate(&frame, None, catalogue, reading.year, span)?;
    let total = agg.metrics[metric].total;
    let is_level = catalogue.metrics[metric].aggregate == Aggregate::Last;
    let mut contributions = Vec::new();
    for status in &reading.selection.units {
        let Some(i) = status
            .submission
            .filter(|i| reading.selection.counted.binary_search(i).is_ok())
        else {
            continue;
        };
        let (unit, submission) = (&registry.units[status.unit], &reading.submissions[i]);
        let mut cells: Vec<Cell> = submission
            .figures
            .iter()
            .filter(|f| f.metric as usize == metric)
            .filter(|f| match span {
                Span::Year => true,
                Span::Through(m) => f.month.is_some_and(|month| month <= m),
            })
            .map(|f| Cell {
                month: f.month,
                value: f.value,
                file: submission.file.clone(),
                sheet: crate::validate::data::SHEET.to_owned(),
                cell: f.cell.a1(),
            })
            .collect();
        if is_level {
            // A level is its latest month (or its 全年 when it has no month).
            cells.sort_by_key(|c| c.month);
            cells = cells.pop().into_iter().collect();
        }
        let value: f64 = agg
            .units
            .iter()
            .find(|u| u.metric == metric && u.unit_code == submission.info.unit.as_deref().unwrap_or_default())
            .map_or(0.0, |u| u.total);
        if value != 0.0 || cells.iter().any(|c| c.value != 0.0) {
            contributions.push(Contribution {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                value,
                share_pct: (total != 0.0).then(|| value / total * 100.0),
                cells,
            });
        }
    }
    contributions.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.unit_code.cmp(&b.unit_code)));
    Ok(Trace {
        metric,
        total,
        contributions,
    })
}
