//! Settings resolved once from the command line: where to read and write,
//! the templates, the report's date and strictness. Commands and the
//! pipeline see only these, never clap's raw flags.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::{Io, Writing};
use crate::output::check_apart;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub input: PathBuf,
    pub output: PathBuf,
    /// Print nothing but errors.
    pub quiet: bool,
    /// A folder of templates in front of the built-in ones.
    pub templates: Option<PathBuf>,
    /// The date printed on the report; never the clock.
    pub as_of: Option<NaiveDate>,
    /// Any error in a submission stops the run (exit 1), nothing written.
    pub strict: bool,
    /// Print each stage's wall time to stderr at the end (`--timings`).
    pub timings: bool,
}

impl Settings {
    /// Settings for a command that only reads and checks. The output folder
    /// must lie apart from the input folder: refused before anything is read.
    pub fn new(io: &Io) -> Result<Settings> {
        check_apart(&io.input, &io.output)?;
        Ok(Settings {
            input: io.input.clone(),
            output: io.output.clone(),
            quiet: io.quiet,
            ..Settings::default()
        })
    }

    /// Settings for a command that writes a report.
    pub fn writing(io: &Io, writing: &Writing) -> Result<Settings> {
        Ok(Settings {
            templates: writing.templates.clone(),
            as_of: writing.as_of,
            strict: writing.strict,
            timings: writing.timings,
            ..Settings::new(io)?
        })
    }
}
