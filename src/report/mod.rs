//! The report text: a minijinja environment with the built-in templates (or a
//! user's folder in front of them), strict about undefined values, with the
//! number-wording filters of [`filters`].

pub mod charts;
pub mod context;
pub mod filters;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

/// The templates built into the binary, so it runs from any folder.
const BUILT_IN: [(&str, &str); 6] = [
    ("phrases.j2", include_str!("../../templates/phrases.j2")),
    ("committee.j2", include_str!("../../templates/committee.j2")),
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    ("report.html.j2", include_str!("../../templates/report.html.j2")),
    ("snapshot.md.j2", include_str!("../../templates/snapshot.md.j2")),
    ("snapshot.html.j2", include_str!("../../templates/snapshot.html.j2")),
];

/// Where a template came from, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateSource {
    pub name: String,
    /// `built-in`, or the file it was read from.
    pub origin: String,
    pub text: String,
}

/// Templates looked up in the user's folder first, then the built-in set.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    pub fn new(dir: Option<&Path>) -> Result<Templates> {
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(anyhow!("找不到模板文件夹 {}：请检查 --templates 的路径", d.display()));
            }
        }
        Ok(Templates {
            dir: dir.map(Path::to_owned),
        })
    }

    pub fn source(&self, name: &str) -> Option<TemplateSource> {
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Some(TemplateSource {
                    name: name.to_owned(),
                    origin: path.display().to_string(),
                    text,
                });
            }
        }
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| TemplateSource {
                name: (*n).to_owned(),
                origin: "built-in".to_owned(),
                text: (*text).to_owned(),
            })
    }

    pub fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid");
        env.set_syntax(syntax);
        filters::register(&mut env);
        let this = self.clone();
        env.set_loader(move |name| Ok(this.source(name).map(|s| s.text)));
        env
    }

    /// Render `name` with `ctx`. A template error names the template and line.
    pub fn render<S: Serialize>(&self, env: &Environment<'static>, name: &str, ctx: &S) -> Result<String> {
        let template = env.get_template(name).map_err(|e| template_error(&e))?;
        template
            .render(minijinja::value::Serde(ctx))
            .map_err(|e| template_error(&e))
    }

    /// Every template a render may have used (the one named and its
    /// imports), as their sources, for the manifest.
    pub fn used(&self, names: &[&str]) -> Vec<TemplateSource> {
        let mut out: Vec<TemplateSource> = names.iter().filter_map(|n| self.source(n)).collect();
        out.extend(["phrases.j2", "committee.j2"].iter().filter_map(|n| self.source(n)));
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        out
    }
}

/// The innermost template error is where the mistake is: name its template
/// and line, not the chain of includes that led there.
fn template_error(e: &minijinja::Error) -> anyhow::Error {
    let mut inner = e;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>()) {
        inner = next;
    }
    let name = inner.name().or(e.name()).unwrap_or("（未知模板）");
    let line = inner
        .line()
        .or(e.line())
        .map(|l| format!(" 第 {l} 行"))
        .unwrap_or_default();
    let detail = match inner.detail() {
        Some(d) => format!("{}：{d}", inner.kind()),
        None => inner.kind().to_string(),
    };
    anyhow!("模板 {name}{line} 有错误：{detail}")
}
