//! `vejviser build`: check one guideline, then render its quick guide and full
//! page and its two PDFs (full guideline and quick guide) into one folder.

use crate::diag;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use vejviser_load::{CheckOptions, Registries, Source, SourceKind};
use vejviser_render_html::{Renderer, Theme, FULL_FILE, QUICK_FILE};
use vejviser_view::{GuidelineView, ViewOptions};

/// Check a guideline and render its HTML pages
#[derive(clap::Args)]
#[command(
    after_help = "The guideline is checked first: errors stop the build (exit status 1), warnings are printed and the build goes on.\n\nExamples:\n  vejviser build guidelines/dmsg/myelomatose-hdt/guideline.md\n  vejviser build guidelines/dmsg/myelomatose-hdt --out /tmp/preview\n  vejviser build guidelines/dmsg/myelomatose-hdt/archive/1.5.md --templates my-theme/"
)]
pub struct Args {
    /// The guideline: its `guideline.md`, an `archive/<version>.md`, or its folder
    path: PathBuf,
    /// Folder to write the pages to (default: build/<dmcg>/<slug>/, archived versions in <slug>/<version>/)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Folder whose files replace the built-in templates and stylesheet by name (see docs/html.md)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The date the revision status is computed for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Days before the planned update a guideline counts as due
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
    /// Do not write the PDFs (`<slug>-<version>.pdf` and `<slug>-<version>-quick.pdf`)
    #[arg(long)]
    no_pdf: bool,
}

pub fn run(a: Args) -> u8 {
    match build(&a) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            crate::EXIT_USAGE
        }
    }
}

fn build(a: &Args) -> Result<u8, String> {
    let file = guideline_file(&a.path)?;
    let source = Source::new(file.clone());
    let theme = match &a.templates {
        Some(dir) => Theme::with_overrides(dir).map_err(|e| e.to_string())?,
        None => Theme::builtin(),
    };
    // Compile the templates before checking, so a broken theme is reported at once.
    let renderer = Renderer::new(&theme).map_err(|e| e.to_string())?;
    let templates = vejviser_load::load_templates(&file).map_err(|e| e.to_string())?;
    let registries = Registries::default();
    let opts = CheckOptions {
        as_of: a.as_of.unwrap_or_else(super::today),
        due_within_days: a.due_within,
    };

    // 1. Check: errors stop the build, warnings are shown.
    let checked = vejviser_load::check_file(&source, &templates, &registries, &opts);
    if !checked.diagnostics.is_empty() {
        let mut err =
            codespan_reporting::term::termcolor::StandardStream::stderr(diag::color_stderr());
        diag::print_human(
            &source.display,
            &checked.text,
            &checked.diagnostics,
            &mut err,
        );
    }
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let Some(g) = checked.guideline.as_ref().filter(|_| errors == 0) else {
        eprintln!(
            "error: {}: not built: {errors} error(s); fix them and build again (`vejviser check` shows the same list)",
            source.display
        );
        return Ok(crate::EXIT_FINDINGS);
    };

    // 2. The view both renderers share.
    let template = templates
        .get(&g.template)
        .unwrap_or_else(|| templates.newest());
    let registry = registries.for_file(&source.path);
    let group = registry
        .as_ref()
        .as_ref()
        .ok()
        .and_then(|r| r.as_ref())
        .and_then(|r| r.get(&g.front.dmcg));
    let revision = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|p| p.date),
        g.front.planned_update,
        opts.as_of,
        opts.due_within_days,
    );
    let archived = matches!(source.kind, SourceKind::Archived { .. });
    let out = match &a.out {
        Some(dir) => dir.clone(),
        None => default_out(&g.front.dmcg, &source),
    };
    let mut view_opts = ViewOptions {
        archived,
        // Archived versions land in <slug>/<version>/ beside the current one by default.
        current_href: (archived && a.out.is_none()).then(|| "../".to_string()),
        ..ViewOptions::default()
    };
    // The PDFs are named here so that the pages link to them. Their creation date is
    // SOURCE_DATE_EPOCH or the approval date (the library reads no environment or clock).
    let pdf_date = if a.no_pdf {
        None
    } else {
        let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
        let date = vejviser_render_pdf::creation_date(sde.as_deref(), &g.front)
            .map_err(|e| e.to_string())?;
        let stem = format!("{}-{}", source.slug(), g.front.version);
        view_opts.pdf_full = Some(format!("{stem}.pdf"));
        view_opts.pdf_quick = Some(format!("{stem}-quick.pdf"));
        Some(date)
    };
    let view = GuidelineView::new(g, template, group, &revision, &view_opts);

    // 3. The pages.
    let quick = renderer.quick_guide(&view).map_err(|e| e.to_string())?;
    let full = renderer.full_page(&view).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out)
        .map_err(|e| format!("{}: cannot create the folder: {e}", out.display()))?;
    let mut written = Vec::new();
    for (name, bytes) in [(QUICK_FILE, quick.as_bytes()), (FULL_FILE, full.as_bytes())]
        .into_iter()
        .chain(renderer.assets())
    {
        written.push(write_atomic(&out, name, bytes)?);
    }
    if let Some(date) = pdf_date {
        let (full_pdf, quick_pdf) =
            vejviser_render_pdf::render_guideline_pdfs(&view, date).map_err(|e| e.to_string())?;
        for (name, bytes) in [
            (&view_opts.pdf_full, full_pdf),
            (&view_opts.pdf_quick, quick_pdf),
        ] {
            if let Some(name) = name {
                written.push(write_atomic(&out, name, &bytes)?);
            }
        }
    }
    let warnings = checked.diagnostics.len();
    let mut stdout = std::io::stdout().lock();
    for path in &written {
        let _ = writeln!(stdout, "{}", path.display());
    }
    if warnings > 0 {
        eprintln!("built {} with {warnings} warning(s)", out.display());
    } else {
        eprintln!("built {}", out.display());
    }
    Ok(crate::EXIT_OK)
}

/// The file a path names: a file as given, or a folder's `guideline.md`.
fn guideline_file(path: &Path) -> Result<PathBuf, String> {
    if path.is_dir() {
        let f = path.join("guideline.md");
        if f.is_file() {
            return Ok(f);
        }
        return Err(format!(
            "{}: no guideline.md in this folder; name the guideline file to build",
            path.display()
        ));
    }
    if !path.exists() {
        return Err(format!("{}: no such file or folder", path.display()));
    }
    Ok(path.to_path_buf())
}

/// `build/<dmcg>/<slug>/`, or `build/<dmcg>/<slug>/<version>/` for an archived file.
fn default_out(dmcg: &str, source: &Source) -> PathBuf {
    let group = if dmcg.is_empty() { "unknown" } else { dmcg };
    let mut p = PathBuf::from("build")
        .join(group.to_lowercase())
        .join(source.slug());
    if let SourceKind::Archived { version } = &source.kind {
        p.push(version);
    }
    p
}

/// Writes `dir/name` through a temporary file and a rename, so a reader never
/// sees half a page. Returns the path written.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: cannot write: {e}", path.display()));
    }
    Ok(path)
}
