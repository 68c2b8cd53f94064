//! Chapter 4: evidence for each recommendation, found by its repeated text or a
//! short reference (`[Anbefaling 3]`), under the template's evidence headings.

use super::*;

/// `[Anbefaling 3]`, `[Anbefaling 3, 4]`, `[Recommendations 3–5]` → the numbers.
pub(super) fn short_reference(text: &str) -> Option<Vec<u32>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let (word, rest) = inner.split_once(char::is_whitespace)?;
    if ![
        "anbefaling",
        "anbefalinger",
        "recommendation",
        "recommendations",
    ]
    .contains(&word.to_lowercase().as_str())
    {
        return None;
    }
    let mut out = Vec::new();
    for part in rest
        .split([',', '&'])
        .flat_map(|p| p.split(" og "))
        .flat_map(|p| p.split(" and "))
    {
        let part = part.trim();
        match part.split_once(['–', '-']) {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a || b - a > 200 {
                    return None;
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().ok()?),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Why `[Anbefaling 1–300]` (written as a reference to recommendations, but
/// with a range [`short_reference`] does not expand) names none.
pub(super) fn long_reference_range(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let (word, rest) = inner.split_once(char::is_whitespace)?;
    if !word.to_lowercase().starts_with("anbefaling")
        && !word.to_lowercase().starts_with("recommendation")
    {
        return None;
    }
    rest.split([',', '&']).find_map(|part| {
        let (a, b) = part.trim().split_once(['–', '-'])?;
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (b < a || b - a > 200).then(|| {
            format!(
                "`{}` names no recommendations: the range {a}–{b} {}",
                text.trim(),
                if b < a {
                    "runs backwards".to_string()
                } else {
                    format!("spans {} (at most 201)", b - a + 1)
                }
            )
        })
    })
}

struct OpenBlock {
    block: EvidenceBlock,
    /// Local line where the current lead/part content starts, and which part (None: lead).
    content_from: usize,
    part: Option<usize>,
}

/// Where the blocks of a lead or part of an evidence block are: taken out of
/// the chapter's items once the blocks are all known (a copy of chapter 4's
/// text was 3 % of `check`). The chapter keeps what no evidence block holds.
struct Pending {
    /// Index in `Body::evidence`.
    block: usize,
    part: Option<usize>,
    items: std::ops::Range<usize>,
}

/// Chapter 4's evidence blocks, the blocks of their text taken out of `items`.
pub(super) fn evidence(
    ctx: &Ctx,
    items: &mut [Item],
    end_line: usize,
    out: &mut Body,
    diags: &mut Vec<Diagnostic>,
) {
    let pending = read_blocks(ctx, items, end_line, out, diags);
    for p in pending {
        let blocks = take_blocks(&mut items[p.items]);
        let block = &mut out.evidence[p.block];
        Block::for_each_inlines(&blocks, &mut |inlines| {
            walk_inlines(inlines, &mut |i| {
                if let Inline::Citation(c) = i {
                    block.citations.push(Citation::clone(c));
                }
            })
        });
        match p.part {
            Some(k) => block.parts[k].content = blocks,
            None => block.lead_content = blocks,
        }
    }
}

/// The evidence blocks with their targets, parts and Markdown; where each
/// one's blocks are, in the order their citations are listed.
fn read_blocks(
    ctx: &Ctx,
    items: &[Item],
    end_line: usize,
    out: &mut Body,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Pending> {
    let mut topic = String::new();
    let mut open: Option<OpenBlock> = None;
    let mut pending: Vec<Pending> = Vec::new();

    // The items of one lead or part are consecutive: those starting in its lines.
    let close_content =
        |ob: &mut OpenBlock, upto: usize, index: usize, pending: &mut Vec<Pending>| {
            let (text, _) = ctx.lines(ob.content_from, upto);
            let first = items.partition_point(|it| it.start < ob.content_from);
            let end = first + items[first..].partition_point(|it| it.start <= upto);
            pending.push(Pending {
                block: index,
                part: ob.part,
                items: first..end.max(first),
            });
            match ob.part {
                Some(p) => ob.block.parts[p].markdown = text.to_string(),
                None => ob.block.lead = text.to_string(),
            }
        };
    let finish =
        |ob: Option<OpenBlock>, upto: usize, out: &mut Body, pending: &mut Vec<Pending>| {
            if let Some(mut ob) = ob {
                close_content(&mut ob, upto, out.evidence.len(), pending);
                out.evidence.push(ob.block);
            }
        };

    for it in items {
        let targets: Option<Vec<EvidenceTarget>> = match &it.kind {
            Kind::OrderedList => {
                let start = list_start(it.node);
                let repeated: Vec<EvidenceTarget> = it
                    .node
                    .children()
                    .enumerate()
                    .zip(list_items(it))
                    .filter_map(|((i, li), tree)| {
                        let sp = li.data().sourcepos;
                        let (text, _, _) = item_parts(ctx, li)?;
                        let (mut content, notes) = item_content(tree);
                        // Chapter 2 reports a bad instruction; here it only must not count as text.
                        idpin::take(&mut content, ctx.path, Default::default(), &mut Vec::new());
                        Some(EvidenceTarget {
                            number: item_number(li, start + i as u32),
                            repeated: Some(normalise_ws(&idpin::strip_from_source(text))),
                            content,
                            notes,
                            span: ctx.span(sp.start.line, sp.start.column),
                        })
                    })
                    .collect();
                // A numbered list is a repeated recommendation when it carries grades; otherwise it is prose.
                let graded = repeated
                    .iter()
                    .any(|t| t.repeated.as_deref().is_some_and(has_grade));
                (graded
                    || open
                        .as_ref()
                        .is_none_or(|o| o.block.parts.is_empty() && o.block.targets.is_empty()))
                .then_some(repeated)
            }
            Kind::Paragraph => {
                let (src, _) = ctx.node_source(it.node);
                if let Some(why) = long_reference_range(src) {
                    diags.push(
                        Diagnostic::new(Code::UnknownRecommendation, ctx.path, ctx.span(it.start, it.col), why)
                            .len(src.trim_end().len())
                            .help("name the recommendations this evidence is for singly or in shorter ranges"),
                    );
                }
                short_reference(src).map(|nums| {
                    let span = ctx.span(it.start, it.col);
                    nums.into_iter()
                        .map(|number| EvidenceTarget {
                            number,
                            repeated: None,
                            content: Vec::new(),
                            notes: Vec::new(),
                            span,
                        })
                        .collect()
                })
            }
            _ => None,
        };
        if let Some(targets) = targets {
            let continues = open.as_ref().is_some_and(|o| {
                o.block.parts.is_empty() && ctx.lines(o.content_from, it.start - 1).0.is_empty()
            });
            if continues {
                let o = open.as_mut().expect("checked above");
                o.block.targets.extend(targets);
                o.content_from = it.end + 1;
            } else {
                finish(open.take(), it.start - 1, out, &mut pending);
                open = Some(OpenBlock {
                    block: EvidenceBlock {
                        topic: topic.clone(),
                        span: targets.first().map(|t| t.span).unwrap_or_default(),
                        targets,
                        lead: String::new(),
                        lead_content: Vec::new(),
                        parts: Vec::new(),
                        citations: Vec::new(),
                    },
                    content_from: it.end + 1,
                    part: None,
                });
            }
            continue;
        }
        match &it.kind {
            Kind::Heading(1 | 2, t) => {
                finish(open.take(), it.start - 1, out, &mut pending);
                topic = t.clone();
            }
            Kind::Heading(3, t) => {
                if let Some(ob) = open.as_mut() {
                    close_content(ob, it.start - 1, out.evidence.len(), &mut pending);
                    ob.block.parts.push(EvidencePart {
                        title: t.clone(),
                        markdown: String::new(),
                        content: Vec::new(),
                        span: ctx.span(it.start, it.col),
                    });
                    ob.part = Some(ob.block.parts.len() - 1);
                    ob.content_from = it.end + 1;
                }
            }
            _ => {}
        }
    }
    finish(open.take(), end_line, out, &mut pending);
    pending
}

pub(super) fn has_grade(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'(' && matches!(w[1], b'A'..=b'D') && w[2] == b')')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_references() {
        assert_eq!(short_reference("[Anbefaling 3]"), Some(vec![3]));
        assert_eq!(short_reference("[Anbefaling 3, 4]"), Some(vec![3, 4]));
        assert_eq!(short_reference("[Anbefalinger 3–5]"), Some(vec![3, 4, 5]));
        assert_eq!(
            short_reference("[Recommendation 2 and 7]"),
            Some(vec![2, 7])
        );
        assert_eq!(short_reference("[Anbefaling x]"), None);
        assert_eq!(short_reference("[Anbefaling 1–300]"), None);
        assert!(long_reference_range("[Anbefaling 1–300]")
            .unwrap()
            .contains("spans 300"));
        assert!(long_reference_range("[Anbefalinger 5-2]")
            .unwrap()
            .contains("backwards"));
        assert_eq!(long_reference_range("[Anbefaling 1–3]"), None);
        assert_eq!(short_reference("Se anbefaling 3"), None);
    }
}
