//! One unit workbook read end to end: opened, 基本信息 and 数据 read, every
//! problem collected. Nothing here decides whether it counts.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::diag::{Code, Diagnostic, Severity, Sink};
use crate::ingest::discover::Found;
use crate::ingest::grid::Grid;
use crate::ingest::open::{Format, OpenError, Opened};
use crate::registry::Registry;

use super::data::{self, Figure};
use super::info::{self, Info};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    /// Path relative to the input folder.
    pub file: String,
    pub format: Option<Format>,
    /// SHA-256 of the file's bytes, for the manifest.
    pub sha256: String,
    pub info: Info,
    pub figures: Vec<Figure>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Submission {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// The sheets a submission is read from.
pub const SHEETS: [&str; 2] = [info::SHEET, data::SHEET];

/// Read one submission from its workbook as opened (in this process or a
/// reading worker's), its hash already taken.
pub fn from_opened(
    found: &Found,
    sha256: String,
    opened: Result<Opened, OpenError>,
    year: i32,
    catalogue: &Catalogue,
    registry: &Registry,
) -> Submission {
    let mut sink = Sink::new(&found.rel);
    let mut submission = Submission {
        file: found.rel.clone(),
        format: None,
        sha256,
        info: Info::default(),
        figures: Vec::new(),
        diagnostics: Vec::new(),
    };
    let opened = match opened {
        Ok(o) => o,
        Err(e) => {
            sink.on_file(e.code(), e.message());
            submission.diagnostics = sink.items;
            return submission;
        }
    };
    submission.format = Some(opened.format);
    if !opened.format.matches_extension(&found.ext) {
        sink.on_file(
            Code::WrongExtension,
            format!(
                "文件扩展名是 .{}，但内容是 {} 格式，已按实际格式读取。",
                found.ext,
                opened.format.name()
            ),
        );
    }
    let mut sheets = opened.sheets.into_iter();
    let (info_sheet, data_sheet) = (sheets.next().flatten(), sheets.next().flatten());
    for (name, sheet) in [(info::SHEET, &info_sheet), (data::SHEET, &data_sheet)] {
        match sheet {
            None => sink.on_sheet(
                name,
                Code::MissingSheet,
                format!(
                    "工作簿中没有“{name}”工作表（现有：{}）。请使用下发的表格，不要改动工作表名称。",
                    opened.sheet_names.join("、")
                ),
            ),
            Some(grid) => check_sheet(name, grid, &mut sink),
        }
    }
    if let Some(grid) = &info_sheet {
        submission.info = info::read_info(grid, year, registry, &mut sink);
    }
    if let Some(grid) = &data_sheet {
        submission.figures = data::read_data(grid, catalogue, submission.info.filled_through, &mut sink);
        // Kept for the whole run, both years: without the slack a growing
        // Vec leaves, 20 % less memory at 10,000 units.
        submission.figures.shrink_to_fit();
    }
    submission.diagnostics = sink.items;
    submission.diagnostics.shrink_to_fit();
    submission
}

/// What is said of a sheet before its cells: its name as spelled, cells
/// far outside the form that were not read, and formulas that could not be
/// read (then a blank may be a formula never
/// calculated, so the sheet cannot be trusted).
fn check_sheet(name: &str, grid: &Grid, sink: &mut Sink) {
    if grid.name != name {
        sink.on_sheet(
            name,
            Code::SheetNameSpelling,
            format!("工作表名称写作“{}”，按“{name}”读取。", grid.name),
        );
    }
    if !grid.ignored.is_empty() {
        sink.on_sheet(name, Code::CellsIgnored, grid.ignored.message(name));
    }
    if let Some(why) = &grid.formulas_unreadable {
        sink.on_sheet(
            name,
            Code::FormulasUnreadable,
            format!(
                "无法读取“{name}”表中的公式（{why}），因而无法区分空白单元格和没有计算结果的公式。请在 Excel、WPS 或 LibreOffice 中打开，重新计算并保存后再发送。"
            ),
        );
    }
}
