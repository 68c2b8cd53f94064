//! A recommendation as a PDF block, and the legend under the recommendations that
//! explains its badges: the grade after each sentence, the Medicinrådet status (symbol
//! and words, linked to the legend), the cost flag and the change label. The full
//! guideline (chapter 2, the evidence chapter, the cost appendix) and the quick guide
//! all take their recommendations from here, so they show them the same way.

use vejviser_model::content::{Block as Content, Inline as ContentInline};
use vejviser_view::{GuidelineView, Legend, RecommendationView};

use super::{callout, inline, prose};
use crate::doc::*;

/// The legend's named destination, the target of every Medicinrådet status's link.
const LEGEND_ANCHOR: &str = "legend";

/// A recommendation: its sentences, each followed by the badge of the grade that grades
/// it, then the Medicinrådet status (symbol and words) and the cost flag; notes below as
/// a bullet list.
pub(super) fn recommendation(
    view: &GuidelineView,
    r: &RecommendationView,
    anchor: Option<String>,
    evidence_link: bool,
) -> Block {
    let l = view.labels;
    // The text with its grades; the marker and the cost flag follow as badges.
    let mut end = r.content.len();
    while end > 0
        && (r.content[end - 1].is_blank()
            || matches!(
                r.content[end - 1],
                ContentInline::Marker(_) | ContentInline::CostFlag { .. }
            ))
    {
        end -= 1;
    }
    let mut text = inline(view, &r.content[..end]);
    if let Some(Inline::Text(last)) = text.last_mut() {
        last.truncate(last.trim_end().len());
    }
    if let Some(m) = &r.medicinraadet {
        // The status in words beside its symbol, on a line of its own under the text (as
        // on the web page); symbol and words link to the legend that explains them. The
        // symbol is decoration for a screen reader, since the words follow.
        text.push(Inline::LineBreak);
        text.push(Inline::Link {
            target: LinkTarget::Internal(LEGEND_ANCHOR.to_string()),
            content: vec![
                Inline::Badge {
                    text: m.symbol.to_string(),
                    style: BadgeStyle::Status,
                    alt: Some(String::new()),
                },
                Inline::text("\u{a0}"),
                Inline::Bold(vec![Inline::text(m.label)]),
            ],
        });
    }
    if r.extra_cost {
        text.push(Inline::text(" "));
        text.push(Inline::Badge {
            text: l.extra_cost.to_string(),
            style: BadgeStyle::Cost,
            alt: None,
        });
    }
    let mut body = Vec::new();
    // "Ny", "Ændret: anbefalingsgrad", "Uændret siden version 1.5": as on the pages.
    if let Some(c) = &r.change {
        body.push(Block::Paragraph(vec![Inline::Badge {
            text: c.label.clone(),
            style: BadgeStyle::Cost,
            alt: None,
        }]));
    }
    body.push(Block::Paragraph(text));
    if !r.notes_content.is_empty() {
        body.push(Block::List {
            ordered: false,
            start: 1,
            items: r
                .notes_content
                .iter()
                .map(|n| ListItem {
                    marker: None,
                    blocks: prose_blocks(view, n),
                })
                .collect(),
        });
    }
    if evidence_link {
        if let Some(a) = &r.evidence_anchor {
            body.push(Block::Paragraph(vec![Inline::Link {
                target: LinkTarget::Internal(a.clone()),
                content: vec![Inline::text(format!("→ {}", l.see_evidence))],
            }]));
        }
    }
    Block::Recommendation {
        number: r.number,
        body,
        anchor,
    }
}

fn prose_blocks(view: &GuidelineView, content: &[Content]) -> Vec<Block> {
    let mut out = Vec::new();
    prose(view, content, 2, &mut out);
    out
}

/// The legend under the recommendations: the grade scale, the Medicinrådet statuses used
/// and the cost flag, each with the badge exactly as it appears in the text.
pub(super) fn legend(view: &GuidelineView, legend: &Legend) -> Block {
    let l = view.labels;
    // A symbol is decoration here: its meaning stands beside it, as on the web page.
    let badge = |text: String, style, alt: Option<String>| vec![Inline::Badge { text, style, alt }];
    let subtitle = |t: &str| Block::Paragraph(vec![Inline::Bold(vec![Inline::text(t)])]);
    let mut blocks = vec![
        Block::Paragraph(vec![
            Inline::Anchor(LEGEND_ANCHOR.to_string()),
            Inline::Bold(vec![Inline::text(l.grade_legend_title)]),
        ]),
        Block::Definitions(
            legend
                .grades
                .iter()
                .map(|g| {
                    (
                        // As the grade reads in the text: "(A)".
                        vec![Inline::Bold(vec![Inline::text(format!("({})", g.letter))])],
                        vec![Inline::text(g.description)],
                    )
                })
                .collect(),
        ),
    ];
    if !legend.statuses.is_empty() {
        blocks.push(subtitle(l.status_legend_title));
        blocks.push(Block::Definitions(
            legend
                .statuses
                .iter()
                .map(|s| {
                    (
                        badge(
                            s.symbol.to_string(),
                            BadgeStyle::Status,
                            Some(String::new()),
                        ),
                        vec![Inline::Bold(vec![Inline::text(s.label)])],
                    )
                })
                .collect(),
        ));
    }
    if legend.extra_cost {
        blocks.push(Block::Definitions(vec![(
            badge(l.extra_cost.to_string(), BadgeStyle::Cost, None),
            vec![Inline::text(l.extra_cost_explained)],
        )]));
    }
    callout(Some(l.legend), blocks)
}
