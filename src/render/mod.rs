//! Renderers: data in, bytes out. Nothing here touches the file system.

pub mod docx;
pub mod manifest;
pub mod submissions;
pub mod tables;
pub mod validation;
pub mod workbook;

/// CSV as SPEC.md fixes it: UTF-8, header row, `,`, `\n` line ends.
pub fn csv_bytes<I, R>(header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(header).expect("in-memory CSV");
    for row in rows {
        w.write_record(row).expect("in-memory CSV");
    }
    w.into_inner().expect("in-memory CSV")
}
