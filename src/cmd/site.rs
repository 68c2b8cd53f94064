//! `vejviser site`: build the whole national guideline website.

use crate::diag;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use vejviser_site::{Event, SiteError, SiteOptions};

/// Build the whole site: overview, group pages, every guideline with archive, status page, search, feed
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 published, 1 check errors (nothing published), 2 usage or I/O error.\n\nExamples:\n  vejviser site                                   build public/ from guidelines/\n  vejviser site --out /srv/www/retningslinjer --base-url https://retningslinjer.example.dk/\n  vejviser site --keep-going --no-pdf             publish what is valid, skip PDFs\n  vejviser site --drafts --out preview            a preview that includes drafts"
)]
pub struct Args {
    /// The guidelines folder (with dmcg.toml) [default: guidelines]
    #[arg(value_name = "GUIDELINES", conflicts_with = "guidelines")]
    tree: Option<PathBuf>,
    /// The guidelines folder, as a named option
    #[arg(long, value_name = "DIR")]
    guidelines: Option<PathBuf>,
    /// Where to publish the site (built beside it and swapped in when complete)
    #[arg(long, default_value = "public")]
    out: PathBuf,
    /// The date revision status is computed for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Days before the planned update a guideline counts as due
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
    /// Include drafts (for a preview site)
    #[arg(long)]
    drafts: bool,
    /// The site's public URL, used in the feed and sitemap
    #[arg(long, value_name = "URL", default_value = "/")]
    base_url: String,
    /// Number of parallel jobs (default: all cores)
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Publish the guidelines without errors and list what was left out
    #[arg(long)]
    keep_going: bool,
    /// Skip the PDFs
    #[arg(long)]
    no_pdf: bool,
    /// Include source positions (line, column) in each guideline.json
    #[arg(long)]
    json_spans: bool,
    /// A folder with theme files that replace the built-in ones (style.css, *.hbs, site/*.hbs)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Write the build's problems for the secretariat to FILE (Markdown, or JSON when FILE
    /// ends in .json): files left out, guidelines kept at their last published version,
    /// findings in archived versions. Never part of the published site.
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
}

pub fn run(a: Args) -> u8 {
    if let Some(n) = a.jobs {
        if n == 0 {
            crate::out::errln!("error: --jobs must be at least 1");
            return crate::EXIT_USAGE;
        }
        // The global pool is only built once per process; ignore a second attempt.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    // Checked before anything is read or built: not an address at all is a usage error.
    match vejviser_site::base_url::check(&a.base_url) {
        Ok(None) => {}
        Ok(Some(why)) => crate::out::errln!(
            "warning: --base-url {}: {why}",
            vejviser_diagnostics::terminal_safe(&a.base_url)
        ),
        Err(why) => {
            crate::out::errln!(
                "error: --base-url {}: {why}",
                vejviser_diagnostics::terminal_safe(&a.base_url)
            );
            return crate::EXIT_USAGE;
        }
    }
    let theme = match &a.templates {
        Some(dir) => vejviser_render_html::Theme::with_overrides(dir),
        None => Ok(vejviser_render_html::Theme::builtin()),
    };
    let theme = match theme {
        Ok(t) => t,
        Err(e) => {
            crate::out::errln!("error: {e}");
            return crate::EXIT_USAGE;
        }
    };
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let pdf =
        move |view: &vejviser_view::GuidelineView, g: &vejviser_model::Guideline, quick: bool| {
            super::guideline_pdfs(source_date_epoch.as_deref(), view, g, quick)
        };
    let opts = SiteOptions {
        guidelines: a
            .tree
            .clone()
            .or_else(|| a.guidelines.clone())
            .unwrap_or_else(|| PathBuf::from("guidelines")),
        out: a.out.clone(),
        as_of: a.as_of.unwrap_or_else(super::today),
        due_within_days: a.due_within,
        drafts: a.drafts,
        base_url: a.base_url.clone(),
        keep_going: a.keep_going,
        theme: &theme,
        templates: a.templates.clone(),
        pdf: if a.no_pdf { None } else { Some(&pdf) },
        build_id: super::build_id(),
        json_spans: a.json_spans,
    };
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {pos} guideline versions {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let on_event = |e: Event| match e {
        Event::Checked { files } => {
            if terminal {
                bar.set_message(format!("(checked {files} files)"));
            } else {
                crate::out::errln!("checked {files} files");
            }
        }
        Event::Page { path, reused } => {
            bar.inc(1);
            if !terminal {
                crate::out::errln!("{} {path}", if reused { "unchanged" } else { "rendered " });
            }
        }
    };
    let result = vejviser_site::build(&opts, &on_event);
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            for l in &s.left_out {
                crate::out::errln!("left out: {}: {}", l.path, l.reason);
            }
            for k in &s.kept {
                crate::out::errln!(
                    "kept: {} stays at its last published version {}: {}",
                    k.dir,
                    k.version.as_deref().unwrap_or("(unknown)"),
                    k.reason
                );
            }
            for l in &s.archived_findings {
                crate::out::errln!(
                    "archived version published as it was: {}: {}",
                    l.path,
                    l.reason
                );
            }
            if let Some(file) = &a.problems {
                let text = if file.extension().is_some_and(|e| e == "json") {
                    s.problems_json()
                } else {
                    s.problems_markdown()
                };
                if let Err(e) = std::fs::write(file, text) {
                    crate::out::errln!("error: writing {}: {e}", file.display());
                    return crate::EXIT_USAGE;
                }
            }
            if !s.accessibility_statement {
                crate::out::errln!(
                    "note: no [accessibility] in {}: the site has no accessibility statement (docs/accessibility.md)",
                    opts.guidelines
                        .join(vejviser_site::config::SITE_CONFIG_FILE)
                        .display()
                );
            }
            let checked = if s.checked == s.files {
                format!("checked {} files", s.files)
            } else {
                format!(
                    "checked {} of {} files ({} unchanged)",
                    s.checked,
                    s.files,
                    s.files - s.checked
                )
            };
            crate::out::errln!(
                "published {} guidelines to {} ({} archived versions, {} withdrawn, {} drafts skipped, {} left out, {} kept at their last published version); {checked}; rendered {}, unchanged {}; {:.2} s",
                s.published,
                a.out.display(),
                s.archived,
                s.withdrawn,
                s.drafts_skipped,
                s.left_out.len(),
                s.kept.len(),
                s.rendered,
                s.reused,
                started.elapsed().as_secs_f64()
            );
            crate::EXIT_OK
        }
        Err(SiteError::CheckFailed(checked)) => {
            let mut err = codespan_reporting::term::termcolor::BufferedStandardStream::stderr(
                diag::color_stderr(),
            );
            let mut elsewhere = diag::ShownElsewhere::default();
            for c in checked.iter().filter(|c| c.has_errors()) {
                let errors: Vec<_> = c
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() && elsewhere.first_time(&c.source.display, d))
                    .cloned()
                    .collect();
                diag::print_human(&c.source.display, &c.text, &errors, &mut err);
            }
            let _ = std::io::Write::flush(&mut err);
            let n = checked.iter().filter(|c| c.has_errors()).count();
            crate::out::errln!("error: {n} guideline file(s) have errors; nothing was published and {} is unchanged (use --keep-going to publish the rest)", a.out.display());
            crate::EXIT_FINDINGS
        }
        Err(e) => {
            crate::out::errln!("error: {e}; {} is unchanged", a.out.display());
            crate::EXIT_USAGE
        }
    }
}
