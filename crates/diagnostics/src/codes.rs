//! The registry of check codes: every finding vejviser can report, its stable code,
//! severity and explanation (the doc comment), which `vejviser explain` prints and
//! docs/checks.md is generated from.

use crate::Severity;
use serde::Serialize;
use std::fmt;

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal, $sev:ident; )*) => {
        /// Every finding vejviser can report, with a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[doc = $doc])* $name, )* }

        impl Code {
            /// All codes in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The stable code, e.g. `VV0301`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev,)* }
            }

            /// The rule's documentation (its doc comment): first line is the summary.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$name => concat!($($doc, "\n"),*),)* }
            }
        }
    };
}

codes! {
    /// The file is not valid UTF-8.
    ///
    /// Guidelines must be saved as UTF-8 text. Word and some editors save as
    /// Windows-1252 ("ANSI") by default; choose "UTF-8" in the save dialog.
    /// The diagnostic points at the first byte that is not UTF-8.
    NotUtf8 = "VV0001", Error;
    /// The file is empty.
    ///
    /// A guideline needs at least a front matter block and the required chapters.
    /// Start a new one with `vejviser new`.
    EmptyFile = "VV0002", Error;
    /// The file looks binary (it contains NUL bytes).
    ///
    /// Only Markdown text files can be guidelines. Check that the right file was
    /// given, e.g. not a .docx or PDF renamed to .md.
    BinaryFile = "VV0003", Error;
    /// The file is too large to be a guideline.
    ///
    /// Guidelines are typically 30–150 KB. Files over 8 MB are refused rather than
    /// parsed, so a wrong file (a data dump, a log) cannot stall a build.
    FileTooLarge = "VV0004", Error;
    /// Lists or quotes are nested too deeply.
    ///
    /// More than 16 levels of nested lists or block quotes cannot be laid out in
    /// the PDF or read on a phone; flatten the structure.
    NestingTooDeep = "VV0005", Error;
    /// A path that looks like a guideline cannot be read as a regular file.
    ///
    /// A `guideline.md` (or `archive/<version>.md`) that is a folder, a symbolic
    /// link (dangling or not), a named pipe or a device, a guideline folder that
    /// is a symbolic link, or a guideline folder whose `guideline.md` is missing
    /// (renamed). vejviser never reads guidelines through symbolic links, so no
    /// link can loop or lead outside the guidelines tree: put the file or folder
    /// itself in the tree.
    NotRegularFile = "VV0006", Error;
    /// The guideline is not at `<group>/<slug>/guideline.md` with plain folder names.
    ///
    /// Guidelines live two levels below the folder of `dmcg.toml`, in folders
    /// named with lower-case letters, digits, `-`, `_` and `.` (starting with a
    /// letter or digit): those names become the site's URLs and file names, so
    /// `vejviser site` could not publish a guideline anywhere else. Move or
    /// rename the folder. `_` is allowed because it is safe in a URL and older
    /// trees use it; `vejviser new` proposes `-` only, the house style. `report`
    /// lists such a guideline as a problem, not as a row, since it is not on the
    /// site.
    MisplacedGuideline = "VV0007", Error;
    /// The file does not start with a `+++` front matter block.
    ///
    /// The very first line must be `+++`, followed by TOML keys (title, dmcg,
    /// version, …) and a closing `+++` line. See docs/format.md.
    MissingFrontMatter = "VV0101", Error;
    /// The front matter block is never closed.
    ///
    /// Add a line holding exactly `+++` after the last front matter key.
    UnclosedFrontMatter = "VV0102", Error;
    /// The front matter is not valid TOML.
    ///
    /// Typical causes: a missing quote, a duplicate key, or an impossible date
    /// such as `2026-13-40`. Dates are written `YYYY-MM-DD` without quotes.
    InvalidToml = "VV0103", Error;
    /// The front matter has a key the template does not know.
    ///
    /// Usually a misspelling (`planed_update` for `planned_update`). The known keys
    /// are title, dmcg, version, language, template, keywords, previous_version,
    /// professional_approval, administrative_approval and planned_update.
    UnknownKey = "VV0104", Error;
    /// A front matter value has the wrong type.
    ///
    /// Dates are TOML dates (`2026-03-03`, no quotes, no time of day); version is a
    /// string (`"2.0"`); keywords is a list of strings; approvals are
    /// `{ date = 2026-03-03, by = "..." }`.
    WrongType = "VV0105", Error;
    /// A required front matter key is missing.
    ///
    /// Every guideline needs `title`, `dmcg` and `version`.
    MissingKey = "VV0106", Error;
    /// The `dmcg` group is not in the group registry.
    ///
    /// The group must be a key in the nearest `dmcg.toml` above the guideline
    /// (e.g. `guidelines/dmcg.toml`). Check the spelling or add the group there.
    UnknownGroup = "VV0107", Error;
    /// The `template` names a template that does not exist.
    ///
    /// Templates live in `schema/<id>.toml`; the built-in one is `sundk-1.0`.
    /// Leave the key out to use the newest template.
    UnknownTemplate = "VV0108", Error;
    /// A version is not in the form MAJOR.MINOR.
    ///
    /// Write versions like `"2.0"` or `"1.5"`: two whole numbers and one dot.
    InvalidVersion = "VV0109", Error;
    /// The language is not `da` or `en`.
    ///
    /// Guidelines are written in Danish (`language = "da"`, the default) or
    /// English (`language = "en"`).
    InvalidLanguage = "VV0110", Error;
    /// An approved guideline has no `planned_update`.
    ///
    /// Once a guideline has a professional approval it must say when it is
    /// planned to be updated (at most five years after the approval).
    MissingPlannedUpdate = "VV0111", Error;
    /// The administrative approval is dated before the professional approval.
    ///
    /// The secretariat approves a guideline administratively after the group has
    /// approved it professionally; check both dates.
    AdministrativeBeforeProfessional = "VV0112", Error;
    /// The planned update is not after the professional approval.
    ///
    /// `planned_update` must be a date after `professional_approval.date`.
    PlannedUpdateBeforeApproval = "VV0113", Error;
    /// The planned update is beyond the five-year limit.
    ///
    /// A guideline must be professionally re-approved within five years of its
    /// professional approval, so the planned update must be no later than the
    /// fifth anniversary of that approval.
    PlannedUpdateBeyondLimit = "VV0114", Error;
    /// An administrative approval without a professional approval.
    ///
    /// A guideline without professional approval is a draft; an administrative
    /// approval on a draft is probably a mistake.
    AdministrativeWithoutProfessional = "VV0115", Warning;
    /// An approval date lies in the future.
    ///
    /// Approval dates record what has happened; a date after today (or after
    /// `--as-of`) is almost always a typing error.
    ApprovalInFuture = "VV0116", Error;
    /// The group registry (`dmcg.toml`) is missing, unreadable or invalid.
    ///
    /// vejviser looks for `dmcg.toml` in the guideline's folder and every folder
    /// above it. Create `guidelines/dmcg.toml` with one table per group. When
    /// the registry itself is invalid, the finding points at its line in
    /// `dmcg.toml` and is shown once, however many guidelines use it. A group
    /// key is also a folder name (`vejviser build` writes to
    /// `build/<key in lower case>/`), so it must be letters, digits, `-`, `_`
    /// and `.`, starting with a letter or digit: `["../x"]` is invalid.
    MissingRegistry = "VV0117", Error;
    /// A front matter key the template requires is missing or empty.
    ///
    /// The template (`required_keys` in `schema/<id>.toml`) asks every guideline
    /// for these keys besides title, dmcg and version. The national template
    /// requires `keywords`: the index terms the site's search and the PDF's
    /// metadata use, e.g. `keywords = ["myelomatose", "højdosisbehandling"]`.
    /// `vejviser new` writes an empty list for the authors to fill in. An error
    /// once the guideline has a professional approval, so `release`, `build`
    /// and `site` refuse it; a warning while it is a draft. Not reported for
    /// archived versions, which are kept as they were published.
    MissingRequiredKey = "VV0118", Error;
    /// A required chapter is missing.
    ///
    /// The template lists the chapters every guideline must have; add the
    /// chapter as a level-1 heading (`# 5. Referencer`) in template order.
    MissingChapter = "VV0201", Error;
    /// A chapter is out of template order.
    ///
    /// Chapters must follow the template's order (1 Nyt siden sidst, 2
    /// Anbefalinger, 3 Introduktion, 4 Evidensgrundlag, 5 Referencer, 6 Metode,
    /// 7 Monitorering, 8 Bilag). Move the chapter.
    ChapterOutOfOrder = "VV0202", Error;
    /// A level-1 heading is not a chapter of the template.
    ///
    /// Level-1 headings are reserved for the template's chapters. Use a level-2
    /// heading (`##`) for a section inside a chapter, or fix the title's spelling.
    UnknownChapter = "VV0203", Error;
    /// A chapter appears twice.
    ///
    /// Each template chapter may appear once; merge the two.
    DuplicateChapter = "VV0204", Error;
    /// A required sub-heading is missing from a chapter.
    ///
    /// The template requires these level-2 headings in this chapter; add it,
    /// even if only to say that nothing applies.
    MissingSubheading = "VV0205", Error;
    /// Sub-headings are not in template order.
    ///
    /// Reorder the level-2 headings to follow the template.
    SubheadingOutOfOrder = "VV0206", Warning;
    /// The author wrote a chapter that vejviser generates.
    ///
    /// Chapter 9 ("Om denne kliniske retningslinje") is generated from the
    /// template; delete it from the source.
    GeneratedChapterWritten = "VV0207", Error;
    /// Text before the first chapter.
    ///
    /// Everything after the front matter belongs to a chapter; text before the
    /// first level-1 heading is not published.
    ContentBeforeFirstChapter = "VV0208", Warning;
    /// A sub-heading the template does not know in a chapter with fixed sub-headings.
    ///
    /// Check the spelling against the template, or use a level-3 heading for
    /// your own sub-section.
    UnknownSubheading = "VV0209", Warning;
    /// Raw HTML in guideline text.
    ///
    /// Guideline text is Markdown. Raw HTML (`<div>`, `<b>`, `<br>`) is shown as
    /// the text it is, the same on the page and in the PDF, never interpreted.
    /// Write it in Markdown (emphasis, lists, tables), or remove it.
    RawHtml = "VV0210", Warning;
    /// LaTeX-like text outside inline math.
    ///
    /// `10^{-5}`, `β_2` or `\geq` outside dollars reach readers exactly as
    /// written. Put formulas and thresholds between dollars, `$10^{-5}$`,
    /// `$PS \geq 2$`: the page shows them as math and the PDF with real
    /// super- and subscripts.
    LatexOutsideMath = "VV0211", Warning;
    /// A required chapter or sub-heading has no text.
    ///
    /// The template requires the chapter or sub-heading because readers look
    /// for what it says; a heading with nothing under it (only blank lines,
    /// only the hint comments `vejviser new` writes, or only deeper headings)
    /// would be published empty. Write the section; if it does not apply, say
    /// so in a sentence (e.g. "Der er ikke identificeret behov for yderligere
    /// forskning."). Checked for required chapters without sub-headings, for
    /// each required sub-heading, and for the four headings of each evidence
    /// block. An error once the guideline has a professional approval, so
    /// `release`, `build` and `site` refuse it; a warning while it is a draft.
    /// Not reported for archived versions, which are kept as they were published.
    EmptySection = "VV0212", Error;
    /// The example text from `vejviser new` is still in the guideline.
    ///
    /// A new draft carries one example recommendation ("Patienter med
    /// nydiagnosticeret sygdom bør tilbydes en PET-CT-skanning …"), one example
    /// evidence sentence ("Eksempel: I et randomiseret studie med 400 patienter
    /// …") and one example reference ("Efternavn AB, Efternavn CD, Efternavn
    /// EF, et al. Artiklens titel …"), and their English counterparts. They show
    /// the syntax and are not clinical content: replace each with the group's
    /// own recommendation, evidence and reference, or delete it. An error once
    /// the guideline has a professional approval, so `release`, `build` and
    /// `site` refuse it; a warning while it is a draft. Not reported for
    /// archived versions, which are kept as they were published.
    SkeletonPlaceholder = "VV0213", Error;
    /// Recommendation numbers are not continuous.
    ///
    /// Recommendations are numbered 1, 2, 3 … across all topics, with no gaps or
    /// repeats, as in the Word template. In Markdown, start each topic's list at
    /// the next number (`4.` after a topic that ended with `3.`).
    NumberingNotContinuous = "VV0301", Error;
    /// A recommendation has no evidence grade.
    ///
    /// Put `(A)`, `(B)`, `(C)` or `(D)` after the sentence it grades.
    MissingGrade = "VV0302", Error;
    /// An evidence grade letter is not A, B, C or D.
    ///
    /// The Oxford grades of recommendation are A (strongest) to D.
    InvalidGrade = "VV0303", Error;
    /// A Medicinrådet marker is not valid.
    ///
    /// Use `●` (recommended), `●●` (not recommended), or the explicit form
    /// `[Medicinrådet: anbefalet | ikke anbefalet | ikke vurderet]`
    /// (English: `recommended | not recommended | not assessed`).
    InvalidMarker = "VV0304", Error;
    /// A recommendation carries more than one Medicinrådet marker.
    ///
    /// Each recommendation has at most one Medicinrådet status; split the
    /// recommendation if two drugs have different statuses.
    MultipleMarkers = "VV0305", Error;
    /// A Medicinrådet marker outside a recommendation.
    ///
    /// Markers belong at the end of a recommendation in chapter 2 (and its
    /// verbatim repetition in chapter 4), not in prose.
    MarkerOutsideRecommendation = "VV0306", Error;
    /// A recommendation is not under a topic heading.
    ///
    /// Put a level-2 heading (e.g. `## Behandling`) above the recommendations.
    RecommendationWithoutTopic = "VV0307", Warning;
    /// Chapter 2 has no recommendations.
    ///
    /// Recommendations are numbered list items under topic headings in chapter 2.
    NoRecommendations = "VV0308", Error;
    /// A recommendation has no evidence block in chapter 4.
    ///
    /// Every recommendation needs an evidence block in chapter 4 that starts
    /// with the recommendation repeated verbatim, or with `[Anbefaling N]`.
    MissingEvidence = "VV0309", Error;
    /// A recommendation repeated in chapter 4 differs from chapter 2.
    ///
    /// A repetition must match chapter 2 exactly (text, grades and markers).
    /// Copy it again, or write `[Anbefaling N]` and let vejviser insert it.
    RepeatedTextDiffers = "VV0310", Error;
    /// Chapter 4 refers to a recommendation that does not exist.
    ///
    /// Check the number against chapter 2.
    UnknownRecommendation = "VV0311", Error;
    /// Chapter 4's topics do not match chapter 2's.
    ///
    /// The level-2 headings of chapter 4 repeat the topics of chapter 2, and each
    /// recommendation's evidence sits under its own topic.
    TopicMismatch = "VV0312", Warning;
    /// An evidence block lacks a template sub-heading, or has them out of order.
    ///
    /// Each evidence block has the level-3 headings Litteratur og
    /// evidensgennemgang, Patientværdier og -præferencer, Rationale and
    /// Praktiske overvejelser, in that order.
    EvidenceSubheading = "VV0313", Warning;
    /// A recommendation is indented under the one before it.
    ///
    /// A numbered, graded line with a tab or four spaces before its number is
    /// not a recommendation of its own: Markdown makes it a sub-list of the
    /// recommendation above (or, without a blank line before it, part of that
    /// recommendation's text). Start every recommendation at the beginning of
    /// its line.
    IndentedRecommendation = "VV0314", Error;
    /// An `[id: …]` instruction on a recommendation is not valid.
    ///
    /// A recommendation keeps its stable id from version to version by itself
    /// (see docs/versions.md). When the automatic match is wrong, write at the
    /// end of the recommendation `[id: r4k9fz2q]` with the id shown for it on the
    /// published page of the previous version (lower-case letters, digits and
    /// hyphens, starting with a letter), or `[id: ny]` (`[id: new]`) to make it a
    /// new recommendation. One instruction per recommendation.
    InvalidIdPin = "VV0315", Error;
    /// Two recommendations are given the same id with `[id: …]`.
    ///
    /// An id names one recommendation across versions; each `[id: …]` in a
    /// guideline must be different. Remove the instruction from the one that
    /// is not the previous version's recommendation.
    DuplicateRecommendationId = "VV0316", Error;
    /// An `[id: …]` names an id the previous version does not have.
    ///
    /// The id is kept as written, but no recommendation of the previous
    /// version carries it, so the recommendation is shown as new. Check the id
    /// on the previous version's published page or with `vejviser diff`.
    UnknownRecommendationId = "VV0317", Warning;
    /// A citation refers to a reference that does not exist.
    ///
    /// Citation numbers refer to the numbered list in chapter 5 (Referencer).
    UnresolvedCitation = "VV0401", Error;
    /// An evidence level is not an Oxford level.
    ///
    /// Valid levels: 1a 1b 1c 2a 2b 2c 3a 3b 4 5, in square brackets after the
    /// citation: `(3, 4) [1b]`.
    InvalidEvidenceLevel = "VV0402", Error;
    /// A grade is stronger than the cited evidence supports.
    ///
    /// Grade A needs a level-1 study cited in the recommendation's evidence
    /// block, B level 3 or better, C level 4 or better. Cite the supporting
    /// study with its level, or lower the grade.
    GradeStrongerThanEvidence = "VV0403", Warning;
    /// A reference is never cited.
    ///
    /// Cite it in chapter 4, or remove it from chapter 5.
    UncitedReference = "VV0404", Warning;
    /// The reference list does not run 1, 2, 3 … without a gap, repeat or disorder.
    ///
    /// The number written on a reference is its number, and citations resolve by
    /// it: after deleting reference 7, (8) still cites the paper numbered 8. A
    /// gap, a number written twice or a number out of order is reported at that
    /// reference's line; write the missing reference back, or renumber the list
    /// and the citations together (`vejviser fmt` never renumbers references).
    ReferenceNumbering = "VV0405", Error;
    /// The changelog is missing or empty although there is a previous version.
    ///
    /// When `previous_version` is set, chapter 1 must have a table with at least
    /// one row: | Kapitel | Afsnit | Beskrivelse af ændring |.
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506).
    MissingChangelog = "VV0501", Error;
    /// `previous_version` is not lower than `version`.
    ///
    /// The previous version must be an earlier version number.
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506).
    PreviousVersionNotLower = "VV0502", Error;
    /// An archived file's version does not equal its file name.
    ///
    /// `archive/1.5.md` must have `version = "1.5"`.
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506).
    ArchiveVersionMismatch = "VV0503", Error;
    /// The changelog table does not have the template's columns.
    ///
    /// Use three columns: Kapitel | Afsnit | Beskrivelse af ændring (English:
    /// Chapter | Section | Description of change).
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506).
    ChangelogColumns = "VV0504", Warning;
    /// A recommendation is new, removed or changed, but the changelog does not mention it.
    ///
    /// vejviser compares the recommendations with the previous version (the
    /// `previous_version` in `archive/`) and finds this one added, removed or
    /// changed (text, grade, Medicinrådet status, extra cost, notes or topic).
    /// Readers look for it in chapter 1: name it there, e.g. a row with
    /// "Anbefaling 6: anbefalingsgraden er ændret fra B til C." A removed
    /// recommendation is named by its number in the previous version.
    /// `vejviser diff PATH` shows the whole difference.
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506): "anbefaling 6 er
    /// ændret (anbefalingsgrad B → C), men ændringsloggen nævner den ikke" in a
    /// Danish guideline, "recommendation 6 is changed (grade B → C), but the
    /// changelog does not mention it" in an English one.
    ChangelogMissesChange = "VV0505", Warning;
    /// A changelog row names a recommendation that did not change.
    ///
    /// The row says "Anbefaling N", but recommendation N has the same text,
    /// grades, status, cost flag, notes and topic as in the previous version
    /// (perhaps under another number). Check the number: recommendations are
    /// renumbered when others are added or removed.
    ///
    /// The message is in the guideline's language (Danish or English), like
    /// the rest of the version findings (VV0501–VV0506).
    ChangelogNamesUnchanged = "VV0506", Warning;
    /// The guideline is due for revision.
    ///
    /// The planned update is within the due horizon (90 days by default). Plan
    /// the revision with the group.
    RevisionDue = "VV0601", Warning;
    /// The planned update has passed.
    ///
    /// Revise the guideline, or have it re-approved with a new planned update.
    RevisionOverdue = "VV0602", Warning;
    /// Five years have passed since the professional approval.
    ///
    /// The guideline has expired and must come off the website until it has been
    /// professionally re-approved.
    RevisionExpired = "VV0603", Warning;
}

impl Code {
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
    /// The first line of the explanation.
    pub fn summary(self) -> &'static str {
        self.explanation().lines().next().unwrap_or("").trim()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_well_formed_and_documented() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {}", c);
            assert!(c.as_str().starts_with("VV") && c.as_str().len() == 6);
            assert!(c.summary().ends_with('.'), "{c} summary: {}", c.summary());
            assert!(
                c.explanation().lines().count() >= 2,
                "{c} needs a help text"
            );
        }
    }

    #[test]
    fn parse_is_case_insensitive() {
        assert_eq!(Code::parse("vv0301"), Some(Code::NumberingNotContinuous));
        assert_eq!(Code::parse("VV9999"), None);
    }
}
