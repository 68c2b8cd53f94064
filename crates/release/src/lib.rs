//! Releasing a guideline version (`vejviser release`), for the secretariat.
//!
//! A release is planned first ([`plan`]: nothing is written) and then applied
//! ([`apply`]). Applying never loses data: the current text is archived and the
//! new text written through temporary files, and a failure at any step leaves
//! both `guideline.md` and the archive as they were.
//!
//! The rules:
//! - a **published** guideline (it has a `professional_approval`) is copied to
//!   `archive/<its version>.md` — refused if that file exists with other content,
//!   accepted if it is identical — and the new version must be higher. The new
//!   front matter gets `previous_version` = the archived version; the archived
//!   version's approvals and planned update are replaced by the ones given, or
//!   removed (they belong to the archived version: the new one is then a draft).
//! - a **draft** has never been published, so nothing is archived; the new
//!   version must not be lower than the draft's, and the draft's own keys are kept
//!   unless given. This is how a draft made by `vejviser new` is first approved.
//!
//! Checking the result against the template is the caller's part: the binary
//! checks [`Plan::updated`] before calling [`apply`].

pub mod diff;
pub mod files;
pub mod frontmatter;

use chrono::NaiveDate;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use vejviser_model::Version;

pub use frontmatter::{Change, FrontMatterEdit, NewApproval};

/// What a release sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub version: Version,
    pub professional_approval: Option<NewApproval>,
    pub administrative_approval: Option<NewApproval>,
    pub planned_update: Option<NaiveDate>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{path}:{line}: {message}")]
    FrontMatter {
        path: String,
        line: u32,
        message: String,
    },
    #[error("{path}: version {requested} is not higher than the current version {current}")]
    NotHigher {
        path: String,
        current: Version,
        requested: Version,
    },
    #[error("{path}: version {requested} is lower than the draft's version {current}")]
    LowerThanDraft {
        path: String,
        current: Version,
        requested: Version,
    },
    #[error("{path} already exists and differs from the current guideline.md, so version {version} was archived before with other content; compare the two files and remove or rename the wrong one")]
    ArchiveDiffers { path: String, version: Version },
    #[error("{path}: the front matter cannot be edited: {message}")]
    Edit { path: String, message: String },
    #[error("{path} changed on disk while the release was being prepared; nothing was written, run the command again")]
    ChangedMeanwhile { path: String },
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        source: io::Error,
    },
}

fn io_error(path: &Path, action: &'static str) -> impl FnOnce(io::Error) -> ReleaseError {
    let path = path.display().to_string();
    move |source| ReleaseError::Io {
        path,
        action,
        source,
    }
}

/// What a release will do to the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveAction {
    /// The guideline is a draft: nothing published to archive.
    Nothing,
    /// Copy the current text to this new file.
    Create(PathBuf),
    /// The current text is already archived here, byte for byte.
    AlreadyArchived(PathBuf),
}

/// A release worked out but not yet written.
#[derive(Debug, Clone)]
pub struct Plan {
    pub guideline: PathBuf,
    pub current_version: Version,
    /// The current guideline has no professional approval.
    pub was_draft: bool,
    pub archive: ArchiveAction,
    /// The current text, exactly as read.
    pub original: String,
    /// The text after the release.
    pub updated: String,
    /// File line of the front matter's first TOML line (for the diff).
    front_first_line: usize,
    front_before: std::ops::Range<usize>,
    front_after: std::ops::Range<usize>,
}

impl Plan {
    /// The front matter change as a unified diff (empty when nothing changes).
    pub fn front_matter_diff(&self) -> String {
        let name = self.guideline.display().to_string();
        diff::unified(
            &self.original[self.front_before.clone()],
            &self.updated[self.front_after.clone()],
            &name,
            &format!("{name} (version {})", self.version_after()),
            self.front_first_line,
            3,
        )
    }

    fn version_after(&self) -> String {
        vejviser_parse::parse_front_matter("", self.updated.as_bytes())
            .0
            .map(|f| f.version.to_string())
            .unwrap_or_default()
    }
}

/// Works out a release of the guideline at `path` whose current text is `text`.
/// Reads the archive folder but writes nothing.
pub fn plan(path: &Path, text: &str, release: &Release) -> Result<Plan, ReleaseError> {
    let shown = path.display().to_string();
    let (front, diags) = vejviser_parse::parse_front_matter(&shown, text.as_bytes());
    let front = match (front, diags.iter().find(|d| d.is_error())) {
        (Some(f), None) => f,
        (_, Some(d)) => {
            return Err(ReleaseError::FrontMatter {
                path: shown,
                line: d.line,
                message: format!("{} (fix the front matter before releasing)", d.message),
            })
        }
        (None, None) => {
            return Err(ReleaseError::FrontMatter {
                path: shown,
                line: 1,
                message: "the front matter cannot be read".into(),
            })
        }
    };
    let current = front.version;
    let was_draft = front.is_draft();
    if was_draft && release.version < current {
        return Err(ReleaseError::LowerThanDraft {
            path: shown,
            current,
            requested: release.version,
        });
    }
    if !was_draft && release.version <= current {
        return Err(ReleaseError::NotHigher {
            path: shown,
            current,
            requested: release.version,
        });
    }
    let archive = if was_draft {
        ArchiveAction::Nothing
    } else {
        let dir = path.parent().unwrap_or(Path::new(".")).join("archive");
        let target = dir.join(format!("{current}.md"));
        match fs::read(&target) {
            Ok(bytes) if bytes == text.as_bytes() => ArchiveAction::AlreadyArchived(target),
            Ok(_) => {
                return Err(ReleaseError::ArchiveDiffers {
                    path: target.display().to_string(),
                    version: current,
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => ArchiveAction::Create(target),
            Err(e) => return Err(io_error(&target, "read the archived version")(e)),
        }
    };
    let keep_or_drop = |given: Option<NewApproval>| match (given, was_draft) {
        (Some(a), _) => Change::Set(a),
        (None, true) => Change::Keep,
        (None, false) => Change::Remove,
    };
    let edit = FrontMatterEdit {
        version: release.version,
        previous_version: (!was_draft).then_some(current),
        professional_approval: keep_or_drop(release.professional_approval.clone()),
        administrative_approval: keep_or_drop(release.administrative_approval.clone()),
        planned_update: match (release.planned_update, was_draft) {
            (Some(d), _) => Change::Set(d),
            (None, true) => Change::Keep,
            (None, false) => Change::Remove,
        },
    };
    let range =
        vejviser_parse::front_matter_range(text).ok_or_else(|| ReleaseError::FrontMatter {
            path: shown.clone(),
            line: 1,
            message: "the file has no `+++` front matter".into(),
        })?;
    let toml = frontmatter::edit(&text[range.clone()], &edit).map_err(|e| ReleaseError::Edit {
        path: shown.clone(),
        message: e.message().to_string(),
    })?;
    // The note `vejviser new` leaves in a draft says it is a draft until this
    // release: once approved it would be untrue. An edited note is the
    // author's and stays.
    let approved = matches!(edit.professional_approval, Change::Set(_))
        || (matches!(edit.professional_approval, Change::Keep)
            && front.professional_approval.is_some());
    let toml = if approved {
        vejviser_fmt::draft::DRAFT_NOTES
            .iter()
            .fold(toml, |t, note| t.replacen(note, "", 1))
    } else {
        toml
    };
    let mut updated = String::with_capacity(text.len() + 128);
    updated.push_str(&text[..range.start]);
    updated.push_str(&toml);
    updated.push_str(&text[range.end..]);
    Ok(Plan {
        guideline: path.to_path_buf(),
        current_version: current,
        was_draft,
        archive,
        front_first_line: text[..range.start].matches('\n').count() + 1,
        front_before: range.clone(),
        front_after: range.start..range.start + toml.len(),
        original: text.to_string(),
        updated,
    })
}

/// Writes a planned release: archive first, then the new guideline. A failure at
/// any step undoes the steps before it.
pub fn apply(plan: &Plan) -> Result<(), ReleaseError> {
    apply_with(plan, |a, b| fs::rename(a, b))
}

fn apply_with(
    plan: &Plan,
    rename: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> Result<(), ReleaseError> {
    let g = &plan.guideline;
    let now = fs::read(g).map_err(io_error(g, "read the guideline"))?;
    if now != plan.original.as_bytes() {
        return Err(ReleaseError::ChangedMeanwhile {
            path: g.display().to_string(),
        });
    }
    // The new guideline is fully on disk before anything else changes.
    let mut new = files::TempFile::write_next_to(g, plan.updated.as_bytes())
        .map_err(io_error(g, "write the new version next to the guideline"))?;
    let mut made_dir = None;
    let mut made_file = None;
    if let ArchiveAction::Create(target) = &plan.archive {
        let dir = target.parent().unwrap_or(Path::new("."));
        if fs::symlink_metadata(dir).is_err() {
            fs::create_dir(dir).map_err(io_error(dir, "create the archive folder"))?;
            made_dir = Some(dir);
        }
        if let Err(e) = files::create_new(target, plan.original.as_bytes()) {
            if let Some(d) = made_dir {
                let _ = fs::remove_dir(d);
            }
            return Err(io_error(target, "archive the current version")(e));
        }
        made_file = Some(target);
    }
    if let Err(e) = new.replace_with(g, rename) {
        if let Some(f) = made_file {
            let _ = fs::remove_file(f);
        }
        if let Some(d) = made_dir {
            let _ = fs::remove_dir(d);
        }
        return Err(io_error(g, "replace the guideline")(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
