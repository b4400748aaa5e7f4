//! Sheet 报送情况: every registered unit, its status, who filled its form and
//! how to reach them, the file, 截至月份 and 填报日期 (a real date).

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::render::contact::unit_contact;

use super::sheet::Sheet;
use super::style::{Cell, Styles};
use super::Sources;

const HEADERS: [&str; 9] = [
    "单位名称",
    "状态",
    "截至月份",
    "填报日期",
    "填报人",
    "联系电话",
    "联系人出处",
    "文件",
    "单位代码",
];
/// File paths wrap beyond this width.
const FILE_WIDTH: f64 = 50.0;

pub fn write(ws: &mut Worksheet, src: &Sources, styles: &Styles, title: &str) -> Result<(), XlsxError> {
    let reading = src.reading;
    let mut sheet = Sheet::new(ws, "报送情况", styles)?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.header(0, c as u16, h)?;
    }
    sheet.wrap_at(7, FILE_WIDTH);
    for (i, u) in reading.selection.units.iter().enumerate() {
        let row = i as u32 + 1;
        let unit = &src.registry.units[u.unit];
        let contact = unit_contact(u.unit, reading, src.previous);
        let source = contact.as_ref().map(|c| format!("{}年报表", c.year));
        let file = u.submission.map(|s| reading.submissions[s].file.as_str());
        sheet.put(row, 0, Cell::Text(&unit.name))?;
        sheet.put(row, 1, Cell::Centred(u.status.label()))?;
        sheet.put(row, 2, u.filled_through.map_or(Cell::Blank, Cell::Month))?;
        sheet.put(row, 3, u.filed_on.map_or(Cell::Blank, Cell::Date))?;
        sheet.put(
            row,
            4,
            Cell::text_or_blank(contact.as_ref().and_then(|c| c.filer.as_deref())),
        )?;
        sheet.put(
            row,
            5,
            Cell::text_or_blank(contact.as_ref().and_then(|c| c.phone.as_deref())),
        )?;
        sheet.put(row, 6, Cell::centred_or_blank(source.as_deref()))?;
        sheet.put(row, 7, Cell::text_or_blank(file))?;
        sheet.put(row, 8, Cell::Code(&unit.code))?;
    }
    sheet.finish(1, 1, reading.selection.units.len() as u32, title)
}
