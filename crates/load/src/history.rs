//! A guideline's earlier versions, read from its `archive/` folder by
//! following `previous_version` back, for stable recommendation ids, the
//! difference between versions and the changelog check.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{Guideline, IdPin, Version};
use vejviser_template::TemplateSet;

/// Why an earlier version could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{path}: the previous version {version} is not in the archive")]
    Missing { path: String, version: Version },
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("{path}: does not parse as a guideline")]
    DoesNotParse { path: String },
    #[error("{path}:{line}: not a guideline: {message}")]
    NotAGuideline {
        path: String,
        line: u32,
        message: String,
    },
    #[error("{path}: previous_version {previous} is not lower than version {version}")]
    NotLower {
        path: String,
        previous: Version,
        version: Version,
    },
}

/// The archived file that holds `version` of the guideline in `dir`.
pub fn archived_path(dir: &Path, version: Version) -> PathBuf {
    dir.join("archive").join(format!("{version}.md"))
}

/// Reads and parses one guideline file.
pub fn read_guideline(path: &Path, templates: &TemplateSet) -> Result<Guideline, HistoryError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => HistoryError::Unreadable {
            path: shown.clone(),
            message: "no such file".into(),
        },
        _ => HistoryError::Unreadable {
            path: shown.clone(),
            message: e.to_string(),
        },
    })?;
    let parsed = vejviser_parse::parse(&shown, &bytes, templates);
    if let Some(d) = not_a_version(&parsed.diagnostics) {
        return Err(HistoryError::NotAGuideline {
            path: shown,
            line: d.span().line,
            message: d.message.clone(),
        });
    }
    parsed
        .guideline
        .ok_or(HistoryError::DoesNotParse { path: shown })
}

/// The parser's finding that makes a file no version to compare with: without
/// a readable front matter there is no version. `None` when the file is one.
pub fn not_a_version(parse_findings: &[Diagnostic]) -> Option<&Diagnostic> {
    parse_findings.iter().find(|d| {
        matches!(
            d.code,
            Code::NotUtf8
                | Code::EmptyFile
                | Code::BinaryFile
                | Code::FileTooLarge
                | Code::MissingFrontMatter
                | Code::UnclosedFrontMatter
                | Code::InvalidToml
                | Code::MissingKey
                | Code::InvalidVersion
        )
    })
}

/// Archived versions already parsed in this run (`check` parses every file of
/// a guideline folder once), by file path: the version findings of the current
/// file take them from here instead of reading and parsing their files again.
/// A version not here is read from its file.
#[derive(Default)]
pub struct Parsed<'a> {
    versions: Vec<(&'a Path, &'a Guideline)>,
}

impl<'a> Parsed<'a> {
    /// Adds the model of the archived file at `path`, parsed from its bytes as
    /// they are now; only a file [`not_a_version`] accepts belongs here.
    pub fn add(&mut self, path: &'a Path, g: &'a Guideline) {
        self.versions.push((path, g));
    }

    fn get(&self, path: &Path) -> Option<&'a Guideline> {
        self.versions
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, g)| *g)
    }
}

/// The versions before `g` (whose file is in the guideline folder `dir`),
/// oldest first, following `previous_version` through `archive/` until a
/// version has none. `depth` limits how far back: 1 reads only the previous
/// version. Versions must fall strictly, so a loop cannot run forever.
pub fn earlier_versions(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
    depth: usize,
) -> Result<Vec<Guideline>, HistoryError> {
    let mut out = Vec::new();
    walk_back(dir, g, templates, &Parsed::default(), depth, &mut out)?;
    out.reverse();
    Ok(out.into_iter().map(Cow::into_owned).collect())
}

/// The earlier versions the archive holds, oldest first: like
/// [`earlier_versions`], but stopping quietly where the chain breaks (a
/// version published before the archive was kept, a file that does not
/// parse), so the oldest version found counts as the first. For stable ids,
/// which must not vanish because an old file is missing.
pub fn available_earlier_versions(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
) -> Vec<Guideline> {
    let mut out = Vec::new();
    let _ = walk_back(dir, g, templates, &Parsed::default(), usize::MAX, &mut out);
    out.reverse();
    out.into_iter().map(Cow::into_owned).collect()
}

/// Pushes the versions before `g`, newest first, until none is left or one
/// fails; those in `parsed` are taken from there, the others read.
fn walk_back<'a>(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
    parsed: &Parsed<'a>,
    depth: usize,
    out: &mut Vec<Cow<'a, Guideline>>,
) -> Result<(), HistoryError> {
    let mut at = (g.path.clone(), g.front.version, g.front.previous_version);
    while let (path, version, Some(prev)) = at {
        if out.len() >= depth {
            break;
        }
        if prev >= version {
            return Err(HistoryError::NotLower {
                path,
                previous: prev,
                version,
            });
        }
        let file = archived_path(dir, prev);
        let older = match parsed.get(&file) {
            Some(older) => Cow::Borrowed(older),
            None if !file.is_file() => {
                return Err(HistoryError::Missing {
                    path: file.display().to_string(),
                    version: prev,
                })
            }
            None => Cow::Owned(read_guideline(&file, templates)?),
        };
        at = (
            older.path.clone(),
            older.front.version,
            older.front.previous_version,
        );
        out.push(older);
    }
    Ok(())
}

/// How many versions back the checks of `g` need: the whole chain when an
/// `[id: …]` names an id (ids come from the first version on), else one.
pub fn depth_needed(g: &Guideline) -> usize {
    if g.recommendations
        .iter()
        .any(|r| matches!(r.id_pin, Some(IdPin::Keep(_))))
    {
        usize::MAX
    } else {
        1
    }
}

/// `g`'s findings against its previous version: recommendations the changelog
/// leaves out or names wrongly, and `[id: …]` pins no earlier recommendation
/// has. Nothing when there is no previous version in the archive (its absence
/// is not this check's business). Versions in `parsed` are not read again.
pub fn version_diagnostics(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
    parsed: &Parsed,
) -> Vec<Diagnostic> {
    if g.front.previous_version.is_none() {
        return Vec::new();
    }
    let mut earlier = Vec::new();
    // Like `earlier_versions` for one version back (nothing when the chain
    // breaks) and `available_earlier_versions` for the whole chain.
    let depth = depth_needed(g);
    if walk_back(dir, g, templates, parsed, depth, &mut earlier).is_err() && depth == 1 {
        earlier.clear();
    }
    earlier.reverse();
    let Some(prev) = earlier.last() else {
        return Vec::new();
    };
    let mut chain: Vec<&Guideline> = earlier.iter().map(|g| g.as_ref()).collect();
    chain.push(g);
    let slug = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The changelog check reads only the recommendations' changes.
    let h = vejviser_versions::recommendation_history(&g.front.dmcg, &slug, &chain);
    let k = chain.len() - 1;
    let mut out = h.pin_diagnostics(k, g);
    if let Some(d) = &h.diffs[k] {
        out.extend(vejviser_versions::changelog::check(prev, g, d));
    }
    out
}
