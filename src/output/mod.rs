//! The one place that writes files. Renderers hand over bytes; this module
//! puts them in place atomically, never touches the input folder, and only
//! ever replaces or removes a folder it wrote itself.
//!
//! A run writes `dest` whole: the files go into `.NAME.tmp-PID` beside it,
//! the previous folder moves to `.NAME.old-PID`, the new one into place, and
//! the old one is removed. One lock per destination (`.NAME.lock`) keeps two
//! runs apart; a run that finds the leftovers of a killed one restores or
//! removes them and says so.

mod staging;

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};

pub use staging::{Put, Stager, Staging, Written};

/// Every folder the tool writes holds this file; a folder without it is
/// never replaced or removed.
pub const MARKER: &str = ".annual-report";
const MARKER_TEXT: &[u8] =
    "此文件夹由 annual-report 生成，重新运行时会被整体替换；请不要在其中存放其他文件。\n".as_bytes();

/// A file to write, by its path relative to the destination folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            bytes,
        }
    }
}

/// Refuse an output folder that is the input folder, lies inside it or
/// contains it: a run replaces folders under the output, and the input holds
/// a year of unit submissions.
pub fn check_apart(input: &Path, output: &Path) -> Result<()> {
    let (i, o) = (resolved(input)?, resolved(output)?);
    let why = if i == o {
        "就是输入文件夹"
    } else if o.starts_with(&i) {
        "位于输入文件夹之内"
    } else if i.starts_with(&o) {
        "包含输入文件夹"
    } else {
        return Ok(());
    };
    bail!(
        "输出文件夹 {} {why} {}：为免覆盖各单位的报表，本次未写入任何文件。请用 --output 指定输入文件夹以外的文件夹（默认 output）",
        output.display(),
        input.display()
    )
}

/// The absolute path with symlinks of its existing part resolved and `.`
/// and `..` removed, whether or not the folder exists yet.
fn resolved(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).with_context(|| format!("无法解析路径 {}", path.display()))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_owned());
    for part in rest.iter().rev() {
        out.push(part);
    }
    let mut normal = PathBuf::new();
    for c in out.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    Ok(normal)
}

/// A file name stem safe on every file system: no separators, no `..`, no
/// control characters, no reserved Windows names, not too long.
pub fn safe_stem(stem: &str) -> String {
    let mut s: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    while s.contains("..") {
        s = s.replace("..", "_");
    }
    let mut s: String = s
        .trim_matches(|c: char| c == '.' || c == ' ')
        .chars()
        .take(100)
        .collect();
    let base = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit());
    if reserved || s.is_empty() {
        s.insert(0, '_');
    }
    s
}

/// Replace the folder `dest` with exactly `files`. On any failure the
/// previous folder is left as it was. Returns what was recovered from an
/// interrupted run, for the command to print.
pub fn replace_folder(dest: &Path, files: &[OutputFile]) -> Result<Vec<String>> {
    let mut slot = Slot::open(dest)?;
    slot.stage(files, None)?;
    slot.commit(false)?;
    Ok(slot.recovered)
}

/// The previous run's folder inside a report folder.
pub const PREVIOUS: &str = ".previous";

/// Write `files` into `dest` as one set, leaving its other files alone —
/// except under the `fresh` folders, which hold exactly the new files: the
/// folder is rebuilt beside it (other files hard-linked) and swapped in, so
/// a kill leaves either the old set or the new one.
pub fn update_files(dest: &Path, files: &[OutputFile], fresh: &[&str]) -> Result<Vec<String>> {
    let mut slot = Slot::open(dest)?;
    slot.stage(files, Some(fresh))?;
    slot.commit(false)?;
    Ok(slot.recovered)
}

/// A destination folder held under its lock while a new version is staged.
struct Slot {
    dest: PathBuf,
    tmp: PathBuf,
    recovered: Vec<String>,
    _lock: File,
}

impl Slot {
    fn open(dest: &Path) -> Result<Slot> {
        let parent = parent_of(dest);
        fs::create_dir_all(parent)
            .with_context(|| format!("无法创建输出文件夹 {}：请检查路径和写权限", parent.display()))?;
        let lock_path = sibling(dest, "lock", false);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("无法创建锁文件 {}：请检查输出文件夹的写权限", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                bail!("另一个 annual-report 正在写入 {}：请等它结束后再运行", dest.display())
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("无法锁定 {}", lock_path.display()));
            }
        }
        let recovered = recover(dest)?;
        if dest.exists() && !written_by_us(dest) && !is_empty_dir(dest) {
            bail!(
                "输出位置 {} 已存在，但不是 annual-report 生成的（其中没有 {MARKER}）：为免删除其中的文件，本次未写入。请用 --output 换一个文件夹，或先把它移走",
                dest.display()
            );
        }
        Ok(Slot {
            tmp: sibling(dest, "tmp", true),
            dest: dest.to_owned(),
            recovered,
            _lock: lock,
        })
    }

    /// Make the staging folder with its marker.
    fn begin(&self, folders: &mut Folders) -> Result<()> {
        fs::create_dir_all(&self.tmp)
            .with_context(|| format!("无法创建临时文件夹 {}：请检查写权限", self.tmp.display()))?;
        folders.write(&self.tmp.join(MARKER), MARKER_TEXT)
    }

    /// Write the new folder beside the destination: the marker first, then
    /// (when `keep_others` names the folders not to keep) the destination's
    /// other files, then `files`.
    fn stage(&mut self, files: &[OutputFile], keep_others: Option<&[&str]>) -> Result<()> {
        let mut folders = Folders::default();
        let result = (|| {
            self.begin(&mut folders)?;
            if let Some(fresh) = keep_others.filter(|_| self.dest.is_dir()) {
                let mut replaced: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
                replaced.extend(fresh);
                link_tree(&self.dest, &self.tmp, "", &replaced)?;
            }
            files
                .iter()
                .try_for_each(|f| folders.write(&self.tmp.join(&f.path), &f.bytes))
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        result
    }

    /// Swap the staged folder into place; the old one is removed, or kept
    /// as `.previous` inside the new one.
    fn commit(&self, keep_previous: bool) -> Result<()> {
        let old = sibling(&self.dest, "old", true);
        let had_old = self.dest.exists();
        if had_old {
            if let Err(e) = fs::rename(&self.dest, &old) {
                let _ = fs::remove_dir_all(&self.tmp);
                return Err(e).with_context(|| format!("无法替换 {}：文件夹是否被其他程序占用？", self.dest.display()));
            }
        }
        if let Err(e) = fs::rename(&self.tmp, &self.dest) {
            if had_old {
                let _ = fs::rename(&old, &self.dest);
            }
            let _ = fs::remove_dir_all(&self.tmp);
            return Err(e).with_context(|| format!("无法写入 {}", self.dest.display()));
        }
        if had_old {
            match keep_previous {
                true => keep_as_previous(&old, &self.dest),
                false => {
                    let _ = fs::remove_dir_all(&old);
                }
            }
        }
        Ok(())
    }
}

/// Move the replaced folder `old` into `dest/.previous` (without its own
/// `.previous`: one generation is kept).
fn keep_as_previous(old: &Path, dest: &Path) {
    let _ = fs::remove_dir_all(old.join(PREVIOUS));
    let previous = dest.join(PREVIOUS);
    let _ = fs::remove_dir_all(&previous);
    if fs::rename(old, &previous).is_err() {
        let _ = fs::remove_dir_all(old);
    }
}

/// Leftovers of a run killed while writing `dest`: a half-written new
/// folder is removed; an old folder moved aside is put back when `dest` is
/// gone, removed otherwise. Only folders carrying the marker are touched.
fn recover(dest: &Path) -> Result<Vec<String>> {
    let parent = parent_of(dest);
    let name = folder_name(dest);
    let mut leftovers: Vec<PathBuf> = fs::read_dir(parent)
        .with_context(|| format!("无法读取输出文件夹 {}", parent.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = folder_name(p);
            n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-"))
        })
        .collect();
    leftovers.sort();
    let mut said = Vec::new();
    for path in leftovers {
        if !path.is_dir() || !(written_by_us(&path) || is_empty_dir(&path)) {
            said.push(format!(
                "注意：{} 不是 annual-report 留下的文件夹，未处理",
                path.display()
            ));
            continue;
        }
        let is_old = folder_name(&path).starts_with(&format!(".{name}.old-"));
        if is_old && !dest.exists() {
            fs::rename(&path, dest).with_context(|| format!("无法恢复 {}", dest.display()))?;
            said.push(format!(
                "上次运行在替换 {} 时中断：已把之前的结果恢复到原处",
                dest.display()
            ));
        } else if is_old && !dest.join(PREVIOUS).exists() {
            keep_as_previous(&path, dest);
            said.push(format!(
                "上次运行在替换 {} 时中断：之前的结果已移到 {}",
                dest.display(),
                dest.join(PREVIOUS).display()
            ));
        } else {
            fs::remove_dir_all(&path).with_context(|| format!("无法删除上次中断留下的 {}", path.display()))?;
            said.push(format!("已删除上次中断的运行留下的临时文件夹 {}", path.display()));
        }
    }
    Ok(said)
}

/// The marker, or — for folders written before there was one — the
/// manifest or validation.csv this program writes.
fn written_by_us(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    let starts = |file: &str, text: &str| {
        fs::read(dir.join(file))
            .map(|b| String::from_utf8_lossy(&b[..b.len().min(200)]).contains(text))
            .unwrap_or(false)
    };
    starts("manifest.json", "\"name\": \"annual-report\"")
        || starts("validation.csv", "severity,unit_code,file,sheet,cell")
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

/// Hard-link (or copy) every file under `from` into `to`, except the
/// marker and the `replaced` paths (files or whole folders).
fn link_tree(from: &Path, to: &Path, prefix: &str, replaced: &[&str]) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(from)
        .with_context(|| format!("无法读取 {}", from.display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        if rel == MARKER || replaced.contains(&rel.as_str()) {
            continue;
        }
        let target = to.join(&name);
        if kind.is_dir() {
            fs::create_dir_all(&target)?;
            link_tree(&entry.path(), &target, &rel, replaced)?;
        } else if kind.is_file() && fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target).with_context(|| format!("无法复制 {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The folders made so far in a staging folder: each is made once, not
/// once per file (10,000 receipts share one).
#[derive(Default)]
struct Folders(HashSet<PathBuf>);

impl Folders {
    fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.make_parent(path)?;
        fs::write(path, bytes).with_context(|| cannot_write(path))
    }

    fn create(&mut self, path: &Path) -> Result<File> {
        self.make_parent(path)?;
        File::create(path).with_context(|| cannot_write(path))
    }

    fn make_parent(&mut self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !self.0.contains(*d)) {
            fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
            self.0.insert(dir.to_owned());
        }
        Ok(())
    }
}

/// What a file that could not be written is told as.
fn cannot_write(path: &Path) -> String {
    format!("无法写入 {}：请检查写权限和磁盘空间", path.display())
}

fn parent_of(dest: &Path) -> &Path {
    dest.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `.NAME.TAG-PID` (or `.NAME.TAG` for the lock) beside `dest`.
fn sibling(dest: &Path, tag: &str, with_pid: bool) -> PathBuf {
    let name = folder_name(dest);
    match with_pid {
        true => dest.with_file_name(format!(".{name}.{tag}-{}", std::process::id())),
        false => dest.with_file_name(format!(".{name}.{tag}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256_hex;

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_stem("u001-省直/机关\\工会"), "u001-省直_机关_工会");
        assert_eq!(safe_stem("../../etc"), "____etc");
        assert_eq!(safe_stem("CON"), "_CON");
        assert_eq!(safe_stem("com1"), "_com1");
        assert_eq!(safe_stem("a\u{0}b\tc:d?"), "a_b_c_d_");
        assert_eq!(safe_stem(" . "), "_");
        assert_eq!(safe_stem("fitness.items"), "fitness.items");
        assert!(safe_stem(&"长".repeat(300)).chars().count() <= 100);
    }

    #[test]
    fn replaces_a_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        replace_folder(
            &dest,
            &[
                OutputFile::new("a.txt", b"1".to_vec()),
                OutputFile::new("t/b.csv", b"2".to_vec()),
            ],
        )
        .unwrap();
        replace_folder(&dest, &[OutputFile::new("a.txt", b"3".to_vec())]).unwrap();
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"3");
        assert!(
            !dest.join("t/b.csv").exists(),
            "files of the previous run do not linger"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers,
            vec![std::ffi::OsString::from(".2015.lock"), std::ffi::OsString::from("2015")]
        );
        assert!(dest.join(MARKER).is_file(), "the folder says who wrote it");
    }

    #[test]
    fn the_replaced_folder_is_kept_one_generation() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        for run in ["1", "2", "3"] {
            let mut staging = Staging::open(&dest).unwrap();
            staging
                .put(vec![OutputFile::new("a.txt", run.as_bytes().to_vec())])
                .unwrap();
            staging.commit().unwrap();
        }
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"3");
        assert_eq!(fs::read(dest.join(".previous/a.txt")).unwrap(), b"2");
        assert!(!dest.join(".previous/.previous").exists(), "one generation only");
    }

    #[test]
    fn files_are_staged_as_they_come_and_swapped_in_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        let mut staging = Staging::open(&dest).unwrap();
        staging
            .put(vec![OutputFile::new("tables/a.csv", b"a".to_vec())])
            .unwrap();
        staging.put(vec![OutputFile::new("b.md", b"b".to_vec())]).unwrap();
        assert_eq!(
            fs::read(staging.folder().unwrap().join("tables/a.csv")).unwrap(),
            b"a",
            "on disk already"
        );
        assert!(!dest.exists(), "nothing in place before the commit");
        assert!(
            Staging::open(&dest).is_err(),
            "a second run on the folder stops while the first holds it"
        );
        let written: Vec<_> = staging
            .written()
            .unwrap()
            .iter()
            .map(|w| (w.path.as_str(), w.sha256.clone()))
            .collect();
        assert_eq!(
            written,
            vec![("tables/a.csv", sha256_hex(b"a")), ("b.md", sha256_hex(b"b"))]
        );
        staging.commit().unwrap();
        assert_eq!(fs::read(dest.join("b.md")).unwrap(), b"b");
        assert!(dest.join(MARKER).is_file());
    }

    #[test]
    fn a_staging_dropped_uncommitted_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        replace_folder(&dest, &[OutputFile::new("a.txt", b"old".to_vec())]).unwrap();
        let mut staging = Staging::open(&dest).unwrap();
        staging.put(vec![OutputFile::new("a.txt", b"new".to_vec())]).unwrap();
        drop(staging);
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    }

    #[test]
    fn never_replaces_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("u001.xlsx"), b"a unit's workbook").unwrap();
        let err = replace_folder(&dest, &[OutputFile::new("a.txt", b"1".to_vec())]).unwrap_err();
        assert!(format!("{err:#}").contains("不是 annual-report 生成的"), "{err:#}");
        assert!(update_files(&dest, &[OutputFile::new("a.txt", b"1".to_vec())], &[]).is_err());
        assert_eq!(fs::read(dest.join("u001.xlsx")).unwrap(), b"a unit's workbook");
        assert!(!dest.join("a.txt").exists());
    }

    #[test]
    fn refuses_output_that_overlaps_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        fs::create_dir_all(input.join("2015")).unwrap();
        for output in [
            input.clone(),
            input.join("out"),
            input.join("2015"),
            dir.path().to_owned(),
            input.join("x/../.."),
        ] {
            let err = check_apart(&input, &output).unwrap_err();
            assert!(format!("{err}").contains("输入文件夹"), "{err}");
        }
        check_apart(&input, &dir.path().join("output")).unwrap();
        check_apart(&input, &dir.path().join("input-copy")).unwrap();
    }

    #[test]
    fn a_killed_swap_is_restored_and_temp_folders_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        replace_folder(&dest, &[OutputFile::new("a.txt", b"old".to_vec())]).unwrap();
        // Killed between the two renames: the report sits aside, a temp folder lingers.
        fs::rename(&dest, dir.path().join(".2015.old-99999")).unwrap();
        fs::create_dir_all(dir.path().join(".2015.tmp-99998/tables")).unwrap();
        fs::write(dir.path().join(".2015.tmp-99998").join(MARKER), b"").unwrap();
        let said = update_files(&dest, &[OutputFile::new("b.txt", b"new".to_vec())], &[]).unwrap();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said.iter().any(|s| s.contains("已把之前的结果恢复")), "{said:?}");
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"old");
        assert_eq!(fs::read(dest.join("b.txt")).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "only the lock and the folder remain: {names:?}");
    }

    #[test]
    fn a_second_run_on_the_same_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        let _held = Slot::open(&dest).unwrap();
        let err = replace_folder(&dest, &[OutputFile::new("a.txt", b"1".to_vec())]).unwrap_err();
        assert!(format!("{err:#}").contains("另一个 annual-report 正在写入"), "{err:#}");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        replace_folder(&dest, &[OutputFile::new("a.txt", b"old".to_vec())]).unwrap();
        // A path that cannot be a file: "a.txt" as a folder and a file at once.
        let bad = [
            OutputFile::new("x", b"1".to_vec()),
            OutputFile::new("x/y", b"2".to_vec()),
        ];
        assert!(replace_folder(&dest, &bad).is_err());
        assert_eq!(fs::read(dest.join("a.txt")).unwrap(), b"old");
    }

    #[test]
    fn update_files_keeps_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2015");
        update_files(&dest, &[OutputFile::new("keep.md", b"k".to_vec())], &[]).unwrap();
        let receipts = [
            OutputFile::new("tables/s.csv", b"s".to_vec()),
            OutputFile::new("r/old.xlsx", b"o".to_vec()),
        ];
        update_files(&dest, &receipts, &[]).unwrap();
        let again = [
            OutputFile::new("tables/s.csv", b"t".to_vec()),
            OutputFile::new("r/new.xlsx", b"n".to_vec()),
        ];
        update_files(&dest, &again, &["r"]).unwrap();
        assert_eq!(fs::read(dest.join("keep.md")).unwrap(), b"k");
        assert_eq!(fs::read(dest.join("tables/s.csv")).unwrap(), b"t");
        assert!(
            !dest.join("r/old.xlsx").exists(),
            "a fresh folder holds only the new files"
        );
        assert_eq!(fs::read(dest.join("r/new.xlsx")).unwrap(), b"n");
    }
}
