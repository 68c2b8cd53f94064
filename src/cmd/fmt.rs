//! `vejviser fmt`: lay guidelines out canonically without changing what they say.

use rayon::prelude::*;
use std::path::PathBuf;
use vejviser_fmt::{FmtError, Formatted};
use vejviser_load::{Source, SourceKind};

/// Lay out guidelines canonically: chapter numbers, blank lines, list numbers, tables, front matter order
#[derive(clap::Args)]
#[command(
    after_help = "Only layout changes: fmt parses each file before and after and leaves it alone if the result would mean anything else. \
Archived versions (archive/*.md) are never touched.\n\
References keep the numbers their authors wrote; --renumber numbers the reference list 1..n and rewrites every citation to the same papers, \
showing the change as a diff (with --check: only showing it). It refuses, changing nothing, when a citation names a reference the list does not have.\n\
Exit status: 0 done (or, with --check, nothing to do), 1 with --check: some files need formatting, 2 a file could not be read or formatted.\n\n\
Examples:\n  vejviser fmt --renumber guidelines/dmsg/myelomatose-hdt   renumber its references and citations\n  vejviser fmt                                   format every guideline under guidelines/\n  vejviser fmt guidelines/dmsg/myelomatose-hdt/guideline.md\n  vejviser fmt --check                           in CI: list files that need formatting"
)]
pub struct Args {
    /// Guideline files or folders (default: guidelines/, or the guideline tree this folder is in)
    paths: Vec<PathBuf>,
    /// The guideline tree, as report and site take it (the same as giving it as a path)
    #[arg(long, value_name = "DIR")]
    guidelines: Option<PathBuf>,
    /// Change nothing; list the files that would change and exit 1 if there are any
    #[arg(long)]
    check: bool,
    /// Number the reference list 1..n and rewrite every citation to match (shows a diff; only this, no layout)
    #[arg(long, requires = "paths")]
    renumber: bool,
}

enum Outcome {
    Skipped(&'static str),
    Done(Formatted),
}

fn format_one(
    s: &Source,
    templates: &vejviser_template::TemplateSet,
    check: bool,
) -> Result<Outcome, String> {
    if let SourceKind::Archived { .. } = s.kind {
        return Ok(Outcome::Skipped("archived versions are frozen"));
    }
    let bytes = std::fs::read(&s.path).map_err(|e| format!("{}: {e}", s.display))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        FmtError::NotText {
            path: s.display.clone(),
        }
        .to_string()
    })?;
    let out =
        vejviser_fmt::format_checked(&s.display, &text, templates).map_err(|e| e.to_string())?;
    if out.changed && !check {
        vejviser_release::files::replace(&s.path, out.text.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", s.display))?;
    }
    Ok(Outcome::Done(out))
}

pub fn run(a: Args) -> u8 {
    let paths = super::paths_and_tree(&a.paths, &a.guidelines);
    let (sources, templates) = match super::sources_and_templates(&paths, false) {
        Ok(x) => x,
        Err(message) => {
            crate::out::errln!("error: {message}");
            return crate::EXIT_USAGE;
        }
    };
    if a.renumber {
        return renumber(&sources, &templates, a.check);
    }
    let results: Vec<Result<Outcome, String>> = sources
        .par_iter()
        .map(|s| format_one(s, &templates, a.check))
        .collect();
    let (mut changed, mut failed, mut skipped) = (0, 0, 0);
    for (s, r) in sources.iter().zip(results) {
        match r {
            Err(e) => {
                crate::out::errln!("error: {e}");
                failed += 1;
            }
            Ok(Outcome::Skipped(why)) => {
                crate::out::errln!("skipped {}: {why}", s.display);
                skipped += 1;
            }
            Ok(Outcome::Done(f)) if f.changed => {
                changed += 1;
                if a.check {
                    crate::out::outln!("{}", s.display);
                } else {
                    crate::out::outln!("formatted {}", s.display);
                }
            }
            Ok(Outcome::Done(_)) => {}
        }
    }
    let files = sources.len() - skipped;
    let noun = if files == 1 { "file" } else { "files" };
    if a.check {
        crate::out::errln!("checked {files} {noun}: {changed} would be reformatted, {failed} could not be formatted");
    } else {
        crate::out::errln!(
            "{files} {noun}: {changed} reformatted, {failed} could not be formatted"
        );
    }
    if failed > 0 {
        crate::EXIT_USAGE
    } else if a.check && changed > 0 {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    }
}

/// `--renumber`: each file's references 1..n and its citations with them,
/// one file at a time (the diffs print in order).
fn renumber(sources: &[Source], templates: &vejviser_template::TemplateSet, check: bool) -> u8 {
    let (mut changed, mut failed) = (0, 0);
    for s in sources {
        if let SourceKind::Archived { .. } = s.kind {
            crate::out::errln!("skipped {}: archived versions are frozen", s.display);
            continue;
        }
        let result = std::fs::read(&s.path)
            .map_err(|e| format!("{}: {e}", s.display))
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| {
                    FmtError::NotText {
                        path: s.display.clone(),
                    }
                    .to_string()
                })
            })
            .and_then(|text| {
                vejviser_fmt::renumber::renumber(&s.display, &text, templates)
                    .map_err(|e| e.to_string())
            });
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                crate::out::errln!("error: {e}");
                failed += 1;
                continue;
            }
        };
        if r.unchanged() {
            crate::out::errln!("{}: the references are numbered 1..n already", s.display);
            continue;
        }
        changed += 1;
        if let Err(e) = crate::out::print(&r.diff(&s.display)) {
            crate::out::errln!("error: {e}");
            return crate::EXIT_USAGE;
        }
        let what = format!(
            "{} reference(s) renumbered, {} citation(s) rewritten",
            r.references.len(),
            r.citations
        );
        if check {
            crate::out::errln!("{}: would renumber: {what}", s.display);
        } else if let Err(e) = vejviser_release::files::replace(&s.path, r.text.as_bytes()) {
            crate::out::errln!(
                "error: {}: cannot write: {e}; the file is unchanged",
                s.display
            );
            failed += 1;
        } else {
            crate::out::errln!("{}: renumbered: {what}", s.display);
        }
    }
    if failed > 0 {
        crate::EXIT_USAGE
    } else if check && changed > 0 {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    }
}
