//! A small, deterministic ODS writer: the unit form laid out as LibreOffice
//! saves it (title, 表号 line, two-row header with a merged 月份 band, the
//! 全年 formula with its cached value), in a zip with stored entries and a
//! fixed timestamp, so the same data always gives the same bytes.

use std::fmt::Write as _;

use annual_report::catalogue::{Aggregate, Catalogue};
use annual_report::forms::{Filling, REMARK_COL};
use annual_report::registry::Unit;
use chrono::NaiveDate;

/// One cell of a row.
enum C {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// An OpenFormula with its cached number (none: an empty string result).
    Formula(String, Option<f64>),
    /// Spans columns/rows; the cells it covers follow as `Covered`.
    Span(String, u32, u32),
    Covered,
}

/// The unit's form with `filling` typed in, as .ods bytes.
pub fn filled_form(catalogue: &Catalogue, unit: &Unit, year: i32, filling: &Filling) -> Vec<u8> {
    let mut info = vec![
        vec![C::Text("单位代码".into()), C::Text(unit.code.clone())],
        vec![C::Text("单位名称".into()), C::Text(unit.name.clone())],
        vec![C::Text("年度".into()), C::Number(year as f64)],
    ];
    info.push(vec![
        C::Text("截至月份".into()),
        filling.filled_through.map_or(C::Empty, |m| C::Number(m as f64)),
    ]);
    info.push(vec![
        C::Text("填报日期".into()),
        filling.filed_on.map_or(C::Empty, C::Date),
    ]);
    for (label, value) in [("填报人", &filling.filer), ("联系电话", &filling.phone)] {
        info.push(vec![C::Text(label.into()), value.clone().map_or(C::Empty, C::Text)]);
    }

    let mut data = vec![
        vec![C::Span(
            format!("{year}年度{}工作数据报表", catalogue.organisation),
            u32::from(REMARK_COL) + 1,
            1,
        )],
        vec![C::Span(
            format!("表号：{}　填报单位：{}（{}）", catalogue.title, unit.name, unit.code),
            u32::from(REMARK_COL) + 1,
            1,
        )],
    ];
    let mut header = Vec::new();
    let mut under = Vec::new();
    for label in ["项目", "指标", "指标代码", "计量单位"] {
        header.push(C::Span(label.into(), 1, 2));
        under.push(C::Covered);
    }
    header.push(C::Span("月份".into(), 12, 1));
    header.extend((0..11).map(|_| C::Covered));
    under.extend((1..=12).map(|m| C::Text(format!("{m}月"))));
    for label in ["全年", "备注"] {
        header.push(C::Span(label.into(), 1, 2));
        under.push(C::Covered);
    }
    data.push(header);
    data.push(under);
    for p in &catalogue.programmes {
        for (k, &mi) in p.metrics.iter().enumerate() {
            let m = &catalogue.metrics[mi];
            let r = data.len() + 1; // 1-based row in formulas
            let mut row = vec![
                if k == 0 { C::Text(p.name.clone()) } else { C::Empty },
                C::Text(m.name.clone()),
                C::Text(m.id.clone()),
                C::Text(m.unit.clone()),
            ];
            let months = filling.months.get(&m.id);
            for i in 0..12u8 {
                row.push(
                    match (
                        filling.texts.get(&(m.id.clone(), i + 1)),
                        months.and_then(|v| v[i as usize]),
                    ) {
                        (Some(t), _) => C::Text(t.clone()),
                        (None, Some(v)) => C::Number(v),
                        (None, None) => C::Empty,
                    },
                );
            }
            let range = format!("[.E{r}:.P{r}]");
            let value = match m.aggregate {
                Aggregate::Sum => format!("SUM({range})"),
                Aggregate::Last => format!("LOOKUP(2;1/({range}<>\"\");{range})"),
            };
            row.push(C::Formula(
                format!("of:=IF(COUNT({range})=0;\"\";{value})"),
                filling.annual(&m.id, m.aggregate),
            ));
            row.push(filling.remarks.get(&m.id).cloned().map_or(C::Empty, C::Text));
            data.push(row);
        }
    }
    if filling.totals_row {
        let mut row = vec![C::Text("合计".into()), C::Empty, C::Empty, C::Empty];
        for i in 0..12u8 {
            let sum: f64 = filling
                .months
                .iter()
                .filter(|(id, _)| !filling.texts.contains_key(&((*id).clone(), i + 1)))
                .filter_map(|(_, v)| v[i as usize])
                .sum();
            row.push(if sum != 0.0 { C::Number(sum) } else { C::Empty });
        }
        data.push(row);
    }
    let content = content_xml(&[("基本信息", info), ("数据", data)]);
    zip_stored(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", MANIFEST.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

fn content_xml(sheets: &[(&str, Vec<Vec<C>>)]) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2">"#,
        "<office:body><office:spreadsheet>\n"
    ));
    for (name, rows) in sheets {
        let _ = write!(x, r#"<table:table table:name="{}">"#, esc(name));
        for row in rows {
            x.push_str("<table:table-row>");
            for cell in row {
                cell_xml(&mut x, cell);
            }
            x.push_str("</table:table-row>\n");
        }
        x.push_str("</table:table>\n");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    x
}

fn cell_xml(x: &mut String, cell: &C) {
    let _ = match cell {
        C::Empty => write!(x, "<table:table-cell/>"),
        C::Covered => write!(x, "<table:covered-table-cell/>"),
        C::Text(t) => write!(
            x,
            r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
            esc(t)
        ),
        C::Number(n) => write!(
            x,
            r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
        ),
        C::Date(d) => write!(
            x,
            r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{d}</text:p></table:table-cell>"#
        ),
        C::Formula(f, Some(v)) => write!(
            x,
            r#"<table:table-cell table:formula="{}" office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#,
            esc(f)
        ),
        C::Formula(f, None) => write!(
            x,
            r#"<table:table-cell table:formula="{}" office:value-type="string" office:string-value=""><text:p></text:p></table:table-cell>"#,
            esc(f)
        ),
        C::Span(t, cols, rows) => write!(
            x,
            r#"<table:table-cell table:number-columns-spanned="{cols}" table:number-rows-spanned="{rows}" office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
            esc(t)
        ),
    };
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A zip with stored (uncompressed) entries, every timestamp 1980-01-01
/// 00:00, `mimetype` first as ODF asks: the same data gives the same bytes.
fn zip_stored(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::DEFAULT);
    for (name, data) in entries {
        zip.start_file(*name, options).expect("in-memory zip");
        zip.write_all(data).expect("in-memory zip");
    }
    zip.finish().expect("in-memory zip").into_inner()
}
