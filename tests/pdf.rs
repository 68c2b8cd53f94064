//! `vejviser build` writes the full guideline and the quick guide as PDFs beside the
//! HTML pages: file names, links from the pages, creation date from `SOURCE_DATE_EPOCH`
//! or the approval, byte-identical rebuilds, `--no-pdf`, and a clear error for a bad
//! `SOURCE_DATE_EPOCH`. (The PDFs' content is tested in crates/render-pdf/tests.)

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const MYELOMA: &str = "guidelines/dmsg/myelomatose-hdt";
const FULL: &str = "myelomatose-hdt-2.0.pdf";
const QUICK: &str = "myelomatose-hdt-2.0-quick.pdf";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(path: &str, out: &Path, sde: Option<&str>, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("vejviser").unwrap();
    cmd.current_dir(repo())
        .args(["build", path, "--as-of", "2026-01-01", "--out"])
        .arg(out)
        .args(extra);
    match sde {
        Some(v) => cmd.env("SOURCE_DATE_EPOCH", v),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    cmd.assert()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn build_writes_both_pdfs_beside_the_pages_and_links_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let ok = build(MYELOMA, &out, Some("1700000000"), &[]).success();
    let stdout = String::from_utf8_lossy(&ok.get_output().stdout).into_owned();
    for name in [FULL, QUICK] {
        let bytes = read(&out.join(name));
        assert!(bytes.starts_with(b"%PDF-1.7"), "{name}");
        assert!(bytes.ends_with(b"%%EOF\n"), "{name}");
        // SOURCE_DATE_EPOCH 1700000000 is 14 November 2023.
        assert!(contains(&bytes, "/CreationDate(D:20231114"), "{name}");
        assert!(
            stdout.contains(name),
            "{name} not listed on stdout:\n{stdout}"
        );
    }
    assert!(read(&out.join(FULL)).len() > 20 * read(&out.join(QUICK)).len() / 10);
    // The pages link to the PDFs.
    let pages: Vec<u8> = ["index.html", "full.html"]
        .iter()
        .flat_map(|p| read(&out.join(p)))
        .collect();
    assert!(contains(&pages, &format!("href=\"{FULL}\"")));
    assert!(contains(&pages, &format!("href=\"{QUICK}\"")));
    // Written through a temporary file and a rename: nothing half-written is left.
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn rebuilding_gives_byte_identical_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(MYELOMA, &a, Some("1700000000"), &[]).success();
    build(MYELOMA, &b, Some("1700000000"), &[]).success();
    for name in [FULL, QUICK] {
        assert!(read(&a.join(name)) == read(&b.join(name)), "{name} differs");
    }
}

#[test]
fn without_source_date_epoch_the_date_is_the_administrative_approval() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(MYELOMA, &out, None, &[]).success();
    // administrative_approval = 2025-04-07
    assert!(contains(&read(&out.join(FULL)), "/CreationDate(D:20250407"));
}

#[test]
fn no_pdf_skips_them_and_the_pages_do_not_link_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(MYELOMA, &out, None, &["--no-pdf"]).success();
    assert!(out.join("full.html").is_file());
    assert!(!out.join(FULL).exists() && !out.join(QUICK).exists());
    assert!(!contains(&read(&out.join("full.html")), ".pdf\""));
}

#[test]
fn a_bad_source_date_epoch_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let failed = build(MYELOMA, &out, Some("i går"), &[]).failure();
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(stderr.contains("SOURCE_DATE_EPOCH"), "{stderr}");
    assert!(!out.join(FULL).exists());
}

#[test]
fn an_english_draft_and_an_archived_version_get_their_pdfs_too() {
    let tmp = tempfile::tempdir().unwrap();
    for (path, stem) in [
        (
            "guidelines/dlcg/sbrt-tidligt-stadie-nsclc",
            "sbrt-tidligt-stadie-nsclc-1.0",
        ),
        (
            "guidelines/dbcg/adjuvant-endocrine-therapy",
            "adjuvant-endocrine-therapy-1.1",
        ),
        (
            "guidelines/dmsg/myelomatose-hdt/archive/1.5.md",
            "myelomatose-hdt-1.5",
        ),
    ] {
        let out = tmp.path().join(stem);
        build(path, &out, Some("1700000000"), &[]).success();
        for name in [format!("{stem}.pdf"), format!("{stem}-quick.pdf")] {
            assert!(read(&out.join(&name)).starts_with(b"%PDF-1.7"), "{name}");
        }
    }
}
