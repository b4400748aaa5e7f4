//! A snapshot's charts: per metric with a target this year, its progress by month against last year and
//! the target, titled by programme and metric.

use crate::aggregate::{Aggregates, MonthTotal};
use crate::catalogue::{Aggregate, Catalogue, Metric};
use crate::chart::{Line, ProgressChart, Target};
use crate::output::safe_stem;

use super::wording::scale;
use super::{groups, Chart, Planned};

pub(super) fn plan(
    catalogue: &Catalogue,
    agg: &Aggregates,
    last_year: Option<&[MonthTotal]>,
    year: i32,
    month: u8,
) -> Vec<Planned> {
    let mut planned: Vec<Planned> = Vec::new();
    for (gi, group) in groups(catalogue).iter().enumerate() {
        for &mi in &group.metrics {
            let metric = &catalogue.metrics[mi];
            let Some(&target) = metric.targets.get(&year) else {
                continue;
            };
            let this_year = by_month(metric, mi, &agg.months, month);
            // A last year with nothing in it is no line at all, not a line along 0.
            let before = last_year
                .map(|months| by_month(metric, mi, months, 12))
                .filter(|points| points.iter().any(|p| p.1 != 0.0));
            let largest = this_year
                .iter()
                .chain(before.iter().flatten())
                .map(|p| p.1)
                .fold(target, f64::max);
            let scale = scale(metric, largest);
            let line = |label: String, points: &[(u8, f64)], current: bool| Line {
                label,
                end_label: points.last().map(|p| scale.figure(p.1)).unwrap_or_default(),
                points: points.iter().map(|&(m, v)| (m, scale.value(v))).collect(),
                current,
            };
            let mut lines = vec![line(format!("{year}年"), &this_year, true)];
            lines.extend(before.map(|b| line(format!("{}年", year - 1), &b, false)));
            let programme = &catalogue.programmes[metric.programme].name;
            let kind = match metric.aggregate {
                Aggregate::Sum => "累计完成情况",
                Aggregate::Last => "各月情况",
            };
            let mut caption = format!("{programme}·{}{kind}", metric.name);
            if planned.iter().any(|p| p.caption == caption) {
                caption = format!("{caption}（{}）", metric.id);
            }
            let unit = if scale.unit.is_empty() {
                String::new()
            } else {
                format!("（{}）", scale.unit)
            };
            planned.push(Planned {
                group: gi,
                stem: safe_stem(&metric.id),
                chart: Chart::Progress(ProgressChart {
                    title: format!("{caption}{unit}"),
                    lines,
                    target: Some(Target {
                        label: format!("全年目标 {}{}", scale.figure(target), scale.unit),
                        value: scale.value(target),
                    }),
                }),
                caption,
            });
        }
    }
    planned
}

/// A metric's figure at each month through `through`: amounts add up, levels are shown as they stand.
fn by_month(metric: &Metric, index: usize, months: &[MonthTotal], through: u8) -> Vec<(u8, f64)> {
    let mut sum = 0.0;
    months
        .iter()
        .filter(|t| t.metric == index && t.month <= through)
        .filter_map(|t| match metric.aggregate {
            Aggregate::Sum => {
                sum += t.total.unwrap_or(0.0);
                Some((t.month, sum))
            }
            Aggregate::Last => t.total.map(|v| (t.month, v)),
        })
        .collect()
}
