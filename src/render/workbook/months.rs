//! Sheet 月度: metrics as rows, months 1–12 as columns (a level metric
//! shows its month-end level; months after a snapshot's month are blank).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::sheet::Sheet;
use super::style::{Cell, Styles};
use super::Sources;

pub fn write(ws: &mut Worksheet, src: &Sources, styles: &Styles, title: &str) -> Result<(), XlsxError> {
    let catalogue = src.catalogue;
    let mut sheet = Sheet::new(ws, "月度", styles)?;
    let month_label = |m: u8| format!("{m}月");
    let mut headers: Vec<String> = ["项目", "指标", "计量单位"].map(String::from).to_vec();
    headers.extend((1..=12).map(month_label));
    headers.push("指标代码".into());
    for (c, h) in headers.iter().enumerate() {
        sheet.header(0, c as u16, h)?;
    }
    let code_col = headers.len() as u16 - 1;

    let metrics = catalogue.programmes.iter().flat_map(|p| p.metrics.iter().copied());
    for (r, m) in metrics.enumerate() {
        let row = r as u32 + 1;
        let metric = &catalogue.metrics[m];
        sheet.put(row, 0, Cell::Text(&catalogue.programmes[metric.programme].name))?;
        sheet.put(row, 1, Cell::Text(&metric.name))?;
        sheet.put(row, 2, Cell::Centred(&metric.unit))?;
        for t in src.aggregates.months.iter().filter(|t| t.metric == m) {
            let cell = t.total.map_or(Cell::Blank, |v| Cell::Number(v, metric.decimals));
            sheet.put(row, 2 + t.month as u16, cell)?;
        }
        sheet.put(row, code_col, Cell::Code(&metric.id))?;
    }
    sheet.finish(1, 2, catalogue.metrics.len() as u32, title)
}
