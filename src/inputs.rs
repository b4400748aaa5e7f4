//! The input folder: report.toml, the units registry and the year folders.
//! Anything wrong here is fatal (exit 2) with a message saying what to do.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::catalogue::Catalogue;
use crate::registry::Registry;

pub struct Inputs {
    pub dir: PathBuf,
    pub catalogue: Catalogue,
    pub registry: Registry,
}

impl Inputs {
    pub fn load(dir: &Path) -> Result<Inputs> {
        if !dir.is_dir() {
            bail!("找不到输入文件夹 {}：请在其中放入 report.toml、units.xlsx 和各年度文件夹，或用 --input 指定", dir.display());
        }
        let catalogue = Catalogue::load(&dir.join("report.toml"))?;
        let registry = Registry::load(&Registry::find(dir)?)?;
        Ok(Inputs {
            dir: dir.to_owned(),
            catalogue,
            registry,
        })
    }

    /// The year asked for, or the latest year folder there is.
    pub fn year_or_latest(&self, year: Option<i32>) -> Result<i32> {
        if let Some(y) = year {
            return Ok(y);
        }
        match year_folders(&self.dir).last() {
            Some(y) => Ok(*y),
            None => bail!(
                "输入文件夹 {} 中没有年度文件夹（如 2015/）：请按年度存放各单位报表",
                self.dir.display()
            ),
        }
    }
}

/// Folders named as a year (`2015`), ascending.
pub fn year_folders(dir: &Path) -> Vec<i32> {
    let mut years: Vec<i32> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.len() == 4)
                .then(|| name.parse::<i32>().ok())
                .flatten()
        })
        .collect();
    years.sort_unstable();
    years
}
