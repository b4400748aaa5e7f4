//! tables/sources.csv: every value that counts, with the cell it came from
//! and the SHA-256 of its file — the provenance of every figure, and the
//! normalised long table an analyst hands to another engine.

use crate::aggregate::Span;
use crate::catalogue::Catalogue;
use crate::registry::Registry;
use crate::validate::YearReading;

use super::csv_bytes;

pub const HEADER: [&str; 9] = [
    "unit_code",
    "unit_name",
    "metric_id",
    "month",
    "value",
    "file",
    "sheet",
    "cell",
    "sha256",
];

/// One row per counted value in registry order, then the form's row and
/// column order. A snapshot counts months 1..M only; a 全年-only row counts
/// at year end, with the month empty.
pub fn sources_csv(reading: &YearReading, catalogue: &Catalogue, registry: &Registry, span: Span) -> Vec<u8> {
    let mut rows = Vec::new();
    for status in &reading.selection.units {
        let Some(i) = status
            .submission
            .filter(|i| reading.selection.counted.binary_search(i).is_ok())
        else {
            continue;
        };
        let (unit, submission) = (&registry.units[status.unit], &reading.submissions[i]);
        for f in &submission.figures {
            let counts = match span {
                Span::Year => true,
                Span::Through(m) => f.month.is_some_and(|month| month <= m),
            };
            if counts {
                rows.push([
                    unit.code.clone(),
                    unit.name.clone(),
                    catalogue.metrics[f.metric].id.clone(),
                    f.month.map(|m| m.to_string()).unwrap_or_default(),
                    f.value.to_string(),
                    submission.file.clone(),
                    crate::validate::data::SHEET.to_owned(),
                    f.cell.a1(),
                    submission.sha256.clone(),
                ]);
            }
        }
    }
    csv_bytes(&HEADER, rows)
}
