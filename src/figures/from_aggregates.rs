//! What a chart shows of one metric, read from the aggregates in one place:
//! the like-for-like change state and last year's figure where last year's
//! forms carried the metric.

use crate::aggregate::MetricSummary;
use crate::chart::Change;
use crate::number;

/// A metric's figures as charts show them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shown {
    pub total: f64,
    /// Last year's total (same months); None when there is no last year, or
    /// last year's forms did not carry the metric — never a 0 bar.
    pub previous: Option<f64>,
    pub change: Change,
}

/// None when there is nothing to show: nothing this year and nothing (or nothing counted) last year.
pub(crate) fn shown(s: &MetricSummary) -> Option<Shown> {
    let previous = s.previous_shown();
    let change = match s.change {
        number::Change::Pct(p) => Change::Pct(p),
        number::Change::Flat => Change::Pct(0.0),
        number::Change::New => Change::New,
        number::Change::NotCounted | number::Change::None => Change::NotCounted,
    };
    let nothing = s.total == 0.0 && previous.unwrap_or(0.0) == 0.0;
    (!nothing && s.total.is_finite()).then_some(Shown {
        total: s.total,
        previous,
        change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(total: f64, previous: Option<f64>, carried: bool, change: number::Change) -> MetricSummary {
        MetricSummary {
            units_reporting: 1,
            previous,
            carried,
            change,
            ..MetricSummary::of_total(0, total)
        }
    }

    #[test]
    fn a_change_needs_a_comparable_last_year() {
        use number::Change as N;
        let pct = shown(&summary(54.0, Some(41.22), true, N::Pct(31.0))).unwrap();
        assert_eq!(pct.change, Change::Pct(31.0));
        assert_eq!(pct.previous, Some(41.22));
        assert_eq!(
            shown(&summary(5.0, Some(0.0), true, N::New)).unwrap().change,
            Change::New
        );
        let not_counted = shown(&summary(50510.0, Some(0.0), false, N::NotCounted)).unwrap();
        assert_eq!(not_counted.change, Change::NotCounted);
        assert_eq!(
            not_counted.previous, None,
            "no 0 bar for a metric last year did not count"
        );
        assert_eq!(
            shown(&summary(5.0, None, false, N::None)).unwrap().change,
            Change::NotCounted
        );
        assert_eq!(
            shown(&summary(0.0, Some(0.0), true, N::None)),
            None,
            "nothing in either year"
        );
        assert_eq!(shown(&summary(0.0, None, false, N::None)), None);
    }
}
