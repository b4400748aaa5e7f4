//! Figures as decimals: compared at a metric's `decimals` (half-up, on the
//! decimal value, never with a tolerance that grows with the figure). Every
//! number in a reading message is written here: a metric's figure by
//! [`shown`], a value as the unit typed it by [`as_typed`].

use std::fmt::Write;

/// Fixed-point scale for exact sums: nine decimals are beyond any metric's.
const SCALE_DIGITS: u32 = 9;

/// A value as an exact decimal, in units of 10⁻⁹, from its shortest decimal
/// form (`0.1` is one tenth, not the binary fraction nearest to it).
fn nanos(x: f64) -> i128 {
    // Whole numbers (most figures) are their shortest text as they are.
    if let Some(whole) = crate::number::exact_whole(x) {
        return i128::from(whole) * 10i128.pow(SCALE_DIGITS);
    }
    // Written on the stack: this runs for every fractional cell read.
    let mut buf = Text::default();
    let _ = write!(buf, "{}", x.abs());
    let text = buf.as_str();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int: i128 = int.parse().unwrap_or(0);
    let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
    let round_up = digit(SCALE_DIGITS as usize) >= 5;
    let frac = (0..SCALE_DIGITS as usize).fold(0i128, |acc, i| acc * 10 + digit(i)) + round_up as i128;
    let n = int * 10i128.pow(SCALE_DIGITS) + frac;
    if x < 0.0 {
        -n
    } else {
        n
    }
}

/// The text of an f64, on the stack: Display writes at most 309 integer
/// digits, or a point and the shortest fraction (under 330 bytes).
struct Text {
    bytes: [u8; 512],
    len: usize,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            bytes: [0; 512],
            len: 0,
        }
    }
}

impl Text {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Exact nanos rounded half-up (away from zero) to `decimals`, in units of
/// 10^-decimals.
fn rounded(nanos: i128, decimals: u32) -> i128 {
    let d = decimals.min(SCALE_DIGITS);
    let step = 10i128.pow(SCALE_DIGITS - d);
    let half = step / 2;
    if nanos >= 0 {
        (nanos + half) / step
    } else {
        -((-nanos + half) / step)
    }
}

/// The exact sum of values, rounded to `decimals`, in units of 10^-decimals.
fn sum_at(values: &[f64], decimals: u32) -> i128 {
    rounded(values.iter().map(|&v| nanos(v)).sum(), decimals)
}

/// Whether `annual` equals the exact sum of `parts` at `decimals`.
pub fn equals_sum(annual: f64, parts: &[f64], decimals: u32) -> bool {
    sum_at(&[annual], decimals) == sum_at(parts, decimals)
}

/// The exact sum of values as a number, rounded to `decimals`.
pub fn sum(values: &[f64], decimals: u32) -> f64 {
    let units = sum_at(values, decimals);
    units as f64 / 10f64.powi(decimals.min(SCALE_DIGITS) as i32)
}

/// `annual − Σ parts` at `decimals`, for messages.
pub fn difference(annual: f64, parts: &[f64], decimals: u32) -> f64 {
    let units = sum_at(&[annual], decimals) - sum_at(parts, decimals);
    units as f64 / 10f64.powi(decimals.min(SCALE_DIGITS) as i32)
}

/// A figure in a message, at the metric's decimals (half-up): `23450.01`,
/// `8`. The one place messages write a metric's figures.
pub fn shown(x: f64, decimals: u32) -> String {
    let d = decimals.min(SCALE_DIGITS);
    let units = rounded(nanos(x), d);
    let sign = if units < 0 { "-" } else { "" };
    let units = units.abs();
    if d == 0 {
        return format!("{sign}{units}");
    }
    let step = 10i128.pow(d);
    format!("{sign}{}.{:0width$}", units / step, units % step, width = d as usize)
}

/// A value as the unit typed it, in a message (`2.5` in a whole-number
/// metric must read 2.5): up to six decimals, trailing zeros dropped.
pub fn as_typed(x: f64) -> String {
    crate::ingest::grid::format_number(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_as_decimals_at_the_metrics_decimals() {
        assert!(!equals_sum(23450.01, &[23000.0, 450.0], 2), "one cent is a difference");
        assert!(!equals_sum(56.83, &[56.82], 2));
        assert!(equals_sum(0.3, &[0.1, 0.2], 2));
        assert!(equals_sum(0.30000000000000004, &[0.1, 0.2], 2), "a cached binary sum");
        assert!(equals_sum(100000.0, &[99999.99, 0.01], 2));
        assert!(
            !equals_sum(100000.1, &[100000.0], 2),
            "no tolerance that grows with the figure"
        );
        assert!(equals_sum(8.0, &[5.0, 3.0], 0));
        assert!(equals_sum(0.25, &[0.125, 0.125], 2), "summed exactly, then rounded");
    }

    #[test]
    fn half_up_on_the_decimal_value() {
        assert_eq!(shown(0.125, 2), "0.13");
        assert_eq!(shown(2.675, 2), "2.68", "binary 2.67499… is decimal 2.675");
        assert_eq!(shown(23450.0, 2), "23450.00");
        assert_eq!(shown(8.0, 0), "8");
        assert_eq!(shown(-0.5, 0), "-1");
        assert_eq!(sum(&[0.1, 0.2], 2), 0.3);
        assert_eq!(difference(23450.01, &[23450.0], 2), 0.01);
    }

    #[test]
    fn whole_numbers_are_the_same_nanos_without_text() {
        let by_text = |x: f64| {
            let n: i128 = format!("{}", x.abs()).parse().unwrap();
            n * 10i128.pow(SCALE_DIGITS) * if x < 0.0 { -1 } else { 1 }
        };
        for x in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            159.0,
            540_000.0,
            9_007_199_254_740_992.0,
            -1e17,
            123_456_789_012.0,
            // 2⁵⁵: its shortest text is 36028797018963970, not its digits.
            36_028_797_018_963_968.0,
        ] {
            assert_eq!(nanos(x), by_text(x), "{x}");
        }
        assert_eq!(nanos(2.5), 2_500_000_000);
        assert_eq!(nanos(-0.125), -125_000_000);
    }

    #[test]
    fn fractions_are_their_shortest_text_to_nine_decimals_half_up() {
        // Digit by digit from the text, as a person would.
        let by_text = |x: f64| {
            let text = format!("{}", x.abs());
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let mut digits: String = frac.chars().chain(std::iter::repeat('0')).take(10).collect();
            let up = digits.pop().unwrap() >= '5';
            let n = int.parse::<i128>().unwrap_or(0) * 10i128.pow(SCALE_DIGITS)
                + digits.parse::<i128>().unwrap()
                + up as i128;
            if x < 0.0 {
                -n
            } else {
                n
            }
        };
        for x in [
            0.1,
            -0.3,
            2.675,
            23450.01,
            0.30000000000000004,
            1.0000000005,
            1.0000000004999,
            -0.0000000005,
            123_456_789.123_456_78,
            5e-324,
            1e-300,
            f64::MAX,
            -f64::MAX,
            f64::EPSILON,
            4_503_599_627_370_495.5,
        ] {
            assert_eq!(nanos(x), by_text(x), "{x}");
        }
        assert_eq!(nanos(0.1), 100_000_000);
        assert_eq!(nanos(1.0000000005), 1_000_000_001, "the tenth decimal rounds the ninth");
    }
}
