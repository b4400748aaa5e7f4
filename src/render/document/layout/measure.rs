//! How wide table text is and how many lines it takes at a width, as Word
//! sets it: Chinese characters break anywhere but before closing and after
//! opening punctuation, Latin words and figures never; headers break only
//! between the pieces [`header_pieces`] finds.

use super::header::header_pieces;

/// Text widths at one font size, in twips. A Chinese character is one em; a
/// digit or Latin letter 0.65 em, enough for Times New Roman and for the
/// wider fonts that stand in for it where it is missing (DejaVu Serif).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Em(pub u32);

impl Em {
    fn of(self, c: char) -> u32 {
        if c.is_ascii() {
            self.0 * 65 / 100
        } else {
            self.0
        }
    }

    /// Word and WPS put a quarter em between Chinese and Latin text.
    fn auto_space(self) -> u32 {
        self.0 / 4
    }

    /// The width of `text` on one line.
    pub fn width(self, text: &str) -> u32 {
        let mut width = 0;
        let mut previous: Option<bool> = None;
        for c in text.chars() {
            let ascii = c.is_ascii();
            width += self.of(c);
            if previous.is_some_and(|p| p != ascii) && c.is_alphanumeric() {
                width += self.auto_space();
            }
            previous = c.is_alphanumeric().then_some(ascii).or(previous);
        }
        width
    }
}

/// No line may start with these (Word's 后置标点).
pub(super) fn closes(c: char) -> bool {
    "，。、；：？！）》」』】〕”’％%·…—,.;:?!)]}".contains(c)
}

/// No line may end with these (前置标点).
pub(super) fn opens(c: char) -> bool {
    "（《「『【〔“‘([{".contains(c)
}

/// A piece of text that is never broken, and whether a line may break
/// before it.
#[derive(Debug, Clone, PartialEq)]
struct Atom {
    width: u32,
    space: bool,
    break_before: bool,
}

/// One line of cell text as atoms: each Chinese character, each run of
/// Latin letters and figures ("024-20799979", "56.82"), each space.
fn atoms(line: &str, em: Em) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut last: Option<char> = None;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Atom>, before: Option<char>| {
        if !word.is_empty() {
            let first = word.chars().next().unwrap_or(' ');
            out.push(Atom {
                width: em.width(word) + wide_before(before, first, em),
                space: false,
                break_before: before.is_some_and(|b| b == ' ' || !b.is_ascii() && !opens(b)) && !closes(first),
            });
            word.clear();
        }
    };
    let mut word_before = None;
    for c in line.chars() {
        if c.is_ascii() && !c.is_whitespace() {
            if word.is_empty() {
                word_before = last;
            }
            word.push(c);
        } else {
            flush(&mut word, &mut out, word_before);
            if c.is_whitespace() {
                out.push(Atom {
                    width: em.of(' '),
                    space: true,
                    break_before: true,
                });
            } else {
                out.push(Atom {
                    width: em.of(c) + wide_before(last, c, em),
                    space: false,
                    break_before: last.is_some_and(|b| !opens(b)) && !closes(c),
                });
            }
        }
        last = Some(c);
    }
    flush(&mut word, &mut out, word_before);
    out
}

/// The quarter em between a Chinese character and a Latin letter or digit.
fn wide_before(before: Option<char>, c: char, em: Em) -> u32 {
    let before = before.filter(|b| b.is_alphanumeric());
    match before {
        Some(b) if c.is_alphanumeric() && b.is_ascii() != c.is_ascii() => em.auto_space(),
        _ => 0,
    }
}

/// Atoms with no break between them joined into one: "（7.5%）" moves to
/// the next line whole.
fn unbreakable(atoms: Vec<Atom>) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::with_capacity(atoms.len());
    for a in atoms {
        match out.last_mut() {
            Some(last) if !a.break_before && !a.space && !last.space => last.width += a.width,
            _ => out.push(a),
        }
    }
    out
}

/// Lines `pieces` take at `width`: as many as fit on each line; a piece
/// wider than a line is broken by force, as Word does. Also whether the
/// last of several lines holds one short piece alone ("…促振/兴").
fn lines_of(pieces: &[Atom], width: u32) -> (u32, bool) {
    let width = width.max(1);
    let (mut lines, mut x, mut on_line) = (1, 0, 0);
    for p in pieces {
        if p.space {
            if x > 0 {
                x += p.width;
            }
            continue;
        }
        if x > 0 && x + p.width > width {
            lines += 1;
            (x, on_line) = (0, 0);
        }
        let forced = p.width.saturating_sub(1) / width;
        lines += forced;
        x += p.width - forced * width;
        on_line += 1;
    }
    (lines, lines > 1 && on_line == 1 && x * 3 < width)
}

/// A cell as it is measured: its lines (hard breaks), as atoms.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    lines: Vec<Vec<Atom>>,
    /// The widest line unbroken.
    pub natural: u32,
    /// The widest piece that is never broken.
    pub longest_piece: u32,
}

impl Measured {
    /// Body text: breaks where Word breaks. `whole`: a figure, never broken.
    pub fn text(text: &str, em: Em, whole: bool) -> Measured {
        let lines: Vec<Vec<Atom>> = text
            .split('\n')
            .map(|l| match whole {
                true => vec![Atom {
                    width: em.width(l),
                    space: false,
                    break_before: false,
                }],
                false => unbreakable(atoms(l, em)),
            })
            .collect();
        Measured::of(lines)
    }

    /// A header: breaks only between its [`header_pieces`].
    pub fn header(text: &str, em: Em) -> Measured {
        let lines = text
            .split('\n')
            .map(|l| {
                header_pieces(l)
                    .iter()
                    .enumerate()
                    .map(|(i, p)| Atom {
                        width: em.width(p),
                        space: false,
                        break_before: i > 0,
                    })
                    .collect()
            })
            .collect();
        Measured::of(lines)
    }

    fn of(lines: Vec<Vec<Atom>>) -> Measured {
        let natural = lines.iter().map(|l| l.iter().map(|a| a.width).sum()).max().unwrap_or(0);
        let longest_piece = lines.iter().flatten().map(|a| a.width).max().unwrap_or(0);
        Measured {
            lines,
            natural,
            longest_piece,
        }
    }

    /// Lines at a text width (the column less its padding), and how many
    /// end in a lone character.
    pub fn fit(&self, width: u32) -> (u32, u32) {
        self.lines
            .iter()
            .map(|l| lines_of(l, width))
            .fold((0, 0), |(n, w), (l, widow)| (n + l, w + u32::from(widow)))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    const EM: Em = Em(240);

    #[test]
    fn chinese_breaks_anywhere_but_at_punctuation_and_figures_never() {
        let m = Measured::text("帮企业稳增长促振兴", EM, false);
        assert_eq!(m.natural, 9 * 240);
        assert_eq!((m.fit(9 * 240).0, m.fit(5 * 240).0, m.fit(4 * 240).0), (1, 2, 3));
        assert_eq!(
            (m.fit(4 * 240), m.fit(8 * 240), m.fit(5 * 240)),
            ((3, 1), (2, 1), (2, 0)),
            "兴 alone"
        );
        let phone = Measured::text("电话024-20799979", EM, false);
        assert_eq!(phone.longest_piece, 12 * 156 + 60, "the number is one piece");
        assert_eq!(phone.fit(12 * 156 + 60).0, 2, "broken before the number, not inside it");
        // "（7.5%）" cannot start a line with its closing bracket.
        let share = Measured::text("甲（7.5%）", EM, false);
        assert_eq!(share.fit(share.natural - 1).0, 2);
        let figure = Measured::text("24041.94万元", EM, true);
        assert_eq!(figure.longest_piece, figure.natural);
        assert_eq!(Measured::text("甲\n乙", EM, false).fit(240).0, 2, "hard breaks count");
    }
}
