//! `annual-report validate [YEAR]`: read and check only; writes
//! validation.md, validation.csv and tables/submissions.csv.

use anyhow::Result;

use crate::cli::Common;
use crate::inputs::Inputs;
use crate::output::{update_files, OutputFile};
use crate::render::{submissions::submissions_csv, validation};
use crate::validate::{read_year, ReadOptions};

use super::Outcome;

pub fn run(common: &Common, year: Option<i32>) -> Result<Outcome> {
    crate::output::check_apart(&common.input, &common.output)?;
    let inputs = Inputs::load(&common.input)?;
    let year = inputs.year_or_latest(year)?;
    let options = ReadOptions {
        progress: !common.quiet,
        due_through: None,
    };
    let reading = read_year(&inputs.dir, year, &inputs.catalogue, &inputs.registry, &options)?;
    let frame = crate::table::figures_frame(&reading, &inputs.catalogue)?;

    let files = [
        OutputFile::new("validation.md", validation::validation_md(&reading, &inputs.registry)),
        OutputFile::new("validation.csv", validation::validation_csv(&reading)),
        OutputFile::new("tables/submissions.csv", submissions_csv(&reading, &inputs.registry)),
    ];
    // validate refreshes its own files and leaves a report beside them alone.
    let dest = common.output.join(year.to_string());
    for said in update_files(&dest, &files)? {
        eprintln!("{said}");
    }

    if !common.quiet {
        let summary = validation::Summary::of(&reading);
        println!("{}", summary.line(year));
        println!(
            "计入的数字 {} 个；检查结果见 {}",
            frame.height(),
            dest.join("validation.md").display()
        );
    }
    Ok(if reading.has_errors() {
        Outcome::DataErrors
    } else {
        Outcome::Success
    })
}
