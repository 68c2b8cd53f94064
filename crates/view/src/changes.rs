//! The page of changes of a version: its recommendations added, removed and
//! changed since the previous version, old and new text side by side with the
//! changed words marked, what changed in grade, Medicinrådet status, cost and
//! topic in words, and the references added and removed.

use crate::labels::Labels;
use serde::Serialize;
use vejviser_model::{Guideline, Language};
use vejviser_versions::{diff::describe, diff::text_diff, Change, Diff, Piece};

/// What the change page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangesPageView {
    /// "Ændringer siden version 1.5".
    pub title: String,
    /// The previous version's number.
    pub since: String,
    /// Column headings: "Version 1.5", "Version 2.0".
    pub old_heading: String,
    pub new_heading: String,
    /// Spoken before marked words: "fjernet", "tilføjet".
    pub removed_word: &'static str,
    pub added_word: &'static str,
    pub references_added_title: &'static str,
    pub references_removed_title: &'static str,
    /// "3 nye, 4 ændrede, 0 fjernede og 1 uændret anbefaling".
    pub summary: String,
    pub entries: Vec<ChangeEntryView>,
    pub references_added: Vec<ReferenceLine>,
    pub references_removed: Vec<ReferenceLine>,
}

/// One added, removed or changed recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeEntryView {
    /// `new`, `changed` or `removed`.
    pub key: &'static str,
    /// The stable id (also this entry's HTML id on the page).
    pub id: String,
    /// "Anbefaling 4 (tidligere 3)", "Anbefaling 5 i version 1.5".
    pub title: String,
    /// "Ny", "Ændret: tekst, anbefalingsgrad", "Fjernet".
    pub label: String,
    /// What changed, in words: "anbefalingsgrad B → C".
    pub details: Vec<String>,
    /// The old text (same and removed words); empty for a new recommendation.
    pub old: Vec<PieceView>,
    /// The new text (same and added words); empty for a removed one.
    pub new: Vec<PieceView>,
    /// `old` as HTML, removed words marked (filled by the HTML renderer).
    pub old_html: String,
    /// `new` as HTML, added words marked (filled by the HTML renderer).
    pub new_html: String,
    /// The recommendation's fragment (`#<id>`) on the page of its version that
    /// holds it (`links.recommendations_page`: the quick guide, or the full page
    /// of a version without one); not for removed ones.
    pub href: Option<String>,
}

/// A run of words: `kind` is `same`, `removed` or `added`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PieceView {
    pub kind: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceLine {
    pub number: u32,
    /// The reference as a content tree (from the version that has it).
    #[serde(skip)]
    pub content: Vec<vejviser_model::content::Inline>,
    /// The reference as HTML (filled by the HTML renderer).
    pub html: String,
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The change page of `new` against `old`.
pub fn changes_page(old: &Guideline, new: &Guideline, diff: &Diff) -> ChangesPageView {
    let lang = new.front.language;
    let labels = Labels::for_language(lang);
    let c = diff.counts();
    let summary = match lang {
        Language::Da => format!(
            "{}, {}, {} og {}.",
            count(c.added, "ny anbefaling", "nye anbefalinger"),
            count(c.changed, "ændret", "ændrede"),
            count(c.removed, "fjernet", "fjernede"),
            count(c.unchanged, "uændret", "uændrede")
        ),
        Language::En => format!(
            "{} new, {} changed, {} removed and {} unchanged {}.",
            c.added,
            c.changed,
            c.removed,
            c.unchanged,
            if c.added + c.changed + c.removed + c.unchanged == 1 {
                "recommendation"
            } else {
                "recommendations"
            }
        ),
    };
    let (removed_word, formerly, in_version) = match lang {
        Language::Da => ("Fjernet", "tidligere", "i version"),
        Language::En => ("Removed", "formerly", "in version"),
    };
    let piece = |p: &Piece| match p {
        Piece::Same(t) => PieceView {
            kind: "same",
            text: t.clone(),
        },
        Piece::Removed(t) => PieceView {
            kind: "removed",
            text: t.clone(),
        },
        Piece::Added(t) => PieceView {
            kind: "added",
            text: t.clone(),
        },
    };
    let none = match lang {
        Language::Da => "ingen",
        Language::En => "none",
    };
    let mut entries = Vec::new();
    for r in &diff.recommendations {
        let a = r.old.map(|i| &old.recommendations[i]);
        let b = r.new.map(|j| &new.recommendations[j]);
        let same = |t: &str| PieceView {
            kind: "same",
            text: t.to_string(),
        };
        let entry = match (r.change, a, b) {
            (Change::Added, _, Some(b)) => ChangeEntryView {
                key: "new",
                id: r.id.clone(),
                title: format!("{} {}", labels.recommendation, b.number),
                label: labels.change_new.to_string(),
                details: Vec::new(),
                old: Vec::new(),
                new: vec![same(&b.plain_text())],
                href: Some(format!("#{}", r.id)),
                old_html: String::new(),
                new_html: String::new(),
            },
            (Change::Removed, Some(a), _) => ChangeEntryView {
                key: "removed",
                id: r.id.clone(),
                title: format!(
                    "{} {} {in_version} {}",
                    labels.recommendation, a.number, old.front.version
                ),
                label: removed_word.to_string(),
                details: Vec::new(),
                old: vec![same(&a.plain_text())],
                new: Vec::new(),
                href: None,
                old_html: String::new(),
                new_html: String::new(),
            },
            (Change::Changed, Some(a), Some(b)) => {
                let pieces = text_diff(a, b);
                ChangeEntryView {
                    key: "changed",
                    id: r.id.clone(),
                    title: if a.number == b.number {
                        format!("{} {}", labels.recommendation, b.number)
                    } else {
                        format!(
                            "{} {} ({formerly} {})",
                            labels.recommendation, b.number, a.number
                        )
                    },
                    label: format!(
                        "{}: {}",
                        labels.change_changed,
                        r.fields
                            .iter()
                            .map(|f| f.label(lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    details: r
                        .fields
                        .iter()
                        .filter(|f| !matches!(f, vejviser_versions::Field::Text))
                        .map(|f| match f {
                            // The notes in full, before and after: they are part of the recommendation.
                            vejviser_versions::Field::Notes => {
                                let notes = |r: &vejviser_model::Recommendation| {
                                    if r.notes.is_empty() {
                                        none.to_string()
                                    } else {
                                        r.notes
                                            .iter()
                                            .map(|n| format!("«{}»", n.trim()))
                                            .collect::<Vec<_>>()
                                            .join(" ")
                                    }
                                };
                                format!("{}: {} → {}", f.label(lang), notes(a), notes(b))
                            }
                            _ => describe(*f, a, b, lang),
                        })
                        .collect(),
                    old: pieces
                        .iter()
                        .filter(|p| !matches!(p, Piece::Added(_)))
                        .map(piece)
                        .collect(),
                    new: pieces
                        .iter()
                        .filter(|p| !matches!(p, Piece::Removed(_)))
                        .map(piece)
                        .collect(),
                    href: Some(format!("#{}", r.id)),
                    old_html: String::new(),
                    new_html: String::new(),
                }
            }
            _ => continue,
        };
        entries.push(entry);
    }
    // Each reference comes from the version that has it, already parsed.
    let line = |from: &Guideline, r: &vejviser_versions::diff::RefChange| ReferenceLine {
        number: r.number,
        content: from
            .references
            .iter()
            .find(|x| x.number == r.number && x.markdown == r.text)
            .or_else(|| from.references.iter().find(|x| x.number == r.number))
            .map(|x| x.content.clone())
            .unwrap_or_else(|| vec![vejviser_model::content::Inline::Text(r.text.clone())]),
        html: String::new(),
    };
    let (added_word, refs_added, refs_removed) = match lang {
        Language::Da => ("tilføjet", "Nye referencer", "Fjernede referencer"),
        Language::En => ("added", "References added", "References removed"),
    };
    ChangesPageView {
        title: format!("{} {}", labels.changes_since, old.front.version),
        since: old.front.version.to_string(),
        old_heading: format!("{} {}", labels.version, old.front.version),
        new_heading: format!("{} {}", labels.version, new.front.version),
        removed_word: match lang {
            Language::Da => "fjernet",
            Language::En => "removed",
        },
        added_word,
        references_added_title: refs_added,
        references_removed_title: refs_removed,
        summary,
        entries,
        references_added: diff.references.added.iter().map(|r| line(new, r)).collect(),
        references_removed: diff
            .references
            .removed
            .iter()
            .map(|r| line(old, r))
            .collect(),
    }
}
