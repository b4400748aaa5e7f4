//! This year against last year as small multiples: one panel per metric, named by the metric with its
//! unit, each on its own scale from 0, so no two measures ever share an axis. A panel has one bar per
//! year with the figure at its end; a year with no figure is a grey note, never a bar.

use super::font::text_width;
use super::frame::draw_title;
use super::scene::{Align, Label, Scene};
use super::style::{AXIS, CURRENT, GRID, LABEL, LINE_HEIGHT, MARGIN, MUTED, PAGE_WIDTH, PREVIOUS, SMALL};
use super::text::{clean, ellipsize, middle_baseline, top_baseline, wrap};
use super::{render, ChartError, Rendered};

#[derive(Debug, Clone, PartialEq)]
pub struct CompareChart {
    pub title: String,
    /// The years, earliest first, e.g. ["2014年", "2015年"]: the last is this year, drawn strong.
    pub series: Vec<String>,
    pub panels: Vec<Panel>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The metric and the unit its figures are in, e.g. "送健身器材·投入资金（万元）".
    pub title: String,
    /// One per series.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A figure (never negative in this data; a negative one is drawn as an empty bar) and how it is written.
    Bar { value: f64, label: String },
    /// No figure: a word in its place, e.g. "未统计".
    Note(String),
}

const COLUMN_GAP: f64 = 48.0;
const PANEL_GAP: f64 = 22.0;
const ROW: f64 = 44.0;
const BAR: f64 = 28.0;
const YEAR_GAP: f64 = 12.0;
const FIGURE_GAP: f64 = 10.0;

pub fn render_compare(chart: &CompareChart) -> Result<Rendered, ChartError> {
    render(&compare_scene(chart))
}

fn compare_scene(chart: &CompareChart) -> Scene {
    let mut scene = Scene::new(PAGE_WIDTH);
    let width = PAGE_WIDTH as f64;
    let mut top = draw_title(&mut scene, &chart.title, MARGIN) + 16.0;
    if chart.panels.is_empty() {
        let label = Label::new("无数据", (width / 2.0, top_baseline(top, LABEL)), LABEL, Align::Middle);
        scene.text(label.colored(MUTED));
        return scene.finish(top + LABEL, MARGIN);
    }
    let columns = if chart.panels.len() == 1 { 1 } else { 2 };
    let panel_w = (width - 2.0 * MARGIN - (columns - 1) as f64 * COLUMN_GAP) / columns as f64;
    let years: Vec<String> = chart
        .series
        .iter()
        .map(|s| ellipsize(&clean(s), SMALL, panel_w / 4.0))
        .collect();
    let year_w = years.iter().map(|y| text_width(y, SMALL)).fold(0.0, f64::max);

    for (r, row) in chart.panels.chunks(columns).enumerate() {
        if r > 0 {
            scene.rect(
                (MARGIN, top - PANEL_GAP / 2.0 - 1.0),
                (width - MARGIN, top - PANEL_GAP / 2.0 + 1.0),
                GRID,
            );
        }
        let titles: Vec<Vec<String>> = row.iter().map(|p| wrap(&clean(&p.title), LABEL, panel_w, 2)).collect();
        let title_h = titles.iter().map(Vec::len).max().unwrap_or(1) as f64 * LABEL * LINE_HEIGHT;
        for (c, (panel, title)) in row.iter().zip(&titles).enumerate() {
            let left = MARGIN + c as f64 * (panel_w + COLUMN_GAP);
            for (i, line) in title.iter().enumerate() {
                let baseline = top_baseline(top + i as f64 * LABEL * LINE_HEIGHT, LABEL);
                scene.text(Label::new(line.clone(), (left, baseline), LABEL, Align::Start));
            }
            let bars = Bars {
                left: left + year_w + YEAR_GAP,
                right: left + panel_w,
                top: top + title_h + 4.0,
            };
            draw_panel(&mut scene, panel, &years, (left + year_w, &bars));
        }
        top += title_h + 4.0 + ROW * chart.series.len() as f64 + PANEL_GAP;
    }
    scene.finish(top - PANEL_GAP, MARGIN)
}

/// Where a panel's bars go: from `left` (value 0) to `right`, rows from `top` down.
struct Bars {
    left: f64,
    right: f64,
    top: f64,
}

fn draw_panel(scene: &mut Scene, panel: &Panel, years: &[String], (years_right, bars): (f64, &Bars)) {
    let label = |cell: &Cell| match cell {
        Cell::Bar { label, .. } | Cell::Note(label) => clean(label),
    };
    // The panel's own scale: the largest bar with its figure just fits.
    let per_unit = panel
        .cells
        .iter()
        .filter_map(|c| match c {
            Cell::Bar { value, .. } if value.is_finite() && *value > 0.0 => {
                let room = bars.right - bars.left - FIGURE_GAP - text_width(&label(c), LABEL);
                Some(room.max(0.0) / value)
            }
            _ => None,
        })
        .fold(f64::INFINITY, f64::min);
    let last = years.len().saturating_sub(1);
    for (s, year) in years.iter().enumerate() {
        let Some(cell) = panel.cells.get(s) else { continue };
        let mid = bars.top + ROW * (s as f64 + 0.5);
        let baseline = middle_baseline(mid, SMALL);
        scene.text(Label::new(year.clone(), (years_right, baseline), SMALL, Align::End).colored(MUTED));
        match cell {
            Cell::Bar { value, .. } => {
                let length = if value.is_finite() && *value > 0.0 && per_unit.is_finite() {
                    value * per_unit
                } else {
                    0.0
                };
                if length >= 0.5 {
                    let color = if s == last { CURRENT } else { PREVIOUS };
                    scene.rect(
                        (bars.left, mid - BAR / 2.0),
                        (bars.left + length, mid + BAR / 2.0),
                        color,
                    );
                }
                let anchor = (bars.left + length + FIGURE_GAP, middle_baseline(mid, LABEL));
                let text = ellipsize(&label(cell), LABEL, bars.right - anchor.0 + 1.0);
                scene.text(Label::new(text, anchor, LABEL, Align::Start));
            }
            Cell::Note(_) => {
                let text = ellipsize(&label(cell), SMALL, bars.right - bars.left - FIGURE_GAP);
                scene.text(Label::new(text, (bars.left + FIGURE_GAP, baseline), SMALL, Align::Start).colored(MUTED));
            }
        }
    }
    let rows_bottom = bars.top + ROW * years.len() as f64;
    scene.rect((bars.left - 2.0, bars.top + 4.0), (bars.left, rows_bottom - 4.0), AXIS);
}

#[cfg(test)]
mod tests {
    use super::super::style::{CURRENT, PREVIOUS};
    use super::super::tests::{assert_printable, decode_png, save_example, svg_rects, svg_texts};
    use super::*;

    fn bar(value: f64, label: &str) -> Cell {
        Cell::Bar {
            value,
            label: label.into(),
        }
    }

    fn panel(title: &str, cells: Vec<Cell>) -> Panel {
        Panel {
            title: title.into(),
            cells,
        }
    }

    fn hex(c: super::super::style::Rgb) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    fn service() -> CompareChart {
        CompareChart {
            title: "服务中心工作各项指标（2015年与2014年）".into(),
            series: vec!["2014年".into(), "2015年".into()],
            panels: vec![
                panel(
                    "帮企业稳增长促振兴·协调资金（亿元）",
                    vec![Cell::Note("未统计".into()), bar(5.051, "5.051")],
                ),
                panel(
                    "帮企业稳增长促振兴·组建科技联盟或技术合作组织（个）",
                    vec![bar(4.0, "4"), bar(6.0, "6")],
                ),
                panel(
                    "建功立业劳动竞赛·推荐参评省级以上先进个人（名）",
                    vec![bar(11.0, "11"), bar(13.0, "13")],
                ),
                panel("服务振兴献良策·计策文章（篇）", vec![bar(0.0, "0"), bar(329.0, "329")]),
                panel("劳模创新工作室（个）", vec![bar(6.0, "6"), bar(10.0, "10")]),
            ],
        }
    }

    #[test]
    fn one_bar_per_figure_and_none_for_a_missing_year() {
        let rendered = render_compare(&service()).unwrap();
        save_example("compare", &rendered);
        assert_printable(&rendered);
        assert!(rendered.missing_glyphs.is_empty(), "{:?}", rendered.missing_glyphs);
        assert_eq!(svg_rects(&rendered.svg, &hex(CURRENT)), 5);
        assert_eq!(
            svg_rects(&rendered.svg, &hex(PREVIOUS)),
            3,
            "no bar for 未统计, none for 0"
        );
        let texts: Vec<String> = svg_texts(&rendered.svg).into_iter().map(|t| t.1).collect();
        for text in ["劳模创新工作室（个）", "5.051", "未统计", "2014年", "0"] {
            assert!(texts.iter().any(|t| t == text), "{text} missing from {texts:?}");
        }
    }

    #[test]
    fn panels_keep_their_own_scale() {
        let scene = compare_scene(&service());
        let widest_bar = |color| {
            scene
                .shapes
                .iter()
                .filter_map(|s| match s {
                    super::super::scene::Shape::Rect { x0, x1, color: c, .. } if *c == color => Some((x1 - x0).abs()),
                    _ => None,
                })
                .collect::<Vec<f64>>()
        };
        // 5.051 (亿元) and 6 (个) are each the largest of their panel: both bars are about as long.
        let current = widest_bar(CURRENT);
        assert!((current[0] - current[1]).abs() < 80.0, "{current:?}");
    }

    #[test]
    fn degenerate_inputs_render() {
        let cases = [
            CompareChart {
                title: String::new(),
                series: vec![],
                panels: vec![],
            },
            CompareChart {
                title: "单项".into(),
                series: vec!["2015年".into()],
                panels: vec![panel("投入资金（万元）", vec![bar(56.82, "56.82")])],
            },
            CompareChart {
                title: "怪值".into(),
                series: vec!["2014年".into(), "2015年".into(), "多余".into()],
                panels: vec![
                    panel("负数", vec![bar(-3.0, "-3"), bar(f64::NAN, "—")]),
                    panel("", vec![]),
                    panel(
                        &"很长".repeat(60),
                        vec![bar(1e300, &"9".repeat(80)), bar(f64::INFINITY, "—")],
                    ),
                ],
            },
        ];
        for (i, chart) in cases.iter().enumerate() {
            let rendered = render_compare(chart).unwrap_or_else(|e| panic!("case {i}: {e}"));
            assert_eq!(decode_png(&rendered.png).0, PAGE_WIDTH);
            assert_printable(&rendered);
            save_example(&format!("compare_case{i}"), &rendered);
        }
    }
}
