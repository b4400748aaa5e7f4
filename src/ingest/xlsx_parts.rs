//! Where an .xlsx keeps its workbook and sheets, resolved as calamine
//! resolves them (`_rels/.rels`, then the workbook's relationships), so
//! that the sheets calamine will read can be checked before it reads them.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

use super::open::OpenError;
use super::repack::Inflated;
use super::zipcheck::{self, Archive, PartBytes};

/// Where the workbook's parts are, resolved as calamine resolves them.
pub(super) struct Parts {
    /// The folder of workbook.xml, with its slash (`xl/`).
    pub dir: String,
    /// Sheet name → part path.
    pub sheets: HashMap<String, String>,
    /// The sheets' names in workbook order.
    pub order: Vec<String>,
    /// Lower-case path → path as stored (calamine looks names up so).
    pub names: HashMap<String, String>,
}

impl Parts {
    /// The parts inflated to find them are kept in `inflated`.
    pub fn find(zip: &mut Archive<'_>, inflated: &mut Inflated) -> Result<Parts, OpenError> {
        let names: HashMap<String, String> = zip
            .file_names()
            .flatten()
            .map(|n| (n.to_lowercase(), n.into_owned()))
            .collect();
        let mut parts = Parts {
            dir: "xl/".into(),
            sheets: HashMap::new(),
            order: Vec::new(),
            names,
        };
        let mut workbook = "workbook.xml".to_owned();
        for rel in parts.relationships(zip, "_rels/.rels", inflated)? {
            if rel.kind.ends_with("/relationships/officeDocument") {
                let (dir, name) = rel.target.rsplit_once('/').unwrap_or(("", &rel.target));
                parts.dir = if dir.is_empty() {
                    String::new()
                } else {
                    format!("{}/", dir.trim_start_matches('/'))
                };
                workbook = name.to_owned();
            }
        }
        let rels = parts.relationships(zip, &format!("{}_rels/{workbook}.rels", parts.dir), inflated)?;
        let targets: HashMap<&str, &str> = rels.iter().map(|r| (r.id.as_str(), r.target.as_str())).collect();
        let Some(part) = parts.bytes(zip, &format!("{}{workbook}", parts.dir))? else {
            return Ok(parts);
        };
        let sheets = start_tags(&part.bytes, "sheet");
        inflated.keep(part);
        for e in sheets {
            let (Some(name), Some(id)) = (attr(&e, "name"), attr_local(&e, "id")) else {
                continue;
            };
            if let Some(target) = targets.get(id.as_str()) {
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => format!("{}{target}", parts.dir),
                };
                parts.order.push(name.clone());
                parts.sheets.insert(name, path);
            }
        }
        Ok(parts)
    }

    /// A part whole, looked up as calamine looks it up, and its index.
    fn bytes(&self, zip: &mut Archive<'_>, path: &str) -> Result<Option<PartBytes>, OpenError> {
        match self.names.get(&path.to_lowercase()) {
            Some(stored) => zipcheck::part_bytes_at(zip, stored),
            None => Ok(None),
        }
    }

    fn relationships(
        &self,
        zip: &mut Archive<'_>,
        path: &str,
        inflated: &mut Inflated,
    ) -> Result<Vec<Relationship>, OpenError> {
        let Some(part) = self.bytes(zip, path)? else {
            return Ok(Vec::new());
        };
        let found = start_tags(&part.bytes, "Relationship")
            .iter()
            .map(|e| Relationship {
                id: attr(e, "Id").unwrap_or_default(),
                kind: attr(e, "Type").unwrap_or_default(),
                target: attr(e, "Target").unwrap_or_default(),
            })
            .collect();
        inflated.keep(part);
        Ok(found)
    }
}

struct Relationship {
    id: String,
    kind: String,
    target: String,
}

pub(super) fn xml_reader<R: BufRead>(input: R) -> quick_xml::Reader<R> {
    let mut xml = quick_xml::Reader::from_reader(input);
    xml.config_mut().check_end_names = false;
    xml
}

/// The start tags with this local name in a small part.
pub(super) fn start_tags(xml: &[u8], local: &str) -> Vec<BytesStart<'static>> {
    let mut reader = xml_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => out.push(e.into_owned()),
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
    }
}

pub(super) fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// An attribute by its local name (`r:id`, whatever the prefix).
fn attr_local(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}
