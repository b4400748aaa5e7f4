//! What a chart shows of one metric, read from the aggregates in one place. When the aggregates carry
//! the like-for-like basis and a change state, [`shown`] is the one function to re-point.

use crate::aggregate::MetricSummary;
use crate::chart::Change;

/// A metric's figures as charts show them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shown {
    pub total: f64,
    /// Last year's total (same months); None when there is no last year to compare with.
    pub previous: Option<f64>,
    pub change: Change,
}

/// None when there is nothing to show: nothing this year and nothing (or nothing counted) last year.
pub(crate) fn shown(s: &MetricSummary) -> Option<Shown> {
    let change = match (s.previous, s.yoy_pct) {
        (None, _) => Change::NotCounted,
        (Some(_), Some(pct)) if pct.is_finite() => Change::Pct(pct),
        (Some(_), _) => Change::New,
    };
    let nothing = s.total == 0.0 && s.previous.unwrap_or(0.0) == 0.0;
    (!nothing && s.total.is_finite()).then_some(Shown {
        total: s.total,
        previous: s.previous,
        change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(total: f64, previous: Option<f64>, yoy_pct: Option<f64>) -> MetricSummary {
        MetricSummary {
            metric: 0,
            total,
            units_reporting: 1,
            previous,
            yoy_pct,
            target: None,
            target_pct: None,
        }
    }

    #[test]
    fn a_change_needs_a_comparable_last_year() {
        assert_eq!(
            shown(&summary(54.0, Some(41.22), Some(31.0))).unwrap().change,
            Change::Pct(31.0)
        );
        assert_eq!(shown(&summary(50510.0, Some(0.0), None)).unwrap().change, Change::New);
        assert_eq!(shown(&summary(5.0, None, None)).unwrap().change, Change::NotCounted);
        assert_eq!(
            shown(&summary(0.0, Some(3.0), Some(-100.0))).unwrap().change,
            Change::Pct(-100.0)
        );
        assert_eq!(shown(&summary(0.0, Some(0.0), None)), None, "nothing in either year");
        assert_eq!(shown(&summary(0.0, None, None)), None);
    }
}
