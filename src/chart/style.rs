//! The page every chart is laid out on: its width, how big it is printed, text sizes and colours.
//!
//! Charts are laid out directly in the pixels of the PNG, and the SVG uses the same numbers, so a
//! text of `h` px on a `PAGE_WIDTH` px chart prints at `h × PLACED_WIDTH_MM / PAGE_WIDTH` mm.

/// Width of every chart, in px of the PNG and of the SVG's `width`.
pub const PAGE_WIDTH: u32 = 1200;
/// How wide the documents place a chart: report.docx puts it 150 mm wide (A4's text width is 156 mm;
/// the narrower figure is the one that makes text smaller, so it is the one designed for).
pub const PLACED_WIDTH_MM: f64 = 150.0;
/// No text on a chart prints smaller than this.
pub const MIN_PRINT_PT: f64 = 9.0;
const MM_PER_PT: f64 = 25.4 / 72.0;

/// The point size a text of `px` prints at on a chart `page_width` px wide placed `PLACED_WIDTH_MM` wide.
pub fn printed_pt(px: f64, page_width: f64) -> f64 {
    px * PLACED_WIDTH_MM / page_width / MM_PER_PT
}

pub(crate) const MARGIN: f64 = 24.0;

// Text sizes in px (CSS px = one em). Printed at 150 mm: 36 → 12.7 pt, 31 → 11 pt, 28 → 9.9 pt.
// Only sizes plotters writes cleanly into SVG (see svg.rs).
/// Chart titles.
pub(crate) const TITLE: f64 = 36.0;
/// Names of metrics and the figures that matter.
pub(crate) const LABEL: f64 = 31.0;
/// Ticks, months, legends, years, notes: the smallest text on any chart.
pub(crate) const SMALL: f64 = 28.0;
/// Line pitch of wrapped text, in em.
pub(crate) const LINE_HEIGHT: f64 = 1.3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const TEXT: Rgb = Rgb(40, 40, 40);
/// Secondary text (ticks, years, notes): still dark enough to read in grey print.
pub(crate) const MUTED: Rgb = Rgb(96, 96, 96);
pub(crate) const GRID: Rgb = Rgb(225, 225, 225);
pub(crate) const AXIS: Rgb = Rgb(140, 140, 140);
/// This year: a strong vermilion.
pub(crate) const CURRENT: Rgb = Rgb(200, 56, 44);
/// Last year: a muted blue-grey, so this year stands out.
pub(crate) const PREVIOUS: Rgb = Rgb(128, 150, 178);
/// A rise (red, as Chinese reports colour gains) and a fall (green).
pub(crate) const RISE: Rgb = Rgb(200, 56, 44);
pub(crate) const FALL: Rgb = Rgb(38, 128, 96);
pub(crate) const TARGET: Rgb = Rgb(70, 70, 70);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_text_prints_at_nine_points_or_more() {
        for size in [TITLE, LABEL, SMALL] {
            assert!(printed_pt(size, PAGE_WIDTH as f64) >= MIN_PRINT_PT, "{size}px");
        }
        assert!((printed_pt(28.0, 1200.0) - 9.92).abs() < 0.01);
        // The 12 px text of the old 900 px charts printed at 15 cm: about 5.7 pt.
        assert!(printed_pt(12.0, 900.0) < 6.0);
    }
}
