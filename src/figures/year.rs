//! The year-end charts of each group: the 同比 chart, then this year against last year by metric.

use crate::aggregate::Aggregates;
use crate::catalogue::Catalogue;
use crate::chart::{Cell, Change, ChangeChart, ChangeRow, CompareChart, Panel};

use super::from_aggregates::{shown, Shown};
use super::wording::{percent, scale};
use super::{groups, Chart, Group, Planned};

/// Metrics per chart, so that a chart fits on a page with its caption (a 同比 row or a panel row of
/// two metrics is about 1 cm as printed).
pub(crate) const ROWS_PER_CHART: usize = 16;
const PANELS_PER_CHART: usize = 14;

pub(super) fn plan(catalogue: &Catalogue, agg: &Aggregates, year: i32, has_previous: bool) -> Vec<Planned> {
    let mut planned = Vec::new();
    for (gi, group) in groups(catalogue).iter().enumerate() {
        let names = metric_names(catalogue, group);
        let metrics: Vec<(String, usize, Shown)> = group
            .metrics
            .iter()
            .zip(names)
            .filter_map(|(&m, name)| shown(&agg.metrics[m]).map(|s| (name, m, s)))
            .collect();
        if metrics.is_empty() {
            continue;
        }
        let heading = &group.heading;
        if has_previous {
            for (part, chunk) in balanced(&metrics, ROWS_PER_CHART).enumerate() {
                let rows = chunk.iter().map(|(name, _, s)| change_row(name, s)).collect();
                let title = format!("{heading}各项指标同比变化（{year}年比{}年）", year - 1);
                planned.push(Planned {
                    group: gi,
                    stem: numbered(format!("{:02}-change", gi + 1), part),
                    caption: continued(format!("{heading}各项同比变化"), part),
                    chart: Chart::Change(ChangeChart {
                        title: continued(title, part),
                        rows,
                    }),
                });
            }
        }
        let (series, caption) = if has_previous {
            (
                vec![format!("{}年", year - 1), format!("{year}年")],
                format!("{heading}各项指标{year}年与{}年对比", year - 1),
            )
        } else {
            (vec![format!("{year}年")], format!("{heading}各项指标{year}年完成情况"))
        };
        for (part, chunk) in balanced(&metrics, PANELS_PER_CHART).enumerate() {
            let panels = chunk
                .iter()
                .map(|(name, m, s)| panel(name, &catalogue.metrics[*m], s, has_previous))
                .collect();
            planned.push(Planned {
                group: gi,
                stem: numbered(format!("{:02}-compare", gi + 1), part),
                caption: continued(caption.clone(), part),
                chart: Chart::Compare(CompareChart {
                    title: continued(caption.clone(), part),
                    series: series.clone(),
                    panels,
                }),
            });
        }
    }
    planned
}

fn change_row(name: &str, s: &Shown) -> ChangeRow {
    let label = match s.change {
        Change::Pct(p) => percent(p),
        Change::New => "新增".to_string(),
        Change::NotCounted => "上年未统计".to_string(),
    };
    ChangeRow {
        name: name.to_string(),
        change: s.change,
        label,
    }
}

/// One metric's panel: last year (when there is one) and this year, in the unit the text uses.
fn panel(name: &str, metric: &crate::catalogue::Metric, s: &Shown, has_previous: bool) -> Panel {
    let scale = scale(metric, s.total.max(s.previous.unwrap_or(0.0)));
    let bar = |v: f64| Cell::Bar {
        value: scale.value(v),
        label: scale.figure(v),
    };
    let mut cells = Vec::new();
    if has_previous {
        cells.push(match (s.change, s.previous) {
            (Change::NotCounted, _) | (_, None) => Cell::Note("未统计".into()),
            (Change::New, Some(0.0)) => Cell::Note("无".into()),
            (_, Some(p)) => bar(p),
        });
    }
    cells.push(bar(s.total));
    let unit = if scale.unit.is_empty() {
        String::new()
    } else {
        format!("（{}）", scale.unit)
    };
    Panel {
        title: format!("{name}{unit}"),
        cells,
    }
}

/// What each metric of a group is called on its charts: its own name, after its programme's where two
/// metrics of the group share a name (送健身器材·投入资金, 送助学·投入资金).
fn metric_names(catalogue: &Catalogue, group: &Group) -> Vec<String> {
    let name = |m: usize| catalogue.metrics[m].name.as_str();
    group
        .metrics
        .iter()
        .map(|&m| {
            let repeated = group.metrics.iter().filter(|&&o| name(o) == name(m)).count() > 1;
            if repeated {
                let programme = &catalogue.programmes[catalogue.metrics[m].programme].name;
                format!("{programme}·{}", name(m))
            } else {
                name(m).to_string()
            }
        })
        .collect()
}

/// `items` in as few charts of at most `max` as there must be, the charts as even as can be (20 metrics
/// at 14 a chart: 10 and 10, not 14 and 6).
fn balanced<T>(items: &[T], max: usize) -> std::slice::Chunks<'_, T> {
    let charts = items.len().div_ceil(max.max(1)).max(1);
    items.chunks(items.len().div_ceil(charts).max(1))
}

fn numbered(stem: String, part: usize) -> String {
    if part == 0 {
        stem
    } else {
        format!("{stem}-{}", part + 1)
    }
}

fn continued(text: String, part: usize) -> String {
    if part == 0 {
        text
    } else {
        format!("{text}（续）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_split_evenly() {
        let sizes = |n: usize, max: usize| balanced(&vec![0; n], max).map(<[i32]>::len).collect::<Vec<_>>();
        assert_eq!(sizes(13, 14), [13]);
        assert_eq!(sizes(20, 14), [10, 10]);
        assert_eq!(sizes(29, 14), [10, 10, 9]);
        assert_eq!(sizes(1, 14), [1]);
    }
}
