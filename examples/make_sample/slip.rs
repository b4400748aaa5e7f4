//! The sample's 元/万元 slip: one unit typed one month of its 协调资金 in 元
//! into the 万元 column, as units do, so the plausibility check
//! (`check-unit-slip`) has something real to catch in the showcase.
//!
//! 协调资金 is the one money metric where this can be planted: the slip
//! inflates the total about ten-thousand-fold of the month meant, and the
//! work report quotes every money total exactly. Only 协调资金 (5.051亿元) is
//! large enough to hold a slip of a few thousand 元 (about 2600万元 as
//! typed); the other money totals (11.9 to 56.82万元) are smaller than any
//! slip. The slipped figure counts (a warning, not an error), so the report
//! states the total as sent: another unit's largest month takes the
//! difference, and 5.051亿元 still comes out exactly.
//!
//! Applied to the figures after every random draw, so no other file moves.

use std::collections::BTreeMap;

use crate::Figures;

pub const METRIC: &str = "help.funds";

/// What the unit meant in its three months, in 0.01万元: a few thousand 元
/// each, so its usual month reads about 0.3万元.
const MEANT: [i64; 3] = [32, 26, 29];

/// Which of the three months was typed in 元.
const SLIPPED: usize = 1;

/// 1 万元 in 元: a figure typed in 元 reads this many times too large.
const YUAN_PER_WAN: i64 = 10_000;

pub struct Slip {
    pub unit: usize,
    /// 1–12.
    pub month: u8,
    /// The month meant, in 0.01万元.
    pub meant: i64,
    /// The month as typed, in 0.01万元 (the number in the cell is a hundredth).
    pub typed: i64,
}

/// Plant the slip in `unit`'s 协调资金 (which must span three months, so its
/// usual month is readable from the other two) and let `donor`'s largest
/// month take the difference.
pub fn plant(figures: &mut BTreeMap<usize, Figures>, unit: usize, donor: usize) -> Slip {
    let row = figures
        .get_mut(&unit)
        .and_then(|f| f.get_mut(METRIC))
        .expect("the slip unit coordinates funds");
    let months: Vec<usize> = (0..12).filter(|&m| row[m] != 0).collect();
    assert_eq!(months.len(), 3, "the slip unit reports {METRIC} in three months");
    let before: i64 = row.iter().sum();
    for (&m, &meant) in months.iter().zip(&MEANT) {
        row[m] = meant;
    }
    let month = months[SLIPPED];
    row[month] = MEANT[SLIPPED] * YUAN_PER_WAN;
    let after: i64 = row.iter().sum();

    let other = figures
        .get_mut(&donor)
        .and_then(|f| f.get_mut(METRIC))
        .expect("the donor coordinates funds");
    let biggest = (0..12).max_by_key(|&m| other[m]).expect("twelve months");
    other[biggest] -= after - before;
    assert!(
        other[biggest] > 0,
        "the donor's month cannot take the difference of {}",
        after - before
    );
    Slip {
        unit,
        month: month as u8 + 1,
        meant: MEANT[SLIPPED],
        typed: MEANT[SLIPPED] * YUAN_PER_WAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slipped month reads 10,000 times what was meant, the honest
    /// months are a few thousand 元, and the donor keeps the total.
    #[test]
    fn the_slip_keeps_the_total_and_reads_ten_thousand_fold() {
        let row = |cells: &[(usize, i64)]| {
            let mut r = [0; 12];
            cells.iter().for_each(|&(m, v)| r[m] = v);
            Figures::from([(METRIC, r)])
        };
        let mut figures = BTreeMap::from([
            (3, row(&[(8, 60_065), (10, 134_942), (11, 65_706)])),
            (7, row(&[(6, 95_253), (7, 53_308)])),
        ]);
        let total = |f: &BTreeMap<usize, Figures>| -> i64 { f.values().map(|x| x[METRIC].iter().sum::<i64>()).sum() };
        let before = total(&figures);
        let slip = plant(&mut figures, 3, 7);
        assert_eq!(total(&figures), before);
        assert_eq!((slip.unit, slip.month, slip.meant, slip.typed), (3, 11, 26, 260_000));
        let planted: Vec<i64> = figures[&3][METRIC].iter().copied().filter(|v| *v != 0).collect();
        assert_eq!(planted, [32, 260_000, 29]);
        assert_eq!(figures[&7][METRIC][7], 53_308, "only the donor's largest month moves");
    }
}
