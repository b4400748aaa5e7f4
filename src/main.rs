//! The binary: parse the command line, dispatch, print errors, exit.

use std::process::ExitCode;

use annual_report::cli::{explain, Cli, Command};
use annual_report::cmd::{self, Outcome};
use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    annual_report::memory::allocator_settings();
    // A reading worker started by the run itself (see ingest::worker).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == annual_report::ingest::worker::ARG)
    {
        return annual_report::ingest::worker::serve(annual_report::validate::remote::setup);
    }
    // A user's templates rendered in a child process (see report::sandbox).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == annual_report::report::sandbox::ARG)
    {
        return annual_report::report::sandbox::serve();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", explain(&e));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Some(Command::Report(args)) => cmd::report::run(args),
        Some(Command::Snapshot(args)) => cmd::snapshot::run(args),
        Some(Command::Validate(args)) => cmd::validate::run(args),
        Some(Command::Forms(args)) => cmd::forms::run(args),
        Some(Command::Trace(args)) => cmd::trace::run(args),
        None => cmd::report::run(&cli.report),
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
