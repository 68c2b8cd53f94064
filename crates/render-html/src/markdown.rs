//! Author Markdown to safe HTML. Guideline text is untrusted: comrak drops raw
//! HTML and dangerous URLs (its default), and ammonia then keeps only the tags
//! and attributes comrak itself produces, with http(s)/mailto or relative URLs.
//! External links get `rel="noopener"`; tables are wrapped in a box that
//! scrolls on its own, so a wide table never widens a phone's page.

use comrak::nodes::NodeValue;
use comrak::{Arena, Options};
use std::cell::RefCell;
use std::sync::LazyLock;

/// Converted inline HTML by Markdown text.
type Fragments = rustc_hash::FxHashMap<String, String>;

thread_local! {
    /// Converted inline fragments while a [`Memo`] is alive on this thread.
    static MEMO: RefCell<Option<Fragments>> = const { RefCell::new(None) };
}

/// While alive, [`inline`] on this thread remembers what it converted: a
/// recommendation's sentences are shown on both pages and again under its
/// evidence, and are converted once. Blocks are not remembered: each is shown
/// once, and hashing and copying whole chapters cost more than it saved.
/// Dropping it frees the memory; conversion is pure, so the output is the
/// same either way.
pub struct Memo(());

impl Memo {
    pub fn start() -> Memo {
        MEMO.with(|m| *m.borrow_mut() = Some(Fragments::default()));
        Memo(())
    }
}

impl Drop for Memo {
    fn drop(&mut self) {
        MEMO.with(|m| *m.borrow_mut() = None);
    }
}

fn memoised(md: &str, convert: impl FnOnce(&str) -> String) -> String {
    MEMO.with(|m| {
        let mut memo = m.borrow_mut();
        let Some(map) = memo.as_mut() else {
            return convert(md);
        };
        if let Some(html) = map.get(md) {
            return html.clone();
        }
        let html = convert(md);
        map.insert(md.to_string(), html.clone());
        html
    })
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    // The same extensions as the parser, so the page shows what was checked.
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.render.r#unsafe = false;
    o
}

static OPTIONS: LazyLock<Options<'static>> = LazyLock::new(options);

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.add_tags([
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
        "hr",
        "img",
        "sup",
        "sub",
    ]);
    let mut attrs = std::collections::HashMap::new();
    attrs.insert("a", ["href", "title"].into_iter().collect());
    attrs.insert("img", ["src", "alt", "title"].into_iter().collect());
    attrs.insert("ol", ["start"].into_iter().collect());
    attrs.insert("th", ["align"].into_iter().collect());
    attrs.insert("td", ["align"].into_iter().collect());
    b.tag_attributes(attrs);
    b.generic_attributes(Default::default());
    b.url_schemes(["http", "https", "mailto"].into_iter().collect());
    b.url_relative(ammonia::UrlRelative::PassThrough);
    b.link_rel(None);
    b.strip_comments(true);
    b
});

/// Block Markdown to sanitised HTML; headings are moved down `heading_offset`
/// levels (so `###` in a section under an `<h2>` chapter becomes `<h4>`).
pub fn block(md: &str, heading_offset: u8) -> String {
    if md.trim().is_empty() {
        return String::new();
    }
    block_uncached(md, heading_offset)
}

fn block_uncached(md: &str, heading_offset: u8) -> String {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, md, &OPTIONS);
    if heading_offset > 0 {
        for node in root.descendants() {
            if let NodeValue::Heading(h) = &mut node.data_mut().value {
                h.level = (h.level + heading_offset).min(6);
            }
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    comrak::format_html(root, &OPTIONS, &mut html).expect("writing to a String cannot fail");
    finish(&sanitise(html))
}

/// Inline Markdown (a recommendation's sentence, a note, a table cell, a
/// reference) to sanitised HTML without the surrounding paragraph. Text that
/// would start a block (`- `, `1. `, `# `, `> ` …) is taken literally.
pub fn inline(md: &str) -> String {
    let md = md.trim();
    if md.is_empty() {
        return String::new();
    }
    memoised(md, inline_uncached)
}

fn inline_uncached(md: &str) -> String {
    if plain(md) {
        return md.to_string();
    }
    inline_comrak(md)
}

/// Prose that Markdown leaves exactly as it is: only letters, digits, spaces
/// and punctuation that opens no inline construct (no `*_`[]!<>&\~|"#@`, no
/// line break), no autolink and nothing that would start a block. comrak's
/// HTML for it is the text itself, so most recommendation sentences skip the
/// parser (the property test below holds the two to the same output).
fn plain(md: &str) -> bool {
    const PUNCTUATION: &[u8] = b" .,;:()%/'?=+-";
    md.bytes()
        .all(|b| b >= 0x80 || b.is_ascii_alphanumeric() || PUNCTUATION.contains(&b))
        && block_start(md).is_none()
        && !["://", "www.", "mailto:", "xmpp:"]
            .iter()
            .any(|a| md.contains(a))
}

fn inline_comrak(md: &str) -> String {
    let escaped;
    let md = match block_start(md) {
        Some(at) => {
            escaped = format!("{}\\{}", &md[..at], &md[at..]);
            escaped.as_str()
        }
        None => md,
    };
    let html = comrak::markdown_to_html(md, &OPTIONS);
    let clean = sanitise(html);
    let t = clean.trim_end();
    let t = t.strip_prefix("<p>").unwrap_or(t);
    let t = t.strip_suffix("</p>").unwrap_or(t);
    finish(&t.replace("</p>\n<p>", "<br>\n"))
}

/// Sanitises comrak's output. Most fragments already hold only allowed tags,
/// attributes and URL schemes; [`allowed_as_is`] proves that in one pass and
/// skips ammonia's parse-and-serialise, which costs more than converting the
/// Markdown. Anything it cannot prove goes through ammonia.
fn sanitise(html: String) -> String {
    if allowed_as_is(&html) {
        html
    } else {
        SANITIZER.clean(&html).to_string()
    }
}

/// Tags and attributes the fast path accepts: the same lists ammonia is given.
fn attribute_allowed(tag: &str, attr: &str) -> bool {
    matches!(
        (tag, attr),
        ("a", "href" | "title")
            | ("img", "src" | "alt" | "title")
            | ("ol", "start")
            | ("th" | "td", "align")
    )
}

fn tag_allowed(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "a"
            | "em"
            | "strong"
            | "del"
            | "code"
            | "pre"
            | "blockquote"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "th"
            | "td"
            | "br"
            | "hr"
            | "img"
            | "sup"
            | "sub"
    )
}

/// A URL ammonia keeps: relative, or with the scheme http, https or mailto.
/// Anything unusual before the first `/`, `?` or `#` (an entity, a space, a
/// control character) is left to ammonia.
fn url_allowed(url: &str) -> bool {
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    if !head.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'-' | b'+' | b'_' | b'@' | b'%')
    }) {
        return false;
    }
    match head.split_once(':') {
        None => true,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto"),
    }
}

/// True when `html` (comrak's output: tags with lower-case names and
/// double-quoted attributes, text with `<`, `>`, `&` and `"` escaped) has
/// only allowed tags, attributes and URLs, so ammonia would keep it all.
fn allowed_as_is(html: &str) -> bool {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .count();
        let tag = &rest[..name_len];
        if !tag_allowed(tag) {
            return false;
        }
        rest = &rest[name_len..];
        loop {
            if let Some(r) = rest.strip_prefix('>') {
                rest = r;
                break;
            }
            if let Some(r) = rest.strip_prefix(" />") {
                rest = r;
                break;
            }
            let Some(r) = rest.strip_prefix(' ') else {
                return false;
            };
            if closing {
                return false;
            }
            let attr_len = r.bytes().take_while(|b| b.is_ascii_lowercase()).count();
            let attr = &r[..attr_len];
            let Some(r) = r[attr_len..].strip_prefix("=\"") else {
                return false;
            };
            let Some(end) = r.find(['"', '<', '>']) else {
                return false;
            };
            if !r[end..].starts_with('"') || !attribute_allowed(tag, attr) {
                return false;
            }
            let value = &r[..end];
            if matches!(attr, "href" | "src") && !url_allowed(value) {
                return false;
            }
            rest = &r[end + 1..];
        }
    }
    true
}

/// Where to put a backslash so Markdown text does not open a block other
/// than a paragraph (`- `, `# `, `> `, `1. ` …), if it would.
fn block_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let spaced = |i: usize| matches!(b.get(i), None | Some(b' ' | b'\t' | b'\n'));
    let run = |c: u8| b.iter().take_while(|&&x| x == c).count();
    let hit = match b[0] {
        b'>' => true,
        b'#' => run(b'#') <= 6 && spaced(run(b'#')),
        b'-' | b'+' | b'*' => spaced(1) || run(b[0]) >= 3,
        b'_' => run(b'_') >= 3,
        b'`' | b'~' => run(b[0]) >= 3,
        b'0'..=b'9' => {
            let digits = run_digits(b);
            if digits <= 9 && matches!(b.get(digits), Some(b'.' | b')')) && spaced(digits + 1) {
                return Some(digits);
            }
            false
        }
        _ => false,
    };
    hit.then_some(0)
}

fn run_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Adds `rel="noopener"` to external links, the scrolling box around tables,
/// and makes code blocks (which scroll too) focusable.
/// The input is ammonia's output: every `<` in it starts a real tag.
fn finish(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(tail) = rest.strip_prefix("<a href=\"") {
            let external = ["http://", "https://", "//", "mailto:"]
                .iter()
                .any(|p| tail.starts_with(p));
            let end = tail.find('"').map(|e| e + 1).unwrap_or(tail.len());
            out.push_str("<a href=\"");
            out.push_str(&tail[..end]);
            if external {
                out.push_str(" rel=\"noopener\"");
            }
            rest = &tail[end..];
        } else if let Some(tail) = rest.strip_prefix("<table>") {
            out.push_str("<div class=\"table-wrap\" tabindex=\"0\"><table>");
            rest = tail;
        } else if let Some(tail) = rest
            .strip_prefix("<pre")
            .filter(|t| t.starts_with(['>', ' ']))
        {
            // A code block scrolls sideways in its own box: keyboard users must
            // be able to focus it to scroll it (WCAG 2.1.1).
            out.push_str("<pre tabindex=\"0\"");
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("</table>") {
            out.push_str("</table></div>");
            rest = tail;
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_down() {
        assert_eq!(block("### Del", 1).trim(), "<h4>Del</h4>");
        assert_eq!(block("###### Dyb", 3).trim(), "<h6>Dyb</h6>");
    }

    #[test]
    fn raw_html_and_scripts_never_survive() {
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<div onclick=\"alert(1)\">x</div>",
            "![x](javascript:alert(1))",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
            "<style>body{display:none}</style>",
        ] {
            for html in [block(bad, 0), inline(bad)] {
                let lower = html.to_lowercase();
                for needle in [
                    "<script",
                    "onerror",
                    "onclick",
                    "onload",
                    "javascript:",
                    "vbscript:",
                    "data:",
                    "<iframe",
                    "<svg",
                    "<style",
                    "<div onclick",
                ] {
                    assert!(!lower.contains(needle), "{bad:?} gave {html:?}");
                }
            }
        }
    }

    #[test]
    fn links_keep_working_and_external_ones_get_noopener() {
        assert_eq!(
            inline("[DMCG](https://www.dmcg.dk/) og [ref](#ref-3)"),
            "<a href=\"https://www.dmcg.dk/\" rel=\"noopener\">DMCG</a> og <a href=\"#ref-3\">ref</a>"
        );
        assert_eq!(
            inline("[niveau 1b](#evidensniveau-1b \"Evidensniveau 1b\")"),
            "<a href=\"#evidensniveau-1b\" title=\"Evidensniveau 1b\">niveau 1b</a>"
        );
        assert!(inline("www.example.org").contains("rel=\"noopener\""));
    }

    #[test]
    fn inline_text_is_never_a_block() {
        assert_eq!(inline("- ikke en liste"), "- ikke en liste");
        assert_eq!(inline("1. ikke en liste"), "1. ikke en liste");
        assert_eq!(inline("# ikke en overskrift"), "# ikke en overskrift");
        assert_eq!(
            inline("*kursiv* og **fed**"),
            "<em>kursiv</em> og <strong>fed</strong>"
        );
        assert_eq!(inline("a\n\nb"), "a<br>\nb");
        assert_eq!(inline("> ikke et citat"), "&gt; ikke et citat");
        assert_eq!(inline("*** ikke en streg"), "*** ikke en streg");
        assert_eq!(inline("2.5 mg"), "2.5 mg");
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let html = block("| a | b |\n|---|---|\n| 1 | 2 |", 0);
        assert!(
            html.starts_with("<div class=\"table-wrap\" tabindex=\"0\"><table>"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table></div>"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(inline("a < b & c > d"), "a &lt; b &amp; c &gt; d");
    }

    /// ammonia's serialisation of the same tree: void tags without ` /`,
    /// quotes and apostrophes in text unescaped.
    fn as_ammonia_writes_it(html: &str) -> String {
        html.replace(" />", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
    }

    #[test]
    fn the_fast_path_keeps_exactly_what_ammonia_keeps() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut fragments: Vec<String> = Vec::new();
        for entry in walkdir::WalkDir::new(root.join("guidelines")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                fragments.extend(text.split("\n\n").map(str::to_string));
            }
        }
        fragments.extend(
            [
                "[a](https://x.dk/?a=1&b=2 \"t\") ![i](fig.png \"f\") <b>raw</b>",
                "| a | b |\n|:-|-:|\n| 1 | 2 |",
                "3. three\n4. four",
                "```rust\nfn x() {}\n```",
                "[m](mailto:a@b.dk) [r](#ref-1) [p](../x.html) [w](www.x.dk) https://auto.dk",
                "a  \nb ~~c~~ `d` ***e*** > q",
                "[x](javascript&#58;alert(1)) [y](&#106;avascript:alert(1)) [z](java\tscript:x)",
                "[x](HTTP://X.DK) [y](ftp://x.dk) [z](<javascript:alert(1)>)",
            ]
            .map(str::to_string),
        );
        let (mut fast, mut slow) = (0, 0);
        for md in &fragments {
            let arena = Arena::new();
            let root = comrak::parse_document(&arena, md, &OPTIONS);
            let mut html = String::new();
            comrak::format_html(root, &OPTIONS, &mut html).unwrap();
            let cleaned = SANITIZER.clean(&html).to_string();
            if allowed_as_is(&html) {
                fast += 1;
                assert_eq!(as_ammonia_writes_it(&html), cleaned, "{md:?}");
            } else {
                slow += 1;
            }
        }
        // The samples are ordinary guideline text: nearly all of it is fast.
        assert!(fast > 10 * slow, "fast {fast}, slow {slow}");
    }
}

#[cfg(test)]
mod plain_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_prose_is_recognised_and_markup_is_not() {
        assert!(plain(
            "Patienter ≤ 70 år bør vurderes (se afsnit 4.2); 5-10 % får 1/2 dosis."
        ));
        for markup in [
            "*vigtigt*",
            "se [1](#ref-1)",
            "a & b",
            "www.sundhed.dk",
            "https://x.dk",
            "- liste",
            "1. punkt",
            "linje\nto",
            "a_b_",
            "`kode`",
        ] {
            assert!(!plain(markup), "{markup}");
        }
    }

    proptest! {
        // Whatever the fast path takes, comrak (with sanitising) renders as the text itself.
        #[test]
        fn plain_text_is_what_comrak_makes_of_it(s in "[a-zA-Z0-9 .,;:()%/'?=+æøåÆØÅé≥\\-]{1,40}") {
            let s = s.trim();
            prop_assume!(!s.is_empty() && plain(s));
            prop_assert_eq!(inline_comrak(s), s.to_string());
        }
    }
}
