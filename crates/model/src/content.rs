//! The content tree: what the author wrote, parsed once by `vejviser-parse`
//! (one comrak walk) and read by everything after it. The checker, the view,
//! the HTML page and the PDF all read these nodes, so a grade, a citation, a
//! Medicinrådet marker or a formula is recognised in one place and means the
//! same everywhere; no later stage parses Markdown or scans text again.
//!
//! Blocks are CommonMark + GFM tables; inlines add the template's own nodes
//! ([`Inline::Grade`], [`Inline::Citation`], [`Inline::Marker`],
//! [`Inline::CostFlag`]) and inline math ([`Inline::Math`]). Code spans, code
//! blocks, link destinations and raw HTML are never scanned for them. Raw HTML
//! is kept as [`Inline::Html`] / [`Block::Html`] and shown as text by every
//! output (one policy; the checker warns about it).

use serde::Serialize;

use crate::{Citation, Grade, MedicinraadetMark, Span};

mod compare;
mod whitespace;

pub use compare::same_text;
pub use whitespace::{collapse_whitespace, collapsed};

/// A block of author text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        inlines: Vec<Inline>,
        #[serde(skip)]
        span: Span,
    },
    /// A heading inside author text (level as written, 1–6).
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        #[serde(skip)]
        span: Span,
    },
    List {
        ordered: bool,
        /// The number written on the first item (1 for bullet lists).
        start: u32,
        items: Vec<ListItem>,
        #[serde(skip)]
        span: Span,
    },
    Table {
        alignments: Vec<Alignment>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        #[serde(skip)]
        span: Span,
    },
    Quote {
        blocks: Vec<Block>,
        #[serde(skip)]
        span: Span,
    },
    Code {
        info: String,
        literal: String,
        #[serde(skip)]
        span: Span,
    },
    ThematicBreak {
        #[serde(skip)]
        span: Span,
    },
    /// A raw HTML block, kept verbatim; outputs show it as text.
    Html {
        literal: String,
        #[serde(skip)]
        span: Span,
    },
}

/// One item of a list, with the number its author wrote (ordered lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    pub number: Option<u32>,
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

/// Inline author text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        title: String,
        content: Vec<Inline>,
    },
    Image {
        url: String,
        alt: String,
    },
    /// A hard line break.
    LineBreak,
    /// A line end inside a paragraph (shown as a space).
    SoftBreak,
    /// A grade `(A)` written after the statement it grades.
    Grade {
        grade: Grade,
        #[serde(skip)]
        span: Span,
    },
    /// A citation `(3, 4) [1b]` in evidence prose; numbers as written.
    Citation(Citation),
    /// A Medicinrådet status at the end of a recommendation.
    Marker(MedicinraadetMark),
    /// The cost flag `[merudgift]`.
    CostFlag {
        written: String,
        #[serde(skip)]
        span: Span,
    },
    /// Inline math `$…$`: the LaTeX between the dollars.
    Math {
        latex: String,
        #[serde(skip)]
        span: Span,
    },
    /// Raw inline HTML, kept verbatim; outputs show it as text.
    Html(String),
}

impl Inline {
    /// The text a reader sees, without markup: emphasis dropped, a grade as
    /// `(A)`, a citation as written, math as its LaTeX source. Used for search,
    /// comparisons and `vejviser diff`.
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut s = String::new();
        push_plain(inlines, &mut s);
        s
    }

    /// True for whitespace-only text and breaks.
    pub fn is_blank(&self) -> bool {
        match self {
            Inline::Text(t) => t.trim().is_empty(),
            Inline::SoftBreak | Inline::LineBreak => true,
            _ => false,
        }
    }
}

fn push_plain(inlines: &[Inline], s: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Html(t) => s.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => push_plain(c, s),
            Inline::Link { content, .. } => push_plain(content, s),
            Inline::Image { alt, .. } => s.push_str(alt),
            Inline::LineBreak | Inline::SoftBreak => s.push(' '),
            Inline::Grade { grade, .. } => {
                s.push('(');
                s.push(grade.letter());
                s.push(')');
            }
            Inline::Citation(c) => s.push_str(&c.written),
            Inline::Marker(m) => s.push_str(&m.written),
            Inline::CostFlag { written, .. } => s.push_str(written),
            Inline::Math { latex, .. } => s.push_str(latex),
        }
    }
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Paragraph { span, .. }
            | Block::Heading { span, .. }
            | Block::List { span, .. }
            | Block::Table { span, .. }
            | Block::Quote { span, .. }
            | Block::Code { span, .. }
            | Block::ThematicBreak { span }
            | Block::Html { span, .. } => *span,
        }
    }

    /// The text of blocks without markup, blocks separated by a blank line.
    pub fn plain_text(blocks: &[Block]) -> String {
        let mut parts = Vec::new();
        for b in blocks {
            match b {
                Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => {
                    parts.push(Inline::plain_text(inlines))
                }
                Block::List { items, .. } => {
                    for it in items {
                        parts.push(Block::plain_text(&it.blocks))
                    }
                }
                Block::Table { header, rows, .. } => {
                    for row in std::iter::once(header).chain(rows) {
                        let cells: Vec<String> =
                            row.iter().map(|c| Inline::plain_text(c)).collect();
                        parts.push(cells.join(" | "));
                    }
                }
                Block::Quote { blocks, .. } => parts.push(Block::plain_text(blocks)),
                Block::Code { literal, .. } | Block::Html { literal, .. } => {
                    parts.push(literal.trim_end().to_string())
                }
                Block::ThematicBreak { .. } => {}
            }
        }
        parts.join("\n\n")
    }

    /// Calls `f` on every inline sequence in these blocks (paragraphs,
    /// headings, table cells, list items, quotes), in document order.
    pub fn for_each_inlines<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a [Inline])) {
        for b in blocks {
            match b {
                Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => f(inlines),
                Block::List { items, .. } => {
                    for it in items {
                        Block::for_each_inlines(&it.blocks, f)
                    }
                }
                Block::Table { header, rows, .. } => {
                    for cell in header.iter().chain(rows.iter().flatten()) {
                        f(cell)
                    }
                }
                Block::Quote { blocks, .. } => Block::for_each_inlines(blocks, f),
                Block::Code { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
            }
        }
    }
}

/// Calls `f` on every inline node, depth first (the node before its children).
pub fn walk_inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                walk_inlines(c, f)
            }
            Inline::Link { content, .. } => walk_inlines(content, f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_grades_once_and_drops_markup() {
        let t = vec![
            Inline::Emphasis(vec![Inline::Text("ældre ".into())]),
            Inline::Grade {
                grade: Grade::B,
                span: Span::default(),
            },
            Inline::SoftBreak,
            Inline::Math {
                latex: "PS \\geq 2".into(),
                span: Span::default(),
            },
        ];
        assert_eq!(Inline::plain_text(&t), "ældre (B) PS \\geq 2");
    }
}
