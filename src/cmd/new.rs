//! `vejviser new`: start a guideline from the template.

use std::path::{Path, PathBuf};
use vejviser_fmt::draft::{draft, DraftSpec};
use vejviser_model::Language;

/// Start a new guideline from the template, as a draft with hints under every heading
#[derive(clap::Args)]
#[command(
    after_help = "Creates <guidelines>/<group in lower case>/<slug>/guideline.md and never overwrites a file.\nExit status: 0 created, 2 bad arguments or the guideline exists.\n\nExamples:\n  vejviser new --dmcg DMSG --slug myelomatose-hdt --title \"Højdosisbehandling ved myelomatose\"\n  vejviser new --dmcg DBCG --slug adjuvant-endocrine-therapy --lang en\n  vejviser new --dmcg DLCG --slug sbrt --guidelines ~/retningslinjer/guidelines"
)]
pub struct Args {
    /// The group (DMCG) writing the guideline: a key in dmcg.toml, e.g. DMSG
    #[arg(long, value_name = "GROUP")]
    dmcg: String,
    /// The guideline's folder name: lower-case letters, digits and '-'
    #[arg(long, value_name = "SLUG", allow_hyphen_values = true)]
    slug: String,
    /// The guideline's title (default: made from the slug)
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,
    /// The language the guideline is written in
    #[arg(long, value_name = "LANG", default_value = "da", value_parser = ["da", "en"])]
    lang: String,
    /// The template id (default: the newest, e.g. sundk-1.0)
    #[arg(long, value_name = "ID")]
    template: Option<String>,
    /// The guidelines folder (the one holding the group folders)
    #[arg(long, value_name = "DIR", default_value = "guidelines")]
    guidelines: PathBuf,
}

/// A slug is one safe path segment: `a-z`, `0-9` and `-`, not starting with `-`.
fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!("`{slug}` is not a valid slug: use lower-case letters a-z, digits and '-', not starting with '-' (e.g. myelomatose-hdt)"))
    }
}

/// `myelomatose-hdt` → `Myelomatose hdt`.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn fail(msg: impl std::fmt::Display) -> u8 {
    crate::out::errln!("error: {msg}");
    crate::EXIT_USAGE
}

/// Refuses a folder that (through a symlink) lies outside the guidelines folder.
fn inside(dir: &Path, root: &Path) -> Result<(), String> {
    match dir.canonicalize() {
        Ok(real) if real.starts_with(root) => Ok(()),
        Ok(real) => Err(format!(
            "{} leads outside the guidelines folder (to {}); vejviser new writes only inside it",
            dir.display(),
            real.display()
        )),
        Err(_) => Ok(()), // does not exist yet: it will be created inside
    }
}

pub fn run(a: Args) -> u8 {
    if let Err(e) = check_slug(&a.slug) {
        return fail(e);
    }
    let root = match a.guidelines.canonicalize() {
        Ok(r) if r.is_dir() => r,
        _ => {
            return fail(format!(
                "{} is not a folder; give the guidelines folder with --guidelines DIR",
                a.guidelines.display()
            ))
        }
    };
    let Some(reg_path) = vejviser_load::find_up(&root, vejviser_load::REGISTRY_FILE) else {
        return fail(format!(
            "no {} in {} or above it; the group registry says which groups exist",
            vejviser_load::REGISTRY_FILE,
            a.guidelines.display()
        ));
    };
    let registry = match std::fs::read_to_string(&reg_path)
        .map_err(|e| format!("{}: {e}", reg_path.display()))
        .and_then(|t| {
            vejviser_parse::parse_registry(&reg_path.display().to_string(), &t)
                .map_err(|d| format!("{}:{}: {}", d.file, d.line, d.message))
        }) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if registry.get(&a.dmcg).is_none() {
        let near = registry
            .groups
            .keys()
            .find(|k| k.eq_ignore_ascii_case(&a.dmcg));
        let hint = match near {
            Some(k) => format!("did you mean `{k}`? Group keys are case-sensitive"),
            None => format!(
                "known groups: {}",
                registry
                    .groups
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return fail(format!(
            "group `{}` is not in {}; {hint}",
            a.dmcg,
            reg_path.display()
        ));
    }
    let group_dir = a.dmcg.to_lowercase();
    if check_slug(&group_dir).is_err() {
        return fail(format!(
            "group `{}` cannot be a folder name; group keys are letters and digits",
            a.dmcg
        ));
    }
    let templates = match vejviser_load::load_templates(&root) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let Some(template) = templates.resolve(a.template.as_deref()) else {
        return fail(format!(
            "template `{}` does not exist; known templates: {}",
            a.template.unwrap_or_default(),
            templates.ids().collect::<Vec<_>>().join(", ")
        ));
    };
    let language = Language::parse(&a.lang).unwrap_or_default();
    let title = a.title.clone().unwrap_or_else(|| title_from_slug(&a.slug));
    if title.trim().is_empty() {
        return fail("the title is empty");
    }

    let group_path = a.guidelines.join(&group_dir);
    let slug_path = group_path.join(&a.slug);
    let file = slug_path.join("guideline.md");
    for d in [&group_path, &slug_path] {
        if let Err(e) = inside(d, &root) {
            return fail(e);
        }
    }
    if file.symlink_metadata().is_ok() {
        return fail(format!(
            "{} already exists; vejviser new never overwrites a guideline (choose another --slug)",
            file.display()
        ));
    }
    let text = draft(&DraftSpec {
        title: &title,
        dmcg: &a.dmcg,
        language,
        template,
    });
    // The draft must check without errors; if not, that is a bug to report, not a file to write.
    let diags = super::release::check_text(
        &file,
        &text,
        &templates,
        super::today(),
        vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
    );
    if diags.iter().any(|d| d.is_error()) {
        let mut err = codespan_reporting::term::termcolor::StandardStream::stderr(
            crate::diag::color_stderr(),
        );
        crate::diag::print_human(&file.display().to_string(), &text, &diags, &mut err);
        return fail(
            "the new draft does not pass the check (please report this); nothing was written",
        );
    }

    let created: Vec<&PathBuf> = [&group_path, &slug_path]
        .into_iter()
        .filter(|d| !d.exists())
        .collect();
    let undo = |created: &[&PathBuf]| {
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&slug_path) {
        undo(&created);
        return fail(format!("cannot create {}: {e}", slug_path.display()));
    }
    if let Err(e) = inside(&slug_path, &root) {
        undo(&created);
        return fail(e);
    }
    if let Err(e) = vejviser_release::files::create_new(&file, text.as_bytes()) {
        undo(&created);
        return fail(if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists; vejviser new never overwrites a guideline",
                file.display()
            )
        } else {
            format!("cannot write {}: {e}", file.display())
        });
    }
    let lang = match language {
        Language::Da => "Danish",
        Language::En => "English",
    };
    crate::out::outln!("{}", file.display());
    crate::out::errln!(
        "created a draft in {lang} from template {}\nnext: write the guideline, then run\n  vejviser check {}",
        template.id,
        file.display()
    );
    crate::EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["myelomatose-hdt", "a", "sbrt-2", "x-"] {
            assert!(check_slug(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", "../x", "a/b", "A", "æble", "a b", "a.b", "a..b"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert_eq!(title_from_slug("myelomatose-hdt"), "Myelomatose hdt");
    }
}
