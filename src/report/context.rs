//! What the templates see: the catalogue's groups, programmes and metrics with
//! their figures (and, against last year, the like-for-like basis) and the
//! units they come from, the submission status of every unit, the charts and
//! the committee's own facts. Built once, used by every template.

use std::collections::BTreeMap;

use serde::Serialize;

mod sources;

pub use sources::ContributionCtx;
use sources::{anchor, contributions};

use crate::aggregate::{Aggregates, Basis, MetricSummary};
use crate::catalogue::{Aggregate, Catalogue};
use crate::registry::Registry;
use crate::validate::Summary;
use crate::validate::{Status, YearReading};

#[derive(Debug, Clone, Serialize)]
pub struct MetricCtx {
    pub id: String,
    pub name: String,
    /// The programme's name.
    pub programme: String,
    pub unit: String,
    pub decimals: u32,
    /// `sum` or `last`.
    pub aggregate: &'static str,
    /// Money (元/万元/亿元) reads as an amount, everything else as a count.
    pub is_money: bool,
    /// Where report.html links the figure to (`m-fitness.items`): its row
    /// in the annex's table of sources.
    pub anchor: String,
    /// The units behind the figure, largest first.
    pub contributions: Vec<ContributionCtx>,
    /// total, units_reporting, previous, yoy_pct, target, target_pct,
    /// comparable_units, comparable_total, comparable_previous,
    /// dropped_previous, carried, change {kind, pct, words, cell}, pace
    /// {completion, reference, last_year, gap, behind}.
    #[serde(flatten)]
    pub figures: MetricSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeCtx {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// Units with a value > 0 in any of the programme's metrics.
    pub units_reporting: u32,
    pub metrics: Vec<MetricCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartCtx {
    pub title: String,
    pub svg: String,
    pub png: String,
    /// `data:image/png;base64,…` for self-contained HTML.
    pub png_data_uri: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupCtx {
    /// The group's heading (the programme's own name when it has no group).
    pub name: String,
    pub programmes: Vec<ProgrammeCtx>,
    pub charts: Vec<ChartCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
    pub category: Option<String>,
    pub file: Option<String>,
    pub filled_through: Option<u8>,
    pub filer: Option<String>,
    pub phone: Option<String>,
    /// For a unit to be corrected: its first errors, located.
    pub problems: Vec<String>,
}

/// What to tell a unit first: up to three errors with their cells.
const PROBLEMS_SHOWN: usize = 3;

fn first_errors(s: &crate::validate::Submission) -> Vec<String> {
    s.diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .take(PROBLEMS_SHOWN)
        .map(|d| format!("{}：{}", d.location(), d.message))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionsCtx {
    pub due: usize,
    pub received: usize,
    pub counted: usize,
    pub reported: Vec<UnitRef>,
    pub late: Vec<UnitRef>,
    pub missing: Vec<UnitRef>,
    pub to_correct: Vec<UnitRef>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// Who the year-on-year figures compare (可比口径), by name.
#[derive(Debug, Clone, Serialize)]
pub struct ComparableCtx {
    /// Units counted in both periods.
    pub units: u32,
    /// Units counted this period.
    pub counted: u32,
    /// Every unit counted this period is in the basis over all it reported:
    /// comparable figures are the period's own.
    pub whole: bool,
    /// Counted last year and not this period.
    pub dropped: Vec<String>,
    /// Counted this period and not last year.
    pub added: Vec<String>,
    /// Compared over fewer months than they reported, because last year's
    /// submission stopped earlier.
    pub shortened: Vec<ShortenedCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShortenedCtx {
    pub name: String,
    pub through: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportCtx {
    pub organisation: String,
    pub title: String,
    pub year: i32,
    pub previous_year: i32,
    pub has_previous: bool,
    /// The report's date (`--as-of`), `YYYY-MM-DD`; never the clock.
    pub as_of: Option<String>,
    /// For a snapshot, the month it runs through; `None` at year end.
    pub through_month: Option<u8>,
    /// For a snapshot, how far the year has gone: month / 12 × 100.
    pub schedule_pct: Option<f64>,
    pub groups: Vec<GroupCtx>,
    /// The like-for-like basis; `None` without a previous year.
    pub comparable: Option<ComparableCtx>,
    /// A snapshot's metrics with a target, most behind its pace first.
    pub pace: Vec<MetricCtx>,
    /// Every metric by id, for wording that names one.
    pub metrics: BTreeMap<String, MetricCtx>,
    /// Every programme by id.
    pub programmes: BTreeMap<String, ProgrammeCtx>,
    pub submissions: SubmissionsCtx,
    pub facts: toml::Table,
    /// Whether figures link to their sources (`[159件](#m-fitness.items)`):
    /// true for the text laid out as report.html and report.docx (Word
    /// prints the figure), false for report.md, which stays plain text.
    pub figure_links: bool,
}

pub struct ContextInput<'a> {
    pub catalogue: &'a Catalogue,
    pub registry: &'a Registry,
    pub reading: &'a YearReading,
    /// Last year, for the comparison and for contacts of units that have
    /// not sent anything yet.
    pub previous: Option<&'a YearReading>,
    pub aggregates: &'a Aggregates,
    pub as_of: Option<String>,
    pub through_month: Option<u8>,
    /// Charts by group heading, in group order.
    pub charts: BTreeMap<String, Vec<ChartCtx>>,
}

pub fn build(input: ContextInput<'_>) -> ReportCtx {
    let ContextInput {
        catalogue,
        registry,
        reading,
        aggregates,
        ..
    } = input;
    let contributions = contributions(aggregates, catalogue, registry);
    let metric_ctx = |i: usize| {
        let m = &catalogue.metrics[i];
        MetricCtx {
            anchor: anchor(&m.id, i),
            contributions: contributions[i].clone(),
            id: m.id.clone(),
            name: m.name.clone(),
            programme: catalogue.programmes[m.programme].name.clone(),
            unit: m.unit.clone(),
            decimals: m.decimals,
            aggregate: match m.aggregate {
                Aggregate::Sum => "sum",
                Aggregate::Last => "last",
            },
            is_money: m.is_money(),
            figures: aggregates.metrics[i].clone(),
        }
    };

    let mut groups: Vec<GroupCtx> = Vec::new();
    let mut programmes = BTreeMap::new();
    for (pi, p) in catalogue.programmes.iter().enumerate() {
        let units_reporting = programme_units(aggregates, catalogue, pi);
        let ctx = ProgrammeCtx {
            id: p.id.clone(),
            name: p.name.clone(),
            group: p.group.clone(),
            units_reporting,
            metrics: p.metrics.iter().map(|&i| metric_ctx(i)).collect(),
        };
        programmes.insert(p.id.clone(), ctx.clone());
        let heading = p.group.clone().unwrap_or_else(|| p.name.clone());
        match groups.iter_mut().find(|g| g.name == heading) {
            Some(g) => g.programmes.push(ctx),
            None => groups.push(GroupCtx {
                charts: input.charts.get(&heading).cloned().unwrap_or_default(),
                name: heading,
                programmes: vec![ctx],
            }),
        }
    }

    ReportCtx {
        organisation: catalogue.organisation.clone(),
        title: catalogue.title.clone(),
        year: reading.year,
        previous_year: reading.year - 1,
        has_previous: input.previous.is_some(),
        as_of: input.as_of,
        through_month: input.through_month,
        schedule_pct: input
            .through_month
            .map(|m| crate::number::rounded(m as f64 * 100.0 / 12.0, crate::number::PCT_DECIMALS)),
        groups,
        comparable: aggregates.basis.as_ref().map(|b| comparable(b, registry)),
        pace: paced(aggregates, &metric_ctx),
        metrics: (0..catalogue.metrics.len())
            .map(|i| (catalogue.metrics[i].id.clone(), metric_ctx(i)))
            .collect(),
        programmes,
        submissions: submissions(reading, input.previous, registry),
        facts: catalogue.facts.clone(),
        figure_links: false,
    }
}

/// The basis with the registry's names for its codes.
fn comparable(basis: &Basis, registry: &Registry) -> ComparableCtx {
    let name = |code: &str| {
        registry
            .position(code)
            .map_or_else(|| code.to_owned(), |i| registry.units[i].name.clone())
    };
    ComparableCtx {
        units: basis.units,
        counted: basis.counted,
        whole: basis.is_whole(),
        dropped: basis.dropped.iter().map(|c| name(c)).collect(),
        added: basis.added.iter().map(|c| name(c)).collect(),
        shortened: basis
            .shortened
            .iter()
            .map(|(c, through)| ShortenedCtx {
                name: name(c),
                through: *through,
            })
            .collect(),
    }
}

/// Metrics with a pace (a snapshot's, with a target), most behind first;
/// ties in catalogue order.
fn paced(aggregates: &Aggregates, metric_ctx: &dyn Fn(usize) -> MetricCtx) -> Vec<MetricCtx> {
    let mut with_pace: Vec<(f64, usize)> = aggregates
        .metrics
        .iter()
        .filter_map(|m| Some((m.pace?.gap, m.metric)))
        .collect();
    with_pace.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    with_pace.into_iter().map(|(_, i)| metric_ctx(i)).collect()
}

/// Units with a value > 0 in any metric of programme `pi`.
fn programme_units(aggregates: &Aggregates, catalogue: &Catalogue, pi: usize) -> u32 {
    let mut units: Vec<&str> = aggregates
        .units
        .iter()
        .filter(|t| catalogue.metrics[t.metric].programme == pi && t.total > 0.0)
        .map(|t| t.unit_code.as_str())
        .collect();
    units.sort_unstable();
    units.dedup();
    units.len() as u32
}

/// The last submission a unit sent: this year's, else last year's (the
/// office phones units that have not sent anything yet).
fn last_submission<'a>(
    unit: usize,
    reading: &'a YearReading,
    previous: Option<&'a YearReading>,
) -> Option<&'a crate::validate::Submission> {
    std::iter::once(reading).chain(previous).find_map(|r| {
        // One status per registered unit, in registry order.
        let status = r.selection.units.get(unit)?;
        status.submission.map(|i| &r.submissions[i])
    })
}

fn submissions(reading: &YearReading, previous: Option<&YearReading>, registry: &Registry) -> SubmissionsCtx {
    let units_with = |status: Status| -> Vec<UnitRef> {
        reading
            .selection
            .with_status(status)
            .map(|u| {
                let unit = &registry.units[u.unit];
                let last = last_submission(u.unit, reading, previous);
                UnitRef {
                    code: unit.code.clone(),
                    name: unit.name.clone(),
                    category: unit.category.clone(),
                    file: u.submission.map(|i| reading.submissions[i].file.clone()),
                    filled_through: u.filled_through,
                    filer: last.and_then(|s| s.info.filer.clone()),
                    phone: last.and_then(|s| s.info.phone.clone()),
                    problems: u
                        .submission
                        .filter(|_| status == Status::ToCorrect)
                        .map(|i| first_errors(&reading.submissions[i]))
                        .unwrap_or_default(),
                }
            })
            .collect()
    };
    let summary = Summary::of(reading);
    SubmissionsCtx {
        due: summary.due,
        received: summary.units_received,
        counted: summary.counted,
        reported: units_with(Status::Reported),
        late: units_with(Status::Late),
        missing: units_with(Status::Missing),
        to_correct: units_with(Status::ToCorrect),
        errors: summary.diagnostics.errors,
        warnings: summary.diagnostics.warnings,
        notes: summary.diagnostics.notes,
    }
}
