//! Chapter 5: the reference list, each entry with its written number.

use super::*;

/// Chapter 5: each item is the reference its author numbered. The written
/// number is the reference's identity (citations resolve by it), so a gap, a
/// repeat or a number out of order is an error at that item's line rather than
/// something to renumber silently: deleting reference 7 must not make (8) cite
/// the paper that was 9.
pub(super) fn references(ctx: &Ctx, items: &[Item], out: &mut Body, diags: &mut Vec<Diagnostic>) {
    for it in items.iter().filter(|it| it.kind == Kind::OrderedList) {
        let start = list_start(it.node);
        for ((i, li), tree) in it.node.children().enumerate().zip(list_items(it)) {
            let (src, base) = ctx.node_source(li);
            let number = item_number(li, start + i as u32);
            let span = ctx.idx.span(base);
            let previous = out.references.last().map(|r| r.number);
            let expected = previous.map(|p| p + 1).unwrap_or(1);
            if number != expected {
                let message = match previous {
                    _ if out.references.iter().any(|r| r.number == number) => {
                        let first = out
                            .references
                            .iter()
                            .find(|r| r.number == number)
                            .map(|r| r.span.line)
                            .unwrap_or_default();
                        format!("reference {number} is numbered twice (first at line {first})")
                    }
                    None => format!("the first reference is numbered {number}, not 1"),
                    Some(p) if number == p + 2 => {
                        format!(
                            "reference {number} follows {p}: number {} is missing",
                            p + 1
                        )
                    }
                    Some(p) if number > p => format!(
                        "reference {number} follows {p}: numbers {}–{} are missing",
                        p + 1,
                        number - 1
                    ),
                    Some(p) => {
                        format!("reference {number} follows {p}: the numbers are out of order")
                    }
                };
                diags.push(
                    Diagnostic::new(Code::ReferenceNumbering, ctx.path, span, message)
                        .len(number.to_string().len() + 1)
                        .help("citations resolve by the number written on each reference: write the missing reference back, or renumber the list and its citations together"),
                );
            }
            let mut content = Vec::new();
            for b in &tree.blocks {
                let inlines = match b {
                    Block::Paragraph { inlines, .. } => inlines.clone(),
                    other => vec![Inline::Text(Block::plain_text(std::slice::from_ref(other)))],
                };
                if !content.is_empty() {
                    content.push(Inline::LineBreak);
                }
                content.extend(inlines);
            }
            out.references.push(Reference {
                number,
                markdown: strip_marker(src),
                content,
                span,
            });
        }
    }
}
