//! The floor for checking and site builds: bare comrak rendering every `.md`
//! file under a folder to HTML on the rayon pool (two threads in the
//! benchmarks), with the same extensions vejviser enables. Used by bench/*.py
//! and bench/site.sh.
//!
//! `comrak_baseline DIR` renders and drops the HTML (the floor of `check`);
//! `comrak_baseline DIR OUT` also writes each file's HTML to `OUT`, under the
//! same relative path with `.html` for `.md` (the floor of a site build, which
//! writes its pages: the yardstick issue 13 first measured against).

use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: comrak_baseline DIR [OUT]"));
    let out = args.next().map(PathBuf::from);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let opts = vejviser_parse::comrak_options();
    let bytes: usize = files
        .par_iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("readable corpus file");
            let html = comrak::markdown_to_html(&text, &opts);
            match &out {
                Some(out) => write(&out.join(f.strip_prefix(&dir).expect("under DIR")), &html),
                None => {
                    std::hint::black_box(html.len());
                }
            }
            text.len()
        })
        .sum();
    println!("{} files, {} bytes", files.len(), bytes);
}

fn write(md: &Path, html: &str) {
    let path = md.with_extension("html");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("an output folder");
    }
    std::fs::write(&path, html).expect("a written page");
}
