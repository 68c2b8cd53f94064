//! `vejviser serve`: a live preview of one guideline or the whole site, rebuilt
//! on save, with the check's findings at the top of the page.
//!
//! The server (HTTP, watching, reload, banner) is `vejviser-serve`; this module
//! supplies what it builds: one guideline as `vejviser build` renders it, or
//! the site as `vejviser site --drafts --keep-going` publishes it.

use super::build::{guideline_file, render_files, write_atomic, RenderSettings};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use vejviser_load::{CheckOptions, Registries, Source, REGISTRY_FILE};
use vejviser_render_html::{Renderer, Theme};
use vejviser_serve::{Build, Event, Report, ServeError, Watch};

/// Preview a guideline (or the whole site) in the browser; rebuilds and reloads on save
#[derive(clap::Args)]
#[command(
    after_help = "Open the printed address in a browser. Every save rebuilds the preview and the page reloads by itself; errors and warnings from the check are shown at the top of the page with their line numbers. A broken save keeps the last good pages on screen. Only this computer can reach the preview (127.0.0.1). Stop with Ctrl-C.\n\nExamples:\n  vejviser serve guidelines/dmsg/myelomatose-hdt     one guideline: quick guide, full page, PDFs\n  vejviser serve guidelines/dmsg/myelomatose-hdt/archive/1.5.md\n  vejviser serve                                     the whole site, drafts included\n  vejviser serve guidelines/dmsg/myelomatose-hdt --port 8080 --no-pdf"
)]
pub struct Args {
    /// A guideline (its folder, `guideline.md` or `archive/<version>.md`), or a guidelines folder with dmcg.toml for the whole site [default: guidelines/, or the guideline or tree this folder is in]
    #[arg(conflicts_with = "guidelines")]
    path: Option<PathBuf>,
    /// The guidelines folder for the whole site, as site and report take it
    #[arg(long, value_name = "DIR")]
    guidelines: Option<PathBuf>,
    /// The port on 127.0.0.1 to serve on (0: any free port)
    #[arg(long, value_name = "N", default_value_t = 4000)]
    port: u16,
    /// The date the revision status is computed for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Days before the planned update a guideline counts as due
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
    /// Do not render the PDFs (faster rebuilds)
    #[arg(long)]
    no_pdf: bool,
}

pub fn run(a: Args) -> u8 {
    match serve(&a) {
        Ok(code) => code,
        Err(message) => {
            crate::out::errln!("error: {message}");
            crate::EXIT_USAGE
        }
    }
}

fn serve(a: &Args) -> Result<u8, String> {
    let path = match a.path.clone().or_else(|| a.guidelines.clone()) {
        Some(p) => p,
        None => super::default_tree()?,
    };
    let path = &path;
    let check = CheckOptions {
        as_of: a.as_of.unwrap_or_else(super::today),
        due_within_days: a.due_within,
    };
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let theme = Theme::builtin();
    let (what, builder): (String, Box<dyn Build>) = if is_site(path) {
        let preview = SitePreview::new(path, theme, check, !a.no_pdf, source_date_epoch)?;
        (
            format!("the whole site from {} (drafts included)", path.display()),
            Box::new(preview),
        )
    } else {
        let file = guideline_file(path).map_err(|e| {
            if *path == Path::new("guidelines") {
                format!("{e}\nname a guideline to preview, e.g. `vejviser serve guidelines/dmsg/myelomatose-hdt`, or run this in the folder that holds guidelines/")
            } else {
                format!("{e}\nname a guideline (its folder, guideline.md or archive/<version>.md) or a guidelines folder with {REGISTRY_FILE}")
            }
        })?;
        if file.extension().is_none_or(|x| x != "md") {
            return Err(format!(
                "{}: not a guideline file (guideline.md or archive/<version>.md)",
                file.display()
            ));
        }
        let renderer = Renderer::new(&theme).map_err(|e| e.to_string())?;
        let preview =
            GuidelinePreview::new(file.clone(), renderer, check, !a.no_pdf, source_date_epoch)?;
        (format!("{}", file.display()), Box::new(preview))
    };

    // Ctrl-C (and SIGTERM) end the wait below; the server then stops cleanly.
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let started = Arc::new(Mutex::new(Instant::now()));
    let on_event = move |e: Event| match e {
        Event::Building { .. } => {
            if let Ok(mut t) = started.lock() {
                *t = Instant::now();
            }
        }
        Event::Built { version, report } => {
            let ms = started.lock().map(|t| t.elapsed().as_millis()).unwrap_or(0);
            print_built(version, ms, &report);
        }
        Event::WatchFailed { path, message } => {
            crate::out::errln!(
                "warning: cannot watch {} for changes: {message}; save again after fixing this, or restart",
                path.display()
            );
        }
    };
    let opts = vejviser_serve::Options {
        port: a.port,
        ..vejviser_serve::Options::default()
    };
    let server = vejviser_serve::start(opts, builder, Arc::new(on_event)).map_err(|e| match e {
        ServeError::PortInUse { port } => format!(
            "{e} (another `vejviser serve`?); choose another port with --port, e.g. `vejviser serve {} --port {}`",
            path.display(),
            port.checked_add(1).unwrap_or(4000)
        ),
        ServeError::TempDir { .. } => {
            format!("{e}; set TMPDIR to a folder you can write to")
        }
        e => e.to_string(),
    })?;
    crate::out::errln!("serving {what} at {} (Ctrl-C to stop)", server.url());
    let _ = stop_rx.recv();
    crate::out::errln!("stopping");
    server.stop();
    crate::out::errln!("stopped");
    Ok(crate::EXIT_OK)
}

/// A folder with `dmcg.toml` is a guidelines folder: preview the whole site.
fn is_site(path: &Path) -> bool {
    path.is_dir() && path.join(REGISTRY_FILE).is_file()
}

/// One line per build, and the findings under it.
fn print_built(version: u64, ms: u128, report: &Report) {
    let verb = if version == 1 { "built" } else { "rebuilt" };
    let (errors, warnings) = (report.errors(), report.warnings());
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(format!("{errors} error(s)"));
    }
    if warnings > 0 {
        counts.push(format!("{warnings} warning(s)"));
    }
    if !report.notes.is_empty() {
        counts.push(format!("{} note(s)", report.notes.len()));
    }
    let mut line = format!("{verb} in {ms} ms: ");
    if report.ok && errors == 0 {
        line.push_str("ok");
        if !counts.is_empty() {
            line.push_str(", ");
        }
    }
    line.push_str(&counts.join(", "));
    if let Some(h) = &report.headline {
        line.push_str(if counts.is_empty() && !report.ok {
            ""
        } else {
            ": "
        });
        line.push_str(h);
    } else if !report.ok {
        line.push_str("; not rebuilt: the page shows the findings over the last good version");
    }
    crate::out::errln!("{line}");
    for d in report.diagnostics.iter().take(vejviser_serve::LISTED) {
        crate::out::errln!("  {}", crate::diag::one_line(d));
    }
    if report.diagnostics.len() > vejviser_serve::LISTED {
        crate::out::errln!(
            "  … and {} more; `vejviser check` lists them all",
            report.diagnostics.len() - vejviser_serve::LISTED
        );
    }
    for n in &report.notes {
        crate::out::errln!("  {n}");
    }
}

/// The preview of one guideline: its quick guide at `/`, the full page and
/// the PDFs beside it, as `vejviser build` writes them.
struct GuidelinePreview {
    /// The file as named on the command line (as shown in diagnostics).
    file: PathBuf,
    /// Absolute: the guideline's folder, the registry and the schema folder it uses.
    dir: PathBuf,
    registry: Option<PathBuf>,
    schema: Option<PathBuf>,
    renderer: Renderer,
    check: CheckOptions,
    pdf: bool,
    source_date_epoch: Option<String>,
    /// The files the last good build wrote, to remove those a new build no longer has.
    written: Vec<String>,
}

impl GuidelinePreview {
    fn new(
        file: PathBuf,
        renderer: Renderer,
        check: CheckOptions,
        pdf: bool,
        source_date_epoch: Option<String>,
    ) -> Result<GuidelinePreview, String> {
        let abs = std::path::absolute(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let dir = Source::new(abs.clone()).guideline_dir().to_path_buf();
        Ok(GuidelinePreview {
            registry: vejviser_load::find_up(&abs, REGISTRY_FILE),
            schema: vejviser_load::find_up(&abs, "schema").filter(|p| p.is_dir()),
            file,
            dir,
            renderer,
            check,
            pdf,
            source_date_epoch,
            written: Vec::new(),
        })
    }

    fn write(&mut self, out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
        std::fs::create_dir_all(out)
            .map_err(|e| format!("{}: cannot create the folder: {e}", out.display()))?;
        for (name, bytes) in files {
            write_atomic(out, name, bytes)?;
        }
        let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        for old in self.written.iter().filter(|n| !names.contains(n)) {
            let _ = std::fs::remove_file(out.join(old));
        }
        self.written = names;
        Ok(())
    }
}

impl Build for GuidelinePreview {
    fn watch(&self) -> Vec<Watch> {
        let mut w = vec![Watch {
            path: self.dir.clone(),
            recursive: true,
        }];
        // The registry's folder, not the file: editors save by replacing files.
        if let Some(parent) = self.registry.as_ref().and_then(|r| r.parent()) {
            w.push(Watch {
                path: parent.to_path_buf(),
                recursive: false,
            });
        }
        if let Some(schema) = &self.schema {
            w.push(Watch {
                path: schema.clone(),
                recursive: false,
            });
        }
        w
    }

    fn relevant(&self, path: &Path) -> bool {
        path.starts_with(&self.dir)
            || self.registry.as_deref() == Some(path)
            || self.schema.as_ref().is_some_and(|s| path.starts_with(s))
    }

    fn build(&mut self, out: &Path) -> Report {
        if !self.file.is_file() {
            return Report::failed(format!(
                "The file {} was deleted (or moved). The preview shows the last version built and updates when the file is back.",
                self.file.display()
            ));
        }
        let templates = match vejviser_load::load_templates(&self.file) {
            Ok(t) => t,
            Err(e) => return Report::failed(e.to_string()),
        };
        let registries = Registries::default();
        let source = Source::new(self.file.clone());
        let checked = vejviser_load::check_file(&source, &templates, &registries, &self.check);
        let Some(g) = checked.guideline.as_ref().filter(|_| !checked.has_errors()) else {
            return Report {
                ok: false,
                diagnostics: crate::diag::in_characters(
                    &checked.source.display,
                    &checked.text,
                    checked.diagnostics,
                ),
                ..Report::default()
            };
        };
        let settings = RenderSettings {
            renderer: &self.renderer,
            templates: &templates,
            registries: &registries,
            check: &self.check,
            current_href: None,
            pdf: self.pdf,
            source_date_epoch: self.source_date_epoch.clone(),
            // A preview has no site address; the quick PDF's footer gives the title.
            address: None,
        };
        let written = render_files(g, &source, &settings).and_then(|files| self.write(out, &files));
        match written {
            Ok(()) => Report::ok(crate::diag::in_characters(
                &checked.source.display,
                &checked.text,
                checked.diagnostics,
            )),
            Err(e) => Report {
                ok: false,
                headline: Some(format!(
                    "The guideline checked, but rendering it failed: {e}"
                )),
                diagnostics: crate::diag::in_characters(
                    &checked.source.display,
                    &checked.text,
                    checked.diagnostics,
                ),
                notes: Vec::new(),
            },
        }
    }
}

/// The preview of the whole site, drafts included; guidelines with errors are
/// left out and listed in the banner.
struct SitePreview {
    guidelines: PathBuf,
    /// Absolute, for watching.
    watched: Vec<Watch>,
    theme: Theme,
    check: CheckOptions,
    pdf: bool,
    source_date_epoch: Option<String>,
}

impl SitePreview {
    fn new(
        guidelines: &Path,
        theme: Theme,
        check: CheckOptions,
        pdf: bool,
        source_date_epoch: Option<String>,
    ) -> Result<SitePreview, String> {
        let abs = std::path::absolute(guidelines)
            .map_err(|e| format!("{}: {e}", guidelines.display()))?;
        let mut watched = vec![Watch {
            path: abs.clone(),
            recursive: true,
        }];
        if let Some(schema) = vejviser_load::find_up(&abs, "schema").filter(|p| p.is_dir()) {
            if !schema.starts_with(&abs) {
                watched.push(Watch {
                    path: schema,
                    recursive: false,
                });
            }
        }
        Ok(SitePreview {
            guidelines: guidelines.to_path_buf(),
            watched,
            theme,
            check,
            pdf,
            source_date_epoch,
        })
    }
}

impl Build for SitePreview {
    fn watch(&self) -> Vec<Watch> {
        self.watched.clone()
    }

    fn build(&mut self, out: &Path) -> Report {
        let sde = self.source_date_epoch.clone();
        let pdf = move |view: &vejviser_view::GuidelineView,
                        g: &vejviser_model::Guideline,
                        quick: bool| {
            super::guideline_pdfs(sde.as_deref(), view, g, quick)
        };
        let opts = vejviser_site::SiteOptions {
            guidelines: self.guidelines.clone(),
            out: out.to_path_buf(),
            as_of: self.check.as_of,
            due_within_days: self.check.due_within_days,
            drafts: true,
            base_url: "/".into(),
            keep_going: true,
            theme: &self.theme,
            templates: None,
            pdf: if self.pdf { Some(&pdf) } else { None },
            build_id: super::build_id(),
            json_spans: false,
        };
        let summary = match vejviser_site::build(&opts, &|_| {}) {
            Ok(summary) => summary,
            Err(e) => return Report::failed(format!("The site was not rebuilt: {e}")),
        };
        // Warnings of the files checked in this build: after the first build,
        // those of the file just saved (unchanged files are not checked again).
        // Files with errors: left out, or (a current version that was shown before)
        // kept at the pages last built, as the site's publishing policy does.
        let failed: Vec<vejviser_site::LeftOut> = summary
            .left_out
            .iter()
            .cloned()
            .chain(summary.kept.iter().map(|k| vejviser_site::LeftOut {
                path: k.path.clone(),
                reason: k.reason.clone(),
            }))
            .collect();
        if failed.is_empty() {
            return Report::ok(summary.warnings);
        }
        // The site lists a file's first error; check the left-out files again
        // (only those) so the page shows every error with its line.
        let mut report = Report {
            ok: true,
            headline: Some(format!(
                "{} guideline file(s) have errors and are left out of the preview (or shown as last built); the rest of the site is up to date.",
                failed.len()
            )),
            ..Report::default()
        };
        let templates = vejviser_load::load_templates(&self.guidelines);
        let registries = Registries::default();
        for l in &failed {
            let source = Source::new(PathBuf::from(&l.path));
            let errors: Vec<_> = match (&templates, source.path.is_file()) {
                (Ok(t), true) => {
                    let c = vejviser_load::check_file(&source, t, &registries, &self.check);
                    crate::diag::in_characters(&c.source.display, &c.text, c.diagnostics)
                        .into_iter()
                        .filter(|d| d.is_error())
                        .collect()
                }
                _ => Vec::new(),
            };
            if errors.is_empty() {
                report.notes.push(if l.reason.starts_with(&l.path) {
                    l.reason.clone()
                } else {
                    format!("{}: {}", l.path, l.reason)
                });
            }
            report.diagnostics.extend(errors);
        }
        report.diagnostics.extend(summary.warnings);
        report
    }
}
