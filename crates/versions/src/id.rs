//! Stable recommendation ids: short, URL-safe, deterministic.
//!
//! A first-version recommendation's id is a hash of its group, guideline slug
//! and text, written as `r` and seven characters of Crockford's base32 in
//! lower case (`r4k9fz2q`): a valid URL fragment and HTML id as it is, and no
//! letters that read as digits (i, l, o, u are left out). The hash is FNV-1a,
//! written out here because its value must never change with a Rust release.

use crate::text::{latin1, lower_char};
use std::collections::HashSet;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// FNV-1a over parts, each part after the first preceded by the byte 0xff.
#[derive(Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    const START: Fnv1a = Fnv1a(0xcbf2_9ce4_8422_2325);

    fn bytes(mut self, bytes: &[u8]) -> Fnv1a {
        for &b in bytes {
            self = self.byte(b);
        }
        self
    }

    #[inline]
    fn byte(self, b: u8) -> Fnv1a {
        Fnv1a((self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
    }

    /// The separator before the next part.
    fn next_part(self) -> Fnv1a {
        self.bytes(&[0xff])
    }
}

fn encode(mut h: u64) -> String {
    let mut out = String::with_capacity(8);
    out.push('r');
    for _ in 0..7 {
        out.push(ALPHABET[(h & 31) as usize] as char);
        h >>= 5;
    }
    out
}

/// `h` after the bytes of `s.to_lowercase()`.
fn lowercased(h: Fnv1a, s: &str) -> Fnv1a {
    let mut first = true;
    words_lowercased(h, s, &mut first)
}

/// A character lower-cased: ASCII, the second byte of a two-byte Latin-1
/// letter (U+00C0–U+00FF, whose first byte stays 0xc3), or any other character
/// still to lower-case.
enum Lower {
    Ascii(u8),
    Latin1(u8),
    Other(char),
}

/// `h` after the bytes of the words of `s` (as `split_whitespace` gives
/// them), each lower-cased, with a space before each word but the very first
/// (`first` says whether that is still to come). One pass over the bytes.
fn words_lowercased(mut h: Fnv1a, s: &str, first: &mut bool) -> Fnv1a {
    let b = s.as_bytes();
    // Where the current word started, and the hash before it; None between words.
    let mut word: Option<(usize, Fnv1a)> = None;
    let mut i = 0;
    while i < b.len() {
        // The character at `i` lower-cased, and its length.
        let (lower, len) = match b[i] {
            b' ' | 0x09..=0x0d => {
                word = None;
                i += 1;
                continue;
            }
            c if c < 0x80 => (Lower::Ascii(c.to_ascii_lowercase()), 1),
            c @ 0xc3 => (Lower::Latin1(latin1(c, b[i + 1]).1), 2),
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    word = None;
                    i += c.len_utf8();
                    continue;
                }
                (Lower::Other(c), c.len_utf8())
            }
        };
        let (start, before) = *word.get_or_insert_with(|| {
            if !std::mem::take(first) {
                h = h.bytes(b" ");
            }
            (i, h)
        });
        h = match lower {
            Lower::Ascii(c) => h.bytes(&[c]),
            Lower::Latin1(second) => h.bytes(&[0xc3, second]),
            Lower::Other('Σ') => {
                // Its lower case depends on the word around it: the whole
                // word lower-cased by `str::to_lowercase`.
                let end = s[i..].find(char::is_whitespace).map_or(s.len(), |e| i + e);
                word = None;
                i = end;
                h = before.bytes(s[start..end].to_lowercase().as_bytes());
                continue;
            }
            Lower::Other(c) => {
                lower_char(c, |l| h = h.bytes(l.encode_utf8(&mut [0; 4]).as_bytes()));
                h
            }
        };
        i += len;
        // The rest of the word's ASCII at once.
        while let Some(&c) = b.get(i) {
            if c >= 0x80 || matches!(c, b' ' | 0x09..=0x0d) {
                break;
            }
            h = h.byte(c.to_ascii_lowercase());
            i += 1;
        }
    }
    h
}

/// The id of a recommendation first seen with this text: derived from the
/// group (case-insensitive), the guideline's slug and the text's words (case
/// and whitespace ignored), so re-running gives the same id. `taken` holds
/// every id already given in the guideline's history; a clash is resolved by
/// hashing again with a counter, the same way every time.
pub fn derive(group: &str, slug: &str, text: &str, taken: &HashSet<String>) -> String {
    derive_from_texts(group, slug, [text], taken)
}

/// [`derive`](fn@derive) for the text that is `texts` joined by spaces, without joining them.
pub fn derive_from_texts<'a>(
    group: &str,
    slug: &str,
    texts: impl IntoIterator<Item = &'a str>,
    taken: &HashSet<String>,
) -> String {
    // The hash of the parts group, slug and the words lower-cased and joined
    // by single spaces; only the salt after them changes on a clash.
    let mut h = lowercased(Fnv1a::START, group)
        .next_part()
        .bytes(slug.as_bytes())
        .next_part();
    let mut first = true;
    for t in texts {
        h = words_lowercased(h, t, &mut first);
    }
    let h = h.next_part();
    let mut salt = String::new();
    for n in 0u32.. {
        let id = encode(h.bytes(salt.as_bytes()).0);
        if !taken.contains(&id) {
            return id;
        }
        salt = n.to_string();
    }
    unreachable!("u32 salts run out only after 4 billion clashes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_short_and_url_safe() {
        let none = HashSet::new();
        let a = derive("DMSG", "myelomatose-hdt", "Giv  melphalan", &none);
        assert_eq!(a, derive("dmsg", "myelomatose-hdt", "giv melphalan", &none));
        // The value itself is part of the contract: published links use it.
        assert_eq!(a, "rhseg7mz");
        assert_eq!(
            derive("DMSG", "x", "Æble  ΟΔΟΣ\tİ", &none),
            encode(old_fnv1a(&["dmsg", "x", "æble οδος i̇", ""]))
        );
        for c in ('\0'..='\u{3100}').chain(['Σ', 'Ω', 'Ａ']) {
            let text = format!("Ab{c}c d{c} {c}Σ{c}x{c} ÆΣ");
            let words = text
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(
                derive("DMSG", "x", &text, &none),
                encode(old_fnv1a(&["dmsg", "x", &words, ""])),
                "{c:?}"
            );
        }
        assert_eq!(a.len(), 8);
        assert!(vejviser_model::IdPin::valid_id(&a));
        assert_ne!(a, derive("DMSG", "andet-slug", "Giv melphalan", &none));
        let taken: HashSet<String> = [a.clone()].into();
        let b = derive("DMSG", "myelomatose-hdt", "Giv melphalan", &taken);
        assert_ne!(a, b);
        assert_eq!(
            b,
            derive("DMSG", "myelomatose-hdt", "Giv melphalan", &taken)
        );
        assert_eq!(
            b,
            encode(old_fnv1a(&[
                "dmsg",
                "myelomatose-hdt",
                "giv melphalan",
                "0"
            ]))
        );
    }

    /// The hash as first written: the parts joined by 0xff, then FNV-1a.
    fn old_fnv1a(parts: &[&str]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, p) in parts.iter().enumerate() {
            if k > 0 {
                h ^= 0xff;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            for b in p.bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    }
}
