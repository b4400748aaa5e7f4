//! The report's wording rules for numbers and dates that are not plain
//! figures: counts rounded the way the work report rounds them (2000余人,
//! 近500名, 4000多名), months and dates in Chinese.

use crate::number::figure;

/// `about`: counts below this are small enough to print exactly ("71人").
const ABOUT_EXACT_BELOW: f64 = 100.0;
/// `about`: "近N" when the round number N above the value is at most this fraction above it
/// (487 → 近500 is 2.7% away; 470 is 6.4% away and reads "470").
const NEAR_MAX_GAP: f64 = 0.05;
/// Decimals an exact small count keeps (99.5).
const EXACT_DECIMALS: u32 = 2;

/// A large count rounded the way the report rounds it, `style` being "余" or "多": round numbers and
/// counts under 100 stay exact (2000, 71); just under a round number reads "近500" (487); the rest is
/// floored to two significant figures plus the style word (2046 → "2000余", 329 → "320余"), unless
/// that floor is the value itself (2800 → "2800"). none → "".
pub fn about(value: Option<f64>, style: &str) -> String {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return String::new();
    };
    if v < ABOUT_EXACT_BELOW {
        return figure(v, EXACT_DECIMALS);
    }
    // Work in units of the leading digit so the printed digits are exact at any magnitude:
    // 487 → 4.87 hundreds, next round number 5 hundreds, two-figure floor 48 tens.
    let zeros = leading_zeros(v);
    let in_lead = v / 10f64.powi(zeros);
    let round_above = in_lead.ceil();
    if round_above == in_lead {
        return figure(v, EXACT_DECIMALS);
    }
    if (round_above - in_lead) / in_lead <= NEAR_MAX_GAP {
        return format!("近{}{}", round_above, "0".repeat(zeros as usize));
    }
    let in_step = v / 10f64.powi(zeros - 1); // divided, not in_lead × 10: exact when whole
    if in_step.fract() == 0.0 {
        figure(v, EXACT_DECIMALS)
    } else {
        format!("{}{}{style}", in_step.floor(), "0".repeat(zeros as usize - 1))
    }
}

/// A month number as "6月"; `None` when `m` is not a whole number from 1 to 12.
pub fn cn_month(m: f64) -> Option<String> {
    (m.fract() == 0.0 && (1.0..=12.0).contains(&m)).then(|| format!("{m}月"))
}

/// "2016-03-18" (or "2016/3/18") → "2016年3月18日"; anything that is not such a real date comes back
/// unchanged, so a free-text date in a sheet still reads.
pub fn cn_date(s: &str) -> String {
    parse_date(s.trim())
        .map(|(y, m, d)| format!("{y}年{m}月{d}日"))
        .unwrap_or_else(|| s.to_string())
}

/// How many zeros the largest power of ten not above `v` has (`v` ≥ 1): 487 → 2, 4012 → 3.
fn leading_zeros(v: f64) -> i32 {
    let mut zeros = 0;
    while 10f64.powi(zeros + 1) <= v {
        zeros += 1;
    }
    zeros
}

/// Year, month and day of "YYYY-MM-DD" / "YYYY/M/D", if that day exists.
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let all_digits =
        |p: &str, max_len: usize| !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || y.len() != 4 || !all_digits(y, 4) || !all_digits(m, 2) || !all_digits(d, 2) {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some((y, m, d))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: f64) -> Option<f64> {
        Some(v)
    }

    #[test]
    fn about_keeps_round_and_small_numbers() {
        assert_eq!(about(s(2000.0), "余"), "2000");
        assert_eq!(about(s(500.0), "余"), "500");
        assert_eq!(about(s(100.0), "余"), "100");
        assert_eq!(about(s(71.0), "余"), "71");
        assert_eq!(about(s(42.0), "余"), "42");
        assert_eq!(about(s(99.5), "余"), "99.5");
        assert_eq!(about(s(0.0), "余"), "0");
        assert_eq!(about(s(-2046.0), "余"), "-2046");
        assert_eq!(about(s(2800.0), "余"), "2800");
        assert_eq!(about(s(470.0), "余"), "470");
    }

    #[test]
    fn about_near_a_round_number() {
        assert_eq!(about(s(487.0), "余"), "近500");
        assert_eq!(about(s(480.0), "余"), "近500");
        assert_eq!(about(s(960.0), "余"), "近1000");
        assert_eq!(about(s(4900.0), "多"), "近5000");
        assert_eq!(about(s(999.9), "余"), "近1000");
        assert_eq!(about(s(195.0), "余"), "近200");
    }

    #[test]
    fn about_floors_to_two_significant_figures() {
        assert_eq!(about(s(471.0), "余"), "470余");
        assert_eq!(about(s(2046.0), "余"), "2000余");
        assert_eq!(about(s(2810.0), "余"), "2800余");
        assert_eq!(about(s(4012.0), "余"), "4000余");
        assert_eq!(about(s(4012.0), "多"), "4000多");
        assert_eq!(about(s(329.0), "余"), "320余");
        assert_eq!(about(s(1740.0), "余"), "1700余");
        assert_eq!(about(s(101.0), "余"), "100余");
        assert_eq!(about(s(2000.5), "余"), "2000余");
        assert_eq!(about(s(123_456_789.0), "余"), "120000000余");
    }

    #[test]
    fn about_of_nothing_is_empty() {
        assert_eq!(about(None, "余"), "");
        assert_eq!(about(s(f64::NAN), "余"), "");
        assert_eq!(about(s(f64::INFINITY), "余"), "");
        let huge = about(s(f64::MAX), "余"); // 1.79e308: the round number above overflows to inf
        assert!(
            huge.starts_with("170000") && huge.ends_with("0余") && huge.chars().count() == 310,
            "{huge}"
        );
    }

    #[test]
    fn months_and_dates() {
        assert_eq!(cn_month(6.0).as_deref(), Some("6月"));
        assert_eq!(cn_month(12.0).as_deref(), Some("12月"));
        assert_eq!(cn_month(0.0), None);
        assert_eq!(cn_month(13.0), None);
        assert_eq!(cn_month(6.5), None);
        assert_eq!(cn_month(f64::NAN), None);
        assert_eq!(cn_date("2016-03-18"), "2016年3月18日");
        assert_eq!(cn_date("2016/3/8"), "2016年3月8日");
        assert_eq!(cn_date(" 2016-12-01 "), "2016年12月1日");
        assert_eq!(cn_date("2016-02-29"), "2016年2月29日");
        assert_eq!(cn_date("2015-02-29"), "2015-02-29");
        assert_eq!(cn_date("1900-02-29"), "1900-02-29");
        assert_eq!(cn_date("2016-13-01"), "2016-13-01");
        assert_eq!(cn_date("2016-03-18T00:00:00"), "2016-03-18T00:00:00");
        assert_eq!(cn_date("16-03-18"), "16-03-18");
        assert_eq!(cn_date("2016-03-18-01"), "2016-03-18-01");
        assert_eq!(cn_date("三月中旬"), "三月中旬");
        assert_eq!(cn_date(""), "");
    }
}
