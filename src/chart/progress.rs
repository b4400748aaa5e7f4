//! A snapshot's progress: a metric's figure by month, 1月 to 12月, this year (through the snapshot month)
//! against last year's whole year, with the annual target as a dashed line. The last figure of each line
//! is written beside its end, placed clear of every line and of other text.

use super::axis::ValueAxis;
use super::font::text_width;
use super::frame::{draw_legend, draw_title, LegendEntry, Mark};
use super::scene::{Align, Label, Scene, Shape};
use super::style::{AXIS, CURRENT, GRID, LINE_HEIGHT, MARGIN, MUTED, PAGE_WIDTH, PREVIOUS, SMALL, TARGET};
use super::text::{clean, line_extent, middle_baseline, text_box, top_baseline, Box2};
use super::{render, ChartError, Rendered};

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressChart {
    /// Names the programme and the metric, e.g. "送健身器材·健身器材累计完成情况（件）".
    pub title: String,
    pub lines: Vec<Line>,
    pub target: Option<Target>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// e.g. "2016年".
    pub label: String,
    /// (month 1-12, value). Other months and NaN/inf values are skipped.
    pub points: Vec<(u8, f64)>,
    /// The last point's figure as written, e.g. "43.64".
    pub end_label: String,
    /// This year: strong, drawn on top, labelled first.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The legend's words, e.g. "全年目标 180件".
    pub label: String,
    pub value: f64,
}

const HEIGHT: f64 = 760.0;
/// Between a point and its figure.
const LABEL_GAP: f64 = 10.0;
const TARGET_THICKNESS: f64 = 4.0;

pub fn render_progress(chart: &ProgressChart) -> Result<Rendered, ChartError> {
    render(&progress_scene(chart)?)
}

/// Points to draw: months 1-12 with finite values, in month order; for a repeated month the last one wins.
fn usable_points(points: &[(u8, f64)]) -> Vec<(u8, f64)> {
    let mut by_month = [None; 12];
    for &(month, value) in points {
        if (1..=12).contains(&month) && value.is_finite() {
            by_month[month as usize - 1] = Some(value);
        }
    }
    by_month
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i as u8 + 1, v)))
        .collect()
}

/// The plotting rectangle.
struct Plot {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Plot {
    fn month_x(&self, month: u8) -> f64 {
        self.left + (month as f64 - 0.5) * (self.right - self.left) / 12.0
    }
}

fn progress_scene(chart: &ProgressChart) -> Result<Scene, ChartError> {
    let mut scene = Scene::new(PAGE_WIDTH);
    let width = PAGE_WIDTH as f64;
    let target = chart.target.as_ref().filter(|t| t.value.is_finite());
    let color = |line: &Line| if line.current { CURRENT } else { PREVIOUS };
    let mut legend: Vec<LegendEntry> = chart
        .lines
        .iter()
        .map(|l| LegendEntry {
            label: l.label.clone(),
            color: color(l),
            mark: Mark::Line,
        })
        .collect();
    legend.extend(target.map(|t| LegendEntry {
        label: t.label.clone(),
        color: TARGET,
        mark: Mark::Dashed,
    }));
    let title_bottom = draw_title(&mut scene, &chart.title, MARGIN);
    let legend_bottom = draw_legend(&mut scene, &legend, title_bottom + 8.0);

    let lines: Vec<Vec<(u8, f64)>> = chart.lines.iter().map(|l| usable_points(&l.points)).collect();
    let values = lines.iter().flatten().map(|p| p.1).chain(target.map(|t| t.value));
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (top, bottom) = (legend_bottom + 20.0, HEIGHT - MARGIN - SMALL * LINE_HEIGHT - 10.0);
    // Room above the highest value for a figure, and a second slot above the target line.
    let pad = 2.0 * (line_extent(SMALL) + LABEL_GAP);
    let axis = ValueAxis::fit(lo, hi, bottom - top, pad, if lo < 0.0 { pad } else { 0.0 })?;
    let ticks = axis.ticks();
    let tick_w = ticks
        .iter()
        .map(|&t| text_width(&axis.tick_label(t), SMALL))
        .fold(0.0, f64::max);
    let plot = Plot {
        left: MARGIN + tick_w + 14.0,
        top,
        right: width - MARGIN - 12.0,
        bottom,
    };
    let y = |v: f64| axis.position(v, (plot.bottom, plot.top));

    for &tick in &ticks {
        let ty = y(tick).round();
        scene.rect((plot.left, ty - 1.0), (plot.right, ty + 1.0), GRID);
        let label = Label::new(
            axis.tick_label(tick),
            (plot.left - 14.0, middle_baseline(ty, SMALL)),
            SMALL,
            Align::End,
        );
        scene.text(label.colored(MUTED));
    }
    for month in 1..=12u8 {
        let anchor = (plot.month_x(month), top_baseline(plot.bottom + 10.0, SMALL));
        scene.text(Label::new(format!("{month}月"), anchor, SMALL, Align::Middle));
    }
    let zero = y(0.0).round();
    scene.rect((plot.left, zero - 1.0), (plot.right, zero + 1.0), AXIS);

    // Everything a figure must keep clear of: line segments (with their half width) and text.
    let mut obstacles = Obstacles::default();
    if let Some(t) = target {
        let ty = y(t.value);
        scene.dashes((plot.left, plot.right), ty, TARGET_THICKNESS, TARGET);
        obstacles
            .segments
            .push(((plot.left, ty), (plot.right, ty), TARGET_THICKNESS / 2.0));
    }
    let points: Vec<Vec<(f64, f64)>> = lines
        .iter()
        .map(|ps| ps.iter().map(|&(m, v)| (plot.month_x(m), y(v))).collect())
        .collect();
    // Last year first, so this year is drawn on top.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| chart.lines[i].current);
    for &i in &order {
        let (width, radius) = if chart.lines[i].current { (5.0, 7.0) } else { (4.0, 5.0) };
        draw_line(&mut scene, &points[i], color(&chart.lines[i]), (width, radius));
        for pair in points[i].windows(2) {
            obstacles.segments.push((pair[0], pair[1], width / 2.0));
        }
        for &p in &points[i] {
            obstacles.segments.push((p, p, radius));
        }
    }
    let bounds = Box2 {
        left: plot.left + 4.0,
        top: plot.top,
        right: width - MARGIN,
        bottom: plot.bottom - 4.0,
    };
    for &i in order.iter().rev() {
        let Some(&end) = points[i].last() else { continue };
        let text = clean(&chart.lines[i].end_label);
        if let Some(label) = place_figure(&text, end, &bounds, &obstacles) {
            obstacles.boxes.push(text_box(&label));
            scene.text(label);
        }
    }
    Ok(scene.finish(HEIGHT - MARGIN, MARGIN))
}

fn draw_line(scene: &mut Scene, points: &[(f64, f64)], color: super::style::Rgb, (width, radius): (f64, f64)) {
    if points.len() > 1 {
        scene.shapes.push(Shape::Polyline {
            points: points.to_vec(),
            width,
            color,
        });
    }
    for &center in points {
        scene.shapes.push(Shape::Dot { center, radius, color });
    }
}

/// A stroke: from, to, half its width.
type Segment = ((f64, f64), (f64, f64), f64);

#[derive(Default)]
struct Obstacles {
    segments: Vec<Segment>,
    boxes: Vec<Box2>,
}

impl Obstacles {
    fn hit(&self, b: &Box2) -> bool {
        let clear = b.grown(3.0);
        self.boxes.iter().any(|o| o.overlaps(&clear))
            || self
                .segments
                .iter()
                .any(|&(a, z, half)| clear.grown(half).crosses(a, z))
    }
}

/// A figure beside a line's last point: just above, just below or to the right of it, else further up
/// or down, at the first place that is inside `bounds` and touches no line and no text. None when there
/// is no such place.
fn place_figure(text: &str, (x, y): (f64, f64), bounds: &Box2, obstacles: &Obstacles) -> Option<Label> {
    let w = text_width(text, SMALL);
    let centred_x = x.clamp(
        bounds.left + w / 2.0,
        (bounds.right - w / 2.0).max(bounds.left + w / 2.0),
    );
    let step = line_extent(SMALL) * 0.6;
    let above = |d: f64| Label::new(text, (centred_x, y - LABEL_GAP - d), SMALL, Align::Middle);
    let below = |d: f64| {
        Label::new(
            text,
            (centred_x, top_baseline(y + LABEL_GAP + d, SMALL)),
            SMALL,
            Align::Middle,
        )
    };
    let right = Label::new(
        text,
        (x + LABEL_GAP + 6.0, middle_baseline(y, SMALL)),
        SMALL,
        Align::Start,
    );
    let mut candidates = vec![above(0.0), below(0.0), right];
    for i in 1..12 {
        candidates.push(above(i as f64 * step));
        candidates.push(below(i as f64 * step));
    }
    candidates.into_iter().find(|label| {
        let b = text_box(label);
        b.within(bounds) && !obstacles.hit(&b)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_printable, decode_png, save_example, svg_texts};
    use super::*;

    fn cumulative(label: &str, monthly: &[f64], current: bool) -> Line {
        let mut total = 0.0;
        let points: Vec<(u8, f64)> = monthly
            .iter()
            .enumerate()
            .map(|(i, v)| {
                total += v;
                (i as u8 + 1, total)
            })
            .collect();
        Line {
            label: label.into(),
            end_label: super::super::axis::trim_zeros(&format!("{total:.2}")),
            points,
            current,
        }
    }

    /// warmth.funds of the sample: both years nearly flat just under the target from February on.
    fn warmth() -> ProgressChart {
        ProgressChart {
            title: "送温暖·列入资金累计完成情况（万元）".into(),
            lines: vec![
                cumulative("2016年", &[21.7, 21.94, 0.0, 0.0, 0.0, 0.0], true),
                cumulative(
                    "2015年",
                    &[19.3, 23.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                    false,
                ),
            ],
            target: Some(Target {
                label: "全年目标 45万元".into(),
                value: 45.0,
            }),
        }
    }

    #[test]
    fn figures_are_clear_of_every_line_and_of_each_other() {
        let chart = warmth();
        let scene = progress_scene(&chart).unwrap();
        let figures: Vec<&Label> = scene
            .labels
            .iter()
            .filter(|l| l.text == "43.64" || l.text == "43.2")
            .collect();
        assert_eq!(figures.len(), 2, "both ends labelled");
        let segments: Vec<((f64, f64), (f64, f64))> = scene
            .shapes
            .iter()
            .flat_map(|s| match s {
                Shape::Polyline { points, .. } => points.windows(2).map(|p| (p[0], p[1])).collect(),
                Shape::Rect { x0, y0, x1, y1, .. } if (y1 - y0).abs() <= 4.0 && (x1 - x0).abs() < 20.0 => {
                    vec![((*x0, *y0), (*x1, *y1))] // a dash of the target line
                }
                _ => vec![],
            })
            .collect();
        for f in &figures {
            let b = text_box(f);
            for &(a, z) in &segments {
                assert!(!b.crosses(a, z), "{} crosses a line at {a:?}-{z:?}", f.text);
            }
        }
        assert!(!text_box(figures[0]).overlaps(&text_box(figures[1])));
    }

    #[test]
    fn months_one_to_twelve_title_and_legend() {
        let rendered = render_progress(&warmth()).unwrap();
        save_example("progress", &rendered);
        assert_printable(&rendered);
        assert!(rendered.missing_glyphs.is_empty(), "{:?}", rendered.missing_glyphs);
        let texts: Vec<String> = svg_texts(&rendered.svg).into_iter().map(|t| t.1).collect();
        for text in [
            "送温暖·列入资金累计完成情况（万元）",
            "全年目标 45万元",
            "2015年",
            "1月",
            "12月",
            "43.64",
            "43.2",
        ] {
            assert!(texts.iter().any(|t| t == text), "{text} missing from {texts:?}");
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let (a, b) = (render_progress(&warmth()).unwrap(), render_progress(&warmth()).unwrap());
        assert!(a.png == b.png && a.svg == b.svg);
    }

    #[test]
    fn points_outside_the_year_or_not_finite_are_skipped() {
        let points = [(0, 1.0), (3, 2.0), (1, f64::NAN), (13, 4.0), (2, 5.0), (3, 6.0)];
        assert_eq!(usable_points(&points), vec![(2, 5.0), (3, 6.0)]);
    }

    #[test]
    fn degenerate_inputs_render() {
        let line = |label: &str, points: &[(u8, f64)]| Line {
            label: label.into(),
            points: points.to_vec(),
            end_label: "1".into(),
            current: true,
        };
        let target = |value| {
            Some(Target {
                label: "全年目标".into(),
                value,
            })
        };
        let cases = [
            ProgressChart {
                title: String::new(),
                lines: vec![],
                target: None,
            },
            ProgressChart {
                title: "仅目标".into(),
                lines: vec![],
                target: target(0.0),
            },
            ProgressChart {
                title: "单点".into(),
                lines: vec![line("2016年", &[(1, 3.0)])],
                target: None,
            },
            ProgressChart {
                title: "<巨大> & \"负数\"".into(),
                lines: vec![
                    line("2016年", &[(1, 1e9), (2, -5e8), (3, f64::NAN), (200, 1.0)]),
                    line("", &[(12, f64::INFINITY)]),
                ],
                target: target(f64::NAN),
            },
            ProgressChart {
                title: "零".into(),
                lines: vec![line("本年", &[(1, 0.0), (12, 0.0)])],
                target: None,
            },
        ];
        for (i, chart) in cases.iter().enumerate() {
            let rendered = render_progress(chart).unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(decode_png(&rendered.png).0, PAGE_WIDTH);
            assert_printable(&rendered);
            save_example(&format!("progress_case{i}"), &rendered);
        }
        let absurd = ProgressChart {
            title: "溢出".into(),
            lines: vec![line("a", &[(1, f64::MAX)])],
            target: None,
        };
        let _ = render_progress(&absurd); // an error is fine, a panic is not
    }
}
