//! Characters XML cannot carry: control characters other than tab and line
//! breaks, and U+FFFE/U+FFFF. One such character in a unit's name would make
//! report.docx unreadable, so every text is cleaned before it is laid out,
//! and what was removed is reported.

use std::collections::BTreeSet;

/// Whether XML 1.0 (and so Word) accepts `c` in text.
pub fn is_allowed(c: char) -> bool {
    !(c.is_control() && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// `text` without the characters XML forbids; those removed go to `removed`.
pub fn clean(text: &str, removed: &mut BTreeSet<char>) -> String {
    if text.chars().all(is_allowed) {
        return text.to_owned();
    }
    text.chars()
        .filter(|&c| {
            let ok = is_allowed(c);
            if !ok {
                removed.insert(c);
            }
            ok
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_what_xml_forbids_and_says_what() {
        let mut removed = BTreeSet::new();
        let text = "甲\u{b}工会\u{0}\t乙\n\u{7f}\u{fffe}丙\u{1f600}";
        assert_eq!(clean(text, &mut removed), "甲工会\t乙\n丙\u{1f600}");
        assert_eq!(
            removed.into_iter().collect::<Vec<_>>(),
            ['\u{0}', '\u{b}', '\u{7f}', '\u{fffe}']
        );
    }
}
