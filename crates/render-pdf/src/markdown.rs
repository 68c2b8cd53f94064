//! The content tree (what the parser read from the author's Markdown) to
//! document IR, node by node: no Markdown is parsed here.
//!
//! Raw HTML is shown as the text it is (as on the web page). Images are never
//! loaded: they become the text `[billede: alt]` (the label is configurable).
//! Inline math is typeset as text with real super- and subscripts (`10⁻⁵`),
//! the same text the page gives as the formula's alternative. A grade reads
//! `(A)` and a citation `(9) [niveau 1b]`, so copied text reads as written.

use vejviser_model::content::{Block as CBlock, Inline as CInline};
use vejviser_model::safe::{link_allowed, LINK_SCHEMES};
use vejviser_view::cite::CitePart;
use vejviser_view::math::math_text;
use vejviser_view::GuidelineView;

use crate::doc::{Block, Inline, LinkTarget, ListItem};

/// Options for [`markdown_to_blocks`] and `content_to_blocks`.
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

/// Maps content trees to IR; citations resolve through the view when there is one.
pub struct Mapper<'a> {
    /// The guideline's view (citation targets and words).
    pub view: Option<&'a GuidelineView>,
    /// Heading levels and the image word.
    pub opts: &'a MdOptions,
}

/// Convert Markdown that is not part of a guideline (samples, tests) to blocks.
pub fn markdown_to_blocks(md: &str, opts: &MdOptions) -> Vec<Block> {
    content_to_blocks(&vejviser_parse::fragment(md), None, opts)
}

/// Convert Markdown to inline content (paragraph breaks become line breaks).
pub fn markdown_to_inlines(md: &str) -> Vec<Inline> {
    let opts = MdOptions::default();
    let blocks = markdown_to_blocks(md, &opts);
    let mut out = Vec::new();
    flatten_blocks(&blocks, &mut out);
    out
}

/// Convert one piece of inline Markdown (a table cell, a sentence) to inline content;
/// text that would open a block is taken literally (`2. Anbefalinger` stays as written).
pub fn markdown_inline(md: &str) -> Vec<Inline> {
    let md = md.trim();
    if md.is_empty() {
        return Vec::new();
    }
    let blocks = vejviser_parse::fragment(md);
    if matches!(blocks.as_slice(), [CBlock::Paragraph { .. }]) {
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

/// Content blocks as IR blocks.
pub fn content_to_blocks(
    blocks: &[CBlock],
    view: Option<&GuidelineView>,
    opts: &MdOptions,
) -> Vec<Block> {
    let m = Mapper { view, opts };
    let mut out = Vec::new();
    for b in blocks {
        m.block(b, &mut out);
    }
    out
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

impl Mapper<'_> {
    /// One content block.
    pub fn block(&self, b: &CBlock, out: &mut Vec<Block>) {
        match b {
            CBlock::Paragraph { inlines, .. } => {
                let inl = self.inlines(inlines);
                if !inl.is_empty() {
                    out.push(Block::Paragraph(inl));
                }
            }
            CBlock::Heading { level, inlines, .. } => out.push(Block::Heading {
                level: level.saturating_add(self.opts.heading_offset).clamp(1, 6),
                number: None,
                text: self.inlines(inlines),
                anchor: None,
                outline: self.opts.headings_in_outline,
                in_toc: self.opts.headings_in_toc,
            }),
            CBlock::List {
                ordered,
                start,
                items,
                ..
            } => out.push(Block::List {
                ordered: *ordered,
                start: *start,
                items: items
                    .iter()
                    .map(|it| {
                        let mut blocks = Vec::new();
                        for b in &it.blocks {
                            self.block(b, &mut blocks);
                        }
                        ListItem {
                            marker: None,
                            blocks,
                        }
                    })
                    .collect(),
            }),
            CBlock::Table { header, rows, .. } => out.push(Block::Table {
                header: header.iter().map(|c| self.inlines(c)).collect(),
                rows: rows
                    .iter()
                    .map(|r| r.iter().map(|c| self.inlines(c)).collect())
                    .collect(),
                widths: None,
            }),
            CBlock::Quote { blocks, .. } => {
                let mut inner = Vec::new();
                for b in blocks {
                    self.block(b, &mut inner);
                }
                out.push(Block::Callout {
                    title: None,
                    blocks: inner,
                });
            }
            CBlock::Code { literal, .. } => {
                out.push(Block::Code(literal.trim_end_matches('\n').to_string()))
            }
            CBlock::ThematicBreak { .. } => out.push(Block::Rule),
            // Shown as the text it is, as on the web page.
            CBlock::Html { literal, .. } => out.push(Block::Paragraph(vec![Inline::Text(
                literal.trim_end().to_string(),
            )])),
        }
    }

    /// Content inlines as IR inlines.
    pub fn inlines(&self, inlines: &[CInline]) -> Vec<Inline> {
        let mut out = Vec::new();
        for i in inlines {
            self.inline(i, &mut out);
        }
        out
    }

    fn inline(&self, i: &CInline, out: &mut Vec<Inline>) {
        let text = |out: &mut Vec<Inline>, s: &str| match out.last_mut() {
            Some(Inline::Text(prev)) => prev.push_str(s),
            _ => out.push(Inline::Text(s.to_string())),
        };
        match i {
            CInline::Text(t) | CInline::Html(t) => text(out, t),
            CInline::SoftBreak => text(out, " "),
            CInline::LineBreak => out.push(Inline::LineBreak),
            CInline::Code(c) => out.push(Inline::Code(c.clone())),
            CInline::Emphasis(c) => out.push(Inline::Italic(self.inlines(c))),
            CInline::Strong(c) => out.push(Inline::Bold(self.inlines(c))),
            CInline::Strikethrough(c) => out.push(Inline::Strike(self.inlines(c))),
            CInline::Link { url, content, .. } => {
                let content = self.inlines(content);
                let url = url.trim();
                let lower = url.to_ascii_lowercase();
                match url.strip_prefix('#') {
                    Some(a) => out.push(Inline::Link {
                        target: LinkTarget::Internal(a.to_string()),
                        content,
                    }),
                    // The one link policy (as on the pages); relative targets
                    // lead nowhere in a PDF, so only those with a scheme stay links.
                    None if link_allowed(url)
                        && LINK_SCHEMES
                            .iter()
                            .any(|s| lower.strip_prefix(s).is_some_and(|r| r.starts_with(':'))) =>
                    {
                        out.push(Inline::Link {
                            target: LinkTarget::External(url.to_string()),
                            content,
                        })
                    }
                    // Relative or refused targets: the text stays.
                    None => out.extend(content),
                }
            }
            CInline::Image { alt, .. } => {
                let alt = alt.trim();
                let label = &self.opts.image_label;
                text(
                    out,
                    &if alt.is_empty() {
                        format!("[{label}]")
                    } else {
                        format!("[{label}: {alt}]")
                    },
                );
            }
            CInline::Grade { grade, .. } => {
                // No break between a sentence and its grade; copied, it reads "(A)".
                if let Some(Inline::Text(prev)) = out.last_mut() {
                    let trimmed = prev.trim_end().len();
                    if trimmed < prev.len() {
                        prev.truncate(trimmed);
                        prev.push('\u{a0}');
                    }
                }
                out.push(Inline::Bold(vec![Inline::Text(format!(
                    "({})",
                    grade.letter()
                ))]));
            }
            CInline::Citation(c) => match self.view {
                Some(view) => {
                    for part in view.cite(c).parts {
                        match part {
                            CitePart::Text(t) => text(out, t),
                            CitePart::Number {
                                written,
                                anchor: Some(a),
                            } => out.push(Inline::Link {
                                target: LinkTarget::Internal(a),
                                content: vec![Inline::Text(written.to_string())],
                            }),
                            CitePart::Number { written, .. } => text(out, written),
                            CitePart::Level {
                                text: t, anchor, ..
                            } => out.push(Inline::Link {
                                target: LinkTarget::Internal(anchor),
                                content: vec![Inline::Text(t)],
                            }),
                        }
                    }
                }
                None => text(out, &c.written),
            },
            // The recommendation shows these after its text, in words and symbols.
            CInline::Marker(_) | CInline::CostFlag { .. } => {}
            CInline::Math { latex, .. } => text(out, &math_text(latex)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_common_constructs() {
        let md = "# Titel\n\nTekst med *kursiv*, **fed**, `kode` og ~~slettet~~.\nNy linje.\n\n\
                  - en\n- to\n  1. a\n  2. b\n\n| A | B |\n|---|---|\n| 1 | [l](https://x.dk) |\n\n\
                  ```\ncode\n```\n\n<div>html</div>\n\n![alt tekst](x.png) <b>x</b> https://auto.dk $10^{-5}$";
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
        // Raw HTML is shown as the text it is, as on the page.
        assert_eq!(
            b[5],
            Block::Paragraph(vec![Inline::text("<div>html</div>")])
        );
        let Block::Paragraph(p) = &b[6] else {
            panic!("{:?}", b[6])
        };
        let t = Inline::plain_text(p);
        assert!(t.contains("[billede: alt tekst]"), "{t}");
        assert!(t.contains("<b>x</b>"), "{t}");
        assert!(t.contains("10⁻⁵") && !t.contains('$'), "{t}");
        assert!(p.iter().any(|i| matches!(i, Inline::Link { target: LinkTarget::External(u), .. } if u == "https://auto.dk")));
        assert_eq!(b.len(), 7);
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
