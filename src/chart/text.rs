//! Text as laid out on a chart: cleaning, wrapping and shortening to a width, baselines, and the box a
//! label covers (so that labels can keep clear of lines and of each other).

use super::font::{self, text_width};
use super::scene::{Align, Label};

/// Labels as drawn: control characters (newlines, tabs) become spaces.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The baseline that centres ideographs and digits vertically on `y`.
pub(crate) fn middle_baseline(y: f64, size: f64) -> f64 {
    y + (font::CAP - font::DESCENT) / 2.0 * size
}

/// The baseline that puts the top of the glyphs at `y`.
pub(crate) fn top_baseline(y: f64, size: f64) -> f64 {
    y + font::CAP * size
}

/// Height the glyphs of one line cover.
pub(crate) fn line_extent(size: f64) -> f64 {
    (font::CAP + font::DESCENT) * size
}

/// Shortens `text` with a trailing "…" until it fits in `max_width`.
pub(crate) fn ellipsize(text: &str, size: f64, max_width: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let mut kept: Vec<char> = text.chars().collect();
    while !kept.is_empty() && text_width(&format!("{}…", kept.iter().collect::<String>()), size) > max_width {
        kept.pop();
    }
    format!("{}…", kept.iter().collect::<String>().trim_end())
}

/// Greedy line breaking at any character (right for Chinese), never starting a line with closing
/// punctuation, preferring a break after "·" (between a programme and its metric) when that keeps
/// both lines within the width. Text beyond `max_lines` is cut and the last line ends with "…".
pub(crate) fn wrap(text: &str, size: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    if let Some((programme, metric)) = text.split_once('·') {
        let first = format!("{programme}·");
        if text_width(text, size) > max_width
            && text_width(&first, size) <= max_width
            && text_width(metric, size) <= max_width
            && max_lines >= 2
        {
            return vec![first, metric.to_string()];
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if !line.is_empty() && width + w > max_width && !is_closing_punctuation(c) {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            width = 0.0;
        }
        if line.is_empty() && c == ' ' {
            continue;
        }
        line.push(c);
        width += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let rest: String = lines[max_lines - 1..].concat();
        lines.truncate(max_lines - 1);
        lines.push(ellipsize(&format!("{rest}…"), size, max_width));
    }
    lines
}

fn is_closing_punctuation(c: char) -> bool {
    "，。、；：？！）》」』】”’%,.;:?!)]".contains(c)
}

/// A box in page pixels: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Box2 {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Box2 {
    pub(crate) fn grown(self, by: f64) -> Box2 {
        Box2 {
            left: self.left - by,
            top: self.top - by,
            right: self.right + by,
            bottom: self.bottom + by,
        }
    }

    pub(crate) fn overlaps(&self, other: &Box2) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    pub(crate) fn within(&self, outer: &Box2) -> bool {
        self.left >= outer.left && self.right <= outer.right && self.top >= outer.top && self.bottom <= outer.bottom
    }

    /// Whether the segment from `a` to `b` passes through the box (Liang–Barsky clipping).
    pub(crate) fn crosses(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.left),
            (dx, self.right - a.0),
            (-dy, a.1 - self.top),
            (dy, self.bottom - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// The box a label's glyphs cover.
pub(crate) fn text_box(label: &Label) -> Box2 {
    let w = text_width(&label.text, label.size);
    let left = match label.align {
        Align::Start => label.anchor.0,
        Align::Middle => label.anchor.0 - w / 2.0,
        Align::End => label.anchor.0 - w,
    };
    let baseline = label.anchor.1;
    Box2 {
        left,
        top: baseline - font::CAP * label.size,
        right: left + w,
        bottom: baseline + font::DESCENT * label.size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_chinese_and_cuts_with_ellipsis() {
        assert_eq!(wrap("职工服务中心", 10.0, 20.0, 5), vec!["职工", "服务", "中心"]);
        assert_eq!(wrap("职工服务）", 10.0, 20.0, 5), vec!["职工", "服务）"]);
        let cut = wrap("职工服务中心建设", 10.0, 20.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && text_width(&cut[1], 10.0) <= 20.0);
        assert!(wrap("", 10.0, 20.0, 3).is_empty());
        assert_eq!(wrap("很长", 10.0, 1.0, 3), vec!["很", "长"]);
    }

    #[test]
    fn wrap_breaks_between_programme_and_metric() {
        assert_eq!(
            wrap("帮企业稳增长促振兴·培训企业专业技术人员", 10.0, 120.0, 2),
            vec!["帮企业稳增长促振兴·", "培训企业专业技术人员"]
        );
        assert_eq!(wrap("送助学·投入资金", 10.0, 200.0, 2), vec!["送助学·投入资金"]);
    }

    #[test]
    fn segments_through_a_box_are_found() {
        let b = Box2 {
            left: 10.0,
            top: 10.0,
            right: 20.0,
            bottom: 20.0,
        };
        assert!(b.crosses((0.0, 15.0), (30.0, 15.0)));
        assert!(b.crosses((0.0, 0.0), (30.0, 30.0)));
        assert!(b.crosses((12.0, 12.0), (13.0, 13.0)), "inside");
        assert!(!b.crosses((0.0, 5.0), (30.0, 5.0)));
        assert!(!b.crosses((0.0, 30.0), (30.0, 25.0)));
        assert!(!b.crosses((0.0, 0.0), (9.0, 30.0)));
    }
}
