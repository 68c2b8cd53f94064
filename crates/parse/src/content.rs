//! comrak's nodes to the model's content tree, in one walk, with spans.
//!
//! Text nodes are where the template's inline conventions are read, and only
//! there: a grade `(A)` and the Medicinrådet markers in a recommendation, a
//! citation `(3, 4) [1b]` in evidence prose. Code spans, code blocks, link
//! destinations and raw HTML are never scanned. Inline math `$…$` becomes
//! [`Inline::Math`]; LaTeX-like text outside it (`10^{-5}`, `\geq`) and raw
//! HTML are reported where they were written.

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::content::{Alignment, Block, Inline, ListItem};
use vejviser_model::{Citation, EvidenceLevel, Grade, MedicinraadetMark, Span, Statement};

use crate::inline::{
    citation_numbers, find_marks, long_range, lowercase_grade, MarkKind, MAX_RANGE,
};
use crate::lines::LineIndex;

/// Which of the template's inline conventions a piece of text may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Ordinary prose: none of them.
    Prose,
    /// A recommendation's text: grades, a Medicinrådet marker, the cost flag.
    Recommendation,
    /// Evidence prose: citations; a marker is reported.
    Evidence,
}

/// Where converted nodes sit, and where findings go.
pub struct Cx<'a> {
    pub path: &'a str,
    pub idx: &'a LineIndex,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Containers open around the node being converted.
    pub depth: usize,
}

mod foreign;
mod marks;

#[cfg(test)]
use foreign::latex_like;
use foreign::{is_comment, latex_outside_math, raw_html_found};
pub use marks::read_recommendation;
use marks::{settle_marks, text};

/// Deeper than this, a node's text is kept flat (the parser has reported
/// VV0005 already); it bounds the walk's recursion on hostile input.
const MAX_DEPTH: usize = crate::MAX_NESTING + 16;

/// All text under `node`, without recursion.
fn flat_text<'n>(node: &'n AstNode<'n>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            NodeValue::CodeBlock(c) => s.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push(' '),
            _ => {}
        }
        if s.len() > 1 << 20 {
            break;
        }
    }
    s
}

impl Cx<'_> {
    fn span_of(&self, node: &AstNode) -> Span {
        let sp = node.data().sourcepos;
        self.idx
            .span(self.idx.offset(sp.start.line, sp.start.column))
    }
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Converts one block node (and what it contains).
pub fn block<'n>(cx: &mut Cx, node: &'n AstNode<'n>, mode: Mode, out: &mut Vec<Block>) {
    let span = cx.span_of(node);
    if cx.depth > MAX_DEPTH {
        out.push(Block::Paragraph {
            inlines: vec![Inline::Text(flat_text(node))],
            span,
        });
        return;
    }
    cx.depth += 1;
    block_at_depth(cx, node, mode, span, out);
    cx.depth -= 1;
}

fn block_at_depth<'n>(
    cx: &mut Cx,
    node: &'n AstNode<'n>,
    mode: Mode,
    span: Span,
    out: &mut Vec<Block>,
) {
    // Borrowed, not cloned: a clone copies every text and literal once more.
    let data = node.data();
    match &data.value {
        NodeValue::Paragraph => out.push(Block::Paragraph {
            inlines: inlines(cx, node, mode),
            span,
        }),
        NodeValue::Heading(h) => out.push(Block::Heading {
            level: h.level,
            inlines: inlines(cx, node, Mode::Prose),
            span,
        }),
        NodeValue::List(l) => {
            let ordered = l.list_type == ListType::Ordered;
            let items = node
                .children()
                .map(|item| list_item(cx, item, ordered, Mode::Prose, Mode::Prose))
                .collect();
            out.push(Block::List {
                ordered,
                start: if ordered {
                    l.start.min(1_000_000) as u32
                } else {
                    1
                },
                items,
                span,
            });
        }
        NodeValue::Table(t) => {
            let alignments = t
                .alignments
                .iter()
                .map(|a| match a {
                    TableAlignment::None => Alignment::None,
                    TableAlignment::Left => Alignment::Left,
                    TableAlignment::Center => Alignment::Center,
                    TableAlignment::Right => Alignment::Right,
                })
                .collect();
            let mut header = Vec::new();
            let mut rows = Vec::new();
            for row in node.children() {
                let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                let cells: Vec<Vec<Inline>> =
                    row.children().map(|c| inlines(cx, c, mode)).collect();
                if is_header {
                    header = cells;
                } else {
                    rows.push(cells);
                }
            }
            out.push(Block::Table {
                alignments,
                header,
                rows,
                span,
            });
        }
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
            let mut blocks = Vec::new();
            for c in node.children() {
                block(cx, c, mode, &mut blocks);
            }
            out.push(Block::Quote { blocks, span });
        }
        NodeValue::CodeBlock(cb) => out.push(Block::Code {
            info: cb.info.to_string(),
            literal: cb.literal.to_string(),
            span,
        }),
        NodeValue::ThematicBreak => out.push(Block::ThematicBreak { span }),
        // An HTML comment is the authors' own note (drafts carry their guidance
        // in them): it is not shown anywhere, as the template says.
        NodeValue::HtmlBlock(h) if is_comment(&h.literal) => {}
        NodeValue::HtmlBlock(h) => {
            raw_html_found(cx, span, &h.literal);
            out.push(Block::Html {
                literal: h.literal.to_string(),
                span,
            })
        }
        NodeValue::FrontMatter(_) => {}
        _ => {
            // Containers of other extensions (none enabled today): keep their content.
            for c in node.children() {
                block(cx, c, mode, out);
            }
        }
    }
}

/// One list item: its leading paragraphs in `lead` mode, the rest in `rest` mode.
pub fn list_item<'n>(
    cx: &mut Cx,
    item: &'n AstNode<'n>,
    ordered: bool,
    lead: Mode,
    rest: Mode,
) -> ListItem {
    let span = cx.span_of(item);
    let number = match &item.data().value {
        NodeValue::Item(l) if ordered => Some(l.start.min(1_000_000) as u32),
        _ => None,
    };
    let mut blocks = Vec::new();
    let mut leading = true;
    for c in item.children() {
        leading &= matches!(c.data().value, NodeValue::Paragraph);
        block(cx, c, if leading { lead } else { rest }, &mut blocks);
    }
    ListItem {
        number,
        blocks,
        span,
    }
}

/// The inline children of `node`, with the conventions of `mode` read.
pub fn inlines<'n>(cx: &mut Cx, node: &'n AstNode<'n>, mode: Mode) -> Vec<Inline> {
    let mut out = Vec::new();
    for c in node.children() {
        inline(cx, c, mode, &mut out);
    }
    if mode == Mode::Recommendation {
        settle_marks(cx, &mut out);
    }
    out
}

fn inline<'n>(cx: &mut Cx, node: &'n AstNode<'n>, mode: Mode, out: &mut Vec<Inline>) {
    if cx.depth > MAX_DEPTH {
        push_text(out, &flat_text(node));
        return;
    }
    cx.depth += 1;
    inline_at_depth(cx, node, mode, out);
    cx.depth -= 1;
}

fn inline_at_depth<'n>(cx: &mut Cx, node: &'n AstNode<'n>, mode: Mode, out: &mut Vec<Inline>) {
    let data = node.data();
    match &data.value {
        NodeValue::Text(t) => {
            let span = cx.span_of(node);
            text(cx, t, span, mode, out)
        }
        NodeValue::SoftBreak => out.push(Inline::SoftBreak),
        NodeValue::LineBreak => out.push(Inline::LineBreak),
        NodeValue::Code(c) => out.push(Inline::Code(c.literal.to_string())),
        NodeValue::Emph => out.push(Inline::Emphasis(inlines_no_settle(cx, node, mode))),
        NodeValue::Strong => out.push(Inline::Strong(inlines_no_settle(cx, node, mode))),
        NodeValue::Strikethrough => {
            out.push(Inline::Strikethrough(inlines_no_settle(cx, node, mode)))
        }
        NodeValue::Link(l) => out.push(Inline::Link {
            url: l.url.to_string(),
            title: l.title.to_string(),
            // A link's text is the author's words for the link, not a citation or a grade.
            content: inlines_no_settle(cx, node, Mode::Prose),
        }),
        NodeValue::Image(l) => {
            let alt = Inline::plain_text(&inlines_no_settle(cx, node, Mode::Prose));
            out.push(Inline::Image {
                url: l.url.to_string(),
                alt,
            })
        }
        NodeValue::Math(m) => out.push(Inline::Math {
            latex: m.literal.to_string(),
            span: cx.span_of(node),
        }),
        NodeValue::HtmlInline(h) if is_comment(h) => {}
        NodeValue::HtmlInline(h) => {
            let span = cx.span_of(node);
            raw_html_found(cx, span, h);
            out.push(Inline::Html(h.to_string()))
        }
        NodeValue::Raw(r) => out.push(Inline::Text(r.to_string())),
        _ => {
            for c in node.children() {
                inline(cx, c, mode, out);
            }
        }
    }
}

fn inlines_no_settle<'n>(cx: &mut Cx, node: &'n AstNode<'n>, mode: Mode) -> Vec<Inline> {
    let mut out = Vec::new();
    for c in node.children() {
        inline(cx, c, mode, &mut out);
    }
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(s),
        _ => out.push(Inline::Text(s.to_string())),
    }
}

fn at(span: Span, i: usize) -> Span {
    Span::new(span.line, span.column + i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use comrak::Arena;
    use vejviser_model::{MarkerForm, MedicinraadetStatus};

    /// One paragraph read as a recommendation: statements, marker, cost flag, findings.
    fn scan(
        text: &str,
    ) -> (
        (Vec<Statement>, Option<MedicinraadetMark>, bool),
        Vec<Diagnostic>,
    ) {
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, text, &crate::comrak_options());
        let idx = LineIndex::new(text, 0);
        let mut d = Vec::new();
        let mut cx = Cx {
            path: "t.md",
            idx: &idx,
            diags: &mut d,
            depth: 0,
        };
        let para = root.first_child().expect("a paragraph");
        let inl = inlines(&mut cx, para, Mode::Recommendation);
        (read_recommendation(&inl), d)
    }

    fn cite(text: &str) -> (Vec<Citation>, Vec<Diagnostic>) {
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, text, &crate::comrak_options());
        let idx = LineIndex::new(text, 0);
        let mut d = Vec::new();
        let mut cx = Cx {
            path: "t.md",
            idx: &idx,
            diags: &mut d,
            depth: 0,
        };
        let para = root.first_child().expect("a paragraph");
        let inl = inlines(&mut cx, para, Mode::Evidence);
        let mut out = Vec::new();
        walk_inlines_collect(&inl, &mut out);
        (out, d)
    }

    fn walk_inlines_collect(inl: &[Inline], out: &mut Vec<Citation>) {
        vejviser_model::content::walk_inlines(inl, &mut |i| {
            if let Inline::Citation(c) = i {
                out.push(c.clone())
            }
        });
    }

    #[test]
    fn grades_spaced_and_glued() {
        let ((s, _, _), d) = scan("Giv melphalan 200 mg/m²(A). Ved nyresvigt 140 mg/m² (C)");
        assert!(d.is_empty());
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Giv melphalan 200 mg/m²");
        assert_eq!(s[0].grade, Some(Grade::A));
        assert_eq!(s[1].text, ". Ved nyresvigt 140 mg/m²");
        assert_eq!(s[1].grade, Some(Grade::C));
    }

    #[test]
    fn a_lower_case_grade_is_an_invalid_grade_at_its_column() {
        let (_, d) = scan("Tilbyd behandling X (b) ●");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].column), (Code::InvalidGrade, 21));
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `(B)`?"));
        let (_, d) = scan("Tilbyd X (c). Ved Y (a)");
        assert_eq!(d.len(), 2, "{d:?}");
        // An enumeration is not a grade.
        let (_, d) = scan("Tilbyd (a) kemoterapi eller (b) stråleterapi (B)");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn markers_and_cost_flag_at_the_end() {
        let ((_, m, _), d) = scan("Tilbyd lenalidomid (B) ●●");
        assert!(d.is_empty());
        assert_eq!(m.unwrap().status, MedicinraadetStatus::NotRecommended);
        let ((_, m, cost), d) = scan("Tilbyd X (B) [Medicinrådet: ikke vurderet] [merudgift]");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.unwrap().status, MedicinraadetStatus::NotAssessed);
        assert!(cost);
        let ((_, m, _), _) = scan("Offer X (B) [medicinrådet: Recommended]");
        assert_eq!(m.unwrap().form, MarkerForm::Explicit);
    }

    #[test]
    fn bad_markers_are_reported() {
        let (_, d) = scan("Tilbyd X (B) ●●●");
        assert_eq!(d[0].code, Code::InvalidMarker);
        let (_, d) = scan("Tilbyd X (B) ● ●●");
        assert_eq!(d[0].code, Code::MultipleMarkers);
        let (_, d) = scan("Tilbyd X ● og Y (B)");
        assert_eq!(d[0].code, Code::InvalidMarker);
        let (_, d) = scan("Tilbyd X (B) [Medicinrådet: måske]");
        assert_eq!(d[0].code, Code::InvalidMarker);
    }

    #[test]
    fn invalid_and_missing_grades() {
        let ((s, _, _), d) = scan("Tilbyd X (E)");
        assert_eq!(d[0].code, Code::InvalidGrade);
        assert!(s.iter().all(|s| s.grade.is_none()));
        let ((s, _, _), d) = scan("Tilbyd X");
        assert!(d.is_empty());
        assert_eq!(s[0].grade, None);
        let ((s, _, _), _) = scan("Tilbyd X (A).");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Tilbyd X");
        assert_eq!((s[1].text.as_str(), s[1].grade), (".", None));
    }

    #[test]
    fn a_citation_range_too_long_to_expand_is_an_error() {
        let (c, d) = cite("Studier (1–150) og (1–100, 101–150) [1b].");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].column), (Code::UnresolvedCitation, 9));
        assert!(
            d[0].message.contains("range of 150 references"),
            "{}",
            d[0].message
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].references.len(), 150);
    }

    #[test]
    fn citations() {
        let text = "Studier (1) viste (3, 4) [1b] og (8–10)[2a]; HR 0,58 (95 % KI 0,47–0,72) og (2019) og (7) [9z].";
        let (c, _) = cite(text);
        let refs: Vec<Vec<u32>> = c.iter().map(|c| c.references.clone()).collect();
        assert_eq!(refs, vec![vec![1], vec![3, 4], vec![8, 9, 10], vec![7]]);
        assert_eq!(c[1].level.unwrap().to_string(), "1b");
        assert_eq!(c[2].level.unwrap().to_string(), "2a");
        assert_eq!(c[3].invalid_level.as_deref(), Some("9z"));
        assert_eq!(c[1].written, "(3, 4) [1b]");
    }

    #[test]
    fn latex_like_text_is_found_with_its_word() {
        fn f(t: &str) -> Option<&str> {
            latex_like(t).map(|(i, n)| &t[i..i + n])
        }
        assert_eq!(f("MRD < 10^{-5} efter"), Some("10^{-5}"));
        assert_eq!(f("PS \\geq 2"), Some("\\geq"));
        assert_eq!(f("β_2-mikroglobulin"), Some("β_2-mikroglobulin"));
        assert_eq!(f("m^2"), Some("m^2"));
        assert_eq!(f("fil_navn og snake_case"), None);
        assert_eq!(f("C:\\Users"), None);
        assert_eq!(f("200 mg/m²"), None);
        // A multi-byte space before the word (found by tests/fuzz.rs).
        assert_eq!(f("MRD\u{2004}10^{-5}"), Some("10^{-5}"));
        assert_eq!(f("\u{3000}β_2\u{2004}x"), Some("β_2"));
    }
}
