//! An incremental rebuild's full-text index (issue 13): when the live site's
//! index was made by the same program for the same guidelines in the same
//! order, only the buckets holding terms that the guidelines made anew in this
//! build gained, lost or changed are read, changed and written again; the rest
//! are the live site's files, linked. The result is byte for byte what a build
//! from scratch writes (`tests/site/incremental.rs` compares them), since the live index is
//! itself one, made from the same fragments.

use super::{
    bucket, bucket_count, bucket_file, entry, read_full_terms, Listed, Postings, Sites, State,
    Terms, DIR, FULL_BITS,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

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

#[cfg(test)]
mod tests {
    use super::super::text::{file_name, script, Piece};
    use super::super::{index, Index, IN_EVIDENCE, IN_REFERENCE};
    use super::*;
    use crate::Row;
    use std::path::Path;

    fn row(url: &str) -> Row {
        Row {
            title: format!("Titel {url}"),
            url: url.to_string(),
            dmcg: "dmsg".into(),
            group: "Myelomgruppen".into(),
            version: "1.0".into(),
            language: "da",
            professional_approval: None,
            administrative_approval: None,
            planned_update: None,
            expires: None,
            status: vejviser_revision::RevisionStatus::Current,
            status_label: "Gældende",
            days_overdue: None,
            keywords: vec!["nøgle".into()],
            recommendations: vec!["Giv behandling".into()],
            changes: None,
            changes_page: false,
        }
    }

    /// Writes a guideline's fragments: 0 empty, then 3 of evidence and references words.
    fn write(root: &Path, url: &str, words: &[String]) {
        let dir = root.join(url).join("search");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(root.join(url).join(file_name(0)), script(url, 0, &[])).unwrap();
        for (k, chunk) in words.chunks(words.len().div_ceil(3)).enumerate() {
            let place = if k == 2 { IN_REFERENCE } else { IN_EVIDENCE };
            let p = Piece {
                place,
                number: None,
                text: chunk.join(" "),
            };
            std::fs::write(
                root.join(url).join(file_name(k + 1)),
                script(url, k + 1, &[p]),
            )
            .unwrap();
        }
    }

    fn build(
        rows: &[Row],
        rendered: &[bool],
        staging: &Path,
        live: &Path,
        previous: Option<&State>,
    ) -> Index {
        let listed: Vec<Listed> = rows
            .iter()
            .zip(rendered)
            .map(|(r, &rendered)| Listed {
                row: r,
                fragments: 4,
                old_fragments: 4,
                rendered,
            })
            .collect();
        let sites = Sites {
            staging,
            live,
            previous,
            build_id: "test",
        };
        index(&listed, &sites).unwrap()
    }

    /// Every index file of a build: those it returned and those it wrote to `staging`.
    fn all_files(ix: &Index, staging: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all = ix.files.clone();
        for name in &ix.written {
            all.push((name.clone(), std::fs::read(staging.join(name)).unwrap()));
        }
        all.sort();
        all
    }

    /// The full-text index made through spill files is the one made in
    /// memory, whether there are more buckets than partitions or fewer, and
    /// its temporary files are gone afterwards.
    #[test]
    fn the_spilled_index_equals_the_index_made_in_memory() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, spill_in) = (tmp.path().join("site"), tmp.path().join("spill"));
        std::fs::create_dir_all(&spill_in).unwrap();
        let rows: Vec<Row> = ["dmsg/a/", "dmsg/b/", "dmsg/c/"].map(row).into();
        for (g, r) in rows.iter().enumerate() {
            // Shared words (postings of several guidelines) and words of one.
            let words: Vec<String> = (0..3000)
                .map(|i| format!("ord{}x{i}", if i % 3 == 0 { 9 } else { g }))
                .collect();
            write(&root, &r.url, &words);
        }
        let listed: Vec<Listed> = rows
            .iter()
            .map(|r| Listed {
                row: r,
                fragments: 4,
                old_fragments: 0,
                rendered: true,
            })
            .collect();
        let (memory, total) = super::super::full_index(&listed, &root).unwrap();
        assert!(memory.len() >= 8, "{} buckets", memory.len());
        for partitions in [1, 4, 64] {
            let mut got: Vec<Option<Vec<String>>> = vec![None; memory.len()];
            let (t, n) = super::super::spill::full_index(
                &listed,
                &root,
                &spill_in,
                partitions,
                &mut |b, entries| {
                    assert!(
                        got[b].replace(entries.to_vec()).is_none(),
                        "bucket {b} twice"
                    );
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!((t, n), (total, memory.len()), "{partitions} partitions");
            let got: Vec<Vec<String>> = got.into_iter().map(Option::unwrap).collect();
            assert!(got == memory, "{partitions} partitions: the buckets differ");
            assert_eq!(std::fs::read_dir(&spill_in).unwrap().count(), 0);
        }
    }

    fn put(root: &Path, files: &[(String, Vec<u8>)]) {
        for (name, bytes) in files {
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }

    #[test]
    fn an_edit_rewrites_only_its_buckets_and_equals_a_build_from_scratch() {
        let tmp = tempfile::tempdir().unwrap();
        let (live, next, empty) = (
            tmp.path().join("live"),
            tmp.path().join("next"),
            tmp.path().join("empty"),
        );
        let rows: Vec<Row> = ["dmsg/a/", "dmsg/b/", "dmsg/c/"].map(row).into();
        let words =
            |g: usize| -> Vec<String> { (0..3000).map(|i| format!("ord{g}x{i}")).collect() };
        for (g, r) in rows.iter().enumerate() {
            write(&live, &r.url, &words(g));
            write(&next, &r.url, &words(g));
        }
        let first = build(&rows, &[true; 3], &live, &empty, None);
        put(&live, &first.files);
        // Guideline b: one word replaced, one added to its references.
        let mut edited = words(1);
        edited[10] = "nytord".into();
        edited.push("ekstra".into());
        write(&next, "dmsg/b/", &edited);
        let patched = build(
            &rows,
            &[false, true, false],
            &next,
            &live,
            Some(&first.state),
        );
        let cold = build(&rows, &[true; 3], &next, &empty, None);
        assert_eq!(patched.state, cold.state);
        let cold_files = all_files(&cold, &next);
        let buckets = cold_files
            .iter()
            .filter(|(n, _)| n.starts_with("search/f/"))
            .count();
        assert!(buckets >= 8, "{buckets} buckets");
        let written: Vec<&String> = patched
            .files
            .iter()
            .map(|(n, _)| n)
            .filter(|n| n.starts_with("search/f/"))
            .collect();
        // Six terms changed: ord1x10 gone, nytord and ekstra new, and the
        // three words that moved to another fragment (1000, 2000, 2001).
        assert!(!written.is_empty() && written.len() <= 6, "{written:?}");
        assert_eq!(written.len() + patched.unchanged.len(), buckets);
        for (name, bytes) in &cold_files {
            match patched.files.iter().find(|(n, _)| n == name) {
                Some((_, b)) => assert!(b == bytes, "{name} differs"),
                None => {
                    assert!(patched.unchanged.contains(name), "{name} missing");
                    assert!(
                        std::fs::read(live.join(name)).unwrap() == *bytes,
                        "{name} differs"
                    );
                }
            }
        }
        // A guideline retitled out of order: the index is made anew, the same as from scratch.
        let mut moved = rows.clone();
        moved.swap(0, 2);
        let anew = build(
            &moved,
            &[false, false, false],
            &next,
            &live,
            Some(&first.state),
        );
        assert!(anew.unchanged.is_empty());
        let anew_files = all_files(&anew, &next);
        let cold = build(&moved, &[true; 3], &next, &empty, None);
        assert!(anew_files == all_files(&cold, &next));
    }
}
