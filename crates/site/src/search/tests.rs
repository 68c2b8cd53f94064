//! The search index's folding, term walk, postings and buckets, held to
//! their definitions.

use super::*;

#[test]
fn folding_meets_case_accents_and_danish_letters() {
    assert_eq!(fold("UDLØBET Æble Århus"), "udloebet aeble aarhus");
    assert_eq!(fold("Sjögren café"), "sjogren cafe");
    assert_eq!(
        terms("HER2-positiv brystkræft, 5 mg/m2"),
        ["her2", "positiv", "brystkraeft", "mg", "m2"]
    );
}

#[test]
fn folding_in_one_pass_is_folding_by_steps() {
    for s in [
        "ÆBLE Ørred Å",
        "Sjögren café",
        "ΟΔΥΣΣΕΥΣ Σ σ",
        "İstanbul",
        "ǅemal ﬁ",
        "Straße",
        "Ångström 5 mg/m²",
        "",
        "x",
        "cafe\u{301} – “x” é",
        "a\u{5b0}\u{591}",
    ] {
        assert_eq!(fold(s), fold_by_steps(s), "{s}");
    }
}

/// The terms as their definition reads: the whole text folded by steps,
/// cut at every character that is not a letter or digit.
fn terms_by_definition(s: &str) -> Vec<String> {
    fold_by_steps(s)
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_string)
        .collect()
}

#[test]
fn terms_are_those_of_the_folded_whole_cut_at_non_letters() {
    for s in [
        "Højdosis-behandling, MRD < 10^-5; PS ≥ 2.",
        "ÆBLE,Ørred;Å",
        "a,\u{301}b cafe\u{301} x\u{316}\u{301}y",
        // A Greek question mark decomposes to `;`, a delimiter.
        "ab\u{37e}cd",
        "İstanbul ǅemal ﬁsk Straße",
        "ΟΔΥΣΣΕΥΣ og σ",
        "x y zz 10 2,5 mg/m²",
        "",
    ] {
        let mut walked = Vec::new();
        each_term(s, |t| walked.push(t.to_string()));
        assert_eq!(walked, terms_by_definition(s), "{s}");
    }
}

proptest::proptest! {
    #[test]
    fn folding_in_one_pass_is_folding_by_steps_for_any_text(
        s in "([a-zA-Z0-9 æøåÆØÅéÉüÜßΣσςİıǅﬁ²\\-]|\\PC){0,40}"
    ) {
        proptest::prop_assert_eq!(fold(&s), fold_by_steps(&s));
        let mut walked = Vec::new();
        each_term(&s, |t| walked.push(t.to_string()));
        proptest::prop_assert_eq!(walked, terms_by_definition(&s));
    }
}

#[test]
fn postings_are_gaps_with_places() {
    let p: Postings = vec![
        (0, IN_TITLE),
        (3, IN_RECOMMENDATION | IN_EVIDENCE),
        (4, IN_REFERENCE),
    ];
    assert_eq!(encode(&p, PLACE_BITS), "[1,108,48]");
}

#[test]
fn buckets_are_fnv1a_of_the_folded_term() {
    // The FNV-1a test vectors; search.js and bench/search_bytes.py compute the same.
    assert_eq!(bucket("", usize::MAX), 0x811c_9dc5);
    assert_eq!(bucket("a", usize::MAX), 0xe40c_292c);
    assert_eq!(bucket("foobar", usize::MAX), 0xbf9c_f968);
    assert_eq!(bucket("blodtypebestemmelse", 1), 0);
}

#[test]
fn shards_hold_consecutive_terms_of_a_bounded_size() {
    let entries: Vec<(String, String)> = (0..2000)
        .map(|i| (format!("t{i:05}"), "x".repeat(100)))
        .collect();
    let shards = pack(&entries);
    assert_eq!(shards[0].0, "");
    assert!(shards.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(shards.iter().map(|s| s.1.len()).sum::<usize>(), 2000);
    // 202,000 bytes in all: shards of at most a 64th (3,156 bytes).
    assert!(shards.iter().all(|s| s.1.len() * 101 <= 202_000 / 64));
    assert_eq!(shards.len(), 2000_usize.div_ceil(202_000 / 64 / 101));
    assert_eq!(shards[1].0, format!("t{:05}", shards[0].1.len()));
    assert_eq!(pack(&[]).len(), 1, "an empty index still has its one shard");
}
