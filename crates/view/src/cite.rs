//! Citation rewriting: the one place that turns evidence prose citations
//! `(3, 4) [1b]` into internal links, so the HTML and PDF renderers link the
//! same numbers the same way.
//!
//! The syntax is the parser's (format.md, "Citations"): a parenthesised list of
//! reference numbers (1–3 digits, `,` separated, ranges with `-`, `–` or `—`),
//! optionally followed by spaces and an Oxford level in square brackets. The
//! output is Markdown:
//!
//! `(3, 4) [1b]` → `([3](#ref-3), [4](#ref-4)) [niveau 1b](#evidensniveau-1b "Evidensniveau 1b: …")`
//!
//! A number that names no reference stays plain text (the checker reports it),
//! and nothing inside code spans, fenced code, autolinks or an existing link is
//! touched.

use vejviser_model::{EvidenceLevel, Language};

use crate::anchor;
use crate::labels::{level_description, Labels};

/// Bytes the scanner in [`rewrite_citations`] must stop at.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let stops = b"\\`<[!(\n";
    while k < stops.len() {
        t[stops[k] as usize] = true;
        k += 1;
    }
    t
};

/// Rewrites every citation in `markdown`. `has_reference(n)` says whether
/// reference `n` exists; `level_used` is called for each level shown, so the
/// caller can build the legend of levels actually used.
pub fn rewrite_citations(
    markdown: &str,
    lang: Language,
    has_reference: &dyn Fn(u32) -> bool,
    level_used: &mut dyn FnMut(EvidenceLevel),
) -> String {
    let labels = Labels::for_language(lang);
    let b = markdown.as_bytes();
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    let mut copied = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        // Fenced code blocks: skip to the closing fence.
        if line_start {
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            if indent < 4 {
                let rest = &markdown[i + indent..];
                if let Some(fence) = fence_of(rest) {
                    i = skip_fenced(markdown, i + indent, fence);
                    line_start = true;
                    continue;
                }
            }
        }
        let c = b[i];
        line_start = c == b'\n';
        match c {
            b'\\' => i += 2,
            b'`' => i = skip_code_span(b, i),
            b'<' => i = skip_autolink(b, i),
            b'[' | b'!' => i = skip_link(b, i).unwrap_or(i + 1),
            b'(' => match citation(markdown, i) {
                Some(cite) => {
                    out.push_str(&markdown[copied..i]);
                    write_citation(&mut out, markdown, &cite, labels, lang, has_reference);
                    if let Some(level) = cite.level {
                        level_used(level);
                    }
                    i = cite.end;
                    copied = i;
                }
                None => i += 1,
            },
            b'\n' => i += 1,
            _ => {
                // Plain text: jump to the next byte that can start something.
                i += 1;
                while i < b.len() && !SPECIAL[b[i] as usize] {
                    i += 1;
                }
            }
        }
    }
    out.push_str(&markdown[copied.min(markdown.len())..]);
    out
}

struct Found {
    /// Byte range of the text between the parentheses.
    inner: std::ops::Range<usize>,
    /// Byte range of the whole citation, level included.
    end: usize,
    /// Byte range of the `[…]` level, when it is a valid level.
    level_at: Option<std::ops::Range<usize>>,
    level: Option<EvidenceLevel>,
}

/// A citation starting at the `(` at `at`, with the parser's rules.
fn citation(text: &str, at: usize) -> Option<Found> {
    let after = &text[at + 1..];
    let close = after.find(')')?;
    if close == 0 || close > 200 {
        return None;
    }
    let inner = &after[..close];
    for part in inner.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once(['–', '-', '—']) {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (part, None),
        };
        let a = number(a)?;
        if let Some(b) = b {
            let b = number(b)?;
            if b < a || b - a > 100 {
                return None;
            }
        }
    }
    let inner_range = at + 1..at + 1 + close;
    let mut end = inner_range.end + 1;
    let mut level_at = None;
    let mut level = None;
    let tail = &text[end..];
    let ws = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    if tail[ws..].starts_with('[') {
        if let Some(c) = tail[ws..].find(']').filter(|&c| c <= 8) {
            let written = tail[ws + 1..ws + c].trim();
            if let Some(l) = EvidenceLevel::parse(written) {
                level = Some(l);
                level_at = Some(end + ws..end + ws + c + 1);
                end += ws + c + 1;
            }
        }
    }
    Some(Found {
        inner: inner_range,
        end,
        level_at,
        level,
    })
}

fn number(t: &str) -> Option<u32> {
    if t.is_empty() || t.len() > 3 || !t.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|&n| n > 0)
}

fn write_citation(
    out: &mut String,
    text: &str,
    cite: &Found,
    labels: &Labels,
    lang: Language,
    has_reference: &dyn Fn(u32) -> bool,
) {
    out.push('(');
    let inner = &text[cite.inner.clone()];
    let mut k = 0;
    while k < inner.len() {
        let digits = inner[k..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let s = &inner[k..k + digits];
            match s.parse::<u32>() {
                Ok(n) if has_reference(n) => {
                    out.push_str(&format!("[{s}](#{})", anchor::reference(n)));
                }
                _ => out.push_str(s),
            }
            k += digits;
        } else {
            let ch = inner[k..].chars().next().expect("k is on a char boundary");
            out.push(ch);
            k += ch.len_utf8();
        }
    }
    out.push(')');
    if let (Some(range), Some(level)) = (&cite.level_at, cite.level) {
        // Keep the author's spacing between `)` and `[`.
        out.push_str(&text[cite.inner.end + 1..range.start]);
        out.push_str(&format!(
            "[{} {level}](#{} \"{} {level}: {}\")",
            labels.evidence_level_short,
            anchor::evidence_level(level, lang),
            labels.evidence_level,
            level_description(level, lang),
        ));
    }
}

/// The fence (``` or ~~~, 3 or more) a line starts with.
fn fence_of(line: &str) -> Option<&str> {
    for ch in ['`', '~'] {
        let n = line.chars().take_while(|&c| c == ch).count();
        if n >= 3 {
            return Some(&line[..n]);
        }
    }
    None
}

/// Index just past the closing fence's line (or the end of the text).
fn skip_fenced(text: &str, open_at: usize, fence: &str) -> usize {
    let mut pos = match text[open_at..].find('\n') {
        Some(n) => open_at + n + 1,
        None => return text.len(),
    };
    while pos < text.len() {
        let line_end = text[pos..]
            .find('\n')
            .map(|n| pos + n + 1)
            .unwrap_or(text.len());
        let line = text[pos..line_end].trim_start_matches(' ');
        if line.starts_with(fence)
            && line
                .trim_start_matches(fence.as_bytes()[0] as char)
                .trim()
                .is_empty()
        {
            return line_end;
        }
        pos = line_end;
    }
    text.len()
}

/// Past a code span starting at `at` (a run of backticks and its matching run).
fn skip_code_span(b: &[u8], at: usize) -> usize {
    let run = b[at..].iter().take_while(|&&c| c == b'`').count();
    let mut i = at + run;
    while i < b.len() {
        if b[i] == b'`' {
            let n = b[i..].iter().take_while(|&&c| c == b'`').count();
            if n == run {
                return i + n;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    // No closing run: the backticks are literal.
    at + run
}

/// Past an autolink `<scheme:…>` starting at `at`.
fn skip_autolink(b: &[u8], at: usize) -> usize {
    match b[at + 1..]
        .iter()
        .position(|&c| c == b'>' || c == b' ' || c == b'\n')
    {
        Some(n) if b[at + 1 + n] == b'>' => at + n + 2,
        _ => at + 1,
    }
}

/// Past a whole inline link or image `[text](dest)` / `![alt](dest)` starting at
/// `at`, so neither its text nor its destination is rewritten.
fn skip_link(b: &[u8], at: usize) -> Option<usize> {
    let open = if b[at] == b'!' { at + 1 } else { at };
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let close = matching(b, open, b'[', b']')?;
    if b.get(close + 1) != Some(&b'(') {
        return None;
    }
    matching(b, close + 1, b'(', b')').map(|end| end + 1)
}

/// Index of the bracket closing the one at `at` (backslash escapes honoured).
fn matching(b: &[u8], at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\n' if b.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(md: &str) -> (String, Vec<String>) {
        let mut levels = Vec::new();
        let out = rewrite_citations(md, Language::Da, &|n| n <= 10, &mut |l| {
            levels.push(l.to_string())
        });
        (out, levels)
    }

    #[test]
    fn single_and_multiple_references() {
        assert_eq!(rw("Studiet (1) viste").0, "Studiet ([1](#ref-1)) viste");
        assert_eq!(rw("Se (3, 4).").0, "Se ([3](#ref-3), [4](#ref-4)).");
    }

    #[test]
    fn ranges_keep_their_dash_and_link_both_ends() {
        assert_eq!(rw("(8–10)").0, "([8](#ref-8)–[10](#ref-10))");
        assert_eq!(rw("(2-3)").0, "([2](#ref-2)-[3](#ref-3))");
    }

    #[test]
    fn levels_become_links_to_the_level_legend() {
        let (out, levels) = rw("Viste (3, 4) [1b] og (8–10)[2a].");
        assert_eq!(
            out,
            "Viste ([3](#ref-3), [4](#ref-4)) [niveau 1b](#evidensniveau-1b \"Evidensniveau 1b: Randomiseret kontrolleret forsøg\") og ([8](#ref-8)–[10](#ref-10))[niveau 2a](#evidensniveau-2a \"Evidensniveau 2a: Systematisk oversigt over kohortestudier\")."
        );
        assert_eq!(levels, ["1b", "2a"]);
    }

    #[test]
    fn english_anchors_and_words() {
        let out = rewrite_citations("(1) [4]", Language::En, &|_| true, &mut |_| {});
        assert_eq!(
            out,
            "([1](#ref-1)) [level 4](#evidence-level-4 \"Level of evidence 4: Case series and poor-quality cohort and case-control studies\")"
        );
    }

    #[test]
    fn what_is_not_a_citation_is_left_alone() {
        for s in [
            "HR 0,64 (95 % KI 0,56–0,73)",
            "i (2019) og (n = 5)",
            "(0)",
            "(1234)",
            "()",
            "(3) [9z] keeps a bad level as text",
            "`(3)` in code",
            "see [the trial (3)](https://example.org/(3)) here",
            "<https://example.org/(3)>",
            "\\(3)",
        ] {
            let (out, _) = rw(s);
            if s.starts_with("(3) [9z]") {
                assert_eq!(out, "([3](#ref-3)) [9z] keeps a bad level as text");
            } else {
                assert_eq!(out, s, "{s}");
            }
        }
    }

    #[test]
    fn unknown_references_stay_text() {
        assert_eq!(rw("(10, 11)").0, "([10](#ref-10), 11)");
    }

    #[test]
    fn fenced_code_is_not_rewritten() {
        let md = "Før (1)\n\n```\nkode (2)\n```\n\nEfter (3)";
        assert_eq!(
            rw(md).0,
            "Før ([1](#ref-1))\n\n```\nkode (2)\n```\n\nEfter ([3](#ref-3))"
        );
    }
}
