//! Who to phone about a unit: 填报人 and 联系电话 from the submission that
//! counts (or blocks), else from last year's, for validation.md and the
//! 报送情况 sheet.

use crate::validate::{Submission, YearReading};

/// A unit's contact and the year it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub filer: Option<String>,
    pub phone: Option<String>,
    /// The year of the submission it comes from: last year's when this
    /// year's has none.
    pub year: i32,
}

impl Contact {
    /// The contact written in a submission of `year`, if it names anyone.
    pub fn of(submission: &Submission, year: i32) -> Option<Contact> {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let (filer, phone) = (clean(&submission.info.filer), clean(&submission.info.phone));
        (filer.is_some() || phone.is_some()).then_some(Contact { filer, phone, year })
    }

    /// `张三，024-86000000`; what is missing reads 未填写.
    pub fn text(&self) -> String {
        format!(
            "{}，{}",
            self.filer.as_deref().unwrap_or("填报人未填写"),
            self.phone.as_deref().unwrap_or("电话未填写")
        )
    }
}

/// The contact for registered unit `unit` (its registry index): this year's
/// submission that counts or blocks, else last year's.
pub fn unit_contact(unit: usize, reading: &YearReading, previous: Option<&YearReading>) -> Option<Contact> {
    std::iter::once(reading).chain(previous).find_map(|r| {
        // One status per registered unit, in registry order.
        let i = r.selection.units.get(unit)?.submission?;
        Contact::of(&r.submissions[i], r.year)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_named() {
        let c = Contact {
            filer: Some("张三".into()),
            phone: None,
            year: 2015,
        };
        assert_eq!(c.text(), "张三，电话未填写");
    }
}
