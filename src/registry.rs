//! The registry of member units (`units.xlsx|xls|ods|csv`): who is due to
//! submit. Problems here are fatal: they name the file and row.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::diag::CellPos;
use crate::ingest::grid::{Cell, Grid};
use crate::ingest::limits::{read_capped, MAX_FILE_BYTES};
use crate::ingest::open::{open, Pick};
use crate::ingest::pool::{Isolation, Pool};
use crate::text::{code_key, label_key, trim};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    pub units: Vec<Unit>,
    by_code: HashMap<String, usize>,
}

/// Header rows are looked for in the first rows, as in unit workbooks.
const HEADER_SEARCH_ROWS: u32 = 10;

impl Registry {
    /// The one `units.*` file in the input folder.
    pub fn find(input: &Path) -> Result<PathBuf> {
        let candidates: Vec<PathBuf> = ["xlsx", "xls", "ods", "csv"]
            .iter()
            .map(|ext| input.join(format!("units.{ext}")))
            .filter(|p| p.is_file())
            .collect();
        match candidates.len() {
            0 => bail!(
                "在 {} 中找不到单位名册：请放入 units.xlsx（或 .xls/.ods/.csv），表头含“单位代码”“单位名称”",
                input.display()
            ),
            1 => Ok(candidates.into_iter().next().expect("one")),
            _ => bail!(
                "在 {} 中找到多个单位名册（{}）：请只保留一个",
                input.display(),
                candidates
                    .iter()
                    .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        }
    }

    /// Read the registry file as unit workbooks are read: no larger than
    /// [`MAX_FILE_BYTES`], a spreadsheet opened in a worker process with
    /// the reading limits. Returns the registry and the file's bytes.
    pub fn load(path: &Path) -> Result<(Registry, Vec<u8>)> {
        let bytes = read_capped(path)
            .with_context(|| format!("无法读取单位名册 {}", path.display()))?
            .map_err(|size| {
                anyhow::anyhow!(
                    "单位名册 {} 有 {} MB，超过 {} MB 的上限：名册只需“单位代码”“单位名称”等几列，请另存为不含图片的表格",
                    path.display(),
                    size >> 20,
                    MAX_FILE_BYTES >> 20
                )
            })?;
        let pool = Isolation::this_binary().map(Pool::new);
        let registry = Registry::parse(&bytes, path, pool.as_ref())?;
        Ok((registry, bytes))
    }

    /// Parse the registry file's bytes in-process; `path` names it and
    /// tells CSV apart.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Registry> {
        Registry::parse(bytes, path, None)
    }

    fn parse(bytes: &[u8], path: &Path, pool: Option<&Pool>) -> Result<Registry> {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let grid = if is_csv {
            csv_grid(bytes, &name)?
        } else {
            let opened = pool
                .and_then(|p| p.open(bytes, Pick::First))
                .unwrap_or_else(|| open(bytes, Pick::First))
                .map_err(|e| anyhow::anyhow!("单位名册 {name}：{}", e.message()))?;
            opened
                .sheets
                .into_iter()
                .next()
                .flatten()
                .with_context(|| format!("单位名册 {name} 没有工作表"))?
        };
        Registry::from_grid(&grid, &name)
    }

    /// Parse a registry table; `name` is how the file is named in messages.
    pub fn from_grid(grid: &Grid, name: &str) -> Result<Registry> {
        let text = |r: u32, c: u32| -> String {
            grid.get(CellPos::new(r, c))
                .as_text()
                .map(|s| trim(&s).to_owned())
                .unwrap_or_default()
        };
        let find_col = |r: u32, label: &str| (0..grid.col_end()).find(|&c| label_key(&text(r, c)) == label);
        let header = (0..HEADER_SEARCH_ROWS.min(grid.row_end())).find_map(|r| {
            Some((
                r,
                find_col(r, "单位代码")?,
                find_col(r, "单位名称")?,
                find_col(r, "类别"),
            ))
        });
        let Some((header_row, code_col, name_col, category_col)) = header else {
            bail!("单位名册 {name}：前 {HEADER_SEARCH_ROWS} 行中找不到含“单位代码”“单位名称”的表头行");
        };
        let mut registry = Registry::default();
        let mut problems = Vec::new();
        for r in header_row + 1..grid.row_end() {
            let (code, unit_name) = (text(r, code_col), text(r, name_col));
            let category = category_col.map(|c| text(r, c)).filter(|s| !s.is_empty());
            if code.is_empty() && unit_name.is_empty() {
                continue;
            }
            let line = r + 1;
            if code.is_empty() {
                problems.push(format!("单位名册 {name} 第 {line} 行：“{unit_name}”没有单位代码"));
                continue;
            }
            if unit_name.is_empty() {
                problems.push(format!("单位名册 {name} 第 {line} 行：单位代码“{code}”没有单位名称"));
            }
            let key = code_key(&code);
            if let Some(&first) = registry.by_code.get(&key) {
                problems.push(format!(
                    "单位名册 {name} 第 {line} 行：单位代码“{code}”重复（已用于“{}”）",
                    registry.units[first].name
                ));
                continue;
            }
            registry.by_code.insert(key, registry.units.len());
            registry.units.push(Unit {
                code,
                name: unit_name,
                category,
            });
        }
        if !problems.is_empty() {
            bail!("{}", problems.join("\n"));
        }
        if registry.units.is_empty() {
            bail!("单位名册 {name} 中没有任何单位");
        }
        Ok(registry)
    }

    /// Index of a registered unit by its registry code, exactly as registered.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code
            .get(&code_key(code))
            .copied()
            .filter(|&i| self.units[i].code == code)
    }

    /// The registered unit a workbook means. Excel turns `007` typed as a
    /// number into `7`, so an all-digit code also matches by its value.
    pub fn lookup(&self, code: &str) -> Option<&Unit> {
        let key = code_key(code);
        if let Some(&i) = self.by_code.get(&key) {
            return Some(&self.units[i]);
        }
        let lower = key.to_lowercase();
        if let Some(u) = self.units.iter().find(|u| code_key(&u.code).to_lowercase() == lower) {
            return Some(u);
        }
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if digits(&key) {
            let want = key.trim_start_matches('0');
            return self.units.iter().find(|u| {
                let k = code_key(&u.code);
                digits(&k) && k.trim_start_matches('0') == want
            });
        }
        None
    }
}

/// A CSV registry as a grid. Excel on Chinese Windows saves CSV as GB18030,
/// so anything that is not UTF-8 is decoded as that — and what is neither
/// is a fatal error naming the line, never a name silently garbled.
fn csv_grid(bytes: &[u8], name: &str) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => decode_gb18030(bytes, name)?,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("单位名册 {name} 第 {} 行无法解析", i + 1))?;
        rows.push(rec.iter().map(str::to_owned).collect());
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cells = rows
        .into_iter()
        .flat_map(|mut r| {
            r.resize(width, String::new());
            r.into_iter()
                .map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s) })
        })
        .collect();
    Ok(Grid::from_cells(name, (0, 0), width, cells))
}

fn decode_gb18030(bytes: &[u8], name: &str) -> Result<String> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 2);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(bad, _) => {
            let at = read.saturating_sub(bad as usize);
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            bail!(
                "单位名册 {name} 第 {line} 行有无法识别的字符（既不是 UTF-8 也不是 GB18030 编码）：请用 Excel 打开后另存为“CSV UTF-8”或 .xlsx"
            )
        }
        encoding_rs::DecoderResult::OutputFull => unreachable!("the string grows as needed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(csv: &str) -> Result<Registry> {
        Registry::from_grid(&csv_grid(csv.as_bytes(), "units.csv")?, "units.csv")
    }

    #[test]
    fn reads_header_below_a_title_and_optional_category() {
        let r = reg("省直单位名册,,\n单位代码,单位名称,类别\nu001,甲单位工会,直属工会\n,,\n007,乙单位工会,\n").unwrap();
        assert_eq!(r.units.len(), 2);
        assert_eq!(r.units[0].category.as_deref(), Some("直属工会"));
        assert_eq!(r.units[1].category, None);
        assert_eq!(r.lookup(" U001 ").unwrap().name, "甲单位工会");
        assert_eq!(r.lookup("7").unwrap().code, "007");
        assert!(r.lookup("u002").is_none());
    }

    #[test]
    fn duplicate_codes_name_the_row() {
        let e = reg("单位代码,单位名称\nu001,甲\nu001,乙\n").unwrap_err().to_string();
        assert!(e.contains("第 3 行") && e.contains("重复"), "{e}");
    }

    #[test]
    fn missing_header_is_fatal() {
        let e = reg("代码,名称\nu001,甲\n").unwrap_err().to_string();
        assert!(e.contains("找不到含“单位代码”“单位名称”的表头行"), "{e}");
    }

    #[test]
    fn a_registry_in_neither_encoding_names_the_line() {
        let mut bytes = encoding_rs::GB18030
            .encode("单位代码,单位名称\nu001,甲单位工会\nu002,")
            .0
            .into_owned();
        bytes.extend_from_slice(b"\xFF\xFF\n");
        let e = csv_grid(&bytes, "units.csv").unwrap_err().to_string();
        assert!(e.contains("units.csv 第 3 行") && e.contains("GB18030"), "{e}");
    }

    #[test]
    fn gb18030_csv_from_chinese_excel() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("单位代码,单位名称\nu001,甲单位工会\n");
        let grid = csv_grid(&bytes, "units.csv").unwrap();
        let r = Registry::from_grid(&grid, "units.csv").unwrap();
        assert_eq!(r.units[0].name, "甲单位工会");
    }
}
