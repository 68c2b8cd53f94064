//! The front matter rules (group, approval dates, planned update, versions) and the
//! revision status on the checking date; also on a front matter alone, for the
//! revision report.

use chrono::NaiveDate;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{Guideline, Registry};
use vejviser_revision::{expiry_date, revision, RevisionStatus};

use crate::{CheckContext, Checker};

impl Checker<'_> {
    pub(crate) fn front_matter(&mut self) {
        let f = &self.g.front;
        let sp = f.spans;
        match self.cx.registry {
            None => self.push(
                Code::MissingRegistry,
                sp.dmcg,
                "no group registry (dmcg.toml) was found above this file",
                "create guidelines/dmcg.toml with a table per group, e.g. [DMSG] name = \"…\"",
            ),
            Some(reg) if reg.get(&f.dmcg).is_none() => {
                let near: Vec<&str> = reg
                    .groups
                    .keys()
                    .filter(|k| k.eq_ignore_ascii_case(&f.dmcg))
                    .map(|k| k.as_str())
                    .collect();
                let help = match near.first() {
                    Some(k) => format!("did you mean `{k}`? Group keys are case-sensitive"),
                    None => format!(
                        "known groups: {}",
                        reg.groups.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                let msg = format!("group `{}` is not in dmcg.toml", f.dmcg);
                self.push(Code::UnknownGroup, sp.dmcg, msg, help);
            }
            _ => {}
        }
        if let Some(prev) = f.previous_version {
            if prev >= f.version {
                let (msg, help) = vejviser_diagnostics::versions::previous_not_lower(
                    f.language,
                    &prev.to_string(),
                    &f.version.to_string(),
                );
                self.push(
                    Code::PreviousVersionNotLower,
                    sp.previous_version,
                    msg,
                    help,
                );
            }
        }
        if let Some(stem) = self.cx.archived_as {
            if stem != f.version.to_string() {
                let (msg, help) = vejviser_diagnostics::versions::archive_version_mismatch(
                    f.language,
                    stem,
                    &f.version.to_string(),
                );
                self.push(Code::ArchiveVersionMismatch, sp.version, msg, help);
            }
        }
        let prof = f.professional_approval.as_ref();
        let adm = f.administrative_approval.as_ref();
        for a in [prof, adm].into_iter().flatten() {
            if a.date > self.cx.as_of {
                self.push(
                    Code::ApprovalInFuture,
                    a.span,
                    format!(
                        "the approval date {} is in the future (today is {})",
                        a.date, self.cx.as_of
                    ),
                    "approval dates record what has happened; check the year and month",
                );
            }
        }
        match (prof, adm) {
            (Some(p), Some(a)) if a.date < p.date => {
                self.push(Code::AdministrativeBeforeProfessional, a.span, format!("administrative approval {} is before professional approval {}", a.date, p.date), "the secretariat approves after the group; check both dates");
            }
            (None, Some(a)) => self.push(Code::AdministrativeWithoutProfessional, a.span, "administrative approval on a guideline without professional approval", "add professional_approval, or remove administrative_approval while the guideline is a draft"),
            _ => {}
        }
        if let Some(p) = prof {
            match f.planned_update {
                None => self.push(
                    Code::MissingPlannedUpdate,
                    p.span,
                    "an approved guideline needs a planned_update",
                    format!(
                        "add e.g. planned_update = {} (at most five years after the approval)",
                        expiry_date(p.date)
                    ),
                ),
                Some(u) if u <= p.date => self.push(
                    Code::PlannedUpdateBeforeApproval,
                    sp.planned_update,
                    format!(
                        "planned_update {u} is not after the professional approval {}",
                        p.date
                    ),
                    "the planned update is a date after the approval",
                ),
                Some(u) if u > expiry_date(p.date) => self.push(
                    Code::PlannedUpdateBeyondLimit,
                    sp.planned_update,
                    format!(
                        "planned_update {u} is beyond the five-year limit ({})",
                        expiry_date(p.date)
                    ),
                    format!("plan the update on or before {}", expiry_date(p.date)),
                ),
                _ => {}
            }
        }
    }

    pub(crate) fn revision(&mut self) {
        let f = &self.g.front;
        if self.cx.archived_as.is_some() {
            return;
        }
        let Some(p) = &f.professional_approval else {
            return;
        };
        let r = revision(
            Some(p.date),
            f.planned_update,
            self.cx.as_of,
            self.cx.due_within_days,
        );
        let at = if f.planned_update.is_some() {
            f.spans.planned_update
        } else {
            p.span
        };
        match r.status {
            RevisionStatus::Due => self.push(
                Code::RevisionDue,
                at,
                format!(
                    "the planned update {} is {} days away",
                    f.planned_update.map(|d| d.to_string()).unwrap_or_default(),
                    r.days_until_planned_update.unwrap_or(0)
                ),
                "plan the revision with the group, or re-approve with a new planned_update",
            ),
            RevisionStatus::Overdue => self.push(
                Code::RevisionOverdue,
                at,
                format!(
                    "the planned update {} passed {} days ago",
                    f.planned_update.map(|d| d.to_string()).unwrap_or_default(),
                    -r.days_until_planned_update.unwrap_or(0)
                ),
                "revise the guideline, or re-approve it with a new planned_update",
            ),
            RevisionStatus::Expired => self.push(
                Code::RevisionExpired,
                p.span,
                format!(
                    "five years have passed since the professional approval {} (expired {})",
                    p.date,
                    r.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
                "the guideline must come off the website until it is professionally re-approved",
            ),
            _ => {}
        }
    }
}

/// Only the front matter rules (known group, approval dates, planned update,
/// versions) on a front matter alone, for callers that read nothing else: the
/// revision report. Same codes and messages as [`check`](crate::check); no revision warnings.
pub fn check_front_matter(
    path: &str,
    front: &vejviser_model::FrontMatter,
    registry: Option<&Registry>,
    as_of: NaiveDate,
    archived_as: Option<&str>,
) -> Vec<Diagnostic> {
    // The front matter rules never consult the template or the body, so an
    // empty body and the built-in template stand in for them.
    static BUILTIN: std::sync::OnceLock<vejviser_template::TemplateSet> =
        std::sync::OnceLock::new();
    let g = Guideline {
        path: path.to_string(),
        front: front.clone(),
        template: String::new(),
        chapters: Vec::new(),
        changelog: Vec::new(),
        recommendations: Vec::new(),
        evidence: Vec::new(),
        references: Vec::new(),
    };
    let cx = CheckContext {
        template: BUILTIN
            .get_or_init(vejviser_template::TemplateSet::builtin)
            .newest(),
        registry,
        as_of,
        due_within_days: 0,
        archived_as,
        front_ok: true,
    };
    let mut c = Checker {
        g: &g,
        cx: &cx,
        out: Vec::new(),
    };
    c.front_matter();
    c.out
}
