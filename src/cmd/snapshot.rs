//! `annual-report snapshot YYYY-MM`: year to date through a month, against
//! last year and the targets, with the units that are late.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};

use crate::cli::SnapshotArgs;
use crate::inputs::Inputs;
use crate::pipeline::Period;
use crate::settings::Settings;
use crate::timings::Timings;

use super::Outcome;

pub fn run(args: &SnapshotArgs) -> Result<Outcome> {
    let settings = Settings::writing(&args.io, &args.writing)?;
    let mut timings = Timings::new(settings.timings);
    let (year, month) = parse_month(&args.month, settings.as_of)?;
    let inputs = Inputs::load(&settings.input)?;
    if !inputs.dir.join(year.to_string()).is_dir() {
        bail!(
            "找不到 {year} 年的文件夹 {}：{year}-{month:02} 的进度需要各单位 {year} 年的报表",
            inputs.dir.join(year.to_string()).display()
        );
    }
    super::deliver(&settings, &inputs, Period::Snapshot { year, month }, None, &mut timings)
}

/// `2016-06`, `2016-6`, or `last-month`: the month before `--as-of`, or
/// before today — so a scheduler needs no date arithmetic.
pub fn parse_month(s: &str, as_of: Option<NaiveDate>) -> Result<(i32, u8)> {
    let s = s.trim();
    if s == "last-month" {
        let today = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
        return Ok(if today.month() == 1 {
            (today.year() - 1, 12)
        } else {
            (today.year(), today.month() as u8 - 1)
        });
    }
    let parsed = s.split_once('-').and_then(|(y, m)| {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
        ((1900..=2999).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
    });
    match parsed {
        Some(p) => Ok(p),
        None => bail!("“{s}”不是月份：请写成 YYYY-MM（如 2016-06），或 last-month"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_last_month() {
        let date = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(parse_month("2016-06", None).unwrap(), (2016, 6));
        assert_eq!(parse_month("2016-6", None).unwrap(), (2016, 6));
        assert_eq!(parse_month("last-month", date("2016-07-05")).unwrap(), (2016, 6));
        assert_eq!(parse_month("last-month", date("2017-01-05")).unwrap(), (2016, 12));
        assert!(parse_month("2016-13", None).is_err());
        assert!(parse_month("June", None).is_err());
    }
}
