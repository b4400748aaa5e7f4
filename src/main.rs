//! The binary: parse the command line, dispatch, print errors, exit.

use std::process::ExitCode;

use annual_report::cli::{Cli, Command};
use annual_report::cmd::{self, Outcome};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Validate { year }) => cmd::validate::run(&cli.common, year),
        Some(Command::Snapshot { ref month }) => cmd::snapshot::run(&cli.common, month),
        Some(Command::Forms { year, ref unit }) => cmd::forms::run(&cli.common, year, unit.as_deref()),
        Some(Command::Report { year }) => cmd::report::run(&cli.common, year),
        None => cmd::report::run(&cli.common, cli.year),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::DataErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
