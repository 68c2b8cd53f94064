//! The subcommands behave alike where a new user expects them to: the same
//! `--format` names, guidelines given as paths or with `--guidelines`, the
//! nearest guideline tree when none is named, `--due-within` wherever a
//! status is computed, errors with the command's own usage, and JSON on
//! stdout even when nothing could be checked.

mod common;
use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

const AS_OF: &str = "2026-11-23";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vejviser(dir: &Path) -> Command {
    let mut c = cargo_bin_cmd!("vejviser");
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

fn out(o: &std::process::Output) -> (i32, String, String) {
    (
        o.status.code().expect("exits"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn check_and_report_take_the_same_format_names() {
    for name in ["text", "human"] {
        let (status, _, stderr) = out(&vejviser(root())
            .args(["check", "--as-of", AS_OF, "--format", name])
            .arg("tests/fixtures/check/valid")
            .output()
            .unwrap());
        assert_eq!(status, 0, "check --format {name}: {stderr}");
        assert!(stderr.contains("no problems found"), "{stderr}");
    }
    let text = |name: &str| {
        vejviser(&root().join("tests/fixtures/report"))
            .args([
                "report",
                "--as-of",
                AS_OF,
                "--fail-on",
                "never",
                "--format",
                name,
            ])
            .arg("guidelines")
            .output()
            .unwrap()
    };
    let (t, h) = (text("text"), text("human"));
    assert_eq!(t.status.code(), Some(0), "{}", out(&t).2);
    assert_eq!(t.stdout, h.stdout);
}

#[test]
fn report_and_site_take_the_guidelines_as_a_path_or_with_guidelines() {
    let dir = root().join("tests/fixtures/report");
    let by_path = vejviser(&dir)
        .args(["report", "guidelines", "--as-of", AS_OF, "--format", "json"])
        .output()
        .unwrap();
    let by_option = vejviser(&dir)
        .args([
            "report",
            "--guidelines",
            "guidelines",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(!by_path.stdout.is_empty(), "{}", out(&by_path).2);
    assert_eq!(by_path.stdout, by_option.stdout);
    // Both forms at once: a usage error naming them.
    let (status, _, stderr) = out(&vejviser(&dir)
        .args(["report", "guidelines", "--guidelines", "guidelines"])
        .output()
        .unwrap());
    assert_eq!(status, 2);
    assert!(stderr.contains("--guidelines"), "{stderr}");
    // site: a missing tree given as a path is named as such.
    let tmp = tempfile::tempdir().unwrap();
    let (status, _, stderr) = out(&vejviser(tmp.path())
        .args(["site", "no-such-tree", "--out", "public", "--no-pdf"])
        .output()
        .unwrap());
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("no-such-tree"), "{stderr}");
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
    // check and fmt take --guidelines as report and site do.
    for cmd in ["check", "fmt"] {
        let (status, _, stderr) = out(&vejviser(root())
            .args([cmd, "--guidelines", "tests/fixtures/check/valid"])
            .args(if cmd == "check" {
                vec!["--as-of", AS_OF]
            } else {
                vec!["--check"]
            })
            .output()
            .unwrap());
        assert_eq!(status, 0, "{cmd}: {stderr}");
    }
}

#[test]
fn check_inside_a_guideline_tree_checks_that_folder() {
    let valid = root().join("tests/fixtures/check/valid");
    let (status, _, stderr) = out(&vejviser(&valid)
        .args(["check", "--as-of", AS_OF])
        .output()
        .unwrap());
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("checked 1 file: no problems found"),
        "{stderr}"
    );
    // Below the folder that holds guidelines/: that tree, said so.
    let (status, _, stderr) = out(&vejviser(&root().join("docs"))
        .args(["check", "--as-of", AS_OF])
        .output()
        .unwrap());
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("note: using ../guidelines"), "{stderr}");
    // Nowhere near a tree: an error that says what to do.
    let tmp = tempfile::tempdir().unwrap();
    let (status, _, stderr) = out(&vejviser(tmp.path()).arg("check").output().unwrap());
    assert_eq!(status, 2);
    assert!(stderr.contains("name the guidelines"), "{stderr}");
}

#[test]
fn check_json_for_a_missing_file_is_a_json_error() {
    let (status, stdout, stderr) = out(&vejviser(root())
        .args(["check", "--format", "json", "no-such/guideline.md"])
        .output()
        .unwrap());
    assert_eq!(status, 2);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?} {stderr}"));
    let message = json["error"]["message"].as_str().unwrap();
    assert!(message.contains("no-such/guideline.md"), "{message}");
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(json["summary"]["files"], 0);
}

#[test]
fn report_output_to_a_csv_file_is_for_excel() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("revision.csv");
    let o = vejviser(&root().join("tests/fixtures/report"))
        .args([
            "report",
            "guidelines",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ])
        .arg("--output")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).2);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("\u{feff}path;dmcg;slug;"), "{csv}");
    // An explicit --format csv is plain RFC 4180.
    let o = vejviser(&root().join("tests/fixtures/report"))
        .args([
            "report",
            "guidelines",
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ])
        .args(["--format", "csv", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("path,dmcg,"));
}

/// A copy of the release fixture and its guideline.
fn release_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("tests/fixtures/release"), dir.path());
    let g = dir.path().join("guidelines/dmsg/eksempel/guideline.md");
    (dir, g)
}

#[test]
fn release_without_by_is_a_release_error() {
    let (dir, g) = release_fixture();
    let (status, _, stderr) = out(&vejviser(dir.path())
        .arg("release")
        .arg(&g)
        .args([
            "--version",
            "1.1",
            "--approved-professionally",
            "2026-05-04",
        ])
        .output()
        .unwrap());
    assert_eq!(status, 2);
    assert!(
        stderr.contains("error: --approved-professionally needs --by BODY after it"),
        "{stderr}"
    );
    assert!(stderr.contains("Usage: vejviser release"), "{stderr}");
    assert!(!stderr.contains("<COMMAND>"), "{stderr}");
}

#[test]
fn release_and_serve_take_due_within() {
    let (dir, g) = release_fixture();
    let dry = |due: &str| {
        out(&vejviser(dir.path())
            .arg("release")
            .arg(&g)
            .args(["--version", "1.1", "--as-of", "2026-06-15", "--dry-run"])
            .args(["--approved-professionally", "2026-05-04", "--by", "DMSG"])
            .args(["--planned-update", "2026-12-01", "--due-within", due])
            .output()
            .unwrap())
    };
    let (status, _, stderr) = dry("200");
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("VV0601"), "due within 200 days: {stderr}");
    let (_, _, stderr) = dry("90");
    assert!(!stderr.contains("VV0601"), "not within 90 days: {stderr}");
    let (status, stdout, _) = out(&vejviser(root()).args(["serve", "--help"]).output().unwrap());
    assert_eq!(status, 0);
    assert!(stdout.contains("--due-within <DAYS>"), "{stdout}");
}

/// A new user's first steps are in the README: the install command, the
/// minimum Rust version (the one Cargo.toml declares) and why CI's test
/// command sets two variables.
#[test]
fn the_readme_says_how_to_install_and_which_rust() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let msrv = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml sets rust-version");
    assert!(readme.contains("cargo install --path ."), "install step");
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "the README's minimum Rust is Cargo.toml's {msrv}"
    );
    assert!(readme.contains("CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only"));
}

/// The first line `serve` prints, run in `dir` with `args`; the server is then stopped.
fn serve_first_line(dir: &Path, args: &[&str]) -> String {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .current_dir(dir)
        .args(["serve", "--port", "0", "--no-pdf"])
        .args(args)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    line
}

#[test]
fn serve_takes_the_guideline_it_is_run_in_or_guidelines() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("guidelines"), &tmp.path().join("guidelines"));
    let folder = tmp.path().join("guidelines/dmsg/myelomatose-hdt");
    let line = serve_first_line(&folder, &[]);
    assert!(
        line.starts_with("serving ./guideline.md at http://127.0.0.1:"),
        "{line}"
    );
    let line = serve_first_line(tmp.path(), &["--guidelines", "guidelines"]);
    assert!(
        line.starts_with("serving the whole site from guidelines"),
        "{line}"
    );
}
