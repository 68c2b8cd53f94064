//! Keeping guideline.json lean without losing anything (issue 18).
//!
//! The parser gives chapter 4's and chapter 5's text twice: as the chapter's
//! Markdown and again as the `evidence` and `references` arrays, which are
//! what other systems read. Those two chapters are almost half of the file. A
//! chapter's own text is left out only when every one of its lines is found in
//! the array (so nothing the author wrote, such as a note under a repeated
//! recommendation, can go missing); the chapter then says where its text is.

use rustc_hash::FxHashSet;
use serde_json::Value;
use vejviser_model::{ChapterRole, Guideline};

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
