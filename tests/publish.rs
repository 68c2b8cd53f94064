//! Publishing under hostile conditions: an `--out` that would swallow the
//! sources, a file or a stranger's folder; leftovers of killed builds; a full
//! disk for `site` and `build`. Every case must leave the sources and the
//! published pages exactly as they were (docs/site.md, "Guarantees").

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines")
}

fn vejviser() -> Command {
    Command::cargo_bin("vejviser").unwrap()
}

fn site(guidelines: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    vejviser()
        .args([
            "site",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://x.example.dk/",
        ])
        .arg("--guidelines")
        .arg(guidelines)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

/// Every file and folder under `dir` (symlinks not followed) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (rel, bytes)
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// A copy of the fixture tree in a temp folder: (folder, guidelines).
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    common::copy_dir(&fixture(), &g);
    (tmp, g)
}

#[test]
fn site_refuses_an_out_folder_that_holds_or_is_in_the_sources() {
    let (tmp, g) = tree();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let before = snapshot(tmp.path());
    for (out, why) in [
        (g.clone(), "is the guidelines folder"),
        (g.join("dmsg"), "inside the guidelines folder"),
        (
            g.join("dmsg/myelomatose-hdt"),
            "inside the guidelines folder",
        ),
        (g.join("new"), "inside the guidelines folder"),
        (g.join("dmsg/../dmsg"), "inside the guidelines folder"),
        (tmp.path().to_path_buf(), "holds the guidelines folder"),
        (tmp.path().join("notes.txt"), "is a file"),
    ] {
        // Twice: the first run of the old code moved the sources aside, the second deleted them.
        for _ in 0..2 {
            let a = site(&g, &out, &["--no-pdf"]).code(2);
            let err = stderr(&a);
            assert!(err.contains(why), "--out {}: {err}", out.display());
            assert_eq!(
                snapshot(tmp.path()),
                before,
                "--out {} moved something",
                out.display()
            );
        }
    }
}

#[test]
fn site_refuses_a_folder_it_did_not_make_and_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let theirs = tmp.path().join("documents");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("letter.txt"), "keep me").unwrap();
    let link = tmp.path().join("www");
    std::os::unix::fs::symlink(&theirs, &link).unwrap();
    let before = snapshot(tmp.path());
    let a = site(&fixture(), &theirs, &["--no-pdf"]).code(2);
    assert!(stderr(&a).contains("did not make"), "{}", stderr(&a));
    let a = site(&fixture(), &link, &["--no-pdf"]).code(2);
    assert!(stderr(&a).contains("symbolic link"), "{}", stderr(&a));
    assert_eq!(snapshot(tmp.path()), before);

    // An empty folder is fine, and once it holds a site, it is replaced by the next one.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    site(&fixture(), &empty, &["--no-pdf"]).success();
    assert!(
        empty.join(".vejviser-site").is_file(),
        "the site carries its mark"
    );
    site(&fixture(), &empty, &["--no-pdf", "--drafts"]).success();
}

#[test]
fn the_spare_is_only_a_folder_vejviser_made() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // Someone's folder happens to have the spare's name: it is neither used nor deleted.
    let spare = tmp.path().join(".public.spare");
    std::fs::create_dir(&spare).unwrap();
    std::fs::write(spare.join("index.html"), "not ours").unwrap();
    site(&fixture(), &out, &["--no-pdf"]).success();
    site(&fixture(), &out, &["--no-pdf", "--drafts"]).success();
    assert_eq!(
        std::fs::read_to_string(spare.join("index.html")).unwrap(),
        "not ours"
    );
    assert_ne!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "not ours"
    );
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_never_published() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &["--no-pdf"]).success();
    // What a build killed before its swap leaves: its staging folder, named
    // after a process that no longer runs (pid_max is far below this).
    let dead = tmp.path().join(".public.building-999999999");
    std::fs::create_dir_all(dead.join("dmsg")).unwrap();
    std::fs::write(dead.join("index.html"), "half a site").unwrap();
    let dead_old = tmp.path().join(".public.building-999999998.old");
    std::fs::create_dir_all(&dead_old).unwrap();
    site(&fixture(), &out, &["--no-pdf"]).success();
    assert!(
        !dead.exists() && !dead_old.exists(),
        "{:?}",
        names(tmp.path())
    );
    assert!(!std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("half a site"));
    assert_eq!(names(tmp.path()), [".public.spare", "public"]);
}

/// A small tmpfs mounted for one test, unmounted when dropped; `None` (and a
/// printed SKIPPED) where mounting is not allowed.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: cannot mount a tmpfs (needs root) to fill a disk");
            return None;
        }
        Some(Tmpfs { dir })
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// Bytes of every file under `dir`.
fn used(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

#[test]
fn a_full_disk_fails_the_build_leaves_the_site_and_frees_the_space() {
    // A disk that holds one site and half of a second one, whatever the site's
    // size today: measure the blocks a build takes first.
    let probe = tempfile::tempdir().unwrap();
    site(&fixture(), &probe.path().join("public"), &[]).success();
    let kib = walkdir::WalkDir::new(probe.path())
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| {
            use std::os::unix::fs::MetadataExt;
            e.metadata().unwrap().blocks() / 2
        })
        .sum::<u64>();
    let Some(disk) = Tmpfs::mount((kib * 3 / 2) as u32) else {
        return;
    };
    let out = disk.path().join("public");
    site(&fixture(), &out, &[]).success();
    let live = snapshot(&out);
    let one_site = used(disk.path());
    // Another base URL changes every page: a second full copy does not fit.
    let a = vejviser()
        .args([
            "site",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://other.example.dk/",
        ])
        .arg("--guidelines")
        .arg(fixture())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("No space left"), "{err}");
    assert_eq!(snapshot(&out), live, "the live site changed");
    assert_eq!(
        names(disk.path()),
        ["public"],
        "the failed build left files behind"
    );
    assert_eq!(used(disk.path()), one_site);
    // The next build (same site) needs no more than a few pages of space.
    site(&fixture(), &out, &[]).success();
    assert_eq!(snapshot(&out), live);
}

#[test]
fn build_on_a_full_disk_leaves_the_previous_pages_whole() {
    let Some(disk) = Tmpfs::mount(1024) else {
        return;
    };
    let (_tmp, g) = tree();
    let file = g.join("dmsg/myelomatose-hdt/guideline.md");
    let out = disk.path().join("page");
    let build = || {
        vejviser()
            .arg("build")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .args(["--as-of", AS_OF])
            .assert()
    };
    build().success();
    let before = snapshot(&out);
    // Fill the disk but for a few pages' worth, then change the guideline.
    let free = 1024 * 1024 - used(disk.path());
    let pages = std::fs::metadata(out.join("index.html")).unwrap().len()
        + std::fs::metadata(out.join("full.html")).unwrap().len();
    std::fs::write(
        disk.path().join("filler"),
        vec![0u8; (free - pages - 64 * 1024) as usize],
    )
    .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("Myelomatose", "Myelomatose (ændret)", 1),
    )
    .unwrap();
    let a = build().code(2);
    assert!(stderr(&a).contains("No space left"), "{}", stderr(&a));
    assert_eq!(snapshot(&out), before, "old and new pages are mixed");
}

#[test]
fn build_refuses_an_out_folder_among_the_sources_or_a_file() {
    let (tmp, g) = tree();
    let file = g.join("dmsg/myelomatose-hdt/guideline.md");
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let before = snapshot(tmp.path());
    for (out, why) in [
        (
            g.join("dmsg/myelomatose-hdt"),
            "inside the guidelines folder",
        ),
        (g.clone(), "inside the guidelines folder"),
        (tmp.path().join("notes.txt"), "is a file"),
    ] {
        let a = vejviser()
            .arg("build")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .args(["--as-of", AS_OF, "--no-pdf"])
            .assert()
            .code(2);
        assert!(
            stderr(&a).contains(why),
            "{}: {}",
            out.display(),
            stderr(&a)
        );
        assert_eq!(snapshot(tmp.path()), before);
    }
}
