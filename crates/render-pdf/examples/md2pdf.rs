//! Render a Markdown file to PDF with the default look (for trying the engine out).
//!
//! `cargo run -p vejviser-render-pdf --example md2pdf -- in.md out.pdf`

use vejviser_render_pdf::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: md2pdf IN.md OUT.pdf");
        std::process::exit(2);
    };
    let md = std::fs::read_to_string(&input).expect("read input");
    let opts = MdOptions {
        headings_in_toc: true,
        headings_in_outline: true,
        ..MdOptions::default()
    };
    let title = std::path::Path::new(&input)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc = Document {
        meta: Meta {
            title: title.clone(),
            author: String::new(),
            subject: String::new(),
            keywords: vec![],
            language: "da".into(),
            creation_date: Date::new(2025, 1, 1),
        },
        front_page: None,
        toc: true,
        blocks: markdown_to_blocks(&md, &opts),
        footer: Footer {
            left: title,
            right_version: String::new(),
        },
        status_line: None,
        watermark: None,
        labels: Labels::danish(),
    };
    let (bytes, stats) = render_with_stats(&doc).expect("render");
    std::fs::write(&output, bytes).expect("write output");
    println!("{} pages, {:?}", stats.pages, stats);
}
