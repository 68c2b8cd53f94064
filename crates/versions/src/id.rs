//! Stable recommendation ids: short, URL-safe, deterministic.
//!
//! A first-version recommendation's id is a hash of its group, guideline slug
//! and text, written as `r` and seven characters of Crockford's base32 in
//! lower case (`r4k9fz2q`): a valid URL fragment and HTML id as it is, and no
//! letters that read as digits (i, l, o, u are left out). The hash is FNV-1a,
//! written out here because its value must never change with a Rust release.

use crate::text::lower_char;
use std::collections::HashSet;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// FNV-1a over parts, each part after the first preceded by the byte 0xff.
#[derive(Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    const START: Fnv1a = Fnv1a(0xcbf2_9ce4_8422_2325);

    fn bytes(mut self, bytes: &[u8]) -> Fnv1a {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
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
fn lowercased(mut h: Fnv1a, s: &str) -> Fnv1a {
    if s.is_ascii() {
        for b in s.bytes() {
            h = h.bytes(&[b.to_ascii_lowercase()]);
        }
        h
    } else if s.contains('Σ') {
        h.bytes(s.to_lowercase().as_bytes())
    } else {
        for c in s.chars() {
            lower_char(c, |l| h = h.bytes(l.encode_utf8(&mut [0; 4]).as_bytes()));
        }
        h
    }
}

/// The id of a recommendation first seen with this text: derived from the
/// group (case-insensitive), the guideline's slug and the text's words (case
/// and whitespace ignored), so re-running gives the same id. `taken` holds
/// every id already given in the guideline's history; a clash is resolved by
/// hashing again with a counter, the same way every time.
pub fn derive(group: &str, slug: &str, text: &str, taken: &HashSet<String>) -> String {
    derive_from_words(group, slug, text.split_whitespace(), taken)
}

/// [`derive`] for the text whose words (whitespace-separated) are `words`,
/// without joining them first.
pub fn derive_from_words<'a>(
    group: &str,
    slug: &str,
    words: impl Iterator<Item = &'a str>,
    taken: &HashSet<String>,
) -> String {
    // The hash of the parts group, slug and the words lower-cased and joined
    // by single spaces; only the salt after them changes on a clash.
    let mut h = lowercased(Fnv1a::START, group)
        .next_part()
        .bytes(slug.as_bytes())
        .next_part();
    for (k, w) in words.enumerate() {
        if k > 0 {
            h = h.bytes(b" ");
        }
        h = lowercased(h, w);
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
