//! annual-report: unit workbooks in, the committee's work report out.
//!
//! The stages, in order: [`inputs`] (report.toml, registry), [`ingest`]
//! (find and open workbooks), [`validate`] (the reading rules, which
//! submission counts), [`table`] (the counted figures as a DataFrame),
//! [`aggregate`], [`figures`] (which charts, drawn by [`chart`]),
//! [`render`] (bytes of every output), [`output`] (the one writer).

pub mod aggregate;
pub mod catalogue;
pub mod changes;
pub mod chart;
pub mod child;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod digest;
pub mod escape;
pub mod figures;
pub mod forms;
pub mod ingest;
pub mod inputs;
pub mod memory;
pub mod number;
pub mod output;
pub mod period;
pub mod pipeline;
pub mod plausibility;
pub mod registry;
pub mod render;
pub mod report;
pub mod settings;
pub mod table;
pub mod text;
pub mod timings;
pub mod trace;
pub mod validate;
