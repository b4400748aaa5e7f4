//! What a receipt says: the unit and its file, the status, the problems
//! to fix (each at its cell) and every figure as counted, laid out on the
//! 回执 sheet.

use chrono::Datelike;
use zip::result::ZipResult;

use super::package::{xlsx, Properties};
use super::sheet::{Sheet, Style};
use super::ReceiptContext;
use crate::aggregate::Span;
use crate::catalogue::Aggregate;
use crate::diag::Severity;
use crate::validate::{Status, Submission};

/// Months are columns D..O of the figures table and 全年 is P, the last.
const LAST_COL: u16 = 15;

/// The receipt of `unit` for its submission `s`; `superseded` are the
/// unit's other files.
pub fn receipt(
    ctx: &ReceiptContext<'_>,
    unit: usize,
    status: Status,
    s: &Submission,
    superseded: &[&str],
) -> ZipResult<Vec<u8>> {
    let (reading, catalogue) = (ctx.reading, ctx.catalogue);
    let u = &ctx.registry.units[unit];
    let mut ws = Sheet::new();
    let title = format!("{}{}报表回执", catalogue.organisation, ctx.period_title);
    ws.row(0);
    ws.merged(0, LAST_COL, &title, Style::Title);

    let counted = matches!(status, Status::Reported | Status::Late);
    let status_text = match status {
        Status::ToCorrect => "待更正：报表有错误，本次未计入，请改正后重新报送（填报日期写更正当天）".to_owned(),
        Status::Late => format!(
            "已计入，但只填报到{}月（逾期）",
            s.info.filled_through.map_or("?".into(), |m| m.to_string())
        ),
        _ => "已计入".to_owned(),
    };
    let info: [(&str, String); 8] = [
        ("单位", format!("{} {}", u.code, u.name)),
        ("报送期间", ctx.period_title.clone()),
        ("状态", status_text),
        (if counted { "计入的文件" } else { "报送的文件" }, s.file.clone()),
        (
            "填报日期",
            s.info
                .filed_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ),
        ("文件校验码", s.sha256.chars().take(12).collect()),
        (
            "被取代的文件",
            if superseded.is_empty() {
                "无".into()
            } else {
                superseded.join("；")
            },
        ),
        (
            "填报人 / 联系电话",
            format!(
                "{} {}",
                s.info.filer.as_deref().unwrap_or(""),
                s.info.phone.as_deref().unwrap_or("")
            ),
        ),
    ];
    let mut row = 2u32;
    for (label, value) in info {
        ws.row(row);
        ws.text(0, label, Style::Label);
        ws.merged(1, LAST_COL, &value, Style::Text);
        row += 1;
    }

    row += 1;
    row = problems(&mut ws, row, s);
    row += 1;
    row = figures(&mut ws, row, ctx, s, counted);

    let office = &catalogue.office;
    if !office.contact.is_empty() || !office.phone.is_empty() {
        row += 1;
        let text = format!(
            "如有疑问，请联系{}{}。",
            office.contact,
            if office.phone.is_empty() {
                String::new()
            } else {
                format!("，电话 {}", office.phone)
            }
        );
        ws.row(row);
        ws.merged(0, LAST_COL, &text, Style::Note);
    }
    // Dated by the data, never the clock: the same input gives the same bytes.
    let created = s
        .info
        .filed_on
        .map_or((reading.year, 1, 1), |d| (d.year(), d.month(), d.day()));
    let title = format!("{}回执", u.name);
    let properties = Properties {
        title: &title,
        author: &catalogue.organisation,
        created,
    };
    xlsx(ws, &properties)
}

/// The errors and warnings of the file, each at its cell.
fn problems(ws: &mut Sheet, mut row: u32, s: &Submission) -> u32 {
    let list: Vec<_> = s.diagnostics.iter().filter(|d| d.severity != Severity::Note).collect();
    ws.row(row);
    ws.text(0, "需要处理的问题", Style::Label);
    if list.is_empty() {
        ws.merged(1, LAST_COL, "没有需要更正的问题。", Style::Text);
        return row + 1;
    }
    row += 1;
    ws.row(row);
    ws.text(0, "类别", Style::Header);
    ws.text(1, "位置", Style::Header);
    ws.merged(2, LAST_COL, "说明", Style::Header);
    for d in list {
        row += 1;
        let (kind, style) = if d.severity == Severity::Error {
            ("错误（须改正）", Style::Error)
        } else {
            ("警告（请核实）", Style::Text)
        };
        let place = match (&d.sheet, d.cell) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{}", cell.a1()),
            (Some(sheet), None) => sheet.clone(),
            _ => "整个文件".to_owned(),
        };
        // A line of about 90 characters across C..P; longer messages wrap.
        ws.tall_row(row, 15.0 * (1.0 + (d.message.chars().count() / 90) as f64));
        ws.text(0, kind, style);
        ws.text(1, &place, Style::Text);
        ws.merged(2, LAST_COL, &d.message, style);
    }
    row + 1
}

/// Every figure of the file, metric × month and 全年 as counted.
fn figures(ws: &mut Sheet, mut row: u32, ctx: &ReceiptContext<'_>, s: &Submission, counted: bool) -> u32 {
    let heading = if counted {
        "计入的数字"
    } else {
        "读到的数字（本次未计入）"
    };
    ws.row(row);
    ws.text(0, heading, Style::Label);
    row += 1;
    ws.row(row);
    for (c, h) in ["项目", "指标", "单位"].into_iter().enumerate() {
        ws.text(c as u16, h, Style::Header);
    }
    for m in 1..=12u16 {
        ws.text(2 + m, &format!("{m}月"), Style::Header);
    }
    ws.text(LAST_COL, "全年", Style::Header);
    let catalogue = ctx.catalogue;
    for (i, metric) in catalogue.metrics.iter().enumerate() {
        let cells: Vec<_> = s
            .figures
            .iter()
            .filter(|f| f.metric as usize == i)
            .filter(|f| match ctx.span {
                Span::Year => true,
                Span::Through(m) => f.month.is_some_and(|month| month <= m),
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        row += 1;
        let number = Style::Number(metric.decimals.min(6) as u8);
        ws.row(row);
        ws.text(0, &catalogue.programmes[metric.programme].name, Style::Text);
        ws.text(1, &metric.name, Style::Text);
        ws.text(2, &metric.unit, Style::Text);
        for m in 1..=12u8 {
            match cells.iter().find(|f| f.month == Some(m)) {
                Some(f) => ws.number(2 + u16::from(m), f.value, number),
                None => ws.blank(2 + u16::from(m), Style::Text),
            }
        }
        let year = match metric.aggregate {
            Aggregate::Sum => cells.iter().map(|f| f.value).sum(),
            Aggregate::Last => cells
                .iter()
                .max_by_key(|f| f.month.map_or(0, i32::from))
                .map_or(0.0, |f| f.value),
        };
        ws.number(LAST_COL, year, number);
    }
    row + 1
}
