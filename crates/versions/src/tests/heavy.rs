//! Heavy rewording (issue 17): how matching fares when a working group
//! rewrites a recommendation thoroughly — 30 to 60 % of its words replaced
//! by words of the same guideline (its own clinical vocabulary, so the
//! rewrite looks like the other recommendations, not like noise), its
//! clauses and sentences reordered, and moved to another topic. Two
//! settings: one recommendation rewritten at a time (the rest as they were),
//! and a full revision (every recommendation rewritten at once, every fifth
//! removed, new ones written from the same vocabulary, the order shuffled).
//! Each recommendation's outcome is counted as kept (matched to the one it
//! continues), wrong (matched to another, or a new one given an old id: a
//! link would land on a different recommendation) or lost (a new id).
//!
//! The samples run on every `cargo test` (no wrong match allowed); the corpus
//! with `VEJVISER_CORPUS=<corpus>/guidelines cargo test -p vejviser-versions
//! -- --ignored measure_heavy_rewording --nocapture`.

use super::{new_rec, parse_file, samples};
use crate::matching::match_recommendations;
use crate::text;
use vejviser_model::{Guideline, Recommendation};

/// SplitMix64: the same edits on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// Every word of a guideline's recommendations.
fn vocabulary(g: &Guideline) -> Vec<String> {
    g.recommendations
        .iter()
        .flat_map(|r| r.statements.iter())
        .flat_map(|s| s.text.split_whitespace().map(str::to_string))
        .collect()
}

/// Replaces `percent` % of each statement's words by words of `vocab`, swaps
/// the halves of each longer statement (clause order) and reverses the order
/// of the statements (sentence order).
fn rewrite(r: &mut Recommendation, percent: usize, vocab: &[String], rng: &mut Rng) {
    for s in &mut r.statements {
        let mut words: Vec<String> = s.text.split_whitespace().map(str::to_string).collect();
        let n = words.len();
        let mut places: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut places);
        for &i in &places[..(n * percent).div_ceil(100).min(n)] {
            words[i] = vocab[rng.below(vocab.len())].clone();
        }
        if n > 6 {
            words.rotate_left(n / 2);
        }
        s.text = words.join(" ");
    }
    r.statements.reverse();
    r.source = text::text_of(r);
}

fn other_topic(g: &Guideline, topic: &str) -> String {
    g.topics()
        .into_iter()
        .find(|t| *t != topic)
        .unwrap_or("Et nyt emne")
        .to_string()
}

/// Outcomes, counted over recommendations.
#[derive(Default, Debug, Clone, Copy, PartialEq)]
struct Tally {
    kept: usize,
    /// Matched to another recommendation than the one it continues.
    wrong: usize,
    /// A new recommendation given an old one's id.
    stolen: usize,
    lost: usize,
    /// New recommendations that correctly got a new id.
    new_ok: usize,
}

impl Tally {
    fn count(&mut self, expected: Option<usize>, got: Option<usize>) {
        match (expected, got) {
            (Some(i), Some(k)) if i == k => self.kept += 1,
            (None, None) => self.new_ok += 1,
            (Some(_), None) => self.lost += 1,
            (None, Some(_)) => self.stolen += 1,
            _ => self.wrong += 1,
        }
    }
    fn add(&mut self, o: Tally) {
        self.kept += o.kept;
        self.wrong += o.wrong;
        self.stolen += o.stolen;
        self.lost += o.lost;
        self.new_ok += o.new_ok;
    }
}

fn matched(old: &Guideline, new: &Guideline) -> Vec<Option<usize>> {
    let ids: Vec<String> = (0..old.recommendations.len())
        .map(|i| format!("r{i}"))
        .collect();
    match_recommendations(&old.recommendations, &ids, &new.recommendations).old_of
}

/// One recommendation at a time rewritten (and with `moved`, moved to
/// another topic); the outcome of the rewritten one, and any other
/// recommendation whose match changed counts as wrong.
fn one_at_a_time(g: &Guideline, percent: usize, moved: bool, seed: u64) -> Tally {
    let vocab = vocabulary(g);
    let mut t = Tally::default();
    for k in 0..g.recommendations.len() {
        let mut rng = Rng(seed ^ (k as u64) << 20);
        let mut e = g.clone();
        rewrite(&mut e.recommendations[k], percent, &vocab, &mut rng);
        if moved {
            e.recommendations[k].topic = other_topic(g, &g.recommendations[k].topic);
        }
        let m = matched(g, &e);
        t.count(Some(k), m[k]);
        t.wrong += (0..m.len()).filter(|&j| j != k && m[j] != Some(j)).count();
    }
    t
}

/// A full revision: every recommendation rewritten, every third moved to
/// another topic, every fifth removed, a new one (words of the guideline) after
/// every fourth, the order shuffled.
fn full_revision(g: &Guideline, percent: usize, seed: u64) -> Tally {
    let vocab = vocabulary(g);
    let mut rng = Rng(seed);
    let mut recs: Vec<(Option<usize>, Recommendation)> = Vec::new();
    for (i, r) in g.recommendations.iter().enumerate() {
        if i % 5 == 4 {
            continue;
        }
        let mut e = r.clone();
        rewrite(&mut e, percent, &vocab, &mut rng);
        if i % 3 == 1 {
            e.topic = other_topic(g, &r.topic);
        }
        recs.push((Some(i), e));
        if i % 4 == 2 {
            let n = 12 + rng.below(18);
            let words: Vec<String> = (0..n)
                .map(|_| vocab[rng.below(vocab.len())].clone())
                .collect();
            recs.push((None, new_rec(&r.topic, &words.join(" "))));
        }
    }
    rng.shuffle(&mut recs);
    let mut e = g.clone();
    let expected: Vec<Option<usize>> = recs.iter().map(|(x, _)| *x).collect();
    e.recommendations = recs.into_iter().map(|(_, r)| r).collect();
    for (n, r) in e.recommendations.iter_mut().enumerate() {
        r.number = n as u32 + 1;
    }
    let m = matched(g, &e);
    let mut t = Tally::default();
    for (x, got) in expected.iter().zip(&m) {
        t.count(*x, *got);
    }
    t
}

const PERCENTS: &[usize] = &[30, 40, 50, 60];

/// Rows of the table in docs/versions.md: (setting, percent, tally).
fn measure(gs: &[Guideline]) -> Vec<(&'static str, usize, Tally)> {
    let mut rows = Vec::new();
    for &p in PERCENTS {
        for (name, moved) in [("one at a time", false), ("one at a time, moved", true)] {
            let mut t = Tally::default();
            for (n, g) in gs.iter().enumerate() {
                t.add(one_at_a_time(g, p, moved, 17 + n as u64));
            }
            rows.push((name, p, t));
        }
        let mut t = Tally::default();
        for (n, g) in gs.iter().enumerate() {
            t.add(full_revision(g, p, 29 + n as u64));
        }
        rows.push(("full revision", p, t));
    }
    rows
}

fn print(rows: &[(&str, usize, Tally)]) {
    println!("| setting | words replaced | kept | wrong | lost | new, correctly new | new, given an old id |");
    println!("|---|---|---|---|---|---|---|");
    for (name, p, t) in rows {
        println!(
            "| {name} | {p} % | {} | {} | {} | {} | {} |",
            t.kept, t.wrong, t.lost, t.new_ok, t.stolen
        );
    }
}

/// On the samples: never a wrong match, at any degree of rewording; a
/// rewrite that keeps 70 % of the words keeps its id.
#[test]
fn heavy_rewording_never_moves_an_id_to_another_recommendation() {
    let s = samples();
    let rows = measure(&s);
    print(&rows);
    for (name, p, t) in &rows {
        assert_eq!((t.wrong, t.stolen), (0, 0), "{name}, {p} %: {t:?}");
    }
    let (_, _, first) = rows[0];
    assert_eq!(first.lost, 0, "30 % replaced, one at a time: {first:?}");
}

#[test]
#[ignore]
fn measure_heavy_rewording() {
    let Ok(root) = std::env::var("VEJVISER_CORPUS") else {
        print(&measure(&samples()));
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else if e.extension().is_some_and(|x| x == "md") {
                files.push(e);
            }
        }
    }
    files.sort();
    let gs: Vec<Guideline> = files.iter().map(|f| parse_file(f)).collect();
    let recs: usize = gs.iter().map(|g| g.recommendations.len()).sum();
    println!("{} guidelines, {recs} recommendations", gs.len());
    print(&measure(&gs));
}
