//! changes.md (for people) and changes.csv (for scripts): what a rerun
//! changed since the last run of the same period.

use std::fmt::Write as _;

use crate::catalogue::Catalogue;
use crate::changes::Change;

use super::csv_bytes;
use crate::escape::markdown as md_escape;

/// The one line the terminal prints, e.g. "与上次相比：2个单位状态变化，5个数字变化，见 changes.md".
pub fn summary_line(changes: Option<&[Change]>) -> String {
    let Some(changes) = changes else {
        return "本期第一次生成，没有可比较的上次结果".to_owned();
    };
    let count = |kind: &str| changes.iter().filter(|c| c.kind == kind).count();
    let files = count("file-added") + count("file-removed") + count("file-replaced");
    let parts: Vec<String> = [
        (files, "个文件增删或替换"),
        (count("status"), "个单位状态变化"),
        (count("value"), "个数字变化"),
        (count("total"), "个合计变化"),
        (count("text"), "句报告文字变化"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n}{what}"))
    .collect();
    match parts.is_empty() {
        true => "与上次相比没有变化".to_owned(),
        false => format!("与上次相比：{}，见 changes.md", parts.join("，")),
    }
}

pub fn changes_csv(changes: &[Change]) -> Vec<u8> {
    let rows = changes.iter().map(|c| {
        [
            c.kind,
            &c.unit_code,
            &c.unit_name,
            &c.metric_id,
            &c.month,
            &c.old,
            &c.new,
            &c.file,
            &c.sheet,
            &c.cell,
        ]
    });
    csv_bytes(
        &[
            "kind",
            "unit_code",
            "unit_name",
            "metric_id",
            "month",
            "old",
            "new",
            "file",
            "sheet",
            "cell",
        ],
        rows,
    )
}

pub fn changes_md(changes: Option<&[Change]>, period_title: &str, catalogue: &Catalogue) -> Vec<u8> {
    let mut md = format!(
        "# {period_title}：与上次运行相比的变化\n\n{}。\n",
        summary_line(changes)
    );
    let Some(changes) = changes else {
        return md.into_bytes();
    };
    let of = |kinds: &[&str]| changes.iter().filter(|c| kinds.contains(&c.kind)).collect::<Vec<_>>();
    let metric = |id: &str| {
        catalogue
            .metrics
            .iter()
            .find(|m| m.id == id)
            .map(|m| format!("{}（{}）", m.name, m.unit))
            .unwrap_or_else(|| id.to_owned())
    };
    let e = |s: &str| if s.is_empty() { "—".to_owned() } else { md_escape(s) };

    let files = of(&["file-added", "file-removed", "file-replaced"]);
    if !files.is_empty() {
        md.push_str("\n## 文件\n\n");
        for c in files {
            let what = match c.kind {
                "file-added" => "新增",
                "file-removed" => "已撤回（删除）",
                _ => "已替换",
            };
            let _ = writeln!(md, "- {what}：{}", e(&c.file));
        }
    }
    let statuses = of(&["status"]);
    if !statuses.is_empty() {
        md.push_str("\n## 报送状态\n\n| 单位 | 上次 | 本次 | 文件 |\n|---|---|---|---|\n");
        for c in statuses {
            let _ = writeln!(
                md,
                "| {} {} | {} | {} | {} |",
                e(&c.unit_code),
                e(&c.unit_name),
                e(&c.old),
                e(&c.new),
                e(&c.file)
            );
        }
    }
    let values = of(&["value"]);
    if !values.is_empty() {
        md.push_str("\n## 计入的数字\n\n| 单位 | 指标 | 月份 | 上次 | 本次 | 位置 |\n|---|---|---|---:|---:|---|\n");
        for c in values {
            let month = if c.month.is_empty() {
                "全年".to_owned()
            } else {
                format!("{}月", c.month)
            };
            let _ = writeln!(
                md,
                "| {} {} | {} | {month} | {} | {} | {} › {}!{} |",
                e(&c.unit_code),
                e(&c.unit_name),
                md_escape(&metric(&c.metric_id)),
                e(&c.old),
                e(&c.new),
                e(&c.file),
                e(&c.sheet),
                e(&c.cell)
            );
        }
    }
    let totals = of(&["total", "yoy"]);
    if !totals.is_empty() {
        md.push_str("\n## 合计与同比\n\n| 指标 | 项 | 上次 | 本次 |\n|---|---|---:|---:|\n");
        for c in totals {
            let what = if c.kind == "total" { "合计" } else { "同比（%）" };
            let _ = writeln!(
                md,
                "| {} | {what} | {} | {} |",
                md_escape(&metric(&c.metric_id)),
                e(&c.old),
                e(&c.new)
            );
        }
    }
    let text = of(&["text"]);
    if !text.is_empty() {
        md.push_str("\n## 报告文字\n\n");
        for c in text {
            let _ = writeln!(md, "- 原：{}\n  现：{}", e(&c.old), e(&c.new));
        }
    }
    md.into_bytes()
}
