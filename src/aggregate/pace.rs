//! Seasonal pace for snapshots: how much of its annual target a metric has
//! reached, against how much of its own annual total last year had reached
//! by the same month (money paid in August is not "behind" in June when it
//! was paid in August last year too). Without last year, against the share
//! of the year gone (M/12).

use serde::Serialize;

use super::MonthTotal;
use crate::catalogue::Aggregate;
use crate::number::{rounded, share_pct, PCT_DECIMALS};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pace {
    /// The share of the annual target reached, in percent, as written.
    pub completion: f64,
    /// Last year's share of its own annual total by the same month, or the
    /// share of the year gone; in percent, as written.
    pub reference: f64,
    /// `true` when `reference` is last year's share, `false` for M/12.
    pub last_year: bool,
    /// `completion − reference` in percentage points: below 0 is behind.
    pub gap: f64,
    pub behind: bool,
}

/// The pace of a metric with a target, through `month`. `last_year` is the
/// metric's twelve month rows of last year's whole year.
pub fn pace(
    target_pct: Option<f64>,
    month: u8,
    aggregate: Aggregate,
    decimals: u32,
    last_year: Option<&[MonthTotal]>,
) -> Option<Pace> {
    let completion = rounded(target_pct?, PCT_DECIMALS);
    let seasonal = last_year.and_then(|rows| last_years_share(rows, month, aggregate, decimals));
    let reference = seasonal.unwrap_or(month as f64 * 100.0 / 12.0);
    let reference = rounded(reference, PCT_DECIMALS);
    let gap = rounded(completion - reference, PCT_DECIMALS);
    Some(Pace {
        completion,
        reference,
        last_year: seasonal.is_some(),
        gap,
        behind: gap < 0.0,
    })
}

/// By the end of `month`, last year's share of its own year: the months so
/// far over all twelve (a level: its level then over its level in December).
/// `None` when last year's year came to 0.
fn last_years_share(rows: &[MonthTotal], month: u8, aggregate: Aggregate, decimals: u32) -> Option<f64> {
    let value = |m: u8| rows.iter().find(|r| r.month == m).and_then(|r| r.total);
    let (part, whole) = match aggregate {
        Aggregate::Sum => {
            let upto = |m: u8| (1..=m).filter_map(value).sum::<f64>();
            (upto(month), upto(12))
        }
        Aggregate::Last => (value(month).unwrap_or(0.0), value(12)?),
    };
    share_pct(part, whole, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(values: [Option<f64>; 12]) -> Vec<MonthTotal> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| MonthTotal {
                metric: 0,
                month: i as u8 + 1,
                total: *v,
            })
            .collect()
    }

    #[test]
    fn against_last_years_own_season() {
        // Paid in August and September last year: nothing by June is on pace.
        let mut months = [Some(0.0); 12];
        months[7] = Some(6.0);
        months[8] = Some(4.0);
        let p = pace(Some(0.0), 6, Aggregate::Sum, 2, Some(&year(months))).unwrap();
        assert_eq!(
            (p.completion, p.reference, p.gap, p.behind, p.last_year),
            (0.0, 0.0, 0.0, false, true)
        );

        // 52% of last year's total by June; 47.5% of the target now.
        let mut months = [Some(0.0); 12];
        months[2] = Some(52.0);
        months[10] = Some(48.0);
        let p = pace(Some(47.5), 6, Aggregate::Sum, 0, Some(&year(months))).unwrap();
        assert_eq!((p.reference, p.gap, p.behind), (52.0, -4.5, true));
    }

    #[test]
    fn a_level_against_its_december_level() {
        // Month rows of a level carry each unit's level forward: 8 from February, 10 in December.
        let mut months = [None; 12];
        for m in months.iter_mut().skip(1) {
            *m = Some(8.0);
        }
        months[11] = Some(10.0);
        let p = pace(Some(66.666), 6, Aggregate::Last, 0, Some(&year(months))).unwrap();
        assert_eq!((p.completion, p.reference, p.gap), (66.7, 80.0, -13.3));
    }

    #[test]
    fn the_straight_line_only_without_last_year() {
        let p = pace(Some(44.444), 6, Aggregate::Sum, 0, None).unwrap();
        assert_eq!((p.reference, p.gap, p.last_year), (50.0, -5.6, false));
        let p = pace(Some(44.444), 6, Aggregate::Sum, 0, Some(&year([Some(0.0); 12]))).unwrap();
        assert!(!p.last_year, "last year came to 0: no season to follow");
        assert_eq!(pace(None, 6, Aggregate::Sum, 0, None), None);
    }
}
