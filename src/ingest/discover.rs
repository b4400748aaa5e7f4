//! Finding the submissions of a year: every spreadsheet under `input/<YEAR>/`,
//! in a stable order; lock files and other files are skipped with a note.
//! Directory symlinks are never followed (a `loop -> ..` would pull other
//! years in); a file symlink counts only when it points inside the input
//! folder; FIFOs, devices and sockets are listed as skipped, never opened.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Severity};

pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Serialisable: a reading worker is sent the file to read (a path that is
/// not UTF-8 cannot be: serde refuses it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the input folder, `/`-separated: `2015/u017.xlsx`.
    pub rel: String,
    /// Lower-case extension without the dot.
    pub ext: String,
}

/// Relative path with `/` separators, for messages and CSVs on every OS.
pub fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The submissions under `year_dir`, sorted by relative path, and a note for
/// every file that is not one.
pub fn discover(input: &Path, year_dir: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut notes = Vec::new();
    let walker = WalkDir::new(year_dir).follow_links(false).sort_by_file_name();
    let input_root = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_owned());
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| relative(p, input)).unwrap_or_default();
                notes.push(unreadable_path(rel, e.io_error()));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(path, input);
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() {
            match std::fs::canonicalize(path) {
                Ok(target) if target.is_dir() => {
                    notes.push(note(
                        Severity::Warning,
                        rel,
                        Code::FolderLink,
                        "这是指向文件夹的链接（快捷方式），未进入读取；请把报表直接放在年度文件夹里。",
                    ));
                    continue;
                }
                Ok(target) if target.is_file() && target.starts_with(&input_root) => {}
                _ => {
                    notes.push(note(
                        Severity::Warning,
                        rel,
                        Code::OutsideLink,
                        "这是指向输入文件夹以外（或已失效）的链接，未读取；请把报表文件本身放进年度文件夹。",
                    ));
                    continue;
                }
            }
        } else if !kind.is_file() {
            notes.push(note(
                Severity::Warning,
                rel,
                Code::NotAFile,
                "这不是普通文件（管道、设备或套接字），已跳过。",
            ));
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.starts_with("~$") || name.starts_with(".~lock.") {
            notes.push(note(
                Severity::Note,
                rel,
                Code::LockFile,
                "这是 Office/WPS 打开文件时留下的临时锁文件，不是报表，已跳过。",
            ));
        } else if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
            found.push(Found {
                path: path.to_owned(),
                rel,
                ext,
            });
        } else {
            notes.push(note(
                Severity::Note,
                rel,
                Code::NotASpreadsheet,
                "不是表格文件（只读取 .xlsx .xlsm .xls .xlsb .ods），已跳过。",
            ));
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    (found, notes)
}

/// A folder or file that cannot be listed or opened: what it holds is not
/// checked, and the office is told why in words, not an OS message.
pub fn unreadable_path(rel: String, error: Option<&std::io::Error>) -> Diagnostic {
    let why = match error.map(std::io::Error::kind) {
        Some(std::io::ErrorKind::PermissionDenied) => "没有读取权限",
        Some(std::io::ErrorKind::NotFound) => "读取时已不存在",
        _ => "读取出错",
    };
    note(
        Severity::Warning,
        rel,
        Code::UnreadablePath,
        format!("无法读取此路径（{why}），其中的文件未被检查：请检查文件夹的读取权限后重新运行。"),
    )
}

fn note(severity: Severity, file: String, code: Code, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        severity,
        unit_code: None,
        file,
        sheet: None,
        cell: None,
        code,
        message: message.into(),
    }
}
