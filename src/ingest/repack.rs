//! The .xlsx calamine reads, rebuilt with the parts the checks already
//! inflated (relationships, workbook.xml, the shared strings, the sheets
//! picked) stored as they are: no part is inflated twice, once to be checked
//! and once by calamine. Inflating a small part is mostly setting up the
//! inflater; this saved a sixth of calamine's time on the forms. Every other
//! part is copied as it was compressed.

use std::collections::HashMap;
use std::io::Read;

use zip::CompressionMethod;

use super::zipcheck::{Archive, PartBytes};

/// A part larger than this is not kept for calamine: it inflates it again
/// instead, so that a large sheet is never held twice in the worker's memory.
const MAX_KEPT_BYTES: usize = 1 << 20;

/// Parts inflated for the checks, by their index in the archive, each
/// exactly its declared size with its checksum right.
#[derive(Default)]
pub(super) struct Inflated {
    parts: HashMap<usize, Vec<u8>>,
    /// Parts left out of the copy.
    left_out: Vec<usize>,
}

impl Inflated {
    /// Whether a part of this (declared) size is kept.
    pub fn worth_keeping(size: u64) -> bool {
        size <= MAX_KEPT_BYTES as u64
    }

    /// Keep a part for calamine, if it is sound and small enough (one that
    /// is not is left to calamine, which says what is wrong with it).
    pub fn keep(&mut self, part: PartBytes) {
        if part.sound && Self::worth_keeping(part.bytes.len() as u64) {
            self.parts.insert(part.index, part.bytes);
        }
    }

    /// Leave part `index` out of the copy calamine reads. For the theme:
    /// calamine inflates and parses it (7 KB on a form, as much as a sheet)
    /// for the colours of fonts and fills, which nothing here reads; without
    /// it calamine takes the default colours, as it does when a theme
    /// cannot be read. Values, formulas and number formats do not depend on it.
    pub fn leave_out(&mut self, index: usize) {
        self.left_out.push(index);
    }

    /// The archive with the kept parts stored; `None` when there is nothing
    /// to gain or it cannot be rebuilt as it was (then calamine reads the
    /// original). Each part keeps its name, place and CRC. The kept bytes
    /// are freed here: the copy holds them.
    pub fn repack(self, zip: &mut Archive<'_>) -> Option<Vec<u8>> {
        if self.parts.is_empty() && self.left_out.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(self.parts.values().map(Vec::len).sum::<usize>() + (16 << 10));
        let mut central = Vec::new();
        let mut count = 0u16;
        for index in 0..zip.len() {
            if self.left_out.contains(&index) {
                continue;
            }
            count = count.checked_add(1)?;
            let mut file = zip.by_index_raw(index).ok()?;
            if file.encrypted() {
                return None;
            }
            let name = file.name().ok()?.into_owned();
            if name.len() > usize::from(u16::MAX) {
                return None;
            }
            let offset = u32::try_from(out.len()).ok()?;
            let entry = match self.parts.get(&index) {
                Some(bytes) => {
                    let size = u32::try_from(bytes.len()).ok()?;
                    let entry = Entry {
                        name: &name,
                        method: STORED,
                        crc: file.crc32(),
                        packed: size,
                        size,
                        offset,
                    };
                    entry.local_header(&mut out);
                    out.extend_from_slice(bytes);
                    entry
                }
                None => {
                    let entry = Entry {
                        name: &name,
                        method: match file.compression() {
                            CompressionMethod::Stored => STORED,
                            CompressionMethod::Deflated => DEFLATED,
                            // Nothing calamine's zip inflates: it says so on the original.
                            _ => return None,
                        },
                        crc: file.crc32(),
                        packed: u32::try_from(file.compressed_size()).ok()?,
                        size: u32::try_from(file.size()).ok()?,
                        offset,
                    };
                    entry.local_header(&mut out);
                    let copied = file.read_to_end(&mut out).ok()?;
                    if copied as u64 != u64::from(entry.packed) {
                        return None;
                    }
                    entry
                }
            };
            entry.central_header(&mut central);
        }
        let start = u32::try_from(out.len()).ok()?;
        let length = u32::try_from(central.len()).ok()?;
        out.extend_from_slice(&central);
        // End of central directory.
        put32(&mut out, 0x0605_4b50);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, count);
        put16(&mut out, count);
        put32(&mut out, length);
        put32(&mut out, start);
        put16(&mut out, 0);
        Some(out)
    }
}

/// One part's headers: a UTF-8 name (the name calamine's zip read from
/// the original, whatever its encoding there), no extra fields, no data
/// descriptor.
struct Entry<'a> {
    name: &'a str,
    method: u16,
    crc: u32,
    packed: u32,
    size: u32,
    offset: u32,
}

const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// Version 2.0; general purpose flag 11, the name is UTF-8; 1980-01-01 00:00.
const VERSION: u16 = 20;
const UTF8_NAME: u16 = 1 << 11;
const DOS_DATE: u16 = (1 << 5) | 1;

impl Entry<'_> {
    fn common(&self, out: &mut Vec<u8>) {
        put16(out, UTF8_NAME);
        put16(out, self.method);
        put16(out, 0);
        put16(out, DOS_DATE);
        put32(out, self.crc);
        put32(out, self.packed);
        put32(out, self.size);
        put16(out, self.name.len() as u16);
        put16(out, 0);
    }

    fn local_header(&self, out: &mut Vec<u8>) {
        put32(out, 0x0403_4b50);
        put16(out, VERSION);
        self.common(out);
        out.extend_from_slice(self.name.as_bytes());
    }

    fn central_header(&self, out: &mut Vec<u8>) {
        put32(out, 0x0201_4b50);
        put16(out, VERSION);
        put16(out, VERSION);
        self.common(out);
        put16(out, 0); // comment
        put16(out, 0); // disk
        put16(out, 0); // internal attributes
        put32(out, 0); // external attributes
        put32(out, self.offset);
        out.extend_from_slice(self.name.as_bytes());
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
    use rust_xlsxwriter::{Format, Workbook};

    use super::*;
    use crate::ingest::zipcheck::{open_checked, part_bytes_at};

    /// Two sheets with shared strings, numbers, a formula and a merged area.
    fn workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let info = book.add_worksheet().set_name("基本信息").unwrap();
        info.write(0, 0, "单位代码").unwrap();
        info.write(0, 1, "u001").unwrap();
        let data = book.add_worksheet().set_name("数据").unwrap();
        data.write(0, 0, "指标代码").unwrap();
        data.write(1, 0, "fitness.items").unwrap();
        data.write(1, 1, 3.5).unwrap();
        data.write(1, 2, 4).unwrap();
        data.write_formula(1, 3, "=SUM(B2:C2)").unwrap();
        data.merge_range(3, 0, 3, 2, "合并", &Format::new()).unwrap();
        book.save_to_buffer().unwrap()
    }

    type Reading = (Vec<String>, Vec<(Range<Data>, Range<String>)>);

    fn calamine_reads(bytes: &[u8]) -> Reading {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        let sheets = names
            .iter()
            .map(|n| (book.worksheet_range(n).unwrap(), book.worksheet_formula(n).unwrap()))
            .collect();
        (names, sheets)
    }

    fn entries(bytes: &[u8]) -> Vec<(String, CompressionMethod, u32, Vec<u8>)> {
        let mut zip = open_checked(bytes).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index_raw(i).unwrap();
                let mut raw = Vec::new();
                f.read_to_end(&mut raw).unwrap();
                (f.name().unwrap().into_owned(), f.compression(), f.crc32(), raw)
            })
            .collect()
    }

    #[test]
    fn the_kept_parts_are_stored_the_theme_left_out_and_the_rest_copied_as_they_were() {
        let original = workbook();
        let mut zip = open_checked(&original).unwrap();
        assert!(
            Inflated::default().repack(&mut zip).is_none(),
            "nothing kept, nothing rebuilt"
        );
        let mut inflated = Inflated::default();
        let kept = ["xl/workbook.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"];
        for name in kept {
            inflated.keep(part_bytes_at(&mut zip, name).unwrap().unwrap());
        }
        let theme = "xl/theme/theme1.xml";
        inflated.leave_out(zip.index_for_name(theme).unwrap());
        let repacked = inflated.repack(&mut zip).unwrap();
        let (mut before, after) = (entries(&original), entries(&repacked));
        before.retain(|(name, ..)| name != theme);
        assert_eq!(before.len(), after.len());
        let mut zip = open_checked(&original).unwrap();
        for ((name, method, crc, raw), (name2, method2, crc2, raw2)) in before.into_iter().zip(after) {
            assert_eq!((&name, crc), (&name2, crc2), "same part in the same place");
            if kept.contains(&name.as_str()) {
                let mut whole = Vec::new();
                zip.by_name(&name).unwrap().read_to_end(&mut whole).unwrap();
                assert_eq!((method2, raw2), (CompressionMethod::Stored, whole), "{name}");
            } else {
                assert_eq!((method2, raw2), (method, raw), "{name}");
            }
        }
        assert_eq!(calamine_reads(&repacked), calamine_reads(&original));
    }

    #[test]
    fn a_part_that_is_not_sound_or_too_large_is_left_to_calamine() {
        let mut inflated = Inflated::default();
        let part = |index, len, sound| PartBytes {
            index,
            bytes: vec![b' '; len],
            sound,
        };
        inflated.keep(part(0, 10, false));
        inflated.keep(part(1, MAX_KEPT_BYTES + 1, true));
        inflated.keep(part(2, MAX_KEPT_BYTES, true));
        assert_eq!(inflated.parts.keys().collect::<Vec<_>>(), [&2]);
    }

    #[test]
    fn a_part_whose_checksum_lies_is_not_sound() {
        let mut original = workbook();
        let mut zip = open_checked(&original).unwrap();
        let sheet = zip.index_for_name("xl/worksheets/sheet2.xml").unwrap();
        let crc = zip.by_index_raw(sheet).unwrap().crc32().to_le_bytes();
        drop(zip);
        // Every copy of the sheet's CRC (local and central headers) changed.
        let at: Vec<usize> = original
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == crc)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 2);
        for i in at {
            original[i] ^= 0xff;
        }
        let mut zip = open_checked(&original).unwrap();
        let part = part_bytes_at(&mut zip, "xl/worksheets/sheet2.xml").unwrap().unwrap();
        assert!(!part.sound, "the checksum is checked when the part is read whole");
    }
}
