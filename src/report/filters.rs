//! Number wording for the report templates (金额、人数、同比、日期 as the work report writes them) and its minijinja filters.
//!
//! The wording lives in plain functions taking `Option<f64>` (none → nothing to say, so `""`); the
//! `*_filter` wrappers only turn template values into those inputs and report misuse as errors that
//! minijinja places at the template's name and line.

use std::fmt::Display;

use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

/// Decimals `num`, `count` and plain amounts keep unless told otherwise.
const DEFAULT_DECIMALS: u32 = 2;
/// Ceiling for a template's `decimals`: past this the digits are float noise, not data.
const MAX_DECIMALS: u32 = 6;
/// Amounts in 亿元 keep three decimals: "5.051亿元" is exact to the 10万元.
const YI_DECIMALS: u32 = 3;
/// Decimals of a year-on-year or share percentage: "同比增长31%", "同比下降5.2%".
const PCT_DECIMALS: u32 = 1;
/// `about`: counts below this are small enough to print exactly ("71人").
const ABOUT_EXACT_BELOW: f64 = 100.0;
/// `about`: "近N" when the round number N above the value is at most this fraction above it
/// (487 → 近500 is 2.7% away; 470 is 6.4% away and reads "470").
const NEAR_MAX_GAP: f64 = 0.05;

/// A unit an amount can be written in: `per` base units make one.
struct Scale {
    per: f64,
    name: &'static str,
    decimals: u32,
}

/// Amounts whose base unit is 万元, largest unit first.
const FROM_WAN: [Scale; 2] = [
    Scale {
        per: 1e4,
        name: "亿元",
        decimals: YI_DECIMALS,
    },
    Scale {
        per: 1.0,
        name: "万元",
        decimals: DEFAULT_DECIMALS,
    },
];

/// Amounts whose base unit is 元, largest unit first.
const FROM_YUAN: [Scale; 3] = [
    Scale {
        per: 1e8,
        name: "亿元",
        decimals: YI_DECIMALS,
    },
    Scale {
        per: 1e4,
        name: "万元",
        decimals: DEFAULT_DECIMALS,
    },
    Scale {
        per: 1.0,
        name: "元",
        decimals: DEFAULT_DECIMALS,
    },
];

// ---------------------------------------------------------------------------
// The wording
// ---------------------------------------------------------------------------

/// A number as a person writes it: at most `decimals` decimals (default 2), trailing zeros trimmed,
/// no thousands separators. `56.819999999` → "56.82", `159.0` → "159"; none, NaN, ±inf → "".
pub fn num(value: Option<f64>, decimals: Option<u32>) -> String {
    finite(value)
        .map(|v| decimal(v, decimals.unwrap_or(DEFAULT_DECIMALS)))
        .unwrap_or_default()
}

/// An amount in 万元/亿元 as the report writes it. `unit` is the metric's unit: "万元" (50510 →
/// "5.051亿元", 56.82 → "56.82万元") or "元" (350 → "350元", 12000 → "1.2万元", 3e8 → "3亿元");
/// any other unit is `num` followed by the unit.
pub fn money(value: Option<f64>, unit: &str) -> String {
    let Some(v) = finite(value) else {
        return String::new();
    };
    match unit.trim() {
        "万元" => in_scales(v, &FROM_WAN),
        "元" => in_scales(v, &FROM_YUAN),
        other => format!("{}{other}", decimal(v, DEFAULT_DECIMALS)),
    }
}

/// A count with its measure word: "159件", "1740个次"; fractions keep up to 2 decimals.
pub fn count(value: Option<f64>, unit: &str) -> String {
    finite(value)
        .map(|v| format!("{}{unit}", decimal(v, DEFAULT_DECIMALS)))
        .unwrap_or_default()
}

/// Year-on-year wording: 54 vs 41.22 → "同比增长31%", 95 vs 100.2 → "同比下降5.2%", no change to
/// one decimal → "与上年持平"; nothing last year and something now → "新增"; no current figure, or
/// nothing in either year → "" (nothing to say).
pub fn yoy(current: Option<f64>, previous: Option<f64>) -> String {
    let Some(cur) = finite(current) else {
        return String::new();
    };
    match finite(previous) {
        Some(prev) if prev != 0.0 => yoy_pct(Some((cur - prev) / prev.abs() * 100.0)),
        _ if cur > 0.0 => "新增".to_string(),
        _ => String::new(),
    }
}

/// Year-on-year wording for an already computed percentage: 31.0 → "同比增长31%", -5.19 →
/// "同比下降5.2%", -0.04 → "与上年持平"; none → "".
pub fn yoy_pct(pct: Option<f64>) -> String {
    let Some(p) = finite(pct) else {
        return String::new();
    };
    let p = rounded(p, PCT_DECIMALS);
    if p > 0.0 {
        format!("同比增长{}%", decimal(p, PCT_DECIMALS))
    } else if p < 0.0 {
        format!("同比下降{}%", decimal(-p, PCT_DECIMALS))
    } else {
        "与上年持平".to_string()
    }
}

/// A large count rounded the way the report rounds it, `style` being "余" or "多": round numbers and
/// counts under 100 stay exact (2000, 71); just under a round number reads "近500" (487); the rest is
/// floored to two significant figures plus the style word (2046 → "2000余", 329 → "320余"), unless
/// that floor is the value itself (2800 → "2800"). none → "".
pub fn about(value: Option<f64>, style: &str) -> String {
    let Some(v) = finite(value) else {
        return String::new();
    };
    if v < ABOUT_EXACT_BELOW {
        return decimal(v, DEFAULT_DECIMALS);
    }
    // Work in units of the leading digit so the printed digits are exact at any magnitude:
    // 487 → 4.87 hundreds, next round number 5 hundreds, two-figure floor 48 tens.
    let zeros = leading_zeros(v);
    let in_lead = v / 10f64.powi(zeros);
    let round_above = in_lead.ceil();
    if round_above == in_lead {
        return decimal(v, DEFAULT_DECIMALS);
    }
    if (round_above - in_lead) / in_lead <= NEAR_MAX_GAP {
        return format!("近{}{}", round_above, "0".repeat(zeros as usize));
    }
    let in_step = v / 10f64.powi(zeros - 1); // divided, not in_lead × 10: exact when whole
    if in_step.fract() == 0.0 {
        decimal(v, DEFAULT_DECIMALS)
    } else {
        format!("{}{}{style}", in_step.floor(), "0".repeat(zeros as usize - 1))
    }
}

/// A percentage: 31.0 → "31%", 5.19 → "5.2%" (default 1 decimal); none → "".
pub fn pct(value: Option<f64>, decimals: Option<u32>) -> String {
    finite(value)
        .map(|v| format!("{}%", decimal(v, decimals.unwrap_or(PCT_DECIMALS))))
        .unwrap_or_default()
}

/// A month number as "6月"; `None` when `m` is not a whole number from 1 to 12.
pub fn cn_month(m: f64) -> Option<String> {
    (m.fract() == 0.0 && (1.0..=12.0).contains(&m)).then(|| format!("{m}月"))
}

/// "2016-03-18" (or "2016/3/18") → "2016年3月18日"; anything that is not such a real date comes back
/// unchanged, so a free-text date in a sheet still reads.
pub fn cn_date(s: &str) -> String {
    parse_date(s.trim())
        .map(|(y, m, d)| format!("{y}年{m}月{d}日"))
        .unwrap_or_else(|| s.to_string())
}

// ---------------------------------------------------------------------------
// Digits
// ---------------------------------------------------------------------------

/// The value if it is one a sentence can state: NaN and ±inf are treated as missing.
fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// `v` with at most `decimals` decimals, trailing zeros trimmed, never "-0".
///
/// Rounds half away from zero on the shortest decimal form of `v` (what was typed into the sheet),
/// not on its binary value: 1.005 → "1.01" and 56.819999999 → "56.82", as a person would round.
fn decimal(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let shortest = v.abs().to_string(); // Display never uses exponent notation
    let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let keep = frac.len().min(decimals.min(MAX_DECIMALS) as usize);
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(keep)).collect();
    if frac.as_bytes().get(keep).is_some_and(|d| *d >= b'5') {
        carry_one(&mut digits);
    }
    let (int, frac) = digits.split_at(digits.len() - keep);
    let frac = trim_zeros(frac);
    let sign = if v < 0.0 && digits.iter().any(|d| *d != b'0') {
        "-"
    } else {
        ""
    };
    let int = String::from_utf8_lossy(int);
    match frac.is_empty() {
        true => format!("{sign}{int}"),
        false => format!("{sign}{int}.{}", String::from_utf8_lossy(frac)),
    }
}

/// Adds one to a string of decimal digits in place (499 → 500, 99 → 100).
fn carry_one(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn trim_zeros(frac: &[u8]) -> &[u8] {
    let end = frac.iter().rposition(|d| *d != b'0').map_or(0, |i| i + 1);
    &frac[..end]
}

/// `v` rounded exactly as `decimal` prints it, for decisions that must agree with the printed text.
fn rounded(v: f64, decimals: u32) -> f64 {
    decimal(v, decimals).parse().unwrap_or(v)
}

/// The amount in the largest unit it reaches, judged after rounding in the unit below, so that
/// 9999.999万元 reads "1亿元" and never "10000万元".
fn in_scales(v: f64, scales: &[Scale]) -> String {
    for (i, scale) in scales.iter().enumerate() {
        let reached = match scales.get(i + 1) {
            Some(below) => rounded(v.abs() / below.per, below.decimals) >= scale.per / below.per,
            None => true,
        };
        if reached {
            return format!("{}{}", decimal(v / scale.per, scale.decimals), scale.name);
        }
    }
    String::new()
}

/// How many zeros the largest power of ten not above `v` has (`v` ≥ 1): 487 → 2, 4012 → 3.
fn leading_zeros(v: f64) -> i32 {
    let mut zeros = 0;
    while 10f64.powi(zeros + 1) <= v {
        zeros += 1;
    }
    zeros
}

/// Year, month and day of "YYYY-MM-DD" / "YYYY/M/D", if that day exists.
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let all_digits =
        |p: &str, max_len: usize| !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || y.len() != 4 || !all_digits(y, 4) || !all_digits(m, 2) || !all_digits(d, 2) {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some((y, m, d))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------
// minijinja filters
// ---------------------------------------------------------------------------

/// Adds every filter of this module to `env`.
pub fn register(env: &mut Environment<'_>) {
    env.add_filter("num", num_filter);
    env.add_filter("money", money_filter);
    env.add_filter("count", count_filter);
    env.add_filter("yoy", yoy_filter);
    env.add_filter("yoy_pct", yoy_pct_filter);
    env.add_filter("about", about_filter);
    env.add_filter("pct", pct_filter);
    env.add_filter("cn_month", cn_month_filter);
    env.add_filter("cn_date", cn_date_filter);
}

/// Filters take `(state, value, positional args, kwargs)` so that every parameter can be given either
/// way (`money("元")` or `money(unit="元")`) and a none argument is told apart from a missing one.
type Args = Rest<Value>;

fn num_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "num";
    let [decimals] = bind(f, ["decimals"], &args, &kwargs)?;
    Ok(num(
        number(state, f, None, &value)?,
        places(state, f, "decimals", decimals)?,
    ))
}

fn money_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "money";
    let [unit] = bind(f, ["unit"], &args, &kwargs)?;
    let unit = text(state, f, "unit", unit)?.unwrap_or_else(|| "万元".to_string());
    Ok(money(number(state, f, None, &value)?, &unit))
}

fn count_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "count";
    let [unit] = bind(f, ["unit"], &args, &kwargs)?;
    let unit = text(state, f, "unit", Some(required(f, "unit", unit)?))?.unwrap_or_default();
    Ok(count(number(state, f, None, &value)?, &unit))
}

fn yoy_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "yoy";
    let [previous] = bind(f, ["previous"], &args, &kwargs)?;
    let previous = number(state, f, Some("previous"), &required(f, "previous", previous)?)?;
    Ok(yoy(number(state, f, None, &value)?, previous))
}

fn yoy_pct_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "yoy_pct";
    bind(f, [], &args, &kwargs)?;
    Ok(yoy_pct(number(state, f, None, &value)?))
}

fn about_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "about";
    let [style] = bind(f, ["style"], &args, &kwargs)?;
    let style = text(state, f, "style", style)?.unwrap_or_else(|| "余".to_string());
    Ok(about(number(state, f, None, &value)?, &style))
}

fn pct_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "pct";
    let [decimals] = bind(f, ["decimals"], &args, &kwargs)?;
    Ok(pct(
        number(state, f, None, &value)?,
        places(state, f, "decimals", decimals)?,
    ))
}

fn cn_month_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "cn_month";
    bind(f, [], &args, &kwargs)?;
    match number(state, f, None, &value)? {
        None => Ok(String::new()),
        Some(m) => {
            cn_month(m).ok_or_else(|| invalid(f, None, format!("需要1到12的整数月份，却收到{}", describe(&value))))
        }
    }
}

fn cn_date_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "cn_date";
    bind(f, [], &args, &kwargs)?;
    reject_strict_undefined(state, f, None, &value)?;
    Ok(match value.as_str() {
        Some(s) => cn_date(s),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    })
}

/// The call's arguments in parameter order, each given positionally or by keyword; `None` when
/// not given at all (a given none stays a none value).
fn bind<const N: usize>(
    filter: &str,
    params: [&str; N],
    args: &[Value],
    kwargs: &Kwargs,
) -> Result<[Option<Value>; N], Error> {
    if args.len() > N {
        let msg = format!("最多接受 {N} 个参数，却给了 {} 个", args.len());
        return Err(Error::new(
            ErrorKind::TooManyArguments,
            format!("过滤器 {filter} {msg}"),
        ));
    }
    if let Some(unknown) = kwargs.args().find(|k| !params.contains(k)) {
        return Err(Error::new(
            ErrorKind::TooManyArguments,
            format!("过滤器 {filter} 没有参数 {unknown}"),
        ));
    }
    let mut bound: [Option<Value>; N] = std::array::from_fn(|_| None);
    for (i, name) in params.into_iter().enumerate() {
        let named = if kwargs.has(name) {
            Some(kwargs.get::<Value>(name)?)
        } else {
            None
        };
        bound[i] = match (args.get(i), named) {
            (Some(_), Some(_)) => return Err(invalid(filter, Some(name), "既按位置又按名字给出")),
            (given, named) => given.cloned().or(named),
        };
    }
    Ok(bound)
}

/// A required argument, or the error naming it.
fn required(filter: &str, name: &str, arg: Option<Value>) -> Result<Value, Error> {
    arg.ok_or_else(|| Error::new(ErrorKind::MissingArgument, format!("过滤器 {filter} 缺少参数 {name}")))
}

/// A template value as a number: none/undefined → `None`; numbers and numeric strings (cells read as
/// text) → the number; a blank string → `None` like an empty cell; anything else is an error.
fn number(state: &State, filter: &str, param: Option<&str>, v: &Value) -> Result<Option<f64>, Error> {
    reject_strict_undefined(state, filter, param, v)?;
    let not_a_number = || invalid(filter, param, format!("需要数值，却收到{}", describe(v)));
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(None),
        ValueKind::Number => f64::try_from(v.clone()).map(Some).map_err(|_| not_a_number()),
        ValueKind::String => match v.as_str().map(str::trim) {
            Some("") => Ok(None),
            Some(s) => s
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(not_a_number),
            None => Err(not_a_number()),
        },
        _ => Err(not_a_number()),
    }
}

/// A `decimals` argument: a whole number ≥ 0 (capped at `MAX_DECIMALS`), or none for the default.
fn places(state: &State, filter: &str, name: &str, arg: Option<Value>) -> Result<Option<u32>, Error> {
    let Some(arg) = arg else { return Ok(None) };
    match number(state, filter, Some(name), &arg)? {
        None => Ok(None),
        Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(Some(n.min(MAX_DECIMALS as f64) as u32)),
        Some(_) => Err(invalid(
            filter,
            Some(name),
            format!("需要非负整数，却收到{}", describe(&arg)),
        )),
    }
}

/// A text argument (unit, style word), or none for the default.
fn text(state: &State, filter: &str, name: &str, arg: Option<Value>) -> Result<Option<String>, Error> {
    let Some(arg) = arg else { return Ok(None) };
    reject_strict_undefined(state, filter, Some(name), &arg)?;
    match arg.as_str() {
        Some(s) => Ok(Some(s.to_string())),
        None if arg.is_none() || arg.is_undefined() => Ok(None),
        None => Err(invalid(
            filter,
            Some(name),
            format!("需要文字，却收到{}", describe(&arg)),
        )),
    }
}

/// Under strict undefined behaviour a misspelt variable must fail loudly, not print as "": the
/// engine does not check values passed to a filter as `Value`, so the filter does.
fn reject_strict_undefined(state: &State, filter: &str, param: Option<&str>, v: &Value) -> Result<(), Error> {
    let strict = matches!(
        state.undefined_behavior(),
        UndefinedBehavior::Strict | UndefinedBehavior::SemiStrict
    );
    if strict && v.is_undefined() {
        let what = param.map_or("输入值".to_string(), |p| format!("参数 {p} "));
        return Err(Error::new(
            ErrorKind::UndefinedError,
            format!("过滤器 {filter} 的{what}未定义（变量名写错了？）"),
        ));
    }
    Ok(())
}

fn invalid(filter: &str, param: Option<&str>, msg: impl Display) -> Error {
    Error::new(ErrorKind::InvalidOperation, format!("{}{msg}", subject(filter, param)))
}

/// "过滤器 money " or "过滤器 yoy 的参数 previous ": whose input is wrong, for error messages.
fn subject(filter: &str, param: Option<&str>) -> String {
    match param {
        Some(p) => format!("过滤器 {filter} 的参数 {p} "),
        None => format!("过滤器 {filter} "),
    }
}

/// A value for an error message: its kind in Chinese and (shortened) content.
fn describe(v: &Value) -> String {
    let kind = match v.kind() {
        ValueKind::String => return format!("字符串 {:?}", shorten(v.as_str().unwrap_or_default())),
        ValueKind::Bool => "布尔值",
        ValueKind::Number => "数值",
        ValueKind::Seq | ValueKind::Iterable => "列表",
        ValueKind::Map => "映射",
        ValueKind::None => return "none".to_string(),
        ValueKind::Undefined => return "未定义值".to_string(),
        _ => "值",
    };
    format!("{kind} {}", shorten(&v.to_string()))
}

fn shorten(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    match s.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn s(v: f64) -> Option<f64> {
        Some(v)
    }

    #[test]
    fn num_trims_and_rounds_like_a_person() {
        assert_eq!(num(s(56.819999999), None), "56.82");
        assert_eq!(num(s(159.0), None), "159");
        assert_eq!(num(s(5051.0), None), "5051");
        assert_eq!(num(s(4161.0), None), "4161");
        assert_eq!(num(s(1.005), None), "1.01");
        assert_eq!(num(s(0.125), None), "0.13");
        assert_eq!(num(s(2.5), Some(0)), "3");
        assert_eq!(num(s(0.1 + 0.2), None), "0.3");
        assert_eq!(num(s(99.999), None), "100");
        assert_eq!(num(s(9.995), None), "10");
        assert_eq!(num(s(1.23456), Some(3)), "1.235");
        assert_eq!(num(s(1.5), Some(4)), "1.5");
        assert_eq!(num(s(0.0), None), "0");
        assert_eq!(num(s(-0.0), None), "0");
        assert_eq!(num(s(-0.001), None), "0");
        assert_eq!(num(s(-3.456), None), "-3.46");
        assert_eq!(num(s(1e-7), None), "0");
        assert_eq!(num(s(1e20), None), "100000000000000000000");
        assert_eq!(num(s(1.0 / 3.0), Some(100)), "0.333333");
    }

    #[test]
    fn num_of_nothing_is_empty() {
        assert_eq!(num(None, None), "");
        assert_eq!(num(s(f64::NAN), None), "");
        assert_eq!(num(s(f64::INFINITY), None), "");
        assert_eq!(num(s(f64::NEG_INFINITY), Some(1)), "");
    }

    #[test]
    fn money_in_wan_yuan() {
        assert_eq!(money(s(56.819999), "万元"), "56.82万元");
        assert_eq!(money(s(54.0), "万元"), "54万元");
        assert_eq!(money(s(9999.99), "万元"), "9999.99万元");
        assert_eq!(money(s(9999.999), "万元"), "1亿元");
        assert_eq!(money(s(10000.0), "万元"), "1亿元");
        assert_eq!(money(s(50510.0), "万元"), "5.051亿元");
        assert_eq!(money(s(12000.0), "万元"), "1.2亿元");
        assert_eq!(money(s(12345.6), "万元"), "1.235亿元");
        assert_eq!(money(s(0.0), "万元"), "0万元");
        assert_eq!(money(s(-3.0), "万元"), "-3万元");
        assert_eq!(money(s(-50510.0), "万元"), "-5.051亿元");
        assert_eq!(money(s(1e12), "万元"), "100000000亿元");
    }

    #[test]
    fn money_in_yuan() {
        assert_eq!(money(s(350.0), "元"), "350元");
        assert_eq!(money(s(9999.5), "元"), "9999.5元");
        assert_eq!(money(s(9999.999), "元"), "1万元");
        assert_eq!(money(s(12000.0), "元"), "1.2万元");
        assert_eq!(money(s(568200.0), "元"), "56.82万元");
        assert_eq!(money(s(99_950_000.0), "元"), "9995万元");
        assert_eq!(money(s(99_999_999.999), "元"), "1亿元");
        assert_eq!(money(s(505_100_000.0), "元"), "5.051亿元");
        assert_eq!(money(s(-12000.0), "元"), "-1.2万元");
    }

    #[test]
    fn money_other_units_and_nothing() {
        assert_eq!(money(s(12.345), "美元"), "12.35美元");
        assert_eq!(money(s(1.5), ""), "1.5");
        assert_eq!(money(s(20.0), " 万元 "), "20万元");
        assert_eq!(money(None, "万元"), "");
        assert_eq!(money(s(f64::NAN), "元"), "");
        assert_eq!(money(s(f64::INFINITY), "万元"), "");
    }

    #[test]
    fn count_with_measure_word() {
        assert_eq!(count(s(159.0), "件"), "159件");
        assert_eq!(count(s(1740.0), "个次"), "1740个次");
        assert_eq!(count(s(31.0), "名"), "31名");
        assert_eq!(count(s(2.5), "天"), "2.5天");
        assert_eq!(count(s(0.0), "个"), "0个");
        assert_eq!(count(None, "个"), "");
        assert_eq!(count(s(f64::NAN), "个"), "");
    }

    #[test]
    fn yoy_wording() {
        assert_eq!(yoy(s(54.0), s(41.22)), "同比增长31%");
        assert_eq!(yoy(s(95.0), s(100.2)), "同比下降5.2%");
        assert_eq!(yoy(s(100.0), s(100.0)), "与上年持平");
        assert_eq!(yoy(s(100.04), s(100.0)), "与上年持平");
        assert_eq!(yoy(s(99.96), s(100.0)), "与上年持平");
        assert_eq!(yoy(s(0.0), s(50.0)), "同比下降100%");
        assert_eq!(yoy(s(300.0), s(100.0)), "同比增长200%");
        assert_eq!(yoy(s(-50.0), s(-100.0)), "同比增长50%");
    }

    #[test]
    fn yoy_without_a_base_year() {
        assert_eq!(yoy(s(3.0), None), "新增");
        assert_eq!(yoy(s(3.0), s(0.0)), "新增");
        assert_eq!(yoy(s(3.0), s(f64::NAN)), "新增");
        assert_eq!(yoy(s(0.0), s(0.0)), "");
        assert_eq!(yoy(s(0.0), None), "");
        assert_eq!(yoy(s(-2.0), s(0.0)), "");
        assert_eq!(yoy(None, s(3.0)), "");
        assert_eq!(yoy(None, None), "");
        assert_eq!(yoy(s(f64::INFINITY), s(3.0)), "");
        assert_eq!(yoy(s(1e308), s(1e-308)), "");
    }

    #[test]
    fn yoy_pct_wording() {
        assert_eq!(yoy_pct(s(31.0)), "同比增长31%");
        assert_eq!(yoy_pct(s(-5.19)), "同比下降5.2%");
        assert_eq!(yoy_pct(s(0.04)), "与上年持平");
        assert_eq!(yoy_pct(s(-0.05)), "同比下降0.1%");
        assert_eq!(yoy_pct(s(0.0)), "与上年持平");
        assert_eq!(yoy_pct(None), "");
        assert_eq!(yoy_pct(s(f64::NAN)), "");
        assert_eq!(yoy_pct(s(f64::INFINITY)), "");
    }

    #[test]
    fn about_keeps_round_and_small_numbers() {
        assert_eq!(about(s(2000.0), "余"), "2000");
        assert_eq!(about(s(500.0), "余"), "500");
        assert_eq!(about(s(100.0), "余"), "100");
        assert_eq!(about(s(71.0), "余"), "71");
        assert_eq!(about(s(42.0), "余"), "42");
        assert_eq!(about(s(99.5), "余"), "99.5");
        assert_eq!(about(s(0.0), "余"), "0");
        assert_eq!(about(s(-2046.0), "余"), "-2046");
        assert_eq!(about(s(2800.0), "余"), "2800");
        assert_eq!(about(s(470.0), "余"), "470");
    }

    #[test]
    fn about_near_a_round_number() {
        assert_eq!(about(s(487.0), "余"), "近500");
        assert_eq!(about(s(480.0), "余"), "近500");
        assert_eq!(about(s(960.0), "余"), "近1000");
        assert_eq!(about(s(4900.0), "多"), "近5000");
        assert_eq!(about(s(999.9), "余"), "近1000");
        assert_eq!(about(s(195.0), "余"), "近200");
    }

    #[test]
    fn about_floors_to_two_significant_figures() {
        assert_eq!(about(s(471.0), "余"), "470余");
        assert_eq!(about(s(2046.0), "余"), "2000余");
        assert_eq!(about(s(2810.0), "余"), "2800余");
        assert_eq!(about(s(4012.0), "余"), "4000余");
        assert_eq!(about(s(4012.0), "多"), "4000多");
        assert_eq!(about(s(329.0), "余"), "320余");
        assert_eq!(about(s(1740.0), "余"), "1700余");
        assert_eq!(about(s(101.0), "余"), "100余");
        assert_eq!(about(s(2000.5), "余"), "2000余");
        assert_eq!(about(s(123_456_789.0), "余"), "120000000余");
    }

    #[test]
    fn about_of_nothing_is_empty() {
        assert_eq!(about(None, "余"), "");
        assert_eq!(about(s(f64::NAN), "余"), "");
        assert_eq!(about(s(f64::INFINITY), "余"), "");
        let huge = about(s(f64::MAX), "余"); // 1.79e308: the round number above overflows to inf
        assert!(
            huge.starts_with("170000") && huge.ends_with("0余") && huge.chars().count() == 310,
            "{huge}"
        );
    }

    #[test]
    fn pct_wording() {
        assert_eq!(pct(s(31.0), None), "31%");
        assert_eq!(pct(s(5.19), None), "5.2%");
        assert_eq!(pct(s(104.5), None), "104.5%");
        assert_eq!(pct(s(104.456), Some(2)), "104.46%");
        assert_eq!(pct(s(-5.2), None), "-5.2%");
        assert_eq!(pct(s(0.0), None), "0%");
        assert_eq!(pct(None, None), "");
        assert_eq!(pct(s(f64::NAN), None), "");
    }

    #[test]
    fn months_and_dates() {
        assert_eq!(cn_month(6.0).as_deref(), Some("6月"));
        assert_eq!(cn_month(12.0).as_deref(), Some("12月"));
        assert_eq!(cn_month(0.0), None);
        assert_eq!(cn_month(13.0), None);
        assert_eq!(cn_month(6.5), None);
        assert_eq!(cn_month(f64::NAN), None);
        assert_eq!(cn_date("2016-03-18"), "2016年3月18日");
        assert_eq!(cn_date("2016/3/8"), "2016年3月8日");
        assert_eq!(cn_date(" 2016-12-01 "), "2016年12月1日");
        assert_eq!(cn_date("2016-02-29"), "2016年2月29日");
        assert_eq!(cn_date("2015-02-29"), "2015-02-29");
        assert_eq!(cn_date("1900-02-29"), "1900-02-29");
        assert_eq!(cn_date("2016-13-01"), "2016-13-01");
        assert_eq!(cn_date("2016-03-18T00:00:00"), "2016-03-18T00:00:00");
        assert_eq!(cn_date("16-03-18"), "16-03-18");
        assert_eq!(cn_date("2016-03-18-01"), "2016-03-18-01");
        assert_eq!(cn_date("三月中旬"), "三月中旬");
        assert_eq!(cn_date(""), "");
    }

    fn env() -> Environment<'static> {
        let mut env = Environment::new();
        register(&mut env);
        env
    }

    fn render(source: &str, ctx: Value) -> Result<String, Error> {
        env().render_str(source, ctx)
    }

    #[test]
    fn renders_through_a_template() {
        let source =
            "{{ 56.819999|money }}|{{ 54|yoy(41.22) }}|{{ 487|about }}名|{{ 4012|about('多') }}|{{ none|yoy(3) }}";
        assert_eq!(
            render(source, context! {}).unwrap(),
            "56.82万元|同比增长31%|近500名|4000多|"
        );
    }

    #[test]
    fn renders_context_values_and_keywords() {
        let ctx = context! {
            spent => 54, last => 41.22, empty => (), papers => 4161, yuan => 568_200,
            people => 2046_i64, day => "2016-03-18", month => 6, big => 50510.0,
        };
        let source = "{{ spent|money }}{{ spent|yoy(last) }}，{{ papers|count('份') }}，{{ yuan|money(unit='元') }}，\
                      {{ big|money }}，{{ people|about }}人，{{ people|about(style='多') }}名，{{ day|cn_date }}，\
                      {{ month|cn_month }}，{{ 31.04|pct }}，{{ 31.04|pct(decimals=2) }}，{{ -5.19|yoy_pct }}，\
                      {{ 56.819|num(1) }}，[{{ empty|money }}{{ empty|num }}{{ empty|about }}{{ empty|pct }}\
                      {{ empty|count('个') }}{{ empty|cn_date }}{{ empty|cn_month }}{{ empty|yoy_pct }}]，\
                      {{ spent|yoy(empty) }}，{{ spent|yoy(previous=0) }}，{{ 0|yoy(empty) }}|";
        let expected = "54万元同比增长31%，4161份，56.82万元，5.051亿元，2000余人，2000多名，2016年3月18日，6月，31%，\
                        31.04%，同比下降5.2%，56.8，[]，新增，新增，|";
        assert_eq!(render(source, ctx).unwrap(), expected);
    }

    #[test]
    fn numeric_strings_read_as_numbers() {
        let ctx = context! { cell => " 56.82 ", blank => "  " };
        assert_eq!(
            render("{{ cell|money }}[{{ blank|money }}]", ctx).unwrap(),
            "56.82万元[]"
        );
    }

    #[test]
    fn undefined_is_empty_when_lenient_and_an_error_when_strict() {
        assert_eq!(
            render("[{{ missing|money }}{{ 5|yoy(missing) }}]", context! {}).unwrap(),
            "[新增]"
        );
        let mut env = env();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for source in ["{{ missing|money }}", "{{ 5|yoy(missing) }}", "{{ missing|cn_date }}"] {
            let err = env.render_str(source, context! {}).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UndefinedError, "{source}: {err}");
        }
        assert_eq!(env.render_str("{{ x|money }}", context! { x => () }).unwrap(), "");
    }

    #[test]
    fn non_numbers_are_template_errors() {
        let mut env = env();
        env.add_template("report.md", "第一行\n{{ '56.82'|money }}{{ x|money }}")
            .unwrap();
        let err = env
            .get_template("report.md")
            .unwrap()
            .render(context! { x => "abc" })
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidOperation);
        assert_eq!(err.detail(), Some("过滤器 money 需要数值，却收到字符串 \"abc\""));
        assert_eq!((err.name(), err.line()), (Some("report.md"), Some(2)));
        for source in [
            "{{ 'abc'|num }}",
            "{{ 'nan'|pct }}",
            "{{ 'inf'|about }}",
            "{{ true|count('个') }}",
            "{{ [1]|yoy_pct }}",
            "{{ 5|yoy('abc') }}",
            "{{ 5|num(-1) }}",
            "{{ 5|num(1.5) }}",
            "{{ 5|money(3) }}",
            "{{ 13|cn_month }}",
            "{{ 5|about(style=1) }}",
        ] {
            let err = render(source, context! {}).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidOperation, "{source}: {err}");
            assert!(
                err.detail().is_some_and(|d| d.starts_with("过滤器 ")),
                "{source}: {err}"
            );
        }
    }

    #[test]
    fn bad_calls_are_template_errors() {
        for (source, kind) in [
            ("{{ 5|yoy }}", ErrorKind::MissingArgument),
            ("{{ 5|count }}", ErrorKind::MissingArgument),
            ("{{ 5|num(1, 2) }}", ErrorKind::TooManyArguments),
            ("{{ 5|money(units='元') }}", ErrorKind::TooManyArguments),
            ("{{ 5|yoy_pct(1) }}", ErrorKind::TooManyArguments),
            ("{{ 5|money('元', unit='元') }}", ErrorKind::InvalidOperation),
        ] {
            let err = render(source, context! {}).unwrap_err();
            assert_eq!(err.kind(), kind, "{source}: {err}");
        }
    }
}
