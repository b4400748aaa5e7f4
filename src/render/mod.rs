//! Renderers: data in, bytes out. Nothing here touches the file system.

pub mod changes;
pub mod contact;
pub mod document;
pub mod manifest;
pub mod receipts;
pub mod sources;
pub mod submissions;
pub mod tables;
pub mod validation;
pub mod workbook;

use std::borrow::Cow;

/// CSV as SPEC.md fixes it: UTF-8, header row, `,`, `\n` line ends; every
/// cell that Excel would run as a formula neutralised ([`csv_safe`]).
pub fn csv_bytes<I, R>(header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut w = CsvWriter::new(header, 0);
    for row in rows {
        w.row(row).expect("in-memory CSV");
    }
    w.into_bytes()
}

/// The same CSV as [`csv_bytes`], written row by row into one buffer: for
/// tables of a million rows, where a Vec of rows would hold every cell as
/// its own String until the end.
pub struct CsvWriter<W: std::io::Write = Vec<u8>>(csv::Writer<W>);

impl CsvWriter {
    /// A CSV in memory with its header row; `capacity` is a guess at its
    /// size in bytes.
    pub fn new(header: &[&str], capacity: usize) -> CsvWriter {
        CsvWriter::to(Vec::with_capacity(capacity), header).expect("in-memory CSV")
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner().expect("in-memory CSV")
    }
}

impl<W: std::io::Write> CsvWriter<W> {
    /// A CSV written into `sink` as it is made, starting with its header row.
    pub fn to(sink: W, header: &[&str]) -> std::io::Result<CsvWriter<W>> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(sink);
        w.write_record(header)?;
        Ok(CsvWriter(w))
    }

    /// One row; writing into memory cannot fail, writing into a sink can.
    pub fn row<R>(&mut self, cells: R) -> std::io::Result<()>
    where
        R: IntoIterator,
        R::Item: AsRef<[u8]>,
    {
        for cell in cells {
            self.0.write_field(safe_cell(cell.as_ref()))?;
        }
        self.0.write_record(std::iter::empty::<&[u8]>())?;
        Ok(())
    }

    /// Everything written through to the sink.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A cell starting with `=`, `+`, `-`, `@`, tab or CR is a formula to Excel
/// (`=HYPERLINK(…)` in a unit code would become a live link): such a cell
/// gets a leading `'`, unless it is a plain number such as `-5.2`.
pub fn csv_safe(cell: &[u8]) -> Vec<u8> {
    safe_cell(cell).into_owned()
}

/// [`csv_safe`] without a copy of the cells that need nothing.
fn safe_cell(cell: &[u8]) -> Cow<'_, [u8]> {
    let risky = matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if risky && !std::str::from_utf8(cell).is_ok_and(|s| s.parse::<f64>().is_ok_and(f64::is_finite)) {
        Cow::Owned([b"'".as_slice(), cell].concat())
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_excel_would_run_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\",\"x\")", "'=HYPERLINK(\"http://x\",\"x\")"),
            ("@SUM(1)", "'@SUM(1)"),
            ("+1+2", "'+1+2"),
            ("-", "'-"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-5.2", "-5.2"),
            ("+3", "+3"),
            ("u001", "u001"),
            ("省直机关", "省直机关"),
        ] {
            assert_eq!(String::from_utf8(csv_safe(cell.as_bytes())).unwrap(), want, "{cell:?}");
        }
        let csv = csv_bytes(&["a", "b"], [["=1+1", "-3"]]);
        assert_eq!(String::from_utf8(csv).unwrap(), "a,b\n'=1+1,-3\n");
    }
}
