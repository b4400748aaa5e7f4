//! A chart laid out as shapes and lines of text in page pixels, before it is written as SVG or PNG.
//! Both outputs are drawn from the same scene, so they share one layout and one list of drawn characters.

use super::style::{Rgb, TEXT};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Start,
    Middle,
    End,
}

/// One line of text. `anchor` is on the baseline, at the start, middle or end of the text.
#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub text: String,
    pub anchor: (f64, f64),
    pub size: f64,
    pub color: Rgb,
    pub align: Align,
}

impl Label {
    pub(crate) fn new(text: impl Into<String>, anchor: (f64, f64), size: f64, align: Align) -> Self {
        Label {
            text: text.into(),
            anchor,
            size,
            color: TEXT,
            align,
        }
    }

    pub(crate) fn colored(self, color: Rgb) -> Self {
        Label { color, ..self }
    }
}

pub(crate) struct Scene {
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
    pub labels: Vec<Label>,
}

impl Scene {
    /// An empty page `width` px wide; the height is set once the content is laid out.
    pub(crate) fn new(width: u32) -> Self {
        Scene {
            width,
            height: 0,
            shapes: Vec::new(),
            labels: Vec::new(),
        }
    }

    pub(crate) fn rect(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), color: Rgb) {
        self.shapes.push(Shape::Rect { x0, y0, x1, y1, color });
    }

    pub(crate) fn text(&mut self, label: Label) {
        self.labels.push(label);
    }

    /// A horizontal dashed line `thickness` px thick centred on `y` (plotters has no dashed stroke that
    /// SVG and PNG draw alike, so the dashes are rectangles).
    pub(crate) fn dashes(&mut self, (x0, x1): (f64, f64), y: f64, thickness: f64, color: Rgb) {
        const DASH: f64 = 14.0;
        const GAP: f64 = 10.0;
        let (top, bottom) = ((y - thickness / 2.0).round(), (y + thickness / 2.0).round());
        let mut x = x0;
        while x < x1 {
            self.rect((x, top), ((x + DASH).min(x1), bottom), color);
            x += DASH + GAP;
        }
    }

    /// Sets the page height to hold everything down to `bottom`, plus the margin.
    pub(crate) fn finish(mut self, bottom: f64, margin: f64) -> Self {
        self.height = (bottom + margin).ceil().max(1.0) as u32;
        self
    }
}
