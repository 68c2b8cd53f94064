//! The body's layout. comrak finds the top-level blocks and their lines; each
//! block is copied as written except for what the layout rules change (chapter
//! heading numbers, ordered list numbers, table padding, runs of blank lines),
//! and blocks are joined by exactly one blank line. Text between blocks that
//! comrak keeps no node for (link reference definitions) is copied too.
//!
//! Lists in the recommendations, evidence and references chapters keep their
//! numbers: there the number written on an item is the recommendation's or the
//! reference's identity (the parser reads it; `[Anbefaling 3]`, prose and
//! citations `(3)` refer to it), so a wrong number is the checker's to report
//! (VV0301, VV0405), not the formatter's to change silently.

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::Arena;
use vejviser_model::ChapterRole;
use vejviser_template::Template;

/// A block whose lines could not be laid out safely (1-based body line).
#[derive(Debug)]
pub struct LayoutError {
    pub line: usize,
    pub message: String,
}

pub fn format_body(body: &str, template: &Template) -> Result<String, LayoutError> {
    let lines: Vec<&str> = body.split('\n').collect();
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body, &vejviser_parse::comrak_options());
    let mut blocks: Vec<Vec<String>> = Vec::new();
    // Lines (1-based) up to and including this one are done.
    let mut done = 0usize;
    let mut role: Option<ChapterRole> = None;
    for node in root.children() {
        if matches!(node.data().value, NodeValue::Heading(ref h) if h.level == 1) {
            role = template.match_chapter(&heading_text(node)).map(|c| c.role);
        }
        let sp = node.data().sourcepos;
        let (start, end) = (sp.start.line, sp.end.line.max(sp.start.line));
        if start <= done || end > lines.len() {
            return Err(LayoutError {
                line: start,
                message: "this block overlaps the one before it; vejviser fmt cannot lay it out"
                    .into(),
            });
        }
        gap(&lines[done..start - 1], &mut blocks);
        let src: Vec<String> = lines[start - 1..end]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut b = block(node, src, start, template, role);
        // A block's own trailing blank lines (comrak counts some into lists) are
        // layout, except in an unclosed code fence, where they are its content.
        if !matches!(node.data().value, NodeValue::CodeBlock(_)) {
            while b.len() > 1 && b.last().is_some_and(|l| l.trim().is_empty()) {
                b.pop();
            }
        }
        blocks.push(b);
        done = end;
    }
    gap(&lines[done..], &mut blocks);
    let mut out = String::with_capacity(body.len());
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for l in b {
            out.push_str(l);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Lines between blocks: blank, or link reference definitions kept as written.
fn gap(lines: &[&str], blocks: &mut Vec<Vec<String>>) {
    let mut run: Vec<String> = Vec::new();
    for l in lines {
        if l.trim().is_empty() {
            if !run.is_empty() {
                blocks.push(std::mem::take(&mut run));
            }
        } else {
            run.push(l.to_string());
        }
    }
    if !run.is_empty() {
        blocks.push(run);
    }
}

/// One top-level block's lines after the layout rules.
fn block<'a>(
    node: &'a AstNode<'a>,
    mut src: Vec<String>,
    first: usize,
    template: &Template,
    role: Option<ChapterRole>,
) -> Vec<String> {
    let value = node.data().value.clone();
    match value {
        NodeValue::Heading(h) if h.level == 1 => heading(node, src, template),
        NodeValue::Table(_) => crate::table::align(&src),
        NodeValue::List(l) => {
            let numbered_by_author = matches!(
                role,
                Some(
                    ChapterRole::Recommendations | ChapterRole::Evidence | ChapterRole::References
                )
            );
            if l.list_type == ListType::Ordered && !numbered_by_author {
                renumber(node, &mut src, first, l.start);
            }
            if !has_literal_text(node) {
                collapse_blank_runs(&mut src);
            }
            src
        }
        NodeValue::BlockQuote => {
            if !has_literal_text(node) {
                collapse_blank_runs(&mut src);
            }
            src
        }
        _ => src,
    }
}

/// Code and HTML keep their blank lines: there they are content.
fn has_literal_text<'a>(node: &'a AstNode<'a>) -> bool {
    node.descendants().any(|d| {
        matches!(
            d.data().value,
            NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_)
        )
    })
}

fn collapse_blank_runs(src: &mut Vec<String>) {
    let mut prev_blank = false;
    src.retain_mut(|l| {
        let blank = l.trim().is_empty();
        if blank {
            l.clear();
        }
        let keep = !(blank && prev_blank);
        prev_blank = blank;
        keep
    });
}

/// The text of a heading as the parser reads it (text and code, no markup).
fn heading_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// `2. Anbefalinger` → `Anbefalinger`, exactly as the parser strips a chapter number.
fn strip_number(title: &str) -> &str {
    let t = title.trim_start_matches(|c: char| c.is_ascii_digit());
    if t.len() == title.len() {
        return title;
    }
    t.strip_prefix('.').unwrap_or(t).trim_start()
}

/// The content of an ATX level-1 heading line, without `#` and a closing sequence.
fn atx_content(line: &str) -> Option<&str> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let rest = t.strip_prefix('#')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let c = rest.trim_matches([' ', '\t']);
    let open = c.trim_end_matches('#');
    if open.len() < c.len() && (open.is_empty() || open.ends_with([' ', '\t'])) {
        return Some(open.trim_end_matches([' ', '\t']));
    }
    Some(c)
}

/// A chapter heading with the template's number: `# N. <title as written>`.
/// ATX and one-line setext headings are rewritten; anything whose title would
/// read differently afterwards is left as it is.
fn heading<'a>(node: &'a AstNode<'a>, src: Vec<String>, template: &Template) -> Vec<String> {
    let text = heading_text(node);
    let Some(chapter) = template.match_chapter(&text) else {
        return src;
    };
    let raw = match src.as_slice() {
        [line] => atx_content(line),
        [line, underline] if underline.trim_start().starts_with('=') => Some(line.trim()),
        _ => None,
    };
    let Some(raw) = raw else { return src };
    let title = strip_number(raw);
    if title.is_empty() {
        return src;
    }
    let new = format!("# {}. {}", chapter.number, title);
    if [new.as_str()] == src.as_slice() {
        return src;
    }
    // The rewritten heading must read as the same title of the same chapter.
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, &new, &vejviser_parse::comrak_options());
    let same = root.first_child().is_some_and(|h| {
        matches!(h.data().value, NodeValue::Heading(ref x) if x.level == 1)
            && strip_number(&heading_text(h)) == strip_number(&text)
    }) && root.children().count() == 1;
    if same {
        vec![new]
    } else {
        src
    }
}

/// Writes each item's number as the parser reads it (list start + position) and
/// shifts the item's further lines when the number's width changes.
fn renumber<'a>(list: &'a AstNode<'a>, src: &mut [String], first: usize, start: usize) {
    for (i, item) in list.children().enumerate() {
        let sp = item.data().sourcepos;
        let Some(line) = sp.start.line.checked_sub(first) else {
            continue;
        };
        let Some(text) = src.get(line) else { continue };
        let col = sp.start.column.saturating_sub(1);
        if col > text.len() || !text.is_char_boundary(col) {
            continue;
        }
        let digits = text[col..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !matches!(text.as_bytes().get(col + digits), Some(b'.' | b')')) {
            continue;
        }
        let number = (start + i).to_string();
        if text[col..col + digits] == number {
            continue;
        }
        let delta = number.len() as isize - digits as isize;
        src[line].replace_range(col..col + digits, &number);
        let last = sp.end.line.saturating_sub(first).min(src.len() - 1);
        for l in src.iter_mut().take(last + 1).skip(line + 1) {
            if l.trim().is_empty() {
                continue;
            }
            if delta > 0 {
                l.insert_str(0, &" ".repeat(delta as usize));
            } else {
                let spaces = l.bytes().take_while(|&b| b == b' ').count();
                l.replace_range(..spaces.min((-delta) as usize), "");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejviser_template::TemplateSet;

    fn fmt(body: &str) -> String {
        let set = TemplateSet::builtin();
        format_body(body, set.newest()).unwrap()
    }

    #[test]
    fn chapters_get_template_numbers_and_keep_their_spelling() {
        assert_eq!(fmt("# Anbefalinger\n"), "# 2. Anbefalinger\n");
        assert_eq!(
            fmt("#   7   Anbefalinger (centrale budskaber) ##\n"),
            "# 2. Anbefalinger (centrale budskaber)\n"
        );
        assert_eq!(fmt("Referencer\n=====\n"), "# 5. Referencer\n");
        assert_eq!(fmt("# Diskussion\n"), "# Diskussion\n");
        assert_eq!(fmt("## Anbefalinger\n"), "## Anbefalinger\n");
    }

    #[test]
    fn blocks_are_separated_by_one_blank_line() {
        assert_eq!(
            fmt("\n\n# Metode\n\n\n\ntekst\n## Høring\n\n\n"),
            "# 6. Metode\n\ntekst\n\n## Høring\n"
        );
    }

    #[test]
    fn code_keeps_its_blank_lines() {
        let body = "```\na\n\n\nb\n```\n";
        assert_eq!(fmt(body), body);
        let in_list = "- a\n\n  ```\n  x\n\n\n  y\n  ```\n";
        assert_eq!(fmt(in_list), in_list);
    }

    #[test]
    fn blank_runs_inside_lists_collapse() {
        assert_eq!(fmt("1. a\n\n\n2. b\n"), "1. a\n\n2. b\n");
    }

    #[test]
    fn ordered_lists_are_numbered_from_their_start() {
        assert_eq!(fmt("4. a\n4. b\n9. c\n"), "4. a\n5. b\n6. c\n");
        assert_eq!(
            fmt("8. a\n8. b\n   more\n   - note\n8. c\n"),
            "8. a\n9. b\n   more\n   - note\n10. c\n"
        );
        assert_eq!(
            fmt("9. a\n9. b\n   more\n   - note\n"),
            "9. a\n10. b\n    more\n    - note\n"
        );
        assert_eq!(
            fmt("10. a\n10. b\n    - note\n"),
            "10. a\n11. b\n    - note\n"
        );
        assert_eq!(fmt("1) a\n1) b\n"), "1) a\n2) b\n");
    }

    #[test]
    fn recommendations_keep_the_numbers_their_authors_wrote() {
        let body = "# 2. Anbefalinger\n\n## B\n\n1. a (B)\n1. b (B)\n\n# 4. Evidensgrundlag\n\n## B\n\n3. a (B)\n";
        assert_eq!(fmt(body), body);
    }

    #[test]
    fn references_keep_the_numbers_their_authors_wrote() {
        // Citations resolve by these numbers: renumbering would re-point them.
        let body = "# 5. Referencer\n\n1. a\n3. c\n3. d\n";
        assert_eq!(fmt(body), body);
    }

    #[test]
    fn link_reference_definitions_are_kept() {
        assert_eq!(
            fmt("[a]: https://example.org\n\n\n\nSe [a].\n"),
            "[a]: https://example.org\n\nSe [a].\n"
        );
    }
}
