//! Hostile .xls made in code by a small BIFF8 writer: the form read back
//! from its .xlsx with calamine and written cell by cell into a compound
//! file, with knobs for what the author found (a looping sector
//! chain, a DIMENSIONS record of 4 billion rows, cells far away).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::harness::Form;

/// What to do to an .xls made from a form.
#[derive(Default, Clone)]
pub struct XlsKnobs {
    /// Extra cell records (sheet index, record type, body).
    pub records: Vec<(usize, u16, Vec<u8>)>,
    /// DIMENSIONS of every sheet: (first row, last row + 1, first col, last col + 1).
    pub dimensions: Option<(u32, u32, u16, u16)>,
    /// The directory sector's FAT entry points at itself.
    pub fat_loop: bool,
    /// The first sheet's BOUNDSHEET points past the end of the stream.
    pub sheet_past_end: bool,
}

/// A NUMBER record body at (row, col).
pub fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = [row, col, 0].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
    d.extend(v.to_le_bytes());
    d
}

/// The form as an .xls (BIFF8): every cell of its .xlsx as a LABEL or
/// NUMBER record, in a compound file, with the knobs applied.
pub fn xls_from(form: &Form, knobs: &XlsKnobs) -> Vec<u8> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(form.to_xlsx())).unwrap();
    let names = book.sheet_names();
    let sheets: Vec<(String, Vec<u8>)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let range = book.worksheet_range(name).unwrap();
            let mut body = Vec::new();
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c as u16 + 1));
            let (r0, r1, c0, c1) = knobs.dimensions.unwrap_or((0, rows, 0, cols));
            let mut dims = [r0, r1].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
            dims.extend([c0, c1, 0].iter().flat_map(|v| v.to_le_bytes()));
            record(&mut body, 0x0809, &bof(0x0010));
            record(&mut body, 0x0200, &dims);
            for (r, c, v) in range.used_cells() {
                let (r, c) = (r as u16, c as u16);
                match v {
                    Data::Float(n) => record(&mut body, 0x0203, &number(r, c, *n)),
                    Data::DateTime(d) => record(&mut body, 0x0203, &number(r, c, d.as_f64())),
                    other => {
                        let mut d = [r, c, 0].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
                        d.extend(xl_string(&other.to_string(), false));
                        record(&mut body, 0x0204, &d);
                    }
                }
            }
            for (_, typ, data) in knobs.records.iter().filter(|(s, ..)| *s == i) {
                record(&mut body, *typ, data);
            }
            record(&mut body, 0x000A, &[]);
            (name.clone(), body)
        })
        .collect();
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    let mut offsets = Vec::new();
    for (name, _) in &sheets {
        offsets.push(globals.len() + 4);
        let mut data = vec![0; 6];
        data.extend(xl_string(name, true));
        record(&mut globals, 0x0085, &data);
    }
    record(&mut globals, 0x000A, &[]);
    for (i, (at, (_, body))) in offsets.into_iter().zip(&sheets).enumerate() {
        let pos = if knobs.sheet_past_end && i == 0 {
            0x00FF_FFFF
        } else {
            globals.len() as u32
        };
        globals[at..at + 4].copy_from_slice(&pos.to_le_bytes());
        globals.extend(body);
    }
    compound_file(&globals, knobs.fat_loop)
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

fn bof(kind: u16) -> Vec<u8> {
    [0x0600u16, kind, 0x0DBB, 0x07CC, 0, 0, 0x0006, 0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// A BIFF8 string in UTF-16: its length (one byte when short), flags 1.
fn xl_string(s: &str, short: bool) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = if short {
        vec![units.len() as u8]
    } else {
        (units.len() as u16).to_le_bytes().to_vec()
    };
    out.push(1);
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// A CFB v3 file holding one stream, `Workbook`: its sectors, one directory
/// sector, then the FAT (as examples/make_sample/xls.rs lays it out).
fn compound_file(stream: &[u8], fat_loop: bool) -> Vec<u8> {
    const SECTOR: usize = 512;
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096).next_multiple_of(SECTOR), 0);
    let n = (data.len() / SECTOR) as u32;
    let dir = n;
    let fat_sectors = 1 + (n as usize + 2) / (SECTOR / 4);
    let mut out = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    out.extend([0; 16]);
    out.extend(
        [0x003Eu16, 3, 0xFFFE, 9, 6, 0, 0, 0]
            .iter()
            .flat_map(|v| v.to_le_bytes()),
    );
    for v in [0, fat_sectors as u32, dir, 0, 4096, END, 0, END, 0] {
        out.extend(v.to_le_bytes());
    }
    for i in 0..109 {
        let v = if i < fat_sectors as u32 { dir + 1 + i } else { FREE };
        out.extend(v.to_le_bytes());
    }
    out.extend(&data);
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let len = if name.is_empty() { 0 } else { e.len() as u16 + 2 };
        e.resize(64, 0);
        e.extend(len.to_le_bytes());
        e.extend([kind, 1]);
        for v in [FREE, FREE, child] {
            e.extend(v.to_le_bytes());
        }
        e.extend([0; 16 + 4 + 16]);
        e.extend(start.to_le_bytes());
        e.extend((size as u64).to_le_bytes());
        e
    };
    out.extend(entry("Root Entry", 5, 1, END, 0));
    out.extend(entry("Workbook", 2, FREE, 0, stream.len().max(4096) as u32));
    out.extend(entry("", 0, FREE, 0, 0));
    out.extend(entry("", 0, FREE, 0, 0));
    let mut fat: Vec<u32> = (1..=n).map(|i| if i == n { END } else { i }).collect();
    fat.push(if fat_loop { dir } else { END });
    fat.extend((0..fat_sectors).map(|_| 0xFFFF_FFFD));
    fat.resize(fat_sectors * SECTOR / 4, FREE);
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out
}
