//! Whether two pieces of author text say the same thing to a reader. A
//! recommendation repeated in chapter 4 must say what it says in chapter 2
//! (`vejviser check`, code `RepeatedTextDiffers`), whatever its line ends,
//! spacing, spans, or the way its Medicinrådet marker and cost flag are
//! written; so the content trees are compared here, node by node, rather than
//! their Markdown.

use crate::content::whitespace::MAY_BE_SPACE;
use crate::content::Inline;
use crate::{Citation, MedicinraadetMark};

/// Inlines compared as a reader sees them: spans ignored, runs of white space
/// (including line ends) as one space, leading and trailing space dropped.
/// Markers and cost flags compare by what they say, not how they are written;
/// math by its LaTeX without white space.
///
/// Both sides are read as `Unit`s, without normalised copies of their text
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::collapse_whitespace;
    use crate::{Grade, Span};

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
