//! How a table is set on the page, decided once for report.docx and
//! report.html: its font size (小四, or 五号 where 小四 would make it much
//! taller), its column widths, where header text breaks, and whether a
//! first column that repeats down the rows (a 项目 over its 指标) is shown
//! once per run, as a row of its own above the rows it heads.

mod header;
mod measure;
mod widths;

use header::fill;
pub use header::header_pieces;
use measure::{Em, Measured};
use widths::Column;

use super::model::{plain_text, Align, Table};

/// Left and right padding inside a cell, in twips (1 mm).
pub const CELL_MARGIN: u32 = 57;
/// What a column spends besides its text: both margins and a little slack
/// for the fonts that stand in where the 公文 fonts are missing.
const PAD: u32 = 2 * CELL_MARGIN + 30;

/// A table's font size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 小四, 12 pt.
    Normal,
    /// 五号, 10.5 pt: for tables whose columns 小四 would squeeze.
    Small,
}

impl Size {
    fn em(self) -> Em {
        match self {
            Size::Normal => Em(240),
            Size::Small => Em(210),
        }
    }

    /// Points × 10, for line heights.
    fn tenth_points(self) -> u64 {
        match self {
            Size::Normal => 120,
            Size::Small => 105,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    pub size: Size,
    /// The Markdown's columns that are shown as columns, in order: every
    /// one, or all but the first when it became group rows.
    pub columns: Vec<usize>,
    /// One per shown column, in twips, adding up to the width asked for.
    pub widths: Vec<u32>,
    /// One per shown column: the header's lines, broken between words.
    pub head: Vec<Vec<String>>,
    /// Per body row: whether its first cell goes before it as a group row
    /// spanning the table (the first of a run of equal first cells).
    pub group_before: Vec<bool>,
}

/// 五号 is chosen when 小四 would make the table this much taller
/// (in percent of 五号's height).
const SMALL_WHEN_TALLER: u64 = 125;

/// The layout of `t` across `total` twips.
pub fn layout(t: &Table, total: u32) -> TableLayout {
    let all = t.align.len().max(t.head.len()).max(1);
    let group_before = group_rows(t, all);
    let grouped = group_before.iter().any(|&g| g);
    let columns: Vec<usize> = (usize::from(grouped)..all).collect();
    let fit = |size: Size| {
        let em = size.em();
        let cols: Vec<Column> = columns.iter().map(|&i| column(t, i, em)).collect();
        let f = widths::fit(&cols, total, PAD, em);
        let height = f.lines * size.tenth_points();
        (size, f.widths, height)
    };
    let normal = fit(Size::Normal);
    let small = fit(Size::Small);
    let (size, widths, _) = match normal.2 * 100 > small.2 * SMALL_WHEN_TALLER {
        true => small,
        false => normal,
    };
    let em = size.em();
    let head = columns
        .iter()
        .zip(&widths)
        .map(|(&i, &w)| {
            let text = t.head.get(i).map(|c| plain_text(c)).unwrap_or_default();
            text.split('\n')
                .flat_map(|line| fill(&header_pieces(line), w.saturating_sub(PAD), em))
                .collect()
        })
        .collect();
    TableLayout {
        size,
        columns,
        widths,
        head,
        group_before,
    }
}

fn column(t: &Table, i: usize, em: Em) -> Column {
    let figures = t.align.get(i) == Some(&Align::Right);
    let text = |cell: Option<&Vec<_>>| cell.map(|c| plain_text(c)).unwrap_or_default();
    Column {
        head: Measured::header(&text(t.head.get(i)), em),
        body: t
            .rows
            .iter()
            .map(|row| Measured::text(&text(row.get(i)), em, figures))
            .collect(),
        figures,
    }
}

/// Where group rows go: in a table of three columns or more whose first
/// column says the same in two consecutive rows somewhere, before every row
/// whose first cell differs from the one above (and is not empty). All
/// `false` for any other table.
fn group_rows(t: &Table, columns: usize) -> Vec<bool> {
    let first: Vec<String> = t
        .rows
        .iter()
        .map(|r| r.first().map(|c| plain_text(c).trim().to_owned()).unwrap_or_default())
        .collect();
    let repeats = first.windows(2).any(|w| !w[0].is_empty() && w[0] == w[1]);
    (0..first.len())
        .map(|r| columns >= 3 && repeats && !first[r].is_empty() && (r == 0 || first[r] != first[r - 1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::model::Block;
    use crate::render::document::parse::parse;

    fn table(md: &str) -> Table {
        match parse(md).blocks.into_iter().next() {
            Some(Block::Table(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    /// The sample's annex table: nine columns.
    const ANNEX: &str =
        "| 项目 | 指标 | 计量单位 | 2015年 | 2014年 | 可比口径2015年 | 可比口径2014年 | 同比 | 填报单位 |
|---|---|---|---:|---:|---:|---:|---|---:|
| 帮企业稳增长促振兴 | 帮扶企业 | 家 | 100 | 95 | 98 | 95 | 增长3.2% | 100 |
| 帮企业稳增长促振兴 | 协调资金 | 万元 | 50510 | 38850.5 | 48000 | 38850.5 | 增长23.6% | 46 |
| 帮企业稳增长促振兴 | 培训企业专业技术人员 | 人 | 2046 | 1800 | 2000 | 1800 | 增长11.1% | 34 |
| 职工之家建设 | 申报先进职工之家以上荣誉 | 个 | 180 | 146 | 172 | 140 | 增长22.9% | 90 |
| 送报刊 | 投入资金 | 万元 | 56.82 | 48.24 | 55.25 | 46.53 | 增长18.7% | 110 |
";

    #[test]
    fn a_repeated_first_column_becomes_group_rows_and_headers_break_at_words() {
        let l = layout(&table(ANNEX), 8844);
        assert_eq!(l.widths.iter().sum::<u32>(), 8844);
        assert_eq!(l.size, Size::Small, "小四 would wrap the names much more");
        assert_eq!(l.columns, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(l.group_before, [true, false, false, true, true]);
        let em = l.size.em();
        // 指标 keeps its longest name within two lines; the figures stay whole.
        let name = Measured::text("申报先进职工之家以上荣誉", em, false);
        assert!(name.fit(l.widths[0] - PAD).0 <= 2, "{:?}", l.widths);
        assert!(l.widths[4] >= em.width("可比口径") + PAD, "{:?}", l.widths);
        for (i, head) in l.head.iter().enumerate() {
            for line in head {
                assert!(
                    [
                        "项目",
                        "指标",
                        "计量",
                        "单位",
                        "计量单位",
                        "2015年",
                        "2014年",
                        "可比口径",
                        "2015年",
                        "同比",
                        "填报",
                        "填报单位"
                    ]
                    .contains(&line.as_str())
                        || line.starts_with("可比口径"),
                    "header {i} broken inside a word: {line:?}"
                );
            }
        }
    }

    #[test]
    fn a_short_table_stays_at_xiaosi() {
        let l = layout(
            &table("| 单位 | 情况 | 填报人 | 联系电话 |\n|---|---|---|---|\n| 省纪委机关工会 | 未报 | 胡勇 | 024-21411898 |\n"),
            8844,
        );
        assert_eq!(l.size, Size::Normal);
        assert_eq!(l.columns, [0, 1, 2, 3]);
        assert_eq!(l.head[3], ["联系电话"]);
    }

    #[test]
    fn narrow_tables_keep_their_first_column() {
        let l = layout(&table("| 甲 | 丙 |\n|---|---|\n| 乙 | 1 |\n| 乙 | 2 |\n"), 8844);
        assert_eq!((l.columns, l.group_before), (vec![0, 1], vec![false, false]));
    }
}
