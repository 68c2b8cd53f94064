//! `vejviser check`: the template's rules on one or more guidelines.

use crate::diag;
use codespan_reporting::term::termcolor;
use rayon::prelude::*;
use std::path::PathBuf;
use vejviser_diagnostics::{Diagnostic, LineStarts, Severity};
use vejviser_load::{CheckOptions, Registries, Source, SourceKind};

/// The output format. `text` is also accepted as `human` (its old name), as
/// `report --format` accepts both.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    #[value(name = "text", alias = "human")]
    Human,
    Json,
}

/// Check guidelines against the template (files or folders; default: guidelines/)
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.\n\nExamples:\n  vejviser check\n  vejviser check guidelines/dmsg\n  vejviser check --format json --deny-warnings guidelines/dmsg/myelomatose-hdt/guideline.md"
)]
pub struct Args {
    /// Guideline files or folders (default: guidelines/, or the guideline tree this folder is in)
    paths: Vec<PathBuf>,
    /// The guideline tree, as report and site take it (the same as giving it as a path)
    #[arg(long, value_name = "DIR")]
    guidelines: Option<PathBuf>,
    /// Output format: text (for people, on stderr) or json (on stdout)
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Treat warnings as errors
    #[arg(long)]
    deny_warnings: bool,
    /// The date revision warnings are computed for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Days before the planned update a guideline counts as due
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
}

/// `sources` cut into runs of files of one guideline folder (its archived
/// versions and current file, as `discover` lists them together), in order; a
/// file that belongs to no guideline folder is a run by itself.
fn folders(sources: &[Source]) -> Vec<&[Source]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sources.len() {
        let apart = |s: &Source| s.kind == SourceKind::Other;
        if i == sources.len()
            || apart(&sources[i])
            || apart(&sources[start])
            || sources[i].guideline_dir() != sources[start].guideline_dir()
        {
            out.push(&sources[start..i]);
            start = i;
        }
    }
    out
}

pub fn run(a: Args) -> u8 {
    let paths = super::paths_and_tree(&a.paths, &a.guidelines);
    let (sources, templates) = match super::sources_and_templates(&paths, true) {
        Ok(x) => x,
        Err(message) => {
            if let Format::Json = a.format {
                // A program reading stdout gets JSON whatever happened.
                let _ = crate::out::print(&format!("{}\n", diag::json_error(&message)));
            }
            crate::out::errln!("error: {message}");
            return crate::EXIT_USAGE;
        }
    };
    let opts = CheckOptions {
        as_of: a.as_of.unwrap_or_else(super::today),
        due_within_days: a.due_within,
    };
    let registries = Registries::default();
    let stderr = termcolor::BufferWriter::stderr(diag::color_stderr());
    // Each guideline folder is checked on one thread (each file parsed once:
    // the current version's findings against its previous version use the
    // archived file as checked here), and each file's findings are written out
    // there, into a buffer printed in file order below; the texts and models
    // are dropped there. Findings in another file (a broken group registry,
    // reported with every guideline that uses it) are kept apart and shown once.
    type Findings = (termcolor::Buffer, Vec<Diagnostic>, Vec<Diagnostic>);
    let checked: Vec<Vec<Findings>> = folders(&sources)
        .par_iter()
        .map(|folder| {
            vejviser_load::check_folder(folder, &templates, &registries, &opts)
                .into_iter()
                .map(|c| {
                    let mut diags = c.diagnostics;
                    if a.deny_warnings {
                        for d in &mut diags {
                            d.severity = Severity::Error;
                        }
                    }
                    let (own, elsewhere): (Vec<_>, Vec<_>) =
                        diags.into_iter().partition(|d| d.file == c.source.display);
                    let lines = LineStarts::new(&c.source.display, &c.text);
                    let mut out = stderr.buffer();
                    if let Format::Human = a.format {
                        diag::print_human_with(&lines, &own, &mut out);
                    }
                    (out, diag::in_characters_with(&lines, own), elsewhere)
                })
                .collect()
        })
        .collect();
    let checked = checked.into_iter().flatten();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut elsewhere_shown = diag::ShownElsewhere::default();
    for (out, diags, elsewhere) in checked {
        for d in elsewhere {
            if !elsewhere_shown.first(&d) {
                continue;
            }
            let text = std::fs::read_to_string(&d.file).unwrap_or_default();
            if let Format::Human = a.format {
                let mut out = stderr.buffer();
                diag::print_human(&d.file, &text, std::slice::from_ref(&d), &mut out);
                let _ = stderr.print(&out);
            }
            let file = d.file.clone();
            all.extend(diag::in_characters(&file, &text, vec![d]));
        }
        if !out.is_empty() {
            let _ = stderr.print(&out);
        }
        all.extend(diags);
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    match a.format {
        Format::Json => {
            let json = diag::json(
                &all,
                diag::JsonSummary {
                    files: sources.len(),
                    errors,
                    warnings,
                },
            );
            if let Err(e) = crate::out::print(&format!("{json}\n")) {
                crate::out::errln!("error: cannot write the findings: {e}");
                return crate::EXIT_USAGE;
            }
        }
        Format::Human => {
            let files = sources.len();
            let noun = if files == 1 { "file" } else { "files" };
            if errors == 0 && warnings == 0 {
                crate::out::errln!("checked {files} {noun}: no problems found");
            } else {
                crate::out::errln!(
                    "checked {files} {noun}: {errors} error(s), {warnings} warning(s)"
                );
            }
        }
    }
    if errors > 0 {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    }
}
