//! Chapter 2: the numbered recommendations, each with its grades, Medicinrådet
//! status, notes and id pin.

use super::*;

pub(super) fn recommendations(
    ctx: &Ctx,
    items: &[Item],
    out: &mut Body,
    diags: &mut Vec<Diagnostic>,
) {
    let mut topic: Option<String> = None;
    for it in items {
        match &it.kind {
            Kind::Heading(2, t) => topic = Some(t.clone()),
            Kind::OrderedList => {
                let start = list_start(it.node);
                for ((i, li), tree) in it.node.children().enumerate().zip(list_items(it)) {
                    let sp = li.data().sourcepos;
                    let span = ctx.span(sp.start.line, sp.start.column);
                    let number = item_number(li, start + i as u32);
                    let Some((text, base, notes)) = item_parts(ctx, li) else {
                        diags.push(
                            Diagnostic::new(
                                Code::MissingGrade,
                                ctx.path,
                                span,
                                format!("recommendation {number} is empty"),
                            )
                            .help("write the recommendation and its grade, e.g. `… (B)`"),
                        );
                        continue;
                    };
                    if topic.is_none() {
                        diags.push(
                            Diagnostic::new(
                                Code::RecommendationWithoutTopic,
                                ctx.path,
                                span,
                                format!("recommendation {number} is not under a topic heading"),
                            )
                            .help("add a level-2 heading such as `## Behandling` above it"),
                        );
                    }
                    indented_recommendations(ctx, li, text, base, diags);
                    let (mut content, notes_content) = item_content(tree);
                    let id_pin = idpin::take(&mut content, ctx.path, span, diags);
                    let (statements, medicinraadet, extra_cost) =
                        content::read_recommendation(&content);
                    out.recommendations.push(Recommendation {
                        number,
                        topic: topic.clone().unwrap_or_default(),
                        source: normalise_ws(&idpin::strip_from_source(text)),
                        statements,
                        medicinraadet,
                        extra_cost,
                        notes,
                        content,
                        notes_content,
                        id_pin,
                        span,
                    });
                }
            }
            _ => {}
        }
    }
    // An id names one recommendation; two pins to the same id cannot both hold.
    let mut pinned: std::collections::HashMap<&str, u32> = Default::default();
    for r in &out.recommendations {
        if let Some(vejviser_model::IdPin::Keep(id)) = &r.id_pin {
            if let Some(&first) = pinned.get(id.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateRecommendationId,
                        ctx.path,
                        r.span,
                        format!("recommendation {} is also given the id `{id}` (recommendation {first} has it)", r.number),
                    )
                    .help("each `[id: …]` names a different recommendation; remove it from the one that is not the previous version's"),
                );
            } else {
                pinned.insert(id, r.number);
            }
        }
    }
}

/// A graded numbered item indented under a recommendation (a tab or four
/// spaces before `2.`) is a sub-list of it, or with no blank line before it
/// part of its text, never a recommendation of its own: an error at its line.
pub(super) fn indented_recommendations<'n>(
    ctx: &Ctx,
    item: &'n AstNode<'n>,
    text: &str,
    base: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let found = |span, number: &str| {
        Diagnostic::new(
            Code::IndentedRecommendation,
            ctx.path,
            span,
            format!("recommendation `{number}` is indented, so it is part of the one above"),
        )
        .help("start every recommendation at the beginning of its line, without a tab or spaces before the number")
    };
    let numbered = |line: &str| -> Option<usize> {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        (digits > 0 && digits <= 3 && line[digits..].starts_with(['.', ')'])).then_some(digits + 1)
    };
    // No blank line before it: a continuation line of this item's text.
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    for line in text[offset.min(text.len())..].split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - body.len();
        if let Some(n) = numbered(body) {
            if has_grade(body) {
                let span = ctx.idx.span(base + offset + indent);
                diags.push(found(span, &body[..n]).len(n));
            }
        }
        offset += line.len();
    }
    // After a blank line: a nested numbered list.
    for child in item.children() {
        if let NodeValue::List(l) = &child.data().value {
            if l.list_type != ListType::Ordered {
                continue;
            }
            for nested in child.children() {
                let (src, _) = ctx.node_source(nested);
                if has_grade(src) {
                    let sp = nested.data().sourcepos;
                    let number = src.trim_start();
                    let n = numbered(number).unwrap_or(0);
                    diags.push(
                        found(ctx.span(sp.start.line, sp.start.column), &number[..n]).len(n.max(1)),
                    );
                }
            }
        }
    }
}
