//! The reader's limits: what no real form reaches, so that no file can make
//! the reader (or calamine under it) allocate from a size the file claims.
//! The README lists them; `OpenError::TooLarge` and the `cells-ignored`
//! note name them to the unit; [`read_capped`] reads a file within the
//! first of them.

use std::io::Read;
use std::path::Path;

use crate::diag::CellPos;

const MIB: u64 = 1 << 20;

/// A workbook file larger than this is not read (a filled form is tens of
/// KB; with pictures a few MB).
pub const MAX_FILE_BYTES: u64 = 100 * MIB;

/// One part of a zip container (.xlsx/.xlsm/.xlsb/.ods) inflated, as its
/// central directory declares it.
pub const MAX_PART_BYTES: u64 = 128 * MIB;

/// All parts of a zip container together, as declared.
pub const MAX_PARTS_BYTES: u64 = 512 * MIB;

/// A part that inflates to more than `MIN_BOMB_BYTES` at more than this
/// many times its compressed size is a deflate bomb (XML compresses 10–50×;
/// deflate cannot exceed about 1032×).
pub const MAX_RATIO: u64 = 500;
pub const MIN_BOMB_BYTES: u64 = 16 * MIB;

/// Rows and columns read in a sheet: cells beyond are ignored with a note.
/// The forms have under 100 rows and 18 columns.
pub const MAX_ROWS: u32 = 10_000;
pub const MAX_COLS: u32 = 200;

/// The text of all cells of one sheet, in bytes (a sheet at the area limit
/// holding 32 characters in every cell is 64 MB).
pub const MAX_SHEET_TEXT_BYTES: usize = 64 << 20;

/// Merged areas kept per sheet (a form has a few dozen): they only add
/// warnings, and each cell's reading looks them up.
pub const MAX_MERGES: usize = 10_000;

/// Shared formulas in a sheet (.xlsx `si`): calamine sizes a table by the
/// largest index.
pub const MAX_SHARED_FORMULAS: u64 = 100_000;

/// The worker process reading one file: its data segment (heap), so that
/// with the program itself it stays under 1 GiB resident …
pub const WORKER_MEMORY_BYTES: u64 = 900 * MIB;
/// … and the wall-clock time the run waits for one file.
pub const WORKER_SECONDS: u64 = 10;

/// A file's bytes, or its size when it is past [`MAX_FILE_BYTES`].
pub fn read_capped(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    match bytes.len() as u64 {
        n if n > MAX_FILE_BYTES => Ok(Err(n)),
        _ => Ok(Ok(bytes)),
    }
}

/// Whether a cell lies inside the area read.
pub fn in_area(row: u32, col: u32) -> bool {
    row < MAX_ROWS && col < MAX_COLS
}

/// Cells found beyond the area and not read: how many, and the first few
/// (for the note).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignored {
    pub count: u64,
    pub examples: Vec<CellPos>,
}

impl Ignored {
    pub fn note(&mut self, row: u32, col: u32) {
        self.count += 1;
        if self.examples.len() < 3 {
            self.examples.push(CellPos::new(row, col));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The note to the unit for sheet `sheet`.
    pub fn message(&self, sheet: &str) -> String {
        let cells: Vec<String> = self.examples.iter().map(|p| p.a1()).collect();
        format!(
            "“{sheet}”表中有 {} 个单元格远在表格范围之外（如 {}），已忽略：只读取前 {MAX_ROWS} 行、前 {MAX_COLS} 列。如这些单元格是误输入，请删除后再保存。",
            self.count,
            cells.join("、")
        )
    }
}
