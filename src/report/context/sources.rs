//! Where each figure comes from, as the templates see it: per metric, the
//! units behind it (largest first, with their share), and the anchor by
//! which report.html links a figure of the text to its row of sources.

use serde::Serialize;

use crate::aggregate::Aggregates;
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
    let mut out: Vec<Vec<(usize, ContributionCtx)>> = vec![Vec::new(); catalogue.metrics.len()];
    for t in &aggregates.units {
        let Some(list) = out.get_mut(t.metric) else { continue };
        let position = registry.position(&t.unit_code).unwrap_or(usize::MAX);
        let m = &catalogue.metrics[t.metric];
        let total = aggregates.metrics[t.metric].total;
        list.push((
            position,
            ContributionCtx {
                code: t.unit_code.clone(),
                name: registry
                    .lookup(&t.unit_code)
                    .map_or_else(|| t.unit_code.clone(), |u| u.name.clone()),
                value: t.total,
                share_pct: crate::number::share_pct(t.total, total, m.decimals),
            },
        ));
    }
    out.into_iter()
        .map(|mut list| {
            list.sort_by(|(pa, a), (pb, b)| b.value.total_cmp(&a.value).then(pa.cmp(pb)).then(a.code.cmp(&b.code)));
            list.into_iter().take(CONTRIBUTIONS_KEPT).map(|(_, c)| c).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_the_id_where_it_is_safe_in_html_and_markdown() {
        assert_eq!(anchor("fitness.items", 3), "m-fitness.items");
        assert_eq!(anchor("help.measures_done", 0), "m-help.measures_done");
        assert_eq!(anchor("健身(件)", 3), "m4");
        assert_eq!(anchor("a\"b", 0), "m1");
    }
}
