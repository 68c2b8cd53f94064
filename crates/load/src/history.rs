//! A guideline's earlier versions, read from its `archive/` folder by
//! following `previous_version` back, for stable recommendation ids, the
//! difference between versions and the changelog check.

use std::path::{Path, PathBuf};
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
    // Without a readable front matter there is no version to compare.
    use vejviser_diagnostics::Code;
    if let Some(d) = parsed.diagnostics.iter().find(|d| {
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
    }) {
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
    walk_back(dir, g, templates, depth, &mut out)?;
    out.reverse();
    Ok(out)
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
    let _ = walk_back(dir, g, templates, usize::MAX, &mut out);
    out.reverse();
    out
}

/// Pushes the versions before `g`, newest first, until none is left or one fails.
fn walk_back(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
    depth: usize,
    out: &mut Vec<Guideline>,
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
        if !file.is_file() {
            return Err(HistoryError::Missing {
                path: file.display().to_string(),
                version: prev,
            });
        }
        let older = read_guideline(&file, templates)?;
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
/// is not this check's business).
pub fn version_diagnostics(
    dir: &Path,
    g: &Guideline,
    templates: &TemplateSet,
) -> Vec<vejviser_diagnostics::Diagnostic> {
    if g.front.previous_version.is_none() {
        return Vec::new();
    }
    let earlier = match depth_needed(g) {
        1 => earlier_versions(dir, g, templates, 1).unwrap_or_default(),
        _ => available_earlier_versions(dir, g, templates),
    };
    let Some(prev) = earlier.last() else {
        return Vec::new();
    };
    let mut chain: Vec<&Guideline> = earlier.iter().collect();
    chain.push(g);
    let slug = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let h = vejviser_versions::history(&g.front.dmcg, &slug, &chain);
    let k = chain.len() - 1;
    let mut out = h.pin_diagnostics(k, g);
    if let Some(d) = &h.diffs[k] {
        out.extend(vejviser_versions::changelog::check(prev, g, d));
    }
    out
}
