//! Worker processes, both sides: the parent's [`Child`], spoken to over
//! pipes where every write and read has a deadline, and the worker's own
//! [`confine`]. The reading workers (`ingest::pool`) and the render worker
//! (`report::sandbox`) are both run this way.
//!
//! The parent's ends of the pipes are non-blocking and waited on with
//! `poll`, in the calling thread: a file costs two system calls each way
//! instead of four thread hand-offs, and a child that stops reading or
//! writing still cannot hold the run past its deadline. The end of the
//! child's stderr is kept as it comes (it says how the child died).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What is kept of a child's stderr: the end, which says how it died.
const STDERR_TAIL: usize = 4096;

/// Why a child gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// The deadline passed.
    TimedOut,
    /// Its output ended or its input closed: it died or ended.
    Died,
}

/// A child process with piped stdin, stdout and stderr; killed and reaped
/// when dropped.
pub struct Child {
    process: std::process::Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    stderr: ChildStderr,
    /// Whether stderr may still have something to say.
    stderr_open: bool,
    tail: Vec<u8>,
    reaped: bool,
}

impl Child {
    pub fn spawn(program: &Path, args: &[OsString]) -> io::Result<Child> {
        let mut process = Command::new(program)
            .args(args)
            // How a child died is read from the end of its stderr ("memory
            // allocation of … failed"); a backtrace printed after it, with
            // RUST_BACKTRACE set for the run, would push it out.
            .env("RUST_BACKTRACE", "0")
            .envs(crate::memory::child_environment())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (process.stdin.take(), process.stdout.take(), process.stderr.take())
        else {
            let _ = process.kill();
            let _ = process.wait();
            return Err(io::Error::other("child pipes"));
        };
        let child = Child {
            process,
            stdin: Some(stdin),
            stdout,
            stderr,
            stderr_open: true,
            tail: Vec::new(),
            reaped: false,
        };
        sys::non_blocking(child.stdin.as_ref().expect("just set"))?;
        sys::non_blocking(&child.stdout)?;
        sys::non_blocking(&child.stderr)?;
        Ok(child)
    }

    /// The process id (to look at the child from outside, in tests).
    pub fn id(&self) -> u32 {
        self.process.id()
    }

    /// Write all of `bytes` to the child's stdin by `deadline`.
    pub fn send(&mut self, bytes: &[u8], deadline: Instant) -> Result<(), Gone> {
        let mut done = 0;
        while done < bytes.len() {
            let write = |c: &mut Child| match c.stdin.as_mut() {
                Some(stdin) => stdin.write(&bytes[done..]),
                None => Err(io::ErrorKind::BrokenPipe.into()),
            };
            match self.transfer(Pipe::In, deadline, write)? {
                0 => return Err(Gone::Died),
                n => done += n,
            }
        }
        Ok(())
    }

    /// Fill `buf` from the child's stdout by `deadline`.
    pub fn receive_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), Gone> {
        let mut done = 0;
        while done < buf.len() {
            match self.transfer(Pipe::Out, deadline, |c| c.stdout.read(&mut buf[done..]))? {
                0 => return Err(Gone::Died),
                n => done += n,
            }
        }
        Ok(())
    }

    /// Everything the child writes to stdout until it closes it, at most
    /// `cap` bytes, by `deadline`.
    pub fn receive_to_end(&mut self, cap: usize, deadline: Instant) -> Result<Vec<u8>, Gone> {
        let mut out = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.transfer(Pipe::Out, deadline, |c| c.stdout.read(&mut chunk))? {
                0 => return Ok(out),
                n if out.len() + n > cap => return Err(Gone::Died),
                n => out.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// One read or write on `pipe` (`op`), waited for when the pipe is not
    /// ready: the bytes it moved, 0 at the end. Any other failure means the
    /// child is gone.
    fn transfer(
        &mut self,
        pipe: Pipe,
        deadline: Instant,
        mut op: impl FnMut(&mut Child) -> io::Result<usize>,
    ) -> Result<usize, Gone> {
        loop {
            match op(self) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.wait_for(pipe, deadline)?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Gone::Died),
            }
        }
    }

    /// Close the child's stdin: a worker takes that as the end of its work.
    pub fn close_input(&mut self) {
        self.stdin = None;
    }

    /// Kill the child and reap it.
    pub fn kill(mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        self.reaped = true;
    }

    /// Wait for a child that was told to end (its input closed) by
    /// `deadline`, killing it then if it has not; its exit status (`None`
    /// if it was killed) and the end of its stderr.
    pub fn end(mut self, deadline: Instant) -> (Option<ExitStatus>, String) {
        self.close_input();
        let status = loop {
            match self.process.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
                _ => {
                    let _ = self.process.kill();
                    let _ = self.process.wait();
                    break None;
                }
            }
        };
        self.reaped = true;
        // Dead, so its stderr ends at once; a grandchild holding it open
        // is not waited for long.
        self.drain_stderr(Instant::now() + Duration::from_millis(200));
        (status, String::from_utf8_lossy(&self.tail).into_owned())
    }

    /// Wait until `pipe` is ready, keeping what stderr says meanwhile.
    fn wait_for(&mut self, pipe: Pipe, deadline: Instant) -> Result<(), Gone> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Gone::TimedOut);
            }
            let fd = match pipe {
                Pipe::In => sys::fd(self.stdin.as_ref().ok_or(Gone::Died)?),
                Pipe::Out => sys::fd(&self.stdout),
            };
            let stderr = self.stderr_open.then(|| sys::fd(&self.stderr));
            let (ready, stderr_ready) = sys::poll(fd, pipe == Pipe::In, stderr, left).map_err(|_| Gone::Died)?;
            if stderr_ready {
                self.keep_stderr();
            }
            if ready {
                return Ok(());
            }
        }
    }

    /// Keep what stderr still says, until it closes or `deadline`.
    fn drain_stderr(&mut self, deadline: Instant) {
        while self.stderr_open {
            let left = deadline.saturating_duration_since(Instant::now());
            match sys::poll(sys::fd(&self.stderr), false, None, left) {
                Ok((true, _)) => self.keep_stderr(),
                _ if left.is_zero() => return,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }

    /// Read what stderr holds now, keeping its end.
    fn keep_stderr(&mut self) {
        let mut chunk = [0u8; 4096];
        loop {
            match self.stderr.read(&mut chunk) {
                Ok(0) => {
                    self.stderr_open = false;
                    return;
                }
                Ok(n) => {
                    self.tail.extend_from_slice(&chunk[..n]);
                    let excess = self.tail.len().saturating_sub(STDERR_TAIL);
                    self.tail.drain(..excess);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.stderr_open = false;
                    return;
                }
            }
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.stdin = None;
        if !self.reaped {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pipe {
    In,
    Out,
}

/// How a child's end reads in a message: `信号 11`, `退出码 3`.
pub fn describe(status: &ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(status) {
        return format!("信号 {signal}");
    }
    match status.code() {
        Some(code) => format!("退出码 {code}"),
        None => status.to_string(),
    }
}

/// Whether a child's stderr says it died of a failed allocation (past its
/// memory cap).
pub fn ran_out_of_memory(stderr: &str) -> bool {
    stderr.contains("memory allocation of")
}

/// The worker's side, first thing: cap its heap at `memory_bytes` and die
/// with its parent.
pub fn confine(memory_bytes: Option<u64>) {
    if let Some(bytes) = memory_bytes {
        sys::limit_memory(bytes);
    }
    sys::die_with_parent();
}

#[cfg(unix)]
mod sys {
    use std::os::fd::{AsRawFd, RawFd};
    use std::time::Duration;

    pub fn fd(pipe: &impl AsRawFd) -> RawFd {
        pipe.as_raw_fd()
    }

    pub fn non_blocking(pipe: &impl AsRawFd) -> std::io::Result<()> {
        let fd = pipe.as_raw_fd();
        // SAFETY: fcntl on a descriptor this process owns.
        let ok = unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) >= 0
        };
        if ok {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    /// Wait up to `left` for `fd` to be writable (`write`) or readable, and
    /// for `stderr` to be readable: which are (a hang-up counts as ready).
    pub fn poll(fd: RawFd, write: bool, stderr: Option<RawFd>, left: Duration) -> std::io::Result<(bool, bool)> {
        let event = if write { libc::POLLOUT } else { libc::POLLIN };
        let mut fds = [
            libc::pollfd {
                fd,
                events: event,
                revents: 0,
            },
            libc::pollfd {
                fd: stderr.unwrap_or(-1),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let ms = left.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
        // SAFETY: poll reads and writes the two structs passed.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return if e.kind() == std::io::ErrorKind::Interrupted {
                Ok((false, false))
            } else {
                Err(e)
            };
        }
        Ok((fds[0].revents != 0, fds[1].revents != 0))
    }

    /// Cap the heap (the data segment, which since Linux 4.7 counts every
    /// private writable mapping): an allocation past it fails and the
    /// process aborts, instead of the machine swapping or the run being
    /// killed.
    pub fn limit_memory(bytes: u64) {
        // SAFETY: getrlimit/setrlimit only read and write the struct passed.
        unsafe {
            let mut current = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_DATA, &mut current) == 0 {
                let limit = (bytes as libc::rlim_t).min(current.rlim_max);
                let wanted = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: current.rlim_max,
                };
                libc::setrlimit(libc::RLIMIT_DATA, &wanted);
            }
        }
    }

    /// A worker busy with a file that hangs would outlive a run killed
    /// meanwhile (it only notices the run's end when it reads its input
    /// next): on Linux, it is killed with its parent.
    pub fn die_with_parent() {
        #[cfg(target_os = "linux")]
        // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number; getppid reads.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // The parent may have died before the call: then it is gone now.
            if libc::getppid() == 1 {
                libc::_exit(1);
            }
        }
    }
}

/// Elsewhere no child can be supervised so: reading and rendering stay
/// in-process (the callers' fallback when no worker starts).
#[cfg(not(unix))]
mod sys {
    use std::time::Duration;

    pub type RawFd = i32;

    pub fn fd<T>(_pipe: &T) -> RawFd {
        -1
    }

    pub fn non_blocking<T>(_pipe: &T) -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "workers need a Unix system",
        ))
    }

    pub fn poll(_fd: RawFd, _write: bool, _stderr: Option<RawFd>, _left: Duration) -> std::io::Result<(bool, bool)> {
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "poll"))
    }

    pub fn limit_memory(_bytes: u64) {}

    pub fn die_with_parent() {}
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Child {
        Child::spawn(Path::new("sh"), &["-c".into(), script.into()]).unwrap()
    }

    fn soon(ms: u64) -> Instant {
        Instant::now() + Duration::from_millis(ms)
    }

    #[test]
    fn a_child_answers_through_its_pipes() {
        let mut c = sh("head -c 5; printf ' back'");
        c.send(b"hello", soon(5000)).unwrap();
        let mut buf = [0u8; 10];
        c.receive_exact(&mut buf, soon(5000)).unwrap();
        assert_eq!(&buf, b"hello back");
        let (status, _) = c.end(soon(5000));
        assert!(status.unwrap().success());
    }

    #[test]
    fn a_child_that_stops_reading_cannot_block_a_write_past_its_deadline() {
        let mut c = sh("exec sleep 60");
        let started = Instant::now();
        let big = vec![0u8; 1 << 20];
        assert_eq!(c.send(&big, soon(300)), Err(Gone::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(5));
        c.kill();
    }

    #[test]
    fn a_silent_child_times_out_and_a_dead_one_is_gone_with_its_last_words() {
        let mut c = sh("exec sleep 60");
        assert_eq!(c.receive_exact(&mut [0u8; 1], soon(200)), Err(Gone::TimedOut));
        c.kill();
        let mut c = sh("echo 'memory allocation of 8 bytes failed' >&2; kill -SEGV $$");
        assert_eq!(c.receive_exact(&mut [0u8; 1], soon(5000)), Err(Gone::Died));
        let (status, stderr) = c.end(soon(5000));
        assert_eq!(describe(&status.unwrap()), "信号 11");
        assert!(ran_out_of_memory(&stderr), "{stderr}");
    }

    #[test]
    fn only_the_end_of_a_long_stderr_is_kept() {
        let mut c = sh("i=0; while [ $i -lt 2000 ]; do echo line$i >&2; i=$((i+1)); done; echo last >&2; printf done");
        assert_eq!(c.receive_to_end(100, soon(10_000)).unwrap(), b"done");
        let (_, stderr) = c.end(soon(5000));
        assert!(stderr.len() <= STDERR_TAIL && stderr.ends_with("last\n"), "{stderr}");
    }
}
