//! The revision report for the secretariat's nightly job: for every current
//! guideline, its revision status on a date (draft, current, due, overdue,
//! expired; spec section 9), sorted by urgency, with counts per status and per
//! group, each group's contact, and every file whose front matter could not be
//! used. Rendered as text, Markdown, CSV or JSON.
//!
//! Pure: the caller reads the files (front matter only), the group registry and
//! the clock, and passes them in; nothing here touches the disk or the clock.
//!
//! Drafts are rows with status `draft`, sorted last. A file whose front matter
//! does not parse, or breaks one of the checker's front matter rules (unknown
//! group, approval in the future, planned update before the approval, …), is
//! not a row: each of its problems is an entry under `errors`, so a status is
//! never computed from dates the checker rejects.

mod render;

use chrono::NaiveDate;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use vejviser_diagnostics::{Diagnostic, Severity};
use vejviser_model::{Contact, FrontMatter, Registry, Version};
use vejviser_revision::{revision, RevisionStatus};

pub use render::{Format, RenderOptions};

/// What the report is computed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The report date ("today" or `--as-of`).
    pub as_of: NaiveDate,
    /// Days before the planned update a guideline counts as due.
    pub due_within_days: u32,
}

/// One current guideline file as read for the report: its front matter, or
/// the diagnostics that say why there is none.
#[derive(Debug, Clone)]
pub struct GuidelineFile {
    /// The path as shown to the reader.
    pub path: String,
    /// The guideline's folder name.
    pub slug: String,
    /// `None` when the front matter could not be parsed.
    pub front: Option<FrontMatter>,
    /// The parser's findings (only errors are reported).
    pub diagnostics: Vec<Diagnostic>,
}

/// One guideline in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub path: String,
    pub dmcg: String,
    pub slug: String,
    pub title: String,
    pub version: Version,
    pub status: RevisionStatus,
    pub professional_approval: Option<NaiveDate>,
    pub planned_update: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    /// Days since the first missed deadline (planned update or expiry);
    /// 0 on the deadline, negative before it (days left); `None` for a draft.
    pub days_overdue: Option<i64>,
}

/// One problem with one file that kept it out of the rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub path: String,
    /// What is wrong and where: `line N: … (VVxxxx)`.
    pub message: String,
    /// The file's group when its front matter could be read (for the summary).
    #[serde(skip)]
    pub dmcg: Option<String>,
    #[serde(skip)]
    pub slug: String,
}

/// Number of guidelines per status, most urgent first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub expired: usize,
    pub overdue: usize,
    pub due: usize,
    pub current: usize,
    pub draft: usize,
}

impl StatusCounts {
    /// The count for one status.
    pub fn get(&self, status: RevisionStatus) -> usize {
        match status {
            RevisionStatus::Expired => self.expired,
            RevisionStatus::Overdue => self.overdue,
            RevisionStatus::Due => self.due,
            RevisionStatus::Current => self.current,
            RevisionStatus::Draft => self.draft,
        }
    }

    fn add(&mut self, status: RevisionStatus) {
        let n = match status {
            RevisionStatus::Expired => &mut self.expired,
            RevisionStatus::Overdue => &mut self.overdue,
            RevisionStatus::Due => &mut self.due,
            RevisionStatus::Current => &mut self.current,
            RevisionStatus::Draft => &mut self.draft,
        };
        *n += 1;
    }
}

/// One group's share of the report and whom to contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    /// The group's key as written in the guidelines.
    pub dmcg: String,
    /// The group's name from `dmcg.toml`; `None` when the group is not there.
    pub name: Option<String>,
    pub contact: Option<Contact>,
    /// Rows of this group.
    pub guidelines: usize,
    /// Files of this group that are under `errors`.
    pub files_with_errors: usize,
    #[serde(flatten)]
    pub counts: StatusCounts,
}

/// Counts over the whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Rows (guidelines with a status).
    pub guidelines: usize,
    /// Files under `errors` (one file may have several entries).
    pub files_with_errors: usize,
    #[serde(flatten)]
    pub counts: StatusCounts,
    /// Groups with at least one row or error, by key.
    pub groups: Vec<GroupSummary>,
}

/// The revision report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub as_of: NaiveDate,
    pub due_within_days: u32,
    /// Sorted by urgency: expired, overdue, due, current, draft; within a
    /// status the longest overdue (or the nearest deadline) first.
    pub guidelines: Vec<Row>,
    /// Sorted by file, then position.
    pub errors: Vec<FileError>,
    pub summary: Summary,
}

/// When the nightly job should fail (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Expired,
    Overdue,
    Due,
    /// Only on front matter errors.
    Never,
}

impl FailOn {
    /// The least urgent status that fails the run.
    pub fn threshold(self) -> Option<RevisionStatus> {
        match self {
            FailOn::Expired => Some(RevisionStatus::Expired),
            FailOn::Overdue => Some(RevisionStatus::Overdue),
            FailOn::Due => Some(RevisionStatus::Due),
            FailOn::Never => None,
        }
    }
}

impl Report {
    /// True when a file has front matter errors, or a guideline is at or above the threshold.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        !self.errors.is_empty()
            || fail_on
                .threshold()
                .is_some_and(|t| self.guidelines.iter().any(|r| r.status >= t))
    }

    /// The report in one of the formats.
    pub fn render(&self, format: Format, opts: &RenderOptions) -> String {
        render::render(self, format, opts)
    }
}

/// Builds the report from the files' front matter and the group registry.
pub fn build(files: &[GuidelineFile], registry: &Registry, opts: &Options) -> Report {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut failed_by_group: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for f in files {
        let mut problems: Vec<Diagnostic> = f
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        if let Some(front) = &f.front {
            problems.extend(
                vejviser_check::check_front_matter(
                    &f.path,
                    front,
                    Some(registry),
                    opts.as_of,
                    None,
                )
                .into_iter()
                .filter(|d| d.severity == Severity::Error),
            );
        }
        let dmcg = f.front.as_ref().map(|fm| fm.dmcg.clone());
        match &f.front {
            Some(front) if problems.is_empty() => rows.push(row(f, front, opts)),
            _ => {
                vejviser_diagnostics::sort(&mut problems);
                problems.dedup();
                let mut messages: Vec<String> = problems
                    .iter()
                    .map(|d| format!("line {}: {} ({})", d.line, d.message, d.code))
                    .collect();
                if messages.is_empty() {
                    // Never drop a file silently, even if the parser said nothing.
                    messages.push("line 1: the front matter could not be read".to_string());
                }
                *failed_by_group.entry(dmcg.clone()).or_default() += 1;
                errors.extend(messages.into_iter().map(|message| FileError {
                    path: f.path.clone(),
                    message,
                    dmcg: dmcg.clone(),
                    slug: f.slug.clone(),
                }));
            }
        }
    }
    sort_by_urgency(&mut rows);
    // Stable: a file's own entries stay in line order.
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    let summary = summarise(&rows, &failed_by_group, registry);
    Report {
        as_of: opts.as_of,
        due_within_days: opts.due_within_days,
        guidelines: rows,
        errors,
        summary,
    }
}

fn row(f: &GuidelineFile, front: &FrontMatter, opts: &Options) -> Row {
    let approved = front.professional_approval.as_ref().map(|a| a.date);
    let r = revision(
        approved,
        front.planned_update,
        opts.as_of,
        opts.due_within_days,
    );
    Row {
        path: f.path.clone(),
        dmcg: front.dmcg.clone(),
        slug: f.slug.clone(),
        title: front.title.clone(),
        version: front.version,
        status: r.status,
        professional_approval: approved,
        planned_update: front.planned_update,
        expires: r.expires,
        days_overdue: r.days_overdue,
    }
}

/// Most urgent first: by status (expired, overdue, due, current, draft), then
/// by days overdue, largest first (for due and current: the nearest deadline
/// first), then by group, slug and path so the order is total.
pub fn sort_by_urgency(rows: &mut [Row]) {
    rows.sort_by(urgency);
}

fn urgency(a: &Row, b: &Row) -> Ordering {
    b.status
        .cmp(&a.status)
        .then_with(|| b.days_overdue.cmp(&a.days_overdue))
        .then_with(|| a.dmcg.cmp(&b.dmcg))
        .then_with(|| a.slug.cmp(&b.slug))
        .then_with(|| a.path.cmp(&b.path))
}

/// Counts per status overall and per group; each group's name and contact
/// from the registry. `failed_by_group` counts failed files by group (`None`:
/// the front matter, and so the group, could not be read).
fn summarise(
    rows: &[Row],
    failed_by_group: &BTreeMap<Option<String>, usize>,
    registry: &Registry,
) -> Summary {
    let mut counts = StatusCounts::default();
    let mut groups: BTreeMap<&str, GroupSummary> = BTreeMap::new();
    let group = |key: &str| -> GroupSummary {
        let known = registry.get(key);
        GroupSummary {
            dmcg: key.to_string(),
            name: known.map(|g| g.name.clone()),
            contact: known.and_then(|g| g.contact.clone()),
            guidelines: 0,
            files_with_errors: 0,
            counts: StatusCounts::default(),
        }
    };
    for r in rows {
        counts.add(r.status);
        let g = groups.entry(&r.dmcg).or_insert_with(|| group(&r.dmcg));
        g.guidelines += 1;
        g.counts.add(r.status);
    }
    for (key, n) in failed_by_group {
        if let Some(key) = key {
            groups
                .entry(key)
                .or_insert_with(|| group(key))
                .files_with_errors += n;
        }
    }
    Summary {
        guidelines: rows.len(),
        files_with_errors: failed_by_group.values().sum(),
        counts,
        groups: groups.into_values().collect(),
    }
}

#[cfg(test)]
mod tests;
