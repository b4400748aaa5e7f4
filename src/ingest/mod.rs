//! Finding submission files and opening them into format-neutral grids.

pub mod cells;
pub mod discover;
pub mod formula;
pub mod grid;
mod ods;
pub mod open;
mod sheets;
