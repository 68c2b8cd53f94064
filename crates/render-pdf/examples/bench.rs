//! Benchmark: render a synthetic ~25-page guideline and report ms per render and size.
//!
//! `cargo run --release -p vejviser-render-pdf --example bench [iterations] [out.pdf]`

use std::time::Instant;

use vejviser_render_pdf::sample::{sample_document, SampleSize};
use vejviser_render_pdf::{render, render_with_stats};

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let out = args.next();
    let doc = sample_document(&SampleSize::default());
    // warm-up (font parsing happens once per process)
    let (bytes, stats) = render_with_stats(&doc).expect("render");
    let mut best = f64::MAX;
    let mut total = 0.0;
    for _ in 0..iterations {
        let t = Instant::now();
        let b = render(&doc).expect("render");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(b.len(), bytes.len());
        best = best.min(ms);
        total += ms;
    }
    println!(
        "pages: {}  size: {} bytes ({:.1} KB)  mean: {:.2} ms  best: {:.2} ms  ({} iterations)",
        stats.pages,
        bytes.len(),
        bytes.len() as f64 / 1024.0,
        total / iterations as f64,
        best,
        iterations
    );
    let t = Instant::now();
    for _ in 0..iterations {
        vejviser_render_pdf::layout_lines(&doc).expect("layout");
    }
    println!(
        "layout only: {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0 / iterations as f64
    );
    if !stats.unresolved_links.is_empty() || !stats.replaced_chars.is_empty() {
        println!(
            "unresolved links: {:?}  replaced chars: {:?}",
            stats.unresolved_links, stats.replaced_chars
        );
    }
    if let Some(path) = out {
        std::fs::write(&path, &bytes).expect("write output");
        println!("wrote {path}");
    }
}
