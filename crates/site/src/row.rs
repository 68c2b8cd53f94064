//! A guideline's row in the overview, a group page and the status page, with
//! what the feed and the search index take from it, and the feed's words for
//! what changed since the previous version.

use crate::outline::Outline;
use chrono::NaiveDate;
use serde::Serialize;
use vejviser_model::{Registry, Version};
use vejviser_revision::{Revision, RevisionStatus};

/// A row of the overview, a group page or the status page.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub title: String,
    pub url: String,
    pub dmcg: String,
    pub group: String,
    pub version: String,
    pub language: &'static str,
    pub professional_approval: Option<NaiveDate>,
    pub administrative_approval: Option<NaiveDate>,
    pub planned_update: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub status: RevisionStatus,
    pub status_label: &'static str,
    pub days_overdue: Option<i64>,
    pub keywords: Vec<String>,
    /// Plain recommendation texts, for the search index.
    #[serde(skip)]
    pub recommendations: Vec<String>,
    /// What changed in the recommendations since the previous version, in
    /// words, for the Atom feed (set for the feed's entries only).
    #[serde(skip)]
    pub changes: Option<String>,
    /// The version has a page of changes (`<url>aendringer/`), for the feed
    /// and the sitemap.
    #[serde(skip)]
    pub changes_page: bool,
}

pub(crate) fn row_for(c: &Outline, registry: &Registry, url: &str, rev: &Revision) -> Row {
    let front = c.front();
    Row {
        title: front.title.clone(),
        url: url.to_string(),
        dmcg: front.dmcg.clone(),
        group: registry
            .get(&front.dmcg)
            .map(|gr| gr.name.clone())
            .unwrap_or_else(|| front.dmcg.clone()),
        version: front.version.to_string(),
        language: front.language.code(),
        professional_approval: front.professional_approval.as_ref().map(|a| a.date),
        administrative_approval: front.administrative_approval.as_ref().map(|a| a.date),
        planned_update: front.planned_update,
        expires: rev.expires,
        status: rev.status,
        // The site's own language is Danish.
        status_label: rev.status.label(vejviser_revision::Lang::Da),
        days_overdue: rev.days_overdue,
        keywords: front.keywords.clone(),
        recommendations: c.recommendations.clone(),
        changes: None,
        changes_page: false,
    }
}

/// The feed's words for what changed: "Siden version 1.5: 3 nye anbefalinger
/// (3, 6, 8), 4 ændrede (1, 2, 4, 7), ingen fjernede."
pub(crate) fn feed_summary(d: &vejviser_versions::Diff, since: Version) -> String {
    use vejviser_versions::Change;
    let numbers = |c: Change| -> Vec<String> {
        d.recommendations
            .iter()
            .filter(|r| r.change == c)
            .filter_map(|r| {
                if c == Change::Removed {
                    r.old_number
                } else {
                    r.new_number
                }
            })
            .map(|n| n.to_string())
            .collect()
    };
    let part = |c: Change, one: &str, many: &str| {
        let n = numbers(c);
        match n.len() {
            0 => format!("ingen {many}"),
            1 => format!("1 {one} ({})", n[0]),
            k => format!("{k} {many} ({})", n.join(", ")),
        }
    };
    format!(
        "Siden version {since}: {}, {}, {}.",
        part(Change::Added, "ny anbefaling", "nye anbefalinger"),
        part(Change::Changed, "ændret", "ændrede"),
        part(Change::Removed, "fjernet", "fjernede")
    )
}
