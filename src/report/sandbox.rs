//! A user's templates rendered in a child process: the same binary started
//! as `annual-report __render-worker <memory bytes>` (see `main.rs`), with
//! the reading worker's memory cap and a time limit. Fuel stops a loop, but
//! nothing in minijinja counts the bytes a string grows to (`s ~ s` forty
//! times is a terabyte): past the cap the child aborts and the run stops
//! with an error naming the template, instead of the machine running out of
//! memory. The built-in templates are ours and render in-process.
//!
//! The protocol: the child writes [`GREETING`], reads one JSON request
//! (templates folder, template name, context) to the end of stdin, and
//! answers with one JSON [`Answer`]: the text or the error, and every
//! template it loaded (for the manifest).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use serde::{Deserialize, Serialize};

use super::{TemplateSource, Templates};
use crate::child::{self, Child, Gone};
use crate::ingest::limits::WORKER_MEMORY_BYTES;

/// The hidden first argument that makes the binary a render worker.
pub const ARG: &str = "__render-worker";

/// What the worker says first, so that a program that is not one (a test
/// binary's `current_exe`) is told apart at once.
pub const GREETING: &[u8] = b"annual-report render worker 1\n";

/// The wall-clock time one render may take (fuel stops loops long before).
pub const RENDER_SECONDS: u64 = 60;

/// How to start a render worker.
#[derive(Debug, Clone)]
pub struct Sandbox {
    pub program: PathBuf,
    pub memory_bytes: u64,
    pub time_limit: Duration,
}

impl Sandbox {
    /// This binary as the worker, with the README's limits; `None` when its
    /// path cannot be known.
    pub fn this_binary() -> Option<Sandbox> {
        Some(Sandbox {
            program: std::env::current_exe().ok()?,
            memory_bytes: WORKER_MEMORY_BYTES,
            time_limit: Duration::from_secs(RENDER_SECONDS),
        })
    }

    /// Render `name` from the templates in `dir` with `ctx` in a worker.
    /// `None` when no worker could be started (the caller renders
    /// in-process, as reading does).
    pub fn render<S: Serialize>(&self, dir: &Path, name: &str, ctx: &S) -> Option<Result<Answer>> {
        let request = serde_json::to_vec(&Request {
            dir: dir.to_owned(),
            name: name.to_owned(),
            ctx: serde_json::to_value(ctx).ok()?,
        })
        .ok()?;
        let args = [OsString::from(ARG), self.memory_bytes.to_string().into()];
        let mut child = Child::spawn(&self.program, &args).ok()?;
        let deadline = Instant::now() + self.time_limit;
        // A child that stops reading early (not a render worker) may still
        // have said who it is.
        let sent = child.send(&request, deadline);
        child.close_input();
        let answer = match sent {
            Err(Gone::TimedOut) => Err(Gone::TimedOut),
            _ => child.receive_to_end(MAX_ANSWER_BYTES, deadline),
        };
        let died = |why: &str| {
            Some(Err(anyhow!(
                "模板 {name} 无法渲染：{why}。模板里是否有不断加倍的字符串或失控的循环？"
            )))
        };
        let timed_out = || died(&format!("超过 {} 秒仍未完成，已停止", self.time_limit.as_secs()));
        let answer = match answer {
            Ok(answer) => answer,
            Err(Gone::TimedOut) => {
                child.kill();
                return timed_out();
            }
            Err(Gone::Died) => {
                child.kill();
                return died("渲染结果过大或无法读取");
            }
        };
        let (status, stderr) = child.end(deadline.max(Instant::now() + Duration::from_secs(1)));
        let body = answer.strip_prefix(GREETING);
        match (body.map(serde_json::from_slice::<Answer>), status) {
            (Some(Ok(a)), Some(status)) if status.success() => Some(Ok(a)),
            _ if child::ran_out_of_memory(&stderr) => {
                died(&format!("所需内存超过 {} MB 的上限", self.memory_bytes >> 20))
            }
            // Not a render worker (or it could not start): render in-process.
            (None, _) => None,
            (_, Some(status)) => died(&format!("渲染进程意外结束（{}）", child::describe(&status))),
            (_, None) => timed_out(),
        }
    }
}

/// An answer larger than this is not read: a render's output is capped at
/// 64 MB, and the loaded templates are the user's folder.
const MAX_ANSWER_BYTES: usize = 1 << 30;

#[derive(Serialize, Deserialize)]
struct Request {
    dir: PathBuf,
    name: String,
    ctx: serde_json::Value,
}

/// What a render worker answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct Answer {
    /// The text, or the error message (as [`Templates::render`] words it).
    pub output: Result<String, String>,
    pub loaded: Vec<TemplateSource>,
}

/// Serve one request: read it to the end of stdin, render, answer.
pub fn serve() -> ExitCode {
    crate::child::confine(std::env::args().nth(2).and_then(|a| a.parse::<u64>().ok()));
    let mut output = io::stdout().lock();
    if output.write_all(GREETING).and_then(|_| output.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    let mut request = Vec::new();
    if io::stdin().lock().read_to_end(&mut request).is_err() {
        return ExitCode::FAILURE;
    }
    let Ok(request) = serde_json::from_slice::<Request>(&request) else {
        return ExitCode::FAILURE;
    };
    let answer = match Templates::new(Some(&request.dir)) {
        Ok(templates) => {
            let env = templates.environment();
            let output = templates
                .render(&env, &request.name, &request.ctx)
                .map_err(|e| e.to_string());
            Answer {
                output,
                loaded: templates.used(),
            }
        }
        Err(e) => Answer {
            output: Err(e.to_string()),
            loaded: Vec::new(),
        },
    };
    let Ok(bytes) = serde_json::to_vec(&answer) else {
        return ExitCode::FAILURE;
    };
    match output.write_all(&bytes).and_then(|_| output.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
