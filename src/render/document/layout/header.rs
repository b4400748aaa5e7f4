//! Where a table header may break: between words, never inside one — a
//! reader's cut, found without a dictionary from the header's own shape.

use super::measure::{closes, opens, Em};

/// A header cut where a reader would cut it: between words of two Chinese
/// characters ("可比|口径"), before a bracket ("上年同期|（可比）"), around
/// a figure with its unit ("可比口径|2015年", "最多的|5个|单位"). Runs of up
/// to three Chinese characters stay whole.
pub fn header_pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut run = 0; // Chinese characters in the current run
    let cut = |current: &mut String, pieces: &mut Vec<String>| {
        let piece = current.trim();
        if !piece.is_empty() {
            pieces.push(piece.to_owned());
        }
        current.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            cut(&mut current, &mut pieces);
            run = 0;
            i += 1;
            continue;
        }
        let numeric = |c: char| c.is_ascii_alphanumeric() || ".%-—–~/".contains(c);
        if c.is_ascii_alphanumeric() {
            // A figure or word with the one character that names it: 2015年, 1—6月, 5个.
            cut(&mut current, &mut pieces);
            while i < chars.len() && numeric(chars[i]) {
                current.push(chars[i]);
                i += 1;
            }
            if i < chars.len() && !chars[i].is_ascii() && !opens(chars[i]) {
                current.push(chars[i]);
                i += 1;
            }
            cut(&mut current, &mut pieces);
            run = 0;
            continue;
        }
        if opens(c) {
            cut(&mut current, &mut pieces);
            let close = chars[i..].iter().position(|&d| closes(d) && !".,".contains(d));
            let end = close.map_or(chars.len(), |p| i + p + 1);
            current.extend(&chars[i..end]);
            cut(&mut current, &mut pieces);
            run = 0;
            i = end;
            continue;
        }
        if closes(c) {
            current.push(c);
            i += 1;
            continue;
        }
        // A Chinese character: words of two in a run of four or more.
        let run_len = run + chars[i..].iter().take_while(|&&d| is_han(d)).count();
        if run > 0 && run % 2 == 0 && run_len >= 4 && run_len - run >= 2 {
            cut(&mut current, &mut pieces);
        }
        current.push(c);
        run += 1;
        i += 1;
    }
    cut(&mut current, &mut pieces);
    pieces
}

fn is_han(c: char) -> bool {
    !c.is_ascii() && !opens(c) && !closes(c) && !c.is_whitespace()
}

/// `pieces` set into lines no wider than `width`: what a header cell shows.
pub fn fill(pieces: &[String], width: u32, em: Em) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for p in pieces {
        let joined = format!("{line}{p}");
        if !line.is_empty() && em.width(&joined) > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(p);
        } else {
            line = joined;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::layout::measure::Measured;

    const EM: Em = Em(240);

    #[test]
    fn headers_break_between_words_and_around_figures() {
        let cases: [(&str, &[&str]); 9] = [
            ("可比口径2015年", &["可比", "口径", "2015年"]),
            ("上年同期（可比）", &["上年", "同期", "（可比）"]),
            ("1—6月", &["1—6月"]),
            ("计量单位", &["计量", "单位"]),
            ("填报人", &["填报人"]),
            ("同比", &["同比"]),
            ("最多的5个单位（占比）", &["最多的", "5个", "单位", "（占比）"]),
            ("帮扶困难职工", &["帮扶", "困难", "职工"]),
            ("参赛运动员", &["参赛", "运动员"]),
        ];
        for (text, pieces) in cases {
            assert_eq!(header_pieces(text), pieces, "{text}");
        }
    }

    #[test]
    fn headers_fill_lines_with_whole_pieces() {
        let pieces = header_pieces("可比口径2015年");
        assert_eq!(fill(&pieces, 4 * 240, EM), ["可比口径", "2015年"]);
        assert_eq!(fill(&pieces, 20 * 240, EM), ["可比口径2015年"]);
        assert_eq!(Measured::header("可比口径2015年", EM).fit(4 * 240).0, 2);
    }
}
