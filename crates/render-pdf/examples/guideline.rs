//! Render one guideline file to its full and quick PDFs (for trying the layout out).
//!
//! `cargo run -p vejviser-render-pdf --example guideline -- FILE.md OUT_DIR [AS_OF]`
//!
//! `AS_OF` (YYYY-MM-DD, default 2026-01-01) decides the revision status shown.

use std::path::Path;
use vejviser_render_pdf::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: guideline FILE.md OUT_DIR [AS_OF]");
        std::process::exit(2);
    }
    let path = Path::new(&args[0]);
    let out = Path::new(&args[1]);
    let as_of = args
        .get(2)
        .map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("AS_OF: YYYY-MM-DD"))
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid"));
    let templates = vejviser_load::load_templates(path).expect("templates");
    let bytes = std::fs::read(path).expect("read guideline");
    let parsed = vejviser_parse::parse(&path.display().to_string(), &bytes, &templates);
    let g = parsed.guideline.expect("guideline parses");
    let registries = vejviser_load::Registries::default();
    let reg = registries.for_file(path);
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
    let view = vejviser_view::GuidelineView::new(
        &g,
        template,
        group.as_ref(),
        &rev,
        &vejviser_view::ViewOptions::default(),
    );
    let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
    let date = creation_date(sde.as_deref(), &g.front).expect("SOURCE_DATE_EPOCH");
    std::fs::create_dir_all(out).expect("create OUT_DIR");
    let stem = format!(
        "{}-{}",
        path.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "guideline".into()),
        g.front.version
    );
    for (name, doc) in [
        (format!("{stem}.pdf"), full_document(&view, date)),
        (format!("{stem}-quick.pdf"), quick_document(&view, date)),
    ] {
        let (bytes, stats) = render_with_stats(&doc).expect("render");
        std::fs::write(out.join(&name), &bytes).expect("write PDF");
        println!(
            "{name}: {} pages, {} bytes, unresolved links {:?}, replaced chars {:?}",
            stats.pages,
            bytes.len(),
            stats.unresolved_links,
            stats.replaced_chars
        );
    }
}
