//! The parent's side of isolated reading: a pool of long-lived worker
//! processes (`worker.rs`), each used by one reading thread at a time. A
//! worker that does not answer within the time limit is killed; one that
//! dies (its memory limit reached, a crash) is reaped. Either way that one
//! file is an error (`too-large-or-damaged`) and a fresh worker reads the
//! next. When no worker can be started, the caller reads in-process.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::limits::{WORKER_MEMORY_BYTES, WORKER_SECONDS};
use super::open::{OpenError, Opened, Pick};
use super::{wire, worker};
use crate::child::{self, Child, Gone};

/// An answer larger than this is not awaited (a worker's own memory limit
/// keeps real ones far below).
const MAX_ANSWER_BYTES: u64 = 1 << 30;
/// How long a new worker may take to greet.
const START_SECONDS: u64 = 30;

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
    /// A [`worker::SETUP`] request every new worker is sent first.
    setup: Option<Vec<u8>>,
    idle: Mutex<Vec<Worker>>,
    /// A worker could not be started: read in-process from then on.
    unavailable: AtomicBool,
}

impl Pool {
    pub fn new(isolation: Isolation) -> Pool {
        Pool {
            isolation,
            setup: None,
            idle: Mutex::new(Vec::new()),
            unavailable: AtomicBool::new(false),
        }
    }

    /// A pool whose workers can also do [`Pool::read_all`] jobs, set up with
    /// `setup` (see [`worker::Setup`]).
    pub fn with_setup(isolation: Isolation, setup: &[u8]) -> Pool {
        let mut pool = Pool::new(isolation);
        pool.setup = Some(worker::setup_request(setup));
        pool
    }

    /// Open a workbook in a worker; `None` when no worker can be started.
    pub fn open(&self, bytes: &[u8], wanted: Pick<'_>) -> Option<Result<Opened, OpenError>> {
        let answer = self.ask(&[worker::open_request(wanted, bytes)]).pop().flatten()?;
        Some(answer.and_then(|answer| {
            wire::decode(&answer).unwrap_or_else(|e| Err(OpenError::reader_died(&format!("答复无法解读：{e}"))))
        }))
    }

    /// Have a worker do `jobs` as set up (read files), sent together so
    /// that it goes from one to the next without waiting for this thread.
    pub fn read_all(&self, jobs: &[&[u8]]) -> Vec<Option<Result<Vec<u8>, OpenError>>> {
        let requests: Vec<Vec<u8>> = jobs.iter().map(|job| worker::read_request_for(job)).collect();
        self.ask(&requests)
    }

    /// Send `requests` to a worker together; for each, its answer or why it
    /// gave none, or `None` when no worker could be started for it (the
    /// caller does it itself). A worker that dies or runs out of time fails
    /// its current request only; the ones after it go to a fresh worker.
    /// Each request has the whole time limit, the first its sending too.
    fn ask(&self, requests: &[Vec<u8>]) -> Vec<Option<Result<Vec<u8>, OpenError>>> {
        let limit = self.isolation.time_limit;
        let mut answers = Vec::with_capacity(requests.len());
        while answers.len() < requests.len() {
            let Some(mut worker) = self.worker() else {
                answers.resize_with(requests.len(), || None);
                break;
            };
            let rest = &requests[answers.len()..];
            let mut deadline = Instant::now() + limit;
            // A failed send is a worker that died on a request: the answers
            // it gave before are still to be read, and the reading finds which.
            for request in rest {
                if worker.child.send(request, deadline).is_err() {
                    break;
                }
            }
            let mut gone = None;
            for _ in rest {
                match worker.answer(deadline) {
                    Ok(answer) => answers.push(Some(Ok(answer))),
                    Err(g) => {
                        gone = Some(g);
                        break;
                    }
                }
                deadline = Instant::now() + limit;
            }
            match gone {
                None => self.put_back(worker),
                Some(Gone::TimedOut) => {
                    worker.child.kill();
                    answers.push(Some(Err(OpenError::out_of_time(limit))));
                }
                Some(Gone::Died) => answers.push(Some(Err(worker.why_died()))),
            }
        }
        answers
    }

    /// An idle worker, or a new one; `None` when none can be started.
    fn worker(&self) -> Option<Worker> {
        if self.unavailable.load(Ordering::Relaxed) {
            return None;
        }
        let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        match idle.map_or_else(|| Worker::start(&self.isolation, self.setup.as_deref()), Ok) {
            Ok(w) => Some(w),
            Err(_) => {
                self.unavailable.store(true, Ordering::Relaxed);
                None
            }
        }
    }

    fn put_back(&self, worker: Worker) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
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

/// A worker process, busy with one file at a time.
struct Worker {
    child: Child,
}

impl Worker {
    /// Start a worker, and set it up when `setup` is given.
    fn start(isolation: &Isolation, setup: Option<&[u8]>) -> io::Result<Worker> {
        let mut child = Child::spawn(&isolation.program, &isolation.args)?;
        let mut greeting = vec![0; worker::GREETING.len()];
        let deadline = Instant::now() + Duration::from_secs(START_SECONDS);
        // Dropped on failure: killed and reaped.
        let not_one = || io::Error::other("not a reading worker");
        match child.receive_exact(&mut greeting, deadline) {
            Ok(()) if greeting == worker::GREETING => {}
            _ => return Err(not_one()),
        }
        let mut worker = Worker { child };
        if let Some(setup) = setup {
            match worker.ask(setup, Duration::from_secs(START_SECONDS)) {
                Ok(took) if took == [1] => {}
                _ => return Err(not_one()),
            }
        }
        Ok(worker)
    }

    fn ask(&mut self, request: &[u8], limit: Duration) -> Result<Vec<u8>, Gone> {
        let deadline = Instant::now() + limit;
        self.child.send(request, deadline)?;
        self.answer(deadline)
    }

    /// The next answer, by `deadline`.
    fn answer(&mut self, deadline: Instant) -> Result<Vec<u8>, Gone> {
        let mut len = [0u8; 8];
        self.child.receive_exact(&mut len, deadline)?;
        let len = u64::from_le_bytes(len);
        if len > MAX_ANSWER_BYTES {
            return Err(Gone::Died);
        }
        let mut answer = vec![0; len as usize];
        self.child.receive_exact(&mut answer, deadline)?;
        Ok(answer)
    }

    /// Close an idle worker's input: it ends, and is reaped.
    fn finish(self) {
        let _ = self.child.end(Instant::now() + Duration::from_secs(START_SECONDS));
    }

    /// Reap a worker that stopped answering, and say why it died.
    fn why_died(self) -> OpenError {
        let (status, stderr) = self.child.end(Instant::now() + Duration::from_secs(START_SECONDS));
        if child::ran_out_of_memory(&stderr) {
            return OpenError::out_of_memory();
        }
        match status {
            Some(s) => OpenError::reader_died(&child::describe(&s)),
            None => OpenError::reader_died("无响应"),
        }
    }
}
