//! One file per subcommand: glue from arguments to the pipeline.

pub mod forms;
pub mod report;
pub mod snapshot;
pub mod validate;

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the data has errors and the command was asked to fail on them.
    DataErrors,
}
