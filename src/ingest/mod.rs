//! Finding submission files and opening them into format-neutral grids.

pub mod discover;
pub mod grid;
pub mod open;
