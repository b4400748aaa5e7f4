//! The like-for-like basis (可比口径): the units counted in both years, each
//! over the same months in both (through the snapshot month, its own
//! 截至月份 this year and last year's, whichever is earliest; levels at that
//! month). Year-on-year percentages are computed on it alone.

use std::collections::HashMap;

use serde::Serialize;

use super::sums::Window;
use super::Span;
use crate::table::CountedUnit;

/// Who is in the basis, and who is not.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Basis {
    /// Units counted in both periods.
    pub units: u32,
    /// Units counted this period.
    pub counted: u32,
    /// Counted last year, not this period (未报, 待更正): codes in order.
    pub dropped: Vec<String>,
    /// Counted this period, not last year: codes in order.
    pub added: Vec<String>,
    /// In the basis but compared over fewer months than they reported this
    /// period, because last year's submission stopped earlier: (code, month).
    pub shortened: Vec<(String, u8)>,
}

impl Basis {
    /// Every unit counted this period is compared over all it reported, so
    /// a comparable figure is the period's own figure.
    pub fn is_whole(&self) -> bool {
        self.added.is_empty() && self.shortened.is_empty()
    }
}

/// The windows of the basis: this year's and last year's, unit by unit.
pub struct Windows {
    pub current: Vec<Window>,
    pub previous: Vec<Window>,
    /// Last year's windows of the units counted then and not now.
    pub dropped: Vec<Window>,
}

/// Every unit's window when nothing is compared: all it reported in the span.
pub fn whole(units: &[CountedUnit], span: Span) -> Vec<Window> {
    units
        .iter()
        .map(|u| Window {
            unit: u.unit,
            last_month: span.last_month().min(u.through),
            annual: span == Span::Year,
        })
        .collect()
}

/// The basis of `current` against `previous` over `span`.
pub fn basis(current: &[CountedUnit], previous: &[CountedUnit], span: Span) -> (Basis, Windows) {
    let before: HashMap<&str, u8> = previous.iter().map(|u| (u.code.as_str(), u.through)).collect();
    let now: HashMap<&str, u8> = current.iter().map(|u| (u.code.as_str(), u.through)).collect();
    let mut basis = Basis {
        counted: current.len() as u32,
        ..Basis::default()
    };
    let mut windows = Windows {
        current: Vec::new(),
        previous: Vec::new(),
        dropped: Vec::new(),
    };
    let year_end = span == Span::Year;
    for u in current {
        let Some(&through_before) = before.get(u.code.as_str()) else {
            basis.added.push(u.code.clone());
            continue;
        };
        let reported = span.last_month().min(u.through);
        let last_month = reported.min(through_before);
        if last_month < reported {
            basis.shortened.push((u.code.clone(), last_month));
        }
        basis.units += 1;
        // A 全年-only figure covers its whole submission: it counts where
        // the window is that whole submission, at year end.
        windows.current.push(Window {
            unit: u.unit,
            last_month,
            annual: year_end && last_month == u.through,
        });
        windows.previous.push(Window {
            unit: u.unit,
            last_month,
            annual: year_end && last_month == through_before,
        });
    }
    for u in previous.iter().filter(|u| !now.contains_key(u.code.as_str())) {
        basis.dropped.push(u.code.clone());
        windows.dropped.push(Window {
            unit: u.unit,
            last_month: span.last_month().min(u.through),
            annual: year_end,
        });
    }
    (basis, windows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit's index, the same for a code in both years.
    fn id(code: &str) -> u32 {
        code.bytes().fold(0, |n, b| n * 256 + b as u32)
    }

    fn units(list: &[(&str, u8)]) -> Vec<CountedUnit> {
        list.iter()
            .map(|(c, t)| CountedUnit {
                unit: id(c),
                code: (*c).to_owned(),
                through: *t,
            })
            .collect()
    }

    #[test]
    fn a_snapshot_compares_each_unit_over_its_own_months() {
        let now = units(&[("a", 6), ("b", 4), ("c", 6)]);
        let before = units(&[("a", 12), ("b", 12), ("d", 12)]);
        let (basis, w) = basis(&now, &before, Span::Through(6));
        assert_eq!(basis.units, 2);
        assert_eq!(basis.added, ["c"]);
        assert_eq!(basis.dropped, ["d"]);
        assert!(basis.shortened.is_empty(), "b reported through April: April both years");
        assert_eq!(
            w.previous
                .iter()
                .map(|w| (w.unit, w.last_month, w.annual))
                .collect::<Vec<_>>(),
            [(id("a"), 6, false), (id("b"), 4, false)]
        );
        assert!(!basis.is_whole());
    }

    #[test]
    fn a_unit_late_at_year_end_is_compared_over_the_months_it_sent() {
        let now = units(&[("a", 12), ("b", 9)]);
        let before = units(&[("a", 12), ("b", 12)]);
        let (basis, w) = basis(&now, &before, Span::Year);
        assert!(basis.is_whole(), "b's nine months are all it reported");
        let b = |ws: &[Window]| ws.iter().find(|w| w.unit == id("b")).cloned().unwrap();
        assert_eq!((b(&w.current).last_month, b(&w.current).annual), (9, true));
        assert_eq!(
            (b(&w.previous).last_month, b(&w.previous).annual),
            (9, false),
            "last year's 全年-only figure covers twelve months, not nine"
        );
    }

    #[test]
    fn a_unit_late_last_year_shortens_this_years_window() {
        let now = units(&[("a", 12)]);
        let before = units(&[("a", 10)]);
        let (basis, w) = basis(&now, &before, Span::Year);
        assert_eq!(basis.shortened, [("a".to_owned(), 10)]);
        assert!(!basis.is_whole());
        assert!(!w.current[0].annual && w.previous[0].annual);
    }
}
