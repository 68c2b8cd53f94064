//! Whitespace collapsed as a reader sees it: every run of Unicode whitespace
//! one space, the ends trimmed. Texts are compared by their words, whatever
//! their line breaks: a recommendation's plain text, the source of a
//! recommendation and of its repetition in chapter 4 (`vejviser-parse`),
//! references and notes matched between two versions of a guideline
//! (`vejviser-versions`), and the words inside [`super::same_text`].

/// `s` with every run of whitespace (Unicode's, as [`str::split_whitespace`]
/// sees it) made one space and the ends trimmed: how texts are compared
/// whatever their line breaks. One allocation (this runs on every
/// recommendation, reference and heading of a check).
pub fn collapse_whitespace(s: &str) -> String {
    collapsed(s).into_owned()
}

/// [`collapse_whitespace`] without a copy when `s` is collapsed already (most
/// references and recommendations are).
pub fn collapsed(s: &str) -> std::borrow::Cow<'_, str> {
    // The ends never count, so a text with a space at either end (as one
    // between two inlines has) is often collapsed inside.
    let s = s.trim();
    if is_collapsed(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `s` has no whitespace but single spaces between words.
fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') || s.contains("  ") {
        return false;
    }
    // Other white space starts with a byte of MAY_BE_SPACE but the space.
    // Eight bytes at a time, a few word operations find the rare blocks that
    // may hold one (this runs on every reference and recommendation).
    let fine = |from: usize, block: &[u8]| {
        block.iter().enumerate().all(|(j, &c)| {
            c == b' '
                || !MAY_BE_SPACE[c as usize]
                || (c >= 0x80 && !s[from + j..].starts_with(char::is_whitespace))
        })
    };
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let blocks = b.chunks_exact(8);
    let rest = blocks.remainder();
    for (k, block) in blocks.enumerate() {
        let x = u64::from_le_bytes(block.try_into().unwrap_or_default());
        // A byte below 0x0e, 0xc2, or 0xe0–0xe3 (a superset of what counts).
        let may = x.wrapping_sub(0x0e * ONES) & !x & HIGH != 0
            || has_zero(x ^ (0xc2 * ONES))
            || has_zero((x & (0xfc * ONES)) ^ (0xe0 * ONES));
        if may && !fine(8 * k, block) {
            return false;
        }
    }
    fine(b.len() - rest.len(), rest)
}

/// The space and the other ASCII whitespace (tab, line feed, vertical tab,
/// form feed, carriage return), and the lead bytes of the other whitespace
/// characters (U+0085 and U+00A0, U+1680, U+2000–U+205F, U+3000), which are
/// never continuation bytes.
pub(super) static MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x09;
    while c <= 0x0d {
        t[c] = true;
        c += 1;
    }
    t[0x20] = true;
    t[0xc2] = true;
    t[0xe1] = true;
    t[0xe2] = true;
    t[0xe3] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_is_split_whitespace_joined() {
        for s in [
            "",
            "   ",
            "a",
            "  a  b\t\nc  ",
            "ét\u{a0}\u{a0}to\u{2004}tre\r\n",
            "\u{3000}x",
            "x ",
            " ",
            "a b",
            "sider 12–19. Oslo\u{2009}2024",
            "Ærø ål",
            "a  b",
            "a \u{a0}b",
            "a\u{a0}",
            "ab c d ≤ e° f",
            "x\u{3000}",
            "\u{85}",
        ] {
            assert_eq!(
                collapse_whitespace(s),
                s.split_whitespace().collect::<Vec<_>>().join(" "),
                "{s:?}"
            );
            assert_eq!(is_collapsed(s), collapse_whitespace(s) == s, "{s:?}");
        }
        for c in '\0'..='\u{3100}' {
            // In every place of an eight-byte block, and with a double space.
            let pad = "abcdefgh ijklmnopq";
            let at_every_place = (0..=pad.len()).map(|n| format!("{}{c}{}", &pad[..n], &pad[n..]));
            for s in [
                format!("a{c}b"),
                format!("a {c}b"),
                format!("{c}"),
                format!("ab{c}"),
                format!("abcdefgh{c}  x"),
            ]
            .into_iter()
            .chain(at_every_place)
            {
                let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(is_collapsed(&s), want == s, "{s:?}");
                assert_eq!(collapsed(&s), want, "{s:?}");
            }
        }
    }
}
