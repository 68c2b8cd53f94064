//! The floor for checking and site builds: bare comrak rendering every `.md`
//! file under a folder to HTML on the rayon pool (two threads in the
//! benchmarks), with the same extensions vejviser enables. Used by bench/*.py.

use rayon::prelude::*;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: comrak_baseline DIR");
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
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
            std::hint::black_box(html.len());
            text.len()
        })
        .sum();
    println!("{} files, {} bytes", files.len(), bytes);
}
