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
Exit status: 0 done (or, with --check, nothing to do), 1 with --check: some files need formatting, 2 a file could not be read or formatted.\n\n\
Examples:\n  vejviser fmt                                   format every guideline under guidelines/\n  vejviser fmt guidelines/dmsg/myelomatose-hdt/guideline.md\n  vejviser fmt --check                           in CI: list files that need formatting"
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
