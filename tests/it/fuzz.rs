//! A fuzz run over the reader that CI can afford: the sample's workbooks
//! and the committed oddities as seeds, mutated by a seeded PRNG (byte
//! flips, truncation, a part of a zip rewritten with its numbers made huge,
//! the compound file's header and sector table scrambled), each read
//! in-process as `validate` reads it. No panic may escape, no allocation
//! may abort (that would end this test binary), and every file comes back
//! as a submission that names it. `FUZZ_ITERATIONS` runs longer.

use std::io::{Cursor, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use annual_report::ingest::discover::Found;
use annual_report::ingest::open::{open, Pick};
use annual_report::inputs::Inputs;
use annual_report::validate::submission::{from_opened, SHEETS};

/// xorshift64*: the same mutations on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("input/2015"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    // Every .xls and .ods of the sample, a few of its .xlsx, and files
    // written by other programs.
    let (mut xlsx, mut picked) = (0, Vec::new());
    for p in paths {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_owned();
        if ext != "xlsx" || {
            xlsx += 1;
            xlsx <= 4
        } {
            picked.push(p);
        }
    }
    for name in [
        "lo-form.ods",
        "lo-form.xls",
        "lo-form.xlsx",
        "legacy.xls",
        "ods-errors.ods",
        "script-no-cache.xls",
    ] {
        picked.push(root.join("tests/fixtures/oddities").join(name));
    }
    picked
        .into_iter()
        .map(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_owned();
            (ext, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    let is_zip = b.starts_with(b"PK");
    match rng.below(5) {
        0 => {
            let n = 1 + rng.below(16);
            flip(rng, &mut b, n)
        }
        1 => b.truncate(rng.below(b.len())),
        2 if is_zip => return rewrite_part(rng, &b).unwrap_or(b),
        // The central directory and the last local headers.
        3 if is_zip => {
            for _ in 0..1 + rng.below(4) {
                let at = b.len() - 1 - rng.below(b.len().min(400));
                b[at] = rng.next() as u8;
            }
        }
        // The compound file's header fields and sector table.
        3 | 4 if !is_zip && b.len() > 512 => {
            for _ in 0..1 + rng.below(3) {
                let at = if rng.below(2) == 0 {
                    44 + 4 * rng.below(8)
                } else {
                    4 * rng.below(b.len() / 4)
                };
                let v = [0xFFFF_FFFE, 0xFFFF_FFFF, 0, 1, rng.next() as u32][rng.below(5)];
                b[at..at + 4].copy_from_slice(&u32::to_le_bytes(v));
            }
        }
        _ => {
            let n = 1 + rng.below(64);
            flip(rng, &mut b, n)
        }
    }
    b
}

fn flip(rng: &mut Rng, b: &mut [u8], n: usize) {
    for _ in 0..n {
        if !b.is_empty() {
            let at = rng.below(b.len());
            b[at] ^= 1 << rng.below(8);
        }
    }
}

/// One part of a zip rewritten: a number in it made huge, bytes flipped,
/// cut short, or a slice repeated; the other parts copied as they are.
fn rewrite_part(rng: &mut Rng, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let victim = rng.below(archive.len());
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        if i != victim {
            out.raw_copy_file(archive.by_index_raw(i).ok()?).ok()?;
            continue;
        }
        let mut part = archive.by_index(i).ok()?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut data = Vec::new();
        part.read_to_end(&mut data).ok()?;
        match rng.below(4) {
            0 => huge_number(rng, &mut data),
            1 => {
                let n = 1 + rng.below(8);
                flip(rng, &mut data, n)
            }
            2 => data.truncate(rng.below(data.len())),
            _ => {
                let start = rng.below(data.len());
                let slice = data[start..(start + 1 + rng.below(200)).min(data.len())].to_vec();
                for _ in 0..1 + rng.below(50) {
                    data.splice(start..start, slice.iter().copied());
                }
            }
        }
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let options = if name.as_str() == "mimetype" {
            stored
        } else {
            zip::write::SimpleFileOptions::default()
        };
        out.start_file(name.as_str(), options).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// A run of digits replaced by a size no form has.
fn huge_number(rng: &mut Rng, data: &mut Vec<u8>) {
    let digits: Vec<usize> = (0..data.len()).filter(|&i| data[i].is_ascii_digit()).collect();
    if digits.is_empty() {
        return;
    }
    let start = digits[rng.below(digits.len())];
    let end = (start..data.len())
        .find(|&i| !data[i].is_ascii_digit())
        .unwrap_or(data.len());
    let huge = [
        "4294967295",
        "99999999999999",
        "1048576",
        "16384",
        "0",
        "18446744073709551615",
    ];
    data.splice(start..end, huge[rng.below(huge.len())].bytes());
}

#[test]
fn mutated_workbooks_never_panic_abort_or_go_unnamed() {
    let iterations: usize = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let inputs = Inputs::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input")).unwrap();
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = std::time::Instant::now();
    let mut unreadable = 0;
    let mut codes: std::collections::BTreeMap<String, usize> = Default::default();
    for i in 0..iterations {
        let (ext, seed) = &seeds[rng.below(seeds.len())];
        let bytes = mutate(&mut rng, seed);
        let found = Found {
            path: PathBuf::from(format!("fuzz-{i}.{ext}")),
            rel: format!("2015/fuzz-{i}.{ext}"),
            ext: ext.clone(),
        };
        let submission = catch_unwind(AssertUnwindSafe(|| {
            let opened = open(&bytes, Pick::Named(&SHEETS));
            from_opened(&found, String::new(), opened, 2015, &inputs.catalogue, &inputs.registry)
        }))
        .unwrap_or_else(|_| panic!("iteration {i}: a panic escaped the reader"));
        assert_eq!(submission.file, found.rel);
        if submission.format.is_none() {
            unreadable += 1;
            let first = submission.diagnostics.first().map(|d| {
                let panicked = d.message.contains("读取程序无法解析");
                format!("{}{}", d.code, if panicked { " (panic caught)" } else { "" })
            });
            *codes.entry(first.unwrap_or_default()).or_default() += 1;
            assert!(
                submission.diagnostics.iter().any(|d| d.file == found.rel),
                "iteration {i}: unreadable without a word"
            );
        }
    }
    eprintln!(
        "fuzz: {iterations} mutated workbooks in {:?}, {unreadable} unreadable: {codes:?}",
        started.elapsed()
    );
}
