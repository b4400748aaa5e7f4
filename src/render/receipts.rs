//! receipts/: one 回执 workbook per unit that sent something — the file that
//! counted (and those it superseded), its status, every figure as counted,
//! and what to fix — and receipts/index.csv for mail merge or phoning,
//! listing the units that sent nothing too.
//!
//! A receipt is written as its own small .xlsx (`content` lays it out on a
//! `sheet`, `package` zips it with the `parts` every receipt shares) rather
//! than with rust_xlsxwriter: at 10,000 units the general writer spent most
//! of its time finding each cell's style and rebuilding the same styles,
//! theme and content types for every workbook.

mod content;
mod package;
mod parts;
mod sheet;

use rayon::prelude::*;
use zip::result::ZipError;

use crate::aggregate::Span;
use crate::catalogue::Catalogue;
use crate::diag::Severity;
use crate::output::{safe_stem, OutputFile};
use crate::registry::Registry;
use crate::validate::{Status, YearReading};

use super::csv_bytes;

/// What a receipt is about.
pub struct ReceiptContext<'a> {
    pub reading: &'a YearReading,
    /// Last year, for the contacts of units that sent nothing this year.
    pub previous: Option<&'a YearReading>,
    pub catalogue: &'a Catalogue,
    pub registry: &'a Registry,
    /// `2015年度` or `2016年1—6月`.
    pub period_title: String,
    pub span: Span,
}

/// How many receipts are made before they are handed on: at 10,000 units
/// all of them at once held 120 MB.
const BATCH: usize = 128;

/// Every receipt and the index, as files under `receipts/`, handed to
/// `put` a batch at a time.
pub fn receipts(
    ctx: &ReceiptContext<'_>,
    put: &mut dyn FnMut(Vec<OutputFile>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let reading = ctx.reading;
    // Each unit's files, found once: looked up per receipt, it was
    // quadratic in the number of units.
    let mut files_of_unit: Vec<Vec<usize>> = vec![Vec::new(); ctx.registry.units.len()];
    for (i, s) in reading.submissions.iter().enumerate() {
        if let Some(u) = s.info.unit.as_deref().and_then(|c| ctx.registry.position(c)) {
            files_of_unit[u].push(i);
        }
    }
    let sent: Vec<_> = reading
        .selection
        .units
        .iter()
        .filter(|u| u.status != Status::Missing)
        .filter_map(|u| Some((u, u.submission?)))
        .collect();
    for batch in sent.chunks(BATCH) {
        let files = batch
            .par_iter()
            .map(|&(u, i)| {
                let unit = &ctx.registry.units[u.unit];
                let superseded: Vec<&str> = files_of_unit[u.unit]
                    .iter()
                    .filter(|&&o| o != i)
                    .map(|&o| reading.submissions[o].file.as_str())
                    .collect();
                let bytes = content::receipt(ctx, u.unit, u.status, &reading.submissions[i], &superseded)?;
                let name = safe_stem(&format!("{}-{}-回执", unit.code, unit.name));
                Ok(OutputFile::new(format!("receipts/{name}.xlsx"), bytes))
            })
            .collect::<Result<_, ZipError>>()?;
        put(files)?;
    }
    put(vec![OutputFile::new("receipts/index.csv", index_csv(ctx))])
}

/// `unit_code,unit_name,填报人,联系电话,status,errors,warnings,file` for every
/// registered unit; a unit that sent nothing shows last year's contact.
fn index_csv(ctx: &ReceiptContext<'_>) -> Vec<u8> {
    let rows = ctx.reading.selection.units.iter().map(|u| {
        let unit = &ctx.registry.units[u.unit];
        let this = u.submission.map(|i| &ctx.reading.submissions[i]);
        let contact = this.or_else(|| {
            let p = ctx.previous?;
            p.selection.units.get(u.unit)?.submission.map(|i| &p.submissions[i])
        });
        let count = |s: Severity| this.map_or(0, |s2| s2.diagnostics.iter().filter(|d| d.severity == s).count());
        vec![
            unit.code.clone(),
            unit.name.clone(),
            contact.and_then(|s| s.info.filer.clone()).unwrap_or_default(),
            contact.and_then(|s| s.info.phone.clone()).unwrap_or_default(),
            u.status.label().to_owned(),
            count(Severity::Error).to_string(),
            count(Severity::Warning).to_string(),
            this.map(|s| s.file.clone()).unwrap_or_default(),
        ]
    });
    csv_bytes(
        &[
            "unit_code",
            "unit_name",
            "填报人",
            "联系电话",
            "status",
            "errors",
            "warnings",
            "file",
        ],
        rows,
    )
}
