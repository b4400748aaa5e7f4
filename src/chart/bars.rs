//! Grouped bar chart: each metric this year against last year, every bar labelled with its value.

use super::{
    draw_baseline, draw_frame, finite, font, format_value, plot_span, render, series_colors, settle_left, top_baseline,
    value_range, Align, ChartError, Frame, FrameSpec, Label, LegendEntry, Mark, Rendered, Rgb, Scene, HEIGHT,
    LABEL_SIZE, VALUE_SIZE,
};

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// e.g. "五送五有（万元）": the caller puts the unit in the title.
    pub title: String,
    /// Metric names along x, e.g. ["投入资金", "送温暖资金"].
    pub categories: Vec<String>,
    /// Usually 2: last year then this year, e.g. labels "2014年", "2015年".
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    /// One per category; None (or NaN/inf) = no data: no bar, no label.
    pub values: Vec<Option<f64>>,
}

/// Category labels wrap to at most this many lines under their group of bars.
const MAX_LABEL_LINES: usize = 6;
const LINE_HEIGHT: f64 = 1.25;
/// Category labels drop to this size when the slots get narrow (many categories).
const NARROW_LABEL_SIZE: f64 = 12.0;
/// Bars never get wider than this, so a chart of one or two metrics does not look like a wall.
const MAX_BAR_WIDTH: f64 = 56.0;
/// Space between the bar end and its value label.
const LABEL_GAP: f64 = 4.0;

pub fn render_bars(chart: &BarChart) -> Result<Rendered, ChartError> {
    let scene = settle_left(|left| bar_scene(chart, left))?;
    render(&scene)
}

/// Bars of one category, from left to right: the value of each series (None = no bar).
fn values_of(chart: &BarChart, category: usize) -> Vec<Option<f64>> {
    chart
        .series
        .iter()
        .map(|s| finite(s.values.get(category).copied().flatten()))
        .collect()
}

/// Where the bars of one category go, measured from the left of its slot.
struct Group {
    offset: f64,
    bar_width: f64,
    gap: f64,
}

impl Group {
    fn new(slot: f64, bars: usize) -> Self {
        let bars = bars.max(1) as f64;
        let width = (slot * 0.72).min(bars * MAX_BAR_WIDTH);
        let gap = if bars > 1.0 {
            (width * 0.04).clamp(1.0, 4.0)
        } else {
            0.0
        };
        let bar_width = (width - gap * (bars - 1.0)) / bars;
        Group {
            offset: (slot - width) / 2.0,
            bar_width,
            gap,
        }
    }

    /// Left edge of bar `i` in a slot starting at `slot_left`.
    fn bar_left(&self, slot_left: f64, i: usize) -> f64 {
        slot_left + self.offset + i as f64 * (self.bar_width + self.gap)
    }
}

fn bar_scene(chart: &BarChart, left: f64) -> Result<(Scene, f64), ChartError> {
    let mut scene = Scene::default();
    let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
    let colors = series_colors(&labels);
    let legend: Vec<LegendEntry> = chart
        .series
        .iter()
        .zip(&colors)
        .map(|(s, &color)| LegendEntry {
            label: s.label.clone(),
            color,
            mark: Mark::Bar,
        })
        .collect();

    let count = chart.categories.len();
    let values: Vec<Vec<Option<f64>>> = (0..count).map(|c| values_of(chart, c)).collect();
    let all = values.iter().flatten().flatten().copied();
    let data = value_range(all.clone());

    let (plot_left, plot_right) = plot_span(left);
    let slot = (plot_right - plot_left) / count.max(1) as f64;
    let group = Group::new(slot, chart.series.len());
    let label_size = if slot < 56.0 { NARROW_LABEL_SIZE } else { LABEL_SIZE };
    let category_lines: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| font::wrap(&super::clean(c), label_size, slot - 6.0, MAX_LABEL_LINES))
        .collect();
    let lines_used = category_lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let band = lines_used as f64 * label_size * LINE_HEIGHT + 10.0;

    // Value labels stand upright when they fit over their bar, otherwise they turn to read upwards;
    // when bars are thinner than a line of text even that would smear, so they are left out.
    let widest = all
        .map(|v| font::text_width(&format_value(v), VALUE_SIZE))
        .fold(0.0, f64::max);
    let pitch = group.bar_width + group.gap;
    let value_labels = if widest <= pitch - 2.0 {
        ValueLabels::Upright
    } else if (font::CAP + font::DESCENT) * VALUE_SIZE <= pitch {
        ValueLabels::Vertical
    } else {
        ValueLabels::None
    };
    let label_extent = match value_labels {
        ValueLabels::Upright => (font::CAP + font::DESCENT) * VALUE_SIZE + LABEL_GAP + 2.0,
        ValueLabels::Vertical => widest + LABEL_GAP + 2.0,
        ValueLabels::None => 0.0,
    };

    let spec = FrameSpec {
        title: &chart.title,
        legend: &legend,
        left,
        bottom_band: band,
        data,
        pad: (
            label_extent,
            if data.is_some_and(|d| d.0 < 0.0) {
                label_extent
            } else {
                0.0
            },
        ),
    };
    let frame = draw_frame(&mut scene, &spec)?;
    for (c, row) in values.iter().enumerate() {
        let slot_left = frame.plot.left + c as f64 * slot;
        for (s, value) in row.iter().enumerate() {
            if let Some(v) = *value {
                draw_bar(
                    &mut scene,
                    &frame,
                    &group,
                    (group.bar_left(slot_left, s), v),
                    colors[s],
                    value_labels,
                );
            }
        }
        draw_category(
            &mut scene,
            &category_lines[c],
            (slot_left + slot / 2.0, frame.plot.bottom),
            label_size,
        );
    }
    draw_baseline(&mut scene, &frame);
    Ok((scene, frame.needed_left))
}

#[derive(Clone, Copy)]
enum ValueLabels {
    Upright,
    Vertical,
    None,
}

/// One bar from 0 to `value`, its value written beyond its end.
fn draw_bar(scene: &mut Scene, frame: &Frame, group: &Group, (x, value): (f64, f64), color: Rgb, labels: ValueLabels) {
    let (y0, y1) = (frame.axis.y(0.0, &frame.plot), frame.axis.y(value, &frame.plot));
    scene.rect((x, y0), (x + group.bar_width, y1), color);
    let center = x + group.bar_width / 2.0;
    let up = value >= 0.0;
    let label = match labels {
        ValueLabels::Upright => {
            let baseline = if up {
                y1 - LABEL_GAP
            } else {
                top_baseline(y1 + LABEL_GAP, VALUE_SIZE)
            };
            Label::new(format_value(value), (center, baseline), VALUE_SIZE, Align::Middle)
        }
        ValueLabels::Vertical => {
            // Reading upwards, the glyphs sit left of the baseline: shift it so they centre on the bar.
            let baseline_x = center + (font::CAP - font::DESCENT) / 2.0 * VALUE_SIZE;
            let (y, align) = if up {
                (y1 - LABEL_GAP, Align::Start)
            } else {
                (y1 + LABEL_GAP, Align::End)
            };
            Label {
                vertical: true,
                ..Label::new(format_value(value), (baseline_x, y), VALUE_SIZE, align)
            }
        }
        ValueLabels::None => return,
    };
    scene.labels.push(label);
}

/// A category's wrapped name, centred under its group of bars.
fn draw_category(scene: &mut Scene, lines: &[String], (center, plot_bottom): (f64, f64), size: f64) {
    for (i, line) in lines.iter().enumerate() {
        let top = plot_bottom + 8.0 + i as f64 * size * LINE_HEIGHT;
        if top < HEIGHT as f64 {
            scene.labels.push(Label::new(
                line.clone(),
                (center, top_baseline(top, size)),
                size,
                Align::Middle,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{dark_pixels, decode_png, save_example};
    use super::*;

    fn series(label: &str, values: &[Option<f64>]) -> Series {
        Series {
            label: label.into(),
            values: values.to_vec(),
        }
    }

    fn five_send() -> BarChart {
        BarChart {
            title: "五送五有（万元）".into(),
            categories: ["投入资金", "送温暖资金", "送清凉资金", "助学资金", "医疗救助资金"]
                .map(String::from)
                .to_vec(),
            series: vec![
                series("2014年", &[Some(4870.0), Some(143.5), Some(52.1), Some(88.0), None]),
                series(
                    "2015年",
                    &[Some(5051.0), Some(159.0), Some(56.819999), Some(0.0), Some(12.0)],
                ),
            ],
        }
    }

    #[test]
    fn every_drawn_character_is_in_the_font_and_rare_ones_are_reported() {
        let rendered = render_bars(&five_send()).unwrap();
        assert!(rendered.missing_glyphs.is_empty(), "{:?}", rendered.missing_glyphs);
        let mut chart = five_send();
        chart.categories[0] = "犇牛奖金".into();
        assert_eq!(render_bars(&chart).unwrap().missing_glyphs, vec!['犇']);
    }

    #[test]
    fn title_is_drawn_as_real_glyphs() {
        assert!(
            super::super::missing_glyphs("送温暖").is_empty(),
            "the font has a glyph for each character"
        );
        let chart = BarChart {
            title: "送温暖".into(),
            categories: vec![],
            series: vec![],
        };
        let (w, h, rgb) = decode_png(&render_bars(&chart).unwrap().png);
        assert_eq!((w, h), (900, 520));
        // Three 20px ideographs are a few hundred dark pixels in the title band, centred on the page;
        // without the font nothing (or three hollow boxes) would be drawn.
        let dark = dark_pixels(&rgb, w, 0..w, 10..42);
        assert!((150..1500).contains(&dark), "{dark} dark pixels in the title band");
        let left_half = dark_pixels(&rgb, w, 0..w / 2, 10..42);
        assert!(
            left_half > dark / 4 && left_half < dark * 3 / 4,
            "title not centred: {left_half} of {dark}"
        );
    }

    #[test]
    fn svg_names_the_font_stack_and_escapes_text() {
        let mut chart = five_send();
        chart.title = "<五送五有> & \"万元\"".into();
        let rendered = render_bars(&chart).unwrap();
        save_example("bars_escaped", &rendered);
        let svg = String::from_utf8(rendered.svg).unwrap();
        assert!(svg.contains(&format!("font-family=\"{}\"", font::CSS_FONT_STACK)));
        assert!(svg.contains("&lt;五送五有&gt; &amp; &quot;万元&quot;"));
        assert!(svg.contains(">\n56.82\n</text>") && svg.contains(">\n5051\n</text>") && svg.contains(">\n0\n</text>"));
        assert!(!svg.contains("56.819") && !svg.contains("5051.0"));
        assert!(svg.contains("font-size=\"12\"") && svg.contains("font-size=\"20\""));
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn same_input_same_bytes() {
        let (a, b) = (render_bars(&five_send()).unwrap(), render_bars(&five_send()).unwrap());
        assert!(a.png == b.png && a.svg == b.svg);
        save_example("bars", &a);
    }

    #[test]
    fn degenerate_inputs_render() {
        let long: Vec<String> = (1..=20).map(|i| format!("第{i}项职工服务中心建设资金投入")).collect();
        let cases = [
            BarChart {
                title: String::new(),
                categories: vec![],
                series: vec![],
            },
            BarChart {
                title: "无".into(),
                categories: vec!["甲".into()],
                series: vec![series("2015年", &[None])],
            },
            BarChart {
                title: "零".into(),
                categories: vec!["甲".into(), "乙".into()],
                series: vec![series("2015年", &[Some(0.0)])],
            },
            BarChart {
                title: "巨大\n负数".into(),
                categories: vec!["甲".into(), "乙".into(), "丙".into()],
                series: vec![
                    series("2014年", &[Some(1e9), Some(-3.5e8), Some(f64::NAN)]),
                    series("2015年", &[Some(f64::INFINITY), Some(-1.0), Some(7.0)]),
                ],
            },
            BarChart {
                title: "单项".into(),
                categories: vec!["投入资金".into()],
                series: vec![series("本年", &[Some(56.82)])],
            },
            BarChart {
                title: "二十项".into(),
                categories: long.clone(),
                series: vec![
                    series("2014年", &(1..=20).map(|i| Some(i as f64 * 371.25)).collect::<Vec<_>>()),
                    series("2015年", &(1..=20).map(|i| Some(i as f64 * 402.5)).collect::<Vec<_>>()),
                ],
            },
            BarChart {
                title: "全负".into(),
                categories: vec!["甲".into()],
                series: vec![series("2015年", &[Some(-5.0)])],
            },
            BarChart {
                title: "x".repeat(500),
                categories: vec!["".into(); 200],
                series: vec![series("", &[Some(1.0); 300])],
            },
        ];
        for (i, chart) in cases.iter().enumerate() {
            let rendered = render_bars(chart).unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(decode_png(&rendered.png).0, 900);
            save_example(&format!("bars_case{i}"), &rendered);
        }
        let absurd = BarChart {
            title: "溢出".into(),
            categories: vec!["甲".into()],
            series: vec![series("a", &[Some(f64::MAX)])],
        };
        let _ = render_bars(&absurd); // an error is fine, a panic is not
    }
}
