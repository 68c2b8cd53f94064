//! The static search index, split into shards that the search page loads on
//! demand, so a phone downloads only what one query needs (issue 18).
//!
//! Every listed guideline gets a compact id (its place in the overview's
//! order). Its title, keywords, group and recommendation texts are folded
//! ([`fold`]) and cut into terms ([`terms`]); each term keeps the ids of the
//! guidelines it occurs in and where (title, head fields, recommendations).
//! Terms are grouped into shards by their first two letters; a shard larger
//! than [`SHARD_LIMIT`] is split by one more letter, and so on. A small
//! manifest lists the shard keys, and the guideline table (title, URL, group,
//! version) is cut into chunks of [`TABLE_CHUNK`] rows, loaded only for the
//! hits shown. Every file is a script (`VEJVISER_SEARCH.shard(…)`), so search
//! also works opened from disk with no server. The format is documented in
//! docs/site.md; `site-template/site/search.js` is its reader and must fold
//! and cut text exactly as this module does.

use crate::Row;
use serde_json::json;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// The format name written into the manifest.
pub const FORMAT: &str = "vejviser-search/1";
/// A shard's size (bytes) above which it is split by one more letter.
pub const SHARD_LIMIT: usize = 24 * 1024;
/// Rows of the guideline table per chunk file.
pub const TABLE_CHUNK: usize = 32;
/// Where the index lives, under the site root (beside `search/index.html`).
pub const DIR: &str = "search";

/// Where a term occurs in a guideline (bits of a posting).
const IN_TITLE: u32 = 1;
const IN_HEAD: u32 = 2;
const IN_RECOMMENDATION: u32 = 4;
/// Bits of a posting taken by the places above; the rest is the id gap.
const PLACE_BITS: u32 = 3;

/// Folds text for search: lower case, æ ø å as ae oe aa, and accents removed
/// (canonical decomposition without the combining marks U+0300–U+036F), so
/// `Udløbet`, `udlobet` and `UDLØBET` meet as `udloebet`, and `Sjögren` as `sjogren`.
pub fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut danish = String::with_capacity(lower.len() + 8);
    for c in lower.chars() {
        match c {
            'æ' => danish.push_str("ae"),
            'ø' => danish.push_str("oe"),
            'å' => danish.push_str("aa"),
            c => danish.push(c),
        }
    }
    danish
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// The search terms of a text: folded, cut at every character that is not a
/// letter or digit (Unicode `Alphabetic` or `Numeric`), words of at least two
/// characters.
pub fn terms(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_string)
        .collect()
}

/// The first `n` characters of a term.
fn prefix(term: &str, n: usize) -> &str {
    match term.char_indices().nth(n) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

/// Postings of one term: guideline id → places.
type Postings = BTreeMap<u32, u32>;

/// The index files for `rows` (the overview's rows, in its order), as
/// (path under the site root, bytes).
pub fn files(rows: &[Row]) -> Vec<(String, Vec<u8>)> {
    let mut index: BTreeMap<String, Postings> = BTreeMap::new();
    for (id, r) in rows.iter().enumerate() {
        let id = id as u32;
        let mut add = |text: &str, place: u32| {
            for t in terms(text) {
                *index.entry(t).or_default().entry(id).or_default() |= place;
            }
        };
        add(&r.title, IN_TITLE);
        add(&r.group, IN_HEAD);
        add(&r.dmcg, IN_HEAD);
        for k in &r.keywords {
            add(k, IN_HEAD);
        }
        for rec in &r.recommendations {
            add(rec, IN_RECOMMENDATION);
        }
    }
    let encoded: Vec<(String, String)> = index
        .into_iter()
        .map(|(t, p)| {
            let entry = format!(
                "{}:{}",
                serde_json::to_string(&t).expect("a term serialises"),
                encode(&p)
            );
            (t, entry)
        })
        .collect();
    let mut shards: Vec<(String, Vec<&str>)> = Vec::new();
    split(&encoded, 2, &mut shards);

    let mut out = Vec::new();
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    let chunks = rows.len().div_ceil(TABLE_CHUNK);
    let manifest = json!({
        "format": FORMAT,
        "guidelines": rows.len(),
        "table_chunk": TABLE_CHUNK,
        "table_files": chunks,
        "shards": keys,
    });
    out.push((
        format!("{DIR}/manifest.js"),
        script("manifest", None, &manifest.to_string()),
    ));
    for (n, (_, entries)) in shards.iter().enumerate() {
        let body = format!("{{{}}}", entries.join(","));
        out.push((format!("{DIR}/s/{n}.js"), script("shard", Some(n), &body)));
    }
    for (n, chunk) in rows.chunks(TABLE_CHUNK).enumerate() {
        let table: Vec<serde_json::Value> = chunk
            .iter()
            .map(|r| json!([r.title, r.url, r.dmcg, r.version]))
            .collect();
        let body = serde_json::to_string(&table).expect("the table serialises");
        out.push((format!("{DIR}/t/{n}.js"), script("table", Some(n), &body)));
    }
    out
}

/// `VEJVISER_SEARCH.<call>(<n>,<json>);` — a script, so it loads from disk too.
fn script(call: &str, n: Option<usize>, json: &str) -> Vec<u8> {
    let n = n.map(|n| format!("{n},")).unwrap_or_default();
    format!("VEJVISER_SEARCH.{call}({n}{json});\n").into_bytes()
}

/// A term's postings as a JSON array of numbers, each `gap << 3 | places`,
/// where `gap` is the id minus the previous id (the first: the id itself).
fn encode(p: &Postings) -> String {
    let mut s = String::from("[");
    let mut last = 0;
    for (i, (&id, &places)) in p.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&(((id - last) << PLACE_BITS) | places).to_string());
        last = id;
    }
    s.push(']');
    s
}

/// Groups sorted (term, entry) pairs into shards keyed by their first `n`
/// characters; a group over [`SHARD_LIMIT`] is split by `n + 1` (its terms of
/// exactly `n` characters stay under the shorter key).
fn split<'a>(entries: &'a [(String, String)], n: usize, out: &mut Vec<(String, Vec<&'a str>)>) {
    let mut start = 0;
    while start < entries.len() {
        let key = prefix(&entries[start].0, n);
        let end = start
            + entries[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, n) == key)
                .count();
        let group = &entries[start..end];
        let size: usize = group.iter().map(|(_, e)| e.len() + 1).sum();
        let longer = group.iter().any(|(t, _)| t.chars().nth(n).is_some());
        if size > SHARD_LIMIT && longer {
            // Sorted order puts the term equal to the key first.
            let exact = group.iter().take_while(|(t, _)| t.as_str() == key).count();
            if exact > 0 {
                out.push((
                    key.to_string(),
                    group[..exact].iter().map(|(_, e)| e.as_str()).collect(),
                ));
            }
            split(&group[exact..], n + 1, out);
        } else {
            out.push((
                key.to_string(),
                group.iter().map(|(_, e)| e.as_str()).collect(),
            ));
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
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
    fn postings_are_gaps_with_places() {
        let p: Postings = [(0, IN_TITLE), (3, IN_RECOMMENDATION), (4, IN_HEAD)].into();
        assert_eq!(encode(&p), "[1,28,10]");
    }

    #[test]
    fn large_groups_split_by_one_more_letter() {
        let big = "x".repeat(SHARD_LIMIT / 2);
        let entries: Vec<(String, String)> = ["be", "bed", "beh", "bo"]
            .iter()
            .map(|t| (t.to_string(), big.clone()))
            .collect();
        let mut out = Vec::new();
        split(&entries, 2, &mut out);
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["be", "bed", "beh", "bo"]);
    }
}
