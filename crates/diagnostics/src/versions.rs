//! The wording of the version findings (VV0501–VV0506) in the guideline's own
//! language. They speak about the guideline's content — its changelog and its
//! recommendations — to the working group that wrote it, so a Danish guideline
//! hears "anbefaling 6 er ændret …, men ændringsloggen nævner den ikke" and an
//! English one "recommendation 6 is changed …". Every checker that reports a
//! VV05xx finding takes its message and help from here, so the two languages
//! stay side by side in one place. (The other findings are about the file's
//! syntax and are worded in English, like the rest of the tool.)

use vejviser_model::Language;

/// A finding's message and help.
pub type Wording = (String, String);

/// The changelog's column names, as the template writes them.
fn columns(lang: Language) -> &'static str {
    match lang {
        Language::Da => "| Kapitel | Afsnit | Beskrivelse af ændring |",
        Language::En => "| Chapter | Section | Description of change |",
    }
}

/// VV0501, no changelog chapter at all. `title` is the template's chapter title.
pub fn no_changelog(lang: Language, prev: &str, title: &str) -> Wording {
    let cols = columns(lang);
    match lang {
        Language::Da => (
            format!("der er ingen ændringslog, selv om previous_version er {prev}"),
            format!("tilføj `# 1. {title}` med en tabel {cols}, der beskriver, hvad der er ændret siden version {prev}"),
        ),
        Language::En => (
            format!("there is no changelog although previous_version is {prev}"),
            format!("add `# 1. {title}` with a table {cols} describing what changed since version {prev}"),
        ),
    }
}

/// VV0501, a changelog chapter without rows.
pub fn empty_changelog(lang: Language, prev: &str, title: &str) -> Wording {
    let cols = columns(lang);
    match lang {
        Language::Da => (
            "ændringsloggens tabel er tom".to_string(),
            format!("skriv i `# 1. {title}` en tabel {cols} med en række for hver ændring siden version {prev}"),
        ),
        Language::En => (
            "the changelog table is empty".to_string(),
            format!("write in `# 1. {title}` a table {cols} with a row for each change since version {prev}"),
        ),
    }
}

/// VV0502.
pub fn previous_not_lower(lang: Language, prev: &str, version: &str) -> Wording {
    match lang {
        Language::Da => (
            format!("previous_version {prev} er ikke lavere end version {version}"),
            "previous_version er den version, denne afløser; kontrollér begge numre".to_string(),
        ),
        Language::En => (
            format!("previous_version {prev} is not lower than version {version}"),
            "previous_version is the version this one replaces; check both numbers".to_string(),
        ),
    }
}

/// VV0503: `archive/<stem>.md` says `version = "<version>"`.
pub fn archive_version_mismatch(lang: Language, stem: &str, version: &str) -> Wording {
    match lang {
        Language::Da => (
            format!("archive/{stem}.md har version {version}"),
            format!("en arkiveret fil har sin versions navn: sæt version = \"{stem}\", eller omdøb filen til {version}.md"),
        ),
        Language::En => (
            format!("archive/{stem}.md has version {version}"),
            format!("an archived file is named after its version: set version = \"{stem}\" or rename the file to {version}.md"),
        ),
    }
}

/// VV0504: the changelog's header row, as written.
pub fn changelog_columns(lang: Language, header: &str) -> Wording {
    let (da, en) = (columns(Language::Da), columns(Language::En));
    match lang {
        Language::Da => (
            format!("ændringsloggens kolonner er {header}"),
            format!("brug kolonnerne {da} (på engelsk: {en})"),
        ),
        Language::En => (
            format!("the changelog columns are {header}"),
            format!("use the columns {en} (in Danish: {da})"),
        ),
    }
}

/// What became of a recommendation the changelog does not name (VV0505).
pub enum Missed<'a> {
    /// New in this version, with its number.
    Added(u32),
    /// Gone, with its number in the previous version and that version.
    Removed(u32, &'a str),
    /// Changed: its number, its number before when it moved
    /// (`Some((old number, previous version))`) and what changed, in words.
    Changed(u32, Option<(u32, &'a str)>, &'a str),
}

/// VV0505: a change the changelog does not mention.
pub fn changelog_misses(lang: Language, what: Missed) -> Wording {
    let number = match what {
        Missed::Added(n) | Missed::Removed(n, _) | Missed::Changed(n, _, _) => n,
    };
    match lang {
        Language::Da => {
            let fate = match what {
                Missed::Added(n) => format!("anbefaling {n} er ny"),
                Missed::Removed(n, v) => format!("anbefaling {n} fra version {v} er fjernet"),
                Missed::Changed(n, was, details) => {
                    let was = was.map_or(String::new(), |(o, v)| {
                        format!(" (nummer {o} i version {v})")
                    });
                    format!("anbefaling {n}{was} er ændret ({details})")
                }
            };
            (
                format!("{fate}, men ændringsloggen nævner den ikke"),
                format!("tilføj en række i kapitel 1, der nævner den, fx `| 2. … | … | Anbefaling {number}: … |`; `vejviser diff` viser, hvad der er ændret"),
            )
        }
        Language::En => {
            let fate = match what {
                Missed::Added(n) => format!("recommendation {n} is new"),
                Missed::Removed(n, v) => format!("recommendation {n} of version {v} is removed"),
                Missed::Changed(n, was, details) => {
                    let was = was.map_or(String::new(), |(o, v)| {
                        format!(" (number {o} in version {v})")
                    });
                    format!("recommendation {n}{was} is changed ({details})")
                }
            };
            (
                format!("{fate}, but the changelog does not mention it"),
                format!("add a row to chapter 1 naming it, e.g. `| 2. … | … | Recommendation {number}: … |`; `vejviser diff` shows what changed"),
            )
        }
    }
}

/// VV0506: the changelog names recommendation `n`, unchanged since version
/// `prev`; `was` is its number there when it moved.
pub fn changelog_names_unchanged(lang: Language, n: u32, prev: &str, was: Option<u32>) -> Wording {
    match lang {
        Language::Da => (
            format!(
                "ændringsloggen nævner anbefaling {n}, som er uændret siden version {prev}{}",
                was.map_or(String::new(), |o| format!(" (den havde nummer {o} i version {prev})"))
            ),
            "kontrollér nummeret (anbefalinger får nye numre, når andre tilføjes eller fjernes), eller fjern omtalen".to_string(),
        ),
        Language::En => (
            format!(
                "the changelog names recommendation {n}, which is unchanged since version {prev}{}",
                was.map_or(String::new(), |o| format!(" (it was number {o} in version {prev})"))
            ),
            "check the number (recommendations are renumbered when others are added or removed), or remove the mention".to_string(),
        ),
    }
}

/// What became of a recommendation between two versions, in the summaries of
/// `vejviser diff` and `vejviser release`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// `n` recommendations met `fate`, as a count: "3 nye" / "1 ny", "3 added".
fn count(lang: Language, fate: Fate, n: usize) -> String {
    let word = match (lang, fate, n == 1) {
        (Language::Da, Fate::Added, true) => "ny",
        (Language::Da, Fate::Added, false) => "nye",
        (Language::Da, Fate::Removed, true) => "fjernet",
        (Language::Da, Fate::Removed, false) => "fjernede",
        (Language::Da, Fate::Changed, true) => "ændret",
        (Language::Da, Fate::Changed, false) => "ændrede",
        (Language::Da, Fate::Unchanged, true) => "uændret",
        (Language::Da, Fate::Unchanged, false) => "uændrede",
        (Language::En, Fate::Added, _) => "added",
        (Language::En, Fate::Removed, _) => "removed",
        (Language::En, Fate::Changed, _) => "changed",
        (Language::En, Fate::Unchanged, _) => "unchanged",
    };
    format!("{n} {word}")
}

/// The four counts of a comparison: "3 nye, 0 fjernede, 4 ændrede, 1 uændret".
pub fn counts(
    lang: Language,
    added: usize,
    removed: usize,
    changed: usize,
    unchanged: usize,
) -> String {
    [
        count(lang, Fate::Added, added),
        count(lang, Fate::Removed, removed),
        count(lang, Fate::Changed, changed),
        count(lang, Fate::Unchanged, unchanged),
    ]
    .join(", ")
}

/// `vejviser diff`'s first line of counts: "Anbefalinger: 3 nye, …".
pub fn diff_counts(lang: Language, counts: &str) -> String {
    match lang {
        Language::Da => format!("Anbefalinger: {counts}"),
        Language::En => format!("Recommendations: {counts}"),
    }
}

/// `vejviser release`'s summary before writing: what the released version
/// changes since `since`.
pub fn release_counts(lang: Language, since: &str, counts: &str) -> String {
    match lang {
        Language::Da => {
            format!("anbefalinger siden version {since}: {counts} (`vejviser diff` viser dem)")
        }
        Language::En => {
            format!("recommendations since version {since}: {counts} (`vejviser diff` shows them)")
        }
    }
}

/// "1, 6 og 8" / "1, 6 and 8".
fn list(lang: Language, numbers: &[u32]) -> String {
    let and = match lang {
        Language::Da => "og",
        Language::En => "and",
    };
    match numbers {
        [] => String::new(),
        [n] => n.to_string(),
        [rest @ .., last] => format!(
            "{} {and} {last}",
            rest.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The changes the changelog leaves out (what VV0505 reports one by one):
/// "ændringsloggen nævner ikke anbefaling 1, 6 og 8". Starts in lower case.
pub fn changelog_omits(lang: Language, numbers: &[u32]) -> String {
    let l = list(lang, numbers);
    match (lang, numbers.len()) {
        (Language::Da, _) => format!("ændringsloggen nævner ikke anbefaling {l}"),
        (Language::En, 1) => format!("the changelog does not mention recommendation {l}"),
        (Language::En, _) => format!("the changelog does not mention recommendations {l}"),
    }
}

/// One recommendation's heading in `vejviser diff`: "anbefaling 5 (nummer 4
/// i version 1.5)", or for a removed one "anbefaling 4 i version 1.5".
/// `new`/`old` are its numbers, `prev` the earlier version.
pub fn recommendation_heading(
    lang: Language,
    new: Option<u32>,
    old: Option<u32>,
    prev: &str,
) -> String {
    let (noun, number, in_) = match lang {
        Language::Da => ("anbefaling", "nummer", "i"),
        Language::En => ("recommendation", "number", "in"),
    };
    match (new, old) {
        (Some(n), Some(o)) if o != n => format!("{noun} {n} ({number} {o} {in_} version {prev})"),
        (Some(n), _) => format!("{noun} {n}"),
        (None, Some(o)) => format!("{noun} {o} {in_} version {prev}"),
        (None, None) => noun.to_string(),
    }
}

/// A recommendation's fate as a word: "ændret" / "changed".
pub fn fate(lang: Language, fate: Fate) -> &'static str {
    match (lang, fate) {
        (Language::Da, Fate::Added) => "ny",
        (Language::Da, Fate::Removed) => "fjernet",
        (Language::Da, Fate::Changed) => "ændret",
        (Language::Da, Fate::Unchanged) => "uændret",
        (Language::En, Fate::Added) => "new",
        (Language::En, Fate::Removed) => "removed",
        (Language::En, Fate::Changed) => "changed",
        (Language::En, Fate::Unchanged) => "unchanged",
    }
}

/// The references added and removed: "Referencer: 2 tilføjet, 1 fjernet".
pub fn reference_counts(lang: Language, added: usize, removed: usize) -> String {
    match lang {
        Language::Da => format!("Referencer: {added} tilføjet, {removed} fjernet"),
        Language::En => format!("References: {added} added, {removed} removed"),
    }
}

/// The first letter in upper case, for a phrase that starts a line.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_in_both_languages() {
        let (da, _) = changelog_misses(
            Language::Da,
            Missed::Changed(6, None, "anbefalingsgrad B → C"),
        );
        assert_eq!(
            da,
            "anbefaling 6 er ændret (anbefalingsgrad B → C), men ændringsloggen nævner den ikke"
        );
        let (en, help) = changelog_misses(Language::En, Missed::Changed(6, None, "grade B → C"));
        assert_eq!(
            en,
            "recommendation 6 is changed (grade B → C), but the changelog does not mention it"
        );
        assert!(help.contains("Recommendation 6"), "{help}");
    }

    #[test]
    fn summaries_in_both_languages() {
        let da = counts(Language::Da, 3, 0, 1, 12);
        assert_eq!(da, "3 nye, 0 fjernede, 1 ændret, 12 uændrede");
        assert_eq!(
            release_counts(Language::Da, "1.5", &da),
            "anbefalinger siden version 1.5: 3 nye, 0 fjernede, 1 ændret, 12 uændrede (`vejviser diff` viser dem)"
        );
        let en = counts(Language::En, 1, 2, 0, 1);
        assert_eq!(
            diff_counts(Language::En, &en),
            "Recommendations: 1 added, 2 removed, 0 changed, 1 unchanged"
        );
        assert_eq!(
            changelog_omits(Language::Da, &[1, 6, 8]),
            "ændringsloggen nævner ikke anbefaling 1, 6 og 8"
        );
        assert_eq!(
            changelog_omits(Language::En, &[6]),
            "the changelog does not mention recommendation 6"
        );
        assert_eq!(
            recommendation_heading(Language::Da, Some(5), Some(4), "1.5"),
            "anbefaling 5 (nummer 4 i version 1.5)"
        );
        assert_eq!(capitalised("ændringsloggen"), "Ændringsloggen");
    }
}
