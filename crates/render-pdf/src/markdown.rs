//! Markdown (CommonMark + GFM tables, strikethrough, autolinks) to document IR, via comrak.
//!
//! Raw HTML is dropped. Images are never loaded: they become the text
//! `[billede: alt]` (the label is configurable).

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{parse_document, Arena, Options};

use crate::doc::{Block, Inline, LinkTarget, ListItem};

/// Options for [`markdown_to_blocks`].
#[derive(Debug, Clone, PartialEq)]
pub struct MdOptions {
    /// Added to every heading level (e.g. `1` turns `#` into a level-2 heading).
    pub heading_offset: u8,
    /// Mark headings for the table of contents.
    pub headings_in_toc: bool,
    /// Mark headings as PDF bookmarks.
    pub headings_in_outline: bool,
    /// Word used for images: `![alt](x.png)` becomes `[billede: alt]`.
    pub image_label: String,
}

impl Default for MdOptions {
    fn default() -> Self {
        MdOptions {
            heading_offset: 0,
            headings_in_toc: false,
            headings_in_outline: false,
            image_label: "billede".into(),
        }
    }
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o
}

/// Convert Markdown to blocks.
pub fn markdown_to_blocks(md: &str, opts: &MdOptions) -> Vec<Block> {
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options());
    let mut out = Vec::new();
    for child in root.children() {
        block(child, opts, &mut out);
    }
    out
}

/// Convert Markdown to inline content (paragraph breaks become line breaks).
pub fn markdown_to_inlines(md: &str) -> Vec<Inline> {
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options());
    let opts = MdOptions::default();
    let mut out = Vec::new();
    for (k, child) in root.children().enumerate() {
        if k > 0 {
            out.push(Inline::LineBreak);
        }
        let is_inline_container = matches!(
            child.data.borrow().value,
            NodeValue::Paragraph | NodeValue::Heading(_)
        );
        if is_inline_container {
            inlines(child, &opts, &mut out);
        } else {
            // Flatten block content to text.
            let mut blocks = Vec::new();
            block(child, &opts, &mut blocks);
            flatten_blocks(&blocks, &mut out);
        }
    }
    out
}

/// Convert one piece of inline Markdown (a table cell, a recommendation's sentence, a
/// reference) to inline content. Unlike [`markdown_to_inlines`], text that would open a
/// block is taken literally: a changelog cell `2. Anbefalinger` stays `2. Anbefalinger`
/// instead of becoming a list item numbered 2.
pub fn markdown_inline(md: &str) -> Vec<Inline> {
    let md = md.trim();
    if md.is_empty() {
        return Vec::new();
    }
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options());
    let opens_block = root
        .first_child()
        .is_some_and(|c| !matches!(c.data.borrow().value, NodeValue::Paragraph));
    if !opens_block {
        return markdown_to_inlines(md);
    }
    markdown_to_inlines(&escape_block_start(md))
}

/// `md` with the character that makes its first line a block marker escaped.
fn escape_block_start(md: &str) -> String {
    let digits = md.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(md.as_bytes().get(digits), Some(b'.' | b')')) {
        // `2. x` → `2\. x` (a backslash before a digit would stay visible).
        return format!("{}\\{}", &md[..digits], &md[digits..]);
    }
    match md.chars().next() {
        Some(c) if c.is_ascii_punctuation() => format!("\\{md}"),
        _ => md.to_string(),
    }
}

fn flatten_blocks(blocks: &[Block], out: &mut Vec<Inline>) {
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            out.push(Inline::LineBreak);
        }
        match b {
            Block::Paragraph(i) | Block::Heading { text: i, .. } => out.extend(i.iter().cloned()),
            Block::Code(c) => out.push(Inline::Code(c.clone())),
            Block::List { items, .. } => {
                for (n, it) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(Inline::LineBreak);
                    }
                    out.push(Inline::Text("• ".into()));
                    flatten_blocks(&it.blocks, out);
                }
            }
            Block::Callout { blocks, .. } => flatten_blocks(blocks, out),
            Block::Definitions(items) => {
                for (n, (term, desc)) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(Inline::LineBreak);
                    }
                    out.extend(term.iter().cloned());
                    out.push(Inline::Text(" ".into()));
                    out.extend(desc.iter().cloned());
                }
            }
            Block::Table { header, rows, .. } => {
                for row in std::iter::once(header).chain(rows.iter()) {
                    for (n, cell) in row.iter().enumerate() {
                        if n > 0 {
                            out.push(Inline::Text(" | ".into()));
                        }
                        out.extend(cell.iter().cloned());
                    }
                    out.push(Inline::LineBreak);
                }
            }
            _ => {}
        }
    }
}

fn block<'a>(node: &'a AstNode<'a>, opts: &MdOptions, out: &mut Vec<Block>) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Paragraph => {
            let mut inl = Vec::new();
            inlines(node, opts, &mut inl);
            if !inl.is_empty() {
                out.push(Block::Paragraph(inl));
            }
        }
        NodeValue::Heading(h) => {
            let mut inl = Vec::new();
            inlines(node, opts, &mut inl);
            out.push(Block::Heading {
                level: h.level.saturating_add(opts.heading_offset).clamp(1, 6),
                number: None,
                text: inl,
                anchor: None,
                outline: opts.headings_in_outline,
                in_toc: opts.headings_in_toc,
            });
        }
        NodeValue::List(l) => {
            let mut items = Vec::new();
            for item in node.children() {
                let mut blocks = Vec::new();
                for c in item.children() {
                    block(c, opts, &mut blocks);
                }
                items.push(ListItem {
                    marker: None,
                    blocks,
                });
            }
            out.push(Block::List {
                ordered: l.list_type == ListType::Ordered,
                start: l.start.min(u32::MAX as usize) as u32,
                items,
            });
        }
        NodeValue::CodeBlock(cb) => {
            out.push(Block::Code(cb.literal.trim_end_matches('\n').to_string()));
        }
        NodeValue::ThematicBreak => out.push(Block::Rule),
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
            let mut blocks = Vec::new();
            for c in node.children() {
                block(c, opts, &mut blocks);
            }
            out.push(Block::Callout {
                title: None,
                blocks,
            });
        }
        NodeValue::Table(_) => {
            let mut header = Vec::new();
            let mut rows = Vec::new();
            for row in node.children() {
                let is_header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
                let cells: Vec<Vec<Inline>> = row
                    .children()
                    .map(|cell| {
                        let mut inl = Vec::new();
                        inlines(cell, opts, &mut inl);
                        inl
                    })
                    .collect();
                if is_header {
                    header = cells;
                } else {
                    rows.push(cells);
                }
            }
            out.push(Block::Table {
                header,
                rows,
                widths: None,
            });
        }
        NodeValue::HtmlBlock(_) | NodeValue::FrontMatter(_) => {}
        NodeValue::Document | NodeValue::Item(_) => {
            for c in node.children() {
                block(c, opts, out);
            }
        }
        _ => {
            // Unknown container (e.g. an extension node): keep its content.
            let mut inl = Vec::new();
            inlines(node, opts, &mut inl);
            if !inl.is_empty() {
                out.push(Block::Paragraph(inl));
            } else {
                for c in node.children() {
                    block(c, opts, out);
                }
            }
        }
    }
}

fn children_inlines<'a>(node: &'a AstNode<'a>, opts: &MdOptions) -> Vec<Inline> {
    let mut v = Vec::new();
    inlines(node, opts, &mut v);
    v
}

fn inlines<'a>(node: &'a AstNode<'a>, opts: &MdOptions, out: &mut Vec<Inline>) {
    for c in node.children() {
        inline(c, opts, out);
    }
}

fn inline<'a>(node: &'a AstNode<'a>, opts: &MdOptions, out: &mut Vec<Inline>) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => match out.last_mut() {
            Some(Inline::Text(prev)) => prev.push_str(&t),
            _ => out.push(Inline::Text(t.to_string())),
        },
        NodeValue::SoftBreak => match out.last_mut() {
            Some(Inline::Text(prev)) => prev.push(' '),
            _ => out.push(Inline::Text(" ".into())),
        },
        NodeValue::LineBreak => out.push(Inline::LineBreak),
        NodeValue::Code(c) => out.push(Inline::Code(c.literal)),
        NodeValue::Emph => out.push(Inline::Italic(children_inlines(node, opts))),
        NodeValue::Strong => out.push(Inline::Bold(children_inlines(node, opts))),
        NodeValue::Strikethrough => out.push(Inline::Strike(children_inlines(node, opts))),
        NodeValue::Link(l) => {
            let content = children_inlines(node, opts);
            let url = l.url.trim();
            if url.is_empty() {
                out.extend(content);
            } else {
                let target = match url.strip_prefix('#') {
                    Some(a) => LinkTarget::Internal(a.to_string()),
                    None => LinkTarget::External(url.to_string()),
                };
                out.push(Inline::Link { target, content });
            }
        }
        NodeValue::Image(_) => {
            let alt = Inline::plain_text(&children_inlines(node, opts));
            let alt = alt.trim();
            let text = if alt.is_empty() {
                format!("[{}]", opts.image_label)
            } else {
                format!("[{}: {}]", opts.image_label, alt)
            };
            out.push(Inline::Text(text));
        }
        NodeValue::HtmlInline(_) | NodeValue::Raw(_) => {}
        _ => inlines(node, opts, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_common_constructs() {
        let md = "# Titel\n\nTekst med *kursiv*, **fed**, `kode` og ~~slettet~~.\nNy linje.\n\n\
                  - en\n- to\n  1. a\n  2. b\n\n| A | B |\n|---|---|\n| 1 | [l](https://x.dk) |\n\n\
                  ```\ncode\n```\n\n<div>html</div>\n\n![alt tekst](x.png) <b>x</b> https://auto.dk";
        let b = markdown_to_blocks(md, &MdOptions::default());
        assert!(matches!(&b[0], Block::Heading { level: 1, .. }));
        let Block::Paragraph(p) = &b[1] else { panic!() };
        assert!(p.contains(&Inline::Italic(vec![Inline::text("kursiv")])));
        assert!(p.contains(&Inline::Bold(vec![Inline::text("fed")])));
        assert!(p.contains(&Inline::Code("kode".into())));
        assert!(p.contains(&Inline::Strike(vec![Inline::text("slettet")])));
        assert!(Inline::plain_text(p).contains(". Ny linje."));
        let Block::List {
            ordered: false,
            items,
            ..
        } = &b[2]
        else {
            panic!()
        };
        assert!(matches!(
            items[1].blocks[1],
            Block::List { ordered: true, .. }
        ));
        let Block::Table { header, rows, .. } = &b[3] else {
            panic!()
        };
        assert_eq!(header.len(), 2);
        assert!(matches!(rows[0][1][0], Inline::Link { .. }));
        assert_eq!(b[4], Block::Code("code".into()));
        let Block::Paragraph(p) = &b[5] else {
            panic!("{:?}", b[5])
        };
        let t = Inline::plain_text(p);
        assert!(t.contains("[billede: alt tekst]"), "{t}");
        assert!(!t.contains("<b>"));
        assert!(p.iter().any(|i| matches!(i, Inline::Link { target: LinkTarget::External(u), .. } if u == "https://auto.dk")));
        assert_eq!(b.len(), 6);
    }

    #[test]
    fn inline_cells_never_open_blocks() {
        for (md, want) in [
            ("2. Anbefalinger", "2. Anbefalinger"),
            ("8) Bilag", "8) Bilag"),
            ("- ikke en liste", "- ikke en liste"),
            ("# ikke en overskrift", "# ikke en overskrift"),
            ("> ikke et citat", "> ikke et citat"),
            ("---", "---"),
            ("Alle afsnit", "Alle afsnit"),
            ("", ""),
        ] {
            assert_eq!(Inline::plain_text(&markdown_inline(md)), want, "{md}");
        }
        assert_eq!(
            markdown_inline("*kursiv* og **fed**")[0],
            Inline::Italic(vec![Inline::text("kursiv")])
        );
    }

    #[test]
    fn inlines_and_internal_links() {
        let i = markdown_to_inlines("Se [afsnit](#afsnit-2) **nu**");
        assert!(i.iter().any(
            |x| matches!(x, Inline::Link { target: LinkTarget::Internal(a), .. } if a == "afsnit-2")
        ));
    }
}
