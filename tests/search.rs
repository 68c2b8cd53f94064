//! The site's search index in shards (issue 18): the files and manifest are
//! there, every term of every listed guideline is found through the shard the
//! search page would load for it, pointing at that guideline, and no shard is a
//! large part of the whole (a phone loads only the shards of its query).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use vejviser_site::search::{bucket, fold, terms};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines")
}

/// The JSON argument of an index script `VEJVISER_SEARCH.<call>([n,]<json>);`.
fn payload(path: &Path, call: &str, n: Option<usize>) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head = match n {
        Some(n) => format!("VEJVISER_SEARCH.{call}({n},"),
        None => format!("VEJVISER_SEARCH.{call}("),
    };
    let json = text
        .strip_prefix(&head)
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{} is not a {call} script", path.display()));
    serde_json::from_str(json).unwrap()
}

/// Guideline ids and the low `shift` bits of one term's postings (`gap << shift | bits`).
fn decode_with(postings: &Value, shift: u32) -> Vec<(u64, u64)> {
    let mut id = 0;
    postings
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let v = v.as_u64().unwrap();
            id += v >> shift;
            (id, v & ((1 << shift) - 1))
        })
        .collect()
}

/// Guideline ids and places of one term's postings (`gap << 5 | places`).
fn decode(postings: &Value) -> Vec<(u64, u64)> {
    decode_with(postings, 5)
}

/// Guideline ids, places (8 evidence, 16 a reference) and fragment of one
/// full-text term's postings (`gap << 8 | fragment << 2 | where`).
fn decode_full(postings: &Value) -> Vec<(u64, u64, u64)> {
    decode_with(postings, 8)
        .into_iter()
        .map(|(id, v)| (id, (v & 1) * 8 + (v & 2) * 8, (v >> 2) & 63))
        .collect()
}

/// The pieces of text of a guideline's search fragment `k` (`[place, (number,) text]`).
fn fragment(out: &Path, url: &str, k: u64) -> Vec<Value> {
    let p = out.join(url).join(format!("search/{k}.js"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let json = text
        .strip_prefix(&format!(
            "VEJVISER_SEARCH.text({},{k},",
            serde_json::to_string(url).unwrap()
        ))
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{} is not a text script", p.display()));
    serde_json::from_str::<Value>(json)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_term_of_a_listed_guideline_is_found_through_its_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", "2026-11-23", "--no-pdf", "--guidelines"])
        .arg(fixture())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let dir = out.join("search");
    assert!(
        !out.join("search-index.js").exists(),
        "no whole index any more"
    );

    let manifest = payload(&dir.join("manifest.js"), "manifest", None);
    assert_eq!(manifest["format"], "vejviser-search/3");
    assert_eq!(manifest["guidelines"], 3, "the three listed guidelines");
    let keys: Vec<String> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys sorted, unique");
    let shards: Vec<Value> = (0..keys.len())
        .map(|n| payload(&dir.join(format!("s/{n}.js")), "shard", Some(n)))
        .collect();
    let shard_files = std::fs::read_dir(dir.join("s")).unwrap().count();
    assert_eq!(shard_files, keys.len(), "one file per shard key, no more");
    assert_eq!(keys[0], "", "the first shard starts at the beginning");
    // Shard n holds the terms from its key up to the next key.
    for (n, shard) in shards.iter().enumerate() {
        for term in shard.as_object().unwrap().keys() {
            assert!(term >= &keys[n], "{term} in shard {n}");
            assert!(
                n + 1 == keys.len() || term < &keys[n + 1],
                "{term} in shard {n}"
            );
        }
    }
    // The shards search.js loads for a word (a prefix of three or more characters).
    let shards_for = |word: &str| -> Vec<&Value> {
        let mut n = keys.iter().rposition(|k| k.as_str() <= word).unwrap();
        let mut need = vec![&shards[n]];
        while n + 1 < keys.len() && keys[n + 1].starts_with(word) {
            n += 1;
            need.push(&shards[n]);
        }
        need
    };

    // The guideline table, in chunks.
    let chunk = manifest["table_chunk"].as_u64().unwrap() as usize;
    let files = manifest["table_files"].as_u64().unwrap() as usize;
    let table: Vec<Value> = (0..files)
        .flat_map(|n| {
            payload(&dir.join(format!("t/{n}.js")), "table", Some(n))
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(table.len(), 3);
    assert!(chunk >= 1);
    let titles: Vec<&str> = table.iter().map(|r| r[0].as_str().unwrap()).collect();
    assert!(titles.contains(&"Højdosisbehandling ved myelomatose (EKSEMPEL)"));
    assert!(
        !titles.iter().any(|t| t.contains("Udløbet")),
        "a withdrawn guideline is not searchable: {titles:?}"
    );

    // Every term of every listed guideline (title, group, keywords, each
    // recommendation's statements) leads back to it through the shard(s) the
    // search page loads for the term, and for its first three characters typed.
    let mut checked = 0;
    for (id, row) in table.iter().enumerate() {
        let url = row[1].as_str().unwrap();
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(url).join("guideline.json")).unwrap(),
        )
        .unwrap();
        let front = &doc["front"];
        let mut text: Vec<(String, u64)> = vec![
            (front["title"].as_str().unwrap().to_string(), 1),
            (front["dmcg"].as_str().unwrap().to_string(), 2),
        ];
        for k in front["keywords"].as_array().unwrap() {
            text.push((k.as_str().unwrap().to_string(), 2));
        }
        for r in doc["recommendations"].as_array().unwrap() {
            let s: Vec<&str> = r["statements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap())
                .collect();
            text.push((s.join(" "), 4));
        }
        // Every word the prefix index has of a recommendation or keyword is in
        // the text fragment 0 shows in an excerpt.
        let shown: Vec<String> = fragment(&out, url, 0)
            .iter()
            .flat_map(|p| terms(p.as_array().unwrap().last().unwrap().as_str().unwrap()))
            .collect();
        for (text, place) in &text {
            for term in terms(text) {
                let keyword = *place == 2 && text != front["dmcg"].as_str().unwrap();
                assert!(
                    !(*place == 4 || keyword) || shown.contains(&term),
                    "“{term}” of {url} (place {place}) is not in its text fragment 0"
                );
                let found = shards_for(&term)
                    .into_iter()
                    .filter_map(|s| s.get(&term))
                    .flat_map(decode)
                    .any(|(g, p)| g == id as u64 && p & place != 0);
                assert!(found, "“{term}” of {url} (place {place}) not found");
                let typed: String = term.chars().take(3).collect();
                let found = shards_for(&typed).into_iter().any(|s| {
                    s.as_object().unwrap().iter().any(|(t, postings)| {
                        t.starts_with(&typed) && t == &term && !decode(postings).is_empty()
                    })
                });
                assert!(found, "“{term}” not found by typing “{typed}”");
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} terms checked");

    // Words found only in a guideline's evidence or only in its references
    // are found there, and the index says where (issue 14: "isatuximab", in
    // the evidence, gave 0 hits).
    let myeloma = table
        .iter()
        .position(|r| r[1] == "dmsg/myelomatose-hdt/")
        .unwrap() as u64;
    let buckets = manifest["full_shards"].as_u64().unwrap() as usize;
    assert!(buckets >= 1);
    assert_eq!(std::fs::read_dir(dir.join("f")).unwrap().count(), buckets);
    for (word, place) in [("blodtypebestemmelse", 8), ("haematologica", 16)] {
        // Not in the prefix index (title, keywords, recommendations) ...
        assert!(
            shards_for(word).into_iter().all(|s| s.get(word).is_none()),
            "“{word}” is in the prefix index"
        );
        // ... but in its full-text bucket, pointing at the guideline and the place.
        let n = bucket(word, buckets);
        let full = payload(&dir.join(format!("f/{n}.js")), "full", Some(n));
        let postings = decode_full(
            full.get(word)
                .unwrap_or_else(|| panic!("“{word}” not in bucket {n}")),
        );
        assert_eq!(postings.len(), 1, "“{word}”: {postings:?}");
        let (id, at, k) = postings[0];
        assert_eq!((id, at), (myeloma, place), "“{word}”");
        // The fragment named holds the word, in a piece of that place, first
        // in document order (no earlier fragment has it).
        assert!(k >= 1, "fragment 0 is the recommendations and keywords");
        let has = |k: u64| {
            fragment(&out, "dmsg/myelomatose-hdt/", k).iter().any(|p| {
                let a = p.as_array().unwrap();
                a[0] == place
                    && terms(a.last().unwrap().as_str().unwrap()).contains(&word.to_string())
            })
        };
        assert!(has(k), "“{word}” is not in fragment {k}");
        assert!(
            (1..k).all(|j| !has(j)),
            "“{word}” is in an earlier fragment than {k}"
        );
    }
    // Every full-text term sits in its own bucket.
    for n in 0..buckets {
        let full = payload(&dir.join(format!("f/{n}.js")), "full", Some(n));
        for term in full.as_object().unwrap().keys() {
            assert_eq!(bucket(term, buckets), n, "{term}");
        }
    }

    // Case, accents and Danish letters fold the same way in the query.
    assert_eq!(fold("HØJDOSISBEHANDLING"), fold("højdosisbehandling"));
    assert_eq!(terms("Højdosis-behandling"), ["hoejdosis", "behandling"]);

    // A query loads a small part of the index: no shard above a fifth of it,
    // even on this small site (on a large one, a 64th).
    let sizes: Vec<u64> = (0..keys.len())
        .map(|n| {
            std::fs::metadata(dir.join(format!("s/{n}.js")))
                .unwrap()
                .len()
        })
        .collect();
    let total: u64 = sizes.iter().sum();
    let largest = *sizes.iter().max().unwrap();
    assert!(
        largest * 5 < total,
        "largest shard {largest} of {total} bytes"
    );
}
