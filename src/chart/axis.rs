//! A value axis: a range through 0 with round ticks (1, 2 or 5 times a power of ten) and room kept
//! beyond the data for value labels.

use super::ChartError;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ValueAxis {
    pub min: f64,
    pub max: f64,
    step: f64,
    decimals: usize,
}

impl ValueAxis {
    /// An axis through 0 that holds `lo..=hi` on `length` pixels and leaves `pad_high` / `pad_low`
    /// pixels free beyond the largest and smallest value.
    pub(crate) fn fit(lo: f64, hi: f64, length: f64, pad_high: f64, pad_low: f64) -> Result<Self, ChartError> {
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let (lo, hi) = if lo == hi { (0.0, 1.0) } else { (lo, hi) };
        let length = length.max(10.0);
        // The labels never get more than half the axis.
        let shrink = ((length * 0.5) / (pad_high + pad_low).max(1e-9)).min(1.0);
        let (pad_high, pad_low) = (pad_high * shrink, pad_low * shrink);
        let span = (hi - lo) * length / (length - pad_high - pad_low);
        let step = nice_step(span / 5.0);
        let mut max = if hi > 0.0 {
            ((hi + span * pad_high / length) / step).ceil() * step
        } else {
            0.0
        };
        let mut min = if lo < 0.0 {
            ((lo - span * pad_low / length) / step).floor() * step
        } else {
            0.0
        };
        // Rounding out to whole steps widens the range and so shrinks the pixel padding: grow until it fits.
        for _ in 0..10 {
            let px = length / (max - min);
            let high_short = hi > 0.0 && (max - hi) * px < pad_high - 0.5;
            let low_short = lo < 0.0 && (lo - min) * px < pad_low - 0.5;
            if !high_short && !low_short {
                break;
            }
            max += if high_short { step } else { 0.0 };
            min -= if low_short { step } else { 0.0 };
        }
        if !(min.is_finite() && max.is_finite() && step.is_finite() && max > min) {
            return Err(ChartError(format!("values too large to plot ({lo} to {hi})")));
        }
        let decimals = (-(step.log10() + 1e-9).floor()).clamp(0.0, 10.0) as usize;
        Ok(ValueAxis {
            min,
            max,
            step,
            decimals,
        })
    }

    /// Where `value` lies between `start` (the axis minimum) and `end` (its maximum), in pixels.
    pub(crate) fn position(&self, value: f64, (start, end): (f64, f64)) -> f64 {
        start + (value - self.min) / (self.max - self.min) * (end - start)
    }

    pub(crate) fn ticks(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round().min(100.0) as usize;
        (0..=count).map(|i| self.min + i as f64 * self.step).collect()
    }

    /// Enough decimals for the step, trailing zeros dropped ("1", "1.5").
    pub(crate) fn tick_label(&self, value: f64) -> String {
        trim_zeros(&format!("{value:.*}", self.decimals))
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let factor = [1.0, 2.0, 5.0]
        .into_iter()
        .find(|&f| norm <= f * (1.0 + 1e-9))
        .unwrap_or(10.0);
    factor * magnitude
}

/// "56.80" -> "56.8", "159.00" -> "159", "-0.00" -> "0".
pub(crate) fn trim_zeros(number: &str) -> String {
    let trimmed = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_starts_at_zero_with_round_ticks_and_headroom() {
        let axis = ValueAxis::fit(0.0, 5051.0, 300.0, 20.0, 0.0).unwrap();
        assert_eq!(axis.min, 0.0);
        assert!(axis.max > 5051.0 && (axis.max - 5051.0) / (axis.max - axis.min) * 300.0 >= 19.5);
        assert!(axis.ticks().iter().all(|t| t % 1000.0 == 0.0), "{:?}", axis.ticks());
        let small = ValueAxis::fit(0.0, 0.07, 300.0, 20.0, 0.0).unwrap();
        assert_eq!(
            small.ticks().iter().map(|&t| small.tick_label(t)).collect::<Vec<_>>()[..3],
            ["0", "0.02", "0.04"]
        );
        let negative = ValueAxis::fit(-30.0, 80.0, 300.0, 20.0, 20.0).unwrap();
        assert!(negative.min < -30.0 && negative.ticks().contains(&0.0));
        assert!(ValueAxis::fit(0.0, 0.0, 300.0, 0.0, 0.0).is_ok());
        assert!(ValueAxis::fit(-f64::MAX, f64::MAX, 300.0, 0.0, 0.0).is_err());
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(0.15), 0.2);
        assert_eq!(nice_step(1000.0), 1000.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
        assert_eq!(trim_zeros("-0.00"), "0");
    }
}
