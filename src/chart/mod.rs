//! Charts: data in, SVG and PNG bytes out, Chinese always drawn with the embedded font.
//!
//! One file per kind of chart — [`change`] (each metric's 同比 in %), [`compare`] (this year against
//! last year, one small panel per metric), [`progress`] (a snapshot's months against last year and the
//! target) — each laying its data out as a [`scene::Scene`] in the pixels of a page [`PAGE_WIDTH`] wide.
//! [`svg`] and [`png`] write that one scene, so both share one layout and one list of drawn characters.
//! Pieces: [`style`] (page, print size, text sizes, colours), [`text`] and [`font`] (measuring, wrapping,
//! the embedded font), [`axis`], [`frame`] (title and legend). What goes into a chart and how its figures
//! are worded is the caller's (`crate::figures`).

mod axis;
mod change;
mod compare;
mod font;
mod frame;
mod png;
mod progress;
mod scene;
mod style;
mod svg;
mod text;

pub use change::{render_change, Change, ChangeChart, ChangeRow};
pub use compare::{render_compare, Cell, CompareChart, Panel};
pub use font::missing_glyphs;
pub use png::release_canvases;
pub use progress::{render_progress, Line, ProgressChart, Target};
pub use style::{printed_pt, MIN_PRINT_PT, PAGE_WIDTH, PLACED_WIDTH_MM};

/// A rendered chart. `missing_glyphs` lists every drawn character the font lacks (drawn as a box).
pub struct Rendered {
    pub svg: Vec<u8>,
    pub png: Vec<u8>,
    pub missing_glyphs: Vec<char>,
}

#[derive(Debug)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chart: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

/// Writes a laid-out scene as SVG and PNG.
fn render(scene: &scene::Scene) -> Result<Rendered, ChartError> {
    let drawn: String = scene.labels.iter().map(|l| l.text.as_str()).collect();
    Ok(Rendered {
        svg: svg::render_svg(scene)?,
        png: png::render_png(scene)?,
        missing_glyphs: missing_glyphs(&drawn),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Decodes a PNG into (width, height, RGB pixels).
    pub(crate) fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = ::png::Decoder::new(bytes).read_info().expect("valid PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("PNG frame");
        assert_eq!(info.color_type, ::png::ColorType::Rgb);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    /// Every text of an SVG as (font size, text), in drawing order.
    pub(crate) fn svg_texts(svg: &[u8]) -> Vec<(f64, String)> {
        let svg = std::str::from_utf8(svg).expect("SVG is UTF-8");
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let size = t.split("font-size=\"").nth(1).and_then(|s| s.split('"').next());
                let body = t.split_once('>').map(|(_, b)| b).unwrap_or("");
                let body = body.split("</text>").next().unwrap_or("").trim();
                (size.and_then(|s| s.parse().ok()).unwrap_or(0.0), body.to_string())
            })
            .collect()
    }

    /// Filled rectangles of an SVG in colour `fill` (e.g. "#C8382C").
    pub(crate) fn svg_rects(svg: &[u8], fill: &str) -> usize {
        let svg = std::str::from_utf8(svg).expect("SVG is UTF-8");
        svg.split("<rect ")
            .skip(1)
            .filter(|r| r.contains(&format!("fill=\"{fill}\"")))
            .count()
    }

    /// Saves example output for eyeballing when CHART_OUT names a directory.
    pub(crate) fn save_example(name: &str, rendered: &Rendered) {
        if let Ok(dir) = std::env::var("CHART_OUT") {
            std::fs::write(format!("{dir}/{name}.png"), &rendered.png).expect("write PNG");
            std::fs::write(format!("{dir}/{name}.svg"), &rendered.svg).expect("write SVG");
        }
    }

    /// What every chart must be: PNG and SVG of one size, no text under 9 pt as placed, no NaN or inf.
    pub(crate) fn assert_printable(rendered: &Rendered) {
        let (w, h, _) = decode_png(&rendered.png);
        let svg = String::from_utf8(rendered.svg.clone()).unwrap();
        assert!(
            svg.starts_with(&format!("<svg width=\"{w}\" height=\"{h}\"")),
            "SVG and PNG differ in size"
        );
        for (size, text) in svg_texts(&rendered.svg) {
            assert!(printed_pt(size, w as f64) >= MIN_PRINT_PT, "“{text}” at {size}px");
            assert_eq!(size.fract(), 0.0, "font-size {size} of “{text}”");
            assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        }
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
