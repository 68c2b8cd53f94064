//! The view's data: the plain, serialisable values the templates and the PDF
//! renderer read (one struct per thing a reader sees). [`crate::GuidelineView::new`]
//! fills them.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;
use vejviser_model::content::{Block, Inline};
use vejviser_model::ChapterRole;

use crate::{changes, Labels};

/// Where a page sits and what it links to. Everything defaults to "a page on
/// its own": no other versions, not archived, no PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// Relative URL from the page to the folder with the shared assets
    /// (`style.css`): `""` for the same folder, `"../../"` on a site.
    pub base_path: String,
    /// Other versions to list ("Tidligere versioner"), in the order to show them.
    pub versions: Vec<VersionLink>,
    /// This page is an earlier version kept in the archive.
    pub archived: bool,
    /// Link to the current version (shown on archived versions), if there is one.
    pub current_href: Option<String>,
    /// The version that replaced this archived one (the next newer), if known.
    pub replaced_by: Option<VersionLink>,
    /// File name (relative to the page) of the full guideline's PDF, once written.
    pub pdf_full: Option<String>,
    /// File name (relative to the page) of the quick guide's PDF, once written.
    pub pdf_quick: Option<String>,
    /// Links above the title (e.g. the site's front page, the group page).
    pub breadcrumbs: Vec<Link>,
    /// The site's accessibility statement in the page's language (footer link), if any.
    pub accessibility: Option<String>,
    /// Each recommendation's stable id and what happened to it since the
    /// previous version, in the guideline's order (empty: no ids or tags).
    pub standings: Vec<vejviser_versions::Standing>,
    /// The last version whose recommendations changed ("Sidst fagligt ændret"),
    /// with its professional approval (`href` unused).
    pub last_professional_change: Option<VersionLink>,
    /// Link to the page of changes since the previous version, and that version.
    pub changes: Option<VersionLink>,
    /// The page of changes itself (rendered as its own page).
    pub changes_page: Option<changes::ChangesPageView>,
    /// Relative URL from the page to its version's folder (the quick guide's
    /// `index.html`, `full.html`): `""` on those pages, `"../"` on the page of
    /// changes, which has a folder of its own below them.
    pub version_folder: String,
    /// The version publishes no quick guide of its own: its recommendations are
    /// read in chapter 2 of the full page (archived and withdrawn versions on a
    /// site, docs/site.md). Its `index.html` only points there.
    pub no_quick_guide: bool,
    /// The guideline's stable address on the published site, where its current
    /// version always is (`https://…/dmsg/myelomatose-hdt/`); printed on the
    /// quick PDF so a printout can be checked against the site. `None` outside a site.
    pub address: Option<String>,
}

/// Another version of the same guideline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionLink {
    pub version: String,
    pub href: String,
    pub professional_approval: Option<NaiveDate>,
}

/// A plain link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// The whole view of one guideline version.
#[derive(Debug, Clone, Serialize)]
pub struct GuidelineView {
    /// `da` or `en` (`<html lang>`, PDF `/Lang`, hyphenation).
    pub lang: &'static str,
    pub labels: &'static Labels,
    pub title: String,
    pub dmcg: String,
    pub group: GroupView,
    pub version: String,
    /// The template's id (`sundk-1.0`), for machines.
    pub template: String,
    /// The template's name for readers ("SundK skabelon for kliniske retningslinjer, version 1.0").
    pub template_name: String,
    /// The revision status's machine name (`current`, `due`, `overdue`, `expired`, `draft`).
    pub status: &'static str,
    pub draft: bool,
    /// Expired: withdrawn until re-approved.
    pub withdrawn: bool,
    /// Shown on every page when the guideline is due, overdue or expired.
    pub status_banner: Option<StatusBanner>,
    /// An earlier version kept in the archive.
    pub archived: bool,
    /// On an archived version: "Dette er ikke den gældende version – erstattet af
    /// version 2.0 (7. april 2025)", for the banner, the PDFs' front page and running head.
    pub archive_notice: Option<String>,
    /// The one-line text printed at the top of every PDF page: the archive notice, or a
    /// short form of the status banner (whose whole text is on the front page). Short
    /// enough never to be cut.
    pub status_line: Option<String>,
    /// The guideline's stable address on the site (see [`ViewOptions::address`]).
    pub address: Option<String>,
    /// Front page fields in the template's order (version, approvals, planned update, keywords).
    pub front_fields: Vec<FrontField>,
    pub keywords: Vec<String>,
    pub links: LinksView,
    /// Chapter 2's recommendations, grouped by topic.
    pub topics: Vec<TopicView>,
    pub recommendation_count: usize,
    pub legend: Legend,
    /// Every chapter to show, in template order, with its template number.
    pub chapters: Vec<ChapterView>,
    pub changelog: Vec<ChangelogRowView>,
    pub evidence: Vec<EvidenceTopicView>,
    /// The levels of evidence cited, in order 1a … 5, for the level legend.
    pub evidence_levels: Vec<LevelEntry>,
    pub references: Vec<ReferenceView>,
    /// The generated appendix of recommendations flagged with extra cost.
    pub cost_appendix: Option<CostAppendix>,
    /// The page of changes since the previous version, when there is one.
    pub changes_page: Option<changes::ChangesPageView>,
    /// Where citations point: the numbers chapter 5 has (see [`GuidelineView::cite`]).
    #[serde(skip)]
    pub reference_numbers: BTreeSet<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// The group's full name (the short name when the registry does not know it).
    pub name: String,
    pub contact: Option<ContactView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub name: String,
    pub email: String,
}

/// A revision warning: the status and a sentence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusBanner {
    /// `due`, `overdue` or `expired`.
    pub status: &'static str,
    /// The revision crate's short label, e.g. "Revision overskredet".
    pub label: &'static str,
    /// E.g. "Planlagt opdatering overskredet: 1. juni 2025".
    pub text: String,
}

/// One label/value row of the front page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontField {
    /// `version`, `professional_approval`, `administrative_approval`, `planned_update`, `keywords`.
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinksView {
    pub base: String,
    pub pdf_full: Option<String>,
    pub pdf_quick: Option<String>,
    pub current: Option<String>,
    pub versions: Vec<VersionView>,
    pub breadcrumbs: Vec<Link>,
    pub accessibility: Option<String>,
    /// The page of changes since the previous version ("Ændringer siden version 1.5").
    pub changes: Option<Link>,
    /// From the page to its version's folder: `""`, or `"../"` on the page of changes.
    pub version_folder: String,
    /// The version's quick guide page, when it has one of its own (relative to the page).
    pub quick: Option<String>,
    /// The page (in the version's folder) that holds the recommendations by
    /// their ids: `index.html`, or `full.html` for a version without a quick guide.
    pub recommendations_page: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: String,
    pub href: String,
    /// "3. marts 2025", when known.
    pub approved: Option<String>,
}

/// A level-2 topic of chapter 2 and its recommendations.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub title: String,
    pub anchor: String,
    pub recommendations: Vec<RecommendationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecommendationView {
    pub number: u32,
    /// `anbefaling-N` / `recommendation-N`.
    pub anchor: String,
    /// Where its evidence starts (its own target in the first block citing it).
    pub evidence_anchor: Option<String>,
    /// The id it carries where chapter 4 cites it, when the block's own anchor
    /// is not already that place.
    pub cited_id: Option<String>,
    pub statements: Vec<StatementView>,
    pub medicinraadet: Option<StatusView>,
    pub extra_cost: bool,
    /// Markdown of each note.
    pub notes: Vec<String>,
    /// The stable id, carried from version to version (also the element's HTML id).
    pub id: Option<String>,
    /// New, changed (and what) or unchanged since when; `None` for a first version.
    pub change: Option<ChangeView>,
    /// The recommendation's text as a content tree: grades, marker and cost flag are nodes.
    #[serde(skip)]
    pub content: Vec<Inline>,
    /// Each note as a content tree.
    #[serde(skip)]
    pub notes_content: Vec<Vec<Block>>,
    /// The text as HTML, grades included (filled by the HTML renderer).
    pub html: String,
    /// Each note as HTML (filled by the HTML renderer).
    pub notes_html: Vec<String>,
}

/// A recommendation's change tag: `key` is `new`, `changed` or `unchanged`
/// (for styling and the filter), `label` the visible words
/// ("Ændret: anbefalingsgrad", "Uændret siden version 1.5").
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub key: &'static str,
    pub label: String,
}

/// A sentence (or several) and the grade written after it.
#[derive(Debug, Clone, Serialize)]
pub struct StatementView {
    /// Markdown, trimmed.
    pub text: String,
    /// The source had white space before this piece (print a space first).
    pub space_before: bool,
    pub grade: Option<GradeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    /// `A` … `D`.
    pub letter: char,
    /// For screen readers and tooltips: "Anbefalingsgrad A".
    pub label: String,
}

/// A Medicinrådet status as shown: one symbol per status, and its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    /// `recommended`, `not-recommended`, `not-assessed`.
    pub key: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
}

/// The legend: statuses used in this guideline and the grade scale.
#[derive(Debug, Clone, Serialize)]
pub struct Legend {
    /// Only the statuses some recommendation carries, in a fixed order.
    pub statuses: Vec<StatusView>,
    pub grades: Vec<GradeEntry>,
    /// Some recommendation carries the cost flag.
    pub extra_cost: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeEntry {
    pub letter: char,
    pub description: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelEntry {
    pub level: String,
    pub anchor: String,
    pub description: &'static str,
}

/// A chapter as shown: the template's number and title in the guideline's language.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterView {
    pub number: u32,
    pub role: ChapterRole,
    pub title: String,
    pub anchor: String,
    /// Markdown before the first section (structured content already taken out).
    pub intro: String,
    /// The same as a content tree.
    #[serde(skip)]
    pub intro_content: Vec<Block>,
    /// As HTML (filled by the HTML renderer).
    pub intro_html: String,
    /// Sections shown as written (introduction, methods, monitoring, appendices).
    pub sections: Vec<SectionView>,
    /// Entries under this chapter in the table of contents.
    pub toc: Vec<TocEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub anchor: String,
    pub markdown: String,
    #[serde(skip)]
    pub content: Vec<Block>,
    /// As HTML (filled by the HTML renderer).
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub title: String,
    pub anchor: String,
}

/// A changelog row; cells are inline Markdown.
#[derive(Debug, Clone, Serialize)]
pub struct ChangelogRowView {
    pub chapter: String,
    pub section: String,
    pub description: String,
    /// The cells as content trees.
    #[serde(skip)]
    pub cells: Vec<Vec<Inline>>,
    /// The cells as HTML (filled by the HTML renderer).
    pub cells_html: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceTopicView {
    pub title: String,
    pub anchor: String,
    pub blocks: Vec<EvidenceBlockView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceBlockView {
    pub anchor: String,
    /// The recommendations it supports, text inserted from chapter 2.
    pub recommendations: Vec<RecommendationView>,
    /// Markdown before the first part.
    pub lead: String,
    #[serde(skip)]
    pub lead_content: Vec<Block>,
    /// As HTML (filled by the HTML renderer).
    pub lead_html: String,
    pub parts: Vec<EvidencePartView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidencePartView {
    pub title: String,
    /// Markdown as written.
    pub markdown: String,
    /// The same as a content tree; citations are [`Inline::Citation`] nodes
    /// resolved with [`GuidelineView::cite`].
    #[serde(skip)]
    pub content: Vec<Block>,
    /// As HTML (filled by the HTML renderer).
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    pub number: u32,
    /// `ref-N`.
    pub anchor: String,
    pub markdown: String,
    #[serde(skip)]
    pub content: Vec<Inline>,
    /// As HTML (filled by the HTML renderer).
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostAppendix {
    /// "Bilag 4 – Anbefalinger med betydelig merudgift".
    pub title: String,
    pub anchor: String,
    pub intro: &'static str,
    pub recommendations: Vec<RecommendationView>,
}
