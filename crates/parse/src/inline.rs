//! The lexical pieces of the template's inline conventions, read from one
//! text node at a time by [`crate::content`]: Medicinrådet markers
//! `●`/`●●`/`[Medicinrådet: …]`, the cost flag `[merudgift]`, and a
//! citation's reference numbers `(3, 4–6)`.

use vejviser_model::{MarkerForm, MedicinraadetStatus};

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

/// Parses `3, 4–6)`: reference numbers (ranges expanded) and the length up to `)`.
/// How far apart the two ends of a citation range may be.
pub const MAX_RANGE: u32 = 100;

/// `1–150)`: a range of citation numbers (one to three digits each) longer
/// than [`MAX_RANGE`], with its length up to the `)`.
pub fn long_range(s: &str) -> Option<(u32, u32, usize)> {
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

/// `(b)` where a grade belongs: a grade letter a–d in parentheses (at `i`)
/// that ends a sentence (end of text, punctuation, or a space before a
/// capital, a marker or a bracket), unlike an enumeration `(a) kemoterapi, (b) …`.
/// Returns the letter.
pub fn lowercase_grade(text: &str, i: usize) -> Option<char> {
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
    ends_sentence.then_some(letter)
}

/// Whether a recommendation's text holds a grade written in lower case (the
/// parser reports it as VV0303 at its place; the checker then does not add
/// "no evidence grade" for the same mistake).
pub fn has_lowercase_grade(text: &str) -> bool {
    let b = text.as_bytes();
    text.match_indices('(')
        .any(|(i, _)| b.get(i + 2) == Some(&b')') && lowercase_grade(text, i).is_some())
}

pub fn citation_numbers(s: &str) -> Option<(Vec<u32>, usize)> {
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
