//! The images a document links to: found among the run's files by the path
//! the Markdown uses, recognised by their first bytes, measured.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Svg,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Svg => "image/svg+xml",
        }
    }
}

pub fn kind(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Kind::Png);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    head.contains("<svg").then_some(Kind::Svg)
}

/// The image at `src` as the run wrote it, if it did.
pub fn find<'a>(src: &str, images: &'a HashMap<String, Vec<u8>>) -> Option<(&'a [u8], Kind)> {
    let bytes = images.get(src)?;
    Some((bytes, kind(bytes)?))
}

/// A PNG for Word: the image itself, or the PNG the run wrote beside an SVG.
pub fn find_png<'a>(src: &str, images: &'a HashMap<String, Vec<u8>>) -> Option<&'a [u8]> {
    match find(src, images)? {
        (bytes, Kind::Png) => Some(bytes),
        (_, Kind::Svg) => {
            let png = format!("{}.png", src.strip_suffix(".svg")?);
            find(&png, images).filter(|(_, k)| *k == Kind::Png).map(|(b, _)| b)
        }
    }
}

/// Width and height in pixels from a PNG's IHDR chunk.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_dimensions_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(24, 0);
        png[16..20].copy_from_slice(&900u32.to_be_bytes());
        png[20..24].copy_from_slice(&520u32.to_be_bytes());
        assert_eq!(kind(&png), Some(Kind::Png));
        assert_eq!(png_size(&png), Some((900, 520)));
    }

    #[test]
    fn an_svg_link_finds_its_png_for_word() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(24, 1);
        let images = HashMap::from([
            ("charts/a.svg".to_owned(), b"<svg xmlns='x'/>".to_vec()),
            ("charts/a.png".to_owned(), png.clone()),
        ]);
        assert_eq!(find("charts/a.svg", &images).map(|(_, k)| k), Some(Kind::Svg));
        assert_eq!(find_png("charts/a.svg", &images), Some(&png[..]));
        assert_eq!(find_png("charts/b.png", &images), None);
    }
}
