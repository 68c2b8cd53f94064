//! `vejviser diff`: what changed between two versions of a guideline, with
//! the recommendations' stable ids, word-level text differences, references,
//! and what the changelog leaves out.

use std::path::{Path, PathBuf};
use vejviser_load::history::{available_earlier_versions, earlier_versions, read_guideline};
use vejviser_model::Guideline;
use vejviser_versions::render::Comparison;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Text,
    Markdown,
    Json,
}

/// Show what changed between two versions of a guideline
#[derive(clap::Args)]
#[command(
    after_help = "With one PATH (a guideline.md or its folder): the current version against its previous_version in archive/. \
With two: OLD against NEW. Recommendations keep their ids across versions (see docs/versions.md).\n\
Exit status: 0 the difference was shown (whatever it is), 2 a file is missing, unreadable or not a guideline.\n\n\
Examples:\n  vejviser diff guidelines/dmsg/myelomatose-hdt\n  vejviser diff guidelines/dmsg/myelomatose-hdt/archive/1.5.md guidelines/dmsg/myelomatose-hdt/guideline.md --format json"
)]
pub struct Args {
    /// PATH, or OLD NEW
    #[arg(value_name = "PATH", num_args = 1..=2, required = true)]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
}

fn fail(msg: impl std::fmt::Display) -> u8 {
    crate::out::errln!("error: {msg}");
    crate::EXIT_USAGE
}

fn file_of(p: &Path) -> PathBuf {
    if p.is_dir() {
        p.join("guideline.md")
    } else {
        p.to_path_buf()
    }
}

/// The guideline folder a file belongs to (the slug folder for an archived one).
fn folder_of(file: &Path) -> PathBuf {
    vejviser_load::Source::new(file.to_path_buf())
        .guideline_dir()
        .to_path_buf()
}

pub fn run(a: Args) -> u8 {
    let new_path = file_of(a.paths.last().expect("clap requires a path"));
    let templates = match vejviser_load::load_templates(&new_path) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let new = match read_guideline(&new_path, &templates) {
        Ok(g) => g,
        Err(e) => return fail(e),
    };
    // The chain of versions, oldest first, ending in the two compared.
    let mut chain: Vec<Guideline> = if a.paths.len() == 2 {
        let old_path = file_of(&a.paths[0]);
        let old = match read_guideline(&old_path, &templates) {
            Ok(g) => g,
            Err(e) => return fail(e),
        };
        // Ids come from the first version on; without the archive, OLD is the first.
        let mut c = available_earlier_versions(&folder_of(&old_path), &old, &templates);
        c.push(old);
        c
    } else {
        if new.front.previous_version.is_none() {
            return fail(format!(
                "{} has no previous_version to compare with; give OLD and NEW",
                new_path.display()
            ));
        }
        // The previous version must be there; older ones only lend their ids.
        if let Err(e) = earlier_versions(&folder_of(&new_path), &new, &templates, 1) {
            return fail(e);
        }
        available_earlier_versions(&folder_of(&new_path), &new, &templates)
    };
    chain.push(new);
    // Ids are derived with the guideline's folder name: OLD's, when given.
    let slug = vejviser_load::Source::new(file_of(&a.paths[0])).slug();
    let refs: Vec<&Guideline> = chain.iter().collect();
    let h = vejviser_versions::history(&chain[chain.len() - 1].front.dmcg, &slug, &refs);
    let k = chain.len() - 1;
    let Some(diff) = &h.diffs[k] else {
        return fail("nothing to compare");
    };
    let c = Comparison {
        old: &chain[k - 1],
        new: &chain[k],
        diff,
    };
    let out = match a.format {
        FormatArg::Text => c.text(),
        FormatArg::Markdown => c.markdown(),
        FormatArg::Json => c.json(),
    };
    if let Err(e) = crate::out::print(&out) {
        return fail(e);
    }
    crate::EXIT_OK
}
