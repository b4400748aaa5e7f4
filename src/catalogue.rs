//! `report.toml`: the settings and the catalogue of programmes and metrics,
//! parsed, then checked; every problem names the file, key and line.

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml::Spanned;

use crate::text::code_key;

/// How a metric's month figures make a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// Amounts: summed over months and units.
    #[default]
    Sum,
    /// Levels (e.g. 在册人数): each unit's latest filled month, summed over units.
    Last,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub decimals: u32,
    pub aggregate: Aggregate,
    pub targets: BTreeMap<i32, f64>,
    /// Index into [`Catalogue::programmes`].
    pub programme: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// Indices into [`Catalogue::metrics`], in catalogue order.
    pub metrics: Vec<usize>,
}

/// Serialisable for the reading workers, which check submissions against it
/// (the facts stay behind: only the report reads them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalogue {
    pub organisation: String,
    pub title: String,
    /// Committee-level facts that are not sums over units, for the templates.
    #[serde(skip)]
    pub facts: toml::Table,
    pub office: Office,
    pub checks: Checks,
    pub programmes: Vec<Programme>,
    pub metrics: Vec<Metric>,
    by_code: HashMap<String, usize>,
}

/// `[office]`: who units contact about their figures (printed on receipts).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 联系人, e.g. "组织部 王老师".
    #[serde(default)]
    pub contact: String,
    /// 联系电话.
    #[serde(default)]
    pub phone: String,
}

/// `[checks]`: thresholds of the plausibility warnings (see README).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Checks {
    /// A money cell this many times (or this fraction of) the unit's usual
    /// cell reads as 元 typed for 万元.
    pub unit_slip: f64,
    /// A unit's figure this many times (or this fraction of) its own last
    /// year, both material.
    pub vs_last_year: f64,
    /// One month this many times the unit's median month.
    pub month_spike: f64,
    /// A level month this many times (or this fraction of) the months on
    /// either side, which agree.
    pub level_jump: f64,
    /// Counts below this are never "many times" anything (1 → 4 is normal).
    pub material_count: f64,
    /// Money below this many 万元 likewise.
    pub material_money: f64,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            unit_slip: 2000.0,
            vs_last_year: 10.0,
            month_spike: 10.0,
            level_jump: 3.0,
            material_count: 20.0,
            material_money: 10.0,
        }
    }
}

// The file as written. Spans let the checks after parsing name the line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    organisation: String,
    title: String,
    #[serde(default)]
    facts: toml::Table,
    #[serde(default)]
    office: Office,
    #[serde(default)]
    checks: Checks,
    #[serde(default)]
    programmes: Vec<RawProgramme>,
    /// Only here to give metrics outside a programme a clear message.
    #[serde(default)]
    metrics: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    metrics: Vec<RawMetric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    decimals: Option<Spanned<i64>>,
    #[serde(default)]
    aggregate: Aggregate,
    #[serde(default)]
    targets: BTreeMap<Spanned<String>, Spanned<f64>>,
}

/// The most decimals a metric may declare; money to the cent needs 2.
const MAX_DECIMALS: i64 = 6;

/// Units of measure that make a metric an amount of money (written 万元/亿元).
const MONEY_UNITS: [&str; 3] = ["元", "万元", "亿元"];

impl Metric {
    pub fn is_money(&self) -> bool {
        MONEY_UNITS.contains(&self.unit.as_str())
    }
}

impl Catalogue {
    /// Parse and check; `name` is how the file is named in messages.
    pub fn parse(text: &str, name: &str) -> Result<Catalogue> {
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_col(text, s.start)).unwrap_or_default();
            anyhow::anyhow!("{name}{at}：{}", translate_toml_message(e.message()))
        })?;
        let mut problems = Vec::new();
        let mut at = |span: Range<usize>, msg: String| {
            problems.push(format!("{name}{}：{msg}", line_col(text, span.start)));
        };

        if let Some(m) = &raw.metrics {
            at(
                m.span(),
                "指标必须写在某个 [[programmes]] 之下（用 [[programmes.metrics]]），不能单独写 [[metrics]]".into(),
            );
        }
        let c = &raw.checks;
        for (key, value, least) in [
            ("unit_slip", c.unit_slip, 1.0),
            ("vs_last_year", c.vs_last_year, 1.0),
            ("month_spike", c.month_spike, 1.0),
            ("level_jump", c.level_jump, 1.0),
            ("material_count", c.material_count, 0.0),
            ("material_money", c.material_money, 0.0),
        ] {
            if !value.is_finite() || value < least || (least == 1.0 && value == 1.0) {
                let want = if least == 1.0 {
                    "大于 1 的倍数"
                } else {
                    "不小于 0 的数"
                };
                at(0..0, format!("[checks] {key} 应为{want}，现为 {value}"));
            }
        }
        if raw.programmes.is_empty() {
            at(0..0, "没有任何项目，请至少写一个 [[programmes]]".into());
        }

        let mut programmes = Vec::new();
        let mut metrics = Vec::new();
        let mut by_code: HashMap<String, usize> = HashMap::new();
        let mut programme_ids: HashMap<String, usize> = HashMap::new();
        for rp in raw.programmes {
            let pid = rp.id.get_ref().trim().to_owned();
            if pid.is_empty() {
                at(rp.id.span(), "项目的 id 不能为空".into());
            } else if let Some(first) = programme_ids.insert(pid.clone(), rp.id.span().start) {
                at(
                    rp.id.span(),
                    format!("项目 id “{pid}” 重复（第一次出现在第 {} 行）", line_of(text, first)),
                );
            }
            if rp.name.trim().is_empty() {
                at(rp.id.span(), format!("项目 “{pid}” 的 name 不能为空"));
            }
            if rp.metrics.is_empty() {
                at(
                    rp.id.span(),
                    format!("项目 “{pid}” 没有任何指标（[[programmes.metrics]]）"),
                );
            }
            let pidx = programmes.len();
            let mut indices = Vec::new();
            for rm in rp.metrics {
                let mid = rm.id.get_ref().trim().to_owned();
                let key = code_key(&mid);
                if mid.is_empty() {
                    at(rm.id.span(), "指标的 id 不能为空".into());
                } else if mid.chars().any(char::is_whitespace) {
                    at(rm.id.span(), format!("指标 id “{mid}” 不能含空格"));
                } else if let Some(first) = by_code.get(&key) {
                    let first: &Metric = &metrics[*first];
                    at(rm.id.span(), format!("指标 id “{mid}” 重复（已用于 “{}”）", first.name));
                }
                if rm.name.trim().is_empty() {
                    at(rm.id.span(), format!("指标 “{mid}” 的 name 不能为空"));
                }
                let decimals = match &rm.decimals {
                    None => 0,
                    Some(d) if (0..=MAX_DECIMALS).contains(d.get_ref()) => *d.get_ref() as u32,
                    Some(d) => {
                        at(
                            d.span(),
                            format!("decimals 应为 0–{MAX_DECIMALS} 的整数，现为 {}", d.get_ref()),
                        );
                        0
                    }
                };
                let mut targets = BTreeMap::new();
                for (year, value) in &rm.targets {
                    match year.get_ref().trim().parse::<i32>() {
                        Ok(y) if (1900..=2999).contains(&y) => {
                            let v = *value.get_ref();
                            if !v.is_finite() || v < 0.0 {
                                at(value.span(), format!("指标 “{mid}” 的 {y} 年目标应为不小于 0 的数"));
                            }
                            targets.insert(y, v);
                        }
                        _ => at(
                            year.span(),
                            format!("targets 的键应为年份（如 2016），现为 “{}”", year.get_ref()),
                        ),
                    }
                }
                by_code.entry(key).or_insert(metrics.len());
                indices.push(metrics.len());
                metrics.push(Metric {
                    id: mid,
                    name: rm.name.trim().to_owned(),
                    unit: rm.unit.trim().to_owned(),
                    decimals,
                    aggregate: rm.aggregate,
                    targets,
                    programme: pidx,
                });
            }
            programmes.push(Programme {
                id: pid,
                name: rp.name.trim().to_owned(),
                group: rp.group.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()),
                metrics: indices,
            });
        }

        if !problems.is_empty() {
            bail!("{}", problems.join("\n"));
        }
        Ok(Catalogue {
            organisation: raw.organisation,
            title: raw.title,
            facts: raw.facts,
            office: raw.office,
            checks: raw.checks,
            programmes,
            metrics,
            by_code,
        })
    }

    /// The metric a unit means by the 指标代码 it wrote (spaces, full-width
    /// letters and case forgiven).
    pub fn metric_by_code(&self, code: &str) -> Option<usize> {
        let key = code_key(code);
        self.by_code.get(&key).copied().or_else(|| {
            let lower = key.to_lowercase();
            self.by_code
                .iter()
                .find(|(k, _)| k.to_lowercase() == lower)
                .map(|(_, &i)| i)
        })
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn line_col(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    format!(" 第 {} 行第 {col} 列", line_of(text, offset))
}

/// The toml crate speaks English; the office reads Chinese. Keep the
/// original words after the translation so nothing is lost.
fn translate_toml_message(msg: &str) -> String {
    let msg = msg.trim();
    let lead = if msg.starts_with("unknown field") {
        "未知的键"
    } else if msg.starts_with("missing field") {
        "缺少必填的键"
    } else if msg.contains("duplicate key") {
        "键重复"
    } else if msg.starts_with("invalid type") {
        "值的类型不对"
    } else if msg.starts_with("unknown variant") {
        "取值不在允许范围内"
    } else {
        "格式错误"
    };
    format!("{lead}（{msg}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
organisation = "省直机关工会工委"
title = "工作报告"

[[programmes]]
id = "fitness"
name = "送健身器材"
group = "五送五有"

  [[programmes.metrics]]
  id = "fitness.items"
  name = "健身器材"
  unit = "件"
  targets = { 2016 = 180 }

  [[programmes.metrics]]
  id = "fitness.funds"
  name = "投入资金"
  unit = "万元"
  decimals = 2

[[programmes]]
id = "members"
name = "会员"

  [[programmes.metrics]]
  id = "members.count"
  name = "在册会员"
  unit = "人"
  aggregate = "last"
"#;

    #[test]
    fn parses_programmes_metrics_and_targets() {
        let c = Catalogue::parse(GOOD, "report.toml").unwrap();
        assert_eq!(c.programmes.len(), 2);
        assert_eq!(c.metrics.len(), 3);
        let items = &c.metrics[c.metric_by_code("fitness.items").unwrap()];
        assert_eq!(items.targets.get(&2016), Some(&180.0));
        assert_eq!(items.decimals, 0);
        assert_eq!(c.metrics[1].decimals, 2);
        assert_eq!(c.metrics[2].aggregate, Aggregate::Last);
        assert_eq!(c.programmes[1].group, None);
        assert_eq!(c.metric_by_code(" ＦＩＴＮＥＳＳ.items "), Some(0));
    }

    fn err(text: &str) -> String {
        format!("{:#}", Catalogue::parse(text, "report.toml").unwrap_err())
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let bad = GOOD.replace("unit = \"件\"", "unti = \"件\"");
        let e = err(&bad);
        assert!(e.contains("unti"), "{e}");
        assert!(e.contains("未知的键"), "{e}");
        assert!(e.contains("第 13 行"), "{e}");
    }

    #[test]
    fn office_and_checks_are_read_and_checked() {
        let with = format!("{GOOD}\n[office]\ncontact = \"王老师\"\nphone = \"024-1\"\n\n[checks]\nmonth_spike = 8\n");
        let c2 = Catalogue::parse(&with, "report.toml").unwrap();
        assert_eq!(c2.office.contact, "王老师");
        assert_eq!(c2.checks.month_spike, 8.0);
        assert_eq!(c2.checks.vs_last_year, 10.0, "the others keep their defaults");
        let bad = format!("{GOOD}\n[checks]\nlevel_jump = 0.5\n");
        assert!(err(&bad).contains("[checks] level_jump"), "{}", err(&bad));
        let bad = format!("{GOOD}\n[checks]\nspike = 3\n");
        assert!(err(&bad).contains("spike"), "{}", err(&bad));
    }

    #[test]
    fn duplicate_metric_id_names_line() {
        let bad = GOOD.replace("id = \"fitness.funds\"", "id = \"fitness.items\"");
        let e = err(&bad);
        assert!(e.contains("指标 id “fitness.items” 重复"), "{e}");
        assert!(e.contains("第 17 行"), "{e}");
    }

    #[test]
    fn duplicate_programme_id_names_both_lines() {
        let bad = GOOD.replace("id = \"members\"", "id = \"fitness\"");
        let e = err(&bad);
        assert!(e.contains("项目 id “fitness” 重复（第一次出现在第 6 行）"), "{e}");
    }

    #[test]
    fn metrics_outside_a_programme_are_an_error() {
        let bad = format!("{GOOD}\n[[metrics]]\nid = \"x\"\nname = \"x\"\n");
        let e = err(&bad);
        assert!(e.contains("[[programmes]] 之下"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        let e = err(&GOOD.replace("decimals = 2", "decimals = 9"));
        assert!(e.contains("decimals 应为 0–6"), "{e}");
        let e = err(&GOOD.replace("2016 = 180", "twenty = 180"));
        assert!(e.contains("targets 的键应为年份"), "{e}");
        let e = err(&GOOD.replace("2016 = 180", "2016 = -1"));
        assert!(e.contains("目标应为不小于 0 的数"), "{e}");
        let e = err(&GOOD.replace("aggregate = \"last\"", "aggregate = \"avg\""));
        assert!(e.contains("取值不在允许范围内"), "{e}");
        let e = err(&GOOD.replace("name = \"健身器材\"", "name = 5"));
        assert!(e.contains("值的类型不对"), "{e}");
    }

    #[test]
    fn collects_every_problem_not_just_the_first() {
        let bad = GOOD
            .replace("decimals = 2", "decimals = 9")
            .replace("id = \"members\"", "id = \"fitness\"");
        let e = err(&bad);
        assert_eq!(e.lines().count(), 2, "{e}");
    }
}
