//! `vejviser diff`: the samples' archive (1.5 → 2.0) in all three formats,
//! an edited copy compared with the original (ids survive renumbering), and
//! bad input (exit 2).

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = "guidelines/dmsg/myelomatose-hdt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vejviser() -> Command {
    let mut c = cargo_bin_cmd!("vejviser");
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = vejviser().arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON")
}

/// (old_number, new_number, change, fields) of one recommendation.
type Row = (Option<u64>, Option<u64>, String, Vec<String>);

fn rows(v: &Value) -> Vec<Row> {
    v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["old_number"].as_u64(),
                r["new_number"].as_u64(),
                r["change"].as_str().unwrap().to_string(),
                r["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_sample_archive_shows_what_changed_since_1_5() {
    let v = json(&[SAMPLE, "--format", "json"]);
    assert_eq!(v["old"]["version"], "1.5");
    assert_eq!(v["new"]["version"], "2.0");
    assert!(v["old"]["path"]
        .as_str()
        .unwrap()
        .ends_with("archive/1.5.md"));
    let s = |x: &[&str]| x.iter().map(|f| f.to_string()).collect::<Vec<_>>();
    let c = |x: &str| x.to_string();
    assert_eq!(
        rows(&v),
        vec![
            (
                Some(1),
                Some(1),
                c("changed"),
                s(&["text", "grade", "notes"])
            ),
            (Some(2), Some(2), c("changed"), s(&["text", "extra_cost"])),
            (None, Some(3), c("added"), s(&[])),
            (
                Some(3),
                Some(4),
                c("changed"),
                s(&["text", "medicinraadet", "notes"])
            ),
            (Some(4), Some(5), c("unchanged"), s(&[])),
            (None, Some(6), c("added"), s(&[])),
            (Some(5), Some(7), c("changed"), s(&["text"])),
            (None, Some(8), c("added"), s(&[])),
        ]
    );
    // Every id is short, URL-safe and distinct.
    let ids: Vec<&str> = v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|i| i.len() == 8
        && i.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
    assert_eq!(
        ids.iter().collect::<std::collections::BTreeSet<_>>().len(),
        ids.len()
    );
    // The sample's changelog names every change.
    assert_eq!(v["changelog"]["unmentioned"], serde_json::json!([]));
    assert_eq!(v["references"]["added"].as_array().unwrap().len(), 7);
    assert_eq!(v["references"]["removed"][0]["number"], 3);
    // Same ids whether the archive is found from PATH or named as OLD.
    let both = json(&[
        &format!("{SAMPLE}/archive/1.5.md"),
        &format!("{SAMPLE}/guideline.md"),
        "--format",
        "json",
    ]);
    assert_eq!(both["recommendations"], v["recommendations"]);
}

#[test]
fn text_and_markdown_mark_changed_words() {
    let (code, text, _) = run(&[SAMPLE]);
    assert_eq!(code, 0);
    assert!(
        text.contains("Anbefalinger: 3 nye, 0 fjernede, 4 ændrede, 1 uændret"),
        "{text}"
    );
    assert!(
        text.contains(
            "Plerixafor [-kan anvendes ved-] {+bør forbeholdes patienter med+} utilstrækkelig"
        ),
        "{text}"
    );
    assert!(
        text.contains("= anbefaling 5 (nummer 4 i version 1.5) [rnw4n6ny] uændret"),
        "{text}"
    );
    assert!(text.contains("anbefalingsgrad A → A+C"), "{text}");
    assert!(text.contains("Referencer: 7 tilføjet, 1 fjernet"), "{text}");
    let (code, md, _) = run(&[SAMPLE, "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(
        md.contains(
            "Plerixafor ~~kan anvendes ved~~ **bør forbeholdes patienter med** utilstrækkelig"
        ),
        "{md}"
    );
    assert!(md.contains("**Ændret**: tekst; merudgift tilføjet"), "{md}");
    assert!(md.contains("### Anbefaling 3 `rp8nxc7p`\n\n**Ny**"), "{md}");
    // Deterministic.
    assert_eq!(run(&[SAMPLE]).1, text);
}

/// An English guideline's difference is in English: the same words as its
/// version findings (VV0505), and the JSON is the same whatever the language.
#[test]
fn an_english_guideline_gets_an_english_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let old = root().join("guidelines/dbcg/adjuvant-endocrine-therapy/guideline.md");
    let src = std::fs::read_to_string(&old).unwrap();
    // Recommendation 5's grade C → B; recommendation 4 removed (its line in
    // chapter 2 and in chapter 4).
    let edited = src
        .replace("T-score below −1.0 (C)", "T-score below −1.0 (B)")
        .lines()
        .filter(|l| !l.starts_with("4. Ribociclib"))
        .collect::<Vec<_>>()
        .join("\n");
    let new = tmp.path().join("guideline.md");
    std::fs::write(&new, edited + "\n").unwrap();
    let args = [old.to_str().unwrap(), new.to_str().unwrap()];
    let (code, text, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("Recommendations: 0 added, 1 removed, 1 changed, 5 unchanged"),
        "{text}"
    );
    assert!(text.contains("] changed: grade C → B\n"), "{text}");
    assert!(text.contains("- recommendation 4 in version 1.1"), "{text}");
    assert!(
        text.contains("The changelog does not mention recommendation 5\n"),
        "{text}"
    );
    assert!(!text.contains("anbefaling"), "{text}");
    let (_, md, _) = run(&[args[0], args[1], "--format", "markdown"]);
    assert!(md.contains("**Changed**: grade C → B"), "{md}");
    assert!(md.contains("**Removed**"), "{md}");
    // JSON keeps its English keys and values in either language.
    let v = json(&[args[0], args[1], "--format", "json"]);
    let r = rows(&v);
    assert!(
        r.contains(&(Some(5), Some(5), "changed".into(), vec!["grade".into()])),
        "{r:?}"
    );
    assert!(
        r.contains(&(Some(4), None, "removed".into(), vec![])),
        "{r:?}"
    );
    let da = json(&[SAMPLE, "--format", "json"]);
    assert_eq!(da["recommendations"][0]["change"], "changed");
    assert_eq!(da["recommendations"][0]["fields"][0], "text");
}

#[test]
fn ids_survive_renumbering_and_removal_in_an_edited_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(root().join(SAMPLE).join("guideline.md")).unwrap();
    // Remove recommendation 3 (and its evidence reference) and renumber 4–8 to 3–7.
    let mut lines: Vec<String> = Vec::new();
    let mut skip = false;
    for l in src.lines() {
        if l.starts_with("3. Hos patienter med perifer neuropati") {
            skip = true;
            continue;
        }
        if skip && l.is_empty() {
            skip = false;
            continue;
        }
        let l = match l.split_once(". ") {
            Some((n, rest))
                if n.parse::<u32>().is_ok_and(|n| (4..=8).contains(&n)) && !l.starts_with(' ') =>
            {
                format!("{}. {rest}", n.parse::<u32>().unwrap() - 1)
            }
            _ => l.replace("[Anbefaling 3]", "[Anbefaling 2]"),
        };
        lines.push(l);
    }
    let edited = tmp.path().join("edited.md");
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();
    let original = root().join(SAMPLE).join("guideline.md");
    let v = json(&[
        original.to_str().unwrap(),
        edited.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let r = rows(&v);
    assert!(
        r.contains(&(Some(3), None, "removed".into(), vec![])),
        "{r:?}"
    );
    for n in 4..=8 {
        assert!(
            r.contains(&(Some(n), Some(n - 1), "unchanged".into(), vec![])),
            "{n}: {r:?}"
        );
    }
    let base = json(&[SAMPLE, "--format", "json"]);
    let id_of = |v: &Value, key: &str, n: u64| {
        v["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[key] == n)
            .map(|r| r["id"].clone())
            .unwrap()
    };
    for n in 4..=8 {
        assert_eq!(
            id_of(&base, "new_number", n),
            id_of(&v, "new_number", n - 1)
        );
    }
}

#[test]
fn bad_input_exits_2_with_a_reason() {
    let (code, _, err) = run(&["guidelines/dmsg/findes-ikke"]);
    assert_eq!(code, 2);
    assert!(err.contains("findes-ikke"), "{err}");
    // A first version has nothing to compare with.
    let (code, _, err) = run(&["guidelines/dmg/adjuverende-behandling-melanom"]);
    assert_eq!(code, 2);
    assert!(err.contains("previous_version"), "{err}");
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("x.md");
    std::fs::write(&junk, "no front matter\n").unwrap();
    let (code, _, err) = run(&[junk.to_str().unwrap(), SAMPLE]);
    assert_eq!(code, 2);
    assert!(err.contains("x.md"), "{err}");
    let (code, _, _) = run(&[]);
    assert_eq!(code, 2);
}
