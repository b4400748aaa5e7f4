//! Hostile .xlsx and .ods made in code, each as the author measured
//! it: a stray cell far away, size fields that lie, a deflate bomb. The
//! .xls ones are in `xls.rs`.

use std::io::Cursor;

use crate::harness::{rewrite_zip, Form, V};

/// The unit's ordinary form: one figure in 数据.
pub fn form(code: &str) -> Form {
    Form::new(code).row("fitness.items", &[("1月", V::N(4.0))])
}

/// `form` with one more cell at `a1` (openpyxl's `ws['XFD1048576'] = ' '`).
pub fn far_cell_xlsx(code: &str, sheet: &str, a1: &str) -> Vec<u8> {
    form(code).cell(sheet, a1, V::T(" ")).to_xlsx()
}

/// A cell reference no program writes (`ZZZZ99999999`), and a dimension
/// that claims it.
pub fn giant_reference_xlsx(code: &str) -> Vec<u8> {
    rewrite_zip(&form(code).to_xlsx(), |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let xml = replace_attr(&xml, "<dimension ref=\"", "A1:ZZZZ99999999");
        xml.replace(
            "</sheetData>",
            "<row r=\"99999999\"><c r=\"ZZZZ99999999\"><v>1</v></c></row></sheetData>",
        )
    })
}

/// sharedStrings.xml claiming 99,999,999,999,999 strings.
pub fn lying_string_count_xlsx(code: &str) -> Vec<u8> {
    rewrite_zip(&form(code).to_xlsx(), |name, xml| {
        if name == "xl/sharedStrings.xml" {
            replace_attr(&xml, "uniqueCount=\"", "99999999999999")
        } else {
            xml
        }
    })
}

/// A shared formula index of 4,000,000,000 (calamine sizes a table by it).
pub fn giant_shared_formula_xlsx(code: &str) -> Vec<u8> {
    rewrite_zip(&form(code).to_xlsx(), |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        xml.replace(
            "</sheetData>",
            "<row r=\"9\"><c r=\"A9\"><f t=\"shared\" ref=\"A9:A10\" si=\"4000000000\">1+1</f><v>2</v></c></row></sheetData>",
        )
    })
}

/// Replace the value of the first attribute that starts with `prefix`.
fn replace_attr(xml: &str, prefix: &str, value: &str) -> String {
    let Some(at) = xml.find(prefix) else {
        return xml.to_owned();
    };
    let start = at + prefix.len();
    let end = start + xml[start..].find('"').unwrap();
    format!("{}{value}{}", &xml[..start], &xml[end..])
}

/// `form`'s .xlsx whose sharedStrings.xml holds one string of `spaces`
/// spaces: a few MB of deflate that inflate to `spaces` bytes. The central
/// directory declares the real size, or `declared` when it lies.
pub fn string_bomb_xlsx(code: &str, spaces: u64, declared: Option<u64>) -> Vec<u8> {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t xml:space=\"preserve\">";
    let tail = "</t></si></sst>";
    let deflated = deflate_run(head.as_bytes(), b' ', spaces, tail.as_bytes());
    let size = head.len() as u64 + spaces + tail.len() as u64;
    let bomb = single_entry_zip("xl/sharedStrings.xml", &deflated, declared.unwrap_or(size));
    let mut bomb = zip::ZipArchive::new(Cursor::new(bomb)).unwrap();
    let original = form(code).to_xlsx();
    let mut archive = zip::ZipArchive::new(Cursor::new(&original[..])).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).unwrap();
        if entry.name().is_ok_and(|n| n == "xl/sharedStrings.xml") {
            drop(entry);
            out.raw_copy_file(bomb.by_index_raw(0).unwrap()).unwrap();
        } else {
            out.raw_copy_file(entry).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// Raw deflate (one fixed-Huffman block): `head`, `count` copies of `byte`
/// (as one literal and back-references of 258 at distance 1), `tail`.
fn deflate_run(head: &[u8], byte: u8, count: u64, tail: &[u8]) -> Vec<u8> {
    let mut w = Bits::default();
    w.put(1, 1); // last block
    w.put(1, 2); // fixed Huffman
    head.iter().for_each(|&b| w.literal(b));
    if count > 0 {
        w.literal(byte);
        let mut left = count - 1;
        while left >= 3 {
            let len = left.min(258);
            // Keep what is left at 0 or ≥ 3 (a back-reference copies ≥ 3).
            let len = if left - len > 0 && left - len < 3 { len - 3 } else { len };
            w.length(len as u16);
            w.huffman(0, 5); // distance code 0: distance 1
            left -= len;
        }
        (0..left).for_each(|_| w.literal(byte));
    }
    tail.iter().for_each(|&b| w.literal(b));
    w.huffman(0, 7); // end of block (256)
    w.finish()
}

#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `n` bits of `v`, least significant first (header fields, extra bits).
    fn put(&mut self, v: u32, n: u32) {
        self.acc |= (v as u64) << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: most significant bit first.
    fn huffman(&mut self, code: u32, n: u32) {
        let reversed = (0..n).fold(0, |r, i| r | (((code >> i) & 1) << (n - 1 - i)));
        self.put(reversed, n);
    }

    fn literal(&mut self, b: u8) {
        match b {
            0..=143 => self.huffman(0x30 + b as u32, 8),
            _ => self.huffman(0x190 + (b as u32 - 144), 9),
        }
    }

    /// A length 3–258 (RFC 1951 §3.2.5).
    fn length(&mut self, len: u16) {
        const BASE: [u16; 29] = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
            227, 258,
        ];
        const EXTRA: [u32; 29] = [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
        ];
        let i = BASE.iter().rposition(|&b| b <= len).unwrap();
        let code = 257 + i as u32;
        if code < 280 {
            self.huffman(code - 256, 7);
        } else {
            self.huffman(0xC0 + code - 280, 8);
        }
        self.put((len - BASE[i]) as u32, EXTRA[i]);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A zip of one deflated entry, its data given raw (the CRC is not checked
/// before the size is).
fn single_entry_zip(name: &str, deflated: &[u8], uncompressed: u64) -> Vec<u8> {
    let (csize, usize_) = (deflated.len() as u32, u32::try_from(uncompressed).unwrap());
    let mut out = Vec::new();
    let header = |sig: u32, central: bool| {
        let mut h = sig.to_le_bytes().to_vec();
        if central {
            h.extend(20u16.to_le_bytes()); // made by
        }
        for v in [20u16, 0, 8, 0, 0] {
            h.extend(v.to_le_bytes()); // version, flags, deflate, time, date
        }
        h.extend(0u32.to_le_bytes()); // CRC
        h.extend(csize.to_le_bytes());
        h.extend(usize_.to_le_bytes());
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes()); // extra
        if central {
            h.extend([0u8; 6]); // comment, disk, internal attributes
            h.extend([0u8; 4]); // external attributes
            h.extend(0u32.to_le_bytes()); // local header at 0
        }
        h.extend(name.as_bytes());
        h
    };
    out.extend(header(0x0403_4b50, false));
    out.extend(deflated);
    let cd_start = out.len() as u32;
    out.extend(header(0x0201_4b50, true));
    let cd_len = out.len() as u32 - cd_start;
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(1u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// An .ods with the first occurrence of `from` in content.xml made `to`.
pub fn ods_with(seed: &[u8], from: &str, to: &str) -> Vec<u8> {
    rewrite_zip(seed, |name, xml| {
        if name == "content.xml" {
            xml.replacen(from, to, 1)
        } else {
            xml
        }
    })
}

/// An .ods sample workbook with `rows` empty rows and then a row of
/// `columns` repeated numbers appended to its sheet `sheet`.
pub fn far_rows_ods(seed: &[u8], sheet: &str, rows: u32, columns: u32) -> Vec<u8> {
    let open = format!("table:name=\"{sheet}\"");
    rewrite_zip(seed, |name, xml| {
        if name != "content.xml" {
            return xml;
        }
        let at = xml.find(&open).expect("the sheet");
        let end = at + xml[at..].find("</table:table>").unwrap();
        format!(
            "{}<table:table-row table:number-rows-repeated=\"{rows}\"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated=\"{columns}\" office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell></table:table-row>{}",
            &xml[..end],
            &xml[end..]
        )
    })
}
