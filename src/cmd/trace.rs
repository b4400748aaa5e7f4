//! `annual-report trace METRIC [PERIOD] [--unit CODE] [--csv]`: the figure
//! as the report states it, then every unit's part, largest first, with the
//! cells behind it — on the terminal, or as CSV for a spreadsheet.

use std::fmt::Write as _;

use anyhow::{bail, Result};

use crate::catalogue::Catalogue;
use crate::cli::TraceArgs;
use crate::inputs::Inputs;
use crate::number;
use crate::pipeline::{self, Period};
use crate::render::csv_bytes;
use crate::settings::Settings;
use crate::trace::{find_metric, trace, Trace};

use super::Outcome;

pub fn run(args: &TraceArgs) -> Result<Outcome> {
    let settings = Settings {
        input: args.input.clone(),
        quiet: true,
        ..Settings::default()
    };
    let inputs = Inputs::load(&settings.input)?;
    let metric = find_metric(&inputs.catalogue, &args.metric)?;
    let period = match args.period.as_deref() {
        Some(p) => parse_period(p)?,
        None => Period::Year(super::report::default_year(&inputs, &settings)?.0),
    };
    let reading = pipeline::read(&inputs, period.year(), Some(period.due_through()), true)?;
    let mut t = trace(&reading, &inputs.catalogue, &inputs.registry, metric, period.span())?;
    if let Some(code) = &args.unit {
        let Some(unit) = inputs.registry.lookup(code) else {
            bail!("单位代码“{code}”不在单位名册中");
        };
        t.contributions.retain(|c| c.unit_code == unit.code);
    }
    let out = match args.csv {
        true => String::from_utf8(trace_csv(&t)).expect("CSV is UTF-8"),
        false => trace_text(&t, &inputs.catalogue, period),
    };
    print!("{out}");
    Ok(Outcome::Success)
}

/// `2015` or `2016-06`.
fn parse_period(s: &str) -> Result<Period> {
    let s = s.trim();
    if let Ok(year) = s.parse::<i32>() {
        return Ok(Period::Year(year));
    }
    let (year, month) = super::snapshot::parse_month(s, None)?;
    Ok(Period::Snapshot { year, month })
}

fn figure(catalogue: &Catalogue, metric: usize, value: f64) -> String {
    let m = &catalogue.metrics[metric];
    match m.is_money() {
        true => number::money(value, &m.unit, m.decimals),
        false => number::count(value, &m.unit, m.decimals),
    }
}

fn trace_text(t: &Trace, catalogue: &Catalogue, period: Period) -> String {
    let m = &catalogue.metrics[t.metric];
    let when = match period {
        Period::Year(y) => format!("{y}年"),
        Period::Snapshot { year, month } => format!("{year}年1—{month}月"),
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}·{}（{}）{when}：{}，来自 {} 个单位",
        catalogue.programmes[m.programme].name,
        m.name,
        m.id,
        figure(catalogue, t.metric, t.total),
        t.contributions.len()
    );
    for c in &t.contributions {
        let share = c.share_pct.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into());
        let value = number::figure(c.value, m.decimals);
        let _ = writeln!(s, "\n{}  {}  {value}{}  占 {share}", c.unit_code, c.unit_name, m.unit);
        for cell in &c.cells {
            let month = cell.month.map(|m| format!("{m}月")).unwrap_or_else(|| "全年".into());
            let _ = writeln!(
                s,
                "    {month:<4} {:>12}  {} › {}!{}",
                number::figure(cell.value, m.decimals),
                cell.file,
                cell.sheet,
                cell.cell
            );
        }
    }
    s
}

fn trace_csv(t: &Trace) -> Vec<u8> {
    let rows = t.contributions.iter().flat_map(|c| {
        c.cells.iter().map(move |cell| {
            [
                c.unit_code.clone(),
                c.unit_name.clone(),
                c.value.to_string(),
                c.share_pct.map(|p| format!("{p:.2}")).unwrap_or_default(),
                cell.month.map(|m| m.to_string()).unwrap_or_default(),
                cell.value.to_string(),
                cell.file.clone(),
                cell.sheet.clone(),
                cell.cell.clone(),
            ]
        })
    });
    csv_bytes(
        &[
            "unit_code",
            "unit_name",
            "unit_value",
            "share_pct",
            "month",
            "value",
            "file",
            "sheet",
            "cell",
        ],
        rows,
    )
}
