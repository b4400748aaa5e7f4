//! Line chart: cumulative totals by month, this year against earlier years, with an optional dashed target.

use super::{
    draw_baseline, draw_dashes, draw_frame, font, format_value, render, series_colors, settle_left, top_baseline,
    value_range, Align, ChartError, FrameSpec, Label, LegendEntry, Mark, Plot, Rendered, Rgb, Scene, Shape, CURRENT,
    LABEL_SIZE, VALUE_SIZE,
};

#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// e.g. "健身器材累计完成情况（件）".
    pub title: String,
    /// Informational: the x axis always shows "1月".."12月".
    pub months_shown: u8,
    /// e.g. "2016年" (through the snapshot month only), "2015年" (all 12).
    pub series: Vec<LineSeries>,
    /// A horizontal dashed line, e.g. ("全年目标", 180.0).
    pub target: Option<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    pub label: String,
    /// (month 1-12, value). Other months and NaN/inf values are skipped.
    pub points: Vec<(u8, f64)>,
}

const TARGET: Rgb = Rgb(85, 85, 85);
/// Space between a point and its value label.
const LABEL_GAP: f64 = 8.0;

pub fn render_lines(chart: &LineChart) -> Result<Rendered, ChartError> {
    let scene = settle_left(|left| line_scene(chart, left))?;
    render(&scene)
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

fn month_x(plot: &Plot, month: u8) -> f64 {
    plot.left + (month as f64 - 0.5) * plot.width() / 12.0
}

fn line_scene(chart: &LineChart, left: f64) -> Result<(Scene, f64), ChartError> {
    let mut scene = Scene::default();
    let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
    let colors = series_colors(&labels);
    let target = chart.target.as_ref().filter(|(_, v)| v.is_finite());
    let mut legend: Vec<LegendEntry> = chart
        .series
        .iter()
        .zip(&colors)
        .map(|(s, &color)| LegendEntry {
            label: s.label.clone(),
            color,
            mark: Mark::Line,
        })
        .collect();
    if let Some((name, _)) = target {
        legend.push(LegendEntry {
            label: name.clone(),
            color: TARGET,
            mark: Mark::Dashed,
        });
    }

    let series: Vec<Vec<(u8, f64)>> = chart.series.iter().map(|s| usable_points(&s.points)).collect();
    let values = series.iter().flatten().map(|p| p.1).chain(target.map(|t| t.1));
    let data = value_range(values);
    let pad = (font::CAP + font::DESCENT) * VALUE_SIZE + LABEL_GAP + 4.0;
    let spec = FrameSpec {
        title: &chart.title,
        legend: &legend,
        left,
        bottom_band: LABEL_SIZE * 1.3 + 10.0,
        data,
        pad: (pad, if data.is_some_and(|d| d.0 < 0.0) { pad } else { 0.0 }),
    };
    let frame = draw_frame(&mut scene, &spec)?;
    let plot = frame.plot;
    for month in 1..=12u8 {
        let anchor = (month_x(&plot, month), top_baseline(plot.bottom + 8.0, LABEL_SIZE));
        scene
            .labels
            .push(Label::new(format!("{month}月"), anchor, LABEL_SIZE, Align::Middle));
    }
    draw_baseline(&mut scene, &frame);

    // Boxes already holding text, so that value labels can dodge them.
    let mut taken: Vec<[f64; 4]> = Vec::new();
    if let Some((name, value)) = target {
        let y = frame.axis.y(*value, &plot);
        draw_dashes(&mut scene, (plot.left, plot.right), y, TARGET);
        let text = format!("{} {}", super::clean(name), format_value(*value));
        let label = Label {
            color: TARGET,
            ..Label::new(text, (plot.left + 6.0, y - 6.0), VALUE_SIZE, Align::Start)
        };
        taken.push(text_box(&label));
        scene.labels.push(label);
    }
    // This year last, so it is drawn on top.
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&i| colors[i] == CURRENT);
    for i in order {
        let points: Vec<(f64, f64)> = series[i]
            .iter()
            .map(|&(m, v)| (month_x(&plot, m), frame.axis.y(v, &plot)))
            .collect();
        draw_series(&mut scene, &points, colors[i], colors[i] == CURRENT);
        if let (Some(&(x, y)), Some(&(_, value))) = (points.last(), series[i].last()) {
            if let Some(label) = end_label(format_value(value), (x, y), &plot, &taken) {
                taken.push(text_box(&label));
                scene.labels.push(label);
            }
        }
    }
    Ok((scene, frame.needed_left))
}

fn draw_series(scene: &mut Scene, points: &[(f64, f64)], color: Rgb, current: bool) {
    let (width, radius) = if current { (3.0, 4.0) } else { (2.0, 3.0) };
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

/// The last value of a series, above its point, else below it, else (both overlap earlier text) not at all.
fn end_label(text: String, (x, y): (f64, f64), plot: &Plot, taken: &[[f64; 4]]) -> Option<Label> {
    let half = font::text_width(&text, VALUE_SIZE) / 2.0;
    let x = x.clamp(plot.left + half, (plot.right - half).max(plot.left + half));
    let at = |baseline: f64| Label::new(text.clone(), (x, baseline), VALUE_SIZE, Align::Middle);
    [at(y - LABEL_GAP), at(top_baseline(y + LABEL_GAP, VALUE_SIZE))]
        .into_iter()
        .find(|label| !taken.iter().any(|t| overlaps(t, &text_box(label))))
}

/// The box a horizontal label's glyphs cover: [left, top, right, bottom].
fn text_box(label: &Label) -> [f64; 4] {
    let w = font::text_width(&label.text, label.size);
    let left = match label.align {
        Align::Start => label.anchor.0,
        Align::Middle => label.anchor.0 - w / 2.0,
        Align::End => label.anchor.0 - w,
    };
    let baseline = label.anchor.1;
    [
        left,
        baseline - font::CAP * label.size,
        left + w,
        baseline + font::DESCENT * label.size,
    ]
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{decode_png, save_example};
    use super::*;

    fn cumulative(label: &str, monthly: &[f64]) -> LineSeries {
        let mut total = 0.0;
        let points = monthly.iter().enumerate().map(|(i, v)| {
            total += v;
            (i as u8 + 1, total)
        });
        LineSeries {
            label: label.into(),
            points: points.collect(),
        }
    }

    fn fitness() -> LineChart {
        LineChart {
            title: "健身器材累计完成情况（件）".into(),
            months_shown: 7,
            series: vec![
                cumulative("2016年", &[8.0, 6.0, 15.0, 21.0, 18.0, 12.5, 20.0]),
                cumulative(
                    "2015年",
                    &[5.0, 9.0, 11.0, 14.0, 16.0, 13.0, 12.0, 10.0, 15.0, 17.0, 12.0, 9.0],
                ),
            ],
            target: Some(("全年目标".into(), 180.0)),
        }
    }

    #[test]
    fn every_drawn_character_is_in_the_font() {
        let rendered = render_lines(&fitness()).unwrap();
        assert!(rendered.missing_glyphs.is_empty(), "{:?}", rendered.missing_glyphs);
        let svg = String::from_utf8(rendered.svg).unwrap();
        for text in ["健身器材累计完成情况（件）", "全年目标 180", "12月", "100.5", "143"] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text} missing from SVG");
        }
        save_example("lines", &render_lines(&fitness()).unwrap());
    }

    #[test]
    fn same_input_same_bytes() {
        let (a, b) = (render_lines(&fitness()).unwrap(), render_lines(&fitness()).unwrap());
        assert!(a.png == b.png && a.svg == b.svg);
    }

    #[test]
    fn points_outside_the_year_or_not_finite_are_skipped() {
        let points = [(0, 1.0), (3, 2.0), (1, f64::NAN), (13, 4.0), (2, 5.0), (3, 6.0)];
        assert_eq!(usable_points(&points), vec![(2, 5.0), (3, 6.0)]);
    }

    #[test]
    fn degenerate_inputs_render() {
        let series = |label: &str, points: &[(u8, f64)]| LineSeries {
            label: label.into(),
            points: points.to_vec(),
        };
        let cases = [
            LineChart {
                title: String::new(),
                months_shown: 0,
                series: vec![],
                target: None,
            },
            LineChart {
                title: "仅目标".into(),
                months_shown: 0,
                series: vec![],
                target: Some(("全年目标".into(), 0.0)),
            },
            LineChart {
                title: "单点".into(),
                months_shown: 1,
                series: vec![series("2016年", &[(1, 3.0)])],
                target: None,
            },
            LineChart {
                title: "<巨大> & \"负数\"".into(),
                months_shown: 12,
                series: vec![
                    series("2016年", &[(1, 1e9), (2, -5e8), (3, f64::NAN), (200, 1.0)]),
                    series("", &[(12, f64::INFINITY)]),
                ],
                target: Some(("目标".into(), f64::NAN)),
            },
            LineChart {
                title: "零".into(),
                months_shown: 12,
                series: vec![series("本年", &[(1, 0.0), (12, 0.0)])],
                target: None,
            },
            LineChart {
                title: "多年".into(),
                months_shown: 12,
                series: (2010..2018)
                    .map(|y| series(&format!("{y}年"), &[(1, y as f64), (12, y as f64 * 2.0)]))
                    .collect(),
                target: Some(("全年目标".into(), 3000.0)),
            },
        ];
        for (i, chart) in cases.iter().enumerate() {
            let rendered = render_lines(chart).unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(decode_png(&rendered.png).0, 900);
            save_example(&format!("lines_case{i}"), &rendered);
        }
    }
}
