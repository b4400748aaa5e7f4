//! The report text: a minijinja environment with the built-in templates (or a
//! user's folder in front of them), strict about undefined values, with the
//! number-wording filters of [`filters`]. Every value a Markdown template
//! prints is escaped ([`crate::escape::markdown`]), as an HTML template's is.

pub mod context;
pub mod filters;
pub mod sandbox;
pub mod wording;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, Result};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use sandbox::Sandbox;

/// The templates built into the binary, so it runs from any folder.
const BUILT_IN: [(&str, &str); 4] = [
    ("phrases.j2", include_str!("../../templates/phrases.j2")),
    ("committee.j2", include_str!("../../templates/committee.j2")),
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    ("snapshot.md.j2", include_str!("../../templates/snapshot.md.j2")),
];

/// Where a template came from, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSource {
    pub name: String,
    /// `built-in`, or the file it was read from.
    pub origin: String,
    pub text: String,
}

/// Instructions one render may run: a loop nest that would hang the run
/// stops with an error naming the template instead.
const FUEL: u64 = 50_000_000;
/// Bytes one render may write.
const MAX_OUTPUT: usize = 64 << 20;

/// Templates looked up in the user's folder first, then the built-in set.
/// Names resolve only inside that folder and the built-ins; every template
/// a render loads (includes and imports too) is remembered for the manifest.
/// A user's templates render in a [`Sandbox`] when one is given.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
    loaded: Arc<Mutex<BTreeMap<String, TemplateSource>>>,
    sandbox: Option<Sandbox>,
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
            loaded: Arc::default(),
            sandbox: None,
        })
    }

    /// Render a user's templates (never the built-in ones) in `sandbox`.
    pub fn sandboxed(self, sandbox: Option<Sandbox>) -> Templates {
        Templates { sandbox, ..self }
    }

    /// The template `name`: the user's file when there is one (unreadable
    /// or not UTF-8 is an error, never a silent fall back), else built in.
    pub fn source(&self, name: &str) -> Result<Option<TemplateSource>> {
        let inside = !name.is_empty()
            && !name.contains(['\\', '\0', ':'])
            && Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(anyhow!(
                "模板名“{name}”不允许：include/import 只能引用模板文件夹里的文件（不能用 .. 或绝对路径）"
            ));
        }
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if path.exists() {
                let bytes = std::fs::read(&path)
                    .map_err(|e| anyhow!("无法读取模板 {}（{e}）：请检查文件权限", path.display()))?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    anyhow!(
                        "模板 {} 不是 UTF-8 编码：请用 UTF-8 另存（记事本“另存为”可选编码）",
                        path.display()
                    )
                })?;
                return Ok(Some(TemplateSource {
                    name: name.to_owned(),
                    origin: path.display().to_string(),
                    text,
                }));
            }
        }
        Ok(BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| TemplateSource {
                name: (*n).to_owned(),
                origin: "built-in".to_owned(),
                text: (*text).to_owned(),
            }))
    }

    pub fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid");
        env.set_syntax(syntax);
        env.set_auto_escape_callback(auto_escape);
        env.set_formatter(|out, state, value| match state.auto_escape() {
            AutoEscape::Custom(name) if name == MARKDOWN && !value.is_safe() => {
                let text = if value.is_undefined() {
                    String::new()
                } else {
                    value.to_string()
                };
                out.write_str(&crate::escape::markdown(&text))
                    .map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        filters::register(&mut env);
        let this = self.clone();
        env.set_loader(move |name| {
            let source = this
                .source(name)
                .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))?;
            Ok(source.map(|s| {
                let text = s.text.clone();
                this.loaded.lock().expect("loader lock").insert(s.name.clone(), s);
                text
            }))
        });
        env
    }

    /// Render `name` with `ctx`. A template error names the template and
    /// line; a render that runs out of fuel or writes more than
    /// [`MAX_OUTPUT`] bytes is an error too.
    pub fn render<S: Serialize>(&self, env: &Environment<'static>, name: &str, ctx: &S) -> Result<String> {
        if let (Some(dir), Some(sandbox)) = (&self.dir, &self.sandbox) {
            if let Some(answer) = sandbox.render(dir, name, ctx) {
                let answer = answer?;
                let mut loaded = self.loaded.lock().expect("loader lock");
                for source in answer.loaded {
                    loaded.insert(source.name.clone(), source);
                }
                return answer.output.map_err(|e| anyhow!(e));
            }
        }
        let template = env.get_template(name).map_err(|e| template_error(&e))?;
        let mut out = Limited(Vec::new());
        template
            .render_captured_to(minijinja::value::Serde(ctx), &mut out)
            .map_err(|e| template_error(&e))?;
        String::from_utf8(out.0).map_err(|_| anyhow!("模板 {name} 的输出不是 UTF-8"))
    }

    /// Every template the renders so far loaded, by name, for the manifest.
    pub fn used(&self) -> Vec<TemplateSource> {
        self.loaded.lock().expect("loader lock").values().cloned().collect()
    }
}

/// A buffer that refuses to grow past [`MAX_OUTPUT`].
struct Limited(Vec<u8>);

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other(format!(
                "输出超过 {} MB：模板是否有失控的循环？",
                MAX_OUTPUT >> 20
            )));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The auto-escape mode of Markdown templates.
const MARKDOWN: &str = "markdown";

/// `*.md.j2` (and `*.md`) print every value Markdown-escaped: a unit name,
/// 填报人 or cell text cannot become a heading, a table, a link or HTML in
/// the report (macro results and `|safe` values are already markup).
fn auto_escape(name: &str) -> AutoEscape {
    let stem = name.strip_suffix(".j2").unwrap_or(name);
    if stem.ends_with(".md") {
        AutoEscape::Custom(MARKDOWN.into())
    } else {
        minijinja::default_auto_escape_callback(name)
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
