//! A report folder staged as it is made: [`Staging`] takes each file as soon
//! as it is rendered, hashes it for the manifest and hands it to a writer
//! thread, streams a file too large to hold (sources.csv), and swaps the
//! folder in whole at the end (its lock, marker and swap are the parent
//! module's `Slot`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use super::{cannot_write, Folders, OutputFile, Slot};
use crate::digest::sha256_hex;

/// A report folder written as it is made: each file goes into the staging
/// folder beside `dest` as soon as it is rendered (a run at 10,000 units
/// would otherwise hold 400 MB of output in memory until the end), written
/// by a thread of its own while the run renders the next, and the
/// folder is swapped in whole by [`Staging::commit`], keeping the one it
/// replaces as `.previous/`. Dropped uncommitted (an error, `--strict`), the
/// staging folder is removed and `dest` is as it was. The lock is held from
/// [`Staging::open`]: a second run on the same folder stops at once.
pub struct Staging {
    slot: Slot,
    written: Vec<Written>,
    folders: Folders,
    /// Writing the files put so far, while the run renders the next ones.
    writer: Option<Writer>,
    /// A write failed: the staging folder is incomplete and is never
    /// swapped in.
    failed: bool,
    committed: bool,
}

/// The thread that writes staged files in the order they were put: the
/// file system's cost (creating 10,000 receipt files is most of their
/// time) runs beside the rendering instead of after it. It owns the
/// folders made while it runs, and hands them back with what it wrote.
struct Writer {
    queue: Queue,
    done: std::thread::JoinHandle<(Folders, Vec<Written>, Result<()>)>,
}

/// Batches of files and their hashes, to the writer; shared with the
/// [`Stager`]s. Taken (closed) when the writer is waited for, so that a
/// stager still putting gets an error instead of keeping the writer
/// waiting for more.
type Queue = Arc<Mutex<Option<SyncSender<Queued>>>>;

/// What the writer is handed: files to write with their hashes, or a file
/// a [`Stager`] streamed itself, to be noted.
enum Queued {
    Files(Vec<OutputFile>, Vec<String>),
    Streamed(Written),
}

/// Puts files into the staging from another thread, through the same
/// writer: the receipts are made beside the report this way.
pub struct Stager {
    queue: Queue,
    tmp: PathBuf,
}

impl Stager {
    /// What [`Staging::put`] does; an error when the staging is being
    /// finished or a write failed (the staging's own error says which).
    pub fn put(&self, files: Vec<OutputFile>) -> Result<()> {
        let hashes = hashes(&files);
        enqueue(&self.queue, Queued::Files(files, hashes)).map_err(|_| stopped())
    }

    /// What [`Staging::put_streamed`] does, from this thread.
    pub fn put_streamed(&self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let full = self.tmp.join(path);
        let file = Folders::default().create(&full)?;
        let sha256 = stream_into(&full, file, render)?;
        let written = Written {
            path: path.to_owned(),
            sha256,
        };
        enqueue(&self.queue, Queued::Streamed(written)).map_err(|_| stopped())
    }
}

fn stopped() -> anyhow::Error {
    anyhow::anyhow!("输出文件夹已停止写入")
}

/// Where a stage puts its files: the [`Staging`] itself, or a [`Stager`]
/// on another thread.
pub trait Put {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()>;
    fn put_streamed(&mut self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()>;
}

impl Put for Staging {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        Staging::put(self, files)
    }

    fn put_streamed(&mut self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        Staging::put_streamed(self, path, render)
    }
}

impl Put for Stager {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        Stager::put(self, files)
    }

    fn put_streamed(&mut self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        Stager::put_streamed(self, path, render)
    }
}

/// Each file's SHA-256, for the manifest, on every core.
fn hashes(files: &[OutputFile]) -> Vec<String> {
    files.par_iter().map(|f| sha256_hex(&f.bytes)).collect()
}

/// Hand `queued` to the writer; `Err` when the queue is closed or the
/// writer stopped.
fn enqueue(queue: &Queue, queued: Queued) -> std::result::Result<(), ()> {
    let queue = queue.lock().map_err(|_| ())?;
    match queue.as_ref() {
        Some(q) => q.send(queued).map_err(|_| ()),
        None => Err(()),
    }
}

impl Writer {
    /// An error when no thread can be started (the caller then writes the
    /// files itself).
    fn start(tmp: PathBuf, mut folders: Folders) -> io::Result<Writer> {
        // Two batches queued at most: a batch of receipts is a few MB.
        let (queue, batches) = sync_channel::<Queued>(2);
        let done = std::thread::Builder::new()
            .name("staging-writer".into())
            .spawn(move || {
                let mut written = Vec::new();
                for queued in batches {
                    let wrote = match queued {
                        Queued::Files(files, hashes) => write_files(&tmp, &mut folders, files, hashes, &mut written),
                        Queued::Streamed(w) => {
                            written.push(w);
                            Ok(())
                        }
                    };
                    if let Err(e) = wrote {
                        return (folders, written, Err(e));
                    }
                }
                (folders, written, Ok(()))
            })?;
        Ok(Writer {
            queue: Arc::new(Mutex::new(Some(queue))),
            done,
        })
    }
}

/// Write `files` into `tmp` in order, each noted in `written` with its hash.
fn write_files(
    tmp: &Path,
    folders: &mut Folders,
    files: Vec<OutputFile>,
    hashes: Vec<String>,
    written: &mut Vec<Written>,
) -> Result<()> {
    for (f, sha256) in files.into_iter().zip(hashes) {
        folders.write(&tmp.join(&f.path), &f.bytes)?;
        written.push(Written { path: f.path, sha256 });
    }
    Ok(())
}

/// A file staged, with the SHA-256 of its bytes (for the manifest).
#[derive(Debug, Clone)]
pub struct Written {
    pub path: String,
    pub sha256: String,
}

impl Staging {
    pub fn open(dest: &Path) -> Result<Staging> {
        let slot = Slot::open(dest)?;
        let mut staging = Staging {
            slot,
            written: Vec::new(),
            folders: Folders::default(),
            writer: None,
            failed: false,
            committed: false,
        };
        staging.slot.begin(&mut staging.folders)?;
        Ok(staging)
    }

    /// Write `files` into the staging folder, in order, on the writer
    /// thread; their bytes are dropped once written. They are hashed here
    /// first, on every core. A failed write is reported by the next call
    /// (or by [`Staging::written`], [`Staging::folder`], the commit).
    pub fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        let hashes = hashes(&files);
        let Some(writer) = self.start_writer() else {
            // No thread to be had: written here and now, in order.
            let wrote = write_files(&self.slot.tmp, &mut self.folders, files, hashes, &mut self.written);
            self.failed |= wrote.is_err();
            return wrote;
        };
        match enqueue(&writer.queue, Queued::Files(files, hashes)) {
            Ok(()) => Ok(()),
            // The writer stopped at a failed write: its error says why.
            Err(()) => self.settle(),
        }
    }

    /// A [`Stager`] for another thread; `None` when no writer thread can be
    /// started (then the caller puts the files itself). Every stager must
    /// be done before the staging is next waited for ([`Staging::written`],
    /// a streamed file, the commit): from then on its puts are errors.
    pub fn stager(&mut self) -> Option<Stager> {
        let tmp = self.slot.tmp.clone();
        let queue = self.start_writer()?.queue.clone();
        Some(Stager { queue, tmp })
    }

    /// The writer thread, started unless it runs; `None` when it cannot be.
    fn start_writer(&mut self) -> Option<&Writer> {
        if self.writer.is_none() {
            let writer = Writer::start(self.slot.tmp.clone(), std::mem::take(&mut self.folders));
            self.writer = writer.ok();
        }
        self.writer.as_ref()
    }

    /// Wait until every file put is written; the first failed write.
    fn settle(&mut self) -> Result<()> {
        let Some(Writer { queue, done }) = self.writer.take() else {
            return Ok(());
        };
        // Closed for every stager too: the writer ends when it has
        // written what was queued.
        queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let Ok((folders, written, result)) = done.join() else {
            self.failed = true;
            bail!("无法写入 {}（写入线程意外中止）", self.slot.tmp.display());
        };
        self.folders = folders;
        self.written.extend(written);
        self.failed |= result.is_err();
        result
    }

    /// Write one file into the staging folder as `render` makes it, for a
    /// file too large to hold whole (sources.csv: 130 MB at 10,000 units).
    /// Blocks of it are hashed and written on another thread, beside the
    /// rendering.
    pub fn put_streamed(&mut self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let streamed = self.stream(path, render);
        self.failed |= streamed.is_err();
        streamed
    }

    fn stream(&mut self, path: &str, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        self.settle()?;
        let full = self.slot.tmp.join(path);
        let file = self.folders.create(&full)?;
        let sha256 = stream_into(&full, file, render)?;
        self.written.push(Written {
            path: path.to_owned(),
            sha256,
        });
        Ok(())
    }

    /// Every file staged so far, in the order written (once all are).
    pub fn written(&mut self) -> Result<&[Written]> {
        self.settle()?;
        Ok(&self.written)
    }

    /// The staging folder, to read back what was written (once all is).
    pub fn folder(&mut self) -> Result<&Path> {
        self.settle()?;
        Ok(&self.slot.tmp)
    }

    /// Swap the staged folder into place, keeping the replaced one as
    /// `.previous/`. Returns what was recovered from an interrupted run.
    pub fn commit(mut self) -> Result<Vec<String>> {
        self.settle()?;
        if self.failed {
            bail!("无法写入 {}：有文件没有写成，原有结果保持不变", self.slot.tmp.display());
        }
        self.committed = true;
        self.slot.commit(true)?;
        Ok(std::mem::take(&mut self.slot.recovered))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The writer finishes (or stops) before its folder is removed.
        let _ = self.settle();
        if !self.committed {
            let _ = fs::remove_dir_all(&self.slot.tmp);
        }
    }
}

/// Stream `render`'s output into `file` (at `full`, for messages), hashed
/// and written a block at a time on another thread beside the rendering;
/// its SHA-256.
fn stream_into(
    full: &Path,
    mut file: fs::File,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<String> {
    let (to_writer, blocks) = sync_channel::<Vec<u8>>(2);
    let (to_renderer, written_blocks) = std::sync::mpsc::channel::<Vec<u8>>();
    let cannot_write = || cannot_write(full);
    let (rendered, written) = std::thread::scope(|scope| {
        let writer = std::thread::Builder::new().spawn_scoped(scope, move || -> io::Result<String> {
            let mut hash = crate::digest::Streaming::default();
            for block in blocks {
                hash.update(&block);
                file.write_all(&block)?;
                // The renderer may be done: then the block is freed here.
                let _ = to_renderer.send(block);
            }
            Ok(hash.hex())
        })?;
        let mut sink = Blocks {
            block: Vec::with_capacity(Blocks::SIZE),
            to_writer,
            written: written_blocks,
        };
        let rendered = render(&mut sink).and_then(|()| sink.flush());
        drop(sink);
        Ok::<_, io::Error>((rendered, writer.join()))
    })
    .with_context(|| format!("{}（无法启动写入线程）", cannot_write()))?;
    // The writer's error is the cause of the renderer's, if both failed.
    let sha256 = match written {
        Ok(result) => result.with_context(cannot_write)?,
        Err(_) => bail!("{}（写入线程意外中止）", cannot_write()),
    };
    rendered.with_context(cannot_write)?;
    Ok(sha256)
}

/// A file's bytes handed to its writer a block at a time. The writer hands
/// each block back once written, and it is filled again: fresh memory is
/// dear (each page zeroed by the system when first touched), and at
/// 10,000 units sources.csv passed 180 MB through new blocks.
struct Blocks {
    block: Vec<u8>,
    to_writer: SyncSender<Vec<u8>>,
    written: Receiver<Vec<u8>>,
}

impl Blocks {
    const SIZE: usize = 1 << 20;
}

impl Write for Blocks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // Handed on before it would outgrow its room (growing moves it).
        if !self.block.is_empty() && self.block.len() + bytes.len() > Self::SIZE {
            self.flush()?;
        }
        self.block.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        let next = match self.written.try_recv() {
            Ok(mut written) => {
                written.clear();
                written
            }
            Err(_) => Vec::with_capacity(Self::SIZE),
        };
        let block = std::mem::replace(&mut self.block, next);
        // The writer stopped: its own error says why.
        self.to_writer
            .send(block)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "写入已中止"))
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::output::{replace_folder, OutputFile};

    #[test]
    fn a_streamed_file_is_written_in_blocks_and_hashed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        let mut staging = Staging::open(&dest).unwrap();
        // Over two blocks, in pieces that straddle the block boundary.
        let bytes: Vec<u8> = (0..Blocks::SIZE * 2 + 12_345).map(|i| (i % 251) as u8).collect();
        staging
            .put_streamed("tables/big.csv", |sink| {
                bytes.chunks(1000).try_for_each(|piece| sink.write_all(piece))
            })
            .unwrap();
        let written = staging.written().unwrap().last().unwrap().clone();
        assert_eq!(written.path, "tables/big.csv");
        assert_eq!(written.sha256, sha256_hex(&bytes));
        staging.commit().unwrap();
        assert_eq!(fs::read(dest.join("tables/big.csv")).unwrap(), bytes);
    }

    #[test]
    fn a_block_is_handed_on_before_it_outgrows_its_room_and_filled_again_once_written() {
        let (to_writer, blocks) = sync_channel(8);
        let (to_renderer, written) = std::sync::mpsc::channel();
        let mut sink = Blocks {
            block: Vec::with_capacity(Blocks::SIZE),
            to_writer,
            written,
        };
        let row = [b'x'; 1000];
        let mut received = Vec::new();
        for _ in 0..3 {
            // One block's worth and a row more: one block handed on.
            for _ in 0..=Blocks::SIZE / row.len() {
                sink.write_all(&row).unwrap();
            }
            let block = blocks.try_recv().unwrap();
            assert!(block.len() <= Blocks::SIZE, "{}", block.len());
            assert_eq!(block.capacity(), Blocks::SIZE, "grown, so moved");
            received.push(block.as_ptr());
            // As the writer does once it has written it.
            to_renderer.send(block).unwrap();
        }
        // The first block came back before the second was handed on, and
        // was the third.
        assert_eq!(received[2], received[0]);
    }

    #[test]
    fn a_streamed_file_that_fails_to_render_fails_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        let mut staging = Staging::open(&dest).unwrap();
        let failed = staging.put_streamed("tables/big.csv", |sink| {
            sink.write_all(b"unit_code\n")?;
            Err(io::Error::other("renderer gave up"))
        });
        let message = format!("{:#}", failed.unwrap_err());
        assert!(
            message.contains("big.csv") && message.contains("renderer gave up"),
            "{message}"
        );
        assert!(staging.written().unwrap().is_empty());
        drop(staging);
        assert!(!dest.exists(), "nothing is left of an uncommitted staging");
    }

    #[test]
    fn a_staged_write_that_fails_stops_the_run_and_keeps_the_old_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        replace_folder(&dest, &[OutputFile::new("a.txt", b"old".to_vec())]).unwrap();
        let mut staging = Staging::open(&dest).unwrap();
        // "x" a file and a folder at once: the writer thread fails on "x/y".
        staging.put(vec![OutputFile::new("x", b"1".to_vec())]).unwrap();
        let failed = staging
            .put(vec![OutputFile::new("x/y", b"2".to_vec())])
            .and_then(|()| staging.written().map(|_| ()));
        let message = format!("{:#}", failed.unwrap_err());
        assert!(message.contains("x"), "{message}");
        assert!(
            staging.commit().is_err(),
            "a staging with a failed write is never swapped in"
        );
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"old");
        assert!(!dest.join("x").exists());
    }

    #[test]
    fn files_put_from_another_thread_are_written_and_in_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        let mut staging = Staging::open(&dest).unwrap();
        let stager = staging.stager().expect("a writer thread");
        std::thread::scope(|scope| {
            let side = scope.spawn(move || {
                (0..50).try_for_each(|i| stager.put(vec![OutputFile::new(format!("receipts/{i}.xlsx"), vec![i])]))?;
                stager.put_streamed("tables/sources.csv", |sink| sink.write_all(b"unit_code\n"))
            });
            staging
                .put(vec![OutputFile::new("report.md", b"text".to_vec())])
                .unwrap();
            side.join().unwrap().unwrap();
        });
        let written = staging.written().unwrap();
        assert_eq!(written.len(), 52);
        let seven = written.iter().find(|w| w.path == "receipts/7.xlsx").unwrap();
        assert_eq!(seven.sha256, sha256_hex(&[7]));
        let streamed = written.iter().find(|w| w.path == "tables/sources.csv").unwrap();
        assert_eq!(streamed.sha256, sha256_hex(b"unit_code\n"));
        staging.commit().unwrap();
        assert_eq!(fs::read(dest.join("receipts/49.xlsx")).unwrap(), [49]);
        assert_eq!(fs::read(dest.join("report.md")).unwrap(), b"text");
        assert_eq!(fs::read(dest.join("tables/sources.csv")).unwrap(), b"unit_code\n");
    }

    #[test]
    fn a_stager_still_putting_when_the_staging_finishes_gets_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let mut staging = Staging::open(&dir.path().join("2015")).unwrap();
        let stager = staging.stager().expect("a writer thread");
        stager.put(vec![OutputFile::new("a.txt", b"a".to_vec())]).unwrap();
        // Waits for the writer although the stager is alive: its queue is
        // closed for everyone.
        assert_eq!(staging.written().unwrap().len(), 1);
        assert!(stager.put(vec![OutputFile::new("b.txt", b"b".to_vec())]).is_err());
    }
}
