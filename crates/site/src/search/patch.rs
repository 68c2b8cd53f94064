//! An incremental rebuild's full-text index (issue 13): when the live site's
//! index was made by the same program for the same guidelines in the same
//! order, only the buckets holding terms that the guidelines made anew in this
//! build gained, lost or changed are read, changed and written again; the rest
//! are the live site's files, linked. The result is byte for byte what a build
//! from scratch writes (`tests/site.rs` compares them), since the live index is
//! itself one, made from the same fragments.

use super::{
    bucket, bucket_count, bucket_file, entry, read_full_terms, Listed, Postings, Sites, State, DIR,
    FULL_BITS,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Edits of one bucket: per term, per guideline id, its new bits (`None`: gone).
type Edits = BTreeMap<String, Vec<(u32, Option<u32>)>>;

/// The full-text bucket files that changed, the names of those that did not,
/// the index's size and the number of buckets; `None` when the index has to
/// be made from scratch (a live file missing or unreadable, or the number of
/// buckets changes).
#[allow(clippy::type_complexity)]
pub(super) fn patch(
    listed: &[Listed],
    sites: &Sites,
    previous: &State,
) -> Option<(Vec<(String, Vec<u8>)>, Vec<String>, u64, usize)> {
    let n = bucket_count(previous.full_bytes);
    let live = sites.live.join(DIR).join("f");
    if (0..n).any(|b| !live.join(format!("{b}.js")).is_file()) {
        return None;
    }
    let made: Vec<(u32, &Listed)> = listed
        .iter()
        .enumerate()
        .filter(|(_, l)| l.rendered)
        .map(|(id, l)| (id as u32, l))
        .collect();
    type Terms = HashMap<String, u32>;
    let found: Vec<Option<(Terms, Terms)>> = made
        .par_iter()
        .map(|(_, l)| {
            let old = read_full_terms(sites.live, &l.row.url, l.old_fragments).ok()?;
            let new = read_full_terms(sites.staging, &l.row.url, l.fragments).ok()?;
            Some((old, new))
        })
        .collect();
    let mut edits: BTreeMap<usize, Edits> = BTreeMap::new();
    for ((id, _), f) in made.iter().zip(found) {
        let (old, new) = f?;
        let mut edit = |t: &str, bits: Option<u32>| {
            edits
                .entry(bucket(t, n))
                .or_default()
                .entry(t.to_string())
                .or_default()
                .push((*id, bits));
        };
        for (t, bits) in &new {
            if old.get(t) != Some(bits) {
                edit(t, Some(*bits));
            }
        }
        for t in old.keys().filter(|t| !new.contains_key(*t)) {
            edit(t, None);
        }
    }
    let mut total = i128::from(previous.full_bytes);
    let mut files = Vec::with_capacity(edits.len());
    for (b, terms) in &edits {
        let mut index = read_bucket(&live.join(format!("{b}.js")), *b)?;
        let size = |index: &BTreeMap<String, Postings>| -> i128 {
            index
                .iter()
                .map(|(t, p)| entry(t, p, FULL_BITS).len() as i128 + 1)
                .sum()
        };
        total -= size(&index);
        for (t, changes) in terms {
            let p = index.entry(t.clone()).or_default();
            for &(id, bits) in changes {
                match (p.binary_search_by_key(&id, |x| x.0), bits) {
                    (Ok(i), Some(bits)) => p[i].1 = bits,
                    (Ok(i), None) => {
                        p.remove(i);
                    }
                    (Err(i), Some(bits)) => p.insert(i, (id, bits)),
                    (Err(_), None) => {}
                }
            }
            if p.is_empty() {
                index.remove(t);
            }
        }
        total += size(&index);
        let entries: Vec<String> = index.iter().map(|(t, p)| entry(t, p, FULL_BITS)).collect();
        files.push(bucket_file(*b, &entries));
    }
    let total = u64::try_from(total).ok()?;
    if bucket_count(total) != n {
        return None;
    }
    let changed: BTreeSet<usize> = edits.keys().copied().collect();
    let unchanged = (0..n)
        .filter(|b| !changed.contains(b))
        .map(|b| format!("{DIR}/f/{b}.js"))
        .collect();
    Some((files, unchanged, total, n))
}

/// A live full-text bucket, decoded: term to postings.
fn read_bucket(path: &std::path::Path, n: usize) -> Option<BTreeMap<String, Postings>> {
    let text = std::fs::read_to_string(path).ok()?;
    let json = text
        .strip_prefix(&format!("VEJVISER_SEARCH.full({n},"))?
        .strip_suffix(");\n")?;
    let raw: BTreeMap<String, Vec<u64>> = serde_json::from_str(json).ok()?;
    raw.into_iter()
        .map(|(t, vs)| {
            let mut id: u64 = 0;
            let p: Option<Postings> = vs
                .into_iter()
                .map(|v| {
                    id += v >> FULL_BITS;
                    Some((u32::try_from(id).ok()?, (v & 0xff) as u32))
                })
                .collect();
            Some((t, p?))
        })
        .collect()
}
