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
mod data;
pub mod labels;
pub mod math;
mod parts;

pub use data::*;
pub use parts::status_banner;
use parts::{change_view, front_fields, group_label, recommendation_view, status_view, toc};

pub use labels::{long_date, Labels};

use chrono::NaiveDate;
use std::collections::BTreeSet;
use vejviser_model::content::{walk_inlines, Block, Inline};
use vejviser_model::{
    ChapterRole, EvidenceLevel, Grade, Group, Guideline, Language, MedicinraadetStatus,
    Recommendation,
};
use vejviser_revision::{Revision, RevisionStatus};
use vejviser_template::{normalise_title, Template};

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
            links: LinksView::new(opts, lang),
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
        cite::resolve_in(c, &self.reference_numbers, self.labels, self.lang)
    }

    /// The PDF's running-footer page text for page `n` of `m`.
    pub fn page_of(&self, n: usize, m: usize) -> String {
        self.labels
            .page_of
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }
}

impl LinksView {
    /// A page's links for the given options: what the page of changes, one
    /// folder down, has in place of its version's pages' links (the rest of
    /// their data is the same).
    pub fn new(opts: &ViewOptions, lang: Language) -> LinksView {
        let labels = Labels::for_language(lang);
        LinksView {
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
        }
    }
}

#[cfg(test)]
mod tests;
