//! The template's inline conventions, read in text nodes only: grades and the
//! Medicinrådet markers and cost flag in a recommendation, citations in evidence
//! prose, and where they may not stand.

use super::*;

/// A text node: plain text, with what `mode` recognises cut out as nodes.
pub(super) fn text(cx: &mut Cx, t: &str, span: Span, mode: Mode, out: &mut Vec<Inline>) {
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
pub(super) fn citations(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
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
pub(super) fn recommendation_text(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
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
pub(super) fn grades(cx: &mut Cx, t: &str, span: Span, out: &mut Vec<Inline>) {
    let b = t.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i + 2 < b.len() {
        // Only a `(` can start a grade: memchr skips the words between.
        match memchr::memchr(b'(', &b[i..b.len() - 2]) {
            Some(n) => i += n,
            None => break,
        }
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
pub(super) fn settle_marks(cx: &mut Cx, inlines: &mut [Inline]) {
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
pub(super) fn misplaced_marks(cx: &mut Cx, node: &mut Inline) {
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
