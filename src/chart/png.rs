//! A scene written as PNG: shapes through plotters at twice the size and averaged down (plotters does not
//! anti-alias), then text rasterised with the embedded font, then a plain PNG encoding.

use std::cell::RefCell;

use plotters::prelude::*;

use super::font;
use super::scene::Scene;
use super::svg::{draw_shapes, drawing_error};
use super::ChartError;

/// Shapes are drawn at this multiple and averaged down for smooth edges.
const SUPERSAMPLE: u32 = 2;

/// Room the canvas is given at once: a supersampled chart up to this many
/// pixels tall on the page. Charts differ in height (244 to 1,169 pixels in
/// the sample), and a canvas grown for each taller one was moved to fresh
/// memory, every page of it faulted in again. Room not drawn on is never
/// touched, and costs no memory.
const ROOM_FOR_HEIGHT: usize = 2000;

thread_local! {
    /// The supersampled canvas, kept for this thread's next chart: a fresh
    /// 11 MB buffer per chart was a third of drawing one, in page faults.
    static CANVAS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn render_png(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    let (width, height) = (scene.width, scene.height);
    let (w, h) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = CANVAS.take();
    big.clear();
    let room = (w as usize) * (ROOM_FOR_HEIGHT * SUPERSAMPLE as usize) * 3;
    big.reserve(room.max((w as usize) * (h as usize) * 3));
    big.resize((w as usize) * (h as usize) * 3, 255);
    let drawn = (|| {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        draw_shapes(&root, &scene.shapes, SUPERSAMPLE as f64)?;
        root.present().map_err(drawing_error)
    })();
    let rgb = drawn.map(|()| downsample(&big, w, SUPERSAMPLE));
    CANVAS.set(big);
    let mut rgb = rgb?;
    for label in &scene.labels {
        font::draw_label(&mut rgb, width, height, label)?;
    }
    encode_png(&rgb, width, height)
}

/// Frees the canvases kept by the threads that drew charts (see [`CANVAS`]).
pub fn release_canvases() {
    rayon::broadcast(|_| CANVAS.take());
    CANVAS.take();
}

/// Averages each `factor` x `factor` block of an RGB buffer `width` pixels wide.
/// Row by row, each output row from its `factor` input rows as slices: a
/// chart's supersampled buffer is 14 MB, and indexing each byte through
/// divisions took a fifth of the PNG's time.
fn downsample(big: &[u8], width: u32, factor: u32) -> Vec<u8> {
    let (f, big_w) = (factor as usize, width as usize);
    let (out_w, out_h) = (big_w / f, big.len() / 3 / big_w / f);
    let (area, half) = (f * f, f * f / 2);
    let mut out = vec![0u8; out_w * out_h * 3];
    let mut sums = vec![0usize; out_w * 3];
    for (y, out_row) in out.chunks_exact_mut(out_w * 3).enumerate() {
        sums.fill(0);
        for k in 0..f {
            let row = &big[(y * f + k) * big_w * 3..][..big_w * 3];
            for (x, sum) in sums.chunks_exact_mut(3).enumerate() {
                for dx in 0..f {
                    let px = &row[(x * f + dx) * 3..][..3];
                    sum[0] += px[0] as usize;
                    sum[1] += px[1] as usize;
                    sum[2] += px[2] as usize;
                }
            }
        }
        for (o, s) in out_row.iter_mut().zip(&sums) {
            *o = ((s + half) / area) as u8;
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
    fn a_canvas_drawn_for_a_short_chart_is_not_moved_for_a_tall_one() {
        let scene = |height| Scene {
            width: 300,
            height,
            shapes: Vec::new(),
            labels: Vec::new(),
        };
        render_png(&scene(100)).unwrap();
        let short = CANVAS.with_borrow(|canvas| canvas.as_ptr());
        render_png(&scene(1900)).unwrap();
        let tall = CANVAS.with_borrow(|canvas| canvas.as_ptr());
        assert_eq!(short, tall, "moved to fresh memory");
    }

    #[test]
    fn downsample_averages_blocks() {
        let big = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&big, 2, 2), vec![191, 191, 191]);
    }

    #[test]
    fn downsample_keeps_each_block_and_channel_apart() {
        // 4 x 2 pixels into 2 x 1: each channel of each block on its own.
        let big = [
            10, 20, 30, 10, 20, 30, 0, 0, 0, 200, 100, 50, //
            10, 20, 30, 10, 20, 31, 0, 0, 0, 200, 100, 50,
        ];
        assert_eq!(downsample(&big, 4, 2), vec![10, 20, 30, 100, 50, 25]);
    }
}
