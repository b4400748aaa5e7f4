//! `annual-report validate [YEAR]`: read and check only; writes
//! validation.md, validation.csv and tables/submissions.csv as one set,
//! leaving a report beside them alone.

use anyhow::Result;

use crate::cli::ValidateArgs;
use crate::inputs::Inputs;
use crate::output::update_files;
use crate::pipeline;
use crate::settings::Settings;

use super::Outcome;

pub fn run(args: &ValidateArgs) -> Result<Outcome> {
    let settings = Settings::new(&args.io)?;
    let inputs = Inputs::load(&settings.input)?;
    let year = inputs.year_or_latest(args.year)?;
    let (product, files) = pipeline::check(&inputs, year, &settings)?;
    let dest = settings.output.join(year.to_string());
    let recovered = update_files(&dest, &files, &["receipts"])?;
    super::finish(&settings, &product, &dest.join("validation.md"), &recovered);
    Ok(match product.reading.has_errors() {
        true => Outcome::DataErrors,
        false => Outcome::Success,
    })
}
