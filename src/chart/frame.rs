//! What charts share around their data: the centred title and the legend under it.

use super::font::text_width;
use super::scene::{Align, Label, Scene, Shape};
use super::style::{Rgb, LINE_HEIGHT, MARGIN, SMALL, TITLE};
use super::text::{clean, ellipsize, middle_baseline, top_baseline, wrap};

/// The title, centred, wrapped to at most two lines (never shrunk below its size). Returns its bottom edge.
pub(crate) fn draw_title(scene: &mut Scene, title: &str, top: f64) -> f64 {
    let width = scene.width as f64;
    let lines = wrap(&clean(title), TITLE, width - 2.0 * MARGIN, 2);
    for (i, line) in lines.iter().enumerate() {
        let line_top = top + i as f64 * TITLE * LINE_HEIGHT;
        scene.text(Label::new(
            line.clone(),
            (width / 2.0, top_baseline(line_top, TITLE)),
            TITLE,
            Align::Middle,
        ));
    }
    top + lines.len() as f64 * TITLE * LINE_HEIGHT
}

pub(crate) enum Mark {
    Line,
    Dashed,
}

pub(crate) struct LegendEntry {
    pub label: String,
    pub color: Rgb,
    pub mark: Mark,
}

const LEGEND_ROW: f64 = SMALL * 1.5;
const MARK_GAP: f64 = 10.0;

/// Legend entries in centred rows starting at `top`. Returns its bottom edge.
pub(crate) fn draw_legend(scene: &mut Scene, entries: &[LegendEntry], top: f64) -> f64 {
    const GAP: f64 = 40.0;
    let max_w = scene.width as f64 - 2.0 * MARGIN;
    let items: Vec<(String, f64)> = entries
        .iter()
        .map(|e| {
            let text = ellipsize(&clean(&e.label), SMALL, max_w / 2.0);
            let w = mark_width(&e.mark) + MARK_GAP + text_width(&text, SMALL);
            (text, w)
        })
        .collect();
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_w = 0.0;
    for (i, (_, w)) in items.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if row_w + GAP + w <= max_w => {
                row.push(i);
                row_w += GAP + w;
            }
            _ => {
                rows.push(vec![i]);
                row_w = *w;
            }
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let total: f64 = row.iter().map(|&i| items[i].1).sum::<f64>() + GAP * (row.len() - 1) as f64;
        let mut x = (scene.width as f64 - total) / 2.0;
        let mid = top + LEGEND_ROW * (r as f64 + 0.5);
        for &i in row {
            let entry = &entries[i];
            draw_mark(scene, &entry.mark, (x, mid), entry.color);
            let anchor = (x + mark_width(&entry.mark) + MARK_GAP, middle_baseline(mid, SMALL));
            scene.text(Label::new(items[i].0.clone(), anchor, SMALL, Align::Start));
            x += items[i].1 + GAP;
        }
    }
    top + LEGEND_ROW * rows.len() as f64
}

fn mark_width(mark: &Mark) -> f64 {
    match mark {
        Mark::Line | Mark::Dashed => 48.0,
    }
}

fn draw_mark(scene: &mut Scene, mark: &Mark, (x, mid): (f64, f64), color: Rgb) {
    let (x, mid) = (x.round(), mid.round());
    match mark {
        Mark::Line => {
            scene.rect((x, mid - 2.0), (x + 48.0, mid + 2.0), color);
            scene.shapes.push(Shape::Dot {
                center: (x + 24.0, mid),
                radius: 7.0,
                color,
            });
        }
        // 14 + 10 + 14 + 10 ends on a gap: the mark is 38 px of dashes in a 48 px slot.
        Mark::Dashed => scene.dashes((x, x + 38.0), mid, 4.0, color),
    }
}
