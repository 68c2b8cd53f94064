//! `vejviser fmt --renumber`: the one operation that changes reference
//! numbers. References keep the numbers their authors wrote (a citation
//! resolves by that number, so `fmt` never renumbers them by itself: deleting
//! reference 7 must not make `(8)` cite another paper). When the working
//! group does want the list numbered 1..n again, this numbers chapter 5 by
//! position and rewrites every citation in chapter 4 to the new numbers in
//! the same edit, so each citation still names the same paper.
//!
//! It works from the parser's content tree: the references' and citations'
//! spans and their resolved numbers. Only the digits of a citation are
//! replaced (its brackets, separators, spacing and level stay as written),
//! and the result is parsed again and compared with the mapping before it is
//! returned: every citation must name exactly the renumbered references of
//! the same papers, and nothing else may change.

use crate::FmtError;
use std::collections::BTreeMap;
use vejviser_model::{Citation, Guideline};
use vejviser_template::TemplateSet;

/// The result of renumbering one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbered {
    pub text: String,
    /// Each changed line: its number, before and after.
    pub lines: Vec<(usize, String, String)>,
    /// References whose number changes (written, new).
    pub references: Vec<(u32, u32)>,
    /// Citations rewritten.
    pub citations: usize,
}

impl Renumbered {
    /// Nothing to renumber: the list is 1..n already.
    pub fn unchanged(&self) -> bool {
        self.lines.is_empty()
    }

    /// The change as a unified diff, one hunk per changed line.
    pub fn diff(&self, path: &str) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let mut out = format!("--- {path}\n+++ {path} (renumbered)\n");
        for (line, before, after) in &self.lines {
            out.push_str(&format!("@@ -{line} +{line} @@\n-{before}\n+{after}\n"));
        }
        out
    }
}

fn refuse(path: &str, line: u32, message: String) -> FmtError {
    FmtError::Renumber {
        path: path.to_string(),
        line: line as usize,
        message,
    }
}

/// Byte offset of a 1-based line and byte column.
fn offset(starts: &[usize], line: u32, column: u32) -> Option<usize> {
    let start = *starts.get((line as usize).checked_sub(1)?)?;
    Some(start + (column as usize).saturating_sub(1))
}

/// Renumbers the reference list of `text` to 1..n and rewrites every citation
/// to match. Refuses (with the file and line) a citation of a reference the
/// list does not have, a number written twice, or text it cannot place.
pub fn renumber(path: &str, text: &str, templates: &TemplateSet) -> Result<Renumbered, FmtError> {
    let text = crate::normalise_line_endings(text).into_owned();
    let parsed = vejviser_parse::parse_str(path, &text, templates);
    let Some(g) = parsed.guideline else {
        return Err(FmtError::NoFrontMatter {
            path: path.to_string(),
        });
    };
    // Written number → new number (its place in the list).
    let mut map: BTreeMap<u32, u32> = BTreeMap::new();
    for (i, r) in g.references.iter().enumerate() {
        if map.insert(r.number, i as u32 + 1).is_some() {
            let first = g
                .references
                .iter()
                .find(|o| o.number == r.number)
                .map_or(0, |o| o.span.line);
            return Err(refuse(
                path,
                r.span.line,
                format!(
                    "reference {} is numbered twice (first at line {first}); citations of {} could mean either, so give each its own number first",
                    r.number, r.number
                ),
            ));
        }
    }
    let citations: Vec<&Citation> = g.evidence.iter().flat_map(|b| &b.citations).collect();
    let mut missing = Vec::new();
    for c in &citations {
        for n in &c.references {
            if !map.contains_key(n) {
                missing.push(format!(
                    "{path}:{}:{}: citation {} refers to reference {n}, which the list does not have",
                    c.span.line, c.span.column, c.written
                ));
            }
        }
    }
    if !missing.is_empty() {
        let line = citations
            .iter()
            .find(|c| c.references.iter().any(|n| !map.contains_key(n)))
            .map_or(0, |c| c.span.line);
        return Err(refuse(
            path,
            line,
            format!(
                "cannot renumber: {} citation(s) refer to references the list does not have; write the reference back or correct the citation first, nothing was changed\n{}",
                missing.len(),
                missing.join("\n")
            ),
        ));
    }

    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    // (byte range, replacement), in source order.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut renumbered_refs = Vec::new();
    for (i, r) in g.references.iter().enumerate() {
        let new = i as u32 + 1;
        if r.number == new {
            continue;
        }
        let written = r.number.to_string();
        let at = offset(&starts, r.span.line, r.span.column)
            .filter(|&o| text.get(o..).is_some_and(|t| t.starts_with(&written)))
            .ok_or_else(|| {
                refuse(
                    path,
                    r.span.line,
                    format!("reference {} is not written where the parser read it; nothing was changed (please report this)", r.number),
                )
            })?;
        edits.push((at..at + written.len(), new.to_string()));
        renumbered_refs.push((r.number, new));
    }
    let mut rewritten = 0;
    for c in &citations {
        let at = offset(&starts, c.span.line, c.span.column)
            .filter(|&o| text.get(o..).is_some_and(|t| t.starts_with(&c.written)))
            .ok_or_else(|| {
                refuse(
                    path,
                    c.span.line,
                    format!(
                        "citation {} is not written as the parser read it (an escape or entity inside it?); write it plainly and run again, nothing was changed",
                        c.written
                    ),
                )
            })?;
        let new = rewrite(&c.written, &map);
        if new != c.written {
            edits.push((at..at + c.written.len(), new));
            rewritten += 1;
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, replacement) in &edits {
        out.push_str(&text[copied..range.start]);
        out.push_str(replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);

    verify(path, &g, &out, &map, templates)?;
    let lines = text
        .split('\n')
        .zip(out.split('\n'))
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
        .collect();
    Ok(Renumbered {
        text: out,
        lines,
        references: renumbered_refs,
        citations: rewritten,
    })
}

/// A citation as written with each reference number mapped: `(8–10) [2a]`
/// becomes `(7–9) [2a]`. Only the digits inside the parentheses change; a
/// range whose papers are no longer neighbours (a list that was out of order)
/// is written out as a list.
fn rewrite(written: &str, map: &BTreeMap<u32, u32>) -> String {
    let Some(close) = written.find(')') else {
        return written.to_string();
    };
    let (inner, rest) = (&written[1..close], &written[close..]);
    let parts: Vec<String> = inner
        .split(',')
        .map(|part| {
            let numbers: Vec<u32> = part
                .split(|c: char| !c.is_ascii_digit())
                .filter(|t| !t.is_empty())
                .filter_map(|t| t.parse().ok())
                .collect();
            if let [a, b] = numbers[..] {
                let mapped: Vec<u32> = (a..=b).filter_map(|n| map.get(&n).copied()).collect();
                let (na, nb) = (map[&a], map[&b]);
                if nb < na || mapped != (na..=nb).collect::<Vec<_>>() {
                    let lead = &part[..part.len() - part.trim_start().len()];
                    let list: Vec<String> = {
                        let mut m = mapped.clone();
                        m.sort_unstable();
                        m.iter().map(u32::to_string).collect()
                    };
                    return format!("{lead}{}", list.join(", "));
                }
            }
            replace_digits(part, map)
        })
        .collect();
    format!("({}{rest}", parts.join(","))
}

/// Every run of digits in `s` replaced by its mapped number.
fn replace_digits(s: &str, map: &BTreeMap<u32, u32>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            match digits.parse::<u32>().ok().and_then(|n| map.get(&n)) {
                Some(m) => out.push_str(&m.to_string()),
                None => out.push_str(digits),
            }
            digits.clear();
        }
    };
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut out);
            out.push(ch);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// Parses the result again: the list is 1..n with the same papers in the
/// same order, every citation (in the same order) names exactly the new
/// numbers of its papers with the same level, and the recommendations and
/// evidence are otherwise as they were.
fn verify(
    path: &str,
    before: &Guideline,
    text: &str,
    map: &BTreeMap<u32, u32>,
    templates: &TemplateSet,
) -> Result<(), FmtError> {
    let fail = |what: String| FmtError::MeaningChanged {
        path: path.to_string(),
        what,
    };
    let after = vejviser_parse::parse_str(path, text, templates)
        .guideline
        .ok_or_else(|| fail("the result does not parse".into()))?;
    if after.references.len() != before.references.len() {
        return Err(fail("the number of references".into()));
    }
    for (i, (a, b)) in before.references.iter().zip(&after.references).enumerate() {
        if b.number != i as u32 + 1 || a.content != b.content {
            return Err(fail(format!("reference {}", a.number)));
        }
    }
    let old: Vec<&Citation> = before.evidence.iter().flat_map(|b| &b.citations).collect();
    let new: Vec<&Citation> = after.evidence.iter().flat_map(|b| &b.citations).collect();
    if old.len() != new.len() {
        return Err(fail("the number of citations".into()));
    }
    for (a, b) in old.iter().zip(&new) {
        let mut want: Vec<u32> = a.references.iter().map(|n| map[n]).collect();
        let mut got = b.references.clone();
        want.sort_unstable();
        got.sort_unstable();
        if want != got || a.level != b.level || a.invalid_level != b.invalid_level {
            return Err(fail(format!(
                "citation {} at line {} became {}",
                a.written, a.span.line, b.written
            )));
        }
    }
    let texts = |g: &Guideline| -> Vec<String> {
        g.recommendations
            .iter()
            .map(|r| r.plain_text())
            .chain(g.evidence.iter().map(|e| e.topic.clone()))
            .collect()
    };
    if texts(before) != texts(&after) || before.front != after.front {
        return Err(fail("the recommendations or evidence topics".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(u32, u32)]) -> BTreeMap<u32, u32> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn only_the_digits_of_a_citation_change() {
        // Reference 7 deleted: 8.. move down by one.
        let m: BTreeMap<u32, u32> = (1..=46)
            .filter(|&n| n != 7)
            .enumerate()
            .map(|(i, n)| (n, i as u32 + 1))
            .collect();
        assert_eq!(rewrite("(8)", &m), "(7)");
        assert_eq!(rewrite("(8–10) [2a]", &m), "(7–9) [2a]");
        assert_eq!(rewrite("(34 – 36)[1b]", &m), "(33 – 35)[1b]");
        assert_eq!(rewrite("(6, 8,9)", &m), "(6, 7,8)");
        assert_eq!(rewrite("(1) [1a]", &m), "(1) [1a]");
    }

    #[test]
    fn a_range_whose_papers_are_no_longer_neighbours_becomes_a_list() {
        // The list was written 1, 3, 2: positions make 3 → 2 and 2 → 3.
        let m = map(&[(1, 1), (3, 2), (2, 3), (4, 4)]);
        assert_eq!(rewrite("(1–2)", &m), "(1, 3)");
        assert_eq!(rewrite("(2–4) [2b]", &m), "(2, 3, 4) [2b]");
        assert_eq!(rewrite("(1, 2–3)", &m), "(1, 2, 3)");
    }
}
