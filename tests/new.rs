//! `vejviser new`: drafts that check without errors in both languages, and
//! clear refusals for an existing guideline, a bad slug or an unknown group.
//! Also the authoring commands' command-line surface: `--help` examples for
//! every command and shell completions.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

#[path = "common/fill.rs"]
mod fill;

fn vejviser() -> Command {
    Command::cargo_bin("vejviser").unwrap()
}

/// A temporary folder holding `guidelines/dmcg.toml` from the fixtures.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("guidelines");
    std::fs::create_dir(&g).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/new/guidelines/dmcg.toml"),
        g.join("dmcg.toml"),
    )
    .unwrap();
    (dir, g)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        }
        out.push(p);
    }
    out.sort();
    out
}

fn check_json(file: &Path) -> serde_json::Value {
    let out = vejviser()
        .args(["check", "--format", "json", "--as-of", "2026-06-15"])
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn new_drafts_check_without_errors_in_both_languages() {
    for (lang, group, heading) in [
        ("da", "DMSG", "# 2. Anbefalinger (centrale budskaber)"),
        ("en", "DBCG", "# 2. Recommendations (key messages)"),
    ] {
        let (_dir, g) = workspace();
        let slug = format!("ny-retningslinje-{lang}");
        vejviser()
            .args(["new", "--dmcg", group, "--slug", &slug, "--lang", lang])
            .arg("--guidelines")
            .arg(&g)
            .assert()
            .success()
            .stderr(predicate::str::contains("vejviser check"));
        let file = g
            .join(group.to_lowercase())
            .join(&slug)
            .join("guideline.md");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(heading), "{text}");
        assert!(text.contains(&format!("language = \"{lang}\"")));
        assert!(text.contains("version = \"1.0\""));
        assert!(!text.contains("professional_approval"), "a draft");
        assert!(text.contains("(1) [1b]"), "citation syntax is shown");
        let json = check_json(&file);
        let errors: Vec<_> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{lang}: {errors:#?}");
        // The draft is already in fmt layout.
        vejviser()
            .arg("fmt")
            .arg("--check")
            .arg(&file)
            .assert()
            .code(0);
    }
}

#[test]
fn the_title_and_template_are_taken_from_the_arguments() {
    let (_dir, g) = workspace();
    vejviser()
        .args([
            "new",
            "--dmcg",
            "DMSG",
            "--slug",
            "hdt",
            "--template",
            "sundk-1.0",
        ])
        .args(["--title", "Højdosisbehandling \"HDT\" ved myelomatose"])
        .arg("--guidelines")
        .arg(&g)
        .assert()
        .success();
    let text = std::fs::read_to_string(g.join("dmsg/hdt/guideline.md")).unwrap();
    let front = vejviser_parse::parse_front_matter("g", text.as_bytes())
        .0
        .unwrap();
    assert_eq!(
        front.title, "Højdosisbehandling \"HDT\" ved myelomatose",
        "{text}"
    );
    assert!(text.contains("template = \"sundk-1.0\""));
    vejviser()
        .args([
            "new",
            "--dmcg",
            "DMSG",
            "--slug",
            "x",
            "--template",
            "sundk-9.9",
        ])
        .arg("--guidelines")
        .arg(&g)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "template `sundk-9.9` does not exist",
        ));
}

#[test]
fn an_existing_guideline_is_never_overwritten() {
    let (_dir, g) = workspace();
    let run = || {
        vejviser()
            .args(["new", "--dmcg", "DMSG", "--slug", "hdt"])
            .arg("--guidelines")
            .arg(&g)
            .assert()
    };
    run().success();
    let file = g.join("dmsg/hdt/guideline.md");
    std::fs::write(&file, "the author's work").unwrap();
    run().code(2).stderr(
        predicate::str::contains("already exists")
            .and(predicate::str::contains("never overwrites")),
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "the author's work");
}

#[test]
fn bad_slugs_are_refused_and_nothing_is_created() {
    let (_dir, g) = workspace();
    let before = files_under(&g);
    for slug in [
        "../udenfor",
        "Store-Bogstaver",
        "-x",
        "a/b",
        "æble",
        "a..b",
        "",
        "a b",
    ] {
        vejviser()
            .args(["new", "--dmcg", "DMSG", "--slug", slug])
            .arg("--guidelines")
            .arg(&g)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a valid slug"));
    }
    assert_eq!(files_under(&g), before);
}

#[test]
fn unknown_groups_are_refused_with_a_hint() {
    let (_dir, g) = workspace();
    let before = files_under(&g);
    vejviser()
        .args(["new", "--dmcg", "NOPE", "--slug", "x"])
        .arg("--guidelines")
        .arg(&g)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("group `NOPE` is not in")
                .and(predicate::str::contains("known groups: DBCG, DMSG")),
        );
    vejviser()
        .args(["new", "--dmcg", "dmsg", "--slug", "x"])
        .arg("--guidelines")
        .arg(&g)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `DMSG`?"));
    assert_eq!(files_under(&g), before);
}

#[test]
fn a_missing_guidelines_folder_or_registry_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    vejviser()
        .args(["new", "--dmcg", "DMSG", "--slug", "x", "--guidelines"])
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
    vejviser()
        .args(["new", "--dmcg", "DMSG", "--slug", "x", "--guidelines"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no dmcg.toml"));
}

#[cfg(unix)]
#[test]
fn a_group_folder_linking_outside_is_refused() {
    let (dir, g) = workspace();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, g.join("dmsg")).unwrap();
    vejviser()
        .args(["new", "--dmcg", "DMSG", "--slug", "x"])
        .arg("--guidelines")
        .arg(&g)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the guidelines folder"));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}

#[test]
fn every_command_has_examples_in_its_help() {
    let out = vejviser().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let commands: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .filter(|c| c != "help")
        .collect();
    for c in ["new", "fmt", "release", "completions"] {
        assert!(
            commands.iter().any(|x| x == c),
            "{c} is listed: {commands:?}"
        );
    }
    for c in ["new", "fmt", "release", "completions"] {
        vejviser().args([c, "--help"]).assert().success().stdout(
            predicate::str::contains("Examples:")
                .and(predicate::str::contains(format!("vejviser {c} "))),
        );
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef vejviser"),
        ("fish", "complete -c vejviser"),
    ] {
        let out = vejviser().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}");
        for sub in ["new", "release", "fmt", "check"] {
            assert!(text.contains(sub), "{shell} completes {sub}");
        }
    }
    vejviser().args(["completions", "tcsh"]).assert().code(2);
}

/// The findings (code, severity, line, column) of `vejviser check --format json` on one file.
fn findings(file: &Path, extra: &[&str]) -> (i32, Vec<(String, String, u64, u64)>) {
    let out = vejviser()
        .args(["check", "--format", "json", "--as-of", "2026-06-15"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (out.status.code().unwrap(), list)
}

/// An untouched skeleton is not a guideline: `check` lists, as warnings
/// while it is a draft, the empty keywords, every required section with only
/// its hint, and the three examples, each at its line; `--deny-warnings`
/// fails. Written out, the same file checks clean.
#[test]
fn a_fresh_draft_lists_what_is_left_to_write() {
    for lang in ["da", "en"] {
        let (_dir, g) = workspace();
        vejviser()
            .args(["new", "--dmcg", "DMSG", "--slug", "hdt", "--lang", lang])
            .arg("--guidelines")
            .arg(&g)
            .assert()
            .success();
        let file = g.join("dmsg/hdt/guideline.md");
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let line_of = |pred: &dyn Fn(&str) -> bool| -> u64 {
            lines
                .iter()
                .position(|l| pred(l))
                .expect("line is in the draft") as u64
                + 1
        };
        let (status, found) = findings(&file, &[]);
        assert_eq!(status, 0, "only warnings in a draft: {found:?}");
        let of = |code: &str| -> Vec<(u64, u64)> {
            found
                .iter()
                .filter(|f| f.0 == code)
                .inspect(|f| assert_eq!(f.1, "warning", "{f:?}"))
                .map(|f| (f.2, f.3))
                .collect()
        };
        // The keywords line, at the empty list.
        assert_eq!(
            of("VV0118"),
            vec![(line_of(&|l| l.starts_with("keywords = []")), 12)],
            "{lang}"
        );
        // The three examples, at their text.
        let (rec, ev, reference) = if lang == "da" {
            (
                "1. Patienter med nydiagnosticeret",
                "Eksempel: ",
                "1. Efternavn AB",
            )
        } else {
            (
                "1. Patients with newly diagnosed",
                "Example: ",
                "1. Surname AB",
            )
        };
        assert_eq!(
            of("VV0213"),
            vec![
                (line_of(&|l| l.starts_with(rec)), 4),
                (line_of(&|l| l.starts_with(ev)), 1),
                (line_of(&|l| l.starts_with(reference)), 4),
            ],
            "{lang}"
        );
        // Every required heading with only its hint under it: the three of
        // chapter 3, three of the evidence block's four (the first holds the
        // example), eleven of chapter 6's twelve (the last names the template)
        // and chapter 7.
        let headings: Vec<u64> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                l.starts_with('#') && lines.get(i + 2).is_some_and(|n| n.starts_with("<!--"))
            })
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let empty: Vec<u64> = of("VV0212").iter().map(|f| f.0).collect();
        assert_eq!(empty.len(), 3 + 3 + 11 + 1, "{lang}: {empty:?}");
        assert!(
            empty.iter().all(|l| headings.contains(l)),
            "{lang}: {empty:?} not headings {headings:?}"
        );
        let chapter_7 = line_of(&|l| l.starts_with("# 7. "));
        assert!(empty.contains(&chapter_7), "{lang}");
        let formaal = line_of(&|l| l == "## Formål" || l == "## Purpose");
        assert_eq!(empty[0], formaal, "{lang}");
        // Nothing else: the skeleton is otherwise valid.
        assert!(
            found
                .iter()
                .all(|f| ["VV0118", "VV0212", "VV0213"].contains(&f.0.as_str())),
            "{lang}: {found:?}"
        );
        // The human output names the place and says what to write.
        vejviser()
            .env("NO_COLOR", "1")
            .args(["check", "--as-of", "2026-06-15"])
            .arg(&file)
            .assert()
            .code(0)
            .stderr(predicate::str::contains(format!(
                "guideline.md:{}:12",
                line_of(&|l| l.starts_with("keywords = []"))
            )))
            .stderr(predicate::str::contains(
                "warning[VV0213]: the example recommendation from `vejviser new` is still here",
            ))
            .stderr(predicate::str::contains("help: replace it with"));
        // `--deny-warnings` (for a group's own CI) fails on them.
        assert_eq!(findings(&file, &["--deny-warnings"]).0, 1, "{lang}");

        // Written out: no findings at all, even with --deny-warnings.
        std::fs::write(&file, fill::fill(&text)).unwrap();
        assert_eq!(findings(&file, &["--deny-warnings"]), (0, vec![]), "{lang}");
    }
}
