//! `guideline.json`, and keeping it lean without losing anything (issue 18).
//!
//! The parser gives chapter 4's and chapter 5's text twice: as the chapter's
//! Markdown and again as the `evidence` and `references` arrays, which are
//! what other systems read. Those two chapters are almost half of the file. A
//! chapter's own text is left out only when every one of its lines is found in
//! the array (so nothing the author wrote, such as a note under a repeated
//! recommendation, can go missing); the chapter then says where its text is.

mod sorted;

use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::path::Path;
use vejviser_model::{Chapter, ChapterRole, Guideline, Span};
use vejviser_revision::{Revision, RevisionStatus};

/// Where a chapter's text is given instead, if it is: `"evidence"` for the
/// evidence chapter and `"references"` for the references chapter when every
/// line of the chapter is found in that array.
fn given_in(chapter: &Chapter, g: &Guideline) -> Option<&'static str> {
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
        _ => return None,
    };
    let all_there = lines.holds(&chapter.intro)
        && chapter
            .sections
            .iter()
            .all(|s| lines.holds(&s.title) && lines.holds(&s.markdown));
    all_there.then_some(array)
}

/// A chapter as `guideline.json` gives it: whole, or with `see` naming the
/// array that holds its text instead of `intro` and `sections`.
struct ChapterJson<'a> {
    chapter: &'a Chapter,
    see: Option<&'static str>,
}

impl Serialize for ChapterJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(see) = self.see else {
            return self.chapter.serialize(s);
        };
        /// The chapter's other fields, as the model serialises them.
        #[derive(Serialize)]
        struct Seen<'a> {
            role: Option<ChapterRole>,
            number: Option<u32>,
            title: &'a str,
            see: &'static str,
            span: Span,
        }
        // Every field named, so that a field added to the model is not left
        // out here without a compile error.
        let Chapter {
            role,
            number,
            title,
            intro: _,
            intro_content: _,
            sections: _,
            span,
        } = self.chapter;
        Seen {
            role: *role,
            number: *number,
            title,
            see,
            span: *span,
        }
        .serialize(s)
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
    let rel = relative_source(source, root);
    let doc = Doc::new(g, rev, &rel, history, k);
    // Keys sorted as they have always been (the format was first written
    // through a `serde_json::Value`, whose objects are sorted maps).
    let mut bytes = sorted::to_vec(&doc, spans).expect("the model serialises");
    bytes.push(b'\n');
    bytes
}

/// `source` relative to the site's guidelines folder (the parser's is as
/// given on the command line), with `/` between its parts.
fn relative_source(source: &vejviser_load::Source, root: &Path) -> String {
    source
        .path
        .strip_prefix(root)
        .unwrap_or(&source.path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A recommendation with its stable id.
#[derive(Serialize)]
struct Rec<'a> {
    id: &'a str,
    #[serde(flatten)]
    rec: &'a vejviser_model::Recommendation,
}

/// The model's own fields, borrowed.
#[derive(Serialize)]
struct Doc<'a> {
    format: &'static str,
    source: &'a str,
    status: RevisionStatus,
    expires: Option<NaiveDate>,
    front: &'a vejviser_model::FrontMatter,
    template: &'a str,
    chapters: Vec<ChapterJson<'a>>,
    changelog: &'a [vejviser_model::ChangelogRow],
    /// The last version whose recommendations changed.
    last_professional_change: String,
    recommendations: Vec<Rec<'a>>,
    evidence: &'a [vejviser_model::EvidenceBlock],
    references: &'a [vejviser_model::Reference],
}

impl<'a> Doc<'a> {
    fn new(
        g: &'a Guideline,
        rev: &Revision,
        rel: &'a str,
        history: &'a vejviser_versions::History,
        k: usize,
    ) -> Doc<'a> {
        Doc {
            format: "vejviser-guideline/2",
            source: rel,
            status: rev.status,
            expires: rev.expires,
            front: &g.front,
            template: &g.template,
            chapters: g
                .chapters
                .iter()
                .map(|chapter| ChapterJson {
                    chapter,
                    see: given_in(chapter, g),
                })
                .collect(),
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
        }
    }
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

    /// The file as it was made before issue 13: the same `Doc` with whole
    /// chapters into a `serde_json::Value`, chapters 4 and 5 edited there,
    /// positions stripped from the tree, then written.
    fn through_value(mut doc: Doc, spans: bool) -> Vec<u8> {
        fn strip_spans(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(map) => {
                    map.remove("span");
                    map.remove("spans");
                    map.values_mut().for_each(strip_spans);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(strip_spans),
                _ => {}
            }
        }
        let sees: Vec<_> = doc.chapters.iter_mut().map(|c| c.see.take()).collect();
        let mut v = serde_json::to_value(&doc).unwrap();
        let chapters = v["chapters"].as_array_mut().unwrap();
        for (value, see) in chapters.iter_mut().zip(sees) {
            if let Some(see) = see {
                let obj = value.as_object_mut().unwrap();
                obj.remove("intro");
                obj.remove("sections");
                obj.insert("see".into(), see.into());
            }
        }
        if !spans {
            strip_spans(&mut v);
        }
        let mut bytes = serde_json::to_vec(&v).unwrap();
        bytes.push(b'\n');
        bytes
    }

    /// Every sample guideline and archived version in the repository's
    /// `guidelines/`, parsed, each as a one-version history.
    fn samples() -> Vec<(vejviser_load::Source, Guideline)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guidelines");
        let templates = vejviser_template::TemplateSet::builtin();
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                let parsed = vejviser_parse::parse_str(&path.to_string_lossy(), &text, &templates);
                out.push((vejviser_load::Source::new(path), parsed.guideline.unwrap()));
            }
        }
        assert!(out.len() >= 5, "the samples are there: {}", out.len());
        out
    }

    #[test]
    fn written_straight_as_through_a_value() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guidelines");
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut seen = 0;
        for (source, g) in samples() {
            let history = vejviser_versions::history(&g.front.dmcg, &source.slug(), &[&g]);
            let rev = vejviser_revision::revision(
                g.front.professional_approval.as_ref().map(|a| a.date),
                g.front.planned_update,
                as_of,
                90,
            );
            let rel = relative_source(&source, &root);
            for spans in [false, true] {
                let new = guideline_json(&g, &rev, &source, &root, &history, 0, spans);
                let old = through_value(Doc::new(&g, &rev, &rel, &history, 0), spans);
                assert!(
                    new == old,
                    "{} (spans {spans}) differs:\n{}\n{}",
                    source.display,
                    String::from_utf8_lossy(&new),
                    String::from_utf8_lossy(&old)
                );
                let v: serde_json::Value = serde_json::from_slice(&new).unwrap();
                let text = String::from_utf8(new).unwrap();
                assert_eq!(
                    text.contains("\"span\":{\"column\":"),
                    spans,
                    "{}",
                    source.display
                );
                assert_eq!(v["chapters"][0]["span"].is_object(), spans);
                seen += v["chapters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c.get("see").is_some() && c.get("intro").is_none())
                    .count();
            }
        }
        assert!(seen > 0, "some sample gives chapter 4 or 5 once");
    }

    #[test]
    fn keys_sorted_and_positions_left_out_at_any_depth() {
        use std::collections::HashMap;
        #[derive(Serialize)]
        struct Inner {
            zeta: u8,
            span: (u8, u8),
            alpha: Vec<HashMap<String, i64>>,
        }
        #[derive(Serialize)]
        struct Outer {
            spans: u8,
            b: Inner,
            #[serde(flatten)]
            more: HashMap<String, String>,
            a: Option<f64>,
            empty: HashMap<String, u8>,
        }
        let x = Outer {
            spans: 1,
            b: Inner {
                zeta: 2,
                span: (3, 4),
                alpha: vec![HashMap::from([
                    ("y\"\n".into(), -5),
                    ("span".into(), 6),
                    ("x".into(), 7),
                    ("\u{1}".into(), 8),
                ])],
            },
            // A later entry under the same key replaces the first, as in a map.
            more: HashMap::from([("a".into(), "fra flatten".into()), ("æ".into(), "ø".into())]),
            a: Some(1.5),
            empty: HashMap::new(),
        };
        for spans in [true, false] {
            let mut v = serde_json::to_value(&x).unwrap();
            if !spans {
                let o = v.as_object_mut().unwrap();
                o.remove("spans");
                o["b"].as_object_mut().unwrap().remove("span");
                o["b"]["alpha"][0].as_object_mut().unwrap().remove("span");
            }
            let want = serde_json::to_vec(&v).unwrap();
            let got = sorted::to_vec(&x, spans).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }
}
