//! Finding submission files and opening them into format-neutral grids,
//! within limits no file can push past (`limits.rs`), in-process or in a
//! supervised worker process (`worker.rs`, `pool.rs`).

mod biff;
pub mod cells;
mod cfb;
mod collect;
pub mod discover;
pub mod formula;
pub mod grid;
pub mod limits;
mod ods;
mod ods_cell;
pub mod open;
pub mod pool;
mod quiet;
mod repack;
mod sheets;
pub mod wire;
pub mod worker;
mod xlsx;
mod xlsx_parts;
mod xlsx_scan;
mod zipcheck;
