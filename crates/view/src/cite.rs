//! Where a citation points: the one place that decides how a parsed
//! [`Citation`] reads and links, so the HTML page and the PDF show the same
//! numbers, the same level words and the same targets. The citation itself was
//! read once by the parser (from text nodes only, never code or links); nothing
//! here scans text.
//!
//! `(3, 4) [1b]` reads `(3, 4) [niveau 1b]`: each number links to its
//! reference (`#ref-3`) when chapter 5 has that number, the level to the level
//! legend. Numbers are the ones the author wrote, ranges keep their dash.

use std::collections::BTreeSet;
use vejviser_model::{Citation, EvidenceLevel, Language};

use crate::anchor;
use crate::labels::{level_description, Labels};

/// A piece of a resolved citation, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitePart<'c> {
    /// Text as written: `(`, `, `, `–`, `)`.
    Text(&'c str),
    /// A reference number, with the anchor of its reference when it exists.
    Number {
        written: &'c str,
        anchor: Option<String>,
    },
    /// The level: the text to show (`niveau 1b`), its anchor and its title.
    Level {
        text: String,
        anchor: String,
        title: String,
        level: EvidenceLevel,
    },
}

/// A citation as both renderers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'c> {
    pub parts: Vec<CitePart<'c>>,
}

/// How citation `c` reads and links in a view of language `lang` (its code,
/// as [`crate::GuidelineView::lang`]) whose references are numbered `references`:
/// the one resolution both renderers use.
pub fn resolve_in<'c>(
    c: &'c Citation,
    references: &BTreeSet<u32>,
    labels: &Labels,
    lang: &str,
) -> Resolved<'c> {
    resolve(
        c,
        references,
        labels,
        Language::parse(lang).unwrap_or_default(),
    )
}

pub(crate) fn resolve<'c>(
    c: &'c Citation,
    references: &BTreeSet<u32>,
    labels: &Labels,
    lang: Language,
) -> Resolved<'c> {
    let w = c.written.as_str();
    let mut parts = Vec::new();
    // The parenthesised numbers as written, up to the `)`.
    let close = w.find(')').unwrap_or(w.len().saturating_sub(1));
    let inner_end = close;
    let mut k = 0;
    let mut text_from = 0;
    while k < inner_end {
        let digits = w[k..inner_end]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits > 0 {
            if text_from < k {
                parts.push(CitePart::Text(&w[text_from..k]));
            }
            let written = &w[k..k + digits];
            let anchor = written
                .parse::<u32>()
                .ok()
                .filter(|n| references.contains(n))
                .map(anchor::reference);
            parts.push(CitePart::Number { written, anchor });
            k += digits;
            text_from = k;
        } else {
            k += w[k..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let after = (close + 1).min(w.len());
    parts.push(CitePart::Text(&w[text_from..after]));
    match c.level {
        Some(level) => {
            // A space between the numbers and the level, always: "(9) [niveau 1b]".
            parts.push(CitePart::Text(" ["));
            parts.push(CitePart::Level {
                text: format!("{} {level}", labels.evidence_level_short),
                anchor: anchor::evidence_level(level, lang),
                title: format!(
                    "{} {level}: {}",
                    labels.evidence_level,
                    level_description(level, lang)
                ),
                level,
            });
            parts.push(CitePart::Text("]"));
        }
        None if after < w.len() => parts.push(CitePart::Text(&w[after..])),
        None => {}
    }
    Resolved { parts }
}

impl Resolved<'_> {
    /// The citation as plain text, e.g. `(3, 4) [niveau 1b]`.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                CitePart::Text(t) => s.push_str(t),
                CitePart::Number { written, .. } => s.push_str(written),
                CitePart::Level { text, .. } => s.push_str(text),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejviser_model::Span;

    fn c(written: &str, refs: Vec<u32>, level: Option<&str>) -> Citation {
        Citation {
            references: refs,
            level: level.and_then(EvidenceLevel::parse),
            invalid_level: None,
            written: written.into(),
            span: Span::default(),
        }
    }

    fn resolved(cit: &Citation) -> Resolved<'_> {
        let refs: BTreeSet<u32> = (1..=10).collect();
        resolve(cit, &refs, Labels::for_language(Language::Da), Language::Da)
    }

    #[test]
    fn numbers_link_to_their_references_and_levels_keep_a_space() {
        let cit = c("(3, 4)[1b]", vec![3, 4], Some("1b"));
        let r = resolved(&cit);
        assert_eq!(r.text(), "(3, 4) [niveau 1b]");
        assert!(r.parts.contains(&CitePart::Number {
            written: "3",
            anchor: Some("ref-3".into())
        }));
    }

    #[test]
    fn unknown_numbers_stay_text_and_ranges_keep_their_dash() {
        let cit = c("(8–11)", vec![8, 9, 10, 11], None);
        let r = resolved(&cit);
        assert_eq!(r.text(), "(8–11)");
        assert!(r.parts.contains(&CitePart::Number {
            written: "11",
            anchor: None
        }));
    }

    #[test]
    fn an_invalid_level_is_kept_as_written() {
        let cit = c("(3) [9z]", vec![3], None);
        assert_eq!(resolved(&cit).text(), "(3) [9z]");
    }
}
