//! Generates a benchmark input folder: `cargo run --release --example
//! bench_input -- DIR N` writes DIR/report.toml, DIR/units.csv and N filled
//! unit forms for each of 2014 and 2015 (fixed seed, so runs compare), and
//! DIR/../corrected/B00000-更正.xlsx: the first unit's 2015 form sent again a
//! day later with one figure changed, for timing a rerun after a correction.

use std::path::PathBuf;

use annual_report::catalogue::Catalogue;
use annual_report::forms::{filled_form, Filling};
use annual_report::registry::Unit;
use chrono::NaiveDate;
use rayon::prelude::*;

const CATALOGUE: &str = r#"
organisation = "基准测试工委"
title = "基准测试报告"
"#;

/// Programmes × metrics of a realistic size: 8 programmes, 24 metrics.
fn catalogue_text() -> String {
    let mut s = CATALOGUE.to_owned();
    for p in 0..8 {
        s.push_str(&format!(
            "\n[[programmes]]\nid = \"p{p}\"\nname = \"项目{p}\"\ngroup = \"分组{}\"\n",
            p / 3
        ));
        for (m, (unit, decimals)) in [("件", 0), ("万元", 2), ("人", 0)].iter().enumerate() {
            s.push_str(&format!(
                "  [[programmes.metrics]]\n  id = \"p{p}.m{m}\"\n  name = \"指标{p}{m}\"\n  unit = \"{unit}\"\n  decimals = {decimals}\n  targets = {{ 2015 = 1000 }}\n"
            ));
        }
    }
    s
}

/// splitmix64: a small fixed-seed generator, stable across crate versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: bench_input DIR N"));
    let n: usize = args.next().expect("usage: bench_input DIR N").parse()?;
    let text = catalogue_text();
    let catalogue = Catalogue::parse(&text, "report.toml")?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("report.toml"), &text)?;
    let units: Vec<Unit> = (0..n)
        .map(|i| Unit {
            code: format!("B{i:05}"),
            name: format!("基准单位{i:05}工会"),
            category: None,
        })
        .collect();
    let mut registry = String::from("单位代码,单位名称\n");
    for u in &units {
        registry.push_str(&format!("{},{}\n", u.code, u.name));
    }
    std::fs::write(dir.join("units.csv"), registry)?;
    for year in [2014, 2015] {
        let year_dir = dir.join(year.to_string());
        std::fs::create_dir_all(&year_dir)?;
        units
            .par_iter()
            .enumerate()
            .try_for_each(|(i, unit)| -> anyhow::Result<()> {
                let bytes = filled_form(&catalogue, unit, year, &filling(&catalogue, year, i))?;
                std::fs::write(year_dir.join(format!("{}.xlsx", unit.code)), bytes)?;
                Ok(())
            })?;
    }
    // The correction: filed a day later, its first metric's January changed.
    let mut corrected = filling(&catalogue, 2015, 0);
    corrected.filed_on = NaiveDate::from_ymd_opt(2016, 1, 11);
    let january = &mut corrected
        .months
        .get_mut(&catalogue.metrics[0].id)
        .expect("every metric")[0];
    *january = Some(january.unwrap_or(0.0) + 1.0);
    let out = dir.parent().unwrap_or(&dir).join("corrected");
    std::fs::create_dir_all(&out)?;
    let bytes = filled_form(&catalogue, &units[0], 2015, &corrected)?;
    std::fs::write(out.join(format!("{}-更正.xlsx", units[0].code)), bytes)?;
    println!("wrote {} workbooks per year to {}", n, dir.display());
    Ok(())
}

/// Unit `i`'s figures for `year`: about a third of the month cells filled.
fn filling(catalogue: &Catalogue, year: i32, i: usize) -> Filling {
    let mut rng = Rng(year as u64 * 1_000_003 + i as u64);
    let mut filling = Filling {
        filled_through: Some(12),
        filed_on: NaiveDate::from_ymd_opt(year + 1, 1, 10),
        filer: Some("张三".into()),
        phone: Some("024-86000000".into()),
        ..Filling::default()
    };
    for m in &catalogue.metrics {
        let mut months = [None; 12];
        for slot in months.iter_mut() {
            if rng.below(3) == 0 {
                let v = rng.below(10_000) as f64;
                *slot = Some(if m.decimals == 0 { v } else { v / 100.0 });
            }
        }
        filling.months.insert(m.id.clone(), months);
    }
    filling
}
