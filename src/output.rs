//! The one place that writes files. Renderers hand over bytes; this module
//! puts them in place atomically, so a failed run never leaves half a report.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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

fn sibling(dest: &Path, tag: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Replace the folder `dest` with exactly `files`: written into a temporary
/// folder beside it, then moved into place. On any failure the previous
/// folder is left as it was.
pub fn replace_folder(dest: &Path, files: &[OutputFile]) -> Result<()> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)
        .with_context(|| format!("无法创建输出文件夹 {}：请检查路径和写权限", parent.display()))?;
    let tmp = sibling(dest, "tmp");
    let _ = fs::remove_dir_all(&tmp);
    let written = write_all(&tmp, files);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let old = sibling(dest, "old");
    let had_old = dest.exists();
    if had_old {
        fs::rename(dest, &old).with_context(|| format!("无法替换 {}：文件夹是否被其他程序占用？", dest.display()))?;
    }
    if let Err(e) = fs::rename(&tmp, dest) {
        if had_old {
            let _ = fs::rename(&old, dest);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(e).with_context(|| format!("无法写入 {}", dest.display()));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Write `files` into `dest`, each one atomically (temporary file, then
/// rename), leaving other files in the folder alone.
pub fn update_files(dest: &Path, files: &[OutputFile]) -> Result<()> {
    for f in files {
        let path = dest.join(&f.path);
        let dir = path.parent().unwrap_or(dest);
        fs::create_dir_all(dir).with_context(|| format!("无法创建输出文件夹 {}：请检查路径和写权限", dir.display()))?;
        let tmp = sibling(&path, "tmp");
        fs::write(&tmp, &f.bytes).with_context(|| format!("无法写入 {}：请检查写权限和磁盘空间", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("无法写入 {}", path.display()))?;
    }
    Ok(())
}

fn write_all(root: &Path, files: &[OutputFile]) -> Result<()> {
    fs::create_dir_all(root).with_context(|| format!("无法创建临时文件夹 {}：请检查写权限", root.display()))?;
    for f in files {
        let path = root.join(&f.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
        }
        fs::write(&path, &f.bytes).with_context(|| format!("无法写入 {}：请检查写权限和磁盘空间", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(leftovers, vec![std::ffi::OsString::from("2015")]);
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
        update_files(dir.path(), &[OutputFile::new("keep.md", b"k".to_vec())]).unwrap();
        update_files(dir.path(), &[OutputFile::new("tables/s.csv", b"s".to_vec())]).unwrap();
        assert_eq!(fs::read(dir.path().join("keep.md")).unwrap(), b"k");
        assert_eq!(fs::read(dir.path().join("tables/s.csv")).unwrap(), b"s");
    }
}
