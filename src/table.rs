//! The reading stage's product: the counted figures as one polars DataFrame in
//! long form, and the units counted with the month their submission runs
//! through. Where each value came from (file, sheet, cell) stays with the
//! submissions, which tables/sources.csv and trace read: at 10,000 units the
//! frame holds a million rows, and provenance columns no sum reads doubled it.

use polars::prelude::*;

use crate::validate::YearReading;

/// A unit whose submission counts, and its 截至月份.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedUnit {
    /// Its index in the registry: the frame's `unit`, the same in both years.
    pub unit: u32,
    pub code: String,
    pub through: u8,
}

/// One year's counted figures. A unit counted with no figure at all is in
/// `units` and not in `frame`.
#[derive(Debug, Clone)]
pub struct YearFigures {
    /// Columns: `unit` (the registry index, u32), `metric` (the catalogue
    /// index, u32), `month` (1–12, null for a 全年-only figure), `value`.
    /// Indexes, not codes: at 10,000 units the string keys made the frames
    /// and every group-by over them several times larger.
    pub frame: DataFrame,
    /// Counted units in registry-selection order.
    pub units: Vec<CountedUnit>,
}

impl YearFigures {
    /// How many figures count.
    pub fn height(&self) -> usize {
        self.frame.height()
    }
}

pub fn figures_frame(reading: &YearReading) -> PolarsResult<YearFigures> {
    // Every counted submission is some registered unit's (see `select`).
    let mut unit_of = vec![u32::MAX; reading.submissions.len()];
    for u in &reading.selection.units {
        if let Some(i) = u.submission {
            unit_of[i] = u.unit as u32;
        }
    }
    let n: usize = reading.counted().map(|s| s.figures.len()).sum();
    let mut unit = Vec::with_capacity(n);
    let mut metric = Vec::with_capacity(n);
    let mut month: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    let mut units = Vec::new();
    for &i in &reading.selection.counted {
        let s = &reading.submissions[i];
        units.push(CountedUnit {
            unit: unit_of[i],
            code: s.info.unit.clone().unwrap_or_default(),
            // A counted submission has its 截至月份 (it is required).
            through: s.info.filled_through.unwrap_or(12),
        });
        for f in &s.figures {
            unit.push(unit_of[i]);
            metric.push(f.metric);
            month.push(f.month.map(i32::from));
            value.push(f.value);
        }
    }
    let frame = df!(
        "unit" => unit,
        "metric" => metric,
        "month" => month,
        "value" => value,
    )?;
    Ok(YearFigures { frame, units })
}
