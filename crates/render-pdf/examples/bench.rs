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
    let cpu0 = thread_cpu_ns();
    for _ in 0..iterations {
        let t = Instant::now();
        let b = render(&doc).expect("render");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(b.len(), bytes.len());
        best = best.min(ms);
        total += ms;
    }
    let cpu = thread_cpu_ns()
        .zip(cpu0)
        .map(|(b, a)| (b - a) as f64 / 1e6 / iterations as f64);
    println!(
        "pages: {}  size: {} bytes ({:.1} KB)  mean: {:.2} ms  best: {:.2} ms  ({} iterations)",
        stats.pages,
        bytes.len(),
        bytes.len() as f64 / 1024.0,
        total / iterations as f64,
        best,
        iterations
    );
    if let Some(cpu) = cpu {
        println!("cpu time per render (this thread, excludes waiting for a core): {cpu:.2} ms");
    }
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

/// CPU time of the current thread in nanoseconds (Linux), so that the figure is not
/// inflated when other processes compete for the cores.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
