//! Where each figure comes from, as the templates see it: per metric, the
//! units behind it (largest first, with their share), and the anchor by
//! which report.html links a figure of the text to its row of sources.

use serde::Serialize;

use crate::aggregate::{Aggregates, UnitTotal};
use crate::catalogue::Catalogue;
use crate::registry::Registry;

/// One unit's part of a metric's figure.
#[derive(Debug, Clone, Serialize)]
pub struct ContributionCtx {
    pub code: String,
    pub name: String,
    pub value: f64,
    /// Per cent of the figure; `None` when the figure is 0.
    pub share_pct: Option<f64>,
}

/// `m-` and the metric's id where it is made of letters, digits, `.`, `-`
/// and `_` (an HTML id and a Markdown link target as it stands); else
/// `m` and its position in the catalogue, which no such id can be.
pub fn anchor(id: &str, index: usize) -> String {
    let plain = id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    match plain {
        true => format!("m-{id}"),
        false => format!("m{}", index + 1),
    }
}

/// Units kept per metric: the templates show the first five; the whole list
/// is tables/sources.csv. With ten thousand units, every unit of every
/// metric was most of the text stage's time and memory.
pub const CONTRIBUTIONS_KEPT: usize = 20;

/// Per metric, the [`CONTRIBUTIONS_KEPT`] units with the largest figure
/// (ties in registry order), with their share of the metric's figure.
pub fn contributions(aggregates: &Aggregates, catalogue: &Catalogue, registry: &Registry) -> Vec<Vec<ContributionCtx>> {
    let mut out: Vec<Vec<(usize, &UnitTotal)>> = vec![Vec::new(); catalogue.metrics.len()];
    for t in &aggregates.units {
        if let Some(list) = out.get_mut(t.metric) {
            list.push((registry.position(&t.unit_code).unwrap_or(usize::MAX), t));
        }
    }
    // Largest first, ties in registry order: the kept units are picked
    // before any is written out (at 10,000 units, writing every unit's
    // name and share only to drop all but twenty was a tenth of the text
    // stage).
    let order = |(pa, a): &(usize, &UnitTotal), (pb, b): &(usize, &UnitTotal)| {
        b.total
            .total_cmp(&a.total)
            .then(pa.cmp(pb))
            .then(a.unit_code.cmp(&b.unit_code))
    };
    out.into_iter()
        .map(|mut list| {
            if list.len() > CONTRIBUTIONS_KEPT {
                list.select_nth_unstable_by(CONTRIBUTIONS_KEPT, order);
                list.truncate(CONTRIBUTIONS_KEPT);
            }
            list.sort_by(order);
            list.into_iter()
                .map(|(_, t)| {
                    let m = &catalogue.metrics[t.metric];
                    ContributionCtx {
                        code: t.unit_code.clone(),
                        name: registry
                            .lookup(&t.unit_code)
                            .map_or_else(|| t.unit_code.clone(), |u| u.name.clone()),
                        value: t.total,
                        share_pct: crate::number::share_pct(t.total, aggregates.metrics[t.metric].total, m.decimals),
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_units_are_kept_ties_in_registry_order() {
        use crate::aggregate::MetricSummary;
        let catalogue = Catalogue::parse(
            "organisation = \"o\"\ntitle = \"t\"\n[[programmes]]\nid = \"p\"\nname = \"p\"\n  [[programmes.metrics]]\n  id = \"p.a\"\n  name = \"资金\"\n  unit = \"万元\"\n  decimals = 2\n",
            "t",
        )
        .unwrap();
        // Registry order u30, u29, …, u01; figures with many ties.
        let csv: String = std::iter::once("单位代码,单位名称\n".to_owned())
            .chain((1..=30).rev().map(|i| format!("u{i:02},单位{i}\n")))
            .collect();
        let registry = Registry::from_bytes(csv.as_bytes(), "units.csv".as_ref()).unwrap();
        let units: Vec<UnitTotal> = (1..=30)
            .map(|i| UnitTotal {
                unit_code: format!("u{i:02}"),
                metric: 0,
                total: f64::from(i % 7),
            })
            .collect();
        let total: f64 = units.iter().map(|u| u.total).sum();
        let aggregates = Aggregates {
            metrics: vec![MetricSummary::of_total(0, total)],
            units,
            ..Aggregates::default()
        };
        let kept = &contributions(&aggregates, &catalogue, &registry)[0];
        // Largest first; equal figures in registry order (higher codes first here).
        let mut expected: Vec<u32> = (1..=30).collect();
        expected.sort_by(|a, b| (b % 7).cmp(&(a % 7)).then(b.cmp(a)));
        let codes: Vec<String> = expected
            .iter()
            .take(CONTRIBUTIONS_KEPT)
            .map(|i| format!("u{i:02}"))
            .collect();
        assert_eq!(kept.iter().map(|c| c.code.clone()).collect::<Vec<_>>(), codes);
        assert_eq!(kept[0].name, "单位27");
        assert_eq!(kept[0].share_pct, crate::number::share_pct(6.0, total, 2));
    }

    #[test]
    fn anchors_are_the_id_where_it_is_safe_in_html_and_markdown() {
        assert_eq!(anchor("fitness.items", 3), "m-fitness.items");
        assert_eq!(anchor("help.measures_done", 0), "m-help.measures_done");
        assert_eq!(anchor("健身(件)", 3), "m4");
        assert_eq!(anchor("a\"b", 0), "m1");
    }
}
