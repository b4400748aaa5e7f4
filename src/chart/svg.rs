//! A scene written as SVG through plotters. Text names the CSS font stack of the embedded font, so the
//! SVG reads the same where Noto Sans SC (or a common Chinese system font) is installed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::CSS_FONT_STACK;
use super::scene::{Align, Label, Scene, Shape};
use super::style::Rgb;
use super::ChartError;

pub(crate) fn render_svg(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (scene.width, scene.height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        draw_shapes(&root, &scene.shapes, 1.0)?;
        for label in &scene.labels {
            draw_text(&root, label)?;
        }
        root.present().map_err(drawing_error)?;
    }
    Ok(svg.into_bytes())
}

/// SVG text through plotters: VPos::Top puts the baseline 0.76em below the given point (`dy="0.76em"`).
fn draw_text<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, label: &Label) -> Result<(), ChartError> {
    let hpos = match label.align {
        Align::Start => HPos::Left,
        Align::Middle => HPos::Center,
        Align::End => HPos::Right,
    };
    let color = rgb(label.color);
    let style = TextStyle::from((CSS_FONT_STACK, plotters_font_size(label.size)).into_font())
        .color(&color)
        .pos(Pos::new(hpos, VPos::Top));
    let (x, y) = label.anchor;
    let top = y - 0.76 * label.size;
    let text = Text::new(label.text.as_str(), (x.round() as i32, top.round() as i32), style);
    area.draw(&text).map_err(drawing_error)
}

/// plotters writes `font-size` as size / 1.24, so pass size * 1.24. For the sizes the charts use the round
/// trip is exact; for some (13, 15, 26, 27, 30) no float gives it back exactly (30 comes out as
/// 30.000000000000004), so those sizes are not used.
fn plotters_font_size(css_px: f64) -> f64 {
    css_px * 1.24
}

/// Draws the shapes scaled by `scale` (the PNG draws them supersampled).
pub(crate) fn draw_shapes<DB: DrawingBackend>(
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

pub(crate) fn drawing_error(e: impl std::fmt::Display) -> ChartError {
    ChartError(format!("drawing failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::super::style::{LABEL, SMALL, TITLE};
    use super::*;

    #[test]
    fn svg_font_sizes_print_cleanly() {
        for size in [SMALL, LABEL, TITLE] {
            assert_eq!(format!("{}", plotters_font_size(size) / 1.24), format!("{size}"));
        }
    }
}
