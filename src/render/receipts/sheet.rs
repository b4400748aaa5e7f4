//! The receipt's worksheet as SpreadsheetML, written row after row as the
//! receipt is laid out: text inline in its cell (no shared-strings table),
//! numbers as numbers, and each cell's look one of the receipt's fixed
//! styles. The cells are what rust_xlsxwriter wrote for the same calls
//! (tested in `package`), without the optional `spans` of each row.

use std::fmt::Write;

/// The looks a receipt uses: their index in the receipt's styles.xml.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// 宋体 16 bold, centred.
    Title,
    /// 宋体 10.5 bold on light grey, boxed.
    Label,
    /// 宋体 10.5, boxed, wrapped, vertically centred.
    Text,
    /// 宋体 10.5 bold on light blue, boxed, centred.
    Header,
    /// Like `Text` (not wrapped), with this many decimals (at most 6).
    Number(u8),
    /// 宋体 10.5 dark red, boxed, wrapped.
    Error,
    /// 宋体 11, no box: the line under the tables.
    Note,
}

impl Style {
    fn xf(self) -> u8 {
        match self {
            Style::Title => 1,
            Style::Label => 2,
            Style::Text => 3,
            Style::Header => 4,
            Style::Number(decimals) => 5 + decimals.min(6),
            Style::Error => 12,
            Style::Note => 13,
        }
    }
}

/// A worksheet's `<sheetData>` and `<mergeCells>`, written in order: rows
/// top to bottom, cells left to right (what SpreadsheetML requires).
#[derive(Default)]
pub struct Sheet {
    data: String,
    merges: String,
    merge_count: usize,
    /// The open row, 1-based as in cell references.
    row: Option<u32>,
    first_row: Option<u32>,
    /// The first column a cell of the open row may still take.
    next_col: u16,
    /// The columns written to, for the sheet's `<dimension>`.
    columns: Option<(u16, u16)>,
}

impl Sheet {
    pub fn new() -> Sheet {
        Sheet {
            data: String::with_capacity(24 * 1024),
            ..Sheet::default()
        }
    }

    /// Starts row `row` (0-based, after any row before it).
    pub fn row(&mut self, row: u32) {
        self.open_row(row, None);
    }

    /// Starts row `row`, `points` high (the default is 15).
    pub fn tall_row(&mut self, row: u32, points: f64) {
        // As rust_xlsxwriter stores a height: whole pixels, 4/3 of a point.
        let pixels = (points * 4.0 / 3.0).round();
        self.open_row(row, (pixels != 20.0).then_some(pixels * 0.75));
    }

    fn open_row(&mut self, row: u32, height: Option<f64>) {
        self.close_row();
        let r = row + 1;
        debug_assert!(self.row.is_none_or(|open| r > open), "row {r} after row {:?}", self.row);
        self.first_row.get_or_insert(r);
        self.next_col = 0;
        match height {
            Some(ht) => write!(self.data, r#"<row r="{r}" ht="{ht}" customHeight="1">"#),
            None => write!(self.data, r#"<row r="{r}">"#),
        }
        .expect("writing to a String");
        self.row = Some(r);
    }

    fn close_row(&mut self) {
        if self.row.is_some() {
            self.data.push_str("</row>");
        }
    }

    /// `<c r="B3" s="3"`: the start of a cell in the open row.
    fn cell(&mut self, col: u16, style: Style) {
        let row = self.row.expect("a cell is written in a row");
        debug_assert!(col >= self.next_col, "column {col} of row {row} out of order");
        self.next_col = col + 1;
        self.columns = Some(self.columns.map_or((col, col), |(a, b)| (a.min(col), b.max(col))));
        self.data.push_str("<c r=\"");
        push_column(&mut self.data, col);
        crate::number::push_digits(&mut self.data, row.into());
        self.data.push_str("\" s=\"");
        crate::number::push_digits(&mut self.data, style.xf().into());
        self.data.push('"');
    }

    pub fn text(&mut self, col: u16, text: &str, style: Style) {
        self.cell(col, style);
        let preserve = [' ', '\t', '\n'];
        if text.starts_with(preserve) || text.ends_with(preserve) {
            self.data.push_str(r#" t="inlineStr"><is><t xml:space="preserve">"#);
        } else {
            self.data.push_str(r#" t="inlineStr"><is><t>"#);
        }
        push_escaped(&mut self.data, text, true);
        self.data.push_str("</t></is></c>");
    }

    /// A number; Excel has no NaN or infinity, so those are written as the
    /// text rust_xlsxwriter writes for them.
    pub fn number(&mut self, col: u16, value: f64, style: Style) {
        if !value.is_finite() {
            let text = match value {
                v if v.is_nan() => "NAN",
                v if v > 0.0 => "INF",
                _ => "-INF",
            };
            return self.text(col, text, style);
        }
        self.cell(col, style);
        self.data.push_str("><v>");
        crate::number::push_shortest(&mut self.data, value);
        self.data.push_str("</v></c>");
    }

    /// An empty cell that still shows its style (box, fill).
    pub fn blank(&mut self, col: u16, style: Style) {
        self.cell(col, style);
        self.data.push_str("/>");
    }

    /// `text` across columns `first..=last` of the open row: the text in the
    /// first cell, the others blank in the same style so the box is whole.
    pub fn merged(&mut self, first: u16, last: u16, text: &str, style: Style) {
        self.text(first, text, style);
        for col in first + 1..=last {
            self.blank(col, style);
        }
        let row = self.row.expect("a merged range is written in a row");
        self.merges.push_str("<mergeCell ref=\"");
        push_column(&mut self.merges, first);
        write!(self.merges, "{row}:").expect("writing to a String");
        push_column(&mut self.merges, last);
        write!(self.merges, "{row}\"/>").expect("writing to a String");
        self.merge_count += 1;
    }

    /// `(dimension, <sheetData> content, <mergeCells> or "")`, the last row
    /// closed; the dimension is the range from the first cell written to
    /// the last (`A1:P39`).
    pub fn finish(mut self) -> (String, String, String) {
        self.close_row();
        let mut dimension = String::new();
        if let (Some(first), Some(last), Some((left, right))) = (self.first_row, self.row, self.columns) {
            push_column(&mut dimension, left);
            write!(dimension, "{first}").expect("writing to a String");
            if (first, left) != (last, right) {
                dimension.push(':');
                push_column(&mut dimension, right);
                write!(dimension, "{last}").expect("writing to a String");
            }
        } else {
            dimension.push_str("A1");
        }
        let merges = match self.merge_count {
            0 => String::new(),
            n => format!(r#"<mergeCells count="{n}">{}</mergeCells>"#, self.merges),
        };
        (dimension, self.data, merges)
    }
}

/// The letters of 0-based column `col`: A, …, Z, AA, ….
pub fn push_column(out: &mut String, col: u16) {
    crate::diag::push_column_letters(out, u32::from(col));
}

/// `text` as XML character data, escaped as Excel (and rust_xlsxwriter)
/// do: `&<>` as entities, the control characters XML cannot carry and
/// U+FFFE/U+FFFF as `_xHHHH_`. In cells (`cell`), a literal `_xHHHH_` in
/// the text gets its `_` escaped (`_x005F_xHHHH_`) so that Excel does not
/// read it as an escape.
pub fn push_escaped(out: &mut String, text: &str, cell: bool) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (escape, len): (&str, usize) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            b if b < 0x20 => (CONTROL_ESCAPES[b as usize], 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => {
                (if bytes[i + 2] == 0xBE { "_xFFFE_" } else { "_xFFFF_" }, 3)
            }
            b'_' if cell && is_excel_escape(&bytes[i..]) => ("_x005F_", 1),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push_str(escape);
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// Whether `bytes` starts with `_xHHHH_` (H a hexadecimal digit).
fn is_excel_escape(bytes: &[u8]) -> bool {
    bytes.len() >= 7 && bytes.starts_with(b"_x") && bytes[2..6].iter().all(u8::is_ascii_hexdigit) && bytes[6] == b'_'
}

/// `_x0000_` … `_x001F_` (tab and line feed are never looked up).
const CONTROL_ESCAPES: [&str; 32] = [
    "_x0000_", "_x0001_", "_x0002_", "_x0003_", "_x0004_", "_x0005_", "_x0006_", "_x0007_", "_x0008_", "_x0009_",
    "_x000A_", "_x000B_", "_x000C_", "_x000D_", "_x000E_", "_x000F_", "_x0010_", "_x0011_", "_x0012_", "_x0013_",
    "_x0014_", "_x0015_", "_x0016_", "_x0017_", "_x0018_", "_x0019_", "_x001A_", "_x001B_", "_x001C_", "_x001D_",
    "_x001E_", "_x001F_",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str, cell: bool) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text, cell);
        out
    }

    #[test]
    fn text_is_escaped_as_excel_escapes_it() {
        assert_eq!(escaped("甲<&\">乙", true), "甲&lt;&amp;\"&gt;乙");
        assert_eq!(escaped("a\u{1}b\u{1F}\r\t\n", true), "a_x0001_b_x001F__x000D_\t\n");
        assert_eq!(escaped("\u{FFFE}x\u{FFFF}\u{FFFD}", true), "_xFFFE_x_xFFFF_\u{FFFD}");
        assert_eq!(escaped("_x0041_ _x41_ _xZZZZ_", true), "_x005F_x0041_ _x41_ _xZZZZ_");
        assert_eq!(escaped("_x0041_", false), "_x0041_");
        assert_eq!(escaped("省直机关工会工委", true), "省直机关工会工委");
    }

    #[test]
    fn columns_are_lettered_as_excel_letters_them() {
        let letters = |col| {
            let mut s = String::new();
            push_column(&mut s, col);
            s
        };
        assert_eq!(
            [0, 15, 25, 26, 701, 702, 16383].map(letters),
            ["A", "P", "Z", "AA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn rows_cells_and_merges_come_out_in_order() {
        let mut sheet = Sheet::new();
        sheet.row(0);
        sheet.merged(0, 2, " 标题", Style::Title);
        sheet.tall_row(2, 30.0);
        sheet.number(0, 12.5, Style::Number(2));
        sheet.number(1, f64::NAN, Style::Number(9));
        sheet.blank(2, Style::Error);
        let (dimension, data, merges) = sheet.finish();
        assert_eq!(dimension, "A1:C3");
        assert_eq!(
            data,
            concat!(
                r#"<row r="1"><c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve"> 标题</t></is></c>"#,
                r#"<c r="B1" s="1"/><c r="C1" s="1"/></row>"#,
                r#"<row r="3" ht="30" customHeight="1"><c r="A3" s="7"><v>12.5</v></c>"#,
                r#"<c r="B3" s="11" t="inlineStr"><is><t>NAN</t></is></c><c r="C3" s="12"/></row>"#
            )
        );
        assert_eq!(merges, r#"<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>"#);
    }
}
