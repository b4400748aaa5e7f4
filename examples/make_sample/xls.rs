//! A small, deterministic BIFF8 (.xls, Excel 97-2003) writer: the unit form
//! laid out as Excel saves it (基本信息 and 数据, the two-row header with its
//! merged 月份 band, 全年 as a formula with its cached value), in a compound
//! file with fixed CLSIDs and zero timestamps, so the same data always gives
//! the same bytes. Records follow [MS-XLS], the container [MS-CFB] v3.

use std::collections::HashMap;

use annual_report::catalogue::{Aggregate, Catalogue, Metric};
use annual_report::forms::{Filling, ANNUAL_COL, FIRST_MONTH_COL, REMARK_COL};
use annual_report::registry::Unit;
use chrono::NaiveDate;

/// Cell formats (XF indices): 0–14 are the style XFs every workbook has.
const XF_GENERAL: u16 = 15;
const XF_DATE: u16 = 16;
const XF_HEADER: u16 = 17;
/// Our custom number format, yyyy-mm-dd (custom ones start at 164).
const FMT_DATE: u16 = 164;

enum V {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// The 全年 formula of a metric and its cached result (none: "").
    Annual(Aggregate, Option<f64>),
}

struct Cell {
    row: u16,
    col: u16,
    xf: u16,
    v: V,
}

#[derive(Default)]
struct Sheet {
    name: &'static str,
    cells: Vec<Cell>,
    /// (first row, last row, first column, last column)
    merges: Vec<[u16; 4]>,
    /// (column, width in characters)
    widths: Vec<(u16, u16)>,
}

impl Sheet {
    fn put(&mut self, row: u16, col: u16, v: V) {
        let xf = if matches!(v, V::Date(_)) { XF_DATE } else { XF_GENERAL };
        self.cells.push(Cell { row, col, xf, v });
    }

    /// A header cell spanning `rows` × `cols`.
    fn header(&mut self, row: u16, col: u16, text: &str, rows: u16, cols: u16) {
        let (xf, v) = (XF_HEADER, V::Text(text.to_owned()));
        self.cells.push(Cell { row, col, xf, v });
        self.merge(row, col, rows, cols);
    }

    fn merge(&mut self, row: u16, col: u16, rows: u16, cols: u16) {
        if rows > 1 || cols > 1 {
            self.merges.push([row, row + rows - 1, col, col + cols - 1]);
        }
    }
}

/// The unit's form with `filling` typed in, as .xls bytes.
pub fn filled_form(catalogue: &Catalogue, unit: &Unit, year: i32, filling: &Filling) -> Vec<u8> {
    let book = workbook(&[
        info_sheet(unit, year, filling),
        data_sheet(catalogue, unit, year, filling),
    ]);
    compound_file(&book)
}

fn info_sheet(unit: &Unit, year: i32, filling: &Filling) -> Sheet {
    let mut s = Sheet {
        name: "基本信息",
        widths: vec![(0, 12), (1, 34)],
        ..Sheet::default()
    };
    let values = [
        Some(V::Text(unit.code.clone())),
        Some(V::Text(unit.name.clone())),
        Some(V::Number(year as f64)),
        filling.filled_through.map(|m| V::Number(m as f64)),
        filling.filed_on.map(V::Date),
        filling.filer.clone().map(V::Text),
        filling.phone.clone().map(V::Text),
    ];
    let labels = [
        "单位代码",
        "单位名称",
        "年度",
        "截至月份",
        "填报日期",
        "填报人",
        "联系电话",
    ];
    for (r, (label, value)) in labels.into_iter().zip(values).enumerate() {
        s.put(r as u16, 0, V::Text(label.into()));
        if let Some(v) = value {
            s.put(r as u16, 1, v);
        }
    }
    s
}

fn data_sheet(catalogue: &Catalogue, unit: &Unit, year: i32, filling: &Filling) -> Sheet {
    let mut s = Sheet {
        name: "数据",
        ..Sheet::default()
    };
    s.widths = vec![(0, 14), (1, 18), (2, 16), (3, 8), (ANNUAL_COL, 10), (REMARK_COL, 16)];
    s.widths.extend((FIRST_MONTH_COL..ANNUAL_COL).map(|c| (c, 8)));
    s.widths.sort_unstable();
    let title = format!("{year}年度{}工作数据报表", catalogue.organisation);
    s.header(0, 0, &title, 1, REMARK_COL + 1);
    let line = format!("表号：{}　填报单位：{}（{}）", catalogue.title, unit.name, unit.code);
    s.header(1, 0, &line, 1, REMARK_COL + 1);
    for (c, label) in ["项目", "指标", "指标代码", "计量单位"].into_iter().enumerate() {
        s.header(2, c as u16, label, 2, 1);
    }
    s.header(2, FIRST_MONTH_COL, "月份", 1, 12);
    s.header(2, ANNUAL_COL, "全年", 2, 1);
    s.header(2, REMARK_COL, "备注", 2, 1);
    for m in 0..12u16 {
        s.header(3, FIRST_MONTH_COL + m, &format!("{}月", m + 1), 1, 1);
    }

    let mut r = 4u16;
    for p in &catalogue.programmes {
        // 项目, merged down over the programme's metrics.
        s.put(r, 0, V::Text(p.name.clone()));
        s.merge(r, 0, p.metrics.len() as u16, 1);
        for &mi in &p.metrics {
            metric_row(&mut s, r, &catalogue.metrics[mi], filling);
            r += 1;
        }
    }
    if filling.totals_row {
        totals_row(&mut s, r, filling);
    }
    s
}

fn metric_row(s: &mut Sheet, r: u16, m: &Metric, filling: &Filling) {
    s.put(r, 1, V::Text(m.name.clone()));
    s.put(r, 2, V::Text(m.id.clone()));
    s.put(r, 3, V::Text(m.unit.clone()));
    let months = filling.months.get(&m.id);
    for i in 0..12u8 {
        let col = FIRST_MONTH_COL + i as u16;
        match (
            filling.texts.get(&(m.id.clone(), i + 1)),
            months.and_then(|v| v[i as usize]),
        ) {
            (Some(t), _) => s.put(r, col, V::Text(t.clone())),
            (None, Some(v)) => s.put(r, col, V::Number(v)),
            (None, None) => {}
        }
    }
    // Cached as the .xlsx form caches it, to 6 decimals: 1.32, not the
    // 1.3199999999999998 that adding up the months gives.
    let cached = filling
        .annual(&m.id, m.aggregate)
        .map(|v| annual_report::text::decimal(v, 6).parse().expect("a decimal"));
    s.put(r, ANNUAL_COL, V::Annual(m.aggregate, cached));
    if let Some(t) = filling.remarks.get(&m.id) {
        s.put(r, REMARK_COL, V::Text(t.clone()));
    }
}

/// A 合计 row under the metrics, as some units add (numbers only).
fn totals_row(s: &mut Sheet, r: u16, filling: &Filling) {
    s.put(r, 0, V::Text("合计".into()));
    for i in 0..12u8 {
        let sum: f64 = filling
            .months
            .iter()
            .filter(|(id, _)| !filling.texts.contains_key(&((*id).clone(), i + 1)))
            .filter_map(|(_, v)| v[i as usize])
            .sum();
        if sum != 0.0 {
            s.put(r, FIRST_MONTH_COL + i as u16, V::Number(sum));
        }
    }
}

// ---------------------------------------------------------------------------
// The Workbook stream: globals, then one substream per sheet.
// ---------------------------------------------------------------------------

/// The largest record body BIFF8 allows; longer data goes on in CONTINUE.
const MAX_RECORD: usize = 8224;

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    assert!(data.len() <= MAX_RECORD, "record {typ:#06x} too long");
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn u16s(values: &[u16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A BIFF8 string: character count (one byte in short strings), a flags byte,
/// then Latin-1 bytes ("compressed") or, for any other text, UTF-16LE.
fn xl_string(s: &str, short: bool) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = if short {
        vec![u8::try_from(units.len()).expect("short string")]
    } else {
        u16s(&[units.len() as u16])
    };
    if units.iter().all(|u| *u <= 0xFF) {
        out.push(0);
        out.extend(units.iter().map(|u| *u as u8));
    } else {
        out.push(1);
        out.extend(u16s(&units));
    }
    out
}

/// The shared string table: each distinct string once, cells refer by index.
#[derive(Default)]
struct Sst {
    index: HashMap<String, u32>,
    strings: Vec<String>,
    refs: u32,
}

impl Sst {
    fn id(&mut self, s: &str) -> u32 {
        self.refs += 1;
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.strings.push(s.to_owned());
        self.index.insert(s.to_owned(), self.strings.len() as u32 - 1);
        self.strings.len() as u32 - 1
    }

    /// SST, then CONTINUE records as needed. A string that does not fit
    /// starts the next record whole, so no string is split across records.
    fn write(&self, out: &mut Vec<u8>) {
        let mut body = [self.refs.to_le_bytes(), (self.strings.len() as u32).to_le_bytes()].concat();
        let mut typ = 0x00FC;
        for s in &self.strings {
            let bytes = xl_string(s, false);
            if body.len() + bytes.len() > MAX_RECORD {
                record(out, typ, &body);
                (typ, body) = (0x003C, Vec::new());
            }
            body.extend(bytes);
        }
        record(out, typ, &body);
    }
}

fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    let mut sst = Sst::default();
    let bodies: Vec<Vec<u8>> = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| sheet_stream(s, &mut sst, i + 1 == sheets.len()))
        .collect();

    let mut out = Vec::new();
    // BOF: workbook globals; CODEPAGE: UTF-16.
    record(&mut out, 0x0809, &bof(0x0005));
    record(&mut out, 0x0042, &u16s(&[1200]));
    // WINDOW1: window size, flags, the last sheet active, tab ratio.
    let active = sheets.len() as u16 - 1;
    let window = u16s(&[0, 0, 0x4000, 0x2000, 0x0038, active, 0, 1, 600]);
    record(&mut out, 0x003D, &window);
    record(&mut out, 0x0022, &u16s(&[0])); // DATEMODE: dates count from 1900
    styles(&mut out);
    // BOUNDSHEET8 per sheet; the offset of its BOF is patched in below.
    let mut offsets = Vec::new();
    for s in sheets {
        offsets.push(out.len() + 4);
        let mut data = vec![0, 0, 0, 0, 0, 0]; // offset, visible, worksheet
        data.extend(xl_string(s.name, true));
        record(&mut out, 0x0085, &data);
    }
    sst.write(&mut out);
    record(&mut out, 0x000A, &[]); // EOF
    for (at, body) in offsets.into_iter().zip(bodies) {
        let pos = out.len() as u32;
        out[at..at + 4].copy_from_slice(&pos.to_le_bytes());
        out.extend(body);
    }
    out
}

/// FONT, FORMAT, XF and STYLE records: the fonts and cell formats.
fn styles(out: &mut Vec<u8>) {
    // Readers expect several fonts, and index 4 does not exist (BIFF skips
    // it): four regular 宋体 11pt, then the bold one as font 5.
    for weight in [400, 400, 400, 400, 700] {
        let mut font = u16s(&[220, 0, 0x7FFF, weight, 0]); // height, flags, colour, weight, script
        font.extend([0, 0, 0x86, 0]); // underline, family, GB2312 charset, reserved
        font.extend(xl_string("宋体", true));
        record(out, 0x0031, &font);
    }
    let mut format = u16s(&[FMT_DATE]);
    format.extend(xl_string("yyyy-mm-dd", false));
    record(out, 0x041E, &format);
    for i in 0..15 {
        record(out, 0x00E0, &xf(0, 0, true, if i == 0 { 0 } else { 0xF4 }, 0x20));
    }
    record(out, 0x00E0, &xf(0, 0, false, 0, 0x20)); // 15: General
    record(out, 0x00E0, &xf(0, FMT_DATE, false, 0x04, 0x20)); // 16: date
    record(out, 0x00E0, &xf(5, 0, false, 0x18, 0x1A)); // 17: bold, centred, wrapped
    record(out, 0x0293, &[0x00, 0x80, 0x00, 0xFF]); // STYLE: built-in Normal on XF 0
}

/// BOF of a BIFF8 substream: version, kind, build, year, flags, lowest version.
fn bof(kind: u16) -> Vec<u8> {
    u16s(&[0x0600, kind, 0x0DBB, 0x07CC, 0, 0, 0x0006, 0])
}

/// An XF record: font, number format, style or cell, which attributes it
/// sets (cell XFs) or leaves (style XFs), alignment (0x20 bottom; 0x1A
/// centred both ways, wrapped). No borders, no fill.
fn xf(font: u16, format: u16, style: bool, used: u8, align: u8) -> Vec<u8> {
    // locked; a style XF has no parent (0xFFF), a cell XF has style 0.
    let flags = if style { 0xFFF5 } else { 0x0001 };
    let mut x = u16s(&[font, format, flags]);
    x.extend([align, 0, 0, used]);
    x.extend([0; 8]); // borders: none
    x.extend(u16s(&[0x20C0])); // pattern colours: automatic
    x
}

fn sheet_stream(s: &Sheet, sst: &mut Sst, active: bool) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0809, &bof(0x0010)); // BOF: worksheet
    for &(col, width) in &s.widths {
        // COLINFO: columns, width in 1/256 of a character, XF, flags.
        record(&mut out, 0x007D, &u16s(&[col, col, width * 256, XF_GENERAL, 0, 0]));
    }
    let rows = s.cells.iter().map(|c| c.row + 1).max().unwrap_or(0);
    let cols = s.cells.iter().map(|c| c.col + 1).max().unwrap_or(0);
    let mut dims = [0u32.to_le_bytes(), (rows as u32).to_le_bytes()].concat();
    dims.extend(u16s(&[0, cols, 0]));
    record(&mut out, 0x0200, &dims); // DIMENSIONS: first row, last row + 1, columns
    let mut cells: Vec<&Cell> = s.cells.iter().collect();
    cells.sort_by_key(|c| (c.row, c.col)); // BIFF wants cells in row order
    for c in cells {
        cell(&mut out, c, sst);
    }
    // WINDOW2: grid, headers, zeros, outline; the active sheet is selected.
    let flags = if active { 0x06B6 } else { 0x00B6 };
    record(&mut out, 0x023E, &u16s(&[flags, 0, 0, 0x40, 0, 60, 100, 0, 0]));
    if !s.merges.is_empty() {
        let mut merged = u16s(&[s.merges.len() as u16]);
        merged.extend(s.merges.iter().flat_map(|m| u16s(m)));
        record(&mut out, 0x00E5, &merged); // MERGEDCELLS (at most 1026 per record)
    }
    record(&mut out, 0x000A, &[]); // EOF
    out
}

fn cell(out: &mut Vec<u8>, c: &Cell, sst: &mut Sst) {
    let mut data = u16s(&[c.row, c.col, c.xf]);
    match &c.v {
        V::Text(t) => {
            data.extend(sst.id(t).to_le_bytes());
            record(out, 0x00FD, &data); // LABELSST
        }
        V::Number(n) => {
            data.extend(n.to_le_bytes());
            record(out, 0x0203, &data); // NUMBER
        }
        V::Date(d) => {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("date");
            data.extend(((*d - epoch).num_days() as f64).to_le_bytes());
            record(out, 0x0203, &data);
        }
        V::Annual(aggregate, cached) => {
            // The cached result, or 03 … FF FF: an empty string.
            data.extend(cached.map_or([3, 0, 0, 0, 0, 0, 0xFF, 0xFF], f64::to_le_bytes));
            data.extend([0; 6]); // flags, reserved
            let rgce = annual_formula(*aggregate, c.row);
            data.extend(u16s(&[rgce.len() as u16]));
            data.extend(rgce);
            record(out, 0x0006, &data); // FORMULA
        }
    }
}

/// `IF(COUNT(E5:P5)=0,"",SUM(E5:P5))`, or for a level
/// `IF(COUNT(E5:P5)=0,"",LOOKUP(2,1/(E5:P5<>""),E5:P5))`, in the reverse
/// Polish tokens Excel stores (as LibreOffice writes these formulas).
fn annual_formula(aggregate: Aggregate, row: u16) -> Vec<u8> {
    // ptgArea E{row}:P{row}, relative; class 0x25 reference, 0x65 array.
    let area = |class: u8| {
        let mut a = vec![class];
        a.extend(u16s(&[row, row, 0xC000 | FIRST_MONTH_COL, 0xC000 | (ANNUAL_COL - 1)]));
        a
    };
    let empty = [0x17, 0, 0]; // ptgStr ""
    let func = |argc: u8, index: u16| [0x42, argc, index as u8, (index >> 8) as u8]; // ptgFuncVar
    let mut value = Vec::new();
    match aggregate {
        Aggregate::Sum => {
            value.extend(area(0x25));
            value.extend([0x19, 0x10, 0, 0]); // ptgAttrSum
        }
        Aggregate::Last => {
            value.extend([0x1E, 2, 0, 0x1E, 1, 0]); // ptgInt 2, ptgInt 1
            value.extend(area(0x65));
            value.extend(empty);
            value.extend([0x0E, 0x15, 0x06]); // <>, (), /
            value.extend(area(0x25));
            value.extend(func(3, 28)); // LOOKUP
        }
    }
    let mut f = area(0x25);
    f.extend(func(1, 0)); // COUNT
    f.extend([0x1E, 0, 0, 0x0B]); // ptgInt 0, =

    // ptgAttrIf skips the "" branch and its goto; each goto jumps past the
    // final IF (its offset counts the bytes after it, less one).
    f.extend([0x19, 0x02, 7, 0]);
    f.extend(empty);
    f.extend([0x19, 0x08]);
    f.extend(u16s(&[value.len() as u16 + 4 + 4 - 1]));
    f.extend(value);
    f.extend([0x19, 0x08, 3, 0]);
    f.extend(func(3, 1)); // IF
    f
}

// ---------------------------------------------------------------------------
// Compound file (CFB v3, 512-byte sectors) holding one stream, `Workbook`:
// the stream's sectors, one directory sector, then the FAT.
// ---------------------------------------------------------------------------

const SECTOR: usize = 512;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
const FREE: u32 = 0xFFFF_FFFF;
/// The CLSID Excel puts on a BIFF8 workbook's root.
const EXCEL_CLSID: [u8; 16] = [0x20, 0x08, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46];

fn compound_file(stream: &[u8]) -> Vec<u8> {
    // At least 4096 bytes, so the stream lives in regular sectors, not the
    // mini stream; the zeros after the last EOF are never read as records.
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096).next_multiple_of(SECTOR), 0);
    let n = (data.len() / SECTOR) as u32;
    let dir = n;
    let mut fat_sectors = 1u32;
    while (n + 1 + fat_sectors) as usize > fat_sectors as usize * SECTOR / 4 {
        fat_sectors += 1;
    }
    assert!(fat_sectors <= 109, "the header's DIFAT holds 109 FAT sectors");

    let mut out = header(fat_sectors, dir);
    out.extend(&data);
    out.extend(directory(stream.len().max(4096) as u32));
    let mut fat: Vec<u32> = (1..=n).map(|i| if i == n { END_OF_CHAIN } else { i }).collect();
    fat.push(END_OF_CHAIN); // the directory
    fat.extend((0..fat_sectors).map(|_| FAT_SECTOR));
    fat.resize(fat_sectors as usize * SECTOR / 4, FREE);
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out
}

fn header(fat_sectors: u32, dir: u32) -> Vec<u8> {
    let mut h = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    h.extend([0; 16]); // CLSID
    h.extend(u16s(&[0x003E, 0x0003, 0xFFFE, 9, 6, 0, 0, 0])); // version 3, little-endian, 512/64-byte sectors
    for v in [0, fat_sectors, dir, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0] {
        h.extend(v.to_le_bytes()); // counts, first sectors, mini stream cutoff
    }
    let fat_start = dir + 1;
    for i in 0..109 {
        let v = if i < fat_sectors { fat_start + i } else { FREE };
        h.extend(v.to_le_bytes()); // DIFAT: where the FAT sectors are
    }
    h
}

/// The directory sector: Root Entry, Workbook, and two unused entries.
fn directory(stream_len: u32) -> Vec<u8> {
    let mut d = entry("Root Entry", 5, 1, EXCEL_CLSID, END_OF_CHAIN, 0);
    d.extend(entry("Workbook", 2, FREE, [0; 16], 0, stream_len));
    d.extend(entry("", 0, FREE, [0; 16], 0, 0));
    d.extend(entry("", 0, FREE, [0; 16], 0, 0));
    d
}

fn entry(name: &str, kind: u8, child: u32, clsid: [u8; 16], start: u32, size: u32) -> Vec<u8> {
    let mut e: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let name_len = if name.is_empty() { 0 } else { e.len() as u16 + 2 };
    e.resize(64, 0);
    e.extend(name_len.to_le_bytes());
    e.extend([kind, if kind == 0 { 0 } else { 1 }]); // type, colour black
    for v in [FREE, FREE, child] {
        e.extend(v.to_le_bytes()); // left and right siblings, child
    }
    e.extend(clsid);
    e.extend([0; 4 + 8 + 8]); // state bits, creation and modification times
    e.extend(start.to_le_bytes());
    e.extend((size as u64).to_le_bytes());
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sst_goes_on_in_continue_records_with_whole_strings() {
        let mut sst = Sst::default();
        for i in 0..2000 {
            sst.id(&format!("指标{i}"));
        }
        let mut out = Vec::new();
        sst.write(&mut out);
        let (mut at, mut types, mut strings) = (0, Vec::new(), 0);
        while at < out.len() {
            let typ = u16::from_le_bytes([out[at], out[at + 1]]);
            let len = u16::from_le_bytes([out[at + 2], out[at + 3]]) as usize;
            let mut body = &out[at + 4..at + 4 + len];
            if typ == 0x00FC {
                body = &body[8..];
            }
            while !body.is_empty() {
                let cch = u16::from_le_bytes([body[0], body[1]]) as usize;
                let width = if body[2] == 1 { 2 } else { 1 };
                body = &body[3 + cch * width..]; // panics if a string is split
                strings += 1;
            }
            types.push(typ);
            at += 4 + len;
        }
        assert_eq!(strings, 2000);
        assert!(types.len() > 1 && types[1..].iter().all(|t| *t == 0x003C), "{types:?}");
    }

    #[test]
    fn calamine_reads_back_a_tiny_book_and_a_long_string_table() {
        use calamine::{Data, Reader, Xls};
        let read = |s: Sheet| {
            let bytes = compound_file(&workbook(&[s]));
            let mut book = Xls::new(std::io::Cursor::new(bytes)).expect("calamine opens it");
            book.worksheet_range("数据").expect("the sheet")
        };
        // A stream far below 4096 bytes, padded out of the mini stream.
        let mut s = Sheet {
            name: "数据",
            ..Sheet::default()
        };
        s.put(0, 0, V::Date(NaiveDate::from_ymd_opt(2016, 1, 18).unwrap()));
        s.put(0, 1, V::Number(1.32));
        let r = read(s);
        assert!(matches!(r.get_value((0, 0)), Some(Data::DateTime(d)) if d.as_f64() == 42387.0));
        assert_eq!(r.get_value((0, 1)), Some(&Data::Float(1.32)));
        // An SST of several records.
        let text = |i: u16| format!("第{i}行：一段足够长的说明文字");
        let mut s = Sheet {
            name: "数据",
            ..Sheet::default()
        };
        (0..3000).for_each(|i| s.put(i, 0, V::Text(text(i))));
        let r = read(s);
        assert!((0..3000).all(|i| r.get_value((i as u32, 0)) == Some(&Data::String(text(i)))));
    }

    #[test]
    fn formulas_match_what_libreoffice_writes() {
        // IF(COUNT(E17:P17)=0,"",LOOKUP(2,1/(E17:P17<>""),E17:P17)), from a
        // form LibreOffice 7.4 saved as .xls.
        let lo = "25 10 00 10 00 04 c0 0f c0 42 01 00 00 1e 00 00 0b 19 02 07 00 17 00 00 19 08 29 00 \
                  1e 02 00 1e 01 00 65 10 00 10 00 04 c0 0f c0 17 00 00 0e 15 06 25 10 00 10 00 04 c0 \
                  0f c0 42 03 1c 00 19 08 03 00 42 03 01 00";
        let hex: Vec<String> = annual_formula(Aggregate::Last, 16)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex.join(" "), lo.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}
