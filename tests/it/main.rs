//! The one integration test binary: reading rules, submission choice,
//! unreadable files, committed oddities, charts, the documents and the CLI.

mod charts;
mod cli;
mod documents;
mod files;
mod formats;
mod forms;
mod fuzz;
mod harness;
mod hostile;
mod messages;
mod months;
mod oddities;
mod office;
mod plausibility;
mod provenance;
mod reading_rules;
mod receipts;
mod report;
mod safety;
mod sample;
mod snapshot;
mod spellings;
mod submissions;
