//! Charts: data in, SVG and PNG bytes out, Chinese drawn with the embedded font.
//!
//! Each chart is first laid out as a [`Scene`] (shapes and text in pixels on a 900x520 page), then the same
//! scene is written twice: to SVG through plotters, and to PNG (shapes through plotters at 2x, averaged
//! down for smooth edges, then text rasterised with the embedded font). Sharing the scene keeps both
//! outputs in the same layout and makes the list of drawn characters exact.

mod bars;
mod font;
mod lines;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

pub use bars::{render_bars, BarChart, Series};
pub use font::missing_glyphs;
pub use lines::{render_lines, LineChart, LineSeries};

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

pub(crate) const WIDTH: u32 = 900;
pub(crate) const HEIGHT: u32 = 520;
/// PNG shapes are drawn at this multiple and averaged down: plotters does not anti-alias lines.
const SUPERSAMPLE: u32 = 2;
const MARGIN: f64 = 16.0;
// Font sizes (CSS px) are ones plotters writes cleanly into SVG: see `plotters_font_size`.
const TITLE_SIZE: f64 = 20.0;
const LEGEND_SIZE: f64 = 14.0;
const LEGEND_ROW: f64 = 22.0;
/// Legend rows kept, so that a huge number of series cannot squeeze out the plot.
const LEGEND_MAX_ROWS: usize = 3;
pub(crate) const TICK_SIZE: f64 = 12.0;
pub(crate) const LABEL_SIZE: f64 = 14.0;
pub(crate) const VALUE_SIZE: f64 = 12.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const TEXT: Rgb = Rgb(51, 51, 51);
const TICK_TEXT: Rgb = Rgb(110, 110, 110);
const GRID: Rgb = Rgb(228, 228, 228);
const AXIS: Rgb = Rgb(150, 150, 150);
/// This year: a strong vermilion. Earlier years: muted, so this year stands out.
pub(crate) const CURRENT: Rgb = Rgb(200, 56, 44);
const EARLIER: [Rgb; 4] = [
    Rgb(128, 150, 178),
    Rgb(205, 170, 110),
    Rgb(120, 160, 148),
    Rgb(160, 140, 175),
];

pub(crate) enum Shape {
    /// Filled, edges snapped to whole pixels.
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: Rgb,
    },
    Polyline {
        points: Vec<(f64, f64)>,
        width: f64,
        color: Rgb,
    },
    Dot {
        center: (f64, f64),
        radius: f64,
        color: Rgb,
    },
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Align {
    Start,
    Middle,
    End,
}

/// One line of text. `anchor` is on the baseline, at the start, middle or end of the text.
/// Vertical text reads bottom to top; its baseline is then the vertical line through `anchor`.
pub(crate) struct Label {
    pub text: String,
    pub anchor: (f64, f64),
    pub size: f64,
    pub color: Rgb,
    pub align: Align,
    pub vertical: bool,
}

impl Label {
    pub(crate) fn new(text: impl Into<String>, anchor: (f64, f64), size: f64, align: Align) -> Self {
        Label {
            text: text.into(),
            anchor,
            size,
            color: TEXT,
            align,
            vertical: false,
        }
    }
}

#[derive(Default)]
pub(crate) struct Scene {
    pub shapes: Vec<Shape>,
    pub labels: Vec<Label>,
}

impl Scene {
    pub(crate) fn rect(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), color: Rgb) {
        self.shapes.push(Shape::Rect { x0, y0, x1, y1, color });
    }
}

/// The plotting rectangle in pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Plot {
    pub(crate) fn width(&self) -> f64 {
        self.right - self.left
    }
    pub(crate) fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// The value (y) axis: from `min` (0 unless data is negative) to `max`, ticks every `step`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ValueAxis {
    pub min: f64,
    pub max: f64,
    step: f64,
    decimals: usize,
}

impl ValueAxis {
    /// An axis through 0 that holds `lo..=hi` and leaves `pad_top` / `pad_bottom` pixels of a `plot_h`
    /// high plot free beyond the data for value labels.
    pub(crate) fn fit(lo: f64, hi: f64, plot_h: f64, pad_top: f64, pad_bottom: f64) -> Result<Self, ChartError> {
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let (lo, hi) = if lo == hi { (0.0, 1.0) } else { (lo, hi) };
        let plot_h = plot_h.max(10.0);
        // The labels never get more than half the plot.
        let shrink = ((plot_h * 0.5) / (pad_top + pad_bottom).max(1e-9)).min(1.0);
        let (pad_top, pad_bottom) = (pad_top * shrink, pad_bottom * shrink);
        let span = (hi - lo) * plot_h / (plot_h - pad_top - pad_bottom);
        let step = nice_step(span / 5.0);
        let mut max = if hi > 0.0 {
            ((hi + span * pad_top / plot_h) / step).ceil() * step
        } else {
            0.0
        };
        let mut min = if lo < 0.0 {
            ((lo - span * pad_bottom / plot_h) / step).floor() * step
        } else {
            0.0
        };
        // Rounding out to whole steps widens the range and so shrinks the pixel padding: grow until it fits.
        for _ in 0..10 {
            let px = plot_h / (max - min);
            let top_short = hi > 0.0 && (max - hi) * px < pad_top - 0.5;
            let bottom_short = lo < 0.0 && (lo - min) * px < pad_bottom - 0.5;
            if !top_short && !bottom_short {
                break;
            }
            max += if top_short { step } else { 0.0 };
            min -= if bottom_short { step } else { 0.0 };
        }
        if !(min.is_finite() && max.is_finite() && step.is_finite() && max > min) {
            return Err(ChartError(format!("values too large to plot ({lo} to {hi})")));
        }
        let decimals = (-(step.log10() + 1e-9).floor()).clamp(0.0, 10.0) as usize;
        Ok(ValueAxis {
            min,
            max,
            step,
            decimals,
        })
    }

    pub(crate) fn y(&self, value: f64, plot: &Plot) -> f64 {
        plot.bottom - (value - self.min) / (self.max - self.min) * plot.height()
    }

    fn ticks(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round().min(100.0) as usize;
        (0..=count).map(|i| self.min + i as f64 * self.step).collect()
    }

    /// Enough decimals for the step, trailing zeros dropped as in value labels ("1", "1.5").
    fn tick_label(&self, value: f64) -> String {
        trim_zeros(&format!("{value:.*}", self.decimals))
    }

    /// Pixels the widest tick label needs left of the plot.
    fn label_width(&self) -> f64 {
        self.ticks()
            .iter()
            .map(|&t| font::text_width(&self.tick_label(t), TICK_SIZE))
            .fold(0.0, f64::max)
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let factor = [1.0, 2.0, 5.0]
        .into_iter()
        .find(|&f| norm <= f * (1.0 + 1e-9))
        .unwrap_or(10.0);
    factor * magnitude
}

/// A value as a person writes it: at most 2 decimals, no trailing zeros, no "-0".
pub(crate) fn format_value(value: f64) -> String {
    trim_zeros(&format!("{value:.2}"))
}

/// "56.80" -> "56.8", "159.00" -> "159", "-0.00" -> "0".
fn trim_zeros(number: &str) -> String {
    let trimmed = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// Smallest and largest of `values`, None when there are none.
pub(crate) fn value_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
    })
}

/// Finite values only: NaN and infinities are "no data".
pub(crate) fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// Labels as drawn: control characters (newlines, tabs) become spaces.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Colours by series: the one whose label names the latest year (or, with no year, the last series) is
/// this year and strong; the others are muted, in order.
pub(crate) fn series_colors(labels: &[&str]) -> Vec<Rgb> {
    let years: Vec<Option<u32>> = labels.iter().map(|l| year_in(l)).collect();
    let current = match years.iter().flatten().max() {
        Some(latest) => years.iter().rposition(|y| *y == Some(*latest)),
        None => labels.len().checked_sub(1),
    };
    let mut earlier = EARLIER.iter().cycle();
    (0..labels.len())
        .map(|i| {
            if Some(i) == current {
                CURRENT
            } else {
                *earlier.next().unwrap_or(&AXIS)
            }
        })
        .collect()
}

/// The first run of exactly four digits, e.g. 2015 in "2015年".
fn year_in(label: &str) -> Option<u32> {
    let chars: Vec<char> = label.chars().collect();
    chars
        .split(|c| !c.is_ascii_digit())
        .find(|run| run.len() == 4)
        .and_then(|run| run.iter().collect::<String>().parse().ok())
}

pub(crate) enum Mark {
    Bar,
    Line,
    Dashed,
}

pub(crate) struct LegendEntry {
    pub label: String,
    pub color: Rgb,
    pub mark: Mark,
}

/// What every chart shares: title, legend above the plot, value axis with grid.
pub(crate) struct FrameSpec<'a> {
    pub title: &'a str,
    pub legend: &'a [LegendEntry],
    /// Pixels left of the plot for tick labels.
    pub left: f64,
    /// Pixels under the plot for category or month labels.
    pub bottom_band: f64,
    /// Smallest and largest value plotted; None when there is nothing to plot.
    pub data: Option<(f64, f64)>,
    /// Pixels to keep free above the largest and below the smallest value.
    pub pad: (f64, f64),
}

pub(crate) struct Frame {
    pub plot: Plot,
    pub axis: ValueAxis,
    /// The left margin the tick labels need; when more than `FrameSpec::left`, lay out again with it.
    pub needed_left: f64,
}

/// Draws title, legend, grid and tick labels; returns where the data goes.
pub(crate) fn draw_frame(scene: &mut Scene, spec: &FrameSpec<'_>) -> Result<Frame, ChartError> {
    let title_bottom = draw_title(scene, spec.title);
    let legend_bottom = draw_legend(scene, spec.legend, title_bottom + 6.0);
    let (left, right) = plot_span(spec.left);
    let plot = Plot {
        left,
        top: legend_bottom + 10.0,
        right,
        bottom: (HEIGHT as f64 - MARGIN / 2.0 - spec.bottom_band).max(legend_bottom + 60.0),
    };
    let Some((lo, hi)) = spec.data else {
        draw_no_data(scene, &plot);
        let axis = ValueAxis::fit(0.0, 1.0, plot.height(), 0.0, 0.0)?;
        return Ok(Frame {
            plot,
            axis,
            needed_left: 0.0,
        });
    };
    let axis = ValueAxis::fit(lo, hi, plot.height(), spec.pad.0, spec.pad.1)?;
    for tick in axis.ticks() {
        let y = axis.y(tick, &plot).round();
        scene.rect((plot.left, y), (plot.right, y + 1.0), GRID);
        let mut label = Label::new(
            axis.tick_label(tick),
            (plot.left - 8.0, middle_baseline(y, TICK_SIZE)),
            TICK_SIZE,
            Align::End,
        );
        label.color = TICK_TEXT;
        scene.labels.push(label);
    }
    let needed_left = (MARGIN + axis.label_width() + 10.0).ceil();
    Ok(Frame {
        plot,
        axis,
        needed_left,
    })
}

/// Left and right edge of the plot for a requested left margin (known before the frame is drawn).
pub(crate) fn plot_span(left: f64) -> (f64, f64) {
    (
        left.clamp(MARGIN + 20.0, WIDTH as f64 / 3.0),
        WIDTH as f64 - MARGIN - 8.0,
    )
}

/// The line at value 0, drawn over the data's feet.
pub(crate) fn draw_baseline(scene: &mut Scene, frame: &Frame) {
    let y = frame.axis.y(0.0, &frame.plot).round();
    scene.rect((frame.plot.left, y), (frame.plot.right, y + 1.0), AXIS);
}

/// "无数据" in the middle of an empty plot, so an empty chart does not look broken.
fn draw_no_data(scene: &mut Scene, plot: &Plot) {
    let center = (
        (plot.left + plot.right) / 2.0,
        middle_baseline((plot.top + plot.bottom) / 2.0, 16.0),
    );
    let mut label = Label::new("无数据", center, 16.0, Align::Middle);
    label.color = TICK_TEXT;
    scene.labels.push(label);
}

/// Lays out with a guessed left margin, then again with the margin the tick labels turned out to need.
pub(crate) fn settle_left(build: impl Fn(f64) -> Result<(Scene, f64), ChartError>) -> Result<Scene, ChartError> {
    let mut left = 60.0;
    let mut last = build(left)?;
    for _ in 0..3 {
        if last.1 <= left {
            break;
        }
        left = last.1;
        last = build(left)?;
    }
    Ok(last.0)
}

/// The baseline that centres ideographs and digits vertically on `y`.
pub(crate) fn middle_baseline(y: f64, size: f64) -> f64 {
    y + (font::CAP - font::DESCENT) / 2.0 * size
}

/// The baseline that puts the top of the glyphs at `y`.
pub(crate) fn top_baseline(y: f64, size: f64) -> f64 {
    y + font::CAP * size
}

/// Centred title, shrunk (down to 16px) and then shortened to fit the width. Returns its bottom edge.
fn draw_title(scene: &mut Scene, title: &str) -> f64 {
    let title = clean(title);
    let max_w = WIDTH as f64 - 2.0 * MARGIN;
    let mut size = TITLE_SIZE;
    while size > 16.0 && font::text_width(&title, size) > max_w {
        size -= 1.0;
    }
    if !title.is_empty() {
        let text = font::ellipsize(&title, size, max_w);
        scene.labels.push(Label::new(
            text,
            (WIDTH as f64 / 2.0, top_baseline(MARGIN, TITLE_SIZE)),
            size,
            Align::Middle,
        ));
    }
    MARGIN + (font::CAP + font::DESCENT) * TITLE_SIZE
}

/// Legend entries in centred rows under the title. Returns its bottom edge.
fn draw_legend(scene: &mut Scene, entries: &[LegendEntry], top: f64) -> f64 {
    const GAP: f64 = 24.0;
    let max_w = WIDTH as f64 - 2.0 * MARGIN;
    let items: Vec<(String, f64)> = entries
        .iter()
        .map(|e| {
            let text = font::ellipsize(&clean(&e.label), LEGEND_SIZE, 300.0);
            let w = mark_width(&e.mark) + 6.0 + font::text_width(&text, LEGEND_SIZE);
            (text, w)
        })
        .collect();
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_w = 0.0;
    for (i, (_, w)) in items.iter().enumerate() {
        let fits = !rows.is_empty() && row_w + GAP + w <= max_w;
        if let (true, Some(row)) = (fits, rows.last_mut()) {
            row.push(i);
            row_w += GAP + w;
        } else if rows.len() < LEGEND_MAX_ROWS {
            rows.push(vec![i]);
            row_w = *w;
        } else {
            break;
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let total: f64 = row.iter().map(|&i| items[i].1).sum::<f64>() + GAP * (row.len() - 1) as f64;
        let mut x = (WIDTH as f64 - total) / 2.0;
        let mid = top + LEGEND_ROW * (r as f64 + 0.5);
        for &i in row {
            let entry = &entries[i];
            draw_mark(scene, &entry.mark, (x, mid), entry.color);
            let anchor = (x + mark_width(&entry.mark) + 6.0, middle_baseline(mid, LEGEND_SIZE));
            scene
                .labels
                .push(Label::new(items[i].0.clone(), anchor, LEGEND_SIZE, Align::Start));
            x += items[i].1 + GAP;
        }
    }
    top + LEGEND_ROW * rows.len() as f64
}

fn mark_width(mark: &Mark) -> f64 {
    match mark {
        Mark::Bar => 14.0,
        Mark::Line | Mark::Dashed => 28.0,
    }
}

fn draw_mark(scene: &mut Scene, mark: &Mark, (x, mid): (f64, f64), color: Rgb) {
    let (x, mid) = (x.round(), mid.round());
    match mark {
        Mark::Bar => scene.rect((x, mid - 5.0), (x + 14.0, mid + 5.0), color),
        Mark::Line => {
            scene.rect((x, mid - 1.0), (x + 28.0, mid + 1.0), color);
            scene.shapes.push(Shape::Dot {
                center: (x + 14.0, mid),
                radius: 3.5,
                color,
            });
        }
        Mark::Dashed => draw_dashes(scene, (x, x + 28.0), mid, color),
    }
}

/// A horizontal dashed line 2px thick centred on `y` (plotters has no dashed strokes that SVG and PNG share).
pub(crate) fn draw_dashes(scene: &mut Scene, (x0, x1): (f64, f64), y: f64, color: Rgb) {
    // 6 + 5 + 6 + 5 + 6 fills the 28px legend mark exactly.
    const DASH: f64 = 6.0;
    const GAP: f64 = 5.0;
    let y = y.round();
    let mut x = x0;
    while x < x1 {
        scene.rect((x, y - 1.0), ((x + DASH).min(x1), y + 1.0), color);
        x += DASH + GAP;
    }
}

/// Writes the scene to SVG and PNG.
pub(crate) fn render(scene: &Scene) -> Result<Rendered, ChartError> {
    let drawn: String = scene.labels.iter().map(|l| l.text.as_str()).collect();
    Ok(Rendered {
        svg: render_svg(scene)?,
        png: render_png(scene)?,
        missing_glyphs: missing_glyphs(&drawn),
    })
}

fn drawing_error(e: impl std::fmt::Display) -> ChartError {
    ChartError(format!("drawing failed: {e}"))
}

fn render_svg(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        draw_shapes(&root, &scene.shapes, 1.0)?;
        for label in &scene.labels {
            draw_svg_text(&root, label)?;
        }
        root.present().map_err(drawing_error)?;
    }
    Ok(svg.into_bytes())
}

/// SVG text through plotters: VPos::Top puts the baseline 0.76em below the given point (`dy="0.76em"`).
fn draw_svg_text<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, label: &Label) -> Result<(), ChartError> {
    let hpos = match label.align {
        Align::Start => HPos::Left,
        Align::Middle => HPos::Center,
        Align::End => HPos::Right,
    };
    let color = rgb(label.color);
    let style = TextStyle::from((font::CSS_FONT_STACK, plotters_font_size(label.size)).into_font())
        .color(&color)
        .pos(Pos::new(hpos, VPos::Top));
    let drop = 0.76 * label.size;
    let (x, y) = label.anchor;
    let (style, pos) = if label.vertical {
        (style.transform(FontTransform::Rotate270), (x - drop, y))
    } else {
        (style, (x, y - drop))
    };
    let text = Text::new(label.text.as_str(), (pos.0.round() as i32, pos.1.round() as i32), style);
    area.draw(&text).map_err(drawing_error)
}

/// plotters writes `font-size` as size / 1.24, so pass size * 1.24. For the sizes used here the round trip
/// is exact; for 13 and 15 it prints 13.000000000000002 (no float fixes that), so those sizes are avoided.
fn plotters_font_size(css_px: f64) -> f64 {
    css_px * 1.24
}

fn render_png(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    let (w, h) = (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE);
    let mut big = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        draw_shapes(&root, &scene.shapes, SUPERSAMPLE as f64)?;
        root.present().map_err(drawing_error)?;
    }
    let mut rgb = downsample(&big, w, SUPERSAMPLE);
    for label in &scene.labels {
        font::draw_label(&mut rgb, WIDTH, HEIGHT, label)?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

fn draw_shapes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shapes: &[Shape],
    scale: f64,
) -> Result<(), ChartError> {
    let px = |v: f64| (v * scale).round() as i32;
    // Rectangles snap to whole page pixels so that bars and grid lines stay crisp after downsampling.
    let snap = |v: f64| (v.round() * scale) as i32;
    for shape in shapes {
        match shape {
            Shape::Rect { x0, y0, x1, y1, color } => {
                let corners = [
                    (snap(x0.min(*x1)), snap(y0.min(*y1))),
                    (snap(x0.max(*x1)), snap(y0.max(*y1))),
                ];
                area.draw(&Rectangle::new(corners, rgb(*color).filled()))
                    .map_err(drawing_error)?;
            }
            Shape::Polyline { points, width, color } => {
                let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
                let style = rgb(*color).stroke_width((width * scale).round().max(1.0) as u32);
                area.draw(&PathElement::new(points, style)).map_err(drawing_error)?;
            }
            Shape::Dot { center, radius, color } => {
                let circle = Circle::new(
                    (px(center.0), px(center.1)),
                    (radius * scale).round() as i32,
                    rgb(*color).filled(),
                );
                area.draw(&circle).map_err(drawing_error)?;
            }
        }
    }
    Ok(())
}

fn rgb(color: Rgb) -> RGBColor {
    RGBColor(color.0, color.1, color.2)
}

/// Averages each `factor` x `factor` block of an RGB buffer `width` pixels wide.
fn downsample(big: &[u8], width: u32, factor: u32) -> Vec<u8> {
    let (f, big_w) = (factor as usize, width as usize);
    let (out_w, out_h) = (big_w / f, big.len() / 3 / big_w / f);
    let mut out = vec![0u8; out_w * out_h * 3];
    for y in 0..out_h {
        for x in 0..out_w {
            for c in 0..3 {
                let sum: usize = (0..f * f)
                    .map(|k| big[((y * f + k / f) * big_w + x * f + k % f) * 3 + c] as usize)
                    .sum();
                out[(y * out_w + x) * 3 + c] = ((sum + f * f / 2) / (f * f)) as u8;
            }
        }
    }
    out
}

/// Plain 8-bit RGB PNG: no time or text chunks, so equal pixels give equal bytes.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let png_error = |e: png::EncodingError| ChartError(format!("PNG encoding failed: {e}"));
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(rgb).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::ops::Range;

    use super::*;

    /// Decodes a PNG into (width, height, RGB pixels).
    pub(crate) fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(bytes).read_info().expect("valid PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("PNG frame");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    /// Pixels darker than mid grey in columns `xs` of rows `ys` of an RGB image `width` pixels wide.
    pub(crate) fn dark_pixels(rgb: &[u8], width: u32, xs: Range<u32>, ys: Range<u32>) -> usize {
        let is_dark = |x: u32, y: u32| {
            let i = (y as usize * width as usize + x as usize) * 3;
            rgb[i..i + 3].iter().map(|&c| c as u32).sum::<u32>() < 3 * 128
        };
        ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
            .filter(|&(x, y)| is_dark(x, y))
            .count()
    }

    /// Saves example output for eyeballing when CHART_OUT names a directory.
    pub(crate) fn save_example(name: &str, rendered: &Rendered) {
        if let Ok(dir) = std::env::var("CHART_OUT") {
            std::fs::write(format!("{dir}/{name}.png"), &rendered.png).expect("write PNG");
            std::fs::write(format!("{dir}/{name}.svg"), &rendered.svg).expect("write SVG");
        }
    }

    #[test]
    fn values_are_written_as_people_write_them() {
        assert_eq!(format_value(159.0), "159");
        assert_eq!(format_value(56.819999), "56.82");
        assert_eq!(format_value(5051.0), "5051");
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(-0.001), "0");
        assert_eq!(format_value(1e9), "1000000000");
        assert_eq!(format_value(-12.30), "-12.3");
    }

    #[test]
    fn axis_starts_at_zero_with_round_ticks_and_headroom() {
        let axis = ValueAxis::fit(0.0, 5051.0, 300.0, 20.0, 0.0).unwrap();
        assert_eq!(axis.min, 0.0);
        assert!(axis.max > 5051.0 && (axis.max - 5051.0) / (axis.max - axis.min) * 300.0 >= 19.5);
        assert!(axis.ticks().iter().all(|t| t % 1000.0 == 0.0), "{:?}", axis.ticks());
        let small = ValueAxis::fit(0.0, 0.07, 300.0, 20.0, 0.0).unwrap();
        assert_eq!(
            small.ticks().iter().map(|&t| small.tick_label(t)).collect::<Vec<_>>()[..3],
            ["0", "0.02", "0.04"]
        );
        let negative = ValueAxis::fit(-30.0, 80.0, 300.0, 20.0, 20.0).unwrap();
        assert!(negative.min < -30.0 && negative.ticks().contains(&0.0));
        assert!(ValueAxis::fit(0.0, 0.0, 300.0, 0.0, 0.0).is_ok());
        assert!(ValueAxis::fit(-f64::MAX, f64::MAX, 300.0, 0.0, 0.0).is_err());
    }

    #[test]
    fn latest_year_is_this_year() {
        assert_eq!(series_colors(&["2014年", "2015年"]), vec![EARLIER[0], CURRENT]);
        assert_eq!(series_colors(&["2016年", "2015年"]), vec![CURRENT, EARLIER[0]]);
        assert_eq!(series_colors(&["上年", "本年"]), vec![EARLIER[0], CURRENT]);
        assert!(series_colors(&[]).is_empty());
    }

    #[test]
    fn svg_font_sizes_print_cleanly() {
        for size in [
            VALUE_SIZE,
            TICK_SIZE,
            LABEL_SIZE,
            LEGEND_SIZE,
            16.0,
            17.0,
            18.0,
            19.0,
            TITLE_SIZE,
        ] {
            assert_eq!(format!("{}", plotters_font_size(size) / 1.24), format!("{size}"));
        }
    }

    #[test]
    fn downsample_averages_blocks() {
        let big = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&big, 2, 2), vec![191, 191, 191]);
    }
}
