//! `annual-report [report] [YEAR]`: the year-end report.

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::inputs::{year_folders, Inputs};
use crate::pipeline::{self, Period};
use crate::settings::Settings;
use crate::timings::Timings;
use crate::validate::YearReading;

use super::Outcome;

pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let settings = Settings::writing(&args.io, &args.writing)?;
    let mut timings = Timings::new(settings.timings);
    let inputs = Inputs::load(&settings.input)?;
    let (year, pre_read) = match args.year {
        Some(y) => (y, None),
        None => default_year(&inputs, &settings)?,
    };
    super::deliver(&settings, &inputs, Period::Year(year), pre_read, &mut timings)
}

/// The latest year with year-end figures (a counted submission filled
/// through December). A year still in progress is left to `snapshot`, so a
/// plain run in spring reports the year just ended. The reading of the
/// latest year is handed on when it is the one chosen.
pub(super) fn default_year(inputs: &Inputs, settings: &Settings) -> Result<(i32, Option<YearReading>)> {
    let years = year_folders(&inputs.dir)?;
    let latest = inputs.year_or_latest(None)?;
    let reading = pipeline::read(inputs, latest, Some(12), settings.quiet)?;
    let has_year_end = reading.counted().any(|s| s.info.filled_through == Some(12));
    match years.iter().rev().nth(1) {
        Some(&earlier) if !has_year_end => {
            if !settings.quiet {
                println!("{latest} 年还没有年终报表（截至月份 12），报告 {earlier} 年；进度请用 snapshot，{latest} 年的报告请写 annual-report {latest}");
            }
            Ok((earlier, None))
        }
        _ => Ok((latest, Some(reading))),
    }
}
