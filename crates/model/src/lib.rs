//! The guideline model: plain data describing one clinical guideline in the
//! national template's structure. No I/O and no rendering live here; the parser
//! builds these values and every other crate reads them.
//!
//! Source positions are [`Span`]s (1-based line and column, columns in bytes as
//! comrak counts them); the file they belong to is [`Guideline::path`].

pub mod content;
pub mod safe;

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// A position in the guideline's source file (1-based; column counts bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub const fn new(line: u32, column: u32) -> Self {
        Span { line, column }
    }
}

/// The language a guideline is written in; it picks chapter titles and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "da" => Some(Language::Da),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// A guideline version, `MAJOR.MINOR` as in the national template ("2.0", "1.5").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    /// Parses `MAJOR.MINOR` strictly: digits only, no leading `+`, no third part.
    pub fn parse(s: &str) -> Option<Version> {
        let (a, b) = s.split_once('.')?;
        let num = |t: &str| -> Option<u32> {
            if t.is_empty() || t.len() > 6 || !t.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        Some(Version {
            major: num(a)?,
            minor: num(b)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A professional or administrative approval: when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub date: NaiveDate,
    pub by: String,
    #[serde(skip)]
    pub span: Span,
}

/// The TOML front matter, validated and typed. Optional keys the template
/// requires are checked by the checker, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub dmcg: String,
    pub version: Version,
    pub language: Language,
    /// The template id as written; `None` means "the newest template".
    pub template: Option<String>,
    pub keywords: Vec<String>,
    pub previous_version: Option<Version>,
    pub professional_approval: Option<Approval>,
    pub administrative_approval: Option<Approval>,
    pub planned_update: Option<NaiveDate>,
    #[serde(skip)]
    pub spans: FrontMatterSpans,
}

impl FrontMatter {
    /// A guideline with no professional approval is a draft.
    pub fn is_draft(&self) -> bool {
        self.professional_approval.is_none()
    }
}

/// Where each front matter key was written, so diagnostics point at its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrontMatterSpans {
    /// The opening `+++` line.
    pub block: Span,
    pub title: Span,
    pub dmcg: Span,
    pub version: Span,
    pub language: Span,
    pub template: Span,
    /// The `keywords` line; the opening `+++` when there is none.
    pub keywords: Span,
    pub previous_version: Span,
    pub planned_update: Span,
}

/// What a template chapter is for; it decides how its content is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChapterRole {
    Changelog,
    Recommendations,
    Introduction,
    Evidence,
    References,
    Methods,
    Monitoring,
    Appendices,
    About,
}

impl ChapterRole {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "changelog" => ChapterRole::Changelog,
            "recommendations" => ChapterRole::Recommendations,
            "introduction" => ChapterRole::Introduction,
            "evidence" => ChapterRole::Evidence,
            "references" => ChapterRole::References,
            "methods" => ChapterRole::Methods,
            "monitoring" => ChapterRole::Monitoring,
            "appendices" => ChapterRole::Appendices,
            "about" => ChapterRole::About,
            _ => return None,
        })
    }
}

/// A level-1 heading and what follows it up to the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// The template chapter it matched, if any.
    pub role: Option<ChapterRole>,
    /// The number the template gives the chapter (authors' own numbers are ignored).
    pub number: Option<u32>,
    /// The heading as the author wrote it, without a leading number.
    pub title: String,
    /// Markdown between the heading and the first level-2 heading, as written.
    pub intro: String,
    /// The same text as a content tree (what every output reads).
    #[serde(skip)]
    pub intro_content: Vec<content::Block>,
    pub sections: Vec<Section>,
    pub span: Span,
}

/// A level-2 (or deeper) heading inside a chapter with the Markdown under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub level: u8,
    pub title: String,
    /// Markdown up to the next heading of the same or higher level (deeper headings included).
    pub markdown: String,
    /// The same text as a content tree.
    #[serde(skip)]
    pub content: Vec<content::Block>,
    pub span: Span,
}

/// One row of the changelog table (chapter 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangelogRow {
    pub chapter: String,
    pub section: String,
    pub description: String,
    /// The row's cells as content trees, as written (a description with `|` in it spans several).
    #[serde(skip)]
    pub cells: Vec<Vec<content::Inline>>,
    pub span: Span,
}

/// Oxford Centre for Evidence-Based Medicine grade of recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn from_letter(c: char) -> Option<Grade> {
        Some(match c {
            'A' => Grade::A,
            'B' => Grade::B,
            'C' => Grade::C,
            'D' => Grade::D,
            _ => return None,
        })
    }
    pub fn letter(self) -> char {
        match self {
            Grade::A => 'A',
            Grade::B => 'B',
            Grade::C => 'C',
            Grade::D => 'D',
        }
    }
    /// The weakest evidence level tier (1–5) that still supports this grade.
    pub fn weakest_supporting_tier(self) -> u8 {
        match self {
            Grade::A => 1,
            Grade::B => 3,
            Grade::C => 4,
            Grade::D => 5,
        }
    }
}

/// Oxford level of evidence: 1a 1b 1c 2a 2b 2c 3a 3b 4 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvidenceLevel {
    pub tier: u8,
    /// `b'a'`..`b'c'`, or 0 for levels 4 and 5.
    pub sub: u8,
}

impl EvidenceLevel {
    pub const ALL: &'static str = "1a 1b 1c 2a 2b 2c 3a 3b 4 5";

    pub fn parse(s: &str) -> Option<EvidenceLevel> {
        let b = s.as_bytes();
        match b {
            [t @ b'1'..=b'2', s @ b'a'..=b'c'] => Some(EvidenceLevel {
                tier: t - b'0',
                sub: *s,
            }),
            [b'3', s @ b'a'..=b'b'] => Some(EvidenceLevel { tier: 3, sub: *s }),
            [t @ b'4'..=b'5'] => Some(EvidenceLevel {
                tier: t - b'0',
                sub: 0,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for EvidenceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sub == 0 {
            write!(f, "{}", self.tier)
        } else {
            write!(f, "{}{}", self.tier, self.sub as char)
        }
    }
}

impl Serialize for EvidenceLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Medicinrådet's (the Danish Medicines Council's) status for a drug recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MedicinraadetStatus {
    Recommended,
    NotRecommended,
    NotAssessed,
}

/// How the author wrote a Medicinrådet status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerForm {
    /// `●` or `●●`.
    Symbol,
    /// `[Medicinrådet: …]`.
    Explicit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedicinraadetMark {
    pub status: MedicinraadetStatus,
    pub form: MarkerForm,
    /// The marker as written, e.g. `●●` or `[Medicinrådet: anbefalet]`.
    pub written: String,
    #[serde(skip)]
    pub span: Span,
}

/// A piece of recommendation text and the grade written after it, if any.
/// Concatenating the statements' text gives the recommendation without markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The text of the sentence(s) this grade covers, without the `(A)` and without markup.
    pub text: String,
    pub grade: Option<Grade>,
    /// Where the grade was written (or the statement start when ungraded).
    #[serde(skip)]
    pub span: Span,
}

/// A numbered recommendation in chapter 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub number: u32,
    pub topic: String,
    /// The recommendation's first paragraph as written, markers included; used to
    /// compare a repetition in chapter 4 with the original.
    pub source: String,
    pub statements: Vec<Statement>,
    pub medicinraadet: Option<MedicinraadetMark>,
    pub extra_cost: bool,
    /// Markdown of each nested bullet under the recommendation.
    pub notes: Vec<String>,
    /// The recommendation's text as a content tree, with its grades, marker and cost flag as nodes.
    #[serde(skip)]
    pub content: Vec<content::Inline>,
    /// Each note as a content tree.
    #[serde(skip)]
    pub notes_content: Vec<Vec<content::Block>>,
    /// The author's `[id: …]` instruction for the recommendation's stable id, if written.
    #[serde(skip)]
    pub id_pin: Option<IdPin>,
    #[serde(skip)]
    pub span: Span,
}

/// What an author wrote in `[id: …]` at the end of a recommendation: keep a
/// given stable id (matching it to the previous version's recommendation with
/// that id), or break any match and start a new id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IdPin {
    /// `[id: r4k9fz2q]`: this recommendation carries this id.
    Keep(String),
    /// `[id: ny]` (English `[id: new]`): a new recommendation, whatever it resembles.
    New,
}

impl IdPin {
    /// A stable id an author may write: 2–32 ASCII lower-case letters, digits
    /// and hyphens, starting with a letter (so it is a URL fragment and an HTML id as it is).
    pub fn valid_id(s: &str) -> bool {
        (2..=32).contains(&s.len())
            && s.as_bytes()[0].is_ascii_lowercase()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }
}

impl Recommendation {
    pub fn grades(&self) -> impl Iterator<Item = Grade> + '_ {
        self.statements.iter().filter_map(|s| s.grade)
    }
    /// The strongest grade given (A is strongest).
    pub fn strongest_grade(&self) -> Option<Grade> {
        self.grades().min()
    }
    /// The recommendation as a reader sees it, without markup: each grade once,
    /// as `(A)`, after the sentence it grades; marker and cost flag as written.
    pub fn plain_text(&self) -> String {
        content::collapse_whitespace(&content::Inline::plain_text(&self.content))
    }
}

/// A citation in evidence prose: `(3, 4) [1b]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub references: Vec<u32>,
    pub level: Option<EvidenceLevel>,
    /// A bracketed level that is not a valid Oxford level, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_level: Option<String>,
    /// The citation as written, e.g. `(3, 4) [1b]`.
    #[serde(skip)]
    pub written: String,
    #[serde(skip)]
    pub span: Span,
}

/// How an evidence block names the recommendation it supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceTarget {
    pub number: u32,
    /// `Some(text)` when the recommendation was repeated verbatim; `None` for `[Anbefaling N]`.
    pub repeated: Option<String>,
    /// The repeated text as a content tree (empty for `[Anbefaling N]`).
    #[serde(skip)]
    pub content: Vec<content::Inline>,
    /// Notes under the repeated recommendation, as content trees.
    #[serde(skip)]
    pub notes: Vec<Vec<content::Block>>,
    #[serde(skip)]
    pub span: Span,
}

/// One of the template's sub-parts of an evidence block (level-3 heading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidencePart {
    pub title: String,
    pub markdown: String,
    #[serde(skip)]
    pub content: Vec<content::Block>,
    #[serde(skip)]
    pub span: Span,
}

/// Evidence for one or more recommendations (chapter 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceBlock {
    pub topic: String,
    pub targets: Vec<EvidenceTarget>,
    /// Markdown between the targets and the first sub-part heading.
    pub lead: String,
    #[serde(skip)]
    pub lead_content: Vec<content::Block>,
    pub parts: Vec<EvidencePart>,
    pub citations: Vec<Citation>,
    #[serde(skip)]
    pub span: Span,
}

/// A numbered reference in chapter 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The number its author wrote.
    pub number: u32,
    pub markdown: String,
    /// The reference as a content tree (paragraphs joined by line breaks).
    #[serde(skip)]
    pub content: Vec<content::Inline>,
    #[serde(skip)]
    pub span: Span,
}

/// A whole guideline as parsed from one source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guideline {
    /// The source file, as given to the parser (used in diagnostics).
    pub path: String,
    pub front: FrontMatter,
    /// The template id actually used (the front matter's or the newest).
    pub template: String,
    pub chapters: Vec<Chapter>,
    pub changelog: Vec<ChangelogRow>,
    pub recommendations: Vec<Recommendation>,
    pub evidence: Vec<EvidenceBlock>,
    pub references: Vec<Reference>,
}

impl Guideline {
    pub fn chapter(&self, role: ChapterRole) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.role == Some(role))
    }
    pub fn recommendation(&self, number: u32) -> Option<&Recommendation> {
        self.recommendations.iter().find(|r| r.number == number)
    }
    /// Topics of chapter 2 in order of first appearance.
    pub fn topics(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.recommendations {
            if out.last() != Some(&r.topic.as_str()) && !out.contains(&r.topic.as_str()) {
                out.push(&r.topic);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_strictly_and_order_numerically() {
        assert_eq!(Version::parse("2.0"), Some(Version { major: 2, minor: 0 }));
        assert!(Version::parse("1.10").unwrap() > Version::parse("1.9").unwrap());
        for bad in ["2", "2.0.1", "v2.0", "2.", ".1", "2.x", "+1.0", ""] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn evidence_levels() {
        let all: Vec<String> = EvidenceLevel::ALL
            .split(' ')
            .map(|s| EvidenceLevel::parse(s).unwrap().to_string())
            .collect();
        assert_eq!(all.join(" "), EvidenceLevel::ALL);
        for bad in ["3c", "1d", "6", "0", "4a", "1A", ""] {
            assert_eq!(EvidenceLevel::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn grade_support() {
        assert_eq!(Grade::A.weakest_supporting_tier(), 1);
        assert_eq!(Grade::D.weakest_supporting_tier(), 5);
        assert!(Grade::A < Grade::B);
    }
}

/// A contact person for a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// One multidisciplinary cancer group (DMCG) from `dmcg.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    #[serde(default)]
    pub contact: Option<Contact>,
}

/// The group registry (`guidelines/dmcg.toml`): short name → group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Registry {
    pub groups: std::collections::BTreeMap<String, Group>,
}

impl Registry {
    pub fn get(&self, key: &str) -> Option<&Group> {
        self.groups.get(key)
    }
}
