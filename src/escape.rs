//! Text someone else wrote (unit names, 填报人, 联系电话, file names, cell
//! contents in messages, catalogue names) made inert in Markdown: it comes
//! out as the characters it is, never as a heading, table, link, emphasis or
//! HTML, and never breaks a line or a table row.

/// `s` safe anywhere in a Markdown line or table cell. Line breaks and
/// control characters become spaces; Markdown and HTML punctuation is
/// backslash-escaped (CommonMark lets any ASCII punctuation be escaped).
/// Characters that only matter in some places (`#`, `-`, `+`, `=`, `1.` at
/// the start; `_` at a word's edge; `&` before an entity name) are escaped
/// only there, so ordinary text stays readable in the .md file.
pub fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)) => {
                out.push_str("\\_");
            }
            '&' if after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '#') => out.push_str("\\&"),
            '#' | '-' | '+' | '=' if i == 0 && !after.is_some_and(|a| a.is_ascii_digit()) => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')'
                if i > 0 && chars[..i].iter().all(char::is_ascii_digit) && after.is_none_or(char::is_whitespace) =>
            {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(markdown("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
    }

    #[test]
    fn structure_at_the_start_is_escaped() {
        assert_eq!(markdown("# 标题"), "\\# 标题");
        assert_eq!(markdown("- 列表"), "\\- 列表");
        assert_eq!(markdown("1. 第一"), "1\\. 第一");
        assert_eq!(markdown("12) 第一"), "12\\) 第一");
        assert_eq!(markdown("==="), "\\===");
        assert_eq!(markdown("[链接](http://x)"), "\\[链接\\](http://x)");
        assert_eq!(markdown("a\r\nb\u{0B}c\td"), "a  b c d");
        assert_eq!(markdown("\\*"), "\\\\\\*");
    }

    #[test]
    fn ordinary_text_stays_readable() {
        for s in [
            "省直机关工会工委",
            "56.82万元",
            "024-28265581",
            "2016/S043-省统计局机关工会（1-6月）.xlsx › 数据!G35",
            "丙 & 丁工会",
            "help.measures_done",
            "同比下降5.2%",
            "1#楼",
            "-3",
        ] {
            assert_eq!(markdown(s), s);
        }
        assert_eq!(markdown("_x_"), "\\_x\\_");
        assert_eq!(markdown("&amp;"), "\\&amp;");
    }
}
