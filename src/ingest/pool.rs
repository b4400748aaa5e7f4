//! The parent's side of isolated reading: a pool of long-lived worker
//! processes (`worker.rs`), each used by one reading thread at a time. A
//! worker that does not answer within the time limit is killed; one that
//! dies (its memory limit reached, a crash) is reaped. Either way that one
//! file is an error (`too-large-or-damaged`) and a fresh worker reads the
//! next. When no worker can be started, the caller reads in-process.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::limits::{WORKER_MEMORY_BYTES, WORKER_SECONDS};
use super::open::{OpenError, Opened, Pick};
use super::{wire, worker};

/// An answer larger than this is not awaited (a worker's own memory limit
/// keeps real ones far below).
const MAX_ANSWER_BYTES: u64 = 1 << 30;
/// How long a new worker may take to greet.
const START_SECONDS: u64 = 30;
/// What is kept of a worker's stderr: the end, which says how it died.
const STDERR_TAIL: usize = 4096;

/// How to start a worker and how long to wait for each file.
#[derive(Debug, Clone)]
pub struct Isolation {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub time_limit: Duration,
}

impl Isolation {
    /// This binary as the worker, with the README's limits; `None` when its
    /// path cannot be known.
    pub fn this_binary() -> Option<Isolation> {
        Some(Isolation {
            program: std::env::current_exe().ok()?,
            args: vec![worker::ARG.into(), WORKER_MEMORY_BYTES.to_string().into()],
            time_limit: Duration::from_secs(WORKER_SECONDS),
        })
    }
}

pub struct Pool {
    isolation: Isolation,
    idle: Mutex<Vec<Worker>>,
    /// A worker could not be started: read in-process from then on.
    unavailable: AtomicBool,
}

impl Pool {
    pub fn new(isolation: Isolation) -> Pool {
        Pool {
            isolation,
            idle: Mutex::new(Vec::new()),
            unavailable: AtomicBool::new(false),
        }
    }

    /// Open a workbook in a worker; `None` when no worker can be started.
    pub fn open(&self, bytes: &[u8], wanted: Pick<'_>) -> Option<Result<Opened, OpenError>> {
        if self.unavailable.load(Ordering::Relaxed) {
            return None;
        }
        let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        let mut worker = match idle.map_or_else(|| Worker::start(&self.isolation), Ok) {
            Ok(w) => w,
            Err(_) => {
                self.unavailable.store(true, Ordering::Relaxed);
                return None;
            }
        };
        let result = match worker.ask(worker::request(wanted, bytes), self.isolation.time_limit) {
            Ok(answer) => match wire::decode(&answer) {
                Ok(result) => result,
                Err(e) => Err(OpenError::reader_died(&format!("答复无法解读：{e}"))),
            },
            Err(Gone::TimedOut) => {
                worker.stop();
                return Some(Err(OpenError::out_of_time(self.isolation.time_limit)));
            }
            Err(Gone::Died) => return Some(Err(worker.why_died())),
        };
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
        Some(result)
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if let Ok(idle) = self.idle.get_mut() {
            for w in idle.drain(..) {
                w.finish();
            }
        }
    }
}

enum Gone {
    TimedOut,
    Died,
}

struct Worker {
    child: Child,
    requests: Option<Sender<Vec<u8>>>,
    answers: Receiver<io::Result<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
    reaped: bool,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.requests = None;
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Worker {
    fn start(isolation: &Isolation) -> io::Result<Worker> {
        let mut child = Command::new(&isolation.program)
            .args(&isolation.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (stdin, mut stdout, mut stderr) = match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err(io::Error::other("worker pipes")),
        };
        let tail = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&tail);
        let stderr_reader = std::thread::spawn(move || keep_tail(&mut stderr, &kept));
        let (requests, to_write) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || write_requests(stdin, to_write));
        let (answer, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let mut greeting = vec![0; worker::GREETING.len()];
            let greeted = stdout.read_exact(&mut greeting).is_ok() && greeting == worker::GREETING;
            let _ = answer.send(Ok(greeting));
            if !greeted {
                return;
            }
            loop {
                let read = read_answer(&mut stdout);
                let failed = read.is_err();
                if answer.send(read).is_err() || failed {
                    break;
                }
            }
        });
        let w = Worker {
            child,
            requests: Some(requests),
            answers,
            stderr: tail,
            stderr_reader: Some(stderr_reader),
            reaped: false,
        };
        match w.answers.recv_timeout(Duration::from_secs(START_SECONDS)) {
            Ok(Ok(greeting)) if greeting == worker::GREETING => Ok(w),
            // Dropped: killed and reaped.
            _ => Err(io::Error::other("not a reading worker")),
        }
    }

    fn ask(&mut self, request: Vec<u8>, limit: Duration) -> Result<Vec<u8>, Gone> {
        let sent = self.requests.as_ref().is_some_and(|r| r.send(request).is_ok());
        if !sent {
            return Err(Gone::Died);
        }
        match self.answers.recv_timeout(limit) {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(Gone::Died),
            Err(RecvTimeoutError::Timeout) => Err(Gone::TimedOut),
        }
    }

    /// Kill a worker that took too long, and reap it.
    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped = true;
    }

    /// Close an idle worker's input: it ends, and is reaped.
    fn finish(mut self) {
        self.requests = None;
        let _ = self.child.wait();
        self.reaped = true;
    }

    /// Reap a worker that stopped answering, and say why it died.
    fn why_died(mut self) -> OpenError {
        self.requests = None;
        let status = self.child.wait();
        self.reaped = true;
        // Its stderr is read to the end before it is looked at.
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let tail = self
            .stderr
            .lock()
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default();
        if tail.contains("memory allocation of") {
            return OpenError::out_of_memory();
        }
        let how = match status {
            Ok(s) => describe(&s),
            Err(e) => e.to_string(),
        };
        OpenError::reader_died(&how)
    }
}

fn describe(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(status) {
        return format!("信号 {signal}");
    }
    match status.code() {
        Some(code) => format!("退出码 {code}"),
        None => status.to_string(),
    }
}

fn read_answer(stdout: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    stdout.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > MAX_ANSWER_BYTES {
        return Err(io::Error::other("answer too large"));
    }
    let mut answer = vec![0; len as usize];
    stdout.read_exact(&mut answer)?;
    Ok(answer)
}

/// Requests are written by a thread of their own, so that a worker that
/// stops reading cannot block the run past its time limit.
fn write_requests(mut stdin: ChildStdin, requests: Receiver<Vec<u8>>) {
    for request in requests {
        if stdin.write_all(&request).and_then(|_| stdin.flush()).is_err() {
            break;
        }
    }
}

fn keep_tail(stderr: &mut impl Read, tail: &Mutex<Vec<u8>>) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = stderr.read(&mut buf) {
        if n == 0 {
            break;
        }
        if let Ok(mut t) = tail.lock() {
            t.extend_from_slice(&buf[..n]);
            let excess = t.len().saturating_sub(STDERR_TAIL);
            t.drain(..excess);
        }
    }
}
