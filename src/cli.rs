//! The command line as users type it (clap derive; the doc comments are the
//! Chinese `--help`). Each command takes only the flags that mean something
//! to it; [`crate::settings`] resolves them once.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// 把各基层工会报送的年度报表汇总成工会工作报告。
///
/// 读取输入文件夹中某一年度各单位的报表，逐格检查，按单位和项目汇总，
/// 写出工作报告初稿、图表、汇总表和检查结果。不写命令时生成年终报告。
#[derive(Debug, Parser)]
#[command(
    name = "annual-report",
    version,
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    override_usage = "annual-report [年度] [选项]\n       annual-report <命令> [参数] [选项]"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// 不写命令时：年终报告（同 report）
    #[command(flatten)]
    pub report: ReportArgs,

    /// 显示帮助
    #[arg(long, short = 'h', action = clap::ArgAction::Help, global = true, help_heading = "其他")]
    help: Option<bool>,

    /// 显示版本
    #[arg(long, short = 'V', action = clap::ArgAction::Version, help_heading = "其他")]
    version: Option<bool>,
}

const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// clap's own messages are English; the office reads Chinese. The kind of
/// mistake is named in Chinese, clap's detail (the offending word) follows.
pub fn explain(e: &clap::Error) -> String {
    use clap::error::ErrorKind as K;
    let what = match e.kind() {
        K::UnknownArgument => "这个命令不认识其中的选项或参数",
        K::InvalidValue | K::ValueValidation => "有一个值写得不对",
        K::MissingRequiredArgument => "缺少必需的参数",
        K::InvalidSubcommand => "没有这个命令（可用 report、snapshot、validate、forms）",
        K::TooManyValues | K::WrongNumberOfValues => "参数的个数不对",
        K::ArgumentConflict => "有互相冲突的选项",
        _ => "命令行写得不对",
    };
    let detail = e.to_string();
    let first = detail.lines().next().unwrap_or("").trim_start_matches("error: ");
    format!("错误：{what}（{first}）。用 annual-report --help 查看用法")
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 年终报告（默认命令）→ output/<年度>/
    #[command(help_template = HELP_TEMPLATE, override_usage = "annual-report report [年度] [选项]")]
    Report(ReportArgs),
    /// 年内进度快照：截至某月的累计数，与上年同期和全年目标比较 → output/<年-月>/
    #[command(help_template = HELP_TEMPLATE, override_usage = "annual-report snapshot <年-月> [选项]")]
    Snapshot(SnapshotArgs),
    /// 只检查报表，不生成报告；有错误时退出码为 1
    #[command(help_template = HELP_TEMPLATE, override_usage = "annual-report validate [年度] [选项]")]
    Validate(ValidateArgs),
    /// 生成空白报表，每个在册单位一份 → output/forms/<年度>/
    #[command(help_template = HELP_TEMPLATE, override_usage = "annual-report forms <年度> [--unit 单位代码] [选项]")]
    Forms(FormsArgs),
    /// 追溯一个数字的来源：各单位的数值、占比和所在单元格
    #[command(help_template = HELP_TEMPLATE, override_usage = "annual-report trace <指标> [年度或年-月] [--unit 单位代码] [--csv]")]
    Trace(TraceArgs),
}

/// Where to read and write, and how much to say: every command has these.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "文件夹与输出")]
pub struct Io {
    /// 输入文件夹：report.toml、单位名册和各年度文件夹（默认 input）
    #[arg(long, value_name = "文件夹", default_value = "input", hide_default_value = true)]
    pub input: PathBuf,

    /// 输出文件夹（默认 output；不能是输入文件夹，也不能在其内或包含它）
    #[arg(long, value_name = "文件夹", default_value = "output", hide_default_value = true)]
    pub output: PathBuf,

    /// 只显示错误
    #[arg(long, short)]
    pub quiet: bool,
}

/// What a report or a snapshot is written with.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "报告")]
pub struct Writing {
    /// 模板文件夹：其中的同名文件替换内置模板
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,

    /// 报告落款日期（YYYY-MM-DD）；不写则不注日期，从不取系统时钟
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// 任何报表有错误就不生成报告（退出码 1）
    #[arg(long)]
    pub strict: bool,

    /// 结束时在标准错误输出各阶段用时和内存（读取、检查、汇总、图表、文档、写入）
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// 年度（默认：有年终报表的最近一年）
    #[arg(value_name = "年度", value_parser = parse_year, help_heading = "参数")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub io: Io,
    #[command(flatten)]
    pub writing: Writing,
}

#[derive(Debug, Args, Clone)]
pub struct SnapshotArgs {
    /// 截至月份，如 2016-06；last-month 表示今天（或 --as-of）的上一个月，供定时任务使用
    #[arg(value_name = "年-月", help_heading = "参数")]
    pub month: String,
    #[command(flatten)]
    pub io: Io,
    #[command(flatten)]
    pub writing: Writing,
}

#[derive(Debug, Args, Clone)]
pub struct ValidateArgs {
    /// 年度（默认：输入文件夹中最近的年度）
    #[arg(value_name = "年度", value_parser = parse_year, help_heading = "参数")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub io: Io,
}

#[derive(Debug, Args, Clone)]
pub struct FormsArgs {
    /// 报表所属年度
    #[arg(value_name = "年度", value_parser = parse_year, help_heading = "参数")]
    pub year: i32,
    /// 只生成这个单位的报表（单位代码）
    #[arg(long, value_name = "单位代码", help_heading = "参数")]
    pub unit: Option<String>,
    #[command(flatten)]
    pub io: Io,
}

#[derive(Debug, Args, Clone)]
pub struct TraceArgs {
    /// 指标代码（如 fitness.items）或指标名称（如 健身器材）
    #[arg(value_name = "指标", help_heading = "参数")]
    pub metric: String,
    /// 年度（如 2015）或快照月份（如 2016-06）；默认同 report
    #[arg(value_name = "年度或年-月", help_heading = "参数")]
    pub period: Option<String>,
    /// 只看这个单位（单位代码）
    #[arg(long, value_name = "单位代码", help_heading = "参数")]
    pub unit: Option<String>,
    /// 输出 CSV（每个单元格一行），便于在表格软件中查看
    #[arg(long, help_heading = "参数")]
    pub csv: bool,
    /// 输入文件夹：report.toml、单位名册和各年度文件夹（默认 input）
    #[arg(
        long,
        value_name = "文件夹",
        default_value = "input",
        hide_default_value = true,
        help_heading = "文件夹与输出"
    )]
    pub input: PathBuf,
}

fn parse_year(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1900..=2999).contains(&y) => Ok(y),
        _ => Err(format!("“{s}”不是年份：请写四位年份，如 2015")),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{s}”不是日期：请写成 YYYY-MM-DD，如 2016-03-18"))
}
