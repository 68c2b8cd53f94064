//! The pieces [`crate::GuidelineView::new`] is built from: a recommendation, its
//! change tag, the front page's fields, the status banner, a table of contents entry.

use super::*;

pub(crate) fn toc(title: &str, anchor: &str) -> TocEntry {
    TocEntry {
        title: title.to_string(),
        anchor: anchor.to_string(),
    }
}

/// "Dansk Myelomatose Studiegruppe (DMSG)", or the short name alone.
pub(crate) fn group_label(group: Option<&Group>, dmcg: &str) -> String {
    match group {
        Some(g) if g.name != dmcg => format!("{} ({dmcg})", g.name),
        _ => dmcg.to_string(),
    }
}

pub(crate) fn status_view(s: MedicinraadetStatus, lang: Language) -> StatusView {
    StatusView {
        key: labels::status_key(s),
        symbol: labels::status_symbol(s),
        label: labels::status_label(s, lang),
    }
}

pub(crate) fn recommendation_view(
    r: &Recommendation,
    lang: Language,
    evidence_anchor: Option<String>,
) -> RecommendationView {
    let labels = Labels::for_language(lang);
    RecommendationView {
        number: r.number,
        anchor: anchor::recommendation(r.number, lang),
        evidence_anchor,
        cited_id: None,
        statements: r
            .statements
            .iter()
            .enumerate()
            .map(|(k, s)| StatementView {
                text: s.text.trim().to_string(),
                space_before: k > 0 && s.text.starts_with(char::is_whitespace),
                grade: s.grade.map(|g| GradeView {
                    letter: g.letter(),
                    label: format!("{} {}", labels.grade, g.letter()),
                }),
            })
            .filter(|s| !s.text.is_empty() || s.grade.is_some())
            .collect(),
        medicinraadet: r
            .medicinraadet
            .as_ref()
            .map(|m| status_view(m.status, lang)),
        extra_cost: r.extra_cost,
        notes: r.notes.clone(),
        id: None,
        change: None,
        content: r.content.clone(),
        notes_content: r.notes_content.clone(),
        html: String::new(),
        notes_html: Vec::new(),
    }
}

/// The visible change tag of a recommendation, in the guideline's language.
pub(crate) fn change_view(st: &vejviser_versions::Standing, lang: Language) -> Option<ChangeView> {
    use vejviser_versions::Change;
    let labels = Labels::for_language(lang);
    Some(match st.change? {
        Change::Added => ChangeView {
            key: "new",
            label: labels.change_new.to_string(),
        },
        Change::Changed => ChangeView {
            key: "changed",
            label: format!(
                "{}: {}",
                labels.change_changed,
                st.fields
                    .iter()
                    .map(|f| f.label(lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Change::Unchanged => ChangeView {
            key: "unchanged",
            label: format!("{} {}", labels.unchanged_since, st.unchanged_since),
        },
        Change::Removed => return None,
    })
}

pub(crate) fn front_fields(
    g: &Guideline,
    lang: Language,
    last_change: Option<&VersionLink>,
) -> Vec<FrontField> {
    let labels = Labels::for_language(lang);
    let f = &g.front;
    let approval = |a: &Option<vejviser_model::Approval>| match a {
        Some(a) => format!("{}, {}", long_date(a.date, lang), a.by),
        None => labels.not_approved.to_string(),
    };
    let mut out = vec![
        FrontField {
            key: "version",
            label: labels.version,
            value: f.version.to_string(),
        },
        FrontField {
            key: "professional_approval",
            label: labels.professional_approval,
            value: approval(&f.professional_approval),
        },
        FrontField {
            key: "administrative_approval",
            label: labels.administrative_approval,
            value: approval(&f.administrative_approval),
        },
    ];
    if let Some(v) = last_change {
        out.push(FrontField {
            key: "last_professional_change",
            label: labels.last_professional_change,
            value: match v.professional_approval {
                Some(d) => format!(
                    "{} ({} {})",
                    long_date(d, lang),
                    labels.version.to_lowercase(),
                    v.version
                ),
                None => format!("{} {}", labels.version, v.version),
            },
        });
    }
    out.extend([FrontField {
        key: "planned_update",
        label: labels.planned_update,
        value: f
            .planned_update
            .map(|d| long_date(d, lang))
            .unwrap_or_else(|| labels.not_set.to_string()),
    }]);
    if !f.keywords.is_empty() {
        out.push(FrontField {
            key: "keywords",
            label: labels.keywords,
            value: f.keywords.join(", "),
        });
    }
    out
}

/// The banner for a due, overdue or expired guideline; none otherwise.
pub fn status_banner(
    revision: &Revision,
    planned_update: Option<NaiveDate>,
    professional_approval: Option<NaiveDate>,
    lang: Language,
) -> Option<StatusBanner> {
    let labels = Labels::for_language(lang);
    let rl = match lang {
        Language::Da => vejviser_revision::Lang::Da,
        Language::En => vejviser_revision::Lang::En,
    };
    let date = |d: Option<NaiveDate>| d.map(|d| long_date(d, lang)).unwrap_or_default();
    let text = match revision.status {
        RevisionStatus::Due => labels.status_due.replace("{date}", &date(planned_update)),
        RevisionStatus::Overdue => labels
            .status_overdue
            .replace("{date}", &date(planned_update))
            .replace("{expires}", &date(revision.expires)),
        RevisionStatus::Expired => format!(
            "{} {}",
            labels
                .status_expired
                .replace("{date}", &date(revision.expires))
                .replace("{approved}", &date(professional_approval)),
            labels.withdrawn
        ),
        RevisionStatus::Current | RevisionStatus::Draft => return None,
    };
    Some(StatusBanner {
        status: revision.status.as_str(),
        label: revision.status.label(rl),
        text,
    })
}
