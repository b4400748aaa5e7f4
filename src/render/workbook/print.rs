//! How a sheet of summary.xlsx prints: A4 landscape, header rows on every
//! page, the page title on top, sheet name and page number in the footer;
//! one page wide, or — for a sheet too wide for that — in blocks of columns
//! kept whole on a page beside the label columns.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// A4 in Excel's paper numbering.
const A4: u8 = 9;
/// A4 landscape less the side margins, in pixels at 100% (96 dpi), less a
/// little for rounding.
const PAGE_WIDTH_PX: f64 = (297.0 - 2.0 * 0.4 * 25.4) / 25.4 * 96.0 * 0.98;
/// Pixels per unit of column width as the widest renderer draws them: the
/// file stores a width `w` as `w + 5/7` (Excel's cell padding); Excel draws
/// it as `7w + 5` pixels (Calibri 11), LibreOffice without Calibri (Linux)
/// as about `9.33(w + 5/7)`. A block that overflowed its page would be split
/// after all.
const PX_PER_WIDTH: f64 = 28.0 / 3.0;
const STORED_PADDING: f64 = 5.0 / 7.0;
/// Print scales (percent) for sheets printed in blocks: 75% packs more
/// columns on a page and keeps 10 pt text at 7.5 pt; never below 50%.
const MAX_SCALE: f64 = 75.0;
const MIN_SCALE: f64 = 50.0;
/// Columns `0..label_cols` on every page, and blocks of columns (first,
/// last) each printed whole on one page.
pub type Blocks = (u16, Vec<(u16, u16)>);

/// The print setup of a sheet whose columns are `widths` wide and whose
/// first `header_rows` rows are its header.
pub fn set_up(
    ws: &mut Worksheet,
    header_rows: u32,
    widths: &[f64],
    blocks: Option<&Blocks>,
    page_title: &str,
) -> Result<(), XlsxError> {
    ws.set_repeat_rows(0, header_rows - 1)?;
    match blocks {
        None => {
            ws.set_print_fit_to_pages(1, 0);
        }
        Some((label_cols, blocks)) => {
            let (scale, breaks) = page_blocks(widths, *label_cols, blocks);
            if *label_cols > 0 {
                ws.set_repeat_columns(0, label_cols - 1)?;
            }
            ws.set_vertical_page_breaks(&breaks)?;
            ws.set_print_scale(scale);
        }
    }
    ws.set_paper_size(A4)
        .set_landscape()
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.25, 0.25)
        .set_header(format!("&C{}", page_title.replace('&', "&&")))
        .set_footer("&L&A&R第&P页，共&N页");
    Ok(())
}

/// The print scale at which the widest block fits a page beside the label
/// columns, and the columns that start a new page when blocks are packed
/// onto pages whole.
fn page_blocks(widths: &[f64], label_cols: u16, blocks: &[(u16, u16)]) -> (u16, Vec<u32>) {
    let px = |cols: std::ops::RangeInclusive<u16>| -> f64 {
        cols.filter_map(|c| widths.get(c as usize))
            .map(|w| (w + STORED_PADDING) * PX_PER_WIDTH)
            .sum()
    };
    let labels = if label_cols == 0 { 0.0 } else { px(0..=label_cols - 1) };
    let widest = blocks.iter().map(|&(a, b)| px(a..=b)).fold(0.0, f64::max);
    let scale = (PAGE_WIDTH_PX * 100.0 / (labels + widest))
        .floor()
        .clamp(MIN_SCALE, MAX_SCALE);
    let room = PAGE_WIDTH_PX * 100.0 / scale - labels;
    let mut breaks = Vec::new();
    let mut used = 0.0;
    for &(first, last) in blocks {
        let w = px(first..=last);
        if used > 0.0 && used + w > room {
            breaks.push(u32::from(first));
            used = 0.0;
        }
        used += w;
    }
    (scale as u16, breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_sheets_break_between_blocks_at_one_scale() {
        // Label column 20 wide (193 px); blocks of 10 columns 7 wide (72 px each).
        let mut widths = vec![20.0];
        widths.extend([7.0; 30]);
        let blocks = [(1, 10), (11, 20), (21, 30)];
        let (scale, breaks) = page_blocks(&widths, 1, &blocks);
        assert_eq!(scale, 75, "one block and the labels fit at the largest scale");
        assert_eq!(breaks, [11, 21], "two blocks do not fit one page");
        let (scale, breaks) = page_blocks(&widths, 1, &[(1, 30)]);
        assert_eq!(scale, 50, "never smaller");
        assert!(breaks.is_empty());
    }
}
