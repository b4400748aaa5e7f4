//! The sample's story: which units send which figures for which months,
//! when, under which file names, and the mistakes a few of them make.
//!
//! Figures are generated per programme in minor units (whole 件/人, or
//! 0.01万元), spread over units and months with a seeded RNG, and fitted so
//! that the 2015 totals over the counted submissions are exactly the work
//! report's. 2014 is the same story a little smaller (帮企业 and 献良策 began
//! in 2015); 2016 is a larger year cut off at each unit's 截至月份.

use std::collections::{BTreeMap, BTreeSet};

use annual_report::catalogue::Catalogue;
use annual_report::forms::{form_file_name, Filling};
use annual_report::registry::Unit;
use chrono::NaiveDate;

use crate::slip::{self, Slip};
use crate::units::{Member, GIVEN, SURNAMES};
use crate::{filling_of, unit_of, Figures};

const SEED: u64 = 20_160_318;

pub enum Kind {
    Xlsx,
    Ods,
    /// Legacy BIFF8, as Excel 97-2003 saves it.
    Xls,
}

/// One workbook a unit sent (written to every path: a copy sent twice).
pub struct Submission {
    pub year: i32,
    pub unit: Unit,
    pub filling: Filling,
    pub kind: Kind,
    pub paths: Vec<String>,
}

pub struct Sample {
    pub submissions: Vec<Submission>,
    pub readme: String,
}

// ---------------------------------------------------------------------------
// Randomness: SplitMix64, seeded; stable per-unit scores from a hash.
// ---------------------------------------------------------------------------

pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: usize) -> usize {
        ((self.float() * n as f64) as usize).min(n - 1)
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A score in [0, 1) fixed for a unit and a key, whatever the year: units
/// keen on a programme stay keen from year to year.
fn stable(code: &str, key: &str) -> f64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in code.bytes().chain([b'/']).chain(key.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3);
    }
    (mix(h) >> 11) as f64 / (1u64 << 53) as f64
}

/// `total` shared out by `weights`: each share at least `min` and at most its
/// cap, otherwise proportional (largest remainders get the odd units).
fn split(total: i64, weights: &[f64], min: i64, caps: Option<&[i64]>) -> Vec<i64> {
    let n = weights.len();
    let cap = |i: usize| caps.map_or(i64::MAX, |c| c[i]);
    let mut v: Vec<i64> = (0..n).map(|i| min.min(cap(i))).collect();
    let mut rest = total - v.iter().sum::<i64>();
    assert!(rest >= 0, "cannot share {total} among {n} with at least {min} each");
    while rest > 0 {
        let open: Vec<usize> = (0..n).filter(|&i| v[i] < cap(i)).collect();
        assert!(!open.is_empty(), "caps too small to share {total}");
        let w: f64 = open.iter().map(|&i| weights[i]).sum();
        let mut fractions = Vec::new();
        let mut given = 0;
        for &i in &open {
            let share = rest as f64 * weights[i] / w;
            let whole = (share.floor() as i64).min(cap(i) - v[i]);
            v[i] += whole;
            given += whole;
            fractions.push((share - share.floor(), i));
        }
        rest -= given;
        fractions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in &fractions {
            if rest == 0 {
                break;
            }
            if v[i] < cap(i) {
                v[i] += 1;
                rest -= 1;
            }
        }
    }
    v
}

/// `n` of `from`, in their order.
fn sample(rng: &mut Rng, from: &[u8], n: usize) -> Vec<u8> {
    let mut pool = from.to_vec();
    for i in 0..n.min(pool.len()) {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
    }
    pool.truncate(n);
    pool.sort_unstable();
    pool
}

// ---------------------------------------------------------------------------
// One year's figures
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// 2015: the work report's totals, exactly, over the counted units.
    Exact,
    /// 2014: a smaller year, scaled from 2015.
    Scaled,
    /// 2016: a full year generated, then cut at each unit's 截至月份.
    Partial,
}

const ALL_MONTHS: [u8; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

struct Year<'a> {
    year: i32,
    mode: Mode,
    members: &'a [Member],
    /// Units whose figures count, in registry order.
    counted: Vec<usize>,
    through: BTreeMap<usize, u8>,
    figures: BTreeMap<usize, Figures>,
    factors: BTreeMap<&'static str, f64>,
    months_of: BTreeMap<(usize, &'static str), Vec<u8>>,
}

impl<'a> Year<'a> {
    fn new(year: i32, mode: Mode, members: &'a [Member], through: BTreeMap<usize, u8>) -> Year<'a> {
        Year {
            year,
            mode,
            members,
            counted: through.keys().copied().collect(),
            through,
            figures: BTreeMap::new(),
            factors: BTreeMap::new(),
            months_of: BTreeMap::new(),
        }
    }

    /// The programme's size this year against 2015.
    fn factor(&mut self, rng: &mut Rng, programme: &'static str) -> f64 {
        let mode = self.mode;
        *self.factors.entry(programme).or_insert_with(|| match mode {
            Mode::Exact => 1.0,
            Mode::Scaled => 0.80 + 0.18 * rng.float(),
            Mode::Partial => 0.98 + 0.14 * rng.float(),
        })
    }

    /// A total: the 2015 figure, scaled for the other years.
    fn total(&mut self, rng: &mut Rng, programme: &'static str, in_2015: i64) -> i64 {
        (in_2015 as f64 * self.factor(rng, programme)).round() as i64
    }

    /// How many units report: the 2015 count, roughly, for the other years.
    fn how_many(&mut self, rng: &mut Rng, programme: &'static str, in_2015: usize, available: usize) -> usize {
        let f = self.factor(rng, programme);
        ((in_2015 as f64 * f.sqrt()).round() as usize).min(available)
    }

    /// The `k` units of `from` keenest on `key` (with a little yearly noise).
    fn choose(&self, from: &[usize], k: usize, key: &str) -> Vec<usize> {
        let year_key = format!("{key}@{}", self.year);
        let mut scored: Vec<(f64, usize)> = from
            .iter()
            .map(|&u| {
                let code = &self.members[u].code;
                (stable(code, key) + 0.2 * stable(code, &year_key), u)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        assert!(k <= scored.len(), "{key}: {k} units wanted, {} available", scored.len());
        let mut chosen: Vec<usize> = scored.into_iter().take(k).map(|(_, u)| u).collect();
        chosen.sort_unstable();
        chosen
    }

    /// Relative sizes: 直属工会 have more members and do more.
    fn weights(&self, rng: &mut Rng, units: &[usize]) -> Vec<f64> {
        units
            .iter()
            .map(|&u| {
                let m = &self.members[u];
                let size = if m.category == "直属工会" { 2.2 } else { 1.0 };
                size * (0.4 + stable(&m.code, "size")) * (0.6 + 0.8 * rng.float())
            })
            .collect()
    }

    fn share(&self, rng: &mut Rng, units: &[usize], total: i64, min: i64) -> Vec<i64> {
        let w = self.weights(rng, units);
        let min = min.min(total / units.len().max(1) as i64);
        split(total, &w, min, None)
    }

    /// The months a unit was busy with a `group` of metrics (shared by its metrics).
    fn months(&mut self, rng: &mut Rng, u: usize, group: &'static str, cands: &[u8], max: usize) -> Vec<u8> {
        if let Some(m) = self.months_of.get(&(u, group)) {
            return m.clone();
        }
        let limit = if self.mode == Mode::Exact { self.through[&u] } else { 12 };
        let mut c: Vec<u8> = cands.iter().copied().filter(|m| *m <= limit).collect();
        if c.is_empty() {
            c = vec![limit];
        }
        let n = 1 + rng.below(max.min(c.len()));
        let chosen = sample(rng, &c, n);
        self.months_of.insert((u, group), chosen.clone());
        chosen
    }

    /// A unit's year figure of a metric, spread over its months of `group`.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        rng: &mut Rng,
        u: usize,
        metric: &'static str,
        value: i64,
        group: &'static str,
        cands: &[u8],
        max: usize,
    ) {
        if value == 0 {
            return;
        }
        let months = self.months(rng, u, group, cands, max);
        let n = months.len().min(value as usize);
        let chosen = sample(rng, &months, n);
        let w: Vec<f64> = (0..n).map(|_| 0.6 + rng.float()).collect();
        let parts = split(value, &w, 1, None);
        let row = self.figures.entry(u).or_default().entry(metric).or_insert([0; 12]);
        for (m, p) in chosen.iter().zip(parts) {
            row[*m as usize - 1] += p;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn put_all(
        &mut self,
        rng: &mut Rng,
        units: &[usize],
        values: &[i64],
        metric: &'static str,
        group: &'static str,
        cands: &[u8],
        max: usize,
    ) {
        for (&u, &v) in units.iter().zip(values) {
            self.put(rng, u, metric, v, group, cands, max);
        }
    }

    /// A level (e.g. studios a unit has): `value` at the end of every month from `from`.
    fn level(&mut self, u: usize, metric: &'static str, from: u8, value: i64) {
        let limit = if self.mode == Mode::Exact { self.through[&u] } else { 12 };
        let row = self.figures.entry(u).or_default().entry(metric).or_insert([0; 12]);
        for m in from..=limit {
            row[m as usize - 1] = value;
        }
    }

    /// 2016: drop what lies after each unit's 截至月份.
    fn cut_at_through(&mut self) {
        for (u, figures) in &mut self.figures {
            let t = self.through[u] as usize;
            for row in figures.values_mut() {
                row[t..].iter_mut().for_each(|v| *v = 0);
            }
        }
    }

    fn value(&self, u: usize, metric: &str) -> i64 {
        self.figures
            .get(&u)
            .and_then(|f| f.get(metric))
            .map_or(0, |row| row.iter().sum())
    }
}

// ---------------------------------------------------------------------------
// The programmes
// ---------------------------------------------------------------------------

/// Months for a 2015-style calendar, or all year in 2016 for the campaigns
/// that ran on.
fn help_months(y: &Year, in_2015: &'static [u8]) -> &'static [u8] {
    if y.year == 2016 {
        &ALL_MONTHS
    } else {
        in_2015
    }
}

fn help(y: &mut Year, rng: &mut Rng) {
    if y.year < 2015 {
        return; // 帮企业稳增长促振兴 began in 2015
    }
    let all = y.counted.clone();
    let k = y.how_many(rng, "help", 100, all.len());
    let pool = y.choose(&all, k, "help");
    let start: &[u8] = if y.year == 2016 { &[1] } else { &[6, 7] };
    for &u in &pool {
        y.put(rng, u, "help.enterprises", 1, "help.start", start, 1);
    }
    let t = y.total(rng, "help", 306);
    let measures = y.share(rng, &pool, t, 1);
    let c = help_months(y, &[6, 7, 8]);
    y.put_all(rng, &pool, &measures, "help.measures", "help.plan", c, 2);
    let t = y.total(rng, "help", 203);
    let w = y.weights(rng, &pool);
    let done = split(t, &w, 0, Some(&measures));
    let c = help_months(y, &[8, 9, 10, 11, 12]);
    y.put_all(rng, &pool, &done, "help.measures_done", "help.progress", c, 3);

    for (metric, k, total, min, key, cands, max) in [
        ("help.info", 80, 219, 1, "help.info", &[6u8, 7, 8, 9, 10, 11, 12][..], 3),
        (
            "help.funds",
            60,
            5_051_000,
            500,
            "help.funds",
            &[7, 8, 9, 10, 11, 12][..],
            3,
        ),
        ("help.projects", 25, 34, 1, "help.projects", &[8, 9, 10, 11, 12][..], 2),
        ("help.alliances", 6, 6, 1, "help.alliances", &[9, 10, 11][..], 1),
        (
            "help.trained",
            45,
            2046,
            5,
            "help.trained",
            &[7, 8, 9, 10, 11, 12][..],
            3,
        ),
    ] {
        let k = y.how_many(rng, "help", k, pool.len());
        let units = y.choose(&pool, k, key);
        let t = y.total(rng, "help", total);
        let values = y.share(rng, &units, t, min);
        let c = help_months(y, cands);
        y.put_all(rng, &units, &values, metric, key, c, max);
    }
}

fn advice(y: &mut Year, rng: &mut Rng) {
    if y.year < 2015 {
        return; // 献良策 began in 2015
    }
    let all = y.counted.clone();
    let k = y.how_many(rng, "advice", 80, all.len());
    let pool = y.choose(&all, k, "advice");
    let t = y.total(rng, "advice", 329);
    let articles = y.share(rng, &pool, t, 1);
    y.put_all(rng, &pool, &articles, "advice.articles", "advice.write", &[7, 8, 9], 2);
    let t = y.total(rng, "advice", 119);
    let w = y.weights(rng, &pool);
    let awarded = split(t, &w, 0, Some(&articles));
    y.put_all(rng, &pool, &awarded, "advice.awarded", "advice.award", &[11, 12], 1);
}

fn contest(y: &mut Year, rng: &mut Rng, studios: &mut Studios) {
    let all = y.counted.clone();
    for (metric, k, total) in [("contest.groups", 10, 12), ("contest.people", 11, 13)] {
        let k = y.how_many(rng, "contest", k, all.len());
        let units = y.choose(&all, k, metric);
        let t = y.total(rng, "contest", total);
        let values = y.share(rng, &units, t, 1);
        y.put_all(rng, &units, &values, metric, metric, &[3, 4, 11], 1);
    }
    if y.year == 2016 {
        // 每周一星 began in 2016: about 42 over the year, weekly.
        let units = y.choose(&all, 30, "contest.publicised");
        let values = y.share(rng, &units, 42, 1);
        y.put_all(
            rng,
            &units,
            &values,
            "contest.publicised",
            "contest.publicised",
            &ALL_MONTHS,
            4,
        );
    }
    studios.fill(y, rng);
}

/// 劳模创新工作室, a level: 6 units had one before 2015, 4 more were
/// granted during 2015 (10 at its end, as the 2016 plan says), 2 in 2016.
#[derive(Default)]
struct Studios {
    /// (unit, month granted in 2015; 1 for the older ones)
    in_2015: Vec<(usize, u8)>,
}

impl Studios {
    fn fill(&mut self, y: &mut Year, rng: &mut Rng) {
        match y.year {
            2015 => {
                let all = y.counted.clone();
                let ten = y.choose(&all, 10, "studios");
                let old = y.choose(&ten, 6, "studios.old");
                for u in ten {
                    let from = if old.contains(&u) { 1 } else { 4 + rng.below(6) as u8 };
                    self.in_2015.push((u, from));
                    y.level(u, "contest.studios", from, 1);
                }
            }
            2014 => {
                for &(u, from) in &self.in_2015 {
                    if from == 1 && y.through.contains_key(&u) {
                        y.level(u, "contest.studios", 1, 1);
                    }
                }
            }
            _ => {
                for &(u, _) in &self.in_2015 {
                    if y.through.contains_key(&u) {
                        y.level(u, "contest.studios", 1, 1);
                    }
                }
                let had: BTreeSet<usize> = self.in_2015.iter().map(|(u, _)| *u).collect();
                let others: Vec<usize> = y.counted.iter().copied().filter(|u| !had.contains(u)).collect();
                for (u, from) in y.choose(&others, 2, "studios").into_iter().zip([3, 5]) {
                    y.level(u, "contest.studios", from, 1);
                }
            }
        }
    }
}

fn homes(y: &mut Year, rng: &mut Rng) {
    let all = y.counted.clone();
    let k = y.how_many(rng, "homes", 90, all.len());
    let pool = y.choose(&all, k, "homes");
    let t = y.total(rng, "homes", 180);
    let applied = y.share(rng, &pool, t, 1);
    y.put_all(rng, &pool, &applied, "homes.applied", "homes.apply", &[9, 10], 1);
    let t = y.total(rng, "homes", 164);
    let w = y.weights(rng, &pool);
    let awarded = split(t, &w, 0, Some(&applied));
    y.put_all(rng, &pool, &awarded, "homes.awarded", "homes.award", &[12], 1);
    let k = y.how_many(rng, "homes", 100, all.len());
    let units = y.choose(&all, k, "homes.people");
    let t = y.total(rng, "homes", 475);
    let people = y.share(rng, &units, t, 1);
    y.put_all(rng, &units, &people, "homes.people", "homes.award", &[12], 1);
}

/// A count per unit, then a second count of at least as much per unit (items
/// for unions, copies for unions), then money in proportion to the second.
#[allow(clippy::too_many_arguments)]
fn count_then_more_then_money(
    y: &mut Year,
    rng: &mut Rng,
    programme: &'static str,
    k: usize,
    (first, first_total): (&'static str, i64),
    (second, second_total): (&'static str, i64),
    (money, money_total, money_min): (&'static str, i64, i64),
    cands: &[u8],
    max: usize,
) {
    let all = y.counted.clone();
    let k = y.how_many(rng, programme, k, all.len());
    let pool = y.choose(&all, k, programme);
    let t1 = y.total(rng, programme, first_total);
    let a = y.share(rng, &pool, t1, 1);
    let t2 = y.total(rng, programme, second_total);
    let extra = y.share(rng, &pool, (t2 - t1).max(0), 0);
    let b: Vec<i64> = a.iter().zip(&extra).map(|(x, e)| x + e).collect();
    let t3 = y.total(rng, programme, money_total);
    let w: Vec<f64> = b.iter().map(|v| *v as f64 * (0.8 + 0.4 * rng.float())).collect();
    let min = money_min.min(t3 / pool.len() as i64);
    let c = split(t3, &w, min, None);
    y.put_all(rng, &pool, &a, first, programme, cands, max);
    y.put_all(rng, &pool, &b, second, programme, cands, max);
    y.put_all(rng, &pool, &c, money, programme, cands, max);
}

/// People, then money in proportion to them.
#[allow(clippy::too_many_arguments)]
fn people_then_money(
    y: &mut Year,
    rng: &mut Rng,
    programme: &'static str,
    k: usize,
    (people, people_total): (&'static str, i64),
    (money, money_total, money_min): (&'static str, i64, i64),
    cands: &[u8],
    max: usize,
) {
    let all = y.counted.clone();
    let k = y.how_many(rng, programme, k, all.len());
    let pool = y.choose(&all, k, programme);
    let t1 = y.total(rng, programme, people_total);
    let a = y.share(rng, &pool, t1, 1);
    let t2 = y.total(rng, programme, money_total);
    let w: Vec<f64> = a.iter().map(|v| *v as f64 * (0.8 + 0.4 * rng.float())).collect();
    let c = split(t2, &w, money_min.min(t2 / pool.len() as i64), None);
    y.put_all(rng, &pool, &a, people, programme, cands, max);
    y.put_all(rng, &pool, &c, money, programme, cands, max);
}

fn five_gifts(y: &mut Year, rng: &mut Rng) {
    count_then_more_then_money(
        y,
        rng,
        "papers",
        110,
        ("papers.unions", 1740),
        ("papers.copies", 4161),
        ("papers.funds", 5682, 5),
        &[1, 11, 12],
        2,
    );
    people_then_money(
        y,
        rng,
        "warmth",
        99,
        ("warmth.people", 610),
        ("warmth.funds", 4320, 10),
        &[1, 2],
        2,
    );
    // 2014's 41.22万元 makes 2015's 54万元 read 同比增长31%.
    let funds = if y.year == 2014 { 4122 } else { 5400 };
    let funds = if y.mode == Mode::Scaled {
        (funds as f64 / y.factor(rng, "fitness")).round() as i64
    } else {
        funds
    };
    count_then_more_then_money(
        y,
        rng,
        "fitness",
        40,
        ("fitness.unions", 66),
        ("fitness.items", 159),
        ("fitness.funds", funds, 10),
        &[4, 5, 9, 10],
        2,
    );
    people_then_money(
        y,
        rng,
        "study",
        22,
        ("study.students", 31),
        ("study.funds", 1190, 20),
        &[8, 9],
        1,
    );
    // 单身职工联谊: 4 host units, participants from many, pairs among them.
    let all = y.counted.clone();
    let hosts = y.choose(&all, 4, "singles.host");
    for &u in &hosts {
        y.put(rng, u, "singles.events", 1, "singles", &[10], 1);
    }
    let k = y.how_many(rng, "singles", 75, all.len());
    let pool = y.choose(&all, k, "singles");
    let t = y.total(rng, "singles", 487);
    let people = y.share(rng, &pool, t, 1);
    y.put_all(rng, &pool, &people, "singles.participants", "singles", &[10], 1);
    let with_two: Vec<usize> = pool
        .iter()
        .zip(&people)
        .filter(|(_, p)| **p >= 2)
        .map(|(u, _)| *u)
        .collect();
    let k = y.how_many(rng, "singles", 30, with_two.len());
    let units = y.choose(&with_two, k, "singles.pairs");
    let caps: Vec<i64> = units.iter().map(|&u| y.value(u, "singles.participants") / 2).collect();
    let t = y.total(rng, "singles", 42);
    let w = y.weights(rng, &units);
    let pairs = split(t, &w, 1, Some(&caps));
    y.put_all(rng, &units, &pairs, "singles.pairs", "singles", &[10], 1);
}

fn women(y: &mut Year, rng: &mut Rng) {
    let all = y.counted.clone();
    for (metric, k, total, key, cands) in [
        ("women.audience", 95, 300, "women", &[3u8][..]),
        ("women.counsellors", 55, 71, "women.counsel", &[6, 7][..]),
    ] {
        let k = y.how_many(rng, "women", k, all.len());
        let units = y.choose(&all, k, key);
        let t = y.total(rng, "women", total);
        let values = y.share(rng, &units, t, 1);
        y.put_all(rng, &units, &values, metric, key, cands, 1);
    }
}

fn culture(y: &mut Year, rng: &mut Rng) {
    let all = y.counted.clone();
    let k = y.how_many(rng, "culture", 108, all.len());
    let units = y.choose(&all, k, "culture");
    let t = y.total(rng, "culture", 4012);
    let values = y.share(rng, &units, t, 5);
    y.put_all(
        rng,
        &units,
        &values,
        "culture.audience",
        "culture.shows",
        &[3, 5, 9, 11],
        3,
    );

    // 广播体操和羽毛球: teams, at least 8 athletes a team, some leaders.
    let k = y.how_many(rng, "culture", 90, all.len());
    let pool = y.choose(&all, k, "culture.sports");
    let teams_total = y.total(rng, "culture", 174);
    let teams = y.share(rng, &pool, teams_total, 1);
    let t = y.total(rng, "culture", 2810);
    let w: Vec<f64> = teams.iter().map(|v| *v as f64 * (0.7 + 0.6 * rng.float())).collect();
    let extra = split(t - 8 * teams_total, &w, 0, None);
    let athletes: Vec<i64> = teams.iter().zip(&extra).map(|(t, e)| 8 * t + e).collect();
    y.put_all(rng, &pool, &teams, "culture.teams", "culture.sports", &[5, 6], 2);
    y.put_all(rng, &pool, &athletes, "culture.athletes", "culture.sports", &[5, 6], 2);
    let k = y.how_many(rng, "culture", 75, pool.len());
    let leaders_units = y.choose(&pool, k, "culture.leaders");
    let caps: Vec<i64> = leaders_units.iter().map(|&u| y.value(u, "culture.athletes")).collect();
    let t = y.total(rng, "culture", 101);
    let w = y.weights(rng, &leaders_units);
    let leaders = split(t, &w, 1, Some(&caps));
    y.put_all(
        rng,
        &leaders_units,
        &leaders,
        "culture.leaders",
        "culture.sports",
        &[5, 6],
        2,
    );

    for (metric, k, total, min) in [("culture.games", 15, 308, 5), ("culture.football", 36, 40, 1)] {
        let k = y.how_many(rng, "culture", k, all.len());
        let units = y.choose(&all, k, metric);
        let t = y.total(rng, "culture", total);
        let values = y.share(rng, &units, t, min);
        y.put_all(rng, &units, &values, metric, metric, &[8], 1);
    }
}

fn generate(y: &mut Year, rng: &mut Rng, studios: &mut Studios) {
    help(y, rng);
    advice(y, rng);
    contest(y, rng, studios);
    homes(y, rng);
    five_gifts(y, rng);
    women(y, rng);
    culture(y, rng);
    if y.mode == Mode::Partial {
        y.cut_at_through();
    }
}

/// The work report's 2015 figures (minor units) and, where it names one, how
/// many units report them.
const EXPECTED_2015: [(&str, i64, Option<usize>); 35] = [
    ("help.enterprises", 100, Some(100)),
    ("help.info", 219, None),
    ("help.measures", 306, Some(100)),
    ("help.measures_done", 203, None),
    ("help.funds", 5_051_000, None),
    ("help.projects", 34, None),
    ("help.alliances", 6, None),
    ("help.trained", 2046, None),
    ("advice.articles", 329, Some(80)),
    ("advice.awarded", 119, None),
    ("contest.groups", 12, None),
    ("contest.people", 13, None),
    ("contest.studios", 10, Some(10)),
    ("contest.publicised", 0, Some(0)),
    ("homes.applied", 180, None),
    ("homes.awarded", 164, None),
    ("homes.people", 475, None),
    ("papers.funds", 5682, None),
    ("papers.unions", 1740, None),
    ("papers.copies", 4161, None),
    ("warmth.funds", 4320, Some(99)),
    ("warmth.people", 610, Some(99)),
    ("fitness.unions", 66, None),
    ("fitness.items", 159, None),
    ("fitness.funds", 5400, None),
    ("study.funds", 1190, None),
    ("study.students", 31, None),
    ("singles.events", 4, None),
    ("singles.participants", 487, None),
    ("singles.pairs", 42, None),
    ("women.audience", 300, None),
    ("women.counsellors", 71, None),
    ("culture.audience", 4012, None),
    ("culture.teams", 174, None),
    ("culture.athletes", 2810, None),
];

const EXPECTED_2015_MORE: [(&str, i64, Option<usize>); 3] = [
    ("culture.leaders", 101, None),
    ("culture.games", 308, Some(15)),
    ("culture.football", 40, None),
];

/// The 2015 totals over the counted units are the work report's, or panic.
/// 送健身器材 funds like for like: the units counted in both years, each over
/// the months it reported in 2015, come to 54万元 against 41.22万元.
fn check_fitness_yoy(y2014: &Year, y2015: &Year) {
    let funds = |y: &Year, u: usize, through: u8| -> i64 {
        let row = y
            .figures
            .get(&u)
            .and_then(|f| f.get("fitness.funds"))
            .copied()
            .unwrap_or([0; 12]);
        row[..through as usize].iter().sum()
    };
    let both: Vec<(usize, u8)> = y2015
        .through
        .iter()
        .filter(|(u, _)| y2014.through.contains_key(u))
        .map(|(u, t)| (*u, *t))
        .collect();
    let now: i64 = both.iter().map(|&(u, t)| funds(y2015, u, t)).sum();
    let before: i64 = both.iter().map(|&(u, t)| funds(y2014, u, t)).sum();
    let all_now: i64 = y2015.counted.iter().map(|&u| funds(y2015, u, 12)).sum();
    assert_eq!(
        (now, before, all_now),
        (5400, 4122, 5400),
        "fitness funds like for like"
    );
}

fn check_2015(y: &Year, catalogue: &Catalogue) {
    for (metric, total, units) in EXPECTED_2015.iter().chain(&EXPECTED_2015_MORE) {
        let is_level = catalogue.metrics[catalogue.metric_by_code(metric).unwrap()].aggregate
            == annual_report::catalogue::Aggregate::Last;
        let per_unit: Vec<i64> = y
            .counted
            .iter()
            .map(|u| {
                let row = y.figures.get(u).and_then(|f| f.get(metric)).copied().unwrap_or([0; 12]);
                if is_level {
                    row.iter().rev().copied().find(|v| *v != 0).unwrap_or(0)
                } else {
                    row.iter().sum()
                }
            })
            .collect();
        let sum: i64 = per_unit.iter().sum();
        assert_eq!(sum, *total, "2015 total of {metric}");
        if let Some(n) = units {
            assert_eq!(
                per_unit.iter().filter(|v| **v > 0).count(),
                *n,
                "2015 units of {metric}"
            );
        }
    }
    let months_ok = y.figures.iter().all(|(u, f)| {
        let t = y.through[u] as usize;
        f.values().all(|row| row[t..].iter().all(|v| *v == 0))
    });
    assert!(months_ok, "a 2015 figure after 截至月份");
}

// ---------------------------------------------------------------------------
// Who sends what
// ---------------------------------------------------------------------------

/// The units that make the planted mistakes and oddities (by department).
struct Plants {
    wrong_text: usize,
    negative: usize,
    resubmitted: usize,
    renamed: usize,
    late: usize,
    duplicate: usize,
    wps_xls: usize,
    ods: [usize; 4],
    missing_2015: [usize; 2],
    error_2016: usize,
    /// Ordinary units that save their 2015 form in the legacy .xls format.
    /// Not in `all()`: they carry no mistake, and leaving them out keeps the
    /// RNG's picks (and so every other file) as they were.
    xls_2015: [usize; 3],
    /// The unit that types one 2015 month of 协调资金 in 元, and the unit
    /// whose figure keeps the total (see `slip`). Not in `all()` either.
    slip_2015: usize,
    slip_donor: usize,
}

impl Plants {
    fn all(&self) -> BTreeSet<usize> {
        let mut s: BTreeSet<usize> = [
            self.wrong_text,
            self.negative,
            self.resubmitted,
            self.renamed,
            self.late,
            self.duplicate,
            self.wps_xls,
            self.error_2016,
        ]
        .into_iter()
        .collect();
        s.extend(self.ods);
        s.extend(self.missing_2015);
        s
    }
}

/// `n` units not in `taken`, picked with the RNG, in registry order.
fn pick_units(rng: &mut Rng, n_units: usize, taken: &BTreeSet<usize>, n: usize) -> Vec<usize> {
    let mut free: Vec<usize> = (0..n_units).filter(|u| !taken.contains(u)).collect();
    for i in 0..n {
        let j = i + rng.below(free.len() - i);
        free.swap(i, j);
    }
    free.truncate(n);
    free.sort_unstable();
    free
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Who fills a unit's form: mostly the same person every year.
fn filer(m: &Member, year: i32) -> (String, String) {
    let key = if stable(&m.code, "filer.changes") < 0.2 {
        format!("filer@{year}")
    } else {
        "filer".to_owned()
    };
    let s = SURNAMES[(stable(&m.code, &format!("{key}.s")) * SURNAMES.len() as f64) as usize];
    let g = GIVEN[(stable(&m.code, &format!("{key}.g")) * GIVEN.len() as f64) as usize];
    let digits = (stable(&m.code, "phone") * 1e7) as u64;
    let phone = if stable(&m.code, "mobile") < 0.25 {
        format!("139{:08}", (stable(&m.code, "mobile.n") * 1e8) as u64)
    } else {
        format!("024-2{digits:07}")
    };
    (format!("{s}{g}"), phone)
}

/// The file name a unit gives its workbook.
fn file_name(rng: &mut Rng, m: &Member, year: i32, through: u8, ext: &str) -> String {
    let unit = unit_of(m);
    let stem = form_file_name(&unit);
    let stem = stem.trim_end_matches(".xlsx");
    let r = rng.float();
    let name = if year == 2016 {
        if r < 0.5 {
            format!("{stem}（1-{through}月）.{ext}")
        } else if r < 0.8 {
            format!("{}{year}年1-{through}月工作数据.{ext}", m.short)
        } else {
            format!("{} {}.{ext}", m.code, m.name)
        }
    } else if r < 0.55 {
        format!("{stem}.{ext}")
    } else if r < 0.70 {
        format!("第二批/{}{year}年报表.{ext}", m.short)
    } else if r < 0.80 {
        format!("{} {year}年度数据（终稿）.{ext}", m.name)
    } else if r < 0.90 {
        format!("{} {}.{ext}", m.code, m.short)
    } else {
        format!("附件{}：{}工会工作数据表.{ext}", 1 + rng.below(9), m.short)
    };
    format!("{year}/{name}")
}

fn filled(
    catalogue: &Catalogue,
    figures: Option<&Figures>,
    m: &Member,
    year: i32,
    through: u8,
    on: NaiveDate,
) -> Filling {
    let mut f = figures.map(|x| filling_of(catalogue, x)).unwrap_or_default();
    f.filled_through = Some(through);
    f.filed_on = Some(on);
    let (name, phone) = filer(m, year);
    f.filer = Some(name);
    f.phone = Some(phone);
    f
}

/// Money in minor units (0.01) as a unit types it: `1,234.5`.
fn thousands(v: i64, sep: &str) -> String {
    let int = (v / 100).to_string();
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    let cents = v % 100;
    match cents {
        0 => out,
        c if c % 10 == 0 => format!("{out}.{}", c / 10),
        c => format!("{out}.{c:02}"),
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
            c => c,
        })
        .collect()
}

/// The first (unit, month) of a counted, unplanted unit where `metric` has a
/// value meeting `ok`, in registry order from `start`.
fn find_cell(
    y: &Year,
    plants: &BTreeSet<usize>,
    metric: &str,
    start: usize,
    ok: impl Fn(i64) -> bool,
) -> (usize, usize, i64) {
    let n = y.members.len();
    (0..n)
        .map(|i| (start + i) % n)
        .filter(|u| !plants.contains(u))
        .find_map(|u| {
            let row = y.figures.get(&u)?.get(metric)?;
            row.iter().position(|v| ok(*v)).map(|m| (u, m, row[m]))
        })
        .unwrap_or_else(|| panic!("no cell for {metric}"))
}

pub fn build(catalogue: &Catalogue, members: &[Member]) -> Sample {
    let mut rng = Rng(SEED);
    let by_dept = |dept: &str| {
        members
            .iter()
            .position(|m| m.short == dept)
            .unwrap_or_else(|| panic!("{dept}"))
    };
    let plants = Plants {
        wrong_text: by_dept("省文化厅"),
        negative: by_dept("省体育局"),
        resubmitted: by_dept("省发展改革委"),
        renamed: by_dept("省财政厅"),
        late: by_dept("省地震局"),
        duplicate: by_dept("省科技厅"),
        wps_xls: by_dept("省民政厅"),
        ods: [
            by_dept("省社科院"),
            by_dept("省农科院"),
            by_dept("省文联"),
            by_dept("省气象局"),
        ],
        missing_2015: [by_dept("省作协"), by_dept("省保密局")],
        error_2016: by_dept("省统计局"),
        xls_2015: [by_dept("省卫生计生委"), by_dept("省国税局"), by_dept("省烟草专卖局")],
        slip_2015: by_dept("省戒毒管理局"),
        slip_donor: by_dept("省教育厅"),
    };
    let planted = plants.all();
    let n = members.len();

    // Who counts each year, and through which month.
    let excluded_2015: BTreeSet<usize> = [plants.wrong_text, plants.negative]
        .into_iter()
        .chain(plants.missing_2015)
        .collect();
    let through_2015: BTreeMap<usize, u8> = (0..n)
        .filter(|u| !excluded_2015.contains(u))
        .map(|u| (u, if u == plants.late { 11 } else { 12 }))
        .collect();
    // 2015's 54万元 reads 同比增长31% like for like (可比口径) only if every
    // unit that sent fitness money in 2015 also reported in 2014: those
    // (the 2015 fitness pool, chosen without randomness) always report.
    let fitness_2015 = Year::new(2015, Mode::Exact, members, through_2015.clone());
    let mut reported_2014 = planted.clone();
    reported_2014.extend(fitness_2015.choose(&fitness_2015.counted, 40, "fitness"));
    let missing_2014 = pick_units(&mut rng, n, &reported_2014, 4);
    let through_2014: BTreeMap<usize, u8> = (0..n).filter(|u| !missing_2014.contains(u)).map(|u| (u, 12)).collect();
    let missing_2016 = pick_units(&mut rng, n, &planted, 9);
    let mut taken = planted.clone();
    taken.extend(&missing_2016);
    let early_2016 = pick_units(&mut rng, n, &taken, 15);
    let through_2016: BTreeMap<usize, u8> = (0..n)
        .filter(|u| !missing_2016.contains(u))
        .map(|u| {
            let t = match early_2016.iter().position(|e| *e == u) {
                Some(i) if i < 5 => 4,
                Some(_) => 5,
                None => 6,
            };
            (u, t)
        })
        .collect();

    let mut studios = Studios::default();
    let mut y2015 = Year::new(2015, Mode::Exact, members, through_2015);
    generate(&mut y2015, &mut rng, &mut studios);
    let slip = slip::plant(&mut y2015.figures, plants.slip_2015, plants.slip_donor);
    check_2015(&y2015, catalogue);
    let mut y2014 = Year::new(2014, Mode::Scaled, members, through_2014);
    generate(&mut y2014, &mut rng, &mut studios);
    check_fitness_yoy(&y2014, &y2015);
    let mut y2016 = Year::new(2016, Mode::Partial, members, through_2016);
    generate(&mut y2016, &mut rng, &mut studios);

    let mut subs = Vec::new();
    let mut notes = Vec::new();
    for y in [&y2014, &y2015, &y2016] {
        year_submissions(catalogue, y, &plants, &slip, &mut rng, &mut subs, &mut notes);
    }
    let readme = readme(members, &plants, &notes, &missing_2016, &early_2016);
    Sample {
        submissions: subs,
        readme,
    }
}

/// A planted mistake or oddity, for the README: (year, what, file).
type Note = (i32, String, String);

fn filed_on(rng: &mut Rng, year: i32, through: u8) -> NaiveDate {
    match (year, through) {
        (2016, 6) => date(2016, 7, 1 + rng.below(12) as u32),
        (2016, 5) => date(2016, 6, 1 + rng.below(10) as u32),
        (2016, _) => date(2016, 5, 3 + rng.below(10) as u32),
        (y, _) => date(y + 1, 1, 4 + rng.below(17) as u32),
    }
}

/// A number typed as text: (metric, which values, how typed, what it shows).
type TypedAsText = (&'static str, fn(i64) -> bool, fn(i64) -> String, &'static str);

fn year_submissions(
    catalogue: &Catalogue,
    y: &Year,
    plants: &Plants,
    slip: &Slip,
    rng: &mut Rng,
    subs: &mut Vec<Submission>,
    notes: &mut Vec<Note>,
) {
    let planted = plants.all();
    let year = y.year;
    let start = subs.len();
    for (&u, &through) in &y.through {
        let m = &y.members[u];
        let ods_units: &[usize] = match year {
            2014 => &[plants.ods[0], plants.ods[2]],
            2015 => &plants.ods,
            _ => &plants.ods[..3],
        };
        let is_ods = ods_units.contains(&u);
        let is_xls = year == 2015 && plants.xls_2015.contains(&u);
        let (kind, ext) = match (is_ods, is_xls) {
            (true, _) => (Kind::Ods, "ods"),
            (_, true) => (Kind::Xls, "xls"),
            _ => (Kind::Xlsx, "xlsx"),
        };
        let mut path = file_name(rng, m, year, through, ext);
        let on = filed_on(rng, year, through);
        let mut f = filled(catalogue, y.figures.get(&u), m, year, through, on);
        let mut unit = unit_of(m);
        let mut paths = Vec::new();
        if year == 2015 && u == plants.renamed {
            unit.name = m.name.replace("机关工会", "工会");
            notes.push((year, format!("单位名称写成“{}”，与名册“{}”不符（警告，照常计入） / 单位名称 differs from the registry (warning; counted)", unit.name, m.name), path.clone()));
        }
        if year == 2015 && u == slip.unit {
            notes.push((
                year,
                format!(
                    "{} {}月把{}万元按“元”填成“{}”（元当万元，警告“请核实”，照常计入；2015年合计含这一笔） / typed in 元 in the 万元 column (warning check-unit-slip; still counted, and the 2015 total includes it)",
                    slip::METRIC,
                    slip.month,
                    thousands(slip.meant, ""),
                    thousands(slip.typed, ""),
                ),
                path.clone(),
            ));
        }
        if year == 2015 && u == plants.late {
            notes.push((
                year,
                "截至月份只填到11月（计入，列为逾期） / filled through November only (counted, late)".into(),
                path.clone(),
            ));
        }
        if year == 2015 && u == plants.wps_xls {
            path = format!("{year}/{}（WPS）.xls", m.name);
            notes.push((year, "xlsx 文件被改名为 .xls（WPS 常见，读取并提示） / an .xlsx renamed .xls, as WPS does (read, with a note)".into(), path.clone()));
        }
        if is_ods && year == 2015 {
            notes.push((
                year,
                "用 WPS/LibreOffice 另存为 .ods / saved as .ods".into(),
                path.clone(),
            ));
        }
        if is_xls {
            notes.push((
                year,
                "用 Excel 97-2003 格式（.xls）保存 / saved in the legacy format (.xls, BIFF8)".into(),
                path.clone(),
            ));
        }
        if year == 2015 && u == plants.duplicate {
            let copy = format!("{year}/邮件附件/{}", path.rsplit('/').next().unwrap());
            notes.push((
                year,
                format!("同一文件发了两次（另一份在 {copy}），只计一次 / the same file sent twice, counted once"),
                path.clone(),
            ));
            paths.push(copy);
        }
        if year == 2015 && u == plants.resubmitted {
            // First try: 截至月份 11 while December is filled in; corrected later.
            let mut first = f.clone();
            first.filled_through = Some(11);
            first.filed_on = Some(date(2016, 1, 8));
            assert!(
                first.months.values().any(|row| row[11].is_some()),
                "resubmitted unit has December figures"
            );
            let first_path = format!("{year}/{}", form_file_name(&unit));
            notes.push((year, "截至月份填11但12月有数（错误）；后来重报更正，此份被取代 / 截至月份 11 with December filled (error); superseded by the correction".into(), first_path.clone()));
            subs.push(Submission {
                year,
                unit: unit.clone(),
                filling: first,
                kind: Kind::Xlsx,
                paths: vec![first_path],
            });
            f.filed_on = Some(date(2016, 1, 19));
            path = format!("{year}/更正/{}（更正）.xlsx", m.name);
            notes.push((
                year,
                "更正后重报（填报日期较晚，计入） / the correction, filed later (counted)".into(),
                path.clone(),
            ));
        }
        if year == 2016 && u == plants.error_2016 {
            f.texts.insert(("women.audience".into(), 3), "十二".into());
            f.months.entry("women.audience".into()).or_insert([None; 12])[2] = Some(12.0);
            notes.push((
                year,
                "3月报告会人数写成“十二”（错误，待更正） / “十二” typed for a number (error; to be corrected)".into(),
                path.clone(),
            ));
        }
        paths.insert(0, path);
        subs.push(Submission {
            year,
            unit,
            filling: f,
            kind,
            paths,
        });
    }
    let mut by_unit: BTreeMap<String, usize> = BTreeMap::new();
    for (i, s) in subs.iter().enumerate().skip(start) {
        by_unit.insert(s.unit.code.clone(), i);
    }

    // Numbers typed as text, in ways the reader accepts (notes).
    let typed: &[TypedAsText] = match year {
        2015 => &[
            (
                "help.funds",
                |v| v >= 100_000,
                |v| thousands(v, ","),
                "千分位逗号 / thousands comma",
            ),
            (
                "help.funds",
                |v| v >= 100_000,
                |v| thousands(v, "，"),
                "全角千分位逗号 / full-width comma",
            ),
            (
                "fitness.funds",
                |v| v >= 100,
                |v| format!("{}万元", thousands(v, "")),
                "数字后带计量单位 / trailing 万元",
            ),
            (
                "papers.copies",
                |v| v >= 10,
                |v| full_width(&v.to_string()),
                "全角数字 / full-width digits",
            ),
            (
                "culture.audience",
                |v| v >= 10,
                |v| format!(" {v} "),
                "数字前后有空格 / spaces around",
            ),
        ],
        2014 => &[(
            "papers.copies",
            |v| v >= 10,
            |v| full_width(&v.to_string()),
            "全角数字 / full-width digits",
        )],
        _ => &[(
            "warmth.funds",
            |v| v >= 100,
            |v| format!("{}万元", thousands(v, "")),
            "数字后带计量单位 / trailing 万元",
        )],
    };
    let mut used = planted.clone();
    if year == 2015 {
        used.insert(slip.unit); // its figures are planted already
    }
    for (i, (metric, ok, show, what)) in typed.iter().enumerate() {
        let (u, month, v) = find_cell(y, &used, metric, 7 + 31 * i, ok);
        used.insert(u);
        let s = &mut subs[by_unit[&y.members[u].code]];
        let text = show(v);
        notes.push((
            year,
            format!("{metric} {}月写成文本“{text}”（{what}，读取并提示）", month + 1),
            s.paths[0].clone(),
        ));
        s.filling.texts.insert(((*metric).to_owned(), month as u8 + 1), text);
    }

    // A few 合计 rows and remarks, as units add them.
    let counted: Vec<usize> = by_unit.values().copied().collect();
    let n_totals = if year == 2015 { 5 } else { 2 };
    for _ in 0..n_totals {
        let i = counted[rng.below(counted.len())];
        subs[i].filling.totals_row = true;
    }
    for (metric, remark) in [
        ("warmth.funds", "元旦、春节慰问"),
        ("fitness.items", "含乒乓球台"),
        ("help.funds", "含争取国家专项资金"),
        ("culture.leaders", "含副厅级"),
        ("papers.copies", "含《辽宁职工报》"),
    ] {
        let with: Vec<usize> = counted
            .iter()
            .copied()
            .filter(|&i| subs[i].filling.months.contains_key(metric))
            .collect();
        for _ in 0..2.min(with.len()) {
            let i = with[rng.below(with.len())];
            subs[i].filling.remarks.insert(metric.to_owned(), remark.to_owned());
        }
    }

    let typed_into_xls = subs[start..]
        .iter()
        .any(|s| matches!(s.kind, Kind::Xls) && !s.filling.texts.is_empty());
    assert!(
        !typed_into_xls,
        "a legacy .xls unit was picked for a planted text: choose another"
    );

    if year == 2015 {
        excluded_2015(catalogue, y, plants, rng, subs, notes);
    }
}

/// The files that do not count in 2015: their figures are copied from another
/// unit (so they look real) and no total needs them.
fn excluded_2015(
    catalogue: &Catalogue,
    y: &Year,
    plants: &Plants,
    rng: &mut Rng,
    subs: &mut Vec<Submission>,
    notes: &mut Vec<Note>,
) {
    let year = 2015;
    let donor = |rng: &mut Rng| y.counted[rng.below(y.counted.len())];

    let m = &y.members[plants.wrong_text];
    let mut f = filled(
        catalogue,
        y.figures.get(&donor(rng)),
        m,
        year,
        12,
        filed_on(rng, year, 12),
    );
    f.texts.insert(("culture.audience".into(), 5), "约300".into());
    f.months.entry("culture.audience".into()).or_insert([None; 12])[4] = Some(300.0);
    let path = file_name(rng, m, year, 12, "xlsx");
    notes.push((
        year,
        "5月观看演出人数写成“约300”（错误，整份不计入，待更正） / “约300” (error; the file does not count)".into(),
        path.clone(),
    ));
    subs.push(Submission {
        year,
        unit: unit_of(m),
        filling: f,
        kind: Kind::Xlsx,
        paths: vec![path],
    });

    let m = &y.members[plants.negative];
    let mut f = filled(
        catalogue,
        y.figures.get(&donor(rng)),
        m,
        year,
        12,
        filed_on(rng, year, 12),
    );
    f.months.entry("fitness.items".into()).or_insert([None; 12])[9] = Some(-3.0);
    f.remarks.insert("fitness.items".into(), "退回损坏器材3件".into());
    let path = file_name(rng, m, year, 12, "xlsx");
    notes.push((
        year,
        "10月健身器材填了负数 -3（错误，整份不计入，待更正） / a negative figure (error; the file does not count)"
            .into(),
        path.clone(),
    ));
    subs.push(Submission {
        year,
        unit: unit_of(m),
        filling: f,
        kind: Kind::Xlsx,
        paths: vec![path],
    });

    // A unit not (yet) in the registry.
    let stranger = Member {
        code: "S121".into(),
        name: "省政府研究室机关工会".into(),
        category: "机关工会",
        short: "省政府研究室",
    };
    let f = filled(
        catalogue,
        y.figures.get(&donor(rng)),
        &stranger,
        year,
        12,
        filed_on(rng, year, 12),
    );
    let path = format!("{year}/第二批/{}2015年报表.xlsx", stranger.short);
    notes.push((
        year,
        "单位代码 S121 不在名册中（错误，不计入） / unit code S121 is not registered (error; not counted)".into(),
        path.clone(),
    ));
    subs.push(Submission {
        year,
        unit: unit_of(&stranger),
        filling: f,
        kind: Kind::Xlsx,
        paths: vec![path],
    });
}

fn readme(members: &[Member], plants: &Plants, notes: &[Note], missing_2016: &[usize], early_2016: &[usize]) -> String {
    let name = |u: usize| format!("{}（{}）", members[u].name, members[u].code);
    let mut r = String::new();
    r.push_str("# 样例输入 / The sample input\n\n");
    r.push_str("本目录是一个完整的样例：省直机关工会工委的报表目录（约120个会员单位，2014、2015年全年报表，2016年截至6月的报表）。");
    r.push_str(
        "`cargo run --release` 用它生成报告；2015年报告应写出2016年工作报告“2015年主要工作回顾”中的各项数字。\n\n",
    );
    r.push_str(
        "This folder is a complete sample: the report folder of the committee (about 120 member units, year-end \
                workbooks for 2014 and 2015, and 2016 in progress through June). `cargo run --release` writes a \
                report from it; the 2015 report states the figures of the 2015 review in the committee's 2016 work \
                report (see `shared/SAMPLE.md`).\n\n",
    );
    r.push_str("**不要手工修改。** 全部文件由 `cargo run --example make_sample` 生成（固定随机种子，逐字节可重现）；要改样例，请改 `examples/make_sample/` 后重新运行。\n\n");
    r.push_str(
        "**Do not edit by hand.** Every file here is written by `cargo run --example make_sample` (fixed seed, \
                byte for byte reproducible); change `examples/make_sample/` and rerun it instead.\n\n",
    );
    r.push_str("## 内容 / Contents\n\n");
    r.push_str("- `report.toml` — 项目与指标目录、2016年目标、工委自己的事实与数字（`[facts]`） / the catalogue, 2016 targets and the committee's own facts\n");
    r.push_str("- `units.xlsx` — 会员单位名册（单位代码、单位名称、类别） / the registry of member units\n");
    r.push_str("- `2014/`, `2015/` — 全年报表 / year-end workbooks (截至月份 12)\n");
    r.push_str(&format!(
        "- `2016/` — 年中报表：多数截至6月，{}个截至5月，{}个截至4月，{}个单位未报 / in progress: most through June, some through April or May, some missing\n\n",
        early_2016.len() - 5,
        5,
        missing_2016.len()
    ));
    r.push_str("## 有意设置的问题 / Planted mistakes and oddities\n\n");
    r.push_str("真实单位会犯的错误，让校验报告和“待更正”名单不为空。2015年各项合计只来自计入的报表，不计入的文件里的数字不影响合计。\n\n");
    r.push_str("Mistakes real units make, so that the validation report and the 待更正 list are not empty. The 2015 \
                totals come from the counted submissions only; no excluded file's figures are needed to reach them.\n\n");
    r.push_str("| 年度 | 文件 / file | 问题 / what |\n|---|---|---|\n");
    for (year, what, file) in notes {
        r.push_str(&format!("| {year} | `{file}` | {what} |\n"));
    }
    r.push_str(&format!(
        "\n2015年未报 / missing in 2015: {}。2016年未报 / missing in 2016: {}。\n",
        plants
            .missing_2015
            .iter()
            .map(|&u| name(u))
            .collect::<Vec<_>>()
            .join("、"),
        missing_2016.iter().map(|&u| name(u)).collect::<Vec<_>>().join("、"),
    ));
    r.push_str("\n另有几份报表在数据表下加了“合计”行，或在备注栏写了说明，读取时跳过或照录。 / A few forms carry a 合计 row under the metrics, or remarks; the reader skips or keeps them.\n");
    r.push_str("\n上表中“用 Excel 97-2003 格式保存”的三份是真正的旧格式 .xls（BIFF8），由 `examples/make_sample/xls.rs` 逐字节可重现地写出；“改名为 .xls”的那份其实是 xlsx，是 WPS 常见的情形。 / The three files saved in the legacy format are genuine .xls (BIFF8) workbooks, written reproducibly by `examples/make_sample/xls.rs`; the “renamed .xls” one is really an xlsx, as WPS users send.\n");
    r
}
