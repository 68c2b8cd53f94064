//! `vejviser fmt`: idempotent and meaning-preserving on the samples, a messy
//! fixture and the generated corpus; `--check` exit codes for CI; archived
//! versions and unreadable files are left alone.
//!
//! The expected layout of the messy fixture is a golden file; regenerate it
//! with `UPDATE_GOLDEN=1 cargo test --test fmt`.

mod common;
use assert_cmd::Command;
use common::copy_dir;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vejviser_template::TemplateSet;

const AS_OF: &str = "2026-06-15";

fn vejviser() -> Command {
    Command::cargo_bin("vejviser").unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
    out
}

fn is_guideline(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md")
}

/// The check's findings per file, by code (line numbers move when layout changes).
fn check_codes(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let out = vejviser()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        codes
            .entry(d["file"].as_str().unwrap().to_string())
            .or_default()
            .push(format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            ));
    }
    for v in codes.values_mut() {
        v.sort();
    }
    codes
}

/// Formats `dir` with the binary and asserts the round-trip properties: the
/// parsed meaning of every file and the check's findings are unchanged, archived
/// files are untouched, and a second run changes nothing. Returns how many files changed.
fn assert_round_trip(dir: &Path) -> usize {
    let set = TemplateSet::builtin();
    let before = snapshot(dir);
    let codes_before = check_codes(dir);
    let out = vejviser().arg("fmt").arg(dir).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = snapshot(dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no files appear or vanish"
    );
    let mut changed = 0;
    for (path, old) in &before {
        let new = &after[path];
        if path.components().any(|c| c.as_os_str() == "archive") || !is_guideline(path) {
            assert_eq!(old, new, "{} is never touched", path.display());
            continue;
        }
        changed += usize::from(old != new);
        let shown = path.display().to_string();
        let (a, b) = (
            String::from_utf8(old.clone()).unwrap(),
            String::from_utf8(new.clone()).unwrap(),
        );
        let pa = vejviser_parse::parse_str(&shown, &a, &set);
        let pb = vejviser_parse::parse_str(&shown, &b, &set);
        assert_eq!(vejviser_fmt::meaning::difference(&pa, &pb), None, "{shown}");
    }
    assert_eq!(
        check_codes(dir),
        codes_before,
        "the check finds the same after fmt"
    );
    vejviser()
        .args(["fmt", "--check"])
        .arg(dir)
        .assert()
        .code(0);
    vejviser().arg("fmt").arg(dir).assert().code(0).stdout("");
    assert_eq!(snapshot(dir), after, "fmt(fmt(x)) == fmt(x)");
    changed
}

#[test]
fn the_sample_guidelines_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("guidelines"), &dir.path().join("guidelines"));
    assert_round_trip(&dir.path().join("guidelines"));
}

#[test]
fn the_messy_fixture_is_laid_out_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("guidelines");
    copy_dir(&repo().join("tests/fixtures/fmt/guidelines"), &g);
    let file = g.join("dmsg/rodet/guideline.md");
    let before = snapshot(&g);
    // --check lists the file, exits 1 and writes nothing.
    vejviser()
        .args(["fmt", "--check"])
        .arg(&g)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("rodet/guideline.md"))
        .stderr(predicate::str::contains("1 would be reformatted"));
    assert_eq!(snapshot(&g), before);
    assert_eq!(assert_round_trip(&g), 1);
    let golden = repo().join("tests/fixtures/fmt/rodet.formatted.md");
    let got = std::fs::read_to_string(&file).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    assert_eq!(
        got,
        std::fs::read_to_string(&golden).unwrap(),
        "UPDATE_GOLDEN=1 rewrites the golden file"
    );
}

#[test]
fn archived_versions_named_on_the_command_line_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("guidelines");
    copy_dir(&repo().join("tests/fixtures/fmt/guidelines"), &g);
    let archived = g.join("dmsg/rodet/archive/1.0.md");
    let before = std::fs::read(&archived).unwrap();
    vejviser()
        .arg("fmt")
        .arg(&archived)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("archived versions are frozen"));
    assert_eq!(std::fs::read(&archived).unwrap(), before);
}

#[test]
fn files_that_cannot_be_formatted_are_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("guidelines/dmsg");
    std::fs::create_dir_all(g.join("a")).unwrap();
    std::fs::create_dir_all(g.join("b")).unwrap();
    std::fs::create_dir_all(g.join("c")).unwrap();
    std::fs::write(
        g.join("a/guideline.md"),
        "+++\ntitle = \"T\"\nversion = \n+++\n\n# Metode\n",
    )
    .unwrap();
    std::fs::write(g.join("b/guideline.md"), "# Metode\n\ningen front matter\n").unwrap();
    std::fs::write(g.join("c/guideline.md"), b"+++\ntitle = \"\xff\"\n+++\n").unwrap();
    let before = snapshot(dir.path());
    vejviser()
        .arg("fmt")
        .arg(dir.path().join("guidelines"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("a/guideline.md:3: the front matter is not valid TOML")
                .and(predicate::str::contains(
                    "b/guideline.md:1: the file does not start with `+++`",
                ))
                .and(predicate::str::contains(
                    "c/guideline.md: the file is not UTF-8",
                )),
        );
    assert_eq!(snapshot(dir.path()), before);
    vejviser()
        .args(["fmt", "--check"])
        .arg(dir.path().join("guidelines"))
        .assert()
        .code(2);
    vejviser()
        .arg("fmt")
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(2);
}

#[test]
fn the_generated_corpus_round_trips() {
    let script = Path::new("/work/shared/bench/gen_corpus.py");
    if !script.exists() {
        eprintln!("skipped: {} is missing", script.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .args(["--guidelines", "60"])
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("gen_corpus.py failed: {s}"),
        Err(e) => {
            eprintln!("skipped: python3 is not available ({e})");
            return;
        }
    }
    let changed = assert_round_trip(&dir.path().join("guidelines"));
    assert!(
        changed > 0,
        "the corpus's changelog tables are not aligned, so fmt has work to do"
    );
}

/// Every sample guideline saved with Windows line endings (as `vejviser new`
/// drafts edited on Windows are): fmt lays them out with `\n` and says so,
/// and the result checks as the original does.
#[test]
fn windows_line_endings_are_normalised_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("guidelines"), &dir.path().join("guidelines"));
    let before = snapshot(dir.path());
    let mut crlf = 0;
    for (path, bytes) in &before {
        if is_guideline(path) {
            let text = String::from_utf8(bytes.clone()).unwrap();
            std::fs::write(path, text.replace('\n', "\r\n")).unwrap();
            crlf += 1;
        }
    }
    assert!(crlf >= 4);
    vejviser()
        .current_dir(dir.path())
        .args(["fmt", "guidelines"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("could not be formatted")
                .and(predicate::str::contains("0 could not be formatted")),
        )
        .stderr(predicate::str::contains("please report").not());
    for (path, bytes) in snapshot(dir.path()) {
        if is_guideline(&path) && !path.to_string_lossy().contains("archive") {
            assert!(!bytes.contains(&b'\r'), "{}", path.display());
        }
    }
    vejviser()
        .current_dir(dir.path())
        .args(["check", "--as-of", "2026-11-23", "guidelines"])
        .assert()
        .success();
}

/// The sample guideline grown to 46 references, each cited in chapter 4:
/// singly, in lists and in ranges, with and without a level, in the evidence
/// blocks' own prose. Returns the text.
fn forty_six_references() -> String {
    let src = std::fs::read_to_string(repo().join("guidelines/dmsg/myelomatose-hdt/guideline.md"))
        .unwrap();
    let mut refs = String::new();
    for n in 15..=46 {
        refs.push_str(&format!(
            "{n}. Forfatter{n} AB, Hansen CD, et al. Studie nummer {n} af behandling ved myelomatose. Eur J Haematol. 20{:02};{n}(2):1-9.\n",
            n % 25
        ));
    }
    let citing = "Supplerende studier støtter dette (15–20) [2a], både små (21, 25, 30) [1b] \
og større (31-33) og (34 – 36) [2b]; se også (8–10), (6, 7) [4], (37,38,39), (40) [1b] og \
(41–46).\n\n### Patientværdier og -præferencer\n\nKombinationsbehandlingen";
    let text = src.replacen(
        "\n\n### Patientværdier og -præferencer\n\nKombinationsbehandlingen",
        &format!("\n\n{citing}"),
        1,
    );
    text.replacen("\n\n# 6. Metode", &format!("\n{refs}\n# 6. Metode"), 1)
}

/// Each citation of a parsed guideline (line, the papers it cites by their text).
fn cited_papers(path: &Path) -> Vec<(u32, Vec<String>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let g = vejviser_parse::parse_str("g.md", &text, &TemplateSet::builtin())
        .guideline
        .unwrap();
    g.evidence
        .iter()
        .flat_map(|b| &b.citations)
        .map(|c| {
            let papers = c
                .references
                .iter()
                .map(|n| {
                    g.references
                        .iter()
                        .find(|r| r.number == *n)
                        .map(|r| r.markdown.clone())
                        .unwrap_or_else(|| format!("MISSING {n}"))
                })
                .collect();
            (c.span.line, papers)
        })
        .collect()
}

fn fmt_renumber(file: &Path, extra: &[&str]) -> std::process::Output {
    vejviser()
        .args(["fmt", "--renumber"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap()
}

/// Issue 13: deleting reference 7 of 46 never re-points citations silently.
/// `fmt` keeps the written numbers (the check reports the gap), `--renumber`
/// refuses while a citation still names 7, and once its citations are gone it
/// numbers the list 1..45 and rewrites every citation so that each still
/// cites the same papers: (8–10) becomes (7–9), (41–46) becomes (40–45).
#[test]
fn renumber_after_deleting_reference_7_of_46_keeps_every_citation_on_its_paper() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("guidelines");
    copy_dir(&repo().join("guidelines"), &tree);
    let file = tree.join("dmsg/myelomatose-hdt/guideline.md");
    let archive = tree.join("dmsg/myelomatose-hdt/archive/1.5.md");
    let archived = std::fs::read(&archive).unwrap();
    std::fs::write(&file, forty_six_references()).unwrap();
    let papers_before = cited_papers(&file);
    assert!(papers_before
        .iter()
        .all(|(_, p)| p.iter().all(|t| !t.starts_with("MISSING"))));

    // Delete reference 7.
    let text = std::fs::read_to_string(&file).unwrap();
    let seven = text
        .lines()
        .find(|l| l.starts_with("7. Andersen KT"))
        .unwrap()
        .to_string();
    let deleted = text.replacen(&format!("{seven}\n"), "", 1);
    std::fs::write(&file, &deleted).unwrap();

    // Plain fmt leaves the numbers alone.
    vejviser().arg("fmt").arg(&file).assert().success();
    let after_fmt = std::fs::read_to_string(&file).unwrap();
    assert!(after_fmt.contains("\n6. Kildegaard LK"));
    assert!(
        after_fmt.contains("\n8. Okafor JM"),
        "fmt renumbered the list"
    );

    // Citations of 7 remain: refused with their lines, nothing written.
    let out = fmt_renumber(&file, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| after_fmt.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let g_display = file.display().to_string();
    assert!(
        err.contains(&format!("{g_display}:{}:", line_of("(7) [2b]")))
            && err
                .contains("citation (7) [2b] refers to reference 7, which the list does not have"),
        "{err}"
    );
    assert!(
        err.contains("citation (6, 7) [4] refers to reference 7"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after_fmt);

    // The author removes the citations of 7; --check shows the diff and writes nothing.
    let cleaned = after_fmt
        .replace(" (7) [2b]", "")
        .replace("(6, 7) [4]", "(6) [4]");
    std::fs::write(&file, &cleaned).unwrap();
    let papers_cited = cited_papers(&file);
    let out = fmt_renumber(&file, &["--check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("-8. Okafor JM"), "{diff}");
    assert!(diff.contains("+7. Okafor JM"), "{diff}");
    assert!(diff.contains("+45. Forfatter46 AB"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        cleaned,
        "--check writes nothing"
    );

    // Renumbered for real.
    let out = fmt_renumber(&file, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("39 reference(s) renumbered"));
    let done = std::fs::read_to_string(&file).unwrap();
    for (old, new) in [
        ("(8) [1b]", "(7) [1b]"),
        ("(8–10), (6) [4]", "(7–9), (6) [4]"),
        ("(15–20) [2a]", "(14–19) [2a]"),
        ("(21, 25, 30) [1b]", "(20, 24, 29) [1b]"),
        ("(31-33)", "(30-32)"),
        ("(34 – 36) [2b]", "(33 – 35) [2b]"),
        ("(37,38,39)", "(36,37,38)"),
        ("(41–46)", "(40–45)"),
        ("(6) [4]", "(6) [4]"),
        ("(1) [1a]", "(1) [1a]"),
    ] {
        assert!(cleaned.contains(old), "{old}");
        assert!(done.contains(new), "{old} → {new} missing");
    }
    assert!(done.contains("\n7. Okafor JM") && done.contains("\n45. Forfatter46 AB"));
    assert!(!done.contains("\n46. "));
    // Every citation still cites the same papers (by their text), one for one.
    let strip = |v: Vec<(u32, Vec<String>)>| -> Vec<Vec<String>> {
        v.into_iter().map(|(_, p)| p).collect()
    };
    assert_eq!(strip(cited_papers(&file)), strip(papers_cited));
    // The archive is never touched; the result checks without the gap error.
    assert_eq!(std::fs::read(&archive).unwrap(), archived);
    vejviser()
        .args(["check", "--as-of", AS_OF])
        .arg(&file)
        .assert()
        .stderr(predicate::str::contains("VV0405").not());

    // Idempotent: a second run finds nothing to do.
    let out = fmt_renumber(&file, &["--check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), done);
    // And an archived version is refused as frozen, untouched.
    let out = fmt_renumber(&archive, &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("archived versions are frozen"));
    assert_eq!(std::fs::read(&archive).unwrap(), archived);
}
