//! `vejviser build`: check one guideline, then render its quick guide and full
//! page and its two PDFs (full guideline and quick guide) into one folder.

use crate::diag;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use vejviser_load::{CheckOptions, Registries, Source, SourceKind};
use vejviser_model::Guideline;
use vejviser_render_html::{Renderer, Theme};
use vejviser_template::TemplateSet;
use vejviser_view::{GuidelineView, ViewOptions};

/// Check a guideline and render its HTML pages
#[derive(clap::Args)]
#[command(
    after_help = "The guideline is checked first: errors stop the build (exit status 1), warnings are printed and the build goes on.\n\nExamples:\n  vejviser build guidelines/dmsg/myelomatose-hdt/guideline.md\n  vejviser build guidelines/dmsg/myelomatose-hdt --out /tmp/preview\n  vejviser build guidelines/dmsg/myelomatose-hdt/archive/1.5.md --templates my-theme/"
)]
pub struct Args {
    /// The guideline: its `guideline.md`, an `archive/<version>.md`, or its folder
    path: PathBuf,
    /// Folder to write the pages to (default: `build/<dmcg>/<slug>/`, archived versions in `<slug>/<version>/`)
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
    /// The site's public address (as `vejviser site --base-url`): the quick PDF then names
    /// the guideline's address on the site (`<URL>/<group>/<slug>/`), so a printout can be
    /// checked against the current version
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

pub fn run(a: Args) -> u8 {
    match build(&a) {
        Ok(code) => code,
        Err(message) => {
            crate::out::errln!("error: {message}");
            crate::EXIT_USAGE
        }
    }
}

fn build(a: &Args) -> Result<u8, String> {
    let file = guideline_file(&a.path)?;
    let source = Source::new(file.clone());
    // Checked before anything is read or built, as `vejviser site` does.
    let address = match &a.base_url {
        None => None,
        Some(url) => {
            let shown = vejviser_diagnostics::terminal_safe(url);
            match vejviser_site::base_url::check(url) {
                Ok(None) => {}
                Ok(Some(why)) => crate::out::errln!("warning: --base-url {shown}: {why}"),
                Err(why) => return Err(format!("--base-url {shown}: {why}")),
            }
            Some(site_address(url, &source)?)
        }
    };
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
        crate::out::errln!(
            "error: {}: not built: {errors} error(s); fix them and build again (`vejviser check` shows the same list)",
            source.display
        );
        return Ok(crate::EXIT_FINDINGS);
    };

    // 2. The pages and PDFs, all rendered before anything is written.
    let archived = matches!(source.kind, SourceKind::Archived { .. });
    let out = match &a.out {
        Some(dir) => dir.clone(),
        None => default_out(&g.front.dmcg, &source)?,
    };
    check_out(&file, &out)?;
    let settings = RenderSettings {
        renderer: &renderer,
        templates: &templates,
        registries: &registries,
        check: &opts,
        // Archived versions land in <slug>/<version>/ beside the current one by default.
        current_href: (archived && a.out.is_none()).then(|| "../".to_string()),
        pdf: !a.no_pdf,
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        address,
    };
    let files = render_files(g, &source, &settings)?;

    // 3. Written all at once: every file to a temporary name first, then renamed.
    std::fs::create_dir_all(&out)
        .map_err(|e| format!("{}: cannot create the folder: {e}", out.display()))?;
    let written = write_all(&out, &files)?;
    let warnings = checked.diagnostics.len();
    let mut stdout = std::io::stdout().lock();
    for path in &written {
        let _ = writeln!(stdout, "{}", path.display());
    }
    if warnings > 0 {
        crate::out::errln!("built {} with {warnings} warning(s)", out.display());
    } else {
        crate::out::errln!("built {}", out.display());
    }
    Ok(crate::EXIT_OK)
}

/// What [`render_files`] needs besides the guideline.
pub struct RenderSettings<'a> {
    pub renderer: &'a Renderer,
    pub templates: &'a TemplateSet,
    pub registries: &'a Registries,
    pub check: &'a CheckOptions,
    /// Link to the current version, on an archived version's pages.
    pub current_href: Option<String>,
    /// Render the two PDFs too.
    pub pdf: bool,
    /// The `SOURCE_DATE_EPOCH` variable, for the PDFs' creation date.
    pub source_date_epoch: Option<String>,
    /// The guideline's stable address on the site, printed on the quick PDF.
    pub address: Option<String>,
}

/// The files of a guideline that checked without errors, by name, in memory:
/// the quick guide, the full page, the stylesheet and (with `pdf`) the two
/// PDFs `<slug>-<version>.pdf` and `<slug>-<version>-quick.pdf` that the
/// pages link to. `vejviser build` writes them; `vejviser serve` previews them.
pub fn render_files(
    g: &Guideline,
    source: &Source,
    s: &RenderSettings,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let template = s
        .templates
        .get(&g.template)
        .unwrap_or_else(|| s.templates.newest());
    let registry = s.registries.for_file(&source.path);
    let group = registry
        .as_ref()
        .as_ref()
        .ok()
        .and_then(|r| r.as_ref())
        .and_then(|r| r.get(&g.front.dmcg));
    let revision = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|p| p.date),
        g.front.planned_update,
        s.check.as_of,
        s.check.due_within_days,
    );
    // Created on SOURCE_DATE_EPOCH or the approval date (the library reads no environment or clock).
    let epoch = s.source_date_epoch.clone();
    let pdf = move |view: &GuidelineView, g: &Guideline, quick: bool| {
        super::guideline_pdfs(epoch.as_deref(), view, g, quick)
    };
    let mut view_opts = ViewOptions {
        archived: matches!(source.kind, SourceKind::Archived { .. }),
        current_href: s.current_href.clone(),
        address: s.address.clone(),
        ..ViewOptions::default()
    };
    // The PDFs are named here so that the pages link to them.
    if s.pdf {
        let stem = format!("{}-{}", source.slug(), g.front.version);
        // The name becomes a link on the pages: never a scheme or a path.
        if !vejviser_model::safe::is_path_segment(&stem) {
            return Err(format!(
                "{}: the folder name `{}` cannot name the PDFs (only lower-case letters, digits, '-', '_' and '.')",
                source.display,
                source.slug()
            ));
        }
        view_opts.pdf_full = Some(format!("{stem}.pdf"));
        view_opts.pdf_quick = Some(format!("{stem}-quick.pdf"));
    }
    // The versions before it that the archive holds lend it ids, change tags
    // and the page of changes: the same pipeline as `vejviser site`'s.
    let mut chain =
        vejviser_load::history::available_earlier_versions(source.guideline_dir(), g, s.templates);
    chain.push(g.clone());
    let refs: Vec<&Guideline> = chain.iter().collect();
    let history = vejviser_versions::history(&g.front.dmcg, &source.slug(), &refs);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    vejviser_site::render_version(
        s.renderer,
        &vejviser_site::VersionPages {
            chain: &refs,
            history: &history,
            index: refs.len() - 1,
            template,
            group,
            revision: &revision,
            options: &view_opts,
        },
        s.pdf.then_some(&pdf as &vejviser_site::PdfFn),
        &mut |name, bytes| {
            files.push((name, bytes.to_vec()));
            Ok(())
        },
    )
    .map_err(|e| e.to_string())?;
    for (name, bytes) in s.renderer.assets() {
        files.push((name.to_string(), bytes.to_vec()));
    }
    Ok(files)
}

/// `<base>/<group folder>/<slug>/`: where `vejviser site --base-url <base>`
/// publishes the guideline's current version. Both folder names must be plain
/// slugs, as the site requires, since they become part of an address.
fn site_address(base: &str, source: &Source) -> Result<String, String> {
    let dir = source.guideline_dir();
    let group = dir
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = source.slug();
    for part in [&group, &slug] {
        if !vejviser_model::safe::is_path_segment(part) {
            return Err(format!(
                "{}: `{part}` cannot be part of the guideline's address on the site (only lower-case letters, digits, '-', '_' and '.'); the site would leave it out (VV0007)",
                source.display
            ));
        }
    }
    Ok(format!("{}/{group}/{slug}/", base.trim_end_matches('/')))
}

/// The file a path names: a file as given, or a folder's `guideline.md`.
pub fn guideline_file(path: &Path) -> Result<PathBuf, String> {
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
/// Each part becomes a folder name, so each must be a plain slug (no `/`, `..`).
fn default_out(dmcg: &str, source: &Source) -> Result<PathBuf, String> {
    let group = if dmcg.is_empty() {
        "unknown".to_string()
    } else {
        dmcg.to_lowercase()
    };
    let slug = source.slug();
    let mut parts = vec![group, slug];
    if let SourceKind::Archived { version } = &source.kind {
        parts.push(version.clone());
    }
    let mut p = PathBuf::from("build");
    for part in parts {
        if !vejviser_model::safe::is_path_segment(&part) {
            return Err(format!(
                "{}: `{part}` cannot be a folder name under build/ (only letters, digits, '-', '_' and '.'); name the folder with --out",
                source.display
            ));
        }
        p.push(part);
    }
    Ok(p)
}

/// Refuses an output folder inside the guideline's own tree (the folder of
/// the nearest `dmcg.toml`, or the guideline's folder), or a path that is a
/// file: a build never writes among the sources.
fn check_out(file: &Path, out: &Path) -> Result<(), String> {
    let tree = vejviser_load::find_up(file, vejviser_load::REGISTRY_FILE)
        .and_then(|r| r.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| {
            Source::new(file.to_path_buf())
                .guideline_dir()
                .to_path_buf()
        });
    let refuse = |why: String| Err(format!("--out {}: {why}", out.display()));
    if let (Ok(t), Ok(o)) = (vejviser_load::resolve(&tree), vejviser_load::resolve(out)) {
        if o.starts_with(&t) {
            return refuse(format!(
                "is inside the guidelines folder {}; a build never writes among the sources (leave --out out for build/…)",
                tree.display()
            ));
        }
    }
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => refuse("is a file, not a folder".into()),
        _ => Ok(()),
    }
}

/// Writes every file under a temporary name in `dir`, and only when all are
/// written renames them to their names: a build that fails half-way (a full
/// disk) leaves the previous pages as they were, never old and new mixed.
/// Returns the paths written.
fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let (_, tmp) = staging(dir, name);
        if let Err(e) = std::fs::write(&tmp, bytes) {
            let _ = std::fs::remove_file(&tmp);
            for t in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(format!(
                "{}: cannot write: {e}; the folder is unchanged",
                dir.join(name).display()
            ));
        }
        staged.push(tmp);
    }
    let mut written = Vec::new();
    for ((name, _), tmp) in files.iter().zip(&staged) {
        let path = dir.join(name);
        std::fs::rename(tmp, &path)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `dir/name` through a temporary file and a rename, so a reader never
/// sees half a page. Returns the path written.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let (path, tmp) = staging(dir, name);
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: cannot write: {e}", path.display()));
    }
    Ok(path)
}

/// The path of file `name` in `dir` and its temporary name beside it. A name
/// may have a folder (`aendringer/index.html`, the page of changes), which is
/// created here. Names come from the pipeline (fixed names and checked PDF
/// names), never from guideline text.
fn staging(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let path = dir.join(name);
    let parent = path.parent().unwrap_or(dir);
    if parent != dir {
        let _ = std::fs::create_dir_all(parent);
    }
    let file = path
        .file_name()
        .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{file}.{}.tmp", std::process::id()));
    (path, tmp)
}
