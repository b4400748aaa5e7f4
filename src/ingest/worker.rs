//! The reading worker: the same binary started as `annual-report
//! __read-worker <memory bytes>` (see `main.rs`). It limits its own memory,
//! then opens each workbook sent on stdin and answers on stdout, until
//! stdin closes. Whatever a file does to the reader — abort on a failed
//! allocation, loop, overflow its stack — ends this process only; the
//! parent (`pool.rs`) names the file and goes on.
//!
//! The protocol, all integers little-endian: the worker first writes
//! [`GREETING`]. A request is the sheet names picked (`u32` count, or
//! `u32::MAX` for the first sheet; each name a `u32` length and UTF-8),
//! then the file (`u64` length and bytes). An answer is a `u64` length and
//! the postcard bytes of `wire.rs`.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use super::open::{open, Pick};
use super::wire;

/// The hidden first argument that makes the binary a worker.
pub const ARG: &str = "__read-worker";

/// What a worker says first, so that a program that is not one (a test
/// binary's `current_exe`) is told apart at once.
pub const GREETING: &[u8] = b"annual-report read worker 1\n";

/// Serve requests until stdin closes.
pub fn serve() -> ExitCode {
    crate::child::confine(std::env::args().nth(2).and_then(|a| a.parse::<u64>().ok()));
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    if output.write_all(GREETING).and_then(|_| output.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    loop {
        let (names, first, bytes) = match read_request(&mut input) {
            Ok(Some(request)) => request,
            Ok(None) => return ExitCode::SUCCESS,
            Err(_) => return ExitCode::FAILURE,
        };
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let wanted = if first { Pick::First } else { Pick::Named(&refs) };
        let answer = wire::encode(&open(&bytes, wanted));
        drop(bytes);
        let sent = output
            .write_all(&(answer.len() as u64).to_le_bytes())
            .and_then(|_| output.write_all(&answer))
            .and_then(|_| output.flush());
        if sent.is_err() {
            return ExitCode::FAILURE;
        }
    }
}

/// A request as bytes.
pub fn request(wanted: Pick<'_>, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    match wanted {
        Pick::First => out.extend(u32::MAX.to_le_bytes()),
        Pick::Named(names) => {
            out.extend((names.len() as u32).to_le_bytes());
            for n in names {
                out.extend((n.len() as u32).to_le_bytes());
                out.extend(n.as_bytes());
            }
        }
    }
    out.extend((bytes.len() as u64).to_le_bytes());
    out.extend(bytes);
    out
}

type Request = (Vec<String>, bool, Vec<u8>);

fn read_request(input: &mut impl Read) -> io::Result<Option<Request>> {
    let mut count = [0u8; 4];
    match input.read_exact(&mut count) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let count = u32::from_le_bytes(count);
    let mut names = Vec::new();
    let bad = || io::Error::from(io::ErrorKind::InvalidData);
    if count != u32::MAX {
        if count > 64 {
            return Err(bad());
        }
        for _ in 0..count {
            let len = read_u32(input)? as usize;
            if len > 4096 {
                return Err(bad());
            }
            let mut name = vec![0; len];
            input.read_exact(&mut name)?;
            names.push(String::from_utf8_lossy(&name).into_owned());
        }
    }
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let mut bytes = Vec::new();
    input.take(u64::from_le_bytes(len)).read_to_end(&mut bytes)?;
    Ok(Some((names, count == u32::MAX, bytes)))
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back() {
        let bytes = request(Pick::Named(&["基本信息", "数据"]), b"PK..");
        let (names, first, file) = read_request(&mut &bytes[..]).unwrap().unwrap();
        assert_eq!(
            (names, first, file),
            (vec!["基本信息".to_owned(), "数据".to_owned()], false, b"PK..".to_vec())
        );
        let bytes = request(Pick::First, b"x");
        assert!(read_request(&mut &bytes[..]).unwrap().unwrap().1);
        assert!(read_request(&mut &b""[..]).unwrap().is_none(), "end of input");
    }
}
