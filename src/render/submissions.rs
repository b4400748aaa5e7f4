//! tables/submissions.csv: one row per registered unit with its status.

use crate::registry::Registry;
use crate::validate::YearReading;

use super::csv_bytes;

/// `unit_code,unit_name,status,file,filled_through,filed_on`.
pub fn submissions_csv(reading: &YearReading, registry: &Registry) -> Vec<u8> {
    let rows = reading.selection.units.iter().map(|u| {
        let unit = &registry.units[u.unit];
        vec![
            unit.code.clone(),
            unit.name.clone(),
            u.status.label().to_owned(),
            u.submission
                .map(|i| reading.submissions[i].file.clone())
                .unwrap_or_default(),
            u.filled_through.map(|m| m.to_string()).unwrap_or_default(),
            u.filed_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        ]
    });
    csv_bytes(
        &["unit_code", "unit_name", "status", "file", "filled_through", "filed_on"],
        rows,
    )
}
