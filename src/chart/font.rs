//! The embedded CJK font: glyph coverage, text measurement, and drawing text into the PNG pixels.
//!
//! PNG text is rasterised here with ab_glyph rather than through plotters, because plotters 0.3.7's ab_glyph
//! path drops each glyph's left side bearing (a "1" sits visibly too far left) and sizes glyphs to
//! ascent-descent instead of the em, which for Noto Sans SC makes PNG text 14% smaller than the same SVG text.
//! Here, as in SVG, `size` is the CSS font size: one em in pixels.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale};

use super::scene::{Align, Label};
use super::style::Rgb;
use super::ChartError;

static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSansSC-Regular-GB2312.ttf"
));

/// The CSS font stack every SVG text names. Unquoted on purpose: plotters escapes `'` in attributes to
/// `&apos;`, and CSS allows multi-word family names made of plain identifiers without quotes.
pub(crate) const CSS_FONT_STACK: &str = "Noto Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif";

/// How far the ideographs reach above the baseline, in em (Noto Sans SC's CJK glyphs span 0.88 up, 0.12 down).
pub(crate) const CAP: f64 = 0.88;
/// How far the ideographs reach below the baseline, in em.
pub(crate) const DESCENT: f64 = 0.12;

fn font() -> Result<&'static FontRef<'static>, ChartError> {
    static FONT: OnceLock<Result<FontRef<'static>, String>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).map_err(|e| format!("embedded font unreadable: {e}")))
        .as_ref()
        .map_err(|e| ChartError(e.clone()))
}

/// Characters of `text` the embedded font has no glyph for (sorted, deduplicated).
/// Control characters (newlines, tabs) are not drawn, so they are never reported.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing: Vec<char> = match font() {
        Ok(font) => text
            .chars()
            .filter(|&c| !c.is_control() && font.glyph_id(c) == GlyphId(0))
            .collect(),
        Err(_) => text.chars().filter(|c| !c.is_control()).collect(),
    };
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// Width of `text` in pixels at font size `size` (advance widths; the font has no `kern` table).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| char_width(c, size)).sum()
}

pub(crate) fn char_width(c: char, size: f64) -> f64 {
    let Ok(font) = font() else { return size };
    let units_per_em = font.units_per_em().unwrap_or(1000.0) as f64;
    font.h_advance_unscaled(font.glyph_id(c)) as f64 * size / units_per_em
}

/// Draws `label` into an RGB buffer of `width` x `height`, blending glyph coverage over what is there.
pub(crate) fn draw_label(rgb: &mut [u8], width: u32, height: u32, label: &Label) -> Result<(), ChartError> {
    let font = font()?;
    let scale = px_scale(font, label.size);
    let text_w = text_width(&label.text, label.size);
    let mut pen = match label.align {
        Align::Start => 0.0,
        Align::Middle => -text_w / 2.0,
        Align::End => -text_w,
    };
    let (ax, ay) = label.anchor;
    for c in label.text.chars() {
        let id = font.glyph_id(c);
        let origin = point((ax + pen) as f32, ay as f32);
        if let Some(outlined) = font.outline_glyph(id.with_scale_and_position(scale, origin)) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let (x, y) = (bounds.min.x as i64 + gx as i64, bounds.min.y as i64 + gy as i64);
                blend(rgb, width, height, (x, y), label.color, coverage);
            });
        }
        pen += char_width(c, label.size);
    }
    Ok(())
}

/// ab_glyph scales to ascent-descent; convert so that one em is `size` pixels.
fn px_scale(font: &FontRef<'_>, size: f64) -> PxScale {
    let units_per_em = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(size as f32 * font.height_unscaled() / units_per_em)
}

fn blend(rgb: &mut [u8], width: u32, height: u32, (x, y): (i64, i64), color: Rgb, coverage: f32) {
    if x < 0 || y < 0 || x >= width as i64 || y >= height as i64 {
        return;
    }
    let a = coverage.clamp(0.0, 1.0);
    let i = (y as usize * width as usize + x as usize) * 3;
    for (dst, src) in rgb[i..i + 3].iter_mut().zip([color.0, color.1, color.2]) {
        *dst = (*dst as f32 + (src as f32 - *dst as f32) * a).round() as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_covers_report_text_and_reports_rare_characters() {
        assert!(
            missing_glyphs("五送五有（万元）投入资金送温暖资金2014年2015年健身器材累计完成情况（件）全年目标…")
                .is_empty()
        );
        // The words the charts write themselves.
        assert!(missing_glyphs("各项指标同比变化（续）新增上年未统计无+-.%·亿元各月情况与对比比").is_empty());
        assert_eq!(missing_glyphs("犇犇腾飞䶮\n"), vec!['䶮', '犇']);
    }

    #[test]
    fn widths_are_per_em() {
        assert_eq!(text_width("送温暖", 20.0), 60.0);
        assert!((text_width("159", 10.0) - 3.0 * 5.55).abs() < 1e-9);
    }
}
