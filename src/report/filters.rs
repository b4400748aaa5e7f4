//! The minijinja filters: template values turned into the inputs of the
//! wording rules ([`crate::number`] for figures, percentages, year-on-year
//! and money; [`super::wording`] for rounded counts and dates), and misuse
//! reported as errors minijinja places at the template's name and line.

use std::fmt::Display;

use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

use super::wording;
use crate::number::{self, Change, MAX_DECIMALS, PCT_DECIMALS};

/// Decimals `num`, `count` and `money` keep unless told (a metric's `decimals`).
const DEFAULT_DECIMALS: u32 = 2;

/// Adds every filter of this module to `env`.
pub fn register(env: &mut Environment<'_>) {
    env.add_filter("num", num_filter);
    env.add_filter("money", money_filter);
    env.add_filter("count", count_filter);
    env.add_filter("yoy", yoy_filter);
    env.add_filter("yoy_pct", yoy_pct_filter);
    env.add_filter("about", about_filter);
    env.add_filter("pct", pct_filter);
    env.add_filter("points", points_filter);
    env.add_filter("cn_month", cn_month_filter);
    env.add_filter("cn_date", cn_date_filter);
}

/// Filters take `(state, value, positional args, kwargs)` so that every parameter can be given either
/// way (`money("元")` or `money(unit="元")`) and a none argument is told apart from a missing one.
/// A none value (nothing to say) writes "".
type Args = Rest<Value>;

/// `{{ x|num }}`, `{{ x|num(m.decimals) }}`: "56.82", "159".
fn num_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "num";
    let [decimals] = bind(f, ["decimals"], &args, &kwargs)?;
    let decimals = places(state, f, "decimals", decimals)?.unwrap_or(DEFAULT_DECIMALS);
    Ok(number(state, f, None, &value)?.map_or_else(String::new, |v| number::figure(v, decimals)))
}

/// `{{ x|money(m.unit, m.decimals) }}`: "56.82万元", "5.051亿元".
fn money_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "money";
    let [unit, decimals] = bind(f, ["unit", "decimals"], &args, &kwargs)?;
    let unit = text(state, f, "unit", unit)?.unwrap_or_else(|| "万元".to_string());
    let decimals = places(state, f, "decimals", decimals)?.unwrap_or(DEFAULT_DECIMALS);
    Ok(number(state, f, None, &value)?.map_or_else(String::new, |v| number::money(v, &unit, decimals)))
}

/// `{{ x|count(m.unit, m.decimals) }}`: "159件".
fn count_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "count";
    let [unit, decimals] = bind(f, ["unit", "decimals"], &args, &kwargs)?;
    let unit = text(state, f, "unit", Some(required(f, "unit", unit)?))?.unwrap_or_default();
    let decimals = places(state, f, "decimals", decimals)?.unwrap_or(DEFAULT_DECIMALS);
    Ok(number(state, f, None, &value)?.map_or_else(String::new, |v| number::count(v, &unit, decimals)))
}

/// `{{ current|yoy(previous) }}`: "同比增长31%", "新增" (nothing before), "" (nothing either
/// year). The built-in templates use a metric's `change`, computed on the comparable basis.
fn yoy_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "yoy";
    let [previous] = bind(f, ["previous"], &args, &kwargs)?;
    let previous = number(state, f, Some("previous"), &required(f, "previous", previous)?)?;
    let Some(current) = number(state, f, None, &value)? else {
        return Ok(String::new());
    };
    let pct = number::yoy_pct(current, previous.unwrap_or(0.0), MAX_DECIMALS);
    Ok(Change::of(true, true, true, pct, current).words())
}

/// `{{ m.yoy_pct|yoy_pct }}`: "同比增长31%", "同比下降5.2%", "与上年持平".
fn yoy_pct_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "yoy_pct";
    bind(f, [], &args, &kwargs)?;
    Ok(number(state, f, None, &value)?.map_or_else(String::new, number::yoy_words))
}

/// `{{ x|about }}`, `{{ x|about('多') }}`: "2000余", "近500", "4000多".
fn about_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "about";
    let [style] = bind(f, ["style"], &args, &kwargs)?;
    let style = text(state, f, "style", style)?.unwrap_or_else(|| "余".to_string());
    Ok(wording::about(number(state, f, None, &value)?, &style))
}

/// `{{ x|pct }}`: "31%", "5.2%" (one decimal unless told).
fn pct_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "pct";
    let [decimals] = bind(f, ["decimals"], &args, &kwargs)?;
    let decimals = places(state, f, "decimals", decimals)?.unwrap_or(PCT_DECIMALS);
    Ok(
        number(state, f, None, &value)?.map_or_else(String::new, |v| match number::figure(v, decimals) {
            s if s.is_empty() => s,
            s => format!("{s}%"),
        }),
    )
}

/// `{{ gap|points }}`: the size of a gap between two percentages, "4.5个百分点".
fn points_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "points";
    bind(f, [], &args, &kwargs)?;
    Ok(number(state, f, None, &value)?.map_or_else(String::new, number::points))
}

fn cn_month_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "cn_month";
    bind(f, [], &args, &kwargs)?;
    match number(state, f, None, &value)? {
        None => Ok(String::new()),
        Some(m) => wording::cn_month(m)
            .ok_or_else(|| invalid(f, None, format!("需要1到12的整数月份，却收到{}", describe(&value)))),
    }
}

fn cn_date_filter(state: &State, value: Value, args: Args, kwargs: Kwargs) -> Result<String, Error> {
    let f = "cn_date";
    bind(f, [], &args, &kwargs)?;
    reject_strict_undefined(state, f, None, &value)?;
    Ok(match value.as_str() {
        Some(s) => wording::cn_date(s),
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
    fn filters_write_what_the_number_module_writes() {
        let source = "{{ 0.125|num }}|{{ 12345.678|money('万元', 1) }}|{{ 2.25|count('天', decimals=1) }}|\
                      {{ -4.5|points }}|{{ 44.4444|pct }}|{{ 54|yoy(41.22) }}|{{ 0|yoy(0) }}";
        assert_eq!(
            render(source, context! {}).unwrap(),
            format!(
                "{}|{}|{}|{}|{}|同比增长31%|",
                number::figure(0.125, 2),
                number::money(12345.678, "万元", 1),
                number::count(2.25, "天", 1),
                number::points(-4.5),
                number::percent(44.4444),
            )
        );
        assert_eq!(
            render("{{ 0.125|num }}|{{ 2.25|count('天', decimals=1) }}", context! {}).unwrap(),
            "0.13|2.3天"
        );
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
