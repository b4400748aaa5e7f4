//! The reading stage's product: the counted figures as one polars DataFrame in
//! long form, each value with the cell it came from.

use polars::prelude::*;

use crate::catalogue::Catalogue;
use crate::validate::YearReading;

/// Columns: `unit_code`, `metric_id`, `month` (1–12, null for a 全年-only
/// figure), `value`, `file`, `sheet`, `cell`.
pub fn figures_frame(reading: &YearReading, catalogue: &Catalogue) -> PolarsResult<DataFrame> {
    let n: usize = reading.counted().map(|s| s.figures.len()).sum();
    let mut unit = Vec::with_capacity(n);
    let mut metric = Vec::with_capacity(n);
    let mut month: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    let mut file = Vec::with_capacity(n);
    let mut cell = Vec::with_capacity(n);
    for s in reading.counted() {
        let code = s.info.unit.as_deref().unwrap_or_default();
        for f in &s.figures {
            unit.push(code);
            metric.push(catalogue.metrics[f.metric].id.as_str());
            month.push(f.month.map(i32::from));
            value.push(f.value);
            file.push(s.file.as_str());
            cell.push(f.cell.a1());
        }
    }
    let sheet = vec![crate::validate::data::SHEET; n];
    df!(
        "unit_code" => unit,
        "metric_id" => metric,
        "month" => month,
        "value" => value,
        "file" => file,
        "sheet" => sheet,
        "cell" => cell,
    )
}
