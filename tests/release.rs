//! `vejviser release`: the archive is written, the front matter updated with its
//! comments kept, lower versions and conflicting archives are refused, and a
//! failure at any step leaves every file byte for byte as it was.

mod common;
#[path = "common/fill.rs"]
mod fill;
use assert_cmd::Command;
use common::copy_dir;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-06-15";

fn vejviser() -> Command {
    Command::cargo_bin("vejviser").unwrap()
}

/// A copy of tests/fixtures/release; returns it and the example guideline's path.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release"),
        dir.path(),
    );
    let g = dir.path().join("guidelines/dmsg/eksempel/guideline.md");
    (dir, g)
}

/// Every file and folder under `dir` with its bytes (folders: empty).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.insert(p.clone(), Vec::new());
            out.extend(snapshot(&p));
        } else {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
    out
}

fn front_matter(text: &str) -> &str {
    let r = vejviser_parse::front_matter_range(text).unwrap();
    &text[r]
}

fn comments(text: &str) -> Vec<String> {
    front_matter(text)
        .lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].to_string()))
        .collect()
}

fn release(g: &Path) -> Command {
    let mut c = vejviser();
    c.arg("release").arg(g).args(["--as-of", AS_OF]);
    c
}

/// Runs `cmd` and asserts it is refused as a usage error (exit status 2) with
/// `says` in its message.
fn refused(cmd: &mut Command, says: impl AsRef<str>) {
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains(says.as_ref()));
}

const APPROVALS: &[&str] = &[
    "--approved-professionally",
    "2026-05-04",
    "--by",
    "Dansk Myelomatose Studiegruppe",
    "--approved-administratively",
    "2026-06-01",
    "--by",
    "SundK Retningslinjefunktionen",
    "--planned-update",
    "2029-05-01",
];

#[test]
fn a_release_archives_the_current_version_and_updates_the_front_matter() {
    let (_dir, g) = workspace();
    let original = std::fs::read_to_string(&g).unwrap();
    release(&g)
        .args(["--version", "1.1"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("archived version 1.0")
                .and(predicate::str::contains("is now version 1.1 (approved)")),
        );
    let archive = g.parent().unwrap().join("archive/1.0.md");
    assert_eq!(
        std::fs::read_to_string(&archive).unwrap(),
        original,
        "archived byte for byte"
    );
    let new = std::fs::read_to_string(&g).unwrap();
    let front = front_matter(&new);
    assert!(
        front.contains("version = \"1.1\"  # MAJOR.MINOR\n"),
        "{front}"
    );
    assert!(front.contains("previous_version = \"1.0\"\n"), "{front}");
    assert!(front.contains(
        "professional_approval = { date = 2026-05-04, by = \"Dansk Myelomatose Studiegruppe\" }"
    ));
    assert!(front.contains(
        "administrative_approval = { date = 2026-06-01, by = \"SundK Retningslinjefunktionen\" }"
    ));
    assert!(
        front.contains("planned_update = 2029-05-01  # three years on\n"),
        "{front}"
    );
    assert_eq!(comments(&new), comments(&original), "every comment is kept");
    // Only the front matter changed.
    let body = |t: &str| t[vejviser_parse::front_matter_range(t).unwrap().end..].to_string();
    assert_eq!(body(&new), body(&original));
    // The keys kept their order; previous_version went to its documented place.
    let keys: Vec<&str> = front
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(" = ").next())
        .collect();
    assert_eq!(
        keys,
        [
            "title",
            "dmcg",
            "version",
            "language",
            "template",
            "keywords",
            "previous_version",
            "professional_approval",
            "administrative_approval",
            "planned_update"
        ]
    );
    // The guideline and its archive check without errors. The released text
    // is the archived one, so its changelog's "Anbefaling 1 er præciseret"
    // names an unchanged recommendation: the changelog check says so (VV0506),
    // until the authors write the new version's changes.
    vejviser()
        .args(["check", "--as-of", AS_OF])
        .arg(g.parent().unwrap())
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[VV0506]"))
        .stderr(predicate::str::contains(
            "checked 2 files: 0 error(s), 1 warning(s)",
        ));
}

#[test]
fn versions_not_higher_than_the_current_are_refused() {
    let (dir, g) = workspace();
    let before = snapshot(dir.path());
    for v in ["1.0", "0.9"] {
        refused(
            release(&g).args(["--version", v]).args(APPROVALS),
            format!("version {v} is not higher than the current version 1.0"),
        );
    }
    for bad in ["1", "1.1.0", "v1.1"] {
        refused(release(&g).args(["--version", bad]), "is not a version");
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn an_archive_that_exists_and_differs_is_refused_but_an_identical_one_is_fine() {
    let (dir, g) = workspace();
    let archive_dir = g.parent().unwrap().join("archive");
    std::fs::create_dir(&archive_dir).unwrap();
    std::fs::write(archive_dir.join("1.0.md"), "an older text of 1.0").unwrap();
    let before = snapshot(dir.path());
    refused(
        release(&g).args(["--version", "1.1"]).args(APPROVALS),
        "archive/1.0.md already exists and differs",
    );
    assert_eq!(snapshot(dir.path()), before);

    std::fs::copy(&g, archive_dir.join("1.0.md")).unwrap();
    release(&g)
        .args(["--version", "1.1"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(predicate::str::contains("was already archived"));
}

#[test]
fn an_invalid_result_leaves_every_file_untouched() {
    let (dir, g) = workspace();
    let before = snapshot(dir.path());
    // The administrative approval before the professional one: VV0112, an error.
    release(&g)
        .args(["--version", "1.1"])
        .args(["--approved-professionally", "2026-05-04", "--by", "DMSG"])
        .args(["--approved-administratively", "2026-05-01", "--by", "SundK"])
        .args(["--planned-update", "2029-05-01"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("VV0112").and(predicate::str::contains("nothing was written")),
        );
    assert_eq!(snapshot(dir.path()), before, "byte for byte");
    // An approval without a planned update: VV0111.
    release(&g)
        .args([
            "--version",
            "1.1",
            "--approved-professionally",
            "2026-05-04",
            "--by",
            "DMSG",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("VV0111"));
    assert_eq!(snapshot(dir.path()), before, "byte for byte");
}

#[test]
fn an_unwritable_archive_location_leaves_every_file_untouched() {
    let (dir, g) = workspace();
    // A file where the archive folder belongs: nothing can be written below it, even as root.
    std::fs::write(g.parent().unwrap().join("archive"), "not a folder").unwrap();
    let before = snapshot(dir.path());
    refused(
        release(&g).args(["--version", "1.1"]).args(APPROVALS),
        "archive",
    );
    assert_eq!(snapshot(dir.path()), before, "byte for byte");
}

#[test]
fn dry_run_shows_the_changes_and_writes_nothing() {
    let (dir, g) = workspace();
    let before = snapshot(dir.path());
    let out = release(&g)
        .args(["--version", "1.1", "--dry-run"])
        .args(APPROVALS)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("would copy") && stdout.contains("archive/1.0.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-version = \"1.0\"  # MAJOR.MINOR\n+version = \"1.1\"  # MAJOR.MINOR\n"),
        "{stdout}"
    );
    assert!(stdout.contains("+previous_version = \"1.0\"\n"), "{stdout}");
    assert!(stdout.contains("\n@@ -"), "{stdout}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn approval_flags_need_their_by() {
    let (dir, g) = workspace();
    let before = snapshot(dir.path());
    refused(
        release(&g).args([
            "--version",
            "1.1",
            "--approved-professionally",
            "2026-05-04",
            "--planned-update",
            "2029-05-01",
        ]),
        "--approved-professionally needs --by BODY after it",
    );
    refused(
        release(&g).args([
            "--version",
            "1.1",
            "--by",
            "DMSG",
            "--approved-professionally",
            "2026-05-04",
        ]),
        "must come right after",
    );
    refused(
        release(&g).args(["--version", "1.1", "--planned-update", "01-05-2029"]),
        "is not a date",
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn archived_files_and_missing_files_are_refused() {
    let (dir, g) = workspace();
    let archived = g.parent().unwrap().join("archive/0.9.md");
    std::fs::create_dir(archived.parent().unwrap()).unwrap();
    std::fs::copy(&g, &archived).unwrap();
    refused(
        release(&archived).args(["--version", "1.1"]),
        "archived version",
    );
    release(&dir.path().join("guidelines/dmsg/nowhere/guideline.md"))
        .args(["--version", "1.1"])
        .assert()
        .code(2);
}

#[test]
fn a_new_draft_is_approved_in_place_and_then_released_again() {
    let (dir, _) = workspace();
    let guidelines = dir.path().join("guidelines");
    vejviser()
        .args(["new", "--dmcg", "DMSG", "--slug", "ny", "--guidelines"])
        .arg(&guidelines)
        .assert()
        .success();
    let g = guidelines.join("dmsg/ny/guideline.md");
    let draft = std::fs::read_to_string(&g).unwrap();
    std::fs::write(&g, fill::fill(&draft)).unwrap();
    // First approval: version 1.0 as drafted, nothing to archive.
    release(&g)
        .args(["--version", "1.0"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(predicate::str::contains("is now version 1.0 (approved)"));
    assert!(!g.parent().unwrap().join("archive").exists());
    let text = std::fs::read_to_string(&g).unwrap();
    assert!(!front_matter(&text).contains("previous_version"));
    assert!(
        comments(&text).iter().any(|c| c.contains("søgeord")),
        "the draft's comments stay"
    );
    // Opening version 1.1 needs a changelog once previous_version is set: refused, untouched.
    let before = snapshot(dir.path());
    release(&g)
        .args(["--version", "1.1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("VV0501"));
    assert_eq!(snapshot(dir.path()), before);
}

/// `vejviser new` notes in the front matter that the guideline is a draft
/// until its approval is released; after that release the note is gone (it
/// would be untrue), and a release that leaves a draft keeps it.
#[test]
fn approving_a_new_draft_removes_its_draft_note() {
    for lang in ["da", "en"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("guidelines")).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dmcg.toml"),
            dir.path().join("guidelines/dmcg.toml"),
        )
        .unwrap();
        vejviser()
            .current_dir(dir.path())
            .args(["new", "--dmcg", "DMSG", "--slug", "udkast", "--lang", lang])
            .assert()
            .success();
        let g = dir.path().join("guidelines/dmsg/udkast/guideline.md");
        let note = if lang == "da" {
            "# Et udkast:"
        } else {
            "# A draft:"
        };
        assert!(std::fs::read_to_string(&g).unwrap().contains(note));
        let draft = std::fs::read_to_string(&g).unwrap();
        std::fs::write(&g, fill::fill(&draft)).unwrap();
        // Still a draft: the note stays true and stays.
        release(&g).args(["--version", "1.1"]).assert().success();
        assert!(std::fs::read_to_string(&g).unwrap().contains(note));
        release(&g)
            .args([
                "--version",
                "1.1",
                "--approved-professionally",
                "2026-05-04",
            ])
            .args(["--by", "Dansk Myelomatose Studiegruppe"])
            .args(["--planned-update", "2029-05-01"])
            .assert()
            .success();
        let text = std::fs::read_to_string(&g).unwrap();
        let front = front_matter(&text);
        assert!(!front.contains(note), "{lang}: {front}");
        assert!(!front.contains("vejviser release"), "{lang}: {front}");
        assert!(
            front.contains("\"PET-CT\"]  # "),
            "other comments stay: {front}"
        );
    }
}

/// An untouched `vejviser new` skeleton is not released: its empty keywords,
/// empty required sections and example texts are errors once it would be
/// approved, each named with file:line:col and what to write, and nothing is
/// written. `build` and `site` refuse an approved guideline that still has
/// them. Written out, the same draft is released.
#[test]
fn an_untouched_skeleton_is_not_released_or_published() {
    let (dir, _) = workspace();
    let guidelines = dir.path().join("guidelines");
    vejviser()
        .args(["new", "--dmcg", "DMSG", "--slug", "skelet", "--guidelines"])
        .arg(&guidelines)
        .assert()
        .success();
    let g = guidelines.join("dmsg/skelet/guideline.md");
    let draft = std::fs::read_to_string(&g).unwrap();
    let line_of = |start: &str| {
        draft
            .lines()
            .position(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starting {start:?}"))
            + 1
    };
    let before = snapshot(dir.path());
    let refused = release(&g)
        .env("NO_COLOR", "1")
        .args(["--version", "1.0"])
        .args(APPROVALS)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    let at = |line: usize, col: usize| format!("skelet/guideline.md:{line}:{col}");
    for needle in [
        "error[VV0118]: `keywords` is empty".to_string(),
        at(line_of("keywords = []"), 12),
        "error[VV0213]: the example recommendation from `vejviser new` is still here".to_string(),
        at(line_of("1. Patienter med nydiagnosticeret"), 4),
        "error[VV0213]: the example evidence text".to_string(),
        at(line_of("Eksempel: I et randomiseret"), 1),
        "error[VV0213]: the example reference from `vejviser new` (\"Efternavn AB … Artiklens titel\") is still here".to_string(),
        at(line_of("1. Efternavn AB"), 4),
        "error[VV0212]: `Formål` in chapter 3 has no text".to_string(),
        at(line_of("## Formål"), 1),
        "help: replace it with a real reference in Vancouver style".to_string(),
        "nothing was written".to_string(),
    ] {
        assert!(stderr.contains(&needle), "missing {needle:?} in:\n{stderr}");
    }
    assert_eq!(snapshot(dir.path()), before, "nothing is written");

    // Approved by hand, the skeleton is not built or published either.
    let approved = draft.replacen(
        "+++\n\n",
        "professional_approval = { date = 2026-05-04, by = \"DMSG\" }\nplanned_update = 2029-05-01\n+++\n\n",
        1,
    );
    assert_ne!(approved, draft);
    std::fs::write(&g, &approved).unwrap();
    vejviser()
        .args(["build", "--no-pdf", "--as-of", AS_OF, "--out"])
        .arg(dir.path().join("built"))
        .arg(&g)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[VV0213]"))
        .stderr(predicate::str::contains("not built"));
    assert!(!dir.path().join("built").exists());
    vejviser()
        .args(["site", "--no-pdf", "--as-of", AS_OF, "--guidelines"])
        .arg(&guidelines)
        .arg("--out")
        .arg(dir.path().join("public"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("VV0212"));
    assert!(!dir.path().join("public").exists());

    // Written out, the draft is released.
    std::fs::write(&g, fill::fill(&draft)).unwrap();
    release(&g)
        .args(["--version", "1.0"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(predicate::str::contains("is now version 1.0 (approved)"));
}

/// `release` says what the new version changes before it writes, in the
/// guideline's language: the Danish example in Danish, the English sample in
/// English (the words of `vejviser diff` and the version findings).
#[test]
fn the_summary_before_writing_speaks_the_guidelines_language() {
    let (_dir, g) = workspace();
    release(&g)
        .args(["--version", "1.1", "--dry-run"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "anbefalinger siden version 1.0: 0 nye, 0 fjernede, 0 ændrede, 1 uændret (`vejviser diff` viser dem)",
        ))
        .stderr(predicate::str::contains("recommendations since").not());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines"),
        dir.path(),
    );
    let en = dir
        .path()
        .join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    release(&en)
        .args(["--version", "1.2", "--dry-run"])
        .args(APPROVALS)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "recommendations since version 1.1: 0 added, 0 removed, 0 changed, 7 unchanged (`vejviser diff` shows them)",
        ))
        .stderr(predicate::str::contains("anbefalinger").not());
}
