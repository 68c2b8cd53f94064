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
