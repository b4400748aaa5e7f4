//! Opening a workbook from its bytes: the format is read from the content, not
//! the name (WPS users rename .xlsx to .xls; web systems export HTML as .xls),
//! and every way a file can be unreadable becomes a message, never a panic.

use serde::{Deserialize, Serialize};

use super::grid::Grid;
use super::limits::{MAX_FILE_BYTES, WORKER_MEMORY_BYTES};
use super::quiet::catch_silently;
use super::sheets::read;
use crate::diag::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    /// Whether a file extension (lower case, no dot) is a fair name for this format.
    pub fn matches_extension(self, ext: &str) -> bool {
        match self {
            Format::Xlsx => matches!(ext, "xlsx" | "xlsm"),
            Format::Xlsb => ext == "xlsb",
            Format::Xls => ext == "xls",
            Format::Ods => ext == "ods",
        }
    }
}

/// Why a file could not be opened; each says what the unit should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    Empty,
    Encrypted,
    NotASpreadsheet(&'static str),
    Corrupt(String),
    /// Past the reader's limits (see [`super::limits`]), or reading it
    /// exceeded the memory or time a file may take: what, in the detail.
    TooLarge(String),
}

impl OpenError {
    pub fn code(&self) -> Code {
        match self {
            OpenError::Empty => Code::EmptyFile,
            OpenError::Encrypted => Code::PasswordProtected,
            OpenError::NotASpreadsheet(_) => Code::NotAWorkbook,
            OpenError::Corrupt(_) => Code::CorruptFile,
            OpenError::TooLarge(_) => Code::TooLargeOrDamaged,
        }
    }

    pub fn message(&self) -> String {
        match self {
            OpenError::Empty => "文件是空的（0 字节），请重新发送报表文件。".into(),
            OpenError::Encrypted => {
                "文件设置了打开密码，无法读取。请在 Excel 中取消密码（文件 › 信息 › 保护工作簿）后重新保存并发送。".into()
            }
            OpenError::NotASpreadsheet(what) => format!(
                "这不是 Excel 或 ODS 工作簿（{what}），只是扩展名像表格。请用 Excel 或 WPS 打开后“另存为” .xlsx 再发送。"
            ),
            OpenError::Corrupt(detail) => format!(
                "文件已损坏或不完整，无法读取（{detail}）。请重新保存后再发送，如通过邮件发送请确认附件完整。"
            ),
            OpenError::TooLarge(detail) => format!(
                "文件过大或已损坏，无法读取（{detail}）。请在 Excel 或 WPS 中打开，删除表格以外的内容后另存为 .xlsx 再发送。"
            ),
        }
    }

    /// A file larger than the reader takes, refused before it is read.
    pub fn file_too_large(bytes: u64) -> OpenError {
        OpenError::TooLarge(format!(
            "文件 {} MB，超过 {} MB",
            bytes.div_ceil(1 << 20),
            MAX_FILE_BYTES >> 20
        ))
    }

    /// The worker reading the file ran out of its memory.
    pub fn out_of_memory() -> OpenError {
        OpenError::TooLarge(format!("读取时内存超过 {} MB", WORKER_MEMORY_BYTES >> 20))
    }

    /// The worker reading the file took longer than a file may.
    pub fn out_of_time(limit: std::time::Duration) -> OpenError {
        OpenError::TooLarge(format!("读取超过 {} 秒", limit.as_secs_f64()))
    }

    /// The worker reading the file stopped without an answer.
    pub fn reader_died(how: &str) -> OpenError {
        OpenError::TooLarge(format!("读取程序异常退出：{how}"))
    }
}

/// What a file that is not a workbook was found to be.
pub const NOT_SPREADSHEET: [&str; 4] = ["是文字文档", "是网页（HTML/XML）格式", "是 PDF 文件", "格式无法识别"];

/// Decide the format from the first bytes (and, for zip files, their names).
pub fn sniff(bytes: &[u8]) -> Result<Format, OpenError> {
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(if contains(bytes, b"xl/workbook.bin") {
            Format::Xlsb
        } else if contains(bytes, b"application/vnd.oasis.opendocument.spreadsheet") {
            Format::Ods
        } else if contains(bytes, b"application/vnd.oasis.opendocument")
            || (contains(bytes, b"word/") && !contains(bytes, b"xl/"))
        {
            return Err(OpenError::NotASpreadsheet(NOT_SPREADSHEET[0]));
        } else {
            Format::Xlsx
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE container: a legacy .xls, or an encrypted Office 2007+ file.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(OpenError::Encrypted);
        }
        return Ok(Format::Xls);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return Err(OpenError::NotASpreadsheet(NOT_SPREADSHEET[1]));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(OpenError::NotASpreadsheet(NOT_SPREADSHEET[2]));
    }
    Err(OpenError::NotASpreadsheet(NOT_SPREADSHEET[3]))
}

/// Whether `needle` occurs in `hay` (SIMD search: a compressed file is
/// mostly bytes no needle starts with, and this runs four times per file).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// The sheets a reader asked for, found by name, and the names of all sheets.
#[derive(Debug)]
pub struct Opened {
    pub format: Format,
    pub sheet_names: Vec<String>,
    /// In the order asked for; `None` when the workbook has no such sheet.
    pub sheets: Vec<Option<Grid>>,
}

impl Opened {
    pub(super) fn new(format: Format, sheet_names: Vec<String>, sheets: Vec<Option<Grid>>) -> Opened {
        Opened {
            format,
            sheet_names,
            sheets,
        }
    }
}

/// Which sheets to read.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    /// These, by name (compared without spaces or full-width differences).
    Named(&'a [&'a str]),
    /// The first sheet, whatever its name (registries).
    First,
}

/// Open a workbook and read the sheets picked. Never panics: a panic inside
/// the reader library is caught (silently) and reported as a corrupt file.
pub fn open(bytes: &[u8], wanted: Pick<'_>) -> Result<Opened, OpenError> {
    let format = sniff(bytes)?;
    catch_silently(|| read(format, bytes, wanted))
        .unwrap_or_else(|| Err(OpenError::Corrupt("读取程序无法解析此文件".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b""), Err(OpenError::Empty));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Ok(Format::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.bin"), Ok(Format::Xlsb));
        assert_eq!(
            sniff(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            Ok(Format::Ods)
        );
        assert!(matches!(
            sniff(b"\xEF\xBB\xBF <html><table>"),
            Err(OpenError::NotASpreadsheet(_))
        ));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(sniff(&ole), Ok(Format::Xls));
        ole.extend(utf16le("EncryptedPackage"));
        assert_eq!(sniff(&ole), Err(OpenError::Encrypted));
        assert!(contains(b"aab", b"ab") && !contains(b"ab", b"abc") && contains(b"x", b""));
    }

    #[test]
    fn garbage_after_a_zip_header_is_corrupt_not_a_panic() {
        let err = open(b"PK\x03\x04garbage", Pick::First).unwrap_err();
        assert!(matches!(err, OpenError::Corrupt(_)), "{err:?}");
    }
}
