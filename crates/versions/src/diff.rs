//! The difference between two versions of a guideline: each recommendation
//! added, removed, changed (and in which fields) or unchanged, and the
//! references added and removed.

use crate::matching::Matching;
use crate::text::{word_diff, Piece};
use serde::Serialize;
use std::borrow::Cow;
use vejviser_model::content::collapsed;
use vejviser_model::{Guideline, Language, MedicinraadetStatus, Recommendation};

/// What happened to one recommendation between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// A part of a recommendation that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Text,
    Grade,
    Medicinraadet,
    ExtraCost,
    Notes,
    Topic,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Text,
        Field::Grade,
        Field::Medicinraadet,
        Field::ExtraCost,
        Field::Notes,
        Field::Topic,
    ];

    /// The field's name in the JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Grade => "grade",
            Field::Medicinraadet => "medicinraadet",
            Field::ExtraCost => "extra_cost",
            Field::Notes => "notes",
            Field::Topic => "topic",
        }
    }

    /// The field in the reader's words ("anbefalingsgrad").
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Field::Text, Language::Da) => "tekst",
            (Field::Grade, Language::Da) => "anbefalingsgrad",
            (Field::Medicinraadet, Language::Da) => "Medicinrådets status",
            (Field::ExtraCost, Language::Da) => "merudgift",
            (Field::Notes, Language::Da) => "noter",
            (Field::Topic, Language::Da) => "emne",
            (Field::Text, Language::En) => "text",
            (Field::Grade, Language::En) => "grade",
            (Field::Medicinraadet, Language::En) => "Medicinrådet status",
            (Field::ExtraCost, Language::En) => "extra cost",
            (Field::Notes, Language::En) => "notes",
            (Field::Topic, Language::En) => "topic",
        }
    }
}

/// One recommendation's fate. `old`/`new` index the versions' recommendation lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecChange {
    pub id: String,
    #[serde(skip)]
    pub old: Option<usize>,
    #[serde(skip)]
    pub new: Option<usize>,
    pub old_number: Option<u32>,
    pub new_number: Option<u32>,
    pub change: Change,
    pub fields: Vec<Field>,
}

/// A reference added or removed, by its number in its own version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefChange {
    pub number: u32,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct References {
    pub added: Vec<RefChange>,
    pub removed: Vec<RefChange>,
}

/// Everything that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// In the new version's order, each removed one after the recommendation
    /// that followed it in the old version.
    pub recommendations: Vec<RecChange>,
    pub references: References,
}

/// How many recommendations were added, removed, changed and left unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

impl Diff {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.recommendations {
            match r.change {
                Change::Added => c.added += 1,
                Change::Removed => c.removed += 1,
                Change::Changed => c.changed += 1,
                Change::Unchanged => c.unchanged += 1,
            }
        }
        c
    }
    /// True when any recommendation was added, removed or changed.
    pub fn professional_change(&self) -> bool {
        self.recommendations
            .iter()
            .any(|r| r.change != Change::Unchanged)
    }
    /// The entry of the new version's recommendation at index `new`.
    pub fn for_new(&self, new: usize) -> Option<&RecChange> {
        self.recommendations.iter().find(|r| r.new == Some(new))
    }
}

/// Which fields differ between two recommendations, compared on their parsed
/// fields: the text without grades and markers, the grades in order, the
/// Medicinrådet status (not how it is written), the cost flag, the notes and the topic.
pub fn changed_fields(a: &Recommendation, b: &Recommendation) -> Vec<Field> {
    let mut out = Vec::new();
    // Compared word by word: the same as comparing `text_of` and `notes_of`,
    // whose words are joined by single spaces, without building them.
    if words(a).ne(words(b)) {
        out.push(Field::Text);
    }
    if a.grades().ne(b.grades()) {
        out.push(Field::Grade);
    }
    if a.medicinraadet.as_ref().map(|m| m.status) != b.medicinraadet.as_ref().map(|m| m.status) {
        out.push(Field::Medicinraadet);
    }
    if a.extra_cost != b.extra_cost {
        out.push(Field::ExtraCost);
    }
    if a.notes.len() != b.notes.len()
        || a.notes
            .iter()
            .zip(&b.notes)
            .any(|(x, y)| x.split_whitespace().ne(y.split_whitespace()))
    {
        out.push(Field::Notes);
    }
    if a.topic.trim() != b.topic.trim() {
        out.push(Field::Topic);
    }
    out
}

/// The words of the recommendation's text without grades and markers.
fn words(r: &Recommendation) -> impl Iterator<Item = &str> {
    r.statements.iter().flat_map(|s| s.text.split_whitespace())
}

/// The difference between `old` and `new`, given both versions' ids and the
/// matching between them.
pub fn diff(
    old: &Guideline,
    old_ids: &[String],
    new: &Guideline,
    new_ids: &[String],
    m: &Matching,
) -> Diff {
    Diff {
        recommendations: recommendation_changes(old, old_ids, new, new_ids, m),
        references: references(old, new),
    }
}

/// [`Diff::recommendations`] alone: what happened to each recommendation.
pub fn recommendation_changes(
    old: &Guideline,
    old_ids: &[String],
    new: &Guideline,
    new_ids: &[String],
    m: &Matching,
) -> Vec<RecChange> {
    let mut recs: Vec<RecChange> = Vec::new();
    let mut kept = vec![false; old.recommendations.len()];
    for (j, b) in new.recommendations.iter().enumerate() {
        let entry = match m.old_of.get(j).copied().flatten() {
            Some(i) => {
                kept[i] = true;
                let a = &old.recommendations[i];
                let fields = changed_fields(a, b);
                RecChange {
                    id: new_ids[j].clone(),
                    old: Some(i),
                    new: Some(j),
                    old_number: Some(a.number),
                    new_number: Some(b.number),
                    change: if fields.is_empty() {
                        Change::Unchanged
                    } else {
                        Change::Changed
                    },
                    fields,
                }
            }
            None => RecChange {
                id: new_ids[j].clone(),
                old: None,
                new: Some(j),
                old_number: None,
                new_number: Some(b.number),
                change: Change::Added,
                fields: Vec::new(),
            },
        };
        recs.push(entry);
    }
    for (i, a) in old.recommendations.iter().enumerate() {
        if kept[i] {
            continue;
        }
        let removed = RecChange {
            id: old_ids[i].clone(),
            old: Some(i),
            new: None,
            old_number: Some(a.number),
            new_number: None,
            change: Change::Removed,
            fields: Vec::new(),
        };
        // After the last entry that came before it in the old version.
        let at = recs
            .iter()
            .rposition(|r| r.old.is_some_and(|o| o < i))
            .map_or(0, |p| p + 1);
        recs.insert(at, removed);
    }
    recs
}

fn references(old: &Guideline, new: &Guideline) -> References {
    // Compared whitespace-collapsed, without a copy of those that are already.
    let olds: Vec<Cow<str>> = old
        .references
        .iter()
        .map(|r| collapsed(&r.markdown))
        .collect();
    let news: Vec<Cow<str>> = new
        .references
        .iter()
        .map(|r| collapsed(&r.markdown))
        .collect();
    let mut used = vec![false; olds.len()];
    let mut out = References::default();
    for (r, t) in new.references.iter().zip(&news) {
        match (0..olds.len()).find(|&i| !used[i] && olds[i] == *t) {
            Some(i) => used[i] = true,
            None => out.added.push(RefChange {
                number: r.number,
                text: t.to_string(),
            }),
        }
    }
    for ((r, t), u) in old.references.iter().zip(&olds).zip(&used) {
        if !u {
            out.removed.push(RefChange {
                number: r.number,
                text: t.to_string(),
            });
        }
    }
    out
}

/// What changed in a field, old → new, in the reader's words
/// ("anbefalingsgrad B → C"); the text and notes say only that they changed.
pub fn describe(field: Field, a: &Recommendation, b: &Recommendation, lang: Language) -> String {
    let label = field.label(lang);
    match field {
        Field::Grade => {
            let g = |r: &Recommendation| {
                r.grades()
                    .map(|g| g.letter().to_string())
                    .collect::<Vec<_>>()
                    .join("+")
            };
            format!(
                "{label} {} → {}",
                or_none(&g(a), lang),
                or_none(&g(b), lang)
            )
        }
        Field::Medicinraadet => {
            let s = |r: &Recommendation| {
                r.medicinraadet
                    .as_ref()
                    .map_or(none(lang), |m| status_words(m.status, lang))
            };
            format!("{label} {} → {}", s(a), s(b))
        }
        Field::ExtraCost => {
            let (on, off) = match lang {
                Language::Da => ("tilføjet", "fjernet"),
                Language::En => ("added", "removed"),
            };
            format!("{label} {}", if b.extra_cost { on } else { off })
        }
        Field::Topic => format!("{label} {} → {}", a.topic.trim(), b.topic.trim()),
        Field::Text | Field::Notes => label.to_string(),
    }
}

fn none(lang: Language) -> &'static str {
    match lang {
        Language::Da => "ingen",
        Language::En => "none",
    }
}

fn or_none(s: &str, lang: Language) -> String {
    if s.is_empty() {
        none(lang).to_string()
    } else {
        s.to_string()
    }
}

fn status_words(s: MedicinraadetStatus, lang: Language) -> &'static str {
    match (s, lang) {
        (MedicinraadetStatus::Recommended, Language::Da) => "anbefalet",
        (MedicinraadetStatus::NotRecommended, Language::Da) => "ikke anbefalet",
        (MedicinraadetStatus::NotAssessed, Language::Da) => "ikke vurderet",
        (MedicinraadetStatus::Recommended, Language::En) => "recommended",
        (MedicinraadetStatus::NotRecommended, Language::En) => "not recommended",
        (MedicinraadetStatus::NotAssessed, Language::En) => "not assessed",
    }
}

/// The word-level difference of two recommendations as a reader sees them
/// (the model's plain text: grades as `(A)` in their sentences, markers as
/// written), so a reader sees `(B)` become `(C)` where it stands.
pub fn text_diff(a: &Recommendation, b: &Recommendation) -> Vec<Piece> {
    word_diff(&a.plain_text(), &b.plain_text())
}
