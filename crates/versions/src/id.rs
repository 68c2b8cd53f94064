//! Stable recommendation ids: short, URL-safe, deterministic.
//!
//! A first-version recommendation's id is a hash of its group, guideline slug
//! and text, written as `r` and seven characters of Crockford's base32 in
//! lower case (`r4k9fz2q`): a valid URL fragment and HTML id as it is, and no
//! letters that read as digits (i, l, o, u are left out). The hash is FNV-1a,
//! written out here because its value must never change with a Rust release.

use std::collections::HashSet;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

fn fnv1a(parts: &[&str]) -> u64 {
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

fn encode(mut h: u64) -> String {
    let mut out = String::with_capacity(8);
    out.push('r');
    for _ in 0..7 {
        out.push(ALPHABET[(h & 31) as usize] as char);
        h >>= 5;
    }
    out
}

/// The id of a recommendation first seen with this text: derived from the
/// group (case-insensitive), the guideline's slug and the text's words (case
/// and whitespace ignored), so re-running gives the same id. `taken` holds
/// every id already given in the guideline's history; a clash is resolved by
/// hashing again with a counter, the same way every time.
pub fn derive(group: &str, slug: &str, text: &str, taken: &HashSet<String>) -> String {
    let group = group.to_lowercase();
    let words = text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let mut salt = String::new();
    for n in 0u32.. {
        let id = encode(fnv1a(&[&group, slug, &words, &salt]));
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
    }
}
