//! The worked examples a new draft carries (`vejviser new`): one
//! recommendation, one evidence sentence with a citation and one reference.
//! They show the syntax and must be replaced before the guideline is approved.
//! This is the one list of them: the drafter writes exactly these texts and the
//! checker (VV0213) looks for exactly these, so the two cannot drift apart.

use aho_corasick::packed::Searcher;
use std::sync::OnceLock;
use vejviser_model::Language;

/// A text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub da: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(&self, lang: Language) -> &'static str {
        match lang {
            Language::Da => self.da,
            Language::En => self.en,
        }
    }
}

/// The topic heading the examples sit under. A real topic name, not a
/// placeholder: a guideline may well have a topic called "Behandling".
pub const TOPIC: Text = Text {
    da: "Behandling",
    en: "Treatment",
};

/// The example recommendation (chapter 2), grade included.
pub const RECOMMENDATION: Text = Text {
    da: "Patienter med nydiagnosticeret sygdom bør tilbydes en PET-CT-skanning, før behandlingen planlægges (B)",
    en: "Patients with newly diagnosed disease should be offered a PET-CT scan before treatment is planned (B)",
};

/// Where the example evidence block points (chapter 4).
pub const EVIDENCE_TARGET: Text = Text {
    da: "[Anbefaling 1]",
    en: "[Recommendation 1]",
};

/// The example evidence sentence with its citation (chapter 4).
pub const EVIDENCE: Text = Text {
    da: "Eksempel: I et randomiseret studie med 400 patienter ændrede PET-CT behandlingsplanen hos hver femte patient sammenlignet med CT alene (1) [1b].",
    en: "Example: In a randomised trial of 400 patients, PET-CT changed the treatment plan in one patient in five compared with CT alone (1) [1b].",
};

/// The example reference (chapter 5).
pub const REFERENCE: Text = Text {
    da: "Efternavn AB, Efternavn CD, Efternavn EF, et al. Artiklens titel. Tidsskrift. 2024;12(3):145-52.",
    en: "Surname AB, Surname CD, Surname EF, et al. Title of the article. Journal. 2024;12(3):145-52.",
};

/// What each example is, for a finding about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Example {
    Recommendation,
    Evidence,
    Reference,
}

/// Every example text a finished guideline must not keep, in both languages.
pub const PLACEHOLDERS: [(Example, Text); 3] = [
    (Example::Recommendation, RECOMMENDATION),
    (Example::Evidence, EVIDENCE),
    (Example::Reference, REFERENCE),
];

/// Whitespace collapsed to single spaces, ends trimmed: how a placeholder is
/// compared with the plain text of a paragraph, whatever its line breaks.
pub fn collapse_whitespace(s: &str) -> String {
    vejviser_model::content::collapse_whitespace(s)
}

/// The example whose text `plain` (a paragraph's plain text) contains, if
/// any, and the language it is written in. A paragraph that keeps the example
/// and adds to it still holds the example.
pub fn placeholder_in(plain: &str) -> Option<(Example, Language)> {
    // Every word of an example is in the paragraph, whatever its line breaks,
    // if the example is: so the longest word of each, searched without
    // allocating, rules out almost every paragraph of a real guideline (this
    // runs on all of them; collapsing each one's whitespace was 15 % of `check`).
    // One automaton for all of them: one pass over the paragraph, not one per example.
    // (The packed searcher is SIMD, Teddy; the automaton reads byte by byte.)
    static ANCHORS: OnceLock<Option<Searcher>> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        Searcher::new(
            PLACEHOLDERS
                .iter()
                .flat_map(|(_, t)| [t.da, t.en])
                .map(|s| s.split_whitespace().max_by_key(|w| w.len()).unwrap_or(s)),
        )
    });
    // No SIMD searcher on this machine: every paragraph goes to the full comparison.
    if anchors.as_ref().is_some_and(|a| a.find(plain).is_none()) {
        return None;
    }
    let text = collapse_whitespace(plain);
    PLACEHOLDERS.iter().find_map(|(what, t)| {
        [Language::Da, Language::En]
            .into_iter()
            .find(|&l| text.contains(t.get(l)))
            .map(|l| (*what, l))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_whatever_the_line_breaks() {
        let wrapped = REFERENCE.da.replace(", ", ",\n  ");
        assert_eq!(
            placeholder_in(&wrapped),
            Some((Example::Reference, Language::Da))
        );
        let longer = format!("{} Og mere tekst.", EVIDENCE.en);
        assert_eq!(
            placeholder_in(&longer),
            Some((Example::Evidence, Language::En))
        );
        assert_eq!(placeholder_in("Jensen A. Behandling X. 2020."), None);
        // Only the whole example counts, not a word of it.
        assert_eq!(placeholder_in("Eksempel: en patient med feber."), None);
        for (_, t) in PLACEHOLDERS {
            assert_eq!(collapse_whitespace(t.da), t.da, "already collapsed");
            assert_eq!(collapse_whitespace(t.en), t.en, "already collapsed");
        }
    }
}
