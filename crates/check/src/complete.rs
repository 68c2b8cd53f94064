//! Is the guideline finished? The front matter keys the template requires are
//! filled in (VV0118), every required chapter and sub-heading has text
//! (VV0212), and the worked examples a new draft carries have been replaced
//! (VV0213). A draft from `vejviser new` has all three, so in a draft they are
//! warnings (the authors see what is left to write); once the guideline is
//! approved they are errors, and nothing publishes it. Archived versions are
//! kept as they were published and are not held to these rules.

use crate::Checker;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::content::{Block, Inline};
use vejviser_model::{ChapterRole, Language, Span};
use vejviser_template::examples::{placeholder_in, Example};
use vejviser_template::Required;

/// True when the blocks hold something a reader would see besides headings.
/// Hint comments never reach the content tree, so a section holding only
/// `vejviser new`'s hint is empty.
fn has_text(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Heading { .. } => false,
        Block::Paragraph { inlines, .. } => !inlines.iter().all(Inline::is_blank),
        _ => true,
    })
}

impl Checker<'_> {
    /// Every rule of this module; the caller skips archived versions.
    pub(crate) fn completeness(&mut self) {
        if self.cx.front_ok {
            self.required_keys();
        }
        self.empty_sections();
        self.placeholders();
    }

    fn required_keys(&mut self) {
        let f = &self.g.front;
        for key in &self.cx.template.required_keys {
            // The template accepts only requirable keys (`REQUIRABLE_KEYS`).
            if key != "keywords" {
                continue;
            }
            if f.keywords.iter().any(|k| !k.trim().is_empty()) {
                continue;
            }
            let example = match f.language {
                Language::Da => "keywords = [\"myelomatose\", \"højdosisbehandling\"]",
                Language::En => "keywords = [\"breast cancer\", \"endocrine therapy\"]",
            };
            let (message, len) = if f.spans.keywords == f.spans.block {
                ("the front matter has no `keywords`".to_string(), 3)
            } else {
                ("`keywords` is empty".to_string(), 2)
            };
            self.out.push(
                Diagnostic::new(Code::MissingRequiredKey, &self.g.path, f.spans.keywords, message)
                    .len(len)
                    .help(format!(
                        "the template requires keywords: list the terms readers search for (the disease, the treatment), e.g. {example}"
                    )),
            );
        }
    }

    fn empty_sections(&mut self) {
        let g = self.g;
        let t = self.cx.template;
        const WRITE: &str = "write the section; if it does not apply, say so in a sentence (in a draft from `vejviser new` the comment under the heading says what belongs there)";
        for ch in &g.chapters {
            let (Some(role), Some(num)) = (ch.role, ch.number) else {
                continue;
            };
            let Some(tc) = t.chapter(role) else {
                continue;
            };
            // Chapter 2 without recommendations is VV0308, chapter 4 is read
            // block by block below, and the changelog has its own rule.
            if tc.generated
                || tc.required != Required::Always
                || matches!(
                    role,
                    ChapterRole::Recommendations | ChapterRole::Evidence | ChapterRole::Changelog
                )
            {
                continue;
            }
            if tc.subheadings.is_empty() {
                let written =
                    has_text(&ch.intro_content) || ch.sections.iter().any(|s| has_text(&s.content));
                if !written {
                    self.push(
                        Code::EmptySection,
                        ch.span,
                        format!("chapter {num} `{}` has no text", ch.title),
                        WRITE,
                    );
                }
                continue;
            }
            for s in ch.sections.iter().filter(|s| s.level == 2) {
                let required = vejviser_template::position_of(&tc.subheadings, &s.title).is_some();
                if required && !has_text(&s.content) {
                    self.push(
                        Code::EmptySection,
                        s.span,
                        format!("`{}` in chapter {num} has no text", s.title),
                        WRITE,
                    );
                }
            }
        }
        let Some(ev) = t.chapter(ChapterRole::Evidence) else {
            return;
        };
        for b in &g.evidence {
            let targets: Vec<String> = b.targets.iter().map(|t| t.number.to_string()).collect();
            for p in &b.parts {
                let required =
                    vejviser_template::position_of(&ev.block_subheadings, &p.title).is_some();
                if required && !has_text(&p.content) {
                    let of = if targets.is_empty() {
                        String::new()
                    } else {
                        format!(" of the evidence for recommendation {}", targets.join(", "))
                    };
                    self.push(
                        Code::EmptySection,
                        p.span,
                        format!("`{}`{of} has no text", p.title),
                        WRITE,
                    );
                }
            }
        }
    }

    fn placeholders(&mut self) {
        let mut found: Vec<(Span, usize, Example)> = Vec::new();
        for ch in &self.g.chapters {
            find_placeholders(&ch.intro_content, &mut found);
            for s in &ch.sections {
                find_placeholders(&s.content, &mut found);
            }
        }
        // Chapter 4's evidence blocks hold their text (the chapter keeps the rest).
        for b in &self.g.evidence {
            find_placeholders(&b.lead_content, &mut found);
            for p in &b.parts {
                find_placeholders(&p.content, &mut found);
            }
        }
        for (span, len, what) in found {
            let (message, help) = match what {
                Example::Recommendation => (
                    "the example recommendation from `vejviser new` is still here",
                    "replace it with the group's own recommendation, with its grade (A)–(D) after the sentence it grades, or delete it (and its evidence block in chapter 4)",
                ),
                Example::Evidence => (
                    "the example evidence text from `vejviser new` is still here",
                    "replace it with the studies the recommendation rests on, each cited by its number in chapter 5 with its evidence level, e.g. (3) [1b]",
                ),
                Example::Reference => (
                    "the example reference from `vejviser new` (\"Efternavn AB … Artiklens titel\") is still here",
                    "replace it with a real reference in Vancouver style, e.g. Jensen A, Hansen B. Behandling X ved sygdommen. Ugeskr Laeger 2020;182:V01200001.",
                ),
            };
            let message = if what == Example::Reference && self.g.front.language == Language::En {
                "the example reference from `vejviser new` (\"Surname AB … Title of the article\") is still here"
            } else {
                message
            };
            self.out.push(
                Diagnostic::new(Code::SkeletonPlaceholder, &self.g.path, span, message)
                    .len(len)
                    .help(help),
            );
        }
    }
}

/// The paragraphs (and headings and table cells) holding an example text, at
/// any depth: a recommendation and a reference are list items.
fn find_placeholders(blocks: &[Block], out: &mut Vec<(Span, usize, Example)>) {
    for b in blocks {
        match b {
            Block::Paragraph { inlines, span } | Block::Heading { inlines, span, .. } => {
                if let Some((what, lang)) = placeholder_in(&Inline::plain_text(inlines)) {
                    let len = vejviser_template::examples::PLACEHOLDERS
                        .iter()
                        .find(|(w, _)| *w == what)
                        .map_or(1, |(_, t)| t.get(lang).len());
                    out.push((*span, len, what));
                }
            }
            Block::List { items, .. } => {
                for item in items {
                    find_placeholders(&item.blocks, out);
                }
            }
            Block::Quote { blocks, .. } => find_placeholders(blocks, out),
            Block::Table {
                header, rows, span, ..
            } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    if let Some((what, _)) = placeholder_in(&Inline::plain_text(cell)) {
                        out.push((*span, 1, what));
                    }
                }
            }
            Block::Code { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
        }
    }
}
