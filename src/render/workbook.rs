//! tables/summary.xlsx: the four tables as formatted sheets for Excel users
//! (Chinese headers, frozen header row, number formats, column widths).
//! Text is always written as text, so a name like `=HYPERLINK(…)` can never
//! become a formula.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::aggregate::Aggregates;
use crate::catalogue::Catalogue;
use crate::number::{rounded, PCT_DECIMALS};
use crate::registry::Registry;
use crate::validate::YearReading;

use super::tables::unit_rows;

struct Styles {
    header: Format,
    text: Format,
    pct: Format,
    by_decimals: Vec<Format>,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name("Microsoft YaHei").set_font_size(10);
        let number = |pattern: &str| base.clone().set_num_format(pattern);
        Styles {
            header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E2F3))
                .set_border_bottom(FormatBorder::Thin),
            text: base.clone(),
            pct: number("0.0"),
            by_decimals: (0..=6)
                .map(|d| {
                    number(&if d == 0 {
                        "#,##0".to_owned()
                    } else {
                        format!("#,##0.{}", "0".repeat(d))
                    })
                })
                .collect(),
        }
    }

    fn number(&self, decimals: u32) -> &Format {
        &self.by_decimals[(decimals as usize).min(6)]
    }
}

/// One sheet: header row, widths, frozen header.
fn sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    headers: &[(&str, f64)],
    s: &Styles,
) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &s.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// A number cell holding the value metrics.csv writes (rounded by
/// [`crate::number`] at `decimals`); empty for none.
fn put_opt(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, decimals: u32, f: &Format) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, rounded(v, decimals), f)?;
    }
    Ok(())
}

pub fn summary_xlsx(
    reading: &YearReading,
    agg: &Aggregates,
    catalogue: &Catalogue,
    registry: &Registry,
) -> Result<Vec<u8>, XlsxError> {
    let s = Styles::new();
    let mut book = Workbook::new();
    // A fixed creation time: the same input gives the same bytes.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&epoch)
            .set_title(&catalogue.title),
    );

    let ws = sheet(
        &mut book,
        "指标汇总",
        &[
            ("指标代码", 18.0),
            ("项目", 16.0),
            ("指标", 18.0),
            ("计量单位", 9.0),
            ("合计", 12.0),
            ("填报单位数", 10.0),
            ("上年", 12.0),
            ("同比(%)", 9.0),
            ("目标", 12.0),
            ("完成目标(%)", 11.0),
            ("可比单位数", 10.0),
            ("可比口径本年", 12.0),
            ("可比口径上年", 12.0),
        ],
        &s,
    )?;
    for (i, m) in agg.metrics.iter().enumerate() {
        let r = i as u32 + 1;
        let metric = &catalogue.metrics[m.metric];
        let (d, nf) = (metric.decimals, s.number(metric.decimals));
        ws.write_string_with_format(r, 0, &metric.id, &s.text)?;
        ws.write_string_with_format(r, 1, &catalogue.programmes[metric.programme].name, &s.text)?;
        ws.write_string_with_format(r, 2, &metric.name, &s.text)?;
        ws.write_string_with_format(r, 3, &metric.unit, &s.text)?;
        put_opt(ws, r, 4, Some(m.total), d, nf)?;
        ws.write_number_with_format(r, 5, m.units_reporting as f64, s.number(0))?;
        put_opt(ws, r, 6, m.previous, d, nf)?;
        put_opt(ws, r, 7, m.yoy_pct, PCT_DECIMALS, &s.pct)?;
        put_opt(ws, r, 8, m.target, d, nf)?;
        put_opt(ws, r, 9, m.target_pct, PCT_DECIMALS, &s.pct)?;
        put_opt(ws, r, 10, m.comparable_units.map(f64::from), 0, s.number(0))?;
        put_opt(ws, r, 11, m.comparable_total, d, nf)?;
        put_opt(ws, r, 12, m.comparable_previous, d, nf)?;
    }

    let ws = sheet(
        &mut book,
        "单位明细",
        &[
            ("单位代码", 10.0),
            ("单位名称", 28.0),
            ("指标代码", 18.0),
            ("指标", 18.0),
            ("计量单位", 9.0),
            ("合计", 12.0),
        ],
        &s,
    )?;
    for (i, (unit, t)) in unit_rows(agg, registry).into_iter().enumerate() {
        let r = i as u32 + 1;
        let metric = &catalogue.metrics[t.metric];
        ws.write_string_with_format(r, 0, &unit.code, &s.text)?;
        ws.write_string_with_format(r, 1, &unit.name, &s.text)?;
        ws.write_string_with_format(r, 2, &metric.id, &s.text)?;
        ws.write_string_with_format(r, 3, &metric.name, &s.text)?;
        ws.write_string_with_format(r, 4, &metric.unit, &s.text)?;
        put_opt(ws, r, 5, Some(t.total), metric.decimals, s.number(metric.decimals))?;
    }

    let ws = sheet(
        &mut book,
        "月度",
        &[("指标代码", 18.0), ("指标", 18.0), ("月份", 6.0), ("合计", 12.0)],
        &s,
    )?;
    for (i, m) in agg.months.iter().enumerate() {
        let r = i as u32 + 1;
        let metric = &catalogue.metrics[m.metric];
        ws.write_string_with_format(r, 0, &metric.id, &s.text)?;
        ws.write_string_with_format(r, 1, &metric.name, &s.text)?;
        ws.write_number_with_format(r, 2, m.month as f64, s.number(0))?;
        put_opt(ws, r, 3, m.total, metric.decimals, s.number(metric.decimals))?;
    }

    let ws = sheet(
        &mut book,
        "报送情况",
        &[
            ("单位代码", 10.0),
            ("单位名称", 28.0),
            ("状态", 8.0),
            ("文件", 36.0),
            ("截至月份", 9.0),
            ("填报日期", 12.0),
        ],
        &s,
    )?;
    for (i, u) in reading.selection.units.iter().enumerate() {
        let r = i as u32 + 1;
        let unit = &registry.units[u.unit];
        ws.write_string_with_format(r, 0, &unit.code, &s.text)?;
        ws.write_string_with_format(r, 1, &unit.name, &s.text)?;
        ws.write_string_with_format(r, 2, u.status.label(), &s.text)?;
        let file = u
            .submission
            .map(|i| reading.submissions[i].file.as_str())
            .unwrap_or_default();
        ws.write_string_with_format(r, 3, file, &s.text)?;
        put_opt(ws, r, 4, u.filled_through.map(f64::from), 0, s.number(0))?;
        let filed = u.filed_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        ws.write_string_with_format(r, 5, &filed, &s.text)?;
    }
    book.save_to_buffer()
}
