//! Anchor ids: the fragment names both renderers give chapters, sections,
//! recommendations, evidence blocks, references and evidence levels, so a
//! link made in one place (a citation, the table of contents, the cost
//! appendix) lands in the same place in the HTML page and in the PDF.

use vejviser_model::{EvidenceLevel, Language};

/// `anbefaling-4` / `recommendation-4`.
pub fn recommendation(number: u32, lang: Language) -> String {
    match lang {
        Language::Da => format!("anbefaling-{number}"),
        Language::En => format!("recommendation-{number}"),
    }
}

/// The evidence block that supports a recommendation: `evidens-anbefaling-4`.
pub fn evidence_for(number: u32, lang: Language) -> String {
    match lang {
        Language::Da => format!("evidens-anbefaling-{number}"),
        Language::En => format!("evidence-recommendation-{number}"),
    }
}

/// `ref-12` in both languages (references are cited by number).
pub fn reference(number: u32) -> String {
    format!("ref-{number}")
}

/// `evidensniveau-1b` / `evidence-level-1b`: an entry of the level legend.
pub fn evidence_level(level: EvidenceLevel, lang: Language) -> String {
    match lang {
        Language::Da => format!("evidensniveau-{level}"),
        Language::En => format!("evidence-level-{level}"),
    }
}

/// A readable fragment from a title: lower case ASCII letters, digits and
/// hyphens; æ ø å become ae oe aa, other accents are dropped.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let rep: &str = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' | 'ä' => "a",
            'ó' | 'ò' | 'ô' | 'ö' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            _ => "",
        };
        if !rep.is_empty() {
            out.push_str(rep);
            dash = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if c == '\'' || c == '’' {
            // "What's new" → "whats-new".
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Hands out anchors and keeps them unique within one page: a repeated
/// fragment gets `-2`, `-3` …
#[derive(Debug, Default)]
pub struct Anchors {
    used: std::collections::BTreeSet<String>,
}

impl Anchors {
    /// Reserves a fixed anchor (recommendations, references) so slugs avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique anchor from `base` (falling back to `fallback` when it slugs to nothing).
    pub fn unique(&mut self, base: &str, fallback: &str) -> String {
        let mut s = slug(base);
        if s.is_empty() {
            s = fallback.to_string();
        }
        let mut candidate = s.clone();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{s}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slug("Nyt siden sidst"), "nyt-siden-sidst");
        assert_eq!(
            slug("Udvælgelse og induktionsbehandling"),
            "udvaelgelse-og-induktionsbehandling"
        );
        assert_eq!(slug("What's new"), "whats-new");
        assert_eq!(
            slug("Bilag 1 – Vurdering af egnethed"),
            "bilag-1-vurdering-af-egnethed"
        );
        assert_eq!(
            slug("Patientværdier og -præferencer"),
            "patientvaerdier-og-praeferencer"
        );
        assert_eq!(slug("  ?? "), "");
    }

    #[test]
    fn anchors_are_unique_per_page() {
        let mut a = Anchors::default();
        a.reserve("anbefaling-1");
        assert_eq!(a.unique("Behandling", "x"), "behandling");
        assert_eq!(a.unique("Behandling", "x"), "behandling-2");
        assert_eq!(a.unique("Anbefaling 1", "x"), "anbefaling-1-2");
        assert_eq!(a.unique("!!", "afsnit"), "afsnit");
    }

    #[test]
    fn fixed_anchors_per_language() {
        assert_eq!(recommendation(3, Language::Da), "anbefaling-3");
        assert_eq!(recommendation(3, Language::En), "recommendation-3");
        assert_eq!(reference(12), "ref-12");
        let l = EvidenceLevel::parse("1b").unwrap();
        assert_eq!(evidence_level(l, Language::Da), "evidensniveau-1b");
    }
}
