//! Writes the committed sample `input/`: report.toml, units.xlsx, the unit
//! workbooks of 2014, 2015 (year end) and 2016 (in progress), and a README.
//!
//! ```sh
//! cargo run --example make_sample            # rewrites input/
//! cargo run --example make_sample -- DIR     # writes the sample into DIR
//! ```
//!
//! Fixed seed, no clock: two runs write the same bytes. Every workbook is the
//! real unit form (`annual_report::forms::filled_form`), or the same form
//! saved as .ods or as legacy .xls. The 2015 figures over the counted
//! submissions add up exactly to the figures of the committee's 2016 work
//! report (shared/SAMPLE.md); the excluded files carry figures of their own
//! that no total needs.

mod ods;
mod plan;
mod slip;
mod units;
mod xls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annual_report::catalogue::Catalogue;
use annual_report::forms::{filled_form, Filling};
use annual_report::registry::Unit;
use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use plan::{Kind, Submission};

const CATALOGUE: &str = include_str!("report.toml");

/// What the generator owns in the output folder (and removes first).
const OWNED: [&str; 6] = ["report.toml", "units.xlsx", "README.md", "2014", "2015", "2016"];

fn main() -> Result<()> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("input"));
    for name in OWNED {
        let p = out.join(name);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
        } else if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    let catalogue = Catalogue::parse(CATALOGUE, "report.toml")?;
    let members = units::members();

    write(&out.join("report.toml"), CATALOGUE.as_bytes())?;
    write(&out.join("units.xlsx"), &registry_xlsx(&members)?)?;

    let sample = plan::build(&catalogue, &members);
    let mut files = 0;
    for sub in &sample.submissions {
        let bytes = form_bytes(&catalogue, sub)?;
        for path in &sub.paths {
            write(&out.join(path), &bytes)?;
            files += 1;
        }
    }
    write(&out.join("README.md"), sample.readme.as_bytes())?;
    println!(
        "wrote {} unit workbooks and the registry of {} units to {}",
        files,
        members.len(),
        out.display()
    );
    Ok(())
}

fn form_bytes(catalogue: &Catalogue, sub: &Submission) -> Result<Vec<u8>> {
    Ok(match sub.kind {
        Kind::Xlsx => filled_form(catalogue, &sub.unit, sub.year, &sub.filling)?,
        Kind::Ods => ods::filled_form(catalogue, &sub.unit, sub.year, &sub.filling),
        Kind::Xls => xls::filled_form(catalogue, &sub.unit, sub.year, &sub.filling),
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// units.xlsx: 单位代码, 单位名称, 类别.
fn registry_xlsx(members: &[units::Member]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?)
            .set_title("省直机关工会会员单位名册"),
    );
    let ws = book.add_worksheet();
    ws.set_name("单位名册")?;
    let bold = Format::new().set_bold();
    for (c, label) in ["单位代码", "单位名称", "类别"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *label, &bold)?;
    }
    for (i, m) in members.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &m.code)?;
        ws.write_string(r, 1, &m.name)?;
        ws.write_string(r, 2, m.category)?;
    }
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 32)?;
    ws.set_column_width(2, 10)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

/// A unit as its form names it (the registry's, unless a plant says otherwise).
pub fn unit_of(m: &units::Member) -> Unit {
    Unit {
        code: m.code.clone(),
        name: m.name.clone(),
        category: Some(m.category.to_owned()),
    }
}

/// Month values in minor units (0 = blank) of each metric, by metric id.
pub type Figures = BTreeMap<&'static str, [i64; 12]>;

/// A form's filling from figures in minor units.
pub fn filling_of(catalogue: &Catalogue, figures: &Figures) -> Filling {
    let mut f = Filling::default();
    for (id, months) in figures {
        if months.iter().all(|v| *v == 0) {
            continue;
        }
        let m = &catalogue.metrics[catalogue.metric_by_code(id).expect("metric in catalogue")];
        let scale = 10f64.powi(m.decimals as i32);
        let mut cells = [None; 12];
        for (i, v) in months.iter().enumerate() {
            if *v != 0 {
                // Correctly rounded: the double nearest to the decimal typed.
                cells[i] = Some(*v as f64 / scale);
            }
        }
        f.months.insert((*id).to_owned(), cells);
    }
    f
}
