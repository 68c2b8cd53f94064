//! What does not belong in guideline text and is reported where it was written:
//! LaTeX-like text outside `$…$`, and raw HTML.

use super::*;

/// Text that looks like LaTeX but is not between dollars.
pub(super) fn latex_outside_math(cx: &mut Cx, t: &str, span: Span) {
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
    // Only these three bytes can start a run; memchr skips the plain text between.
    for i in memchr::memchr3_iter(b'^', b'_', b'\\', b) {
        let c = b[i];
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
                let rest = &t[i + 1..];
                let word = &rest[..rest
                    .bytes()
                    .position(|c| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len())];
                LATEX_COMMANDS.contains(&word)
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

pub(super) const LATEX_COMMANDS: &[&str] = &[
    "geq", "leq", "ge", "le", "neq", "times", "cdot", "pm", "alpha", "beta", "gamma", "delta",
    "kappa", "lambda", "mu", "sigma", "frac", "sqrt", "approx", "sim", "infty", "lt", "gt",
];

pub(super) fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

pub(super) fn raw_html_found(cx: &mut Cx, span: Span, html: &str) {
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
