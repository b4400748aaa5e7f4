//! What reading one workbook costs, step by step, in this build: opening it
//! (checks, calamine, the grid), the worker's answer encoded and decoded,
//! and the SHA-256 of its bytes. Each is repeated 500 times.
//!   cargo run --release --example read_cost -- FILE.xlsx
use annual_report::ingest::open::{open, Pick};
use annual_report::ingest::wire;

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let names = ["基本信息", "数据"];
    let n = 500;
    let t = std::time::Instant::now();
    let mut last = None;
    for _ in 0..n {
        last = Some(open(&bytes, Pick::Named(&names)));
    }
    let open_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let r = last.unwrap();
    let t = std::time::Instant::now();
    let mut len = 0;
    for _ in 0..n {
        len = wire::encode(&r).len();
    }
    let enc = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let e = wire::encode(&r);
    let t = std::time::Instant::now();
    for _ in 0..n {
        let _ = wire::decode(&e).unwrap();
    }
    let dec = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let _ = annual_report::digest::sha256_hex(&bytes);
    }
    let sha = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!(
        "open {open_ms:.3} ms, encode {enc:.3} ms, decode {dec:.3} ms ({len} bytes), sha {sha:.3} ms, file {} bytes",
        bytes.len()
    );
}
