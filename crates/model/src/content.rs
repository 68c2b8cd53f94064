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

/// Inlines compared as a reader sees them: spans ignored, runs of white space
/// (including line ends) as one space, leading and trailing space dropped.
/// Markers and cost flags compare by what they say, not how they are written;
/// math by its LaTeX without white space.
///
/// Both sides are read as [`Unit`]s, without normalised copies of their text
/// (this runs on every repeated recommendation of a check).
pub fn same_text(a: &[Inline], b: &[Inline]) -> bool {
    if alike(a, b) {
        return true;
    }
    let (mut ua, mut ub) = (Vec::new(), Vec::new());
    units(a, &mut ua);
    units(b, &mut ub);
    let (mut i, mut j) = (0, 0);
    // What is left of the words being compared: a word may be split across
    // text nodes on one side and not the other, so words are compared as
    // byte streams up to the next unit that is not a word.
    let (mut wa, mut wb): (&[u8], &[u8]) = (&[], &[]);
    loop {
        if let (true, Some(Unit::Word(w))) = (wa.is_empty(), ua.get(i)) {
            wa = w.as_bytes();
            i += 1;
        }
        if let (true, Some(Unit::Word(w))) = (wb.is_empty(), ub.get(j)) {
            wb = w.as_bytes();
            j += 1;
        }
        match (wa.is_empty(), wb.is_empty()) {
            (false, false) => {
                let n = wa.len().min(wb.len());
                if wa[..n] != wb[..n] {
                    return false;
                }
                (wa, wb) = (&wa[n..], &wb[n..]);
            }
            (true, true) => match (ua.get(i), ub.get(j)) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.same(y) => (i, j) = (i + 1, j + 1),
                _ => return false,
            },
            _ => return false,
        }
    }
}

/// Whether `a` and `b` are the same nodes but for what [`same_text`] ignores
/// anyway (spans, how a marker is written): most repetitions are copied as
/// they stand, and this decides them without reading the text twice.
fn alike(a: &[Inline], b: &[Inline]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Inline::Text(x), Inline::Text(y)) => x == y,
            (Inline::SoftBreak, Inline::SoftBreak) => true,
            (Inline::Emphasis(x), Inline::Emphasis(y))
            | (Inline::Strong(x), Inline::Strong(y))
            | (Inline::Strikethrough(x), Inline::Strikethrough(y)) => alike(x, y),
            (
                Inline::Link {
                    url,
                    title,
                    content,
                },
                Inline::Link {
                    url: u,
                    title: t,
                    content: c,
                },
            ) => url == u && title == t && alike(content, c),
            (
                Inline::Text(_)
                | Inline::SoftBreak
                | Inline::Emphasis(_)
                | Inline::Strong(_)
                | Inline::Strikethrough(_)
                | Inline::Link { .. },
                _,
            ) => false,
            _ => same_node(x, y),
        })
}

/// One step of inlines as [`same_text`] sees them: a piece of a word (no
/// white space; pieces next to each other form one word), one space, the start
/// or end of emphasis, strong, strikethrough or a link, or any other node.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Word(&'a str),
    Space,
    Open(&'a Inline),
    Close,
    Node(&'a Inline),
}

impl Unit<'_> {
    /// Two units other than words.
    fn same(&self, other: &Unit) -> bool {
        match (self, other) {
            (Unit::Space, Unit::Space) | (Unit::Close, Unit::Close) => true,
            (Unit::Open(a), Unit::Open(b)) => match (a, b) {
                (Inline::Emphasis(_), Inline::Emphasis(_))
                | (Inline::Strong(_), Inline::Strong(_))
                | (Inline::Strikethrough(_), Inline::Strikethrough(_)) => true,
                (
                    Inline::Link { url, title, .. },
                    Inline::Link {
                        url: u, title: t, ..
                    },
                ) => url == u && title == t,
                _ => false,
            },
            (Unit::Node(a), Unit::Node(b)) => same_node(a, b),
            _ => false,
        }
    }
}

/// Two nodes, spans ignored; text, breaks and containers are compared by the
/// callers.
fn same_node(a: &Inline, b: &Inline) -> bool {
    match (a, b) {
        (Inline::Grade { grade: x, .. }, Inline::Grade { grade: y, .. }) => x == y,
        (Inline::Citation(x), Inline::Citation(y)) => {
            // Every field but the span (a new field must be added here).
            let Citation {
                references,
                level,
                invalid_level,
                written,
                span: _,
            } = x;
            *references == y.references
                && *level == y.level
                && *invalid_level == y.invalid_level
                && *written == y.written
        }
        (Inline::Marker(x), Inline::Marker(y)) => {
            // What the marker says, not how it is written.
            let MedicinraadetMark {
                status,
                form,
                written: _,
                span: _,
            } = x;
            *status == y.status && *form == y.form
        }
        (Inline::CostFlag { .. }, Inline::CostFlag { .. }) => true,
        (Inline::Math { latex: x, .. }, Inline::Math { latex: y, .. }) => {
            let x = x.chars().filter(|c| !c.is_whitespace());
            x.eq(y.chars().filter(|c| !c.is_whitespace()))
        }
        _ => a == b,
    }
}

/// The [`Unit`]s of `inlines` in order. Text and line ends run together; each
/// run of white space in them is one space, dropped at the start and end of
/// the sequence (each container's content is a sequence of its own).
fn units<'a>(inlines: &'a [Inline], out: &mut Vec<Unit<'a>>) {
    // Whether anything came before in this sequence, and whether a space is
    // due before what comes next (unless that is the sequence's end).
    let (mut any, mut space) = (false, false);
    let push = |u: Unit<'a>, any: &mut bool, space: &mut bool, out: &mut Vec<Unit<'a>>| {
        if *space && *any {
            out.push(Unit::Space);
        }
        (*space, *any) = (false, true);
        out.push(u);
    };
    for i in inlines {
        let (unit, inner) = match i {
            Inline::SoftBreak => {
                space = true;
                continue;
            }
            Inline::Text(t) => {
                let b = t.as_bytes();
                let (mut start, mut k) = (0, 0);
                while k < b.len() {
                    // The length of the white space character at `k`, if it is one.
                    let white = match b[k] {
                        b' ' | 0x09..=0x0d => 1,
                        c if MAY_BE_SPACE[c as usize] => t[k..]
                            .chars()
                            .next()
                            .filter(|c| c.is_whitespace())
                            .map_or(0, char::len_utf8),
                        _ => 0,
                    };
                    if white == 0 {
                        k += 1;
                        continue;
                    }
                    if start < k {
                        push(Unit::Word(&t[start..k]), &mut any, &mut space, out);
                    }
                    space = true;
                    k += white;
                    start = k;
                }
                if start < b.len() {
                    push(Unit::Word(&t[start..]), &mut any, &mut space, out);
                }
                continue;
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                (Unit::Open(i), Some(c))
            }
            Inline::Link { content, .. } => (Unit::Open(i), Some(content)),
            other => (Unit::Node(other), None),
        };
        push(unit, &mut any, &mut space, out);
        if let Some(inner) = inner {
            units(inner, out);
            out.push(Unit::Close);
        }
    }
}

/// `s` with every run of whitespace (Unicode's, as [`str::split_whitespace`]
/// sees it) made one space and the ends trimmed: how texts are compared
/// whatever their line breaks. One allocation (this runs on every
/// recommendation, reference and heading of a check).
pub fn collapse_whitespace(s: &str) -> String {
    collapsed(s).into_owned()
}

/// [`collapse_whitespace`] without a copy when `s` is collapsed already (most
/// references and recommendations are).
pub fn collapsed(s: &str) -> std::borrow::Cow<'_, str> {
    // The ends never count, so a text with a space at either end (as one
    // between two inlines has) is often collapsed inside.
    let s = s.trim();
    if is_collapsed(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `s` has no whitespace but single spaces between words.
fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') || s.contains("  ") {
        return false;
    }
    // Other white space starts with a byte of MAY_BE_SPACE but the space.
    // Eight bytes at a time, a few word operations find the rare blocks that
    // may hold one (this runs on every reference and recommendation).
    let fine = |from: usize, block: &[u8]| {
        block.iter().enumerate().all(|(j, &c)| {
            c == b' '
                || !MAY_BE_SPACE[c as usize]
                || (c >= 0x80 && !s[from + j..].starts_with(char::is_whitespace))
        })
    };
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let blocks = b.chunks_exact(8);
    let rest = blocks.remainder();
    for (k, block) in blocks.enumerate() {
        let x = u64::from_le_bytes(block.try_into().unwrap_or_default());
        // A byte below 0x0e, 0xc2, or 0xe0–0xe3 (a superset of what counts).
        let may = x.wrapping_sub(0x0e * ONES) & !x & HIGH != 0
            || has_zero(x ^ (0xc2 * ONES))
            || has_zero((x & (0xfc * ONES)) ^ (0xe0 * ONES));
        if may && !fine(8 * k, block) {
            return false;
        }
    }
    fine(b.len() - rest.len(), rest)
}

/// The space and the other ASCII whitespace (tab, line feed, vertical tab,
/// form feed, carriage return), and the lead bytes of the other whitespace
/// characters (U+0085 and U+00A0, U+1680, U+2000–U+205F, U+3000), which are
/// never continuation bytes.
static MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x09;
    while c <= 0x0d {
        t[c] = true;
        c += 1;
    }
    t[0x20] = true;
    t[0xc2] = true;
    t[0xe1] = true;
    t[0xe2] = true;
    t[0xe3] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_is_split_whitespace_joined() {
        for s in [
            "",
            "   ",
            "a",
            "  a  b\t\nc  ",
            "ét\u{a0}\u{a0}to\u{2004}tre\r\n",
            "\u{3000}x",
            "x ",
            " ",
            "a b",
            "sider 12–19. Oslo\u{2009}2024",
            "Ærø ål",
            "a  b",
            "a \u{a0}b",
            "a\u{a0}",
            "ab c d ≤ e° f",
            "x\u{3000}",
            "\u{85}",
        ] {
            assert_eq!(
                collapse_whitespace(s),
                s.split_whitespace().collect::<Vec<_>>().join(" "),
                "{s:?}"
            );
            assert_eq!(is_collapsed(s), collapse_whitespace(s) == s, "{s:?}");
        }
        for c in '\0'..='\u{3100}' {
            // In every place of an eight-byte block, and with a double space.
            let pad = "abcdefgh ijklmnopq";
            let at_every_place = (0..=pad.len()).map(|n| format!("{}{c}{}", &pad[..n], &pad[n..]));
            for s in [
                format!("a{c}b"),
                format!("a {c}b"),
                format!("{c}"),
                format!("ab{c}"),
                format!("abcdefgh{c}  x"),
            ]
            .into_iter()
            .chain(at_every_place)
            {
                let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(is_collapsed(&s), want == s, "{s:?}");
                assert_eq!(collapsed(&s), want, "{s:?}");
            }
        }
    }

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

    #[test]
    fn same_text_ignores_line_ends_and_spans() {
        let a = vec![
            Inline::Text("Giv  X".into()),
            Inline::SoftBreak,
            Inline::Text("nu".into()),
        ];
        let b = vec![Inline::Text("Giv X nu".into())];
        assert!(same_text(&a, &b));
        let c = vec![Inline::Text("Giv X nu!".into())];
        assert!(!same_text(&a, &c));
    }

    /// The comparison as first written: both sides normalised into new trees.
    fn normalised(inlines: &[Inline]) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for i in inlines {
            let n = match i {
                Inline::SoftBreak => Inline::Text(" ".into()),
                Inline::Text(t) => Inline::Text(t.clone()),
                Inline::Emphasis(c) => Inline::Emphasis(normalised(c)),
                Inline::Strong(c) => Inline::Strong(normalised(c)),
                Inline::Strikethrough(c) => Inline::Strikethrough(normalised(c)),
                Inline::Link {
                    url,
                    title,
                    content,
                } => Inline::Link {
                    url: url.clone(),
                    title: title.clone(),
                    content: normalised(content),
                },
                Inline::Grade { grade, .. } => Inline::Grade {
                    grade: *grade,
                    span: Span::default(),
                },
                Inline::Citation(c) => Inline::Citation(Citation {
                    span: Span::default(),
                    ..c.clone()
                }),
                Inline::Marker(m) => Inline::Marker(MedicinraadetMark {
                    span: Span::default(),
                    written: String::new(),
                    ..m.clone()
                }),
                Inline::CostFlag { .. } => Inline::CostFlag {
                    written: String::new(),
                    span: Span::default(),
                },
                Inline::Math { latex, .. } => Inline::Math {
                    latex: latex.split_whitespace().collect(),
                    span: Span::default(),
                },
                other => other.clone(),
            };
            match (out.last_mut(), n) {
                (Some(Inline::Text(prev)), Inline::Text(t)) => prev.push_str(&t),
                (_, n) => out.push(n),
            }
        }
        for i in out.iter_mut() {
            if let Inline::Text(t) = i {
                let ends = (
                    t.starts_with(char::is_whitespace),
                    t.ends_with(char::is_whitespace),
                );
                let mut s = collapse_whitespace(t);
                if ends.0 && !s.is_empty() {
                    s.insert(0, ' ');
                }
                if ends.1 && !s.is_empty() && !s.ends_with(' ') {
                    s.push(' ');
                }
                if s.is_empty() && !t.is_empty() {
                    s.push(' ');
                }
                *t = s;
            }
        }
        if let Some(Inline::Text(t)) = out.first_mut() {
            *t = t.trim_start().to_string();
        }
        if let Some(Inline::Text(t)) = out.last_mut() {
            *t = t.trim_end().to_string();
        }
        out.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        out
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    /// Random inlines from few parts, so that many pairs say the same thing
    /// in different ways (white space, line ends, spans, how a marker is written).
    fn random_inlines(rng: &mut Rng, depth: usize) -> Vec<Inline> {
        const TEXTS: &[&str] = &["", " ", "a", "a b", "  a\n", "b ", "\u{a0}", " b\ta", "ab"];
        let span = |rng: &mut Rng| Span::new(rng.below(3) as u32 + 1, 1);
        (0..rng.below(5))
            .map(|_| match rng.below(if depth > 1 { 9 } else { 11 }) {
                0..=2 => Inline::Text(TEXTS[rng.below(TEXTS.len())].into()),
                3 => Inline::SoftBreak,
                4 => Inline::LineBreak,
                5 => Inline::Grade {
                    grade: [Grade::A, Grade::B][rng.below(2)],
                    span: span(rng),
                },
                6 => Inline::Marker(MedicinraadetMark {
                    status: [
                        crate::MedicinraadetStatus::Recommended,
                        crate::MedicinraadetStatus::NotAssessed,
                    ][rng.below(2)],
                    form: crate::MarkerForm::Symbol,
                    written: ["●●", "● ●"][rng.below(2)].into(),
                    span: span(rng),
                }),
                7 => Inline::Math {
                    latex: ["x \\geq 2", "x\\geq2", "x\\geq 3"][rng.below(3)].into(),
                    span: span(rng),
                },
                8 => [
                    Inline::CostFlag {
                        written: "[merudgift]".into(),
                        span: span(rng),
                    },
                    Inline::Code("a  b".into()),
                    Inline::Citation(Citation {
                        references: vec![1],
                        level: None,
                        invalid_level: None,
                        written: "(1)".into(),
                        span: span(rng),
                    }),
                ][rng.below(3)]
                .clone(),
                9 => Inline::Emphasis(random_inlines(rng, depth + 1)),
                _ => Inline::Link {
                    url: "https://x".into(),
                    title: String::new(),
                    content: random_inlines(rng, depth + 1),
                },
            })
            .collect()
    }

    /// `inlines` with other spans and markers written otherwise.
    fn respan(inlines: &[Inline], rng: &mut Rng) -> Vec<Inline> {
        let span = Span::new(rng.below(3) as u32 + 4, 2);
        inlines
            .iter()
            .map(|i| match i {
                Inline::Emphasis(c) => Inline::Emphasis(respan(c, rng)),
                Inline::Link {
                    url,
                    title,
                    content,
                } => Inline::Link {
                    url: url.clone(),
                    title: title.clone(),
                    content: respan(content, rng),
                },
                Inline::Grade { grade, .. } => Inline::Grade {
                    grade: *grade,
                    span,
                },
                Inline::Marker(m) => Inline::Marker(MedicinraadetMark {
                    written: "[Medicinrådet: x]".into(),
                    span,
                    ..m.clone()
                }),
                Inline::Math { latex, .. } => Inline::Math {
                    latex: latex.clone(),
                    span,
                },
                Inline::CostFlag { .. } => Inline::CostFlag {
                    written: "[x]".into(),
                    span,
                },
                Inline::Citation(c) => Inline::Citation(Citation { span, ..c.clone() }),
                other => other.clone(),
            })
            .collect()
    }

    #[test]
    fn same_text_is_equality_of_the_normalised_trees() {
        let mut rng = Rng(7);
        let (mut same, mut differ) = (0, 0);
        for _ in 0..200_000 {
            let a = random_inlines(&mut rng, 0);
            let b = random_inlines(&mut rng, 0);
            let want = normalised(&a) == normalised(&b);
            assert_eq!(same_text(&a, &b), want, "{a:?}\n{b:?}");
            assert!(same_text(&a, &a));
            let moved = respan(&a, &mut rng);
            assert!(same_text(&a, &moved), "{a:?}\n{moved:?}");
            assert_eq!(normalised(&a), normalised(&moved));
            if want {
                same += 1;
            } else {
                differ += 1;
            }
        }
        assert!(same > 10_000 && differ > 10_000, "{same} {differ}");
    }
}
