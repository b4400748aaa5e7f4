//! Zip containers (.xlsx/.xlsm/.xlsb/.ods) checked before any part is
//! inflated: the central directory's declared sizes against the limits, and
//! the compression ratio of large parts. calamine's zip stops a part at its
//! declared size; the parts read here are cut at it too, so a size that lies
//! cannot make either inflate more.

use std::io::{BufReader, Cursor, Read, Take};

use zip::read::ZipFile;
use zip::ZipArchive;

use super::limits::{MAX_PARTS_BYTES, MAX_PART_BYTES, MAX_RATIO, MIN_BOMB_BYTES};
use super::open::OpenError;

pub type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// A part being inflated, cut at its declared size.
type Cut<'z, 'a> = Take<ZipFile<'z, Cursor<&'a [u8]>>>;

/// The same, buffered for an XML reader.
pub type Part<'z, 'a> = BufReader<Cut<'z, 'a>>;

/// The archive, once every part's declared size is within the limits.
pub fn open_checked(bytes: &[u8]) -> Result<Archive<'_>, OpenError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| OpenError::Corrupt(format!("压缩包：{e}")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| OpenError::Corrupt(format!("压缩包：{e}")))?;
        total = total.saturating_add(part.size());
        let name = part
            .name()
            .map_err(|e| OpenError::Corrupt(format!("压缩包：{e}")))?
            .into_owned();
        check_part(&name, part.size(), part.compressed_size(), total)?;
    }
    Ok(zip)
}

/// One part's declared size (`size`, from `packed` bytes) and the total so far.
fn check_part(name: &str, size: u64, packed: u64, total: u64) -> Result<(), OpenError> {
    if size > MAX_PART_BYTES {
        return Err(OpenError::TooLarge(format!(
            "其中“{name}”解压后 {} MB，超过 {} MB",
            mb(size),
            mb(MAX_PART_BYTES)
        )));
    }
    if size > MIN_BOMB_BYTES && size / packed.max(1) > MAX_RATIO {
        return Err(OpenError::TooLarge(format!(
            "其中“{name}”由 {} KB 解压为 {} MB，是“压缩炸弹”",
            packed.div_ceil(1024),
            mb(size)
        )));
    }
    if total > MAX_PARTS_BYTES {
        return Err(OpenError::TooLarge(format!(
            "解压后合计超过 {} MB",
            mb(MAX_PARTS_BYTES)
        )));
    }
    Ok(())
}

fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// A part's inflating reader cut at its declared size, and that size;
/// `None` if there is none.
fn cut<'z, 'a>(zip: &'z mut Archive<'a>, name: &str) -> Result<Option<(Cut<'z, 'a>, u64)>, OpenError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    cut_at(zip, index, name).map(Some)
}

fn cut_at<'z, 'a>(zip: &'z mut Archive<'a>, index: usize, name: &str) -> Result<(Cut<'z, 'a>, u64), OpenError> {
    let file = zip
        .by_index(index)
        .map_err(|e| OpenError::Corrupt(format!("“{name}”：{e}")))?;
    let size = file.size();
    Ok((file.take(size), size))
}

/// A part's declared (inflated) size; `None` if there is no such part.
pub fn declared_size(zip: &mut Archive<'_>, name: &str) -> Option<u64> {
    let index = zip.index_for_name(name)?;
    zip.by_index_raw(index).ok().map(|f| f.size())
}

/// A part as a stream, cut at its declared size; `None` if there is none.
pub fn part<'z, 'a>(zip: &'z mut Archive<'a>, name: &str) -> Result<Option<Part<'z, 'a>>, OpenError> {
    Ok(cut(zip, name)?.map(|(reader, _)| BufReader::new(reader)))
}

/// A part whole (relationships, workbook.xml, a sheet for the pre-scan),
/// cut at its declared size. Read straight into a buffer of that size
/// (within the limits, checked when the archive was opened): no buffer in
/// between and no doubling (about 4 % of reading a workbook).
pub fn part_bytes(zip: &mut Archive<'_>, name: &str) -> Result<Option<Vec<u8>>, OpenError> {
    Ok(part_bytes_at(zip, name)?.map(|part| part.bytes))
}

/// A part read whole by [`part_bytes_at`].
pub struct PartBytes {
    /// Its index in the archive.
    pub index: usize,
    pub bytes: Vec<u8>,
    /// It ends at its declared size and its checksum is right: the bytes
    /// are the part, exactly as calamine's zip would give them.
    pub sound: bool,
}

/// The same, with the part's index and whether it is sound.
pub fn part_bytes_at(zip: &mut Archive<'_>, name: &str) -> Result<Option<PartBytes>, OpenError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let (mut reader, size) = cut_at(zip, index, name)?;
    let mut bytes = Vec::with_capacity(size.min(MAX_PART_BYTES) as usize);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| OpenError::Corrupt(format!("“{name}”：{e}")))?;
    // One read past the declared size: zip's reader says there is more, or
    // checks the checksum at the end.
    let sound = bytes.len() as u64 == size && reader.into_inner().read(&mut [0]).is_ok_and(|n| n == 0);
    Ok(Some(PartBytes { index, bytes, sound }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn ordinary_parts_pass_and_read_whole() {
        let bytes = zip_of(&[("a.xml", b"<a/>")]);
        let mut zip = open_checked(&bytes).unwrap();
        assert_eq!(part_bytes(&mut zip, "a.xml").unwrap().unwrap(), b"<a/>");
        assert!(part_bytes(&mut zip, "b.xml").unwrap().is_none());
    }

    #[test]
    fn sizes_past_the_limits_are_refused() {
        let too_large = |r: Result<(), OpenError>| matches!(r, Err(OpenError::TooLarge(_)));
        assert!(check_part("a", 1 << 20, 1 << 16, 1 << 20).is_ok());
        assert!(too_large(check_part("a", MAX_PART_BYTES + 1, MAX_PART_BYTES, 0)));
        assert!(
            too_large(check_part("a", 20 << 20, 20 << 10, 20 << 20)),
            "a 1000:1 bomb"
        );
        assert!(check_part("a", 20 << 20, 1 << 20, 20 << 20).is_ok(), "20:1 is XML");
        assert!(too_large(check_part("a", 1, 1, MAX_PARTS_BYTES + 1)));
    }
}
