//! Scanning recommendation and evidence text for what the template's inline
//! conventions mean: grades `(A)`, Medicinrådet markers `●`/`●●`/`[Medicinrådet: …]`,
//! the cost flag `[merudgift]`, and citations `(3, 4) [1b]`.

use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{
    Citation, EvidenceLevel, Grade, MarkerForm, MedicinraadetMark, MedicinraadetStatus, Statement,
};

use crate::lines::LineIndex;

/// Where a piece of text sits in the body, for spans.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub idx: &'a LineIndex,
    /// Byte offset of the text in the body.
    pub base: usize,
    pub path: &'a str,
}

impl At<'_> {
    fn span(&self, i: usize) -> vejviser_model::Span {
        self.idx.span(self.base + i)
    }
}

/// A Medicinrådet marker or cost flag found in text.
#[derive(Debug, Clone)]
pub enum MarkKind {
    Status(Option<MedicinraadetStatus>, MarkerForm),
    ExtraCost,
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub kind: MarkKind,
    pub start: usize,
    pub end: usize,
}

const DOT: char = '●';

fn starts_with_ci(hay: &str, needle: &str) -> bool {
    hay.len() >= needle.len()
        && hay.as_bytes()[..needle.len()].eq_ignore_ascii_case(needle.as_bytes())
}

/// Every marker and cost flag in `text`, in order.
pub fn find_marks(text: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        // Only `[` and the first byte of `●` (E2 97 8F) can start a mark.
        match memchr::memchr2(b'[', 0xE2, &text.as_bytes()[i..]) {
            Some(n) => i += n,
            None => break,
        }
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == DOT {
            let run = rest.chars().take_while(|&c| c == DOT).count();
            let status = match run {
                1 => Some(MedicinraadetStatus::Recommended),
                2 => Some(MedicinraadetStatus::NotRecommended),
                _ => None,
            };
            let end = i + run * DOT.len_utf8();
            out.push(Mark {
                kind: MarkKind::Status(status, MarkerForm::Symbol),
                start: i,
                end,
            });
            i = end;
            continue;
        }
        if c == '[' {
            if starts_with_ci(rest, "[medicinr") {
                if let Some(close) = rest.find(']').filter(|&n| n < 80) {
                    let inner = &rest[1..close];
                    let status = inner.split_once(':').and_then(|(_, s)| explicit_status(s));
                    out.push(Mark {
                        kind: MarkKind::Status(status, MarkerForm::Explicit),
                        start: i,
                        end: i + close + 1,
                    });
                    i += close + 1;
                    continue;
                }
            }
            if starts_with_ci(rest, "[merudgift]") || starts_with_ci(rest, "[extra cost]") {
                let end = i + rest.find(']').unwrap_or(0) + 1;
                out.push(Mark {
                    kind: MarkKind::ExtraCost,
                    start: i,
                    end,
                });
                i = end;
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

fn explicit_status(s: &str) -> Option<MedicinraadetStatus> {
    let s: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    Some(match s.as_str() {
        "anbefalet" | "recommended" => MedicinraadetStatus::Recommended,
        "ikke anbefalet" | "not recommended" => MedicinraadetStatus::NotRecommended,
        "ikke vurderet" | "not assessed" | "not yet assessed" | "endnu ikke vurderet" => {
            MedicinraadetStatus::NotAssessed
        }
        _ => return None,
    })
}

/// What a recommendation's text says besides its prose.
#[derive(Debug, Default)]
pub struct ScannedRecommendation {
    pub statements: Vec<Statement>,
    pub medicinraadet: Option<MedicinraadetMark>,
    pub extra_cost: bool,
}

/// Reads grades, markers and the cost flag from a recommendation's text.
pub fn scan_recommendation(
    text: &str,
    at: At,
    diags: &mut Vec<Diagnostic>,
) -> ScannedRecommendation {
    let mut out = ScannedRecommendation::default();
    let marks = find_marks(text);
    // Markers and flags belong at the end: the prose ends where the trailing run of marks begins.
    let mut prose_end = text.trim_end().len();
    for m in marks.iter().rev() {
        if text[m.end..prose_end].trim().is_empty() {
            prose_end = m.start;
        } else {
            break;
        }
    }
    for m in &marks {
        let written = &text[m.start..m.end];
        let span = at.span(m.start);
        if m.start < prose_end {
            let what = if matches!(m.kind, MarkKind::ExtraCost) {
                "the cost flag"
            } else {
                "a Medicinrådet marker"
            };
            diags.push(
                Diagnostic::new(
                    Code::InvalidMarker,
                    at.path,
                    span,
                    format!("{what} `{written}` must come at the end of the recommendation"),
                )
                .len(written.len())
                .help("move it after the last sentence and its grade, e.g. `… (B) ●`"),
            );
            continue;
        }
        match m.kind {
            MarkKind::ExtraCost => out.extra_cost = true,
            MarkKind::Status(None, _) => diags.push(
                Diagnostic::new(Code::InvalidMarker, at.path, span, format!("`{written}` is not a Medicinrådet status"))
                    .len(written.len())
                    .help("use `●` (recommended), `●●` (not recommended) or `[Medicinrådet: anbefalet | ikke anbefalet | ikke vurderet]`"),
            ),
            MarkKind::Status(Some(status), form) => {
                if out.medicinraadet.is_some() {
                    diags.push(
                        Diagnostic::new(Code::MultipleMarkers, at.path, span, "this recommendation already has a Medicinrådet marker")
                            .len(written.len())
                            .help("keep one status per recommendation; split it if two drugs have different statuses"),
                    );
                } else {
                    out.medicinraadet = Some(MedicinraadetMark { status, form, written: written.to_string(), span });
                }
            }
        }
    }
    out.statements = scan_grades(&text[..prose_end], at, diags);
    out
}

/// Splits prose into statements at each grade `(A)`…`(D)`.
fn scan_grades(text: &str, at: At, diags: &mut Vec<Diagnostic>) -> Vec<Statement> {
    let b = text.as_bytes();
    let mut statements = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i + 2 < b.len() {
        if b[i] == b'(' && b[i + 1].is_ascii_lowercase() && b[i + 2] == b')' {
            if let Some(d) = lowercase_grade(text, i, at) {
                diags.push(d);
            }
        }
        if b[i] == b'(' && b[i + 1].is_ascii_uppercase() && b[i + 2] == b')' {
            let after = b.get(i + 3).copied();
            let ends_sentence = matches!(
                after,
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'.' | b',' | b';' | b':' | b'!' | b'?')
            );
            let letter = b[i + 1] as char;
            if ends_sentence {
                if let Some(grade) = Grade::from_letter(letter) {
                    let piece = &text[from..i];
                    let piece = if statements.is_empty() {
                        piece.trim()
                    } else {
                        piece.trim_end()
                    };
                    statements.push(Statement {
                        text: piece.to_string(),
                        grade: Some(grade),
                        span: at.span(i),
                    });
                    from = i + 3;
                    i += 3;
                    continue;
                } else if !matches!(letter, 'I' | 'V' | 'X') {
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidGrade,
                            at.path,
                            at.span(i),
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
    let rest = &text[from..];
    if rest.chars().any(|c| c.is_alphanumeric()) {
        let piece = if statements.is_empty() {
            rest.trim()
        } else {
            rest.trim_end()
        };
        statements.push(Statement {
            text: piece.to_string(),
            grade: None,
            span: at.span(from + (rest.len() - rest.trim_start().len())),
        });
    } else if !rest.trim().is_empty() {
        // Trailing punctuation after the last grade (`… (A).`) is kept, ungraded.
        statements.push(Statement {
            text: rest.trim().to_string(),
            grade: None,
            span: at.span(from),
        });
    }
    statements
}

/// `(b)` where a grade belongs: a grade letter a–d in parentheses that ends
/// a sentence (end of text, punctuation, or a space before a capital, a
/// marker or a bracket), unlike an enumeration `(a) kemoterapi, (b) …`.
fn lowercase_grade(text: &str, i: usize, at: At) -> Option<Diagnostic> {
    let letter = text.as_bytes()[i + 1] as char;
    if !matches!(letter, 'a'..='d') {
        return None;
    }
    let rest = &text[i + 3..];
    let ends_sentence = match rest.chars().next() {
        None => true,
        Some('.' | ',' | ';' | ':' | '!' | '?') => true,
        Some(c) if c.is_whitespace() => rest
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| c.is_uppercase() || matches!(c, '●' | '[')),
        _ => false,
    };
    let upper = letter.to_ascii_uppercase();
    ends_sentence.then(|| {
        Diagnostic::new(
            Code::InvalidGrade,
            at.path,
            at.span(i),
            format!("`({letter})` is not an evidence grade"),
        )
        .len(3)
        .help(format!(
            "did you mean `({upper})`? grades are the capital letters (A), (B), (C) or (D)"
        ))
    })
}

/// Every citation `(1)`, `(3, 4) [1b]`, `(8–10)[2a]` in evidence prose.
/// A range too long to expand (`(1–150)`) is an error at its place, not
/// prose: it is written like a citation and would otherwise vanish silently.
pub fn scan_citations(text: &str, at: At, diags: &mut Vec<Diagnostic>) -> Vec<Citation> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(n) = memchr::memchr(b'(', &b[i..]) {
        i += n;
        match citation_numbers(&text[i + 1..]) {
            Some((refs, len)) => {
                let mut end = i + 1 + len + 1;
                let mut level = None;
                let mut invalid_level = None;
                let ws = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
                if text[end + ws..].starts_with('[') {
                    if let Some(close) = text[end + ws..].find(']').filter(|&c| c <= 8) {
                        let inner = text[end + ws + 1..end + ws + close].trim();
                        match EvidenceLevel::parse(inner) {
                            Some(l) => level = Some(l),
                            None => invalid_level = Some(inner.to_string()),
                        }
                        end += ws + close + 1;
                    }
                }
                out.push(Citation {
                    references: refs,
                    level,
                    invalid_level,
                    span: at.span(i),
                });
                i = end;
            }
            None => {
                if let Some((a, b, len)) = long_range(&text[i + 1..]) {
                    diags.push(
                        Diagnostic::new(
                            Code::UnresolvedCitation,
                            at.path,
                            at.span(i),
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
                i += 1
            }
        }
    }
    out
}

/// How far apart the two ends of a citation range may be.
const MAX_RANGE: u32 = 100;

/// `1–150)`: a range of citation numbers (one to three digits each) longer
/// than [`MAX_RANGE`], with its length up to the `)`.
fn long_range(s: &str) -> Option<(u32, u32, usize)> {
    let close = s.find(')').filter(|&c| c <= 20)?;
    let (a, b) = s[..close].split_once(['–', '-', '—'])?;
    let num = |t: &str| -> Option<u32> {
        let t = t.trim();
        (!t.is_empty() && t.len() <= 3 && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (a, b) = (num(a)?, num(b)?);
    (a > 0 && b > a && b - a > MAX_RANGE).then_some((a, b, close))
}

/// Parses `3, 4–6)`: reference numbers (ranges expanded) and the length up to `)`.
fn citation_numbers(s: &str) -> Option<(Vec<u32>, usize)> {
    let close = s.find(')')?;
    if close == 0 || close > 200 {
        return None;
    }
    let inner = &s[..close];
    let mut refs = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once(['–', '-', '—']) {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (part, None),
        };
        let num = |t: &str| -> Option<u32> {
            if t.is_empty() || t.len() > 3 || !t.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            t.parse().ok().filter(|&n| n > 0)
        };
        let a = num(a)?;
        match b {
            None => refs.push(a),
            Some(b) => {
                let b = num(b)?;
                if b < a || b - a > MAX_RANGE {
                    return None;
                }
                refs.extend(a..=b);
            }
        }
    }
    Some((refs, close))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> (ScannedRecommendation, Vec<Diagnostic>) {
        let idx = LineIndex::new(text, 0);
        let mut d = Vec::new();
        let s = scan_recommendation(
            text,
            At {
                idx: &idx,
                base: 0,
                path: "t.md",
            },
            &mut d,
        );
        (s, d)
    }

    #[test]
    fn grades_spaced_and_glued() {
        let (s, d) = scan("Giv melphalan 200 mg/m²(A). Ved nyresvigt 140 mg/m² (C)");
        assert!(d.is_empty());
        assert_eq!(s.statements.len(), 2);
        assert_eq!(s.statements[0].text, "Giv melphalan 200 mg/m²");
        assert_eq!(s.statements[0].grade, Some(Grade::A));
        assert_eq!(s.statements[1].text, ". Ved nyresvigt 140 mg/m²");
        assert_eq!(s.statements[1].grade, Some(Grade::C));
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
        let (s, d) = scan("Tilbyd lenalidomid (B) ●●");
        assert!(d.is_empty());
        assert_eq!(
            s.medicinraadet.unwrap().status,
            MedicinraadetStatus::NotRecommended
        );
        let (s, d) = scan("Tilbyd X (B) [Medicinrådet: ikke vurderet] [merudgift]");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            s.medicinraadet.unwrap().status,
            MedicinraadetStatus::NotAssessed
        );
        assert!(s.extra_cost);
        let (s, _) = scan("Offer X (B) [medicinrådet: Recommended]");
        assert_eq!(s.medicinraadet.unwrap().form, MarkerForm::Explicit);
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
        let (s, d) = scan("Tilbyd X (E)");
        assert_eq!(d[0].code, Code::InvalidGrade);
        assert!(s.statements.iter().all(|s| s.grade.is_none()));
        let (s, d) = scan("Tilbyd X");
        assert!(d.is_empty());
        assert_eq!(s.statements[0].grade, None);
        let (s, _) = scan("Tilbyd X (A).");
        assert_eq!(s.statements.len(), 2);
        assert_eq!(s.statements[0].text, "Tilbyd X");
        assert_eq!(
            (s.statements[1].text.as_str(), s.statements[1].grade),
            (".", None)
        );
    }

    #[test]
    fn a_citation_range_too_long_to_expand_is_an_error() {
        let text = "Studier (1–150) og (1–100, 101–150) [1b].";
        let idx = LineIndex::new(text, 0);
        let mut d = Vec::new();
        let at = At {
            idx: &idx,
            base: 0,
            path: "t",
        };
        let c = scan_citations(text, at, &mut d);
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
        let idx = LineIndex::new(text, 0);
        let mut d = Vec::new();
        let c = scan_citations(
            text,
            At {
                idx: &idx,
                base: 0,
                path: "t",
            },
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        let refs: Vec<Vec<u32>> = c.iter().map(|c| c.references.clone()).collect();
        assert_eq!(refs, vec![vec![1], vec![3, 4], vec![8, 9, 10], vec![7]]);
        assert_eq!(c[1].level.unwrap().to_string(), "1b");
        assert_eq!(c[2].level.unwrap().to_string(), "2a");
        assert_eq!(c[3].invalid_level.as_deref(), Some("9z"));
    }
}
