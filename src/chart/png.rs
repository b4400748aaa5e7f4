//! A scene written as PNG: shapes through plotters at twice the size and averaged down (plotters does not
//! anti-alias), then text rasterised with the embedded font, then a plain PNG encoding.

use plotters::prelude::*;

use super::font;
use super::scene::Scene;
use super::svg::{draw_shapes, drawing_error};
use super::ChartError;

/// Shapes are drawn at this multiple and averaged down for smooth edges.
const SUPERSAMPLE: u32 = 2;

pub(crate) fn render_png(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    let (width, height) = (scene.width, scene.height);
    let (w, h) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = vec![255u8; (w as usize) * (h as usize) * 3];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        draw_shapes(&root, &scene.shapes, SUPERSAMPLE as f64)?;
        root.present().map_err(drawing_error)?;
    }
    let mut rgb = downsample(&big, w, SUPERSAMPLE);
    for label in &scene.labels {
        font::draw_label(&mut rgb, width, height, label)?;
    }
    encode_png(&rgb, width, height)
}

/// Averages each `factor` x `factor` block of an RGB buffer `width` pixels wide.
fn downsample(big: &[u8], width: u32, factor: u32) -> Vec<u8> {
    let (f, big_w) = (factor as usize, width as usize);
    let (out_w, out_h) = (big_w / f, big.len() / 3 / big_w / f);
    let mut out = vec![0u8; out_w * out_h * 3];
    for y in 0..out_h {
        for x in 0..out_w {
            for c in 0..3 {
                let sum: usize = (0..f * f)
                    .map(|k| big[((y * f + k / f) * big_w + x * f + k % f) * 3 + c] as usize)
                    .sum();
                out[(y * out_w + x) * 3 + c] = ((sum + f * f / 2) / (f * f)) as u8;
            }
        }
    }
    out
}

/// Plain 8-bit RGB PNG: no time or text chunks, so equal pixels give equal bytes.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let png_error = |e: png::EncodingError| ChartError(format!("PNG encoding failed: {e}"));
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(rgb).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_averages_blocks() {
        let big = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&big, 2, 2), vec![191, 191, 191]);
    }
}
