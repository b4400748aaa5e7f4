//! The reading stage's product: the counted figures as one polars DataFrame in
//! long form, and the units counted with the month their submission runs
//! through. Where each value came from (file, sheet, cell) stays with the
//! submissions, which tables/sources.csv and trace read: at 10,000 units the
//! frame holds a million rows, and provenance columns no sum reads doubled it.

use polars::prelude::*;

use crate::catalogue::Catalogue;
use crate::validate::YearReading;

/// A unit whose submission counts, and its 截至月份.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedUnit {
    pub code: String,
    pub through: u8,
}

/// One year's counted figures. A unit counted with no figure at all is in
/// `units` and not in `frame`.
#[derive(Debug, Clone)]
pub struct YearFigures {
    /// Columns: `unit_code`, `metric_id`, `month` (1–12, null for a
    /// 全年-only figure), `value`.
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

pub fn figures_frame(reading: &YearReading, catalogue: &Catalogue) -> PolarsResult<YearFigures> {
    let n: usize = reading.counted().map(|s| s.figures.len()).sum();
    let mut unit = Vec::with_capacity(n);
    let mut metric = Vec::with_capacity(n);
    let mut month: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    let mut units = Vec::new();
    for s in reading.counted() {
        let code = s.info.unit.as_deref().unwrap_or_default();
        units.push(CountedUnit {
            code: code.to_owned(),
            // A counted submission has its 截至月份 (it is required).
            through: s.info.filled_through.unwrap_or(12),
        });
        for f in &s.figures {
            unit.push(code);
            metric.push(catalogue.metrics[f.metric].id.as_str());
            month.push(f.month.map(i32::from));
            value.push(f.value);
        }
    }
    let frame = df!(
        "unit_code" => unit,
        "metric_id" => metric,
        "month" => month,
        "value" => value,
    )?;
    Ok(YearFigures { frame, units })
}
