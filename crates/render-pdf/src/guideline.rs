//! A guideline's [`GuidelineView`] as engine [`Document`]s: the full guideline, laid out
//! like the national template, and the one-or-two-page quick guide for the ward.
//!
//! Everything a reader sees comes from the view — numbers, anchors, labels, legends,
//! symbols and the citation links it has already rewritten — so the PDF and the HTML
//! pages can never disagree. This module only decides how those pieces are typeset.

use vejviser_model::{ChapterRole, FrontMatter};
use vejviser_view::GuidelineView;

use crate::doc::*;
use crate::markdown::{content_to_blocks, Mapper, MdOptions};
use crate::PdfError;
use vejviser_model::content::{Block as Content, Inline as ContentInline};

mod recommendations;
use recommendations::{legend, recommendation};

/// The date written to a draft's metadata when `SOURCE_DATE_EPOCH` is not set: a draft
/// has no approval date, and the wall clock would make builds unrepeatable.
pub const DRAFT_DATE: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

/// The full guideline: front page, table of contents, the chapters in template order
/// (with the generated legend, cost appendix and chapter 9), running footer, status line
/// and draft watermark. `meta_date` becomes the PDF's creation date (see [`creation_date`]).
pub fn full_document(view: &GuidelineView, meta_date: Date) -> Document {
    let l = view.labels;
    let mut blocks = Vec::new();
    for ch in &view.chapters {
        chapter(view, ch, &mut blocks);
    }
    let mut fields: Vec<(String, String)> = view
        .front_fields
        .iter()
        .map(|f| (f.label.to_string(), f.value.clone()))
        .collect();
    if let Some(c) = &view.group.contact {
        fields.push((l.contact.into(), format!("{}, {}", c.name, c.email)));
    }
    let note = if let Some(a) = &view.archive_notice {
        // An archived version says so on its front page as well as on every page.
        Some(format!("{a}."))
    } else if view.draft {
        Some(format!("{}. {}", l.draft, l.draft_notice))
    } else {
        // Word for word the page's banner.
        view.status_banner
            .as_ref()
            .map(|b| format!("{}. {}", b.label, b.text))
    };
    Document {
        meta: meta(view, meta_date, l.doc_type),
        front_page: Some(FrontPage {
            kicker: kicker(view),
            doc_type: l.doc_type.into(),
            title: view.title.clone(),
            fields,
            note,
            publisher: Some(l.site_name.to_string()),
        }),
        toc: true,
        blocks,
        footer: footer(view),
        status_line: status_line(view),
        watermark: view.draft.then(|| l.draft.to_string()),
        labels: labels(view),
    }
}

/// The quick guide: title block, the recommendations by topic with their grades and
/// symbols, and the legend. Meant to fit on one or two pages.
pub fn quick_document(view: &GuidelineView, meta_date: Date) -> Document {
    let l = view.labels;
    let mut blocks = vec![
        Block::Paragraph(vec![Inline::Bold(vec![Inline::text(kicker(view))])]),
        Block::Heading {
            level: 1,
            number: None,
            text: vec![Inline::text(view.title.clone())],
            anchor: None,
            outline: true,
            in_toc: false,
        },
    ];
    let mut facts = vec![
        Inline::Bold(vec![Inline::text(format!(
            "{} · {}",
            l.quick_guide, l.doc_type
        ))]),
        Inline::LineBreak,
        Inline::text(format!("{} {}", l.version, view.version)),
    ];
    for f in view
        .front_fields
        .iter()
        .filter(|f| f.key == "professional_approval" || f.key == "planned_update")
    {
        facts.push(Inline::LineBreak);
        facts.push(Inline::text(format!("{}: {}", f.label, f.value)));
    }
    // Which version a printout is and where the current one is: a printed quick
    // guide can be checked against the site (the footer repeats both).
    if let Some(address) = &view.address {
        facts.push(Inline::LineBreak);
        facts.push(Inline::text(format!("{}:", l.current_version_at)));
        facts.push(Inline::LineBreak);
        facts.push(Inline::Link {
            target: LinkTarget::External(address.clone()),
            content: vec![Inline::text(address.clone())],
        });
    }
    let mut head = vec![
        Block::Paragraph(facts),
        Block::Paragraph(vec![Inline::Italic(vec![Inline::text(
            l.quick_guide_intro,
        )])]),
    ];
    if let Some(a) = &view.archive_notice {
        head.push(Block::Paragraph(vec![Inline::Bold(vec![Inline::text(
            format!("{a}."),
        )])]));
    } else if let Some(b) = &view.status_banner {
        // The whole status text; the running head carries its short form.
        head.push(Block::Paragraph(vec![Inline::Bold(vec![Inline::text(
            format!("{}. {}", b.label, b.text),
        )])]));
    }
    if view.draft {
        head.push(Block::Paragraph(vec![Inline::Bold(vec![Inline::text(
            format!("{}. {}", l.draft, l.draft_notice),
        )])]));
    }
    blocks.push(callout(None, head));
    for t in &view.topics {
        blocks.push(Block::Heading {
            level: 2,
            number: None,
            text: vec![Inline::text(t.title.clone())],
            anchor: Some(t.anchor.clone()),
            outline: true,
            in_toc: false,
        });
        for r in &t.recommendations {
            blocks.push(recommendation(view, r, Some(r.anchor.clone()), false));
        }
    }
    if !view.topics.is_empty() {
        blocks.push(legend(view, &view.legend));
    }
    Document {
        meta: meta(view, meta_date, l.quick_guide),
        front_page: None,
        toc: false,
        blocks,
        footer: Footer {
            // Every page of a printout says where the current version is.
            left: view.address.clone().unwrap_or_else(|| view.title.clone()),
            ..footer(view)
        },
        status_line: status_line(view),
        watermark: view.draft.then(|| l.draft.to_string()),
        labels: labels(view),
    }
}

/// Both PDFs of a guideline: `(full, quick)`. The site builder and `vejviser build` call
/// this, so every PDF of a guideline is made the same way.
pub fn render_guideline_pdfs(
    view: &GuidelineView,
    date: Date,
) -> Result<(Vec<u8>, Vec<u8>), PdfError> {
    let full = crate::render(&full_document(view, date))?;
    let quick = crate::render(&quick_document(view, date))?;
    Ok((full, quick))
}

/// The creation date of a guideline's PDFs: `SOURCE_DATE_EPOCH` (seconds since 1970,
/// UTC; pass the variable's value, the library reads no environment) if given, else the
/// administrative approval date, else the professional one, else [`DRAFT_DATE`].
///
/// A `SOURCE_DATE_EPOCH` that is not a whole number of seconds is an error, as the
/// reproducible-builds convention asks, rather than silently falling back.
pub fn creation_date(
    source_date_epoch: Option<&str>,
    front: &FrontMatter,
) -> Result<Date, PdfError> {
    if let Some(s) = source_date_epoch {
        let secs: i64 = s
            .trim()
            .parse()
            .map_err(|_| PdfError::SourceDateEpoch(s.to_string()))?;
        return Ok(date_from_epoch(secs));
    }
    let approved = front
        .administrative_approval
        .as_ref()
        .or(front.professional_approval.as_ref())
        .map(|a| a.date);
    Ok(match approved {
        Some(d) => {
            use chrono::Datelike;
            Date::new(d.year(), d.month(), d.day())
        }
        None => DRAFT_DATE,
    })
}

/// The UTC calendar date of a Unix time (seconds since 1970-01-01).
pub fn date_from_epoch(secs: i64) -> Date {
    // Howard Hinnant's days-to-civil algorithm.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(year.clamp(0, 9999) as i32, month, day)
}

// ----- pieces -----------------------------------------------------------------------

fn meta(view: &GuidelineView, date: Date, doc_type: &str) -> Meta {
    Meta {
        title: view.title.clone(),
        author: view.group.name.clone(),
        subject: format!("{doc_type} · {} {}", view.labels.version, view.version),
        keywords: view.keywords.clone(),
        language: view.lang.to_string(),
        creation_date: date,
    }
}

/// "Dansk Myelomatose Studiegruppe (DMSG)", or the short name alone.
fn kicker(view: &GuidelineView) -> String {
    if view.group.name == view.dmcg || view.dmcg.is_empty() {
        view.group.name.clone()
    } else {
        format!("{} ({})", view.group.name, view.dmcg)
    }
}

fn footer(view: &GuidelineView) -> Footer {
    Footer {
        left: view.title.clone(),
        right_version: format!("{} {}", view.labels.version, view.version),
    }
}

/// The running head: the view's one-line status (archive notice or a short form of the
/// revision status), short enough that the writer never has to cut it.
fn status_line(view: &GuidelineView) -> Option<String> {
    view.status_line.clone()
}

fn labels(view: &GuidelineView) -> Labels {
    Labels {
        contents: view.labels.contents.into(),
        page_of: view.labels.page_of.into(),
    }
}

fn md_options(view: &GuidelineView, heading_offset: u8) -> MdOptions {
    MdOptions {
        heading_offset,
        headings_in_toc: false,
        headings_in_outline: false,
        image_label: view.labels.image.to_string(),
    }
}

fn para_text(s: &str) -> Block {
    Block::Paragraph(vec![Inline::text(s)])
}

fn callout(title: Option<&str>, blocks: Vec<Block>) -> Block {
    Block::Callout {
        title: title.map(str::to_string),
        blocks,
    }
}

fn heading(level: u8, number: Option<String>, text: &str, anchor: &str) -> Block {
    Block::Heading {
        level,
        number,
        text: vec![Inline::text(text)],
        anchor: Some(anchor.to_string()),
        outline: true,
        in_toc: true,
    }
}

/// Author text (or the template's, through the view) as blocks.
fn prose(view: &GuidelineView, content: &[Content], heading_offset: u8, out: &mut Vec<Block>) {
    out.extend(content_to_blocks(
        content,
        Some(view),
        &md_options(view, heading_offset),
    ));
}

/// Author inline text (a cell, a reference, a recommendation) as inlines.
fn inline(view: &GuidelineView, content: &[ContentInline]) -> Vec<Inline> {
    let opts = md_options(view, 0);
    Mapper {
        view: Some(view),
        opts: &opts,
    }
    .inlines(content)
}

fn chapter(view: &GuidelineView, ch: &vejviser_view::ChapterView, out: &mut Vec<Block>) {
    let l = view.labels;
    if ch.role == ChapterRole::Recommendations {
        // The recommendations start a page, so that they can be printed on their own.
        out.push(Block::PageBreak);
    }
    out.push(heading(
        1,
        Some(ch.number.to_string()),
        &ch.title,
        &ch.anchor,
    ));
    // The chapter's own prose has no headings of its own; deeper ones sit below level 2.
    prose(view, &ch.intro_content, 1, out);
    match ch.role {
        ChapterRole::Changelog if !view.changelog.is_empty() => {
            out.push(Block::Table {
                header: [
                    l.changelog_chapter,
                    l.changelog_section,
                    l.changelog_description,
                ]
                .iter()
                .map(|h| vec![Inline::text(*h)])
                .collect(),
                rows: view
                    .changelog
                    .iter()
                    .map(|r| {
                        let mut cells: Vec<Vec<Inline>> =
                            r.cells.iter().map(|c| inline(view, c)).collect();
                        cells.resize(3, Vec::new());
                        cells
                    })
                    .collect(),
                widths: Some(vec![1.1, 1.5, 3.2]),
            });
        }
        ChapterRole::Recommendations => {
            for t in &view.topics {
                out.push(heading(2, None, &t.title, &t.anchor));
                for r in &t.recommendations {
                    out.push(recommendation(view, r, Some(r.anchor.clone()), true));
                }
            }
            if !view.topics.is_empty() {
                out.push(legend(view, &view.legend));
            }
        }
        ChapterRole::Evidence => evidence(view, out),
        ChapterRole::References if !view.references.is_empty() => {
            out.push(Block::List {
                ordered: true,
                start: 1,
                items: view
                    .references
                    .iter()
                    .map(|r| {
                        let mut inl = vec![Inline::Anchor(r.anchor.clone())];
                        inl.extend(inline(view, &r.content));
                        ListItem {
                            marker: Some(format!("{}.", r.number)),
                            blocks: vec![Block::Paragraph(inl)],
                        }
                    })
                    .collect(),
            });
        }
        _ => {}
    }
    for s in &ch.sections {
        out.push(heading(2, None, &s.title, &s.anchor));
        prose(view, &s.content, 0, out);
    }
    if ch.role == ChapterRole::Appendices {
        if let Some(c) = &view.cost_appendix {
            out.push(heading(2, None, &c.title, &c.anchor));
            out.push(para_text(c.intro));
            for r in &c.recommendations {
                out.push(recommendation(view, r, None, false));
            }
        }
    }
}

fn evidence(view: &GuidelineView, out: &mut Vec<Block>) {
    let l = view.labels;
    if !view.evidence_levels.is_empty() {
        let items = view
            .evidence_levels
            .iter()
            .map(|e| {
                (
                    vec![
                        Inline::Anchor(e.anchor.clone()),
                        Inline::Bold(vec![Inline::text(e.level.clone())]),
                    ],
                    vec![Inline::text(e.description)],
                )
            })
            .collect();
        out.push(callout(
            Some(l.evidence_levels_title),
            vec![Block::Definitions(items)],
        ));
    }
    for t in &view.evidence {
        if !t.title.is_empty() {
            out.push(heading(2, None, &t.title, &t.anchor));
        }
        for b in &t.blocks {
            let mut anchor = Some(b.anchor.clone());
            for r in &b.recommendations {
                let target = anchor.take().or_else(|| r.cited_id.clone());
                out.push(recommendation(view, r, target, false));
            }
            if let Some(a) = anchor {
                // A block that names no recommendation still gets its link target.
                out.push(Block::Paragraph(vec![Inline::Anchor(a)]));
            }
            prose(view, &b.lead_content, 2, out);
            for p in &b.parts {
                out.push(Block::Heading {
                    level: 3,
                    number: None,
                    text: vec![Inline::text(p.title.clone())],
                    anchor: None,
                    outline: false,
                    in_toc: false,
                });
                prose(view, &p.content, 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_to_calendar_date() {
        assert_eq!(date_from_epoch(0), Date::new(1970, 1, 1));
        assert_eq!(date_from_epoch(951_782_400), Date::new(2000, 2, 29));
        assert_eq!(
            date_from_epoch(1_743_984_000 + 86_399),
            Date::new(2025, 4, 7)
        );
        assert_eq!(date_from_epoch(-1), Date::new(1969, 12, 31));
    }
}
