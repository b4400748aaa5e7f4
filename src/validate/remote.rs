//! Reading a submission in a reading worker (`ingest::worker`): the worker
//! is set up once with the year, the catalogue and the registry, then
//! reads, hashes, opens and checks each file by its path and answers with
//! the checked submission. The parent never handles a file's bytes or its
//! cells, and the grid is built once, where the file is read.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::ingest::discover::Found;
use crate::ingest::worker;
use crate::registry::Registry;

use super::submission::Submission;

/// What a worker is set up with, as the parent sends it …
#[derive(Serialize)]
struct SetupRef<'a> {
    year: i32,
    catalogue: &'a Catalogue,
    registry: &'a Registry,
}

/// … and as the worker reads it (the same fields in the same order).
#[derive(Deserialize)]
struct Setup {
    year: i32,
    catalogue: Catalogue,
    registry: Registry,
}

/// The setup bytes for reading `year`'s submissions.
pub fn setup_bytes(year: i32, catalogue: &Catalogue, registry: &Registry) -> Vec<u8> {
    let setup = SetupRef {
        year,
        catalogue,
        registry,
    };
    postcard::to_allocvec(&setup).unwrap_or_default()
}

/// The job of reading one file; `None` when its path is not UTF-8 (then
/// it is read in-process).
pub fn job(found: &Found) -> Option<Vec<u8>> {
    postcard::to_allocvec(found).ok()
}

/// The worker's side ([`worker::Setup`]): the reader of
/// jobs, each answered with the postcard bytes of its submission (none
/// when the job cannot be understood: the parent then reports the file).
pub fn setup(bytes: &[u8]) -> Option<worker::Job> {
    let setup: Setup = postcard::from_bytes(bytes).ok()?;
    Some(Box::new(move |job: &[u8]| {
        let Ok(found) = postcard::from_bytes::<Found>(job) else {
            return Vec::new();
        };
        let submission = super::read_here(&found, setup.year, &setup.catalogue, &setup.registry);
        postcard::to_allocvec(&submission).unwrap_or_default()
    }))
}

/// The parent's side: a worker's answer as a submission.
pub fn decode(answer: &[u8]) -> Result<Submission, postcard::Error> {
    postcard::from_bytes(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_names_its_file_and_a_path_that_is_not_utf8_is_kept_here() {
        let found = Found {
            path: "/in/2015/单位.xlsx".into(),
            rel: "2015/单位.xlsx".into(),
            ext: "xlsx".into(),
        };
        let sent: Found = postcard::from_bytes(&job(&found).unwrap()).unwrap();
        assert_eq!((sent.path, sent.rel, sent.ext), (found.path, found.rel, found.ext));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Found {
                path: std::ffi::OsStr::from_bytes(b"/in/2015/\xff.xlsx").into(),
                rel: "2015/\u{FFFD}.xlsx".into(),
                ext: "xlsx".into(),
            };
            assert!(job(&odd).is_none());
        }
    }
}
