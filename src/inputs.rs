//! The input folder: report.toml, the units registry and the year folders.
//! Anything wrong here is fatal (exit 2) with a message saying what to do.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::catalogue::Catalogue;
use crate::digest::sha256_hex;
use crate::ingest::discover::relative;
use crate::registry::Registry;

pub struct Inputs {
    pub dir: PathBuf,
    pub catalogue: Catalogue,
    pub registry: Registry,
    /// (path relative to the input folder, SHA-256) of report.toml and the registry.
    pub files: Vec<(String, String)>,
}

impl Inputs {
    pub fn load(dir: &Path) -> Result<Inputs> {
        if !dir.is_dir() {
            bail!(
                "找不到输入文件夹 {}：请在其中放入 report.toml、units.xlsx 和各年度文件夹，或用 --input 指定",
                dir.display()
            );
        }
        let toml_path = dir.join("report.toml");
        let toml_bytes = crate::ingest::limits::read_capped(&toml_path)
            .with_context(|| format!("无法读取 {}：请确认输入文件夹里有 report.toml", toml_path.display()))?
            .map_err(|size| {
                anyhow::anyhow!("{} 有 {} MB，不是项目目录文件：请检查", toml_path.display(), size >> 20)
            })?;
        let text = String::from_utf8(toml_bytes.clone())
            .map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 编码：请用 UTF-8 保存", toml_path.display()))?;
        let catalogue = Catalogue::parse(&text, &toml_path.display().to_string())?;
        let registry_path = Registry::find(dir)?;
        let (registry, registry_bytes) = Registry::load(&registry_path)?;
        let files = vec![
            ("report.toml".to_owned(), sha256_hex(&toml_bytes)),
            (relative(&registry_path, dir), sha256_hex(&registry_bytes)),
        ];
        Ok(Inputs {
            dir: dir.to_owned(),
            catalogue,
            registry,
            files,
        })
    }

    /// The year asked for, or the latest year folder there is.
    pub fn year_or_latest(&self, year: Option<i32>) -> Result<i32> {
        if let Some(y) = year {
            return Ok(y);
        }
        match year_folders(&self.dir)?.last() {
            Some(y) => Ok(*y),
            None => bail!(
                "输入文件夹 {} 中没有年度文件夹（如 2015/）：请按年度存放各单位报表",
                self.dir.display()
            ),
        }
    }
}

/// Folders named as a year (`2015`), ascending. A folder that cannot be
/// listed is fatal, not "no years".
pub fn year_folders(dir: &Path) -> Result<Vec<i32>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("无法读取输入文件夹 {}：请检查路径和读权限", dir.display()))?;
    let mut years: Vec<i32> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.len() == 4).then(|| name.parse::<i32>().ok()).flatten()
        })
        .collect();
    years.sort_unstable();
    Ok(years)
}
