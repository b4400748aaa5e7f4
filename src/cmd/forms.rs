//! `annual-report forms YEAR [--unit CODE]`: one blank workbook per
//! registered unit, in `output/forms/<YEAR>/`.

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::cli::FormsArgs;
use crate::forms::{form_file_name, unit_form};
use crate::inputs::Inputs;
use crate::output::{replace_folder, update_files, OutputFile};
use crate::settings::Settings;

use super::Outcome;

pub fn run(args: &FormsArgs) -> Result<Outcome> {
    let settings = Settings::new(&args.io)?;
    let inputs = Inputs::load(&settings.input)?;
    let year = args.year;
    let units: Vec<_> = match &args.unit {
        Some(code) => match inputs.registry.lookup(code) {
            Some(u) => vec![u.clone()],
            None => bail!("单位代码“{code}”不在单位名册中：请核对代码，或先把该单位加入 units 名册"),
        },
        None => inputs.registry.units.clone(),
    };
    let files = units
        .par_iter()
        .map(|u| {
            let bytes = unit_form(&inputs.catalogue, u, year).with_context(|| format!("无法生成 {} 的表格", u.code))?;
            Ok(OutputFile::new(form_file_name(u), bytes))
        })
        .collect::<Result<Vec<_>>>()?;
    let dest = settings.output.join("forms").join(year.to_string());
    // All forms replace the folder; one form leaves the others alone.
    let recovered = match args.unit {
        Some(_) => update_files(&dest, &files, &[])?,
        None => replace_folder(&dest, &files)?,
    };
    for line in recovered {
        eprintln!("{line}");
    }
    if !settings.quiet {
        println!("已生成 {} 份 {year} 年度报表，位于 {}", files.len(), dest.display());
    }
    Ok(Outcome::Success)
}
