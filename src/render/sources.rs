//! tables/sources.csv: every value that counts, with the cell it came from
//! and the SHA-256 of its file — the provenance of every figure, and the
//! normalised long table an analyst hands to another engine.

use crate::aggregate::Span;
use crate::catalogue::Catalogue;
use crate::registry::Registry;
use crate::validate::YearReading;

use super::CsvWriter;

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
/// at year end, with the month empty. Written row by row: at 10,000 units
/// this is a million rows (130 MB), written into `sink` as they are made
/// rather than held.
pub fn write_sources_csv(
    reading: &YearReading,
    catalogue: &Catalogue,
    registry: &Registry,
    span: Span,
    sink: impl std::io::Write,
) -> std::io::Result<()> {
    let counted = || {
        reading.selection.units.iter().filter_map(|status| {
            let i = status
                .submission
                .filter(|i| reading.selection.counted.binary_search(i).is_ok())?;
            Some((&registry.units[status.unit], &reading.submissions[i]))
        })
    };
    let mut csv = CsvWriter::to(sink, &HEADER)?;
    let (mut month, mut value, mut cell) = (String::new(), String::new(), String::new());
    for (unit, submission) in counted() {
        for f in &submission.figures {
            let counts = match span {
                Span::Year => true,
                Span::Through(m) => f.month.is_some_and(|month| month <= m),
            };
            if !counts {
                continue;
            }
            month.clear();
            value.clear();
            cell.clear();
            if let Some(m) = f.month {
                crate::number::push_digits(&mut month, m.into());
            }
            crate::number::push_shortest(&mut value, f.value);
            f.cell.push_a1(&mut cell);
            csv.row([
                unit.code.as_str(),
                unit.name.as_str(),
                catalogue.metrics[f.metric as usize].id.as_str(),
                month.as_str(),
                value.as_str(),
                submission.file.as_str(),
                crate::validate::data::SHEET,
                cell.as_str(),
                submission.sha256.as_str(),
            ])?;
        }
    }
    csv.finish()
}
