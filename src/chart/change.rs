//! The 同比 chart: each metric's change on last year in %, one horizontal bar per metric sorted from the
//! largest rise to the largest fall, the metric named on the left and its figure at the bar's end, red
//! for a rise and green for a fall. Metrics with nothing to compare against follow as text rows
//! ("新增", "上年未统计"): never a bar, never ±∞.

use super::axis::nice_step;
use super::font::text_width;
use super::frame::draw_title;
use super::scene::{Align, Label, Scene};
use super::style::{AXIS, FALL, GRID, LABEL, LINE_HEIGHT, MARGIN, MUTED, PAGE_WIDTH, RISE, SMALL};
use super::text::{clean, middle_baseline, top_baseline, wrap};
use super::{render, ChartError, Rendered};

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeChart {
    pub title: String,
    pub rows: Vec<ChangeRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// What the metric is, e.g. "送健身器材·投入资金".
    pub name: String,
    pub change: Change,
    /// The figure as the report writes it: "+31%", "-5.2%", "新增", "上年未统计".
    pub label: String,
}

/// A metric's change on last year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Like for like, in %.
    Pct(f64),
    /// Nothing last year, something this year.
    New,
    /// No comparable figure last year.
    NotCounted,
}

/// The names take at most this share of the width.
const NAME_SHARE: f64 = 0.45;
const NAME_GAP: f64 = 24.0;
const BAR: f64 = 30.0;
/// Space above and below a row's text.
const ROW_PAD: f64 = 14.0;
/// Between a bar's end and its figure.
const FIGURE_GAP: f64 = 12.0;
/// The bars' scale spans at least this many percentage points, so a rise of 3% is not a full-width bar.
const MIN_SPAN: f64 = 20.0;

pub fn render_change(chart: &ChangeChart) -> Result<Rendered, ChartError> {
    render(&change_scene(chart))
}

/// Bars first, from the largest rise to the largest fall; then 新增, then the rest, each in input order.
fn sorted(rows: &[ChangeRow]) -> Vec<&ChangeRow> {
    let rank = |r: &ChangeRow| match r.change {
        Change::Pct(p) if p.is_finite() => (0, -p),
        Change::New => (1, 0.0),
        _ => (2, 0.0),
    };
    let mut rows: Vec<&ChangeRow> = rows.iter().collect();
    rows.sort_by(|a, b| rank(a).partial_cmp(&rank(b)).unwrap_or(std::cmp::Ordering::Equal));
    rows
}

fn bar_value(row: &ChangeRow) -> Option<f64> {
    match row.change {
        Change::Pct(p) if p.is_finite() => Some(p),
        _ => None,
    }
}

fn change_scene(chart: &ChangeChart) -> Scene {
    let mut scene = Scene::new(PAGE_WIDTH);
    let width = PAGE_WIDTH as f64;
    let rows_top = draw_title(&mut scene, &chart.title, MARGIN) + 20.0;
    let rows = sorted(&chart.rows);
    if rows.is_empty() {
        let label = Label::new(
            "无数据",
            (width / 2.0, top_baseline(rows_top, LABEL)),
            LABEL,
            Align::Middle,
        );
        scene.text(label.colored(MUTED));
        return scene.finish(rows_top + LABEL, MARGIN);
    }

    let name_max = (width - 2.0 * MARGIN) * NAME_SHARE;
    let names: Vec<Vec<String>> = rows.iter().map(|r| wrap(&clean(&r.name), LABEL, name_max, 2)).collect();
    let name_w = names.iter().flatten().map(|l| text_width(l, LABEL)).fold(0.0, f64::max);
    let names_right = MARGIN + name_w;
    let plot = (names_right + NAME_GAP, width - MARGIN);

    let bars: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| bar_value(r).map(|v| (v, text_width(&clean(&r.label), LABEL) + FIGURE_GAP)))
        .collect();
    let texts: Vec<f64> = rows
        .iter()
        .filter(|r| bar_value(r).is_none())
        .map(|r| text_width(&clean(&r.label), LABEL) + FIGURE_GAP)
        .collect();
    let (zero, per_point) = fit_scale(&bars, &texts, plot);

    let heights: Vec<f64> = names
        .iter()
        .map(|lines| (lines.len().max(1) as f64 * LABEL * LINE_HEIGHT).max(BAR) + 2.0 * ROW_PAD)
        .collect();
    let rows_bottom = rows_top + heights.iter().sum::<f64>();
    // A scale only where there are bars to read against it.
    let ticks_bottom = match bars.is_empty() {
        true => rows_bottom,
        false => draw_grid(&mut scene, (zero, per_point), plot, (rows_top, rows_bottom)),
    };

    let mut top = rows_top;
    for ((row, lines), height) in rows.iter().zip(&names).zip(&heights) {
        let mid = top + height / 2.0;
        let first = mid - (lines.len() as f64 - 1.0) * LABEL * LINE_HEIGHT / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let baseline = middle_baseline(first + i as f64 * LABEL * LINE_HEIGHT, LABEL);
            scene.text(Label::new(line.clone(), (names_right, baseline), LABEL, Align::End));
        }
        let label = clean(&row.label);
        let baseline = middle_baseline(mid, LABEL);
        match bar_value(row) {
            Some(v) => {
                let end = zero + v * per_point;
                if end != zero {
                    let color = if v > 0.0 { RISE } else { FALL };
                    scene.rect((zero, mid - BAR / 2.0), (end, mid + BAR / 2.0), color);
                }
                let (x, align) = if v < 0.0 {
                    (end - FIGURE_GAP, Align::End)
                } else {
                    (end + FIGURE_GAP, Align::Start)
                };
                scene.text(Label::new(label, (x, baseline), LABEL, align));
            }
            None => {
                let text = Label::new(label, (zero + FIGURE_GAP, baseline), LABEL, Align::Start);
                scene.text(text.colored(MUTED));
            }
        }
        top += height;
    }
    // The zero line, over the bars' feet.
    scene.rect((zero - 1.0, rows_top - 6.0), (zero + 1.0, rows_bottom + 6.0), AXIS);
    scene.finish(ticks_bottom, MARGIN)
}

/// Where 0 % lies and how many pixels one percentage point takes: the largest scale at which every bar
/// and its figure (and every text row, which starts at 0) fits between `left` and `right`.
fn fit_scale(bars: &[(f64, f64)], texts: &[f64], (left, right): (f64, f64)) -> (f64, f64) {
    let zero_at = |k: f64| {
        let below = bars
            .iter()
            .filter(|b| b.0 < 0.0)
            .map(|&(v, w)| -v * k + w)
            .fold(0.0, f64::max);
        left + below
    };
    let fits = |k: f64| {
        let above = bars
            .iter()
            .filter(|b| b.0 >= 0.0)
            .map(|&(v, w)| v * k + w)
            .chain(texts.iter().copied())
            .fold(0.0, f64::max);
        zero_at(k) + above <= right
    };
    let largest = bars.iter().map(|b| b.0.abs()).fold(0.0, f64::max);
    let mut hi = (right - left).max(0.0) / largest.max(MIN_SPAN);
    if !fits(hi) {
        let mut lo = 0.0;
        for _ in 0..50 {
            let k = (lo + hi) / 2.0;
            if fits(k) {
                lo = k;
            } else {
                hi = k;
            }
        }
        hi = lo;
    }
    (zero_at(hi).min(right), hi)
}

/// Light vertical lines at round percentages, labelled under the rows. Returns the labels' bottom edge.
fn draw_grid(
    scene: &mut Scene,
    (zero, per_point): (f64, f64),
    (left, right): (f64, f64),
    (top, bottom): (f64, f64),
) -> f64 {
    if per_point <= 0.0 {
        return bottom;
    }
    let (lo, hi) = ((left - zero) / per_point, (right - zero) / per_point);
    let step = nice_step((hi - lo) / 6.0);
    let mut last_right = f64::NEG_INFINITY;
    let label_top = bottom + 12.0;
    let mut i = (lo / step).ceil() as i64;
    while (i as f64) * step <= hi {
        let value = i as f64 * step;
        let x = (zero + value * per_point).round();
        i += 1;
        let text = format!("{}%", super::axis::trim_zeros(&format!("{value:.1}")));
        let half = text_width(&text, SMALL) / 2.0;
        if x - half < last_right + 16.0 || x + half > scene.width as f64 - 4.0 || x - half < 4.0 {
            continue;
        }
        if value != 0.0 {
            scene.rect((x - 1.0, top - 6.0), (x + 1.0, bottom + 6.0), GRID);
        }
        let label = Label::new(text, (x, top_baseline(label_top, SMALL)), SMALL, Align::Middle);
        scene.text(label.colored(MUTED));
        last_right = x + half;
    }
    label_top + SMALL * LINE_HEIGHT
}

#[cfg(test)]
mod tests {
    use super::super::release_canvases;
    use super::super::style::{FALL, RISE};
    use super::super::tests::{assert_printable, decode_png, save_example, svg_rects, svg_texts};
    use super::*;

    fn row(name: &str, change: Change, label: &str) -> ChangeRow {
        ChangeRow {
            name: name.into(),
            change,
            label: label.into(),
        }
    }

    fn five_send() -> ChangeChart {
        ChangeChart {
            title: "五送五有各项同比变化（2015年比2014年）".into(),
            rows: vec![
                row("送报刊·投入资金", Change::Pct(17.79), "+17.8%"),
                row("送健身器材·投入资金", Change::Pct(31.0), "+31%"),
                row("单身职工联谊·联谊活动", Change::Pct(0.0), "0%"),
                row("送温暖·帮扶困难职工", Change::Pct(-5.2), "-5.2%"),
                row("送助学·资助学生", Change::New, "新增"),
                row("单身职工联谊·现场牵手", Change::NotCounted, "上年未统计"),
                row("送健身器材·健身器材", Change::Pct(20.45), "+20.5%"),
            ],
        }
    }

    fn hex(c: super::super::style::Rgb) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn bars_are_sorted_by_change_and_text_rows_follow() {
        let chart = five_send();
        let order: Vec<&str> = sorted(&chart.rows).iter().map(|r| r.label.as_str()).collect();
        assert_eq!(order, ["+31%", "+20.5%", "+17.8%", "0%", "-5.2%", "新增", "上年未统计"]);
    }

    #[test]
    fn rises_and_falls_are_bars_and_the_rest_is_text() {
        let rendered = render_change(&five_send()).unwrap();
        save_example("change", &rendered);
        assert_printable(&rendered);
        assert!(rendered.missing_glyphs.is_empty(), "{:?}", rendered.missing_glyphs);
        assert_eq!(svg_rects(&rendered.svg, &hex(RISE)), 3, "three rises");
        assert_eq!(
            svg_rects(&rendered.svg, &hex(FALL)),
            1,
            "one fall; 0%, 新增 and 上年未统计 have none"
        );
        let texts: Vec<String> = svg_texts(&rendered.svg).into_iter().map(|t| t.1).collect();
        for text in ["送健身器材·投入资金", "+31%", "-5.2%", "新增", "上年未统计", "0%"] {
            assert!(texts.iter().any(|t| t == text), "{text} missing from {texts:?}");
        }
    }

    #[test]
    fn a_chart_drawn_after_another_on_its_canvas_is_drawn_as_on_a_fresh_one() {
        let small = ChangeChart {
            title: "小".into(),
            rows: vec![row("帮扶企业", Change::Pct(-5.0), "-5%")],
        };
        release_canvases();
        let fresh = render_change(&small).unwrap().png;
        render_change(&five_send()).unwrap();
        assert_eq!(
            render_change(&small).unwrap().png,
            fresh,
            "nothing of the taller chart left"
        );
    }

    #[test]
    fn figures_stay_inside_the_page() {
        let rows: Vec<ChangeRow> = [-95.0, 480.0, 3.0]
            .iter()
            .map(|&p| row("组建科技联盟或技术合作组织", Change::Pct(p), &format!("{p:+}%")))
            .collect();
        let scene = change_scene(&ChangeChart {
            title: "极端".into(),
            rows,
        });
        for label in &scene.labels {
            let b = super::super::text::text_box(label);
            assert!(
                b.left >= 0.0 && b.right <= scene.width as f64,
                "{} at {:?}",
                label.text,
                b
            );
        }
    }

    #[test]
    fn rows_without_bars_get_no_scale() {
        let rows = vec![
            row("帮扶企业", Change::New, "新增"),
            row("发布信息", Change::NotCounted, "上年未统计"),
        ];
        let scene = change_scene(&ChangeChart {
            title: "新项目".into(),
            rows,
        });
        let texts: Vec<&str> = scene.labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["新项目", "帮扶企业", "新增", "发布信息", "上年未统计"]);
    }

    #[test]
    fn a_small_change_is_not_a_full_width_bar() {
        let (zero, per_point) = fit_scale(&[(3.0, 60.0)], &[], (100.0, 1100.0));
        assert_eq!(zero, 100.0);
        assert!(3.0 * per_point <= 1000.0 * 3.0 / MIN_SPAN + 1e-9);
    }

    #[test]
    fn degenerate_inputs_render() {
        let cases = [
            ChangeChart {
                title: String::new(),
                rows: vec![],
            },
            ChangeChart {
                title: "只有文字".into(),
                rows: vec![
                    row("甲", Change::New, "新增"),
                    row("乙", Change::NotCounted, "上年未统计"),
                ],
            },
            ChangeChart {
                title: "非数".into(),
                rows: vec![
                    row("甲", Change::Pct(f64::NAN), "—"),
                    row("乙", Change::Pct(f64::INFINITY), "—"),
                    row("丙\n丁", Change::Pct(-100.0), "-100%"),
                ],
            },
            ChangeChart {
                title: "x".repeat(300),
                rows: (0..40)
                    .map(|i| row(&"很长的名字".repeat(i % 7), Change::Pct(i as f64 - 20.0), "x"))
                    .collect(),
            },
        ];
        for (i, chart) in cases.iter().enumerate() {
            let rendered = render_change(chart).unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(decode_png(&rendered.png).0, PAGE_WIDTH);
            assert_printable(&rendered);
            save_example(&format!("change_case{i}"), &rendered);
        }
    }
}
