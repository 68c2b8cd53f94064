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
    let value = node.data().value.clone();
    match value {
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
    let value = node.data().value.clone();
    match value {
        NodeValue::Text(t) => {
            let span = cx.span_of(node);
            text(cx, &t, span, mode, out)
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
        NodeValue::HtmlInline(h) if is_comment(&h) => {}
        NodeValue::HtmlInline(h) => {
            let span = cx.span_of(node);
            raw_html_found(cx, span, &h);
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

/// A text node: plain text, with what `mode` recognises cut out as nodes.
fn text(cx: &mut Cx, t: &str, span: Span, mode: Mode, out: &mut Vec<Inline>) {
    latex_outside_math(cx, t, span);
    match mode {
        Mode::Prose => push_text(out, t),
        Mode::Evidence => {
            for m in find_marks(t) {
                if let MarkKind::Status(..) = m.kind {
                    cx.push(
                        Diagnostic::new(Code::MarkerOutsideRecommendation, cx.path, at(span, m.start), "a Medicinrådet marker in evidence prose")
                            .len(m.end - m.start)
                            .help("markers belong at the end of the recommendation in chapter 2; write the drug's status in words here"),
                    );
                }
            }
            citations(cx, t, span, out)
        }
        Mode::Recommendation => recommendation_text(cx, t, span, out),
    }
}

/// Every citation `(1)`, `(3, 4) [1b]`, `(8–10)[2a]` in a text node.
/// A range too long to expand (`(1–150)`) is an error at its place, not
/// prose: it is written like a citation and would otherwise vanish silently.
fn citations(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
    let b = t.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(n) = memchr::memchr(b'(', &b[i..]) {
        i += n;
        let Some((refs, len)) = citation_numbers(&t[i + 1..]) else {
            if let Some((a, b, len)) = long_range(&t[i + 1..]) {
                cx.push(
                    Diagnostic::new(
                        Code::UnresolvedCitation,
                        cx.path,
                        at(span, i),
                        format!(
                            "citation `({a}–{b})` is a range of {} references; a range may span at most {}",
                            b - a + 1,
                            MAX_RANGE + 1
                        ),
                    )
                    .len(len + 2)
                    .help("cite the references singly or in shorter ranges, e.g. `(1–100, 101–150)`"),
                );
            }
            i += 1;
            continue;
        };
        let mut end = i + 1 + len + 1;
        let mut level = None;
        let mut invalid_level = None;
        let ws = t[end..].len() - t[end..].trim_start_matches([' ', '\t']).len();
        if t[end + ws..].starts_with('[') {
            if let Some(close) = t[end + ws..].find(']').filter(|&c| c <= 8) {
                let inner = t[end + ws + 1..end + ws + close].trim();
                match EvidenceLevel::parse(inner) {
                    Some(l) => level = Some(l),
                    None => invalid_level = Some(inner.to_string()),
                }
                end += ws + close + 1;
            }
        }
        push_text(out, &t[copied..i]);
        out.push(Inline::Citation(Citation {
            references: refs,
            level,
            invalid_level,
            written: t[i..end].to_string(),
            span: at(span, i),
        }));
        i = end;
        copied = end;
    }
    push_text(out, &t[copied..]);
}

/// Grades and marks in a recommendation's text node.
fn recommendation_text(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
    // Marks first (they are bracketed or symbols), then grades in the text between them.
    let mut copied = 0;
    for m in find_marks(t) {
        grades(cx, &t[copied..m.start], at(span, copied), out);
        let written = t[m.start..m.end].to_string();
        let mspan = at(span, m.start);
        match m.kind {
            MarkKind::ExtraCost => out.push(Inline::CostFlag {
                written,
                span: mspan,
            }),
            MarkKind::Status(Some(status), form) => out.push(Inline::Marker(MedicinraadetMark {
                status,
                form,
                written,
                span: mspan,
            })),
            MarkKind::Status(None, _) => {
                cx.push(
                    Diagnostic::new(Code::InvalidMarker, cx.path, mspan, format!("`{written}` is not a Medicinrådet status"))
                        .len(written.len())
                        .help("use `●` (recommended), `●●` (not recommended) or `[Medicinrådet: anbefalet | ikke anbefalet | ikke vurderet]`"),
                );
                push_text(out, &written);
            }
        }
        copied = m.end;
    }
    grades(cx, &t[copied..], at(span, copied), out);
}

/// Grades `(A)`…`(D)` in text: a capital letter in brackets, followed by the
/// end of the text, white space or punctuation.
fn grades(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
    let b = t.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i + 2 < b.len() {
        if b[i] == b'(' && b[i + 1].is_ascii_lowercase() && b[i + 2] == b')' {
            if let Some(letter) = lowercase_grade(t, i) {
                let upper = letter.to_ascii_uppercase();
                cx.push(
                    Diagnostic::new(
                        Code::InvalidGrade,
                        cx.path,
                        at(span, i),
                        format!("`({letter})` is not an evidence grade"),
                    )
                    .len(3)
                    .help(format!(
                        "did you mean `({upper})`? grades are the capital letters (A), (B), (C) or (D)"
                    )),
                );
            }
        }
        if b[i] == b'(' && b[i + 1].is_ascii_uppercase() && b[i + 2] == b')' {
            let ends_sentence = matches!(
                b.get(i + 3),
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'.' | b',' | b';' | b':' | b'!' | b'?')
            );
            let letter = b[i + 1] as char;
            if ends_sentence {
                if let Some(grade) = Grade::from_letter(letter) {
                    push_text(out, &t[copied..i]);
                    out.push(Inline::Grade {
                        grade,
                        span: at(span, i),
                    });
                    i += 3;
                    copied = i;
                    continue;
                } else if !matches!(letter, 'I' | 'V' | 'X') {
                    cx.push(
                        Diagnostic::new(
                            Code::InvalidGrade,
                            cx.path,
                            at(span, i),
                            format!("`({letter})` is not an evidence grade"),
                        )
                        .len(3)
                        .help("grades are (A), (B), (C) or (D), after the sentence they grade"),
                    );
                }
            }
        }
        i += 1;
    }
    push_text(out, &t[copied..]);
}

/// Markers and the cost flag belong at the end of a recommendation: one that
/// is followed by more text is reported and kept as text; a second marker is
/// reported.
fn settle_marks(cx: &mut Cx, inlines: &mut [Inline]) {
    // Position of the first top-level node after which everything is a mark or blank.
    let mut tail_from = inlines.len();
    for (k, i) in inlines.iter().enumerate().rev() {
        match i {
            Inline::Marker(_) | Inline::CostFlag { .. } => tail_from = k,
            other if other.is_blank() => {}
            _ => break,
        }
    }
    let mut have_marker = false;
    for (k, node) in inlines.iter_mut().enumerate() {
        if k >= tail_from {
            if let Inline::Marker(m) = node {
                if have_marker {
                    cx.push(
                        Diagnostic::new(Code::MultipleMarkers, cx.path, m.span, "this recommendation already has a Medicinrådet marker")
                            .len(m.written.len())
                            .help("keep one status per recommendation; split it if two drugs have different statuses"),
                    );
                    *node = Inline::Text(m.written.clone());
                } else {
                    have_marker = true;
                }
            }
            continue;
        }
        misplaced_marks(cx, node);
    }
}

/// Turns every mark inside `node` back into text, reporting each.
fn misplaced_marks(cx: &mut Cx, node: &mut Inline) {
    let (written, span, what) = match node {
        Inline::Marker(m) => (m.written.clone(), m.span, "a Medicinrådet marker"),
        Inline::CostFlag { written, span } => (written.clone(), *span, "the cost flag"),
        Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
            for i in c.iter_mut() {
                misplaced_marks(cx, i);
            }
            return;
        }
        _ => return,
    };
    cx.push(
        Diagnostic::new(
            Code::InvalidMarker,
            cx.path,
            span,
            format!("{what} `{written}` must come at the end of the recommendation"),
        )
        .len(written.len())
        .help("move it after the last sentence and its grade, e.g. `… (B) ●`"),
    );
    *node = Inline::Text(written);
}

/// What a recommendation's text says besides its prose: statements split at
/// each grade (plain text), the Medicinrådet marker and the cost flag.
pub fn read_recommendation(
    inlines: &[Inline],
) -> (Vec<Statement>, Option<MedicinraadetMark>, bool) {
    let mut statements: Vec<Statement> = Vec::new();
    let mut marker = None;
    let mut cost = false;
    let mut acc = String::new();
    fn walk(
        inlines: &[Inline],
        statements: &mut Vec<Statement>,
        marker: &mut Option<MedicinraadetMark>,
        cost: &mut bool,
        acc: &mut String,
    ) {
        for i in inlines {
            match i {
                Inline::Grade { grade, span } => {
                    let text = if statements.is_empty() {
                        acc.trim()
                    } else {
                        acc.trim_end()
                    };
                    statements.push(Statement {
                        text: text.to_string(),
                        grade: Some(*grade),
                        span: *span,
                    });
                    acc.clear();
                }
                Inline::Marker(m) => {
                    if marker.is_none() {
                        *marker = Some(m.clone());
                    }
                }
                Inline::CostFlag { .. } => *cost = true,
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    walk(c, statements, marker, cost, acc)
                }
                other => acc.push_str(&Inline::plain_text(std::slice::from_ref(other))),
            }
        }
    }
    walk(inlines, &mut statements, &mut marker, &mut cost, &mut acc);
    let rest = if statements.is_empty() {
        acc.trim()
    } else {
        acc.trim_end()
    };
    if !rest.trim().is_empty() {
        statements.push(Statement {
            text: rest.to_string(),
            grade: None,
            span: Span::default(),
        });
    }
    (statements, marker, cost)
}

/// Text that looks like LaTeX but is not between dollars.
fn latex_outside_math(cx: &mut Cx, t: &str, span: Span) {
    let Some((i, len)) = latex_like(t) else {
        return;
    };
    let written = &t[i..i + len];
    cx.push(
        Diagnostic::new(
            Code::LatexOutsideMath,
            cx.path,
            at(span, i),
            format!("`{written}` looks like LaTeX but is not inside `$…$`, so readers see it as written"),
        )
        .len(len)
        .help(format!("write it as inline math: `${written}$`")),
    );
}

/// The first LaTeX-like run in `t`: `^{…}`, `_{…}`, `x^2`, `β_2` or a
/// command such as `\geq`, with the word it belongs to.
pub fn latex_like(t: &str) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let hit = match c {
            b'^' | b'_' => {
                let next = b.get(i + 1).copied();
                let prev_word = i > 0 && !b[i - 1].is_ascii_whitespace();
                next == Some(b'{')
                    || (prev_word
                        && c == b'^'
                        && next.is_some_and(|n| n.is_ascii_digit() || n == b'-'))
                    || (prev_word
                        && c == b'_'
                        && next.is_some_and(|n| n.is_ascii_digit())
                        && !b[i - 1].is_ascii_alphanumeric())
            }
            b'\\' => {
                let word: String = t[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                LATEX_COMMANDS.contains(&word.as_str())
            }
            _ => false,
        };
        if hit {
            // From the start of the word to its end.
            // (The separator may be wider than a byte: U+2004 is three.)
            let start = t[..i]
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace() || c == '(')
                .map(|(s, c)| s + c.len_utf8())
                .unwrap_or(0);
            let end = t[i..]
                .find(|c: char| c.is_whitespace() || c == ')' || c == ',')
                .map(|e| i + e)
                .unwrap_or(t.len());
            let end = end.max(i + 1);
            return Some((start, end - start));
        }
    }
    None
}

const LATEX_COMMANDS: &[&str] = &[
    "geq", "leq", "ge", "le", "neq", "times", "cdot", "pm", "alpha", "beta", "gamma", "delta",
    "kappa", "lambda", "mu", "sigma", "frac", "sqrt", "approx", "sim", "infty", "lt", "gt",
];

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

fn raw_html_found(cx: &mut Cx, span: Span, html: &str) {
    let shown: String = html.trim().chars().take(40).collect();
    cx.push(
        Diagnostic::new(
            Code::RawHtml,
            cx.path,
            span,
            format!("raw HTML `{shown}` is shown as text on the page and in the PDF"),
        )
        .len(html.trim_end().len().min(80))
        .help("write it in Markdown (emphasis, lists, tables), or remove it"),
    );
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
