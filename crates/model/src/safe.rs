//! The one policy for guideline text that becomes a link, a file or folder
//! name, or XML: every renderer and publisher asks here, so the HTML pages,
//! the PDFs, the feed and the files on disk agree on what is allowed.
//!
//! Guideline text is untrusted. A link is kept only when it is relative or
//! uses one of [`LINK_SCHEMES`]; a name becomes a path or URL segment only
//! when [`is_path_segment`] accepts it; XML gets only the characters XML 1.0
//! allows ([`xml_text`]).

use std::borrow::Cow;

/// The link schemes a guideline may use; any other (`javascript:`,
/// `vbscript:`, `data:`, `file:`, …) is dropped and the link text kept.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether a link target from a guideline may be kept: relative (no scheme),
/// or with a scheme in [`LINK_SCHEMES`] (any case). A target with a control
/// character, a space, a backslash or an entity-like `&` before its first
/// `/`, `?` or `#` is refused, since browsers skip some of those when they
/// read the scheme (`java\tscript:`).
pub fn link_allowed(url: &str) -> bool {
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    if head
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '\\' | '&' | '\u{feff}'))
    {
        return false;
    }
    match head.split_once(':') {
        None => true,
        Some((scheme, _)) => LINK_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)),
    }
}

/// Whether a name may become one file or folder name and one URL path
/// segment as it is: 1 to 100 characters of lower-case ASCII letters,
/// digits, `-`, `_` and `.`, starting with a letter or digit (so never `.`,
/// `..`, a hidden file, an option-like `-x`, a scheme `x:` or a `/`).
pub fn is_path_segment(s: &str) -> bool {
    (1..=100).contains(&s.len())
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// Appends `s` to `out` as HTML text or attribute value: `&`, `<`, `>`, `"`
/// and `'` as entities. The one HTML escape (pages, preview server).
pub fn html_escape(s: &str, out: &mut String) {
    // The five characters are ASCII, so a byte search never cuts a character.
    // memchr finds the next of each group a vector at a time; the runs between
    // are copied whole (this is on every word of every page).
    let b = s.as_bytes();
    let after = |i: usize, found: Option<usize>| found.map(|k| i + k);
    let mut markup = memchr::memchr3(b'&', b'<', b'>', b);
    let mut quotes = memchr::memchr2(b'"', b'\'', b);
    let mut from = 0;
    loop {
        let i = match (markup, quotes) {
            (Some(m), Some(q)) => m.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        out.push_str(&s[from..i]);
        out.push_str(match b[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        from = i + 1;
        if markup == Some(i) {
            markup = after(from, memchr::memchr3(b'&', b'<', b'>', &b[from..]));
        } else {
            quotes = after(from, memchr::memchr2(b'"', b'\'', &b[from..]));
        }
    }
    out.push_str(&s[from..]);
}

/// [`html_escape`] into a new string: the escape of the templates' `{{value}}`
/// (registered with handlebars in place of its own), so a value in a template
/// is escaped exactly as author text on the same page is.
pub fn html_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    html_escape(s, &mut out);
    out
}

/// Whether XML 1.0 allows the character in a document.
pub fn xml_char_allowed(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text with every character XML 1.0 forbids (most control characters,
/// U+FFFE, U+FFFF) replaced by U+FFFD, so a feed or sitemap stays valid XML.
/// Escaping `<`, `&`, … is the writer's job.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char_allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if xml_char_allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escape as its definition reads, character by character.
    fn escaped_by_chars(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn html_escape_replaces_the_five_characters_and_keeps_the_rest() {
        for s in [
            "",
            "plain æøå",
            "<script>alert('x')</script>",
            "a & b \"c\" 'd' <e> &amp;",
            "&&<<>>\"\"''",
            "end with '",
        ] {
            let mut out = String::from("> ");
            html_escape(s, &mut out);
            assert_eq!(out, format!("> {}", escaped_by_chars(s)), "{s}");
        }
        let long = "Sætning med 'citat' & <tag> ".repeat(200);
        let mut out = String::new();
        html_escape(&long, &mut out);
        assert_eq!(out, escaped_by_chars(&long));
    }

    #[test]
    fn only_web_and_mail_links_or_relative_ones_are_kept() {
        for ok in [
            "https://sundhed.dk/x",
            "HTTP://X.DK",
            "mailto:a@b.dk",
            "#afsnit-2",
            "../index.html",
            "bilag.pdf",
            "?q=1",
        ] {
            assert!(link_allowed(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:x",
            "javascript&#58;alert(1)",
            "ftp://x.dk",
        ] {
            assert!(!link_allowed(bad), "{bad:?}");
        }
    }

    #[test]
    fn path_segments_are_plain_names() {
        for ok in ["dmsg", "myelomatose-hdt", "1.5", "a_b"] {
            assert!(is_path_segment(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            ".hidden",
            "-x",
            "javascript:alert(1)",
            "DMSG",
            "æble",
            "a b",
            &"x".repeat(101),
        ] {
            assert!(!is_path_segment(bad), "{bad:?}");
        }
    }

    #[test]
    fn xml_forbidden_characters_are_replaced() {
        assert_eq!(xml_text("ok æ 😀"), "ok æ 😀");
        assert_eq!(
            xml_text("a\u{FFFF}b\u{1}c\u{FFFE}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert!(matches!(xml_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn html_escape_replaces_the_five_and_keeps_the_rest() {
        let mut out = String::from("<p>");
        html_escape("PS ≥ 2 & <b>\"a\" 'æ'</b>😀", &mut out);
        assert_eq!(
            out,
            "<p>PS ≥ 2 &amp; &lt;b&gt;&quot;a&quot; &#39;æ&#39;&lt;/b&gt;😀"
        );
        let mut plain = String::new();
        html_escape("", &mut plain);
        html_escape("ærø", &mut plain);
        assert_eq!(plain, "ærø");
    }
}
