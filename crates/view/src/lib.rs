//! The view of a guideline: everything a reader sees, decided once, so the HTML
//! renderer and the PDF renderer show the same numbers, anchors, labels,
//! legends, symbols and citation links and can never disagree.
//!
//! A [`GuidelineView`] is plain data built from the model, the template, the
//! group, the revision status and a few page options. It does no I/O and reads
//! no clock. Text that authors wrote stays Markdown (renderers convert it, HTML
//! with sanitising); every fixed text comes from [`Labels`] in the guideline's
//! language. It serialises with serde, so a handlebars template renders it as it is.
//!
//! ```
//! use vejviser_view::{GuidelineView, ViewOptions};
//! # let templates = vejviser_template::TemplateSet::builtin();
//! # let src = "+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\n+++\n\n# Anbefalinger\n\n## Behandling\n\n1. Gør det (A) ●\n";
//! # let g = vejviser_parse::parse("g.md", src.as_bytes(), &templates).guideline.unwrap();
//! # let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let rev = vejviser_revision::revision(None, None, today, 90);
//! let view = GuidelineView::new(&g, templates.newest(), None, &rev, &ViewOptions::default());
//! assert_eq!(view.topics[0].recommendations[0].anchor, "anbefaling-1");
//! assert_eq!(view.legend.statuses[0].symbol, "✓");
//! ```

pub mod anchor;
pub mod changes;
pub mod cite;
pub mod labels;
pub mod math;

pub use labels::{long_date, Labels};

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;
use vejviser_model::content::{walk_inlines, Block, Inline};
use vejviser_model::{
    ChapterRole, EvidenceLevel, Grade, Group, Guideline, Language, MedicinraadetStatus,
    Recommendation,
};
use vejviser_revision::{Revision, RevisionStatus};
use vejviser_template::{normalise_title, Template};

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

impl GuidelineView {
    /// Builds the view. Nothing here fails: a guideline with check errors still
    /// gives a view (missing parts are simply left out).
    pub fn new(
        g: &Guideline,
        template: &Template,
        group: Option<&Group>,
        revision: &Revision,
        opts: &ViewOptions,
    ) -> GuidelineView {
        let lang = g.front.language;
        let labels = Labels::for_language(lang);
        let mut anchors = anchor::Anchors::default();
        for st in &opts.standings {
            anchors.reserve(&st.id);
        }
        for r in &g.recommendations {
            anchors.reserve(&anchor::recommendation(r.number, lang));
            anchors.reserve(&anchor::evidence_for(r.number, lang));
        }
        for r in &g.references {
            anchors.reserve(&anchor::reference(r.number));
        }
        for l in EvidenceLevel::ALL
            .split(' ')
            .filter_map(EvidenceLevel::parse)
        {
            anchors.reserve(&anchor::evidence_level(l, lang));
        }

        // Where each recommendation's evidence starts: the first block that
        // cites it. Every recommendation gets its own target there (the block's
        // anchor for its first one, an id on its line in the block for the
        // others), so "Se evidensgrundlaget" lands on that recommendation, not
        // on the top of a block that cites seven.
        let mut evidence_anchor_of = std::collections::BTreeMap::new();
        let mut owner_block = std::collections::BTreeMap::new();
        let mut block_anchors = Vec::new();
        for (i, b) in g.evidence.iter().enumerate() {
            let a = match b.targets.first() {
                Some(t) if !evidence_anchor_of.contains_key(&t.number) => {
                    anchor::evidence_for(t.number, lang)
                }
                _ => anchors.unique(&format!("{} {}", labels.supports, b.topic), "evidens"),
            };
            for t in &b.targets {
                if let std::collections::btree_map::Entry::Vacant(e) =
                    evidence_anchor_of.entry(t.number)
                {
                    e.insert(anchor::evidence_for(t.number, lang));
                    owner_block.insert(t.number, i);
                }
            }
            block_anchors.push(a);
        }
        let standing_of: std::collections::HashMap<u32, &vejviser_versions::Standing> = g
            .recommendations
            .iter()
            .zip(&opts.standings)
            .map(|(r, st)| (r.number, st))
            .collect();
        let rec_view = |r: &Recommendation| {
            let mut v = recommendation_view(r, lang, evidence_anchor_of.get(&r.number).cloned());
            if let Some(st) = standing_of.get(&r.number) {
                v.id = Some(st.id.clone());
                v.change = change_view(st, lang);
            }
            v
        };

        let front = &g.front;
        let title_of = |role: ChapterRole| {
            template
                .chapter(role)
                .map(|c| c.title.get(lang).to_string())
                .unwrap_or_default()
        };
        let chapter_anchor = |role: ChapterRole, anchors: &mut anchor::Anchors| {
            anchors.unique(&normalise_title(&title_of(role)), "kapitel")
        };

        // Chapter 2: topics in order of first appearance.
        let mut topics: Vec<TopicView> = Vec::new();
        let rec_anchor = g
            .chapter(ChapterRole::Recommendations)
            .map(|_| chapter_anchor(ChapterRole::Recommendations, &mut anchors));
        for r in &g.recommendations {
            match topics.iter_mut().find(|t| t.title == r.topic) {
                Some(t) => t.recommendations.push(rec_view(r)),
                None => {
                    let base = format!("{} {}", rec_anchor.as_deref().unwrap_or(""), r.topic);
                    topics.push(TopicView {
                        title: r.topic.clone(),
                        anchor: anchors.unique(&base, "emne"),
                        recommendations: vec![rec_view(r)],
                    })
                }
            }
        }

        let statuses_used: BTreeSet<MedicinraadetStatus> = g
            .recommendations
            .iter()
            .filter_map(|r| r.medicinraadet.as_ref().map(|m| m.status))
            .collect();
        let legend = Legend {
            statuses: statuses_used
                .iter()
                .map(|s| status_view(*s, lang))
                .collect(),
            grades: [Grade::A, Grade::B, Grade::C, Grade::D]
                .into_iter()
                .map(|grade| GradeEntry {
                    letter: grade.letter(),
                    description: labels::grade_description(grade, lang),
                })
                .collect(),
            extra_cost: g.recommendations.iter().any(|r| r.extra_cost),
        };

        // Chapter 4: blocks grouped by topic, citations rewritten.
        let reference_numbers: BTreeSet<u32> = g.references.iter().map(|r| r.number).collect();
        let mut levels_used: BTreeSet<EvidenceLevel> = BTreeSet::new();
        let mut levels_of = |blocks: &[Block]| {
            Block::for_each_inlines(blocks, &mut |inl| {
                walk_inlines(inl, &mut |i| {
                    if let Inline::Citation(c) = i {
                        levels_used.extend(c.level);
                    }
                })
            });
        };
        let ev_anchor = g
            .chapter(ChapterRole::Evidence)
            .map(|_| chapter_anchor(ChapterRole::Evidence, &mut anchors));
        let mut evidence: Vec<EvidenceTopicView> = Vec::new();
        for (i, (b, block_anchor)) in g.evidence.iter().zip(block_anchors).enumerate() {
            let view = EvidenceBlockView {
                recommendations: b
                    .targets
                    .iter()
                    .filter_map(|t| g.recommendation(t.number))
                    .map(|r| {
                        let mut v = rec_view(r);
                        let own = anchor::evidence_for(r.number, lang);
                        if owner_block.get(&r.number) == Some(&i) && own != block_anchor {
                            v.cited_id = Some(own);
                        }
                        v
                    })
                    .collect(),
                anchor: block_anchor,
                lead: b.lead.clone(),
                lead_content: {
                    levels_of(&b.lead_content);
                    b.lead_content.clone()
                },
                lead_html: String::new(),
                parts: b
                    .parts
                    .iter()
                    .map(|p| {
                        levels_of(&p.content);
                        EvidencePartView {
                            title: p.title.clone(),
                            markdown: p.markdown.clone(),
                            content: p.content.clone(),
                            html: String::new(),
                        }
                    })
                    .collect(),
            };
            match evidence.iter_mut().find(|t| t.title == b.topic) {
                Some(t) => t.blocks.push(view),
                None => {
                    let base = format!("{} {}", ev_anchor.as_deref().unwrap_or(""), b.topic);
                    evidence.push(EvidenceTopicView {
                        title: b.topic.clone(),
                        anchor: anchors.unique(&base, "evidens"),
                        blocks: vec![view],
                    })
                }
            }
        }
        let evidence_levels = levels_used
            .iter()
            .map(|l| LevelEntry {
                level: l.to_string(),
                anchor: anchor::evidence_level(*l, lang),
                description: labels::level_description(*l, lang),
            })
            .collect();

        let cost_recs: Vec<RecommendationView> = g
            .recommendations
            .iter()
            .filter(|r| r.extra_cost)
            .map(rec_view)
            .collect();

        // Chapters in template order.
        let mut chapters = Vec::new();
        let mut cost_appendix = None;
        for tc in &template.chapters {
            let written = g.chapter(tc.role);
            let generated_here = match tc.role {
                ChapterRole::About => true,
                ChapterRole::Appendices => !cost_recs.is_empty(),
                _ => false,
            };
            if written.is_none() && !generated_here {
                continue;
            }
            let anchor = match tc.role {
                ChapterRole::Recommendations => rec_anchor.clone(),
                ChapterRole::Evidence => ev_anchor.clone(),
                _ => None,
            }
            .unwrap_or_else(|| chapter_anchor(tc.role, &mut anchors));
            let intro_md = written.map(|c| c.intro.as_str()).unwrap_or("");
            let intro_tree: &[Block] = written.map(|c| c.intro_content.as_slice()).unwrap_or(&[]);
            // The structured part of a chapter is shown from the model, so its
            // prose must not repeat it.
            let without = |drop: fn(&Block) -> bool| -> Vec<Block> {
                intro_tree.iter().filter(|b| !drop(b)).cloned().collect()
            };
            let mut view = ChapterView {
                number: tc.number,
                role: tc.role,
                title: tc.title.get(lang).to_string(),
                anchor: anchor.clone(),
                intro: String::new(),
                intro_content: Vec::new(),
                intro_html: String::new(),
                sections: Vec::new(),
                toc: Vec::new(),
            };
            match tc.role {
                ChapterRole::Changelog => {
                    view.intro = intro_md.to_string();
                    view.intro_content = without(|b| matches!(b, Block::Table { .. }));
                }
                ChapterRole::Recommendations => {
                    view.intro = intro_md.to_string();
                    view.intro_content =
                        without(|b| matches!(b, Block::List { ordered: true, .. }));
                    view.toc = topics.iter().map(|t| toc(&t.title, &t.anchor)).collect();
                }
                ChapterRole::Evidence => {
                    if !evidence.iter().any(|t| t.title.is_empty()) {
                        view.intro = intro_md.to_string();
                        view.intro_content = intro_tree.to_vec();
                    }
                    view.toc = evidence
                        .iter()
                        .filter(|t| !t.title.is_empty())
                        .map(|t| toc(&t.title, &t.anchor))
                        .collect();
                }
                ChapterRole::References => {
                    view.intro = intro_md.to_string();
                    view.intro_content =
                        without(|b| matches!(b, Block::List { ordered: true, .. }));
                }
                ChapterRole::About => {
                    view.intro = template.about_text(
                        lang,
                        &front.title,
                        &group_label(group, &front.dmcg),
                        &front.version.to_string(),
                        g.recommendations.iter().any(|r| r.extra_cost),
                    );
                    // The template's own text: paragraphs of plain words.
                    view.intro_content = view
                        .intro
                        .split("\n\n")
                        .filter(|p| !p.trim().is_empty())
                        .map(|p| Block::Paragraph {
                            inlines: vec![Inline::Text(p.trim().to_string())],
                            span: Default::default(),
                        })
                        .collect();
                }
                _ => {
                    view.intro = intro_md.to_string();
                    view.intro_content = intro_tree.to_vec();
                    if let Some(c) = written {
                        for s in &c.sections {
                            let a = anchors.unique(&format!("{anchor} {}", s.title), "afsnit");
                            view.toc.push(toc(&s.title, &a));
                            view.sections.push(SectionView {
                                title: s.title.clone(),
                                anchor: a,
                                markdown: s.markdown.clone(),
                                content: s.content.clone(),
                                html: String::new(),
                            });
                        }
                    }
                    if tc.role == ChapterRole::Appendices && !cost_recs.is_empty() {
                        let n = view.sections.len() + 1;
                        let title =
                            format!("{} {n} – {}", labels.appendix, labels.cost_appendix_title);
                        let a = anchors.unique(
                            &format!("{anchor} {}", labels.cost_appendix_title),
                            "merudgift",
                        );
                        view.toc.push(toc(&title, &a));
                        cost_appendix = Some(CostAppendix {
                            title,
                            anchor: a,
                            intro: labels.cost_appendix_intro,
                            recommendations: cost_recs.clone(),
                        });
                    }
                }
            }
            chapters.push(view);
        }

        let status_banner = if opts.archived {
            None
        } else {
            status_banner(
                revision,
                front.planned_update,
                front.professional_approval.as_ref().map(|a| a.date),
                lang,
            )
        };
        let archive_notice = opts.archived.then(|| {
            let mut s = labels.not_current.to_string();
            if let Some(r) = &opts.replaced_by {
                let replaced = match r.professional_approval {
                    Some(d) => labels
                        .replaced_by
                        .replace("{version}", &r.version)
                        .replace("{date}", &long_date(d, lang)),
                    None => labels.replaced_by_undated.replace("{version}", &r.version),
                };
                s.push_str(" – ");
                s.push_str(&replaced);
            }
            s
        });
        let status_line = archive_notice.clone().or_else(|| {
            let date = |d: Option<NaiveDate>| d.map(|d| long_date(d, lang)).unwrap_or_default();
            match revision.status {
                RevisionStatus::Overdue => Some(
                    labels
                        .status_line_overdue
                        .replace("{date}", &date(front.planned_update))
                        .replace("{expires}", &date(revision.expires)),
                ),
                RevisionStatus::Expired => Some(
                    labels
                        .status_line_expired
                        .replace("{date}", &date(revision.expires)),
                ),
                _ => status_banner.as_ref().map(|b| b.text.clone()),
            }
        });

        GuidelineView {
            lang: lang.code(),
            labels,
            title: front.title.clone(),
            dmcg: front.dmcg.clone(),
            group: GroupView {
                name: group
                    .map(|g| g.name.clone())
                    .unwrap_or_else(|| front.dmcg.clone()),
                contact: group.and_then(|g| g.contact.as_ref()).map(|c| ContactView {
                    name: c.name.clone(),
                    email: c.email.clone(),
                }),
            },
            version: front.version.to_string(),
            template: g.template.clone(),
            template_name: template.name.clone(),
            status: revision.status.as_str(),
            draft: front.is_draft() || revision.status == RevisionStatus::Draft,
            withdrawn: revision.status == RevisionStatus::Expired,
            status_banner,
            archived: opts.archived,
            archive_notice,
            status_line,
            address: opts.address.clone(),
            front_fields: front_fields(g, lang, opts.last_professional_change.as_ref()),
            keywords: front.keywords.clone(),
            links: LinksView {
                base: opts.base_path.clone(),
                pdf_full: opts.pdf_full.clone(),
                pdf_quick: opts.pdf_quick.clone(),
                current: opts.current_href.clone(),
                versions: opts
                    .versions
                    .iter()
                    .map(|v| VersionView {
                        version: v.version.clone(),
                        href: v.href.clone(),
                        approved: v.professional_approval.map(|d| long_date(d, lang)),
                    })
                    .collect(),
                breadcrumbs: opts.breadcrumbs.clone(),
                accessibility: opts.accessibility.clone(),
                changes: opts.changes.as_ref().map(|v| Link {
                    text: format!("{} {}", labels.changes_since, v.version),
                    href: v.href.clone(),
                }),
                version_folder: opts.version_folder.clone(),
                quick: (!opts.no_quick_guide).then(|| format!("{}index.html", opts.version_folder)),
                recommendations_page: if opts.no_quick_guide {
                    "full.html"
                } else {
                    "index.html"
                },
            },
            recommendation_count: g.recommendations.len(),
            topics,
            legend,
            chapters,
            changelog: g
                .changelog
                .iter()
                .map(|r| ChangelogRowView {
                    chapter: r.chapter.clone(),
                    section: r.section.clone(),
                    description: r.description.clone(),
                    cells: r.cells.clone(),
                    cells_html: Vec::new(),
                })
                .collect(),
            evidence,
            evidence_levels,
            references: g
                .references
                .iter()
                .map(|r| ReferenceView {
                    number: r.number,
                    anchor: anchor::reference(r.number),
                    markdown: r.markdown.clone(),
                    content: r.content.clone(),
                    html: String::new(),
                })
                .collect(),
            cost_appendix,
            changes_page: opts.changes_page.clone(),
            reference_numbers,
        }
    }

    /// Every recommendation in number order (flattened from the topics).
    pub fn recommendations(&self) -> impl Iterator<Item = &RecommendationView> {
        self.topics.iter().flat_map(|t| t.recommendations.iter())
    }

    /// How a citation reads and where it points, decided once for both
    /// renderers: each number with the anchor of its reference (`None` when
    /// chapter 5 has no such number; the checker reports it), and the level
    /// with its anchor and title.
    pub fn cite<'c>(&self, c: &'c vejviser_model::Citation) -> cite::Resolved<'c> {
        let lang = Language::parse(self.lang).unwrap_or_default();
        cite::resolve(c, &self.reference_numbers, self.labels, lang)
    }

    /// The PDF's running-footer page text for page `n` of `m`.
    pub fn page_of(&self, n: usize, m: usize) -> String {
        self.labels
            .page_of
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }
}

fn toc(title: &str, anchor: &str) -> TocEntry {
    TocEntry {
        title: title.to_string(),
        anchor: anchor.to_string(),
    }
}

/// "Dansk Myelomatose Studiegruppe (DMSG)", or the short name alone.
fn group_label(group: Option<&Group>, dmcg: &str) -> String {
    match group {
        Some(g) if g.name != dmcg => format!("{} ({dmcg})", g.name),
        _ => dmcg.to_string(),
    }
}

fn status_view(s: MedicinraadetStatus, lang: Language) -> StatusView {
    StatusView {
        key: labels::status_key(s),
        symbol: labels::status_symbol(s),
        label: labels::status_label(s, lang),
    }
}

fn recommendation_view(
    r: &Recommendation,
    lang: Language,
    evidence_anchor: Option<String>,
) -> RecommendationView {
    let labels = Labels::for_language(lang);
    RecommendationView {
        number: r.number,
        anchor: anchor::recommendation(r.number, lang),
        evidence_anchor,
        cited_id: None,
        statements: r
            .statements
            .iter()
            .enumerate()
            .map(|(k, s)| StatementView {
                text: s.text.trim().to_string(),
                space_before: k > 0 && s.text.starts_with(char::is_whitespace),
                grade: s.grade.map(|g| GradeView {
                    letter: g.letter(),
                    label: format!("{} {}", labels.grade, g.letter()),
                }),
            })
            .filter(|s| !s.text.is_empty() || s.grade.is_some())
            .collect(),
        medicinraadet: r
            .medicinraadet
            .as_ref()
            .map(|m| status_view(m.status, lang)),
        extra_cost: r.extra_cost,
        notes: r.notes.clone(),
        id: None,
        change: None,
        content: r.content.clone(),
        notes_content: r.notes_content.clone(),
        html: String::new(),
        notes_html: Vec::new(),
    }
}

/// The visible change tag of a recommendation, in the guideline's language.
fn change_view(st: &vejviser_versions::Standing, lang: Language) -> Option<ChangeView> {
    use vejviser_versions::Change;
    let labels = Labels::for_language(lang);
    Some(match st.change? {
        Change::Added => ChangeView {
            key: "new",
            label: labels.change_new.to_string(),
        },
        Change::Changed => ChangeView {
            key: "changed",
            label: format!(
                "{}: {}",
                labels.change_changed,
                st.fields
                    .iter()
                    .map(|f| f.label(lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Change::Unchanged => ChangeView {
            key: "unchanged",
            label: format!("{} {}", labels.unchanged_since, st.unchanged_since),
        },
        Change::Removed => return None,
    })
}

fn front_fields(
    g: &Guideline,
    lang: Language,
    last_change: Option<&VersionLink>,
) -> Vec<FrontField> {
    let labels = Labels::for_language(lang);
    let f = &g.front;
    let approval = |a: &Option<vejviser_model::Approval>| match a {
        Some(a) => format!("{}, {}", long_date(a.date, lang), a.by),
        None => labels.not_approved.to_string(),
    };
    let mut out = vec![
        FrontField {
            key: "version",
            label: labels.version,
            value: f.version.to_string(),
        },
        FrontField {
            key: "professional_approval",
            label: labels.professional_approval,
            value: approval(&f.professional_approval),
        },
        FrontField {
            key: "administrative_approval",
            label: labels.administrative_approval,
            value: approval(&f.administrative_approval),
        },
    ];
    if let Some(v) = last_change {
        out.push(FrontField {
            key: "last_professional_change",
            label: labels.last_professional_change,
            value: match v.professional_approval {
                Some(d) => format!(
                    "{} ({} {})",
                    long_date(d, lang),
                    labels.version.to_lowercase(),
                    v.version
                ),
                None => format!("{} {}", labels.version, v.version),
            },
        });
    }
    out.extend([FrontField {
        key: "planned_update",
        label: labels.planned_update,
        value: f
            .planned_update
            .map(|d| long_date(d, lang))
            .unwrap_or_else(|| labels.not_set.to_string()),
    }]);
    if !f.keywords.is_empty() {
        out.push(FrontField {
            key: "keywords",
            label: labels.keywords,
            value: f.keywords.join(", "),
        });
    }
    out
}

/// The banner for a due, overdue or expired guideline; none otherwise.
pub fn status_banner(
    revision: &Revision,
    planned_update: Option<NaiveDate>,
    professional_approval: Option<NaiveDate>,
    lang: Language,
) -> Option<StatusBanner> {
    let labels = Labels::for_language(lang);
    let rl = match lang {
        Language::Da => vejviser_revision::Lang::Da,
        Language::En => vejviser_revision::Lang::En,
    };
    let date = |d: Option<NaiveDate>| d.map(|d| long_date(d, lang)).unwrap_or_default();
    let text = match revision.status {
        RevisionStatus::Due => labels.status_due.replace("{date}", &date(planned_update)),
        RevisionStatus::Overdue => labels
            .status_overdue
            .replace("{date}", &date(planned_update))
            .replace("{expires}", &date(revision.expires)),
        RevisionStatus::Expired => format!(
            "{} {}",
            labels
                .status_expired
                .replace("{date}", &date(revision.expires))
                .replace("{approved}", &date(professional_approval)),
            labels.withdrawn
        ),
        RevisionStatus::Current | RevisionStatus::Draft => return None,
    };
    Some(StatusBanner {
        status: revision.status.as_str(),
        label: revision.status.label(rl),
        text,
    })
}

#[cfg(test)]
mod tests;
