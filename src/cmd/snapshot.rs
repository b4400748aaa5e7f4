//! `annual-report snapshot YYYY-MM`: year to date through a month, against
//! last year and the targets, with the units that are late.

use anyhow::{bail, Result};
use chrono::Datelike;

use crate::cli::Common;
use crate::inputs::Inputs;
use crate::pipeline::{self, Period};

use super::Outcome;

pub fn run(common: &Common, month: &str) -> Result<Outcome> {
    let (year, month) = parse_month(month, common.as_of.as_deref())?;
    let inputs = Inputs::load(&common.input)?;
    if !inputs.dir.join(year.to_string()).is_dir() {
        bail!(
            "找不到 {year} 年的文件夹 {}：{year}-{month:02} 的进度需要各单位 {year} 年的报表",
            inputs.dir.join(year.to_string()).display()
        );
    }
    pipeline::run(common, &inputs, Period::Snapshot { year, month }, None)
}

/// `2016-06`, `2016-6`, or `last-month`: the month before `--as-of`, or
/// before today — so a scheduler needs no date arithmetic.
pub fn parse_month(s: &str, as_of: Option<&str>) -> Result<(i32, u8)> {
    let s = s.trim();
    if s == "last-month" {
        let today = match pipeline::parse_as_of(as_of)? {
            Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")?,
            None => chrono::Local::now().date_naive(),
        };
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
        assert_eq!(parse_month("2016-06", None).unwrap(), (2016, 6));
        assert_eq!(parse_month("2016-6", None).unwrap(), (2016, 6));
        assert_eq!(parse_month("last-month", Some("2016-07-05")).unwrap(), (2016, 6));
        assert_eq!(parse_month("last-month", Some("2017-01-05")).unwrap(), (2016, 12));
        assert!(parse_month("2016-13", None).is_err());
        assert!(parse_month("June", None).is_err());
    }
}
