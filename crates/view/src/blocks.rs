//! Cutting top-level blocks out of a chapter's Markdown: the changelog table,
//! the reference list and the recommendation lists are shown from the model's
//! structured data, so the prose around them must not repeat them.

use comrak::nodes::{ListType, NodeValue};
use comrak::{Arena, Options};

/// Which top-level blocks to drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drop {
    Tables,
    OrderedLists,
}

/// `markdown` without its top-level blocks of the given kind (whole lines are
/// removed; blank lines left behind are collapsed).
pub fn without(markdown: &str, drop: Drop) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let arena = Arena::new();
    let mut opts = Options::default();
    opts.extension.table = true;
    let root = comrak::parse_document(&arena, markdown, &opts);
    let mut cut: Vec<(usize, usize)> = Vec::new();
    for node in root.children() {
        let ast = node.data();
        let hit = match (&ast.value, drop) {
            (NodeValue::Table(_), Drop::Tables) => true,
            (NodeValue::List(l), Drop::OrderedLists) => l.list_type == ListType::Ordered,
            _ => false,
        };
        if hit {
            cut.push((ast.sourcepos.start.line, ast.sourcepos.end.line));
        }
    }
    if cut.is_empty() {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut blank_run = 0;
    for (k, line) in markdown.lines().enumerate() {
        let n = k + 1;
        if cut.iter().any(|&(a, b)| n >= a && n <= b) {
            continue;
        }
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_the_changelog_table_keeps_the_prose() {
        let md = "Nyt siden version 1.5:\n\n| Kapitel | Afsnit | Beskrivelse |\n|---|---|---|\n| 2 | x | y |\n\nMere tekst.";
        assert_eq!(
            without(md, Drop::Tables),
            "Nyt siden version 1.5:\n\nMere tekst."
        );
    }

    #[test]
    fn drops_ordered_lists_only() {
        let md = "Indledning.\n\n1. Ref et\n2. Ref to\n\n- punkt\n";
        assert_eq!(without(md, Drop::OrderedLists), "Indledning.\n\n- punkt");
        assert_eq!(without("1. a\n2. b", Drop::OrderedLists), "");
    }
}
