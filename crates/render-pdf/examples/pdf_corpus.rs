//! Benchmark: the full and quick PDFs of every guideline of a corpus.
//!
//! `cargo run --release -p vejviser-render-pdf --example pdf_corpus -- GUIDELINES_DIR [THREADS]`
//!
//! Files are read, parsed and turned into views first (not timed). Then:
//! 1. one core: each guideline's full PDF is rendered on this thread, one after the
//!    other; prints ms per guideline (wall and CPU time) and ms per 25 pages;
//! 2. `THREADS` cores (default 2): every PDF of the corpus, full and quick, rendered
//!    with rayon; prints the wall time, and the time including reading, parsing and
//!    building the views.
//!
//! `bench/pdf.py` generates the corpus, builds this in release mode and runs it.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use vejviser_model::Guideline;
use vejviser_render_pdf::*;
use vejviser_view::{GuidelineView, ViewOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pdf_corpus GUIDELINES_DIR [THREADS]");
        std::process::exit(2);
    };
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("valid date");

    let t_all = Instant::now();
    let loaded = load_all(&dir, as_of);
    let load_s = t_all.elapsed().as_secs_f64();
    println!(
        "corpus: {} guideline files ({} did not parse), loaded in {:.2} s",
        loaded.len(),
        count_files(&dir) - loaded.len(),
        load_s
    );

    // 1. One core, full PDFs, one after the other.
    let _warm = render(&full_document(&loaded[0].1, loaded[0].2)).expect("render");
    let mut rows = Vec::with_capacity(loaded.len());
    for (_, v, date) in &loaded {
        let doc = full_document(v, *date);
        let cpu0 = thread_cpu_ns();
        let t = Instant::now();
        let (bytes, stats) = render_with_stats(&doc).expect("render");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let cpu = thread_cpu_ns()
            .zip(cpu0)
            .map(|(b, a)| (b - a) as f64 / 1e6)
            .unwrap_or(ms);
        rows.push((ms, cpu, stats.pages, bytes.len()));
    }
    let n = rows.len() as f64;
    let mut walls: Vec<f64> = rows.iter().map(|r| r.0).collect();
    walls.sort_by(f64::total_cmp);
    let cpu_total: f64 = rows.iter().map(|r| r.1).sum();
    let pages_total: usize = rows.iter().map(|r| r.2).sum();
    let bytes_total: usize = rows.iter().map(|r| r.3).sum();
    let biggest = rows.iter().max_by_key(|r| r.3).expect("rows");
    println!(
        "one core, full PDF: mean {:.2} ms wall, {:.2} ms CPU per guideline; median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        walls.iter().sum::<f64>() / n,
        cpu_total / n,
        walls[walls.len() / 2],
        walls[(walls.len() * 95 / 100).min(walls.len() - 1)],
        walls[walls.len() - 1]
    );
    println!(
        "  pages: mean {:.1}, max {}; {:.2} ms CPU per 25 pages; size: mean {:.0} KB, largest {:.0} KB ({} pages)",
        pages_total as f64 / n,
        rows.iter().map(|r| r.2).max().unwrap_or(0),
        cpu_total / pages_total as f64 * 25.0,
        bytes_total as f64 / n / 1024.0,
        biggest.3 as f64 / 1024.0,
        biggest.2
    );

    // 2. Every PDF (full and quick) on `threads` cores.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let cpu0 = process_cpu_s();
    let t = Instant::now();
    let written: usize = pool.install(|| {
        loaded
            .par_iter()
            .map(|(_, v, date)| {
                let (full, quick) = render_guideline_pdfs(v, *date).expect("render");
                full.len() + quick.len()
            })
            .sum()
    });
    let render_s = t.elapsed().as_secs_f64();
    let render_cpu = process_cpu_s().zip(cpu0).map(|(b, a)| b - a);
    let cpu0 = process_cpu_s();
    let t = Instant::now();
    pool.install(|| {
        let again = load_all(&dir, as_of);
        again.par_iter().for_each(|(_, v, date)| {
            render_guideline_pdfs(v, *date).expect("render");
        });
    });
    let end_to_end_s = t.elapsed().as_secs_f64();
    let end_to_end_cpu = process_cpu_s().zip(cpu0).map(|(b, a)| b - a);
    println!(
        "{threads} cores: all {} PDFs ({} full + {} quick, {:.1} MB) rendered in {:.2} s wall; with reading, parsing and views {:.2} s wall",
        loaded.len() * 2,
        loaded.len(),
        loaded.len(),
        written as f64 / 1e6,
        render_s,
        end_to_end_s
    );
    if let (Some(r), Some(e)) = (render_cpu, end_to_end_cpu) {
        // On a shared machine the wall time includes waiting for a core; the CPU time
        // divided by the thread count is what the run takes on free cores.
        println!(
            "  CPU time: rendering {r:.2} s ({:.2} s on {threads} free cores); with reading, parsing and views {e:.2} s ({:.2} s on {threads} free cores)",
            r / threads as f64,
            e / threads as f64
        );
    }
}

/// User + system CPU time of the whole process in seconds (Linux, 100 ticks a second).
fn process_cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

type Loaded = (Guideline, GuidelineView, Date);

/// Every guideline file under `dir` (archives included), parsed, with its view and date.
fn load_all(dir: &std::path::Path, as_of: chrono::NaiveDate) -> Vec<Loaded> {
    let sources = vejviser_load::discover(&[dir.to_path_buf()], true).expect("corpus folder");
    let templates = vejviser_load::load_templates(dir).expect("templates");
    let registries = vejviser_load::Registries::default();
    sources
        .par_iter()
        .filter_map(|s| {
            let bytes = std::fs::read(&s.path).ok()?;
            let g = vejviser_parse::parse(&s.display, &bytes, &templates).guideline?;
            let reg = registries.for_file(&s.path);
            let group = reg
                .as_ref()
                .as_ref()
                .ok()
                .and_then(|r| r.as_ref())
                .and_then(|r| r.get(&g.front.dmcg))
                .cloned();
            let rev = vejviser_revision::revision(
                g.front.professional_approval.as_ref().map(|a| a.date),
                g.front.planned_update,
                as_of,
                vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
            );
            let template = templates
                .get(&g.template)
                .unwrap_or_else(|| templates.newest());
            let opts = ViewOptions {
                archived: matches!(s.kind, vejviser_load::SourceKind::Archived { .. }),
                ..ViewOptions::default()
            };
            let v = GuidelineView::new(&g, template, group.as_ref(), &rev, &opts);
            let date = creation_date(None, &g.front).expect("no SOURCE_DATE_EPOCH given");
            Some((g, v, date))
        })
        .collect()
}

fn count_files(dir: &std::path::Path) -> usize {
    vejviser_load::discover(&[dir.to_path_buf()], true)
        .map(|s| s.len())
        .unwrap_or(0)
}

/// CPU time of the current thread in nanoseconds (Linux), so that the figure is not
/// inflated when other processes compete for the cores.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
