//! The compound file of an .xls ([MS-CFB]) walked as calamine walks it,
//! before calamine does: every sector chain it follows is checked for
//! loops (calamine follows a looping chain until memory runs out), and the
//! `Workbook` stream is located byte by byte in the file, so that records
//! in it can be patched in place (see `biff.rs`).

use super::open::OpenError;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
const MINI_SECTOR: usize = 64;
const MINI_CUTOFF: usize = 4096;
const HEADER_DIFAT: usize = 109;

/// A stream's bytes and where each of its chunks (sectors) is in the file.
#[derive(Debug)]
pub struct Located {
    pub data: Vec<u8>,
    chunk: usize,
    offsets: Vec<usize>,
}

impl Located {
    /// The file offset of the stream's byte `at`.
    pub fn file_offset(&self, at: usize) -> Option<usize> {
        Some(self.offsets.get(at / self.chunk)? + at % self.chunk)
    }

    /// A stream that is the whole of `data` (tests).
    #[cfg(test)]
    pub fn whole(data: &[u8]) -> Located {
        Located {
            data: data.to_vec(),
            chunk: data.len().max(1),
            offsets: vec![0],
        }
    }
}

struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    header: usize,
    maxid: u32,
    fat: Vec<u32>,
}

fn broken(what: &str) -> OpenError {
    OpenError::Corrupt(format!("文件结构损坏：{what}"))
}

/// The `Workbook` (or `Book`) stream as calamine will read it; `None` when
/// the file has neither (calamine says so). Every chain calamine follows
/// on the way is checked.
pub fn workbook_stream(bytes: &[u8]) -> Result<Option<Located>, OpenError> {
    let h = |at: usize, n: usize| bytes.get(at..at + n).ok_or_else(|| broken("文件头不完整"));
    let u32_at = |at: usize| h(at, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let version = u16::from_le_bytes(h(26, 2)?.try_into().unwrap_or_default());
    let sector = match h(30, 2)? {
        [9, 0] => 512,
        [12, 0] => 4096,
        _ => return Err(broken("扇区大小无效")),
    };
    let mut cfb = Compound {
        bytes,
        sector,
        header: sector,
        maxid: (bytes.len() / sector) as u32,
        fat: Vec::new(),
    };
    cfb.load_fat(u32_at(68)?, h(76, 436)?)?;
    let directory = cfb.chain(u32_at(48)?, usize::MAX, "目录")?;
    let entries: Vec<Entry> = directory
        .data
        .chunks_exact(128)
        .map(|e| Entry::parse(e, sector))
        .collect();
    let Some(root) = entries.first() else {
        return Err(broken("没有根目录"));
    };
    if version != 3 && root.start == END_OF_CHAIN {
        return Err(broken("没有根目录"));
    }
    let (mini_fat_start, mini_fat_len) = (u32_at(60)?, u32_at(64)? as usize);
    let mini = if mini_fat_len > 0 {
        let stream = cfb.chain(root.start, root.len, "迷你流")?;
        let fat = cfb.chain(mini_fat_start, mini_fat_len.saturating_mul(sector), "迷你扇区表")?;
        Some((stream, words(&fat.data)))
    } else {
        None
    };
    let find = |name: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name));
    let Some(book) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(None);
    };
    if book.len >= MINI_CUTOFF {
        return cfb.chain(book.start, book.len, "工作簿流").map(Some);
    }
    let Some((stream, fat)) = mini else {
        return Err(broken("工作簿流在迷你流中，但没有迷你流"));
    };
    mini_chain(&stream, &fat, book.start, book.len).map(Some)
}

impl Compound<'_> {
    /// A sector: partial at the end of the file, as calamine reads it.
    fn sector(&self, id: u32) -> Result<(usize, &[u8]), OpenError> {
        if id > self.maxid {
            return Err(broken("扇区超出文件"));
        }
        let start = self.header + id as usize * self.sector;
        let end = (start + self.sector).min(self.bytes.len());
        Ok((start, self.bytes.get(start..end).unwrap_or_default()))
    }

    /// The FAT, from the header's DIFAT and the DIFAT chain.
    fn load_fat(&mut self, mut difat_start: u32, header_difat: &[u8]) -> Result<(), OpenError> {
        let mut difat = words(header_difat);
        let mut seen = 0u32;
        while difat_start < RESERVED {
            seen += 1;
            if seen > self.maxid.saturating_add(1) {
                return Err(broken("DIFAT 链循环"));
            }
            difat.extend(words(self.sector(difat_start)?.1));
            difat_start = difat.pop().ok_or_else(|| broken("DIFAT 链不完整"))?;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFAT_SECTOR).collect();
        // A DIFAT chain listing sectors over and over makes calamine build a
        // table many times the file's size; the header's 109 entries (some
        // writers fill unused ones with 0, not FREESECT) are always fine.
        if fat_sectors.len() > HEADER_DIFAT + self.maxid as usize + 1 {
            return Err(broken("扇区分配表比文件还大"));
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * self.sector / 4);
        for id in fat_sectors {
            fat.extend(words(self.sector(id)?.1));
        }
        self.fat = fat;
        Ok(())
    }

    /// Follow a chain until `len` bytes or its end; a sector met twice
    /// before then is a loop calamine would follow for ever.
    fn chain(&self, mut id: u32, len: usize, what: &str) -> Result<Located, OpenError> {
        let mut seen = vec![false; self.maxid as usize + 1];
        let mut out = Located {
            data: Vec::new(),
            chunk: self.sector,
            offsets: Vec::new(),
        };
        while id != END_OF_CHAIN {
            let (start, sector) = self.sector(id)?;
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err(broken(&format!("{what}的扇区链首尾相接")));
            }
            let take = sector.len().min(len - out.data.len());
            out.data.extend_from_slice(&sector[..take]);
            out.offsets.push(start);
            if out.data.len() >= len {
                break;
            }
            id = *self.fat.get(id as usize).ok_or_else(|| broken("扇区分配表不完整"))?;
        }
        Ok(out)
    }
}

/// A stream under the mini-stream cutoff: 64-byte sectors of the mini stream.
fn mini_chain(stream: &Located, fat: &[u32], mut id: u32, len: usize) -> Result<Located, OpenError> {
    let mut out = Located {
        data: Vec::new(),
        chunk: MINI_SECTOR,
        offsets: Vec::new(),
    };
    // Under 4096 bytes: at most 64 sectors, so no loop can run away.
    while id != END_OF_CHAIN && out.data.len() < len {
        let start = id as usize * MINI_SECTOR;
        let sector = stream
            .data
            .get(start..start + MINI_SECTOR)
            .ok_or_else(|| broken("迷你扇区超出迷你流"))?;
        let take = MINI_SECTOR.min(len - out.data.len());
        out.data.extend_from_slice(&sector[..take]);
        out.offsets
            .push(stream.file_offset(start).ok_or_else(|| broken("迷你流不完整"))?);
        id = *fat.get(id as usize).ok_or_else(|| broken("迷你扇区表不完整"))?;
    }
    Ok(out)
}

struct Entry {
    name: String,
    start: u32,
    len: usize,
}

impl Entry {
    fn parse(e: &[u8], sector: usize) -> Entry {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let name = String::from_utf16_lossy(&units);
        let name = name.split('\0').next().unwrap_or_default().to_owned();
        let start = u32::from_le_bytes([e[116], e[117], e[118], e[119]]);
        let len = if sector == 512 {
            u32::from_le_bytes([e[120], e[121], e[122], e[123]]) as usize
        } else {
            u64::from_le_bytes(e[120..128].try_into().unwrap_or_default()) as usize
        };
        Entry { name, start, len }
    }
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legacy() -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oddities/legacy.xls");
        std::fs::read(path).unwrap()
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn the_workbook_stream_is_found_byte_by_byte() {
        let bytes = legacy();
        let stream = workbook_stream(&bytes).unwrap().unwrap();
        assert_eq!(&stream.data[..2], &[0x09, 0x08], "a BOF record first");
        for at in [0, 1, 511, 512, stream.data.len() - 1] {
            assert_eq!(bytes[stream.file_offset(at).unwrap()], stream.data[at], "byte {at}");
        }
    }

    #[test]
    fn a_directory_chain_that_loops_is_refused() {
        let mut bytes = legacy();
        let (fat_sector, dir) = (u32_at(&bytes, 76) as usize, u32_at(&bytes, 48) as usize);
        let entry = (fat_sector + 1) * 512 + dir * 4;
        bytes[entry..entry + 4].copy_from_slice(&(dir as u32).to_le_bytes());
        let err = workbook_stream(&bytes).unwrap_err();
        assert!(
            matches!(&err, OpenError::Corrupt(d) if d.contains("首尾相接")),
            "{err:?}"
        );
    }
}
