//! `guideline.json`, and keeping it lean without losing anything (issue 18).
//!
//! The parser gives chapter 4's and chapter 5's text twice: as the chapter's
//! Markdown and again as the `evidence` and `references` arrays, which are
//! what other systems read. Those two chapters are almost half of the file. A
//! chapter's own text is left out only when every one of its lines is found in
//! the array (so nothing the author wrote, such as a note under a repeated
//! recommendation, can go missing); the chapter then says where its text is.

use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use vejviser_model::{ChapterRole, Guideline};
use vejviser_revision::{Revision, RevisionStatus};

/// Replaces the evidence and references chapters' text by `"see": "<array>"`
/// where the array holds every line of it.
pub fn given_once(doc: &mut Value, g: &Guideline) {
    let Some(chapters) = doc.get_mut("chapters").and_then(Value::as_array_mut) else {
        return;
    };
    for (chapter, value) in g.chapters.iter().zip(chapters.iter_mut()) {
        let (array, lines) = match chapter.role {
            Some(ChapterRole::Evidence) if !g.evidence.is_empty() => {
                let mut lines = Lines::default();
                for b in &g.evidence {
                    lines.add(&b.topic);
                    lines.add(&b.lead);
                    for t in &b.targets {
                        lines.add(t.repeated.as_deref().unwrap_or(""));
                    }
                    for p in &b.parts {
                        lines.add(&p.title);
                        lines.add(&p.markdown);
                    }
                }
                ("evidence", lines)
            }
            Some(ChapterRole::References) if !g.references.is_empty() => {
                let mut lines = Lines::default();
                for r in &g.references {
                    lines.add(&r.markdown);
                }
                ("references", lines)
            }
            _ => continue,
        };
        let all_there = lines.holds(&chapter.intro)
            && chapter
                .sections
                .iter()
                .all(|s| lines.holds(&s.title) && lines.holds(&s.markdown));
        if let (true, Some(obj)) = (all_there, value.as_object_mut()) {
            obj.remove("intro");
            obj.remove("sections");
            obj.insert("see".into(), Value::String(array.into()));
        }
    }
}

/// Removes source positions (`span`, `spans`) everywhere in the document.
pub fn strip_spans(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("span");
            map.remove("spans");
            map.values_mut().for_each(strip_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

/// The lines of some Markdown, each without its block markers.
#[derive(Default)]
struct Lines<'a>(FxHashSet<&'a str>);

impl<'a> Lines<'a> {
    fn add(&mut self, markdown: &'a str) {
        self.0
            .extend(markdown.lines().map(bare).filter(|l| !l.is_empty()));
    }

    fn holds(&self, markdown: &str) -> bool {
        markdown
            .lines()
            .map(bare)
            .all(|l| l.is_empty() || self.0.contains(l))
    }
}

/// A line without indentation, heading marks, a list number or bullet, or an
/// `[Anbefaling N]` reference: what a chapter line and the array's copy share.
fn bare(line: &str) -> &str {
    let mut l = line.trim();
    if l.starts_with('#') {
        l = l.trim_start_matches('#');
    } else if let Some(rest) = l.strip_prefix(['-', '*', '+']) {
        if rest.starts_with(char::is_whitespace) {
            l = rest;
        }
    } else {
        let digits = l.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && l[digits..].starts_with(['.', ')']) {
            l = &l[digits + 1..];
        }
    }
    let l = l.trim_start();
    if let Some(rest) = l.strip_prefix("[Anbefaling") {
        if let Some(end) = rest.find(']') {
            return rest[end + 1..].trim_start();
        }
    }
    l
}

/// The machine-readable guideline at `<slug>/guideline.json`, format
/// `vejviser-guideline/2` (docs/site.md): compact, and lean without losing
/// anything: the text of chapter 4 (evidence) and chapter 5 (references) is
/// given once, in the `evidence` and `references` arrays, when every line of
/// the chapter is there (the chapter then says `"see": "evidence"`); source
/// positions only with `spans` (`--json-spans`).
pub(crate) fn guideline_json(
    g: &Guideline,
    rev: &Revision,
    source: &vejviser_load::Source,
    root: &Path,
    history: &vejviser_versions::History,
    k: usize,
    spans: bool,
) -> Vec<u8> {
    /// A recommendation with its stable id.
    #[derive(Serialize)]
    struct Rec<'a> {
        id: &'a str,
        #[serde(flatten)]
        rec: &'a vejviser_model::Recommendation,
    }
    // The model's own fields, borrowed, with `source` relative to the site's
    // guidelines folder (the parser's is as given on the command line).
    #[derive(Serialize)]
    struct Doc<'a> {
        format: &'static str,
        source: &'a str,
        status: RevisionStatus,
        expires: Option<NaiveDate>,
        front: &'a vejviser_model::FrontMatter,
        template: &'a str,
        chapters: &'a [vejviser_model::Chapter],
        changelog: &'a [vejviser_model::ChangelogRow],
        /// The last version whose recommendations changed.
        last_professional_change: String,
        recommendations: Vec<Rec<'a>>,
        evidence: &'a [vejviser_model::EvidenceBlock],
        references: &'a [vejviser_model::Reference],
    }
    let rel = source
        .path
        .strip_prefix(root)
        .unwrap_or(&source.path)
        .to_string_lossy()
        .replace('\\', "/");
    let mut doc = serde_json::to_value(Doc {
        format: "vejviser-guideline/2",
        source: &rel,
        status: rev.status,
        expires: rev.expires,
        front: &g.front,
        template: &g.template,
        chapters: &g.chapters,
        changelog: &g.changelog,
        last_professional_change: history.last_professional_change(k).to_string(),
        recommendations: g
            .recommendations
            .iter()
            .zip(&history.ids[k])
            .map(|(rec, id)| Rec { id, rec })
            .collect(),
        evidence: &g.evidence,
        references: &g.references,
    })
    .expect("the model serialises");
    given_once(&mut doc, g);
    if !spans {
        strip_spans(&mut doc);
    }
    let mut bytes = serde_json::to_vec(&doc).expect("a JSON value serialises");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_marks_are_not_part_of_a_line() {
        assert_eq!(bare("## Udredning"), "Udredning");
        assert_eq!(bare("12. Hansen A. Titel."), "Hansen A. Titel.");
        assert_eq!(bare("  - punkt"), "punkt");
        assert_eq!(bare("[Anbefaling 3] Tekst"), "Tekst");
        assert_eq!(bare("*kursiv* tekst"), "*kursiv* tekst");
        assert_eq!(bare("2026 var året"), "2026 var året");
    }

    #[test]
    fn a_line_missing_from_the_array_keeps_the_chapter() {
        let mut lines = Lines::default();
        lines.add("Første afsnit.\n\nAndet afsnit.");
        assert!(lines.holds("## Første afsnit.\n\nAndet afsnit.\n"));
        assert!(!lines.holds("Første afsnit.\n\nEn note kun i kapitlet."));
    }

    #[test]
    fn spans_go_everywhere() {
        let mut v = serde_json::json!({"a": {"span": 1, "b": [{"spans": 2, "c": 3}]}});
        strip_spans(&mut v);
        assert_eq!(v, serde_json::json!({"a": {"b": [{"c": 3}]}}));
    }
}
