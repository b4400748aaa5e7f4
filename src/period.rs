//! What a run reports on: a whole year at year end, or months 1..M of a
//! year as a progress snapshot.

use crate::aggregate::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole year, at year end.
    Year(i32),
    /// Months 1..=month of the year, as a progress snapshot.
    Snapshot { year: i32, month: u8 },
}

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Snapshot { year: y, .. } => y,
        }
    }

    pub fn is_year_end(self) -> bool {
        matches!(self, Period::Year(_))
    }

    /// For a snapshot, the month it runs through.
    pub fn through_month(self) -> Option<u8> {
        match self {
            Period::Year(_) => None,
            Period::Snapshot { month, .. } => Some(month),
        }
    }

    /// The month submissions must reach to be on time.
    pub fn due_through(self) -> u8 {
        self.through_month().unwrap_or(12)
    }

    pub fn span(self) -> Span {
        match self {
            Period::Year(_) => Span::Year,
            Period::Snapshot { month, .. } => Span::Through(month),
        }
    }

    /// `2015` or `2016-06`: the output folder and the manifest's period.
    pub fn name(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Snapshot { year, month } => format!("{year}-{month:02}"),
        }
    }

    /// `2015年度` or `2016年1—6月`, for titles.
    pub fn title(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年度"),
            Period::Snapshot { year, month } => format!("{year}年1—{month}月"),
        }
    }

    /// `report` or `snapshot`: the templates' and documents' stem.
    pub fn stem(self) -> &'static str {
        match self {
            Period::Year(_) => "report",
            Period::Snapshot { .. } => "snapshot",
        }
    }
}
