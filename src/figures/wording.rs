//! How a chart writes a figure: the number as the report's text writes it, a change in %, and the unit
//! money is shown in (万元, or 亿元 from 1亿 on, as the text does). [`number`] is the one function that
//! turns a figure into digits.

use crate::catalogue::Metric;

/// A figure with `decimals` decimals at most, trailing zeros dropped: 56.819999 → "56.82", 159.0 → "159".
pub(crate) fn number(value: f64, decimals: u32) -> String {
    crate::number::figure(value, decimals)
}

/// A change in %, signed, one decimal as the text writes it: "+31%", "-5.2%", "0%".
pub(crate) fn percent(pct: f64) -> String {
    let digits = number(pct, 1);
    if digits == "0" || digits.starts_with('-') {
        format!("{digits}%")
    } else {
        format!("+{digits}%")
    }
}

/// The unit a metric's figures are shown in: value / `per`, written with `decimals`, followed by `unit`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    pub per: f64,
    pub unit: String,
    pub decimals: u32,
}

impl Scale {
    pub(crate) fn figure(&self, value: f64) -> String {
        number(value / self.per, self.decimals)
    }

    pub(crate) fn value(&self, value: f64) -> f64 {
        value / self.per
    }
}

/// The unit for figures up to `largest`: money in 万元, or 亿元 once the largest reaches 1亿 (an amount
/// in 元 also in 万元 from 1万 on); any other unit as it is.
pub(crate) fn scale(metric: &Metric, largest: f64) -> Scale {
    let s = |per: f64, unit: &str, decimals: u32| Scale {
        per,
        unit: unit.to_string(),
        decimals,
    };
    // Judged after rounding in the unit below, as the text does: 9999.999万元 reads "1亿元".
    let reaches = |per: f64, below: f64| number(largest / below, 2).parse::<f64>().unwrap_or(0.0) >= per / below;
    match metric.unit.trim() {
        "万元" if reaches(1e4, 1.0) => s(1e4, "亿元", 3),
        "万元" => s(1.0, "万元", 2),
        "元" if reaches(1e8, 1e4) => s(1e8, "亿元", 3),
        "元" if reaches(1e4, 1.0) => s(1e4, "万元", 2),
        "亿元" => s(1.0, "亿元", 3),
        other => s(1.0, other, metric.decimals),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Aggregate;

    fn metric(unit: &str, decimals: u32) -> Metric {
        Metric {
            id: "m".into(),
            name: "m".into(),
            unit: unit.into(),
            decimals,
            aggregate: Aggregate::Sum,
            targets: Default::default(),
            programme: 0,
        }
    }

    #[test]
    fn percentages_are_signed_with_one_decimal() {
        assert_eq!(percent(31.0044), "+31%");
        assert_eq!(percent(17.7861), "+17.8%");
        assert_eq!(percent(-5.19), "-5.2%");
        assert_eq!(percent(0.04), "0%");
        assert_eq!(percent(-0.04), "0%");
    }

    #[test]
    fn money_in_the_unit_the_text_uses() {
        let wan = metric("万元", 2);
        assert_eq!(scale(&wan, 56.82).figure(56.819999), "56.82");
        assert_eq!(scale(&wan, 50510.0).unit, "亿元");
        assert_eq!(scale(&wan, 50510.0).figure(50510.0), "5.051");
        assert_eq!(scale(&wan, 9999.999).unit, "亿元");
        assert_eq!(scale(&wan, 9999.99).unit, "万元");
        let yuan = metric("元", 0);
        assert_eq!(
            (scale(&yuan, 568200.0).unit, scale(&yuan, 568200.0).figure(568200.0)),
            ("万元".into(), "56.82".into())
        );
        assert_eq!(scale(&yuan, 350.0).figure(350.0), "350");
        assert_eq!(scale(&metric("件", 0), 159.0).figure(159.0), "159");
    }
}
