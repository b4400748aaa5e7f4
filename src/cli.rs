//! The command line (clap derive). Doc comments are the --help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// 把各基层工会报送的年度报表汇总成工会工作报告。
///
/// Reads every unit workbook of a year from the input folder, checks it, and
/// writes the report, tables and charts to the output folder.
#[derive(Debug, Parser)]
#[command(name = "annual-report", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Year for the year-end report (default: the latest year with year-end figures)
    #[arg(value_parser = parse_year)]
    pub year: Option<i32>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Input folder: report.toml, units.xlsx and one folder per year
    #[arg(long, global = true, value_name = "DIR", default_value = "input")]
    pub input: PathBuf,

    /// Output folder
    #[arg(long, global = true, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,

    /// Folder with templates that replace the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Date the report is written on (YYYY-MM-DD); never the clock
    #[arg(long, global = true, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Print nothing but errors
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Treat any error in a submission as fatal (exit 1)
    #[arg(long, global = true)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Year-end report (default)
    Report {
        /// Year (default: the latest year with year-end figures)
        #[arg(value_parser = parse_year)]
        year: Option<i32>,
    },
    /// Year-to-date snapshot through a month: YYYY-MM, or last-month
    Snapshot {
        /// The month, as 2016-06; `last-month` is the month before today
        /// (or before --as-of), for schedulers
        #[arg(value_name = "YYYY-MM")]
        month: String,
    },
    /// Blank unit workbooks for a year, one per registered unit
    Forms {
        /// Year the forms are for
        #[arg(value_parser = parse_year)]
        year: i32,
        /// Write only this unit's form
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
    },
    /// Check the submissions of a year only; exit 1 when any has an error
    Validate {
        /// Year (default: the latest year in the input folder)
        #[arg(value_parser = parse_year)]
        year: Option<i32>,
    },
}

fn parse_year(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1900..=2999).contains(&y) => Ok(y),
        _ => Err(format!("“{s}”不是年份：请写四位年份，如 2015")),
    }
}
