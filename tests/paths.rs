//! Paths that look like a guideline but are not one `site` could publish
//! (issue 15, item 6 and 8): a `guideline.md` that is a folder, a symbolic
//! link (to a file, to nothing, to `/dev/zero`), a named pipe or a 1 GB file;
//! a guideline folder that is a link or has lost its `guideline.md`; a folder
//! with capitals or one level too deep. `check`, `report` and `site` each
//! fail on every one, naming the file, in bounded time; none is skipped.

#![cfg(unix)]

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-23";
/// The guideline each case breaks, in the site fixture.
const VICTIM: &str = "dmg/udloebet-opfoelgning";

fn vejviser() -> Command {
    let mut c = Command::cargo_bin("vejviser").unwrap();
    // A named pipe or /dev/zero must not stall any command.
    c.env("NO_COLOR", "1").timeout(Duration::from_secs(60));
    c
}

/// A copy of the site fixture: (temp folder, guidelines).
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines"),
        &g,
    );
    (tmp, g)
}

struct Case {
    name: &'static str,
    /// Breaks the tree; returns the path (relative to guidelines/) each
    /// command must name, and the code.
    make: fn(tmp: &Path, g: &Path) -> (String, &'static str),
}

fn victim_file(g: &Path) -> PathBuf {
    g.join(VICTIM).join("guideline.md")
}

const CASES: &[Case] = &[
    Case {
        name: "guideline.md is a folder",
        make: |_, g| {
            let f = victim_file(g);
            std::fs::remove_file(&f).unwrap();
            std::fs::create_dir(&f).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "guideline.md is a symbolic link to a good file",
        make: |tmp, g| {
            let f = victim_file(g);
            let outside = tmp.join("elsewhere.md");
            std::fs::rename(&f, &outside).unwrap();
            std::os::unix::fs::symlink(&outside, &f).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "guideline.md is a dangling link",
        make: |tmp, g| {
            let f = victim_file(g);
            std::fs::remove_file(&f).unwrap();
            std::os::unix::fs::symlink(tmp.join("no-such-file.md"), &f).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "guideline.md is a link to /dev/zero",
        make: |_, g| {
            let f = victim_file(g);
            std::fs::remove_file(&f).unwrap();
            std::os::unix::fs::symlink("/dev/zero", &f).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "guideline.md is a named pipe",
        make: |_, g| {
            let f = victim_file(g);
            std::fs::remove_file(&f).unwrap();
            mkfifo(&f);
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "guideline.md is a 1 GB file",
        make: |_, g| {
            // Sparse: no disk space used, but 1 GB long.
            let f = std::fs::OpenOptions::new()
                .append(true)
                .open(victim_file(g))
                .unwrap();
            f.set_len(1 << 30).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0004")
        },
    },
    Case {
        name: "the guideline folder is a symbolic link",
        make: |tmp, g| {
            let dir = g.join(VICTIM);
            let outside = tmp.join("elsewhere");
            std::fs::rename(&dir, &outside).unwrap();
            std::os::unix::fs::symlink(&outside, &dir).unwrap();
            (VICTIM.to_string(), "VV0006")
        },
    },
    Case {
        name: "the guideline folder has no guideline.md (renamed)",
        make: |_, g| {
            let f = victim_file(g);
            std::fs::rename(&f, f.with_file_name("guideline-gammel.md")).unwrap();
            (format!("{VICTIM}/guideline.md"), "VV0006")
        },
    },
    Case {
        name: "the guideline folder has capitals",
        make: |_, g| {
            std::fs::rename(g.join(VICTIM), g.join("dmg/Udloebet-Opfoelgning")).unwrap();
            (
                "dmg/Udloebet-Opfoelgning/guideline.md".to_string(),
                "VV0007",
            )
        },
    },
    Case {
        name: "the guideline folder is one level too deep",
        make: |_, g| {
            std::fs::create_dir(g.join("dmg/gammel")).unwrap();
            std::fs::rename(g.join(VICTIM), g.join("dmg/gammel/udloebet-opfoelgning")).unwrap();
            (
                "dmg/gammel/udloebet-opfoelgning/guideline.md".to_string(),
                "VV0007",
            )
        },
    },
];

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", p.display());
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `args` in `tmp` and returns (exit code, stdout + stderr), asserting it
/// took well under the timeout.
fn run(tmp: &Path, args: &[&str]) -> (i32, String) {
    let started = Instant::now();
    let out = vejviser().current_dir(tmp).args(args).output().unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(30), "{args:?} took {took:?}");
    (
        out.status.code().expect("exits, not killed"),
        text(&out.stdout) + &text(&out.stderr),
    )
}

#[test]
fn check_fails_on_every_path_kind_and_names_the_file() {
    for case in CASES {
        let (tmp, g) = tree();
        let (path, code) = (case.make)(tmp.path(), &g);
        let shown = format!("guidelines/{path}");
        let (status, out) = run(tmp.path(), &["check", "--as-of", AS_OF, "guidelines"]);
        assert_eq!(status, 1, "{}: {out}", case.name);
        assert!(
            out.contains(&format!("error[{code}]")) && out.contains(&shown),
            "{}: wants {code} naming {shown}:\n{out}",
            case.name
        );
        // The JSON names the file too, with the same code.
        let o = vejviser()
            .current_dir(tmp.path())
            .args(["check", "--format", "json", "--as-of", AS_OF, "guidelines"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == code && d["file"] == shown.as_str()),
            "{}: {json}",
            case.name
        );
    }
}

#[test]
fn report_lists_every_unreadable_guideline_and_fails() {
    for case in CASES {
        let (tmp, g) = tree();
        let (path, code) = (case.make)(tmp.path(), &g);
        // A misplaced guideline (VV0007) is listed too: `site` would not publish
        // it, so a row would show it as if it were on the site.
        let shown = format!("guidelines/{path}");
        let (status, out) = run(
            tmp.path(),
            &[
                "report",
                "--guidelines",
                "guidelines",
                "--as-of",
                AS_OF,
                "--fail-on",
                "never",
            ],
        );
        assert_eq!(status, 1, "{}: {out}", case.name);
        assert!(
            out.contains(&shown) && out.contains(code),
            "{}: wants {code} naming {shown}:\n{out}",
            case.name
        );
    }
}

#[test]
fn site_publishes_nothing_and_names_the_file() {
    for case in CASES {
        let (tmp, g) = tree();
        let (path, code) = (case.make)(tmp.path(), &g);
        let shown = format!("guidelines/{path}");
        let (status, out) = run(
            tmp.path(),
            &[
                "site",
                "--as-of",
                AS_OF,
                "--no-pdf",
                "--base-url",
                "https://x.example.dk/",
            ],
        );
        assert_eq!(status, 1, "{}: {out}", case.name);
        assert!(
            out.contains(code) && out.contains(&shown),
            "{}: wants {code} naming {shown}:\n{out}",
            case.name
        );
        assert!(!tmp.path().join("public").exists(), "{}", case.name);
        // With --keep-going the rest is published and the file is listed as left out.
        let (status, out) = run(
            tmp.path(),
            &[
                "site",
                "--as-of",
                AS_OF,
                "--no-pdf",
                "--keep-going",
                "--base-url",
                "https://x.example.dk/",
            ],
        );
        assert_eq!(status, 0, "{}: {out}", case.name);
        assert!(out.contains(&shown), "{}: {out}", case.name);
        assert!(
            tmp.path()
                .join("public/dmsg/myelomatose-hdt/index.html")
                .is_file(),
            "{}",
            case.name
        );
    }
}

/// `release` reads the file it approves the same way: a named pipe is an
/// error naming it, never a hang.
#[test]
fn release_does_not_hang_on_a_named_pipe() {
    let (tmp, g) = tree();
    let f = victim_file(&g);
    std::fs::remove_file(&f).unwrap();
    mkfifo(&f);
    let (status, out) = run(
        tmp.path(),
        &[
            "release",
            "guidelines/dmg/udloebet-opfoelgning",
            "--version",
            "2.0",
            "--dry-run",
            "--as-of",
            AS_OF,
        ],
    );
    assert_ne!(status, 0, "{out}");
    assert!(out.contains("guideline.md"), "{out}");
}

/// A `site --guidelines` that is a group folder inside a tree would publish
/// every guideline one level off; it is refused before anything is built.
#[test]
fn site_of_a_group_folder_is_refused() {
    let (tmp, _) = tree();
    let (status, out) = run(
        tmp.path(),
        &[
            "site",
            "--as-of",
            AS_OF,
            "--no-pdf",
            "--guidelines",
            "guidelines/dmsg",
        ],
    );
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("dmcg.toml"), "{out}");
    assert!(!tmp.path().join("public").exists());
}

/// A `dmcg.toml` group key that cannot be a folder name (`vejviser build`
/// writes to `build/<key>/`) is an error at its line when the registry is
/// read, for `check` as for every command, not when something is published.
#[test]
fn a_group_key_that_cannot_be_a_folder_is_an_error_at_its_line() {
    let (tmp, g) = tree();
    let reg = g.join("dmcg.toml");
    let text = std::fs::read_to_string(&reg).unwrap();
    let line = text.lines().count() + 2;
    std::fs::write(&reg, format!("{text}\n[\"../ude\"]\nname = \"x\"\n")).unwrap();
    let (status, out) = run(tmp.path(), &["check", "--as-of", AS_OF, "guidelines"]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("error[VV0117]"), "{out}");
    assert!(
        out.contains(&format!("guidelines/dmcg.toml:{line}:")),
        "{out}"
    );
    assert!(out.contains("`../ude` cannot name a folder"), "{out}");
    let (status, out) = run(
        tmp.path(),
        &[
            "build",
            "--as-of",
            AS_OF,
            "--no-pdf",
            "guidelines/dmsg/myelomatose-hdt",
        ],
    );
    assert_ne!(status, 0, "{out}");
    assert!(!tmp.path().join("ude").exists() && !tmp.path().join("build").exists());
}
