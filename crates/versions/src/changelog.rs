//! The changelog check: chapter 1 should name every recommendation that was
//! added, removed or changed, and only those.
//!
//! A row names recommendations with the word "anbefaling" (any inflection:
//! anbefalinger, anbefalingerne …) or "recommendation(s)" followed by numbers,
//! lists and ranges: "Anbefaling 4", "anbefalingerne 2, 3 og 5",
//! "Recommendations 6–8". New and changed recommendations are named by their
//! new number, removed ones by their number in the previous version.

use crate::diff::{describe, Change, Diff};
use vejviser_diagnostics::versions::{self as wording, Missed};
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{ChangelogRow, ChapterRole, Guideline, Span};

/// The recommendation numbers a changelog row names (all three cells).
pub fn named_numbers(row: &ChangelogRow) -> Vec<u32> {
    let mut out = Vec::new();
    for cell in [&row.chapter, &row.section, &row.description] {
        numbers_in(cell, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn numbers_in(text: &str, out: &mut Vec<u32>) {
    if !may_name(text) {
        return;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let mut k = 0;
    while k < words.len() {
        let w = words[k].trim_matches(|c: char| !c.is_alphanumeric());
        k += 1;
        if !(w.starts_with("anbefaling") || w.starts_with("recommendation")) {
            continue;
        }
        // Numbers, ranges and the words joining them, up to anything else.
        while k < words.len() {
            let t = words[k].trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '«' | '»'));
            if matches!(
                t,
                "og" | "and" | "&" | "samt" | "or" | "eller" | "nr" | "no" | "–" | "-"
            ) {
                k += 1;
                continue;
            }
            let mut any = false;
            let range: Vec<&str> = t.split(['–', '-']).collect();
            match range.as_slice() {
                [n] => {
                    if let Ok(n) = n.parse::<u32>() {
                        out.push(n);
                        any = true;
                    }
                }
                [a, b] => {
                    if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                        if a <= b && b - a <= 200 {
                            out.extend(a..=b);
                            any = true;
                        }
                    }
                }
                _ => {}
            }
            if !any {
                break;
            }
            k += 1;
        }
    }
}

/// Whether `text` lower-cased could hold "anbefaling" or "recommendation"
/// (most descriptions do not, and need not be lower-cased and split). Only
/// ASCII letters lower-case to those letters but for the Kelvin sign (to k,
/// in neither word) and İ (to i and a combining dot, which breaks the word).
fn may_name(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| match b[i] | 0x20 {
        b'a' => b[i..].len() >= 10 && b[i..i + 10].eq_ignore_ascii_case(b"anbefaling"),
        b'r' => b[i..].len() >= 14 && b[i..i + 14].eq_ignore_ascii_case(b"recommendation"),
        _ => false,
    })
}

/// Numbers of the changes a changelog does not mention: new and changed
/// recommendations by their new number, removed ones by their old number.
pub fn unmentioned(diff: &Diff, rows: &[ChangelogRow]) -> Vec<u32> {
    let named: Vec<u32> = rows.iter().flat_map(named_numbers).collect();
    diff.recommendations
        .iter()
        .filter_map(|r| match r.change {
            Change::Unchanged => None,
            Change::Removed => r.old_number,
            Change::Added | Change::Changed => r.new_number,
        })
        .filter(|n| !named.contains(n))
        .collect()
}

/// The changelog check's findings for `new` against `old`.
pub fn check(old: &Guideline, new: &Guideline, diff: &Diff) -> Vec<Diagnostic> {
    let lang = new.front.language;
    let per_row: Vec<Vec<u32>> = new.changelog.iter().map(named_numbers).collect();
    let named: Vec<u32> = per_row.iter().flatten().copied().collect();
    let mut out = Vec::new();
    // A removed recommendation has no line of its own: point at the changelog.
    let changelog_at = new
        .changelog
        .first()
        .map(|r| r.span)
        .or_else(|| new.chapter(ChapterRole::Changelog).map(|c| c.span))
        .unwrap_or(Span::new(1, 1));
    for r in &diff.recommendations {
        let (number, span, details) = match r.change {
            Change::Unchanged => continue,
            Change::Added => {
                let b = &new.recommendations[r.new.unwrap_or(0)];
                (b.number, b.span, None)
            }
            Change::Removed => {
                let a = &old.recommendations[r.old.unwrap_or(0)];
                (a.number, changelog_at, None)
            }
            Change::Changed => {
                let (a, b) = (
                    &old.recommendations[r.old.unwrap_or(0)],
                    &new.recommendations[r.new.unwrap_or(0)],
                );
                let details: Vec<String> =
                    r.fields.iter().map(|f| describe(*f, a, b, lang)).collect();
                let was = (a.number != b.number).then_some(a.number);
                (b.number, b.span, Some((was, details.join("; "))))
            }
        };
        if named.contains(&number) {
            continue;
        }
        let old_version = old.front.version.to_string();
        let what = match (&r.change, &details) {
            (Change::Added, _) => Missed::Added(number),
            (Change::Removed, _) => Missed::Removed(number, &old_version),
            (_, Some((was, details))) => {
                Missed::Changed(number, was.map(|o| (o, old_version.as_str())), details)
            }
            (_, None) => continue,
        };
        let (message, help) = wording::changelog_misses(lang, what);
        out.push(Diagnostic::new(Code::ChangelogMissesChange, &new.path, span, message).help(help));
    }
    // A row naming a number that is neither a change (new number) nor a removal (old number).
    let changed: Vec<u32> = diff
        .recommendations
        .iter()
        .filter_map(|r| match r.change {
            Change::Unchanged => None,
            Change::Removed => r.old_number,
            _ => r.new_number,
        })
        .collect();
    for (row, numbers) in new.changelog.iter().zip(&per_row) {
        for &n in numbers {
            let Some(r) = diff
                .recommendations
                .iter()
                .find(|r| r.change == Change::Unchanged && r.new_number == Some(n))
            else {
                continue;
            };
            if changed.contains(&n) {
                continue;
            }
            let was = r.old_number.filter(|o| *o != n);
            let (message, help) =
                wording::changelog_names_unchanged(lang, n, &old.front.version.to_string(), was);
            out.push(
                Diagnostic::new(Code::ChangelogNamesUnchanged, &new.path, row.span, message)
                    .help(help),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ascii_letters_lower_case_to_the_words_looked_for() {
        // What `may_name` relies on.
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            if c.to_lowercase().any(|l| l.is_ascii()) {
                assert!(matches!(c, '\u{212a}' | '\u{130}'), "{c:?}");
            }
        }
        assert_eq!("\u{130}".to_lowercase(), "i\u{307}");
        for (text, may) in [
            ("ANBEFALING 3", true),
            ("AnbefalingER 3", true),
            ("RECOMMENDATIONS 2", true),
            ("anbefal 3", false),
            ("ANBEFALİNG 3", false),
            ("Opdateret litteratur", false),
            ("recommendatio", false),
        ] {
            assert_eq!(may_name(text), may, "{text}");
            let mut out = Vec::new();
            numbers_in(text, &mut out);
            assert_eq!(!out.is_empty(), may, "{text}");
        }
    }
}
