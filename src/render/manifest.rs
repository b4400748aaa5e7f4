//! manifest.json: what went in and what came out, with hashes, so a report
//! can be traced to its workbooks. No clock time: the same input gives the
//! same bytes.

use serde::Serialize;

use crate::output::Written;

#[derive(Serialize)]
struct Manifest<'a> {
    program: Program,
    run: &'a Run,
    catalogue: FileHash,
    templates: &'a [TemplateHash],
    inputs: &'a [InputFile],
    outputs: Vec<FileHash>,
}

#[derive(Serialize)]
struct Program {
    name: &'static str,
    version: &'static str,
}

/// What was asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub command: &'static str,
    /// `2015` or `2016-06`.
    pub period: String,
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Relative to the input folder.
    pub file: String,
    /// `None` for a skipped file that could not be read as a regular file.
    pub sha256: Option<String>,
    /// What became of it: `catalogue`, `registry`, `counted`, `not counted`, `skipped`.
    pub role: &'static str,
}

#[derive(Serialize)]
struct FileHash {
    file: String,
    sha256: String,
}

/// A template a render loaded: its name, where it came from (`built-in` or
/// its file) and the SHA-256 of its text.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateHash {
    pub name: String,
    pub origin: String,
    pub sha256: String,
}

/// The manifest of `outputs` (which must not include the manifest itself).
pub fn manifest_json(run: &Run, inputs: &[InputFile], templates: &[TemplateHash], outputs: &[Written]) -> Vec<u8> {
    let catalogue = inputs
        .iter()
        .find(|i| i.role == "catalogue")
        .map(|i| FileHash {
            file: i.file.clone(),
            sha256: i.sha256.clone().unwrap_or_default(),
        })
        .unwrap_or(FileHash {
            file: "report.toml".into(),
            sha256: String::new(),
        });
    let mut outputs: Vec<FileHash> = outputs
        .iter()
        .map(|o| FileHash {
            file: o.path.clone(),
            sha256: o.sha256.clone(),
        })
        .collect();
    outputs.sort_by(|a, b| a.file.cmp(&b.file));
    let manifest = Manifest {
        program: Program {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        run,
        catalogue,
        templates,
        inputs,
        outputs,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    bytes.push(b'\n');
    bytes
}
