//! Loading guidelines from disk: which files a path means (a file, a group
//! folder, the whole `guidelines/` tree), the nearest `dmcg.toml` and
//! `schema/` folder, parsing plus checking a file, and reading many files'
//! front matter in parallel (callers check many files on their own threads,
//! so each can report or drop a file's results where it was checked).
//! This is the only library crate that reads files for the check.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vejviser_diagnostics::{Code, Diagnostic, LineStarts};
use vejviser_model::{FrontMatter, Registry, Span};
use vejviser_template::{Template, TemplateSet};

mod check;
pub mod history;
mod read;

pub use check::{check_bytes, check_bytes_with, check_file, check_folder, CheckOptions, Checked};
use read::read_head;
pub use read::{read_guideline, read_limited, read_text, ReadError};

/// The registry file name.
pub const REGISTRY_FILE: &str = "dmcg.toml";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Template(#[from] vejviser_template::TemplateError),
}

/// Whether a file is the current version or a frozen archived one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Current,
    /// `archive/<version>.md`: the version its file name claims.
    Archived {
        version: String,
    },
    /// Any other Markdown file named on the command line.
    Other,
}

/// One guideline source file.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The path as shown in diagnostics.
    pub display: String,
    pub kind: SourceKind,
}

impl Source {
    pub fn new(path: PathBuf) -> Source {
        let display = path.to_string_lossy().into_owned();
        let kind = classify(&path);
        Source {
            path,
            display,
            kind,
        }
    }
    /// The guideline's folder (the slug folder for archived files too).
    pub fn guideline_dir(&self) -> &Path {
        let parent = self.path.parent().unwrap_or(Path::new("."));
        match self.kind {
            SourceKind::Archived { .. } => parent.parent().unwrap_or(parent),
            _ => parent,
        }
    }
    /// The guideline's slug: its folder name.
    pub fn slug(&self) -> String {
        self.guideline_dir()
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

fn classify(path: &Path) -> SourceKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_archive = path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "archive");
    if name == "guideline.md" {
        SourceKind::Current
    } else if in_archive && name.ends_with(".md") {
        SourceKind::Archived {
            version: name.trim_end_matches(".md").to_string(),
        }
    } else {
        SourceKind::Other
    }
}

/// The guideline files a list of paths means: files as given; folders walked
/// for `guideline.md` and `archive/*.md` (in sorted order, so output is stable).
///
/// Nothing that looks like a guideline is skipped: a `guideline.md` (or
/// `archive/*.md`) that is a folder, a symbolic link or a named pipe, a
/// symbolic link to a folder or a dangling one, and a guideline folder
/// whose `guideline.md` is missing (renamed) are listed too, so that
/// reading them ([`read_guideline`]) reports each by name. A path named
/// here that is not a folder is listed as it is; a folder named here is
/// walked even when it is a link, but links inside it are never followed.
pub fn discover(paths: &[PathBuf], include_archive: bool) -> Result<Vec<Source>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        // A dangling link named on the command line is listed too (VV0006 names it).
        let meta = std::fs::metadata(p).or_else(|e| std::fs::symlink_metadata(p).map_err(|_| e));
        let meta = meta.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound {
                path: p.display().to_string(),
            },
            _ => LoadError::Io {
                path: p.display().to_string(),
                source: e,
            },
        })?;
        if !meta.is_dir() {
            out.push(Source::new(p.clone()));
            continue;
        }
        for entry in walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .follow_links(false)
        {
            let entry = entry.map_err(|e| LoadError::Io {
                path: p.display().to_string(),
                source: e.into(),
            })?;
            let t = entry.file_type();
            // A link to a folder (or to nothing) may hide a guideline folder.
            let hidden_folder =
                t.is_symlink() && !std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file());
            let s = Source::new(entry.path().to_path_buf());
            match s.kind {
                // Named like a guideline file, whatever it is (a folder too).
                SourceKind::Current => out.push(s),
                SourceKind::Archived { .. } if include_archive => out.push(s),
                SourceKind::Archived { .. } => {}
                _ if hidden_folder => out.push(s),
                SourceKind::Other if t.is_dir() => {
                    if let Some(missing) = missing_guideline(entry.path()) {
                        out.push(Source::new(missing));
                    }
                }
                SourceKind::Other => {}
            }
        }
    }
    Ok(out)
}

/// `dir/guideline.md` when `dir` looks like a guideline folder (it has an
/// `archive/` folder or a file named like `Guideline.md`, `guideline-old.md`)
/// but has no `guideline.md`: a renamed guideline must not vanish from a report.
fn missing_guideline(dir: &Path) -> Option<PathBuf> {
    if dir.file_name().is_some_and(|n| n == "archive") {
        return None;
    }
    let mut looks = false;
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name == "guideline.md" {
            return None;
        }
        let lower = name.to_lowercase();
        looks |= lower.starts_with("guideline") && lower.contains(".md")
            || name == "archive" && e.file_type().is_ok_and(|t| t.is_dir());
    }
    looks.then(|| dir.join("guideline.md"))
}

/// The diagnostic for a guideline file that could not be read.
pub fn read_error_diagnostic(source: &Source, e: &ReadError) -> Diagnostic {
    let code = match e {
        ReadError::TooLarge { .. } => Code::FileTooLarge,
        ReadError::Io(_) => Code::NotUtf8,
        _ => Code::NotRegularFile,
    };
    // The diagnostic names the whole path; the message names the part that is wrong.
    let name = source
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.display.clone());
    Diagnostic::new(
        code,
        &source.display,
        Span::new(1, 1),
        format!("`{name}` {e}"),
    )
}

/// Where a guideline must live: `<group>/<slug>/guideline.md` (or
/// `…/archive/<version>.md`) directly under the folder of the nearest
/// `dmcg.toml`, each folder name a plain path segment
/// ([`vejviser_model::safe::is_path_segment`]): the site publishes exactly
/// those, so `check` rejects what `site` could not publish.
pub fn location_diagnostic(source: &Source) -> Option<Diagnostic> {
    if source.kind == SourceKind::Other {
        return None;
    }
    let abs = std::path::absolute(&source.path).ok()?;
    location_under(source, &abs, find_up(&abs, REGISTRY_FILE)?.parent()?)
}

/// [`location_diagnostic`] for a file at `abs` whose nearest `dmcg.toml` is in `root`.
pub(crate) fn location_under(source: &Source, abs: &Path, root: &Path) -> Option<Diagnostic> {
    if source.kind == SourceKind::Other {
        return None;
    }
    let dir = Source::new(abs.to_path_buf()).guideline_dir().to_path_buf();
    let rel = dir.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // An archived file's name is not used: its version folder comes from its
    // front matter, which VV0503 holds to the name.
    let bad: Vec<&str> = parts
        .iter()
        .filter(|p| !vejviser_model::safe::is_path_segment(p))
        .map(String::as_str)
        .collect();
    let why = if parts.len() != 2 {
        format!(
            "the guideline folder is {} level(s) below the folder of {REGISTRY_FILE}; guidelines live at <group>/<slug>/guideline.md, two levels below it",
            parts.len()
        )
    } else if let Some(b) = bad.first() {
        format!("the folder or file name `{b}` cannot be published: names are lower-case letters, digits, '-', '_' and '.', starting with a letter or digit")
    } else {
        return None;
    };
    Some(
        Diagnostic::new(Code::MisplacedGuideline, &source.display, Span::new(1, 1), why)
            .help("`vejviser site` publishes only guidelines at <group>/<slug>/guideline.md with plain folder names; move or rename the folder"),
    )
}

/// A path made absolute with every existing part's symlinks resolved and
/// `.`/`..` taken out, for comparing where two paths really are.
pub fn resolve(p: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut existing = abs.as_path();
    let mut rest: Vec<std::path::Component> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Ok(out);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// Walks up from `start` to the first folder holding `name`.
pub fn find_up(start: &Path, name: &str) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(name);
        if candidate.exists() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The built-in templates plus every `schema/*.toml` in the nearest `schema/` folder above `near`.
pub fn load_templates(near: &Path) -> Result<TemplateSet, LoadError> {
    let mut set = TemplateSet::builtin();
    let Some(dir) = find_up(near, "schema").filter(|d| d.is_dir()) else {
        return Ok(set);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| LoadError::Io {
            path: dir.display().to_string(),
            source: e,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for f in files {
        let text = read_text(&f).map_err(|e| LoadError::Io {
            path: f.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        set.insert(Template::parse(&f.display().to_string(), &text)?);
    }
    Ok(set)
}

/// A loaded registry: `Ok(None)` when there is none, `Err` when it is invalid.
pub type LoadedRegistry = Arc<Result<Option<Registry>, Diagnostic>>;

/// Registries by folder, loaded once each.
#[derive(Default)]
pub struct Registries {
    cache: Mutex<HashMap<PathBuf, LoadedRegistry>>,
    /// The nearest `dmcg.toml` above each folder of a checked file, looked up once.
    found: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Registries {
    /// The nearest `dmcg.toml` above a guideline: `Ok(None)` when there is none.
    pub fn for_file(&self, file: &Path) -> LoadedRegistry {
        self.loaded(find_up(file, REGISTRY_FILE))
    }

    /// The nearest `dmcg.toml` above the regular file at the absolute path
    /// `abs` ([`find_up`] from its folder), looked up once per folder: the
    /// files of a guideline folder, and their check, share it.
    fn registry_file(&self, abs: &Path) -> Option<PathBuf> {
        let dir = abs.parent()?;
        let memo = |m: &Mutex<HashMap<PathBuf, Option<PathBuf>>>| {
            m.lock().expect("registry cache").get(dir).cloned()
        };
        if let Some(found) = memo(&self.found) {
            return found;
        }
        let found = find_up(abs, REGISTRY_FILE);
        self.found
            .lock()
            .expect("registry cache")
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The registry in the `dmcg.toml` at `found`, loaded once.
    fn loaded(&self, found: Option<PathBuf>) -> LoadedRegistry {
        let key = found.clone().unwrap_or_default();
        if let Some(r) = self.cache.lock().expect("registry cache").get(&key) {
            return r.clone();
        }
        let loaded = Arc::new(match &found {
            None => Ok(None),
            Some(path) => {
                // Named as the guidelines are: relative to the working folder when under it.
                let shown = std::env::current_dir()
                    .ok()
                    .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
                    .unwrap_or_else(|| path.clone())
                    .display()
                    .to_string();
                match read_text(path) {
                    Ok(text) => vejviser_parse::parse_registry(&shown, &text).map(Some),
                    Err(e) => Err(Diagnostic::new(
                        Code::MissingRegistry,
                        &shown,
                        Span::new(1, 1),
                        format!("cannot read the group registry: {e}"),
                    )),
                }
            }
        });
        self.cache
            .lock()
            .expect("registry cache")
            .insert(key, loaded.clone());
        loaded
    }
}

/// The texts of the other files that `diags` point into (a broken group
/// registry's error comes with each guideline that uses it), read now, for
/// showing their lines and counting their columns. Unreadable ones are left out.
pub fn other_files(file: &str, diags: &[Diagnostic]) -> BTreeMap<String, String> {
    diags
        .iter()
        .filter(|d| d.file != file)
        .map(|d| d.file.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|f| Some((f.to_string(), read_text(Path::new(f)).ok()?)))
        .collect()
}

/// Columns in characters ([`vejviser_diagnostics::in_characters`]) for the
/// findings of a check of `file`, whose text is `text`; a finding in another
/// file is counted in that file's text, read here.
pub fn in_characters(file: &str, text: &str, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    in_characters_with(&LineStarts::new(file, text), diags)
}

/// [`in_characters`] with the text's line starts already found.
pub fn in_characters_with(lines: &LineStarts, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let others = other_files(lines.file(), &diags);
    let mut diags = vejviser_diagnostics::in_characters_with(lines, diags);
    for d in diags.iter_mut().filter(|d| d.file != lines.file()) {
        if let Some(text) = others.get(d.file.as_str()) {
            if let Some(c) = LineStarts::new(&d.file, text).char_column(d.line, d.column) {
                d.column = c;
            }
        }
    }
    diags
}

/// A file's front matter only (the revision report reads nothing else).
#[derive(Debug)]
pub struct FrontOnly {
    pub source: Source,
    pub front: Option<FrontMatter>,
    /// Columns count characters: nothing underlines these in the source.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads only the front matter of each file, in parallel. Only the head of
/// each file is read: the front matter ends long before the body.
pub fn read_front_matters(sources: &[Source]) -> Vec<FrontOnly> {
    sources
        .par_iter()
        .map(|s| {
            let (front, diagnostics) = match read_head(&s.path) {
                Ok(bytes) => {
                    let (front, diags) = vejviser_parse::parse_front_matter(&s.display, &bytes);
                    let head = String::from_utf8_lossy(&bytes);
                    (
                        front,
                        vejviser_diagnostics::in_characters(&s.display, &head, diags),
                    )
                }
                Err(e) => (None, vec![read_error_diagnostic(s, &e)]),
            };
            // A guideline `site` would not publish (VV0007) is a problem of the
            // report too, not a row that looks published.
            let mut diagnostics = diagnostics;
            diagnostics.extend(location_diagnostic(s));
            FrontOnly {
                source: s.clone(),
                front,
                diagnostics,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_files_are_classified_by_folder() {
        assert_eq!(
            classify(Path::new("g/dmsg/x/archive/1.5.md")),
            SourceKind::Archived {
                version: "1.5".into()
            }
        );
        assert_eq!(
            classify(Path::new("g/dmsg/x/guideline.md")),
            SourceKind::Current
        );
        assert_eq!(classify(Path::new("notes.md")), SourceKind::Other);
    }
}
