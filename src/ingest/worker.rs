//! The reading worker: the same binary started as `annual-report
//! __read-worker <memory bytes>` (see `main.rs`). It limits its own memory,
//! then answers requests on stdin, on stdout, until stdin closes. Whatever
//! a file does to the reader — abort on a failed allocation, loop,
//! overflow its stack — ends this process only; the parent (`pool.rs`)
//! names the file and goes on.
//!
//! The protocol, all integers little-endian: the worker first writes
//! [`GREETING`]. A request is a kind byte and its body:
//! - [`OPEN`]: the sheet names picked (`u32` count, or `u32::MAX` for the
//!   first sheet; each name a `u32` length and UTF-8), then the file (`u64`
//!   length and bytes); answered with the postcard bytes of `wire.rs`.
//! - [`SETUP`]: `u64` length and bytes the caller's [`Setup`] turns into a
//!   reader of files (the checking of submissions, which needs the
//!   catalogue and registry); answered with one byte, 1 when it took.
//! - [`READ`]: a job for that reader (`u32` length and bytes: which file),
//!   answered with what it returns. The worker opens the file itself, so
//!   its bytes never cross a pipe.
//!
//! An answer is a `u64` length and its bytes.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use super::open::{open, Pick};
use super::wire;

/// The hidden first argument that makes the binary a worker.
pub const ARG: &str = "__read-worker";

/// What a worker says first, so that a program that is not one (a test
/// binary's `current_exe`) is told apart at once.
pub const GREETING: &[u8] = b"annual-report read worker 2\n";

pub const OPEN: u8 = 0;
pub const SETUP: u8 = 1;
pub const READ: u8 = 2;

/// What does a [`READ`] request's job in a worker: the answer to it.
pub type Job = Box<dyn Fn(&[u8]) -> Vec<u8>>;

/// Makes the [`Job`] from a [`SETUP`] request's bytes (`None`: they could
/// not be understood).
pub type Setup = fn(&[u8]) -> Option<Job>;

/// Serve requests until stdin closes.
pub fn serve(setup: Setup) -> ExitCode {
    crate::child::confine(std::env::args().nth(2).and_then(|a| a.parse::<u64>().ok()));
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    if output.write_all(GREETING).and_then(|_| output.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    let mut reader = None;
    loop {
        let answer = match read_request(&mut input) {
            Ok(Some(Request::Open { names, first, bytes })) => {
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let wanted = if first { Pick::First } else { Pick::Named(&refs) };
                let answer = wire::encode(&open(&bytes, wanted));
                drop(bytes);
                answer
            }
            Ok(Some(Request::Setup(bytes))) => {
                reader = setup(&bytes);
                vec![reader.is_some() as u8]
            }
            Ok(Some(Request::Read(job))) => match &reader {
                Some(read) => read(&job),
                None => return ExitCode::FAILURE,
            },
            Ok(None) => return ExitCode::SUCCESS,
            Err(_) => return ExitCode::FAILURE,
        };
        let sent = output
            .write_all(&(answer.len() as u64).to_le_bytes())
            .and_then(|_| output.write_all(&answer))
            .and_then(|_| output.flush());
        if sent.is_err() {
            return ExitCode::FAILURE;
        }
    }
}

/// An [`OPEN`] request as bytes.
pub fn open_request(wanted: Pick<'_>, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    out.push(OPEN);
    match wanted {
        Pick::First => out.extend(u32::MAX.to_le_bytes()),
        Pick::Named(names) => {
            out.extend((names.len() as u32).to_le_bytes());
            for n in names {
                push_short(&mut out, n.as_bytes());
            }
        }
    }
    push_block(&mut out, bytes);
    out
}

/// A [`SETUP`] request as bytes.
pub fn setup_request(setup: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(setup.len() + 9);
    out.push(SETUP);
    push_block(&mut out, setup);
    out
}

/// A [`READ`] request as bytes.
pub fn read_request_for(job: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(job.len() + 5);
    out.push(READ);
    push_short(&mut out, job);
    out
}

/// `bytes` after their `u32` length, as [`read_short`] reads them.
fn push_short(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend((bytes.len() as u32).to_le_bytes());
    out.extend(bytes);
}

/// `bytes` after their `u64` length, as [`read_block`] reads them.
fn push_block(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend((bytes.len() as u64).to_le_bytes());
    out.extend(bytes);
}

#[derive(Debug, PartialEq)]
enum Request {
    Open {
        names: Vec<String>,
        first: bool,
        bytes: Vec<u8>,
    },
    Setup(Vec<u8>),
    Read(Vec<u8>),
}

fn read_request(input: &mut impl Read) -> io::Result<Option<Request>> {
    let mut kind = [0u8; 1];
    match input.read_exact(&mut kind) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let bad = || io::Error::from(io::ErrorKind::InvalidData);
    match kind[0] {
        OPEN => {
            let count = read_u32(input)?;
            let mut names = Vec::new();
            if count != u32::MAX {
                if count > 64 {
                    return Err(bad());
                }
                for _ in 0..count {
                    names.push(String::from_utf8_lossy(&read_short(input)?).into_owned());
                }
            }
            let bytes = read_block(input)?;
            Ok(Some(Request::Open {
                names,
                first: count == u32::MAX,
                bytes,
            }))
        }
        SETUP => Ok(Some(Request::Setup(read_block(input)?))),
        READ => Ok(Some(Request::Read(read_short(input)?))),
        _ => Err(bad()),
    }
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// A `u32` length, at most 64 KiB, and that many bytes (a sheet name, a job).
fn read_short(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let len = read_u32(input)? as usize;
    if len > 64 * 1024 {
        return Err(io::Error::from(io::ErrorKind::InvalidData));
    }
    let mut bytes = vec![0; len];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// A `u64` length and that many bytes.
fn read_block(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let mut bytes = Vec::new();
    input.take(u64::from_le_bytes(len)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_back() {
        let bytes = open_request(Pick::Named(&["基本信息", "数据"]), b"PK..");
        assert_eq!(
            read_request(&mut &bytes[..]).unwrap().unwrap(),
            Request::Open {
                names: vec!["基本信息".to_owned(), "数据".to_owned()],
                first: false,
                bytes: b"PK..".to_vec()
            }
        );
        let bytes = open_request(Pick::First, b"x");
        assert!(matches!(
            read_request(&mut &bytes[..]).unwrap().unwrap(),
            Request::Open { first: true, .. }
        ));
        let bytes = setup_request(b"context");
        assert_eq!(
            read_request(&mut &bytes[..]).unwrap().unwrap(),
            Request::Setup(b"context".to_vec())
        );
        let bytes = read_request_for("/in/2015/单位.xlsx".as_bytes());
        assert_eq!(
            read_request(&mut &bytes[..]).unwrap().unwrap(),
            Request::Read("/in/2015/单位.xlsx".as_bytes().to_vec())
        );
        assert!(read_request(&mut &b""[..]).unwrap().is_none(), "end of input");
        assert!(read_request(&mut &[9u8][..]).is_err(), "an unknown kind");
    }
}
