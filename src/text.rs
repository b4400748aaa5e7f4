//! Text normalisation shared by every reader: full-width forms, stray spaces,
//! labels written in slightly different ways by different units.

/// Full-width ASCII forms (Ｕ０１７, １，７４０) to their half-width letters;
/// the ideographic space to a plain space.
pub fn halfwidth(s: &str) -> String {
    s.chars().map(halfwidth_char).collect()
}

fn halfwidth_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whitespace as units type it: ASCII, ideographic, no-break, zero-width.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00A0}' | '\u{3000}')
}

/// Trim every kind of space units type around a value.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// A code or name as written in a cell (`U017 `, `ｕ017`), made comparable:
/// half-width, no spaces anywhere, no trailing colon or required-field star.
pub fn code_key(s: &str) -> String {
    // One pass, one allocation: every label and code of every file comes
    // through here.
    let mut k = String::with_capacity(s.len());
    for c in s.chars().map(halfwidth_char).filter(|c| !is_space(*c)) {
        k.push(c);
    }
    let end = k.trim_end_matches([':', '*']).len();
    k.truncate(end);
    let stars = k.len() - k.trim_start_matches('*').len();
    k.drain(..stars);
    k
}

/// A header or label reduced to its words, as [`code_key`] and without a
/// trailing remark in brackets: `"单 位 代 码（必填）："` → `"单位代码"`,
/// `"1月(万元)"` → `"1月"`.
pub fn label_key(s: &str) -> String {
    let k = code_key(s);
    if let Some(open) = k.strip_suffix(')').and_then(|rest| rest.rfind('(')).filter(|&i| i > 0) {
        return code_key(&k[..open]);
    }
    k
}

/// Chinese numerals 一…十二 as used in month labels.
pub fn chinese_month(s: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    NAMES.iter().position(|n| *n == s).map(|i| i as u8 + 1)
}

/// A month written as `6`, `06`, `6月`, `6月份`, `六月`: its number 1–12.
pub fn parse_month(s: &str) -> Option<u8> {
    let k = label_key(s);
    let k = k.strip_suffix("月份").or_else(|| k.strip_suffix('月')).unwrap_or(&k);
    let n = if k.chars().all(|c| c.is_ascii_digit()) && !k.is_empty() && k.len() <= 2 {
        k.parse::<u8>().ok()
    } else {
        chinese_month(k)
    };
    n.filter(|m| (1..=12).contains(m))
}

/// A number as every output writes it: [`crate::number::figure`] (one
/// rounding rule), kept here for the readers that quote a cell's number.
pub fn decimal(x: f64, max_decimals: usize) -> String {
    crate::number::figure(x, max_decimals.min(u32::MAX as usize) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_trimmed() {
        assert_eq!(decimal(56.819999999, 6), "56.82");
        assert_eq!(decimal(159.0, 2), "159");
        assert_eq!(decimal(-0.0000001, 2), "0");
        assert_eq!(decimal(31.004367, 4), "31.0044");
        assert_eq!(decimal(f64::NAN, 2), "");
        assert_eq!(decimal(0.125, 2), "0.13", "half-up, as every output rounds");
    }

    #[test]
    fn halfwidth_maps_digits_letters_and_punctuation() {
        assert_eq!(halfwidth("１，７４０"), "1,740");
        assert_eq!(halfwidth("Ｕ０１７"), "U017");
        assert_eq!(halfwidth("a\u{3000}b"), "a b");
    }

    #[test]
    fn label_key_drops_spaces_colons_and_stars() {
        assert_eq!(label_key(" 单 位 代 码： "), "单位代码");
        assert_eq!(label_key("*截至月份:"), "截至月份");
        assert_eq!(label_key("填报日期*"), "填报日期");
        assert_eq!(label_key("单位代码（必填）："), "单位代码");
        assert_eq!(label_key("1月(万元)"), "1月");
        assert_eq!(label_key("（万元）"), "(万元)", "a remark alone stays");
        assert_eq!(code_key("S001(旧)"), "S001(旧)", "codes keep their brackets");
        assert_eq!(
            code_key("**Ｕ０１７\u{200B} ：*"),
            "U017",
            "stars, full-width colon, zero-width space"
        );
        assert_eq!(code_key("***"), "");
        assert_eq!(code_key("a*b"), "a*b", "a star inside stays");
    }

    #[test]
    fn months_in_every_spelling() {
        for s in ["6", "06", "6月", "６月", "6月份", "六月", " 6 月 "] {
            assert_eq!(parse_month(s), Some(6), "{s}");
        }
        assert_eq!(parse_month("十二月"), Some(12));
        assert_eq!(parse_month("13月"), None);
        assert_eq!(parse_month("0"), None);
        assert_eq!(parse_month("全年"), None);
        assert_eq!(parse_month(""), None);
    }
}
