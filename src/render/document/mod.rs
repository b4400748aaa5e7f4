//! report.html and report.docx from the one rendered Markdown: parsed once
//! into a [`model::Document`], written by two writers, so md, html and docx
//! carry the same content. Text is cleaned of what XML forbids first, and
//! the caller learns what was removed.

mod clean;
mod docx;
mod html;
mod image;
mod layout;
pub mod model;
mod parse;

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use chrono::NaiveDate;

pub use parse::parse;

/// What the documents say about themselves (Word's document properties,
/// the html's `<title>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Used when the Markdown has no `#` title.
    pub title: String,
    pub organisation: String,
    /// The report's date (`--as-of` or from the data); never the clock.
    pub date: Option<NaiveDate>,
}

pub struct Rendered {
    pub html: Vec<u8>,
    pub docx: Vec<u8>,
    /// Characters XML forbids (control characters …) that were removed from
    /// the text, each once, in code point order.
    pub removed_chars: Vec<char>,
}

/// Lay out `markdown` as report.html and report.docx; `images` maps the
/// paths it links to (`charts/01-1.png`) to their bytes.
pub fn render(markdown: &str, images: &HashMap<String, Vec<u8>>, meta: &DocMeta) -> Result<Rendered> {
    let mut removed = BTreeSet::new();
    let markdown = clean::clean(markdown, &mut removed);
    let doc = parse(&markdown);
    let meta = DocMeta {
        title: clean::clean(doc.title.as_deref().unwrap_or(&meta.title), &mut removed),
        organisation: clean::clean(&meta.organisation, &mut removed),
        date: meta.date,
    };
    Ok(Rendered {
        html: html::html(&doc, images, &meta).into_bytes(),
        docx: docx::docx(&doc, images, &meta)?,
        removed_chars: removed.into_iter().collect(),
    })
}
