//! How every output writes a number: one rounding rule for figures (half-up
//! on the decimal value, at the metric's `decimals`), one for percentages,
//! one year-on-year computation, amounts in 万元/亿元, and the year-on-year
//! [`Change`] with its wording. The CSVs, summary.xlsx, the template filters
//! and the report's sentences all write numbers through this module, so a
//! figure reads the same wherever it appears.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The most decimals a figure keeps (the catalogue allows 0–6); past this
/// the digits are float noise, not data.
pub const MAX_DECIMALS: u32 = 6;
/// Decimals of every percentage: "同比下降5.2%", yoy_pct 5.2 in metrics.csv.
pub const PCT_DECIMALS: u32 = 1;

/// A figure as every output writes it: rounded half away from zero at
/// `decimals` (at most [`MAX_DECIMALS`]) on its shortest decimal form — what
/// was typed into the sheet, not the binary value — trailing zeros trimmed,
/// no thousands separators, never "-0". `0.125` at 2 → "0.13",
/// `56.819999999` → "56.82", `159.0` → "159"; NaN and ±inf → "".
pub fn figure(value: f64, decimals: u32) -> String {
    if !value.is_finite() {
        return String::new();
    }
    // Whole numbers (most figures) need no rounding: written as integers.
    if let Some(whole) = exact_whole(value) {
        return whole.to_string();
    }
    let shortest = value.abs().to_string(); // Display never uses exponent notation
    let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let keep = frac.len().min(decimals.min(MAX_DECIMALS) as usize);
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(keep)).collect();
    if frac.as_bytes().get(keep).is_some_and(|d| *d >= b'5') {
        carry_one(&mut digits);
    }
    let (int, frac) = digits.split_at(digits.len() - keep);
    let frac = trim_zeros(frac);
    let negative = value < 0.0 && digits.iter().any(|d| *d != b'0');
    let mut out = String::with_capacity(digits.len() + 2);
    if negative {
        out.push('-');
    }
    out.push_str(&String::from_utf8_lossy(int));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(frac));
    }
    out
}

/// `value` rounded exactly as [`figure`] writes it, for sums and decisions
/// that must agree with the written figure.
pub fn rounded(value: f64, decimals: u32) -> f64 {
    if exact_whole(value).is_some() {
        // As written: never -0.
        return if value == 0.0 { 0.0 } else { value };
    }
    figure(value, decimals).parse().unwrap_or(value)
}

/// Whole numbers below this are written and rounded as integers (2⁵³: every
/// one is exact, an i64 holds it, and its shortest text is its digits;
/// above it the shortest text can end in zeros the value does not have).
const WHOLE_EXACT: f64 = 9_007_199_254_740_992.0;

/// `value` as an integer when it is a whole number below [`WHOLE_EXACT`]:
/// its shortest text is then its digits and it needs no rounding. The one
/// test of it for every fast path that skips the text (they once had
/// different bounds).
pub(crate) fn exact_whole(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < WHOLE_EXACT).then_some(value as i64)
}

/// Append `value` exactly as `{}` (Display) writes it: the shortest text
/// that reads back as the value. Whole numbers, most values, are written as
/// integers without the float formatter (their shortest text is their
/// digits); -0 keeps its sign, as Display writes it.
pub fn push_shortest(out: &mut String, value: f64) {
    use std::fmt::Write;
    match exact_whole(value) {
        Some(whole) if !(value == 0.0 && value.is_sign_negative()) => {
            if whole < 0 {
                out.push('-');
            }
            push_digits(out, whole.unsigned_abs());
        }
        _ => write!(out, "{value}").expect("writing to a String"),
    }
}

/// Append `n` in decimal, as `{}` writes it, without the formatter: cell
/// references and numbers in sources.csv and the receipts, several million
/// of them at 10,000 units.
pub fn push_digits(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

/// A percentage as a number at the text's precision: 31.0044 → "31".
pub fn percent_figure(pct: f64) -> String {
    figure(pct, PCT_DECIMALS)
}

/// Decimals of a percentage in the machine-readable tables: one more than
/// the text, so a script recomputing 同比 from the comparable columns agrees
/// to 0.005 and the text's rounding can be redone from the table.
pub const DATA_PCT_DECIMALS: u32 = 2;

/// A percentage as metrics.csv writes it: 31.0044 → "31", 5.194 → "5.19".
pub fn percent_data(pct: f64) -> String {
    figure(pct, DATA_PCT_DECIMALS)
}

/// A percentage in a sentence or a table: 31.0044 → "31%", 5.19 → "5.2%".
pub fn percent(pct: f64) -> String {
    match percent_figure(pct) {
        s if s.is_empty() => s,
        s => format!("{s}%"),
    }
}

/// A gap between two percentages: 4.5 → "4.5个百分点".
pub fn points(gap: f64) -> String {
    match figure(gap.abs(), PCT_DECIMALS) {
        s if s.is_empty() => s,
        s => format!("{s}个百分点"),
    }
}

/// `part` as a percentage of `whole`, each first rounded at `decimals` as
/// written, float noise gone: `None` when `whole` is 0 (or either is not finite).
pub fn share_pct(part: f64, whole: f64, decimals: u32) -> Option<f64> {
    let (part, whole) = (rounded(part, decimals), rounded(whole, decimals));
    let pct = part / whole * 100.0;
    (whole != 0.0 && pct.is_finite()).then(|| rounded(pct, MAX_DECIMALS))
}

/// The one year-on-year computation: (current − previous) / previous × 100,
/// each figure first rounded at `decimals` as the tables write it, so the
/// percentage can be recomputed from metrics.csv. `None` when previous is 0.
pub fn yoy_pct(current: f64, previous: f64, decimals: u32) -> Option<f64> {
    let (current, previous) = (rounded(current, decimals), rounded(previous, decimals));
    let pct = (current - previous) / previous.abs() * 100.0;
    (previous != 0.0 && pct.is_finite()).then(|| rounded(pct, MAX_DECIMALS))
}

/// A count with its measure word: "159件", "1740个次".
pub fn count(value: f64, unit: &str, decimals: u32) -> String {
    match figure(value, decimals) {
        s if s.is_empty() => s,
        s => format!("{s}{unit}"),
    }
}

/// An amount as the report writes it, exact at the metric's `decimals` in
/// its own unit and moved to the largest unit it reaches: in a 万元 metric
/// 50510 → "5.051亿元", 56.82 → "56.82万元"; in a 元 metric 568200 →
/// "56.82万元". Any other unit is [`count`]. The decimal point is moved on
/// the written digits, so "5.051亿元" and metrics.csv's 50510 are one figure.
pub fn money(value: f64, unit: &str, decimals: u32) -> String {
    let written = figure(value, decimals);
    if written.is_empty() {
        return written;
    }
    let scales: &[(u32, &str)] = match unit.trim() {
        "万元" => &[(4, "亿元"), (0, "万元")],
        "元" => &[(8, "亿元"), (4, "万元"), (0, "元")],
        _ => return format!("{written}{unit}"),
    };
    let whole_digits = written
        .trim_start_matches('-')
        .split('.')
        .next()
        .unwrap_or_default()
        .len() as u32;
    let (shift, name) = scales
        .iter()
        .find(|(shift, _)| whole_digits > *shift)
        .copied()
        .unwrap_or((0, scales[scales.len() - 1].1));
    format!("{}{name}", shift_left(&written, shift))
}

/// The decimal string `s` divided by 10^`places`, trailing zeros trimmed.
fn shift_left(s: &str, places: u32) -> String {
    if places == 0 {
        return s.to_owned();
    }
    let (sign, digits) = s.strip_prefix('-').map_or(("", s), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = format!("{}{int}", "0".repeat((places as usize + 1).saturating_sub(int.len())));
    let cut = int.len() - places as usize;
    let new_frac = format!("{}{frac}", &int[cut..]);
    let new_frac = new_frac.trim_end_matches('0');
    match new_frac.is_empty() {
        true => format!("{sign}{}", &int[..cut]),
        false => format!("{sign}{}.{new_frac}", &int[..cut]),
    }
}

/// Year-on-year wording for a percentage: 31.0 → "同比增长31%", -5.19 →
/// "同比下降5.2%", anything that rounds to 0 → "与上年持平".
pub fn yoy_words(pct: f64) -> String {
    let p = rounded(pct, PCT_DECIMALS);
    if !p.is_finite() {
        String::new()
    } else if p > 0.0 {
        format!("同比增长{}", percent(p))
    } else if p < 0.0 {
        format!("同比下降{}", percent(-p))
    } else {
        "与上年持平".to_owned()
    }
}

/// What a metric's year-on-year comparison says (like-for-like, 可比口径).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Nothing to compare: no previous year, both years 0, or a level that
    /// was 0 (a level never reads "新增").
    None,
    /// Last year's forms did not carry the metric ("上年未统计"): no
    /// percentage, no 0 bar, "—" in tables.
    NotCounted,
    /// A flow that was 0 like-for-like last year and is not now: "新增".
    New,
    /// A change that rounds to 0: "与上年持平".
    Flat,
    /// The change in percent, unrounded: "同比增长31%", "同比下降5.2%".
    Pct(f64),
}

impl Change {
    /// `yoy` is [`yoy_pct`] of the comparable figures; `is_flow` is false
    /// for levels; `carried` whether last year's forms had the metric;
    /// `current` the comparable current figure, rounded as written.
    pub fn of(has_previous: bool, carried: bool, is_flow: bool, yoy: Option<f64>, current: f64) -> Change {
        match yoy {
            _ if !has_previous => Change::None,
            _ if !carried => Change::NotCounted,
            Some(p) if rounded(p, PCT_DECIMALS) == 0.0 => Change::Flat,
            Some(p) => Change::Pct(p),
            None if is_flow && current > 0.0 => Change::New,
            None => Change::None,
        }
    }

    /// The words in a sentence: "同比增长31%", "新增", "与上年持平", or ""
    /// when there is nothing to say.
    pub fn words(&self) -> String {
        match *self {
            Change::None | Change::NotCounted => String::new(),
            Change::New => "新增".to_owned(),
            Change::Flat => "与上年持平".to_owned(),
            Change::Pct(p) => yoy_words(p),
        }
    }

    /// The words in a table cell: "增长31%", "下降5.2%", "持平", "新增", "—".
    pub fn cell(&self) -> String {
        match *self {
            Change::None | Change::NotCounted => "—".to_owned(),
            Change::New => "新增".to_owned(),
            Change::Flat => "持平".to_owned(),
            Change::Pct(p) => yoy_words(p).replacen("同比", "", 1).replace("与上年", ""),
        }
    }

    /// `none`, `not_counted`, `new`, `flat` or `pct`: for templates and charts.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::None => "none",
            Change::NotCounted => "not_counted",
            Change::New => "new",
            Change::Flat => "flat",
            Change::Pct(_) => "pct",
        }
    }

    /// The percentage, when there is one.
    pub fn pct(&self) -> Option<f64> {
        match *self {
            Change::Pct(p) => Some(p),
            Change::Flat => Some(0.0),
            _ => None,
        }
    }
}

/// Templates see `{kind, pct, words, cell}`.
impl Serialize for Change {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("kind", self.kind())?;
        map.serialize_entry("pct", &self.pct())?;
        map.serialize_entry("words", &self.words())?;
        map.serialize_entry("cell", &self.cell())?;
        map.end()
    }
}

/// Adds one to a string of decimal digits in place (499 → 500, 99 → 100).
fn carry_one(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn trim_zeros(frac: &[u8]) -> &[u8] {
    let end = frac.iter().rposition(|d| *d != b'0').map_or(0, |i| i + 1);
    &frac[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_what_display_writes() {
        let mut n = 1u64;
        let mut cases = vec![0, u64::MAX, 9, 10, 99, 100, 1_048_576];
        while let Some(next) = n.checked_mul(7) {
            cases.extend([n - 1, n, n + 1]);
            n = next;
        }
        for n in cases {
            let mut out = String::from("x");
            push_digits(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn shortest_text_is_what_display_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -7.0,
            159.0,
            0.1,
            -2.675,
            1e15,
            1e21,
            WHOLE_EXACT - 1.0,
            WHOLE_EXACT,
            -WHOLE_EXACT,
            36_028_797_018_963_968.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Whole numbers of every size, and their neighbours.
        let mut x = 1.0f64;
        while x < 1e20 {
            values.extend([x, -x, x + 1.0, x - 1.0, x + 0.5]);
            x *= 3.7;
        }
        let mut out = String::new();
        for v in values {
            out.clear();
            push_shortest(&mut out, v);
            assert_eq!(out, format!("{v}"), "{v:?}");
        }
    }

    #[test]
    fn figures_round_half_up_on_the_decimal_value() {
        assert_eq!(figure(0.125, 2), "0.13", "format! would say 0.12");
        assert_eq!(figure(1.005, 2), "1.01");
        assert_eq!(figure(2.5, 0), "3");
        assert_eq!(figure(56.819999999, 2), "56.82");
        assert_eq!(figure(0.1 + 0.2, 2), "0.3");
        assert_eq!(figure(159.0, 0), "159");
        assert_eq!(figure(9.995, 2), "10");
        assert_eq!(figure(99.999, 2), "100");
        assert_eq!(figure(1.23456, 3), "1.235");
        assert_eq!(figure(1.5, 4), "1.5");
        assert_eq!(figure(1.0 / 3.0, 100), "0.333333", "at most six decimals");
        assert_eq!(figure(-3.456, 2), "-3.46");
        assert_eq!(figure(-0.001, 2), "0", "never -0");
        assert_eq!(figure(-0.0, 2), "0");
        assert_eq!(figure(1e-7, 6), "0");
        assert_eq!(figure(1e20, 0), "100000000000000000000");
        assert_eq!(figure(f64::NAN, 2), "");
        assert_eq!(figure(f64::INFINITY, 2), "");
        assert_eq!(rounded(0.125, 2), 0.13);
    }

    #[test]
    fn whole_numbers_are_written_as_the_shortest_form_would_be() {
        for x in [0.0f64, -0.0, 8.0, -159.0, 540_000.0, 1e15, -9_007_199_254_740_991.0] {
            let shortest = x.abs().to_string();
            let expected = if x < 0.0 { format!("-{shortest}") } else { shortest };
            assert_eq!(figure(x, 2), expected, "{x}");
            assert_eq!(rounded(x, 2), expected.parse::<f64>().unwrap(), "{x}");
        }
        assert!(rounded(-0.0, 0).is_sign_positive(), "never -0");
    }

    #[test]
    fn percentages_have_one_rule() {
        assert_eq!(percent(31.004367), "31%");
        assert_eq!(percent(5.19), "5.2%");
        assert_eq!(percent(0.05), "0.1%");
        assert_eq!(percent(-5.2), "-5.2%");
        assert_eq!(percent_figure(44.44444), "44.4");
        assert_eq!(percent(f64::NAN), "");
        assert_eq!(points(4.5), "4.5个百分点");
        assert_eq!(points(-2.25), "2.3个百分点");
    }

    #[test]
    fn year_on_year_from_the_written_figures() {
        assert!((yoy_pct(54.0, 41.22, 2).unwrap() - 31.004367).abs() < 1e-6);
        assert_eq!(yoy_pct(3.0, 0.0, 0), None);
        assert_eq!(yoy_pct(0.004, 0.001, 2), None, "both round to 0");
        assert_eq!(yoy_pct(1e308, 1e-308, 2), None, "never infinite");
        assert_eq!(share_pct(80.0, 180.0, 0).map(percent_figure).as_deref(), Some("44.4"));
        assert_eq!(share_pct(5.0, 0.0, 0), None);
    }

    #[test]
    fn year_on_year_wording() {
        assert_eq!(yoy_words(31.004), "同比增长31%");
        assert_eq!(yoy_words(-5.19), "同比下降5.2%");
        assert_eq!(yoy_words(0.04), "与上年持平");
        assert_eq!(yoy_words(-0.05), "同比下降0.1%");
        assert_eq!(yoy_words(-100.0), "同比下降100%");
    }

    #[test]
    fn change_says_new_only_for_a_flow_on_last_years_forms() {
        let yoy = yoy_pct(54.0, 41.22, 2);
        assert_eq!(Change::of(true, true, true, yoy, 54.0).words(), "同比增长31%");
        assert_eq!(Change::of(true, true, true, None, 3.0), Change::New);
        assert_eq!(
            Change::of(true, true, false, None, 500.0),
            Change::None,
            "a level is never 新增"
        );
        assert_eq!(Change::of(true, false, true, None, 66.0), Change::NotCounted);
        assert_eq!(Change::of(true, true, true, None, 0.0), Change::None, "0 against 0");
        assert_eq!(Change::of(false, true, true, yoy, 54.0), Change::None, "no last year");
        assert_eq!(Change::of(true, true, true, Some(0.04), 1.0), Change::Flat);
        assert_eq!(Change::NotCounted.words(), "");
        assert_eq!(Change::NotCounted.cell(), "—");
        assert_eq!(Change::None.cell(), "—");
        assert_eq!(Change::Pct(31.0).cell(), "增长31%");
        assert_eq!(Change::Pct(-5.19).cell(), "下降5.2%");
        assert_eq!(Change::Flat.cell(), "持平");
        let json = serde_json::to_string(&Change::Pct(-5.19)).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"pct","pct":-5.19,"words":"同比下降5.2%","cell":"下降5.2%"}"#
        );
    }

    #[test]
    fn money_in_wan_yuan_respects_decimals() {
        assert_eq!(money(56.819999, "万元", 2), "56.82万元");
        assert_eq!(money(54.0, "万元", 2), "54万元");
        assert_eq!(money(9999.99, "万元", 2), "9999.99万元");
        assert_eq!(money(9999.999, "万元", 2), "1亿元", "judged after rounding");
        assert_eq!(money(50510.0, "万元", 2), "5.051亿元");
        assert_eq!(money(12345.6, "万元", 2), "1.23456亿元", "exact: the CSV says 12345.6");
        assert_eq!(money(12345.678, "万元", 1), "1.23457亿元", "at the metric's decimals");
        assert_eq!(money(0.0, "万元", 2), "0万元");
        assert_eq!(money(0.5, "万元", 2), "0.5万元");
        assert_eq!(money(-50510.0, "万元", 2), "-5.051亿元");
        assert_eq!(money(1e12, "万元", 2), "100000000亿元");
        assert_eq!(money(f64::NAN, "万元", 2), "");
    }

    #[test]
    fn money_in_yuan_and_other_units() {
        assert_eq!(money(350.0, "元", 0), "350元");
        assert_eq!(money(9999.5, "元", 2), "9999.5元");
        assert_eq!(money(9999.999, "元", 2), "1万元");
        assert_eq!(money(12000.0, "元", 0), "1.2万元");
        assert_eq!(money(568200.0, "元", 0), "56.82万元");
        assert_eq!(money(505_100_000.0, "元", 0), "5.051亿元");
        assert_eq!(money(12.345, "美元", 2), "12.35美元");
        assert_eq!(money(20.0, " 万元 ", 2), "20万元");
        assert_eq!(count(159.0, "件", 0), "159件");
        assert_eq!(count(2.5, "天", 1), "2.5天");
        assert_eq!(count(f64::NAN, "天", 1), "");
    }
}
