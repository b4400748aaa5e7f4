//! Column widths that make a table as short as it can be on the page: each
//! column starts as narrow as its content allows (figures whole, headers at
//! their longest piece, text at two characters), then the width left over
//! goes, a little at a time, where it saves the most lines per twip.

use super::measure::{Em, Measured};

/// One column's cells, measured at the table's font size.
pub struct Column {
    pub head: Measured,
    /// One per body row.
    pub body: Vec<Measured>,
    /// A column of figures: never wrapped.
    pub figures: bool,
}

pub struct Fitted {
    /// Column widths in twips, padding included, adding up to the total.
    pub widths: Vec<u32>,
    /// Lines of all rows, the header's included: the table's height.
    pub lines: u64,
}

/// Lines saved are worth far more than lines within a row that is tall
/// anyway, which only break ties.
const ROW_LINE: u64 = 1000;

/// Widths for `columns` filling `total` twips, `pad` of which each column
/// spends on its cell margins.
pub fn fit(columns: &[Column], total: u32, pad: u32, em: Em) -> Fitted {
    let n = columns.len();
    let room = total.saturating_sub(pad * n as u32);
    let mut min = Vec::new();
    for squeeze in [Squeeze::Gently, Squeeze::Firmly, Squeeze::Fully] {
        min = columns.iter().map(|c| narrowest(c, em, squeeze)).collect();
        if min.iter().sum::<u32>() <= room {
            break;
        }
    }
    let max: Vec<u32> = columns
        .iter()
        .zip(&min)
        .map(|(c, &lo)| c.body.iter().map(|m| m.natural).fold(c.head.natural, u32::max).max(lo))
        .collect();
    if min.iter().sum::<u32>() > room {
        // Nothing fits: every column narrowed alike (Word wraps what it must).
        let widths = scale(&min, room, pad);
        let lines = Grid::new(columns, &widths, &widths, 1).lines(&vec![0; n]);
        return Fitted { widths, lines };
    }
    let grid = Grid::new(columns, &min, &max, (em.0 / 4).max(1));
    let mut at = vec![0usize; n];
    let mut spare = room - min.iter().sum::<u32>();
    while let Some((i, j)) = grid.best_step(&at, spare) {
        spare -= grid.widths[i][j] - grid.widths[i][at[i]];
        at[i] = j;
    }
    let mut chosen: Vec<u32> = (0..n).map(|i| grid.widths[i][at[i]]).collect();
    // What no single step could use goes first to the columns that still
    // wrap, toward their natural widths; what is left, to all alike.
    let wanting: Vec<u32> = (0..n).map(|i| max[i] - chosen[i]).collect();
    let wanted: u32 = wanting.iter().sum();
    if wanted > 0 {
        let give = spare.min(wanted);
        for i in 0..n {
            chosen[i] += (wanting[i] as u64 * give as u64 / wanted as u64) as u32;
        }
    }
    let lines = grid.lines(&at);
    Fitted {
        widths: scale(&chosen, room, pad),
        lines,
    }
}

/// Text columns whose every cell is at most this many em wide ("增长22.9%",
/// "只报到5月", a person's name) are kept on one line while others wrap.
const SHORT_EM: u32 = 7;

/// How far a column may be squeezed before the spare width is shared out,
/// in the order tried: long text first keeps six characters a line (or its
/// whole text), then two; short text and headers stay whole until the last.
#[derive(Clone, Copy, PartialEq)]
enum Squeeze {
    Gently,
    Firmly,
    Fully,
}

/// The narrowest a column may be at a degree of squeezing; figures are
/// always whole, and no word is broken.
fn narrowest(c: &Column, em: Em, squeeze: Squeeze) -> u32 {
    let short = squeeze != Squeeze::Fully && c.body.iter().all(|m| m.natural <= SHORT_EM * em.0);
    let keep = match squeeze {
        Squeeze::Gently => 6 * em.0,
        _ => 2 * em.0,
    };
    let body = c.body.iter().fold(0, |w, m| {
        let least = match c.figures || short {
            true => m.natural,
            false => m.longest_piece.max(m.natural.min(keep)),
        };
        w.max(least)
    });
    let head = match squeeze {
        Squeeze::Fully => c.head.longest_piece.min(2 * em.0),
        _ => c.head.longest_piece,
    };
    body.max(head)
}

/// `widths` (content only) stretched to fill `room`, each with its `pad`.
fn scale(widths: &[u32], room: u32, pad: u32) -> Vec<u32> {
    let sum: u64 = widths.iter().map(|&w| w as u64).sum::<u64>().max(1);
    let mut out: Vec<u32> = widths
        .iter()
        .map(|&w| (w as u64 * room as u64 / sum) as u32 + pad)
        .collect();
    // Rounding leaves a few twips: the widest column takes them.
    let short = (room + pad * widths.len() as u32).saturating_sub(out.iter().sum());
    if let Some(widest) = (0..out.len()).max_by_key(|&i| (out[i], std::cmp::Reverse(i))) {
        out[widest] += short;
    }
    out
}

/// For each column, the widths it may take and the lines of every row
/// (header first) at each of them.
struct Grid {
    widths: Vec<Vec<u32>>,
    /// `lines[column][width][row]`.
    lines: Vec<Vec<Vec<u32>>>,
    /// The same, plus one for a last line holding one character alone:
    /// what ties are broken by.
    soft: Vec<Vec<Vec<u32>>>,
}

impl Grid {
    fn new(columns: &[Column], min: &[u32], max: &[u32], step: u32) -> Grid {
        let (mut widths, mut lines, mut soft) = (Vec::new(), Vec::new(), Vec::new());
        for (i, c) in columns.iter().enumerate() {
            let mut ws: Vec<u32> = (min[i]..max[i]).step_by(step as usize).collect();
            ws.push(max[i]);
            let fits: Vec<Vec<(u32, u32)>> = ws
                .iter()
                .map(|&w| std::iter::once(&c.head).chain(&c.body).map(|m| m.fit(w)).collect())
                .collect();
            lines.push(fits.iter().map(|r| r.iter().map(|f| f.0).collect()).collect());
            soft.push(fits.iter().map(|r| r.iter().map(|f| f.0 + f.1).collect()).collect());
            widths.push(ws);
        }
        Grid { widths, lines, soft }
    }

    /// The table's height in lines with column `i` at width index `at[i]`.
    fn lines(&self, at: &[usize]) -> u64 {
        let rows = self.lines.first().map_or(0, |c| c[0].len());
        (0..rows)
            .map(|r| (0..at.len()).map(|i| self.lines[i][at[i]][r]).max().unwrap_or(1) as u64)
            .sum()
    }

    /// The widening, within `spare`, that saves the most per twip: the
    /// column and its new width index. Ties go to the smaller step, then
    /// the first column.
    fn best_step(&self, at: &[usize], spare: u32) -> Option<(usize, usize)> {
        let mut best: Option<(u64, u32, usize, usize)> = None; // gain, step, column, index
        for i in 0..at.len() {
            let others: Vec<u32> = (0..self.lines[i][0].len())
                .map(|r| {
                    (0..at.len())
                        .filter(|&k| k != i)
                        .map(|k| self.lines[k][at[k]][r])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let cost = |j: usize| -> u64 {
                let rows = self.lines[i][j].iter().zip(&self.soft[i][j]).zip(&others);
                rows.map(|((&l, &s), &o)| l.max(o) as u64 * ROW_LINE + s as u64).sum()
            };
            let now = cost(at[i]);
            let from = self.widths[i][at[i]];
            for j in at[i] + 1..self.widths[i].len() {
                let step = self.widths[i][j] - from;
                if step > spare {
                    break;
                }
                let gain = now.saturating_sub(cost(j));
                if gain == 0 {
                    continue;
                }
                let better = match best {
                    None => true,
                    // gain / step > g / s, compared without division.
                    Some((g, s, _, _)) => gain * s as u64 > g * step as u64,
                };
                if better {
                    best = Some((gain, step, i, j));
                }
            }
        }
        best.map(|(_, _, i, j)| (i, j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EM: Em = Em(240);

    fn column(head: &str, body: &[&str], figures: bool) -> Column {
        Column {
            head: Measured::header(head, EM),
            body: body.iter().map(|t| Measured::text(t, EM, figures)).collect(),
            figures,
        }
    }

    #[test]
    fn short_tables_take_their_natural_widths_stretched() {
        let cols = [column("单位", &["甲单位"], false), column("金额", &["54万元"], true)];
        let f = fit(&cols, 8000, 144, EM);
        assert_eq!(f.widths.iter().sum::<u32>(), 8000);
        assert_eq!(f.lines, 2);
    }

    #[test]
    fn the_width_goes_where_it_saves_lines() {
        let long = "帮企业稳增长促振兴活动的有关单位";
        let cols = [
            column("项目", &[long, "甲"], false),
            column("说明", &["乙", "丙"], false),
            column("2015年", &["50510", "1"], true),
        ];
        let f = fit(&cols, 10 * 240 + 3 * 144, 144, EM);
        // The figure stays whole, the short text keeps one line and the long
        // text takes what is left.
        assert!(f.widths[2] >= Em(240).width("50510") + 144, "{:?}", f.widths);
        assert!(f.widths[1] >= 2 * 240 + 144, "{:?}", f.widths);
        assert!(f.widths[0] > f.widths[1], "{:?}", f.widths);
        assert_eq!(f.widths.iter().sum::<u32>(), 10 * 240 + 3 * 144);
    }

    #[test]
    fn short_text_and_figures_stay_whole_long_text_keeps_six_characters() {
        let status = column("情况", &["只报到5月", "未报"], false);
        assert_eq!(narrowest(&status, EM, Squeeze::Gently), EM.width("只报到5月"));
        assert_eq!(
            narrowest(&status, EM, Squeeze::Fully),
            2 * 240,
            "when nothing else fits"
        );
        let names = column("单位", &["省经济和信息化委直属机关工会"], false);
        assert_eq!(narrowest(&names, EM, Squeeze::Gently), 6 * 240);
        assert_eq!(narrowest(&names, EM, Squeeze::Firmly), 2 * 240);
        let figures = column("金额", &["24041.94万元"], true);
        assert_eq!(narrowest(&figures, EM, Squeeze::Fully), EM.width("24041.94万元"));
    }

    #[test]
    fn too_many_columns_are_narrowed_alike() {
        let cols: Vec<Column> = (0..20).map(|_| column("指标", &["123456789"], true)).collect();
        let f = fit(&cols, 8844, 144, EM);
        assert_eq!(f.widths.iter().sum::<u32>(), 8844);
        let (lo, hi) = (f.widths.iter().min().unwrap(), f.widths.iter().max().unwrap());
        assert!(hi - lo <= 20, "{:?}", f.widths);
    }
}
