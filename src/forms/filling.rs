//! What a unit types into its form, and the 全年 Excel caches for it: the
//! sample generator and the round-trip tests fill the real form with this.

use std::collections::BTreeMap;

use crate::catalogue::Aggregate;

/// What a unit types into its form: the sample generator and the round-trip
/// tests fill forms with this, so the sample is the real form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filling {
    pub filled_through: Option<u8>,
    pub filed_on: Option<chrono::NaiveDate>,
    pub filer: Option<String>,
    pub phone: Option<String>,
    /// Month values by metric id: index 0 is 1月.
    pub months: BTreeMap<String, [Option<f64>; 12]>,
    /// Remarks by metric id.
    pub remarks: BTreeMap<String, String>,
    /// Month cells typed as text instead of a number, by (metric id, month
    /// 1–12): what units do now and then (`1,740`, `54万元`). The cached 全年
    /// skips them, as Excel's SUM does.
    pub texts: BTreeMap<(String, u8), String>,
    /// Add a 合计 row under the metrics, as some units do.
    pub totals_row: bool,
}

impl Filling {
    /// 全年 as Excel caches the form's own formula: blank while no month is
    /// filled; a sum skips months typed as text (as SUM does); a level's
    /// LOOKUP of the last non-empty cell returns that cell as it stands —
    /// text too, when the last filled month was typed as text.
    pub fn cached_annual(&self, metric: &str, aggregate: Aggregate) -> Option<String> {
        if aggregate == Aggregate::Last {
            let months = self.months.get(metric)?;
            let last = (1..=12u8)
                .rev()
                .find(|&m| months[m as usize - 1].is_some() || self.texts.contains_key(&(metric.to_owned(), m)))?;
            if let Some(text) = self.texts.get(&(metric.to_owned(), last)) {
                return Some(text.clone());
            }
        }
        self.annual(metric, aggregate).map(|v| crate::text::decimal(v, 6))
    }

    /// 全年 as the form's formula computes it (blank while no month is filled).
    pub fn annual(&self, metric: &str, aggregate: Aggregate) -> Option<f64> {
        let months = self.months.get(metric)?;
        let typed_as_text = |i: usize| self.texts.contains_key(&(metric.to_owned(), i as u8 + 1));
        let filled: Vec<f64> = months
            .iter()
            .enumerate()
            .filter(|(i, _)| !typed_as_text(*i))
            .filter_map(|(_, v)| *v)
            .collect();
        if filled.is_empty() {
            return None;
        }
        Some(match aggregate {
            Aggregate::Sum => filled.iter().sum(),
            Aggregate::Last => *filled.last().expect("non-empty"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_annual_is_what_the_forms_formulas_show() {
        let mut f = Filling::default();
        let mut months = [None; 12];
        months[0] = Some(100.0);
        months[2] = Some(120.0);
        f.months.insert("m".into(), months);
        f.texts.insert(("m".into(), 4), "1,740".into());
        // SUM skips the month typed as text; LOOKUP returns it as it stands.
        assert_eq!(f.cached_annual("m", Aggregate::Sum).as_deref(), Some("220"));
        assert_eq!(f.cached_annual("m", Aggregate::Last).as_deref(), Some("1,740"));
        f.texts.clear();
        assert_eq!(f.cached_annual("m", Aggregate::Last).as_deref(), Some("120"));
        assert_eq!(
            f.cached_annual("none", Aggregate::Sum),
            None,
            "blank until a month is filled"
        );
    }
}
