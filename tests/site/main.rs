//! `vejviser site` on a fixture tree with current, archived, due, overdue,
//! expired and draft guidelines: what is published where, banners, JSON, feed,
//! status page, atomic swap, determinism, incremental rebuilds, and a browser
//! check of the overview filter and the search. The helpers every part shares
//! are here; the tests are in the submodules, one topic each.

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod failures;
mod incremental;
mod published;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines")
}

fn site(guidelines: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("vejviser")
        .unwrap()
        .args([
            "site",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://retningslinjer.example.dk/",
        ])
        .arg("--guidelines")
        .arg(guidelines)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Asserts two sites have the same files with the same bytes.
#[track_caller]
fn assert_same_site(a: &Path, b: &Path, what: &str) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    assert_eq!(
        sa.keys().collect::<Vec<_>>(),
        sb.keys().collect::<Vec<_>>(),
        "{what}: the files differ"
    );
    for (k, v) in &sa {
        assert!(v == &sb[k], "{what}: {k} differs");
    }
}

/// The guideline with every grade taken out: a check error (VV0302).
fn without_grades(text: &str) -> String {
    ["(A)", "(B)", "(C)", "(D)"]
        .iter()
        .fold(text.to_string(), |t, g| t.replacen(g, "", 40))
}

/// A copy of the fixture tree to edit, in a temp folder: (folder, guidelines, output).
fn editable_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    common::copy_dir(&fixture(), &g);
    let out = tmp.path().join("public");
    (tmp, g, out)
}
