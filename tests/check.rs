//! Integration tests of `vejviser check` and `vejviser explain`: one fixture
//! per rule of the spec's section 8 (tests/fixtures/check/<case>/, each a
//! minimal valid guideline with one thing wrong), the bad-input cases of the
//! foundation issue, the JSON shape, exit statuses and the human output.
//! Inputs that are large, binary or not UTF-8 are generated into a temp dir
//! rather than committed.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every run is pinned to this date, so revision findings do not depend on the clock.
const AS_OF: &str = "2026-11-23";
const FIXTURES: &str = "tests/fixtures/check";
/// The fixtures' group registry: the cases are the guideline folders of one
/// group folder, `check/`, as `site` would publish them (VV0007).
const REGISTRY: &str = "tests/fixtures/dmcg.toml";
const E: &str = "error";
const W: &str = "warning";

/// One row per case: fixture file under tests/fixtures/check, the code it must
/// report, its severity and line, and the other codes it cannot avoid (exactly
/// these; any further finding fails the test).
#[rustfmt::skip]
const CASES: &[(&str, &str, &str, u32, &[&str])] = &[
    ("vv0002-empty/guideline.md", "VV0002", E, 1, &[]),
    ("vv0007-too-deep/nested/guideline.md", "VV0007", E, 1, &[]),
    ("vv0101-no-front-matter/guideline.md", "VV0101", E, 1, &[]),
    ("vv0102-unclosed-front-matter/guideline.md", "VV0102", E, 1, &["VV0208"]),
    ("vv0103-invalid-toml/guideline.md", "VV0103", E, 2, &[]),
    ("vv0103-duplicate-key/guideline.md", "VV0103", E, 5, &[]),
    ("vv0103-impossible-date/guideline.md", "VV0103", E, 7, &[]),
    ("vv0104-unknown-key/guideline.md", "VV0104", E, 7, &[]),
    ("vv0105-wrong-type/guideline.md", "VV0105", E, 4, &[]),
    ("vv0105-date-with-time/guideline.md", "VV0105", E, 7, &[]),
    ("vv0106-missing-key/guideline.md", "VV0106", E, 1, &[]),
    ("vv0107-unknown-group/guideline.md", "VV0107", E, 3, &[]),
    ("vv0108-unknown-template/guideline.md", "VV0108", E, 5, &[]),
    ("vv0109-invalid-version/guideline.md", "VV0109", E, 4, &[]),
    ("vv0110-invalid-language/guideline.md", "VV0110", E, 5, &[]),
    ("vv0111-missing-planned-update/guideline.md", "VV0111", E, 6, &[]),
    ("vv0112-administrative-before-professional/guideline.md", "VV0112", E, 7, &[]),
    ("vv0113-planned-update-before-approval/guideline.md", "VV0113", E, 8, &["VV0602"]),
    ("vv0114-planned-update-beyond-limit/guideline.md", "VV0114", E, 8, &[]),
    ("vv0115-administrative-without-professional/guideline.md", "VV0115", W, 6, &[]),
    ("vv0116-approval-in-future/guideline.md", "VV0116", E, 6, &[]),
    ("vv0118-missing-keywords/guideline.md", "VV0118", E, 5, &[]),
    ("vv0201-missing-chapter/guideline.md", "VV0201", E, 17, &[]),
    ("vv0202-chapter-out-of-order/guideline.md", "VV0202", E, 61, &[]),
    ("vv0203-unknown-chapter/guideline.md", "VV0203", E, 111, &[]),
    ("vv0204-duplicate-chapter/guideline.md", "VV0204", E, 111, &[]),
    ("vv0205-missing-subheading/guideline.md", "VV0205", E, 17, &[]),
    ("vv0206-subheading-out-of-order/guideline.md", "VV0206", W, 23, &[]),
    ("vv0207-generated-chapter-written/guideline.md", "VV0207", E, 111, &[]),
    ("vv0208-content-before-first-chapter/guideline.md", "VV0208", W, 11, &[]),
    ("vv0209-unknown-subheading/guideline.md", "VV0209", W, 31, &[]),
    ("vv0210-raw-html/guideline.md", "VV0210", W, 27, &[]),
    ("vv0211-latex-outside-math/guideline.md", "VV0211", W, 25, &[]),
    ("vv0212-empty-section/guideline.md", "VV0212", E, 83, &[]),
    ("vv0213-skeleton-placeholder/guideline.md", "VV0213", E, 55, &[]),
    ("vv0301-numbering-not-continuous/guideline.md", "VV0301", E, 17, &[]),
    ("vv0301-numbering-across-topics/guideline.md", "VV0301", E, 19, &[]),
    ("vv0302-missing-grade/guideline.md", "VV0302", E, 15, &[]),
    ("vv0303-invalid-grade/guideline.md", "VV0303", E, 15, &[]),
    ("vv0304-invalid-marker/guideline.md", "VV0304", E, 15, &[]),
    ("vv0305-multiple-markers/guideline.md", "VV0305", E, 15, &[]),
    ("vv0306-marker-outside-recommendation/guideline.md", "VV0306", E, 48, &[]),
    ("vv0307-recommendation-without-topic/guideline.md", "VV0307", W, 13, &[]),
    ("vv0308-no-recommendations/guideline.md", "VV0308", E, 11, &[]),
    ("vv0309-missing-evidence/guideline.md", "VV0309", E, 17, &[]),
    ("vv0310-repeated-text-differs/guideline.md", "VV0310", E, 35, &[]),
    ("vv0310-note-only-in-chapter-4/guideline.md", "VV0310", E, 36, &[]),
    ("vv0311-unknown-recommendation/guideline.md", "VV0311", E, 35, &[]),
    ("vv0312-topic-mismatch/guideline.md", "VV0312", W, 35, &[]),
    ("vv0313-evidence-subheading/guideline.md", "VV0313", W, 35, &[]),
    ("vv0314-indented-recommendation/guideline.md", "VV0314", E, 17, &[]),
    ("vv0315-invalid-id-pin/guideline.md", "VV0315", E, 15, &[]),
    ("vv0316-duplicate-recommendation-id/guideline.md", "VV0316", E, 17, &[]),
    ("vv0317-unknown-recommendation-id/guideline.md", "VV0317", W, 22, &[]),
    ("vv0401-unresolved-citation/guideline.md", "VV0401", E, 39, &[]),
    ("vv0402-invalid-evidence-level/guideline.md", "VV0402", E, 39, &[]),
    ("vv0403-grade-stronger-than-evidence/guideline.md", "VV0403", W, 35, &[]),
    ("vv0404-uncited-reference/guideline.md", "VV0404", W, 56, &[]),
    ("vv0405-reference-numbering/guideline.md", "VV0405", E, 55, &[]),
    ("vv0405-reference-gap/guideline.md", "VV0405", E, 56, &[]),
    ("vv0501-missing-changelog/guideline.md", "VV0501", E, 12, &[]),
    ("vv0502-previous-version-not-lower/guideline.md", "VV0502", E, 6, &[]),
    ("vv0503-archive-version-mismatch/archive/1.4.md", "VV0503", E, 4, &[]),
    ("vv0504-changelog-columns/guideline.md", "VV0504", W, 14, &[]),
    ("vv0505-changelog-misses-change/guideline.md", "VV0505", W, 24, &[]),
    ("vv0506-changelog-names-unchanged/guideline.md", "VV0506", W, 16, &[]),
    ("vv0601-revision-due/guideline.md", "VV0601", W, 8, &[]),
    ("vv0602-revision-overdue/guideline.md", "VV0602", W, 8, &[]),
    ("vv0603-revision-expired/guideline.md", "VV0603", W, 6, &[]),
    ("wrong-heading-order/guideline.md", "VV0202", E, 25, &[]),
];

/// Codes no committed fixture can trigger: the inputs are generated at test time
/// (VV0006, a guideline that is not a regular file: tests/paths.rs).
const GENERATED: &[&str] = &["VV0001", "VV0003", "VV0004", "VV0005", "VV0006", "VV0117"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vejviser() -> Command {
    let mut c = cargo_bin_cmd!("vejviser");
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

struct Run {
    status: i32,
    json: Value,
    stderr: String,
}

impl Run {
    fn diagnostics(&self) -> &Vec<Value> {
        self.json["diagnostics"]
            .as_array()
            .expect("`diagnostics` is an array")
    }
    fn summary(&self, key: &str) -> u64 {
        self.json["summary"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{key} is a number: {}", self.json))
    }
    /// The findings as (code, severity, line).
    fn findings(&self) -> Vec<(String, String, u64)> {
        self.diagnostics()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                    d["line"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }
}

/// `vejviser check --format json --as-of AS_OF <args>`.
fn check_json(args: &[&str]) -> Run {
    let out = vejviser()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .args(args)
        .output()
        .expect("vejviser runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    Run {
        status: out.status.code().expect("vejviser exits, not killed"),
        json,
        stderr,
    }
}

fn fixture(case: &str) -> String {
    format!("{FIXTURES}/{case}")
}

/// Asserts the run found exactly one diagnostic, with this code, severity and line.
#[track_caller]
fn assert_only(run: &Run, code: &str, severity: &str, line: u64) {
    assert_eq!(
        run.findings(),
        vec![(code.to_string(), severity.to_string(), line)],
        "{}",
        run.json
    );
    assert_eq!(run.status, if severity == E { 1 } else { 0 });
}

/// The minimal valid guideline every fixture starts from.
fn valid_text() -> String {
    std::fs::read_to_string(root().join(FIXTURES).join("valid/guideline.md"))
        .expect("valid fixture")
}

/// A guideline folder in a fresh temp dir, with the fixtures' group registry above it.
struct TempGuidelines {
    dir: tempfile::TempDir,
}

impl TempGuidelines {
    fn new() -> Self {
        let t = TempGuidelines {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::copy(root().join(REGISTRY), t.dir.path().join("dmcg.toml"))
            .expect("copy dmcg.toml");
        t
    }
    /// Without a `dmcg.toml`.
    fn without_registry() -> Self {
        TempGuidelines {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    /// Writes `<slug>/<file>` and returns its path as a string.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> String {
        let p: PathBuf = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write fixture");
        p.to_str().expect("UTF-8 temp path").to_string()
    }
    fn path(&self) -> String {
        self.dir
            .path()
            .to_str()
            .expect("UTF-8 temp path")
            .to_string()
    }
}

/// The valid guideline with `extra` appended to its last chapter; returns the
/// text and the line `extra` starts on.
fn valid_with_tail(extra: &str) -> (String, u64) {
    let mut text = valid_text();
    text.push('\n');
    let line = text.lines().count() as u64 + 1;
    text.push_str(extra);
    (text, line)
}

// ---------------------------------------------------------------------------
// One fixture per rule.

#[test]
fn every_rule_fixture_reports_its_code_severity_and_line() {
    let mut failures = Vec::new();
    for &(case, code, severity, line, also) in CASES {
        let run = check_json(&[&fixture(case)]);
        let found = run.findings();
        let hit = found
            .iter()
            .any(|(c, s, l)| c == code && s == severity && *l == line as u64);
        let codes: BTreeSet<&str> = found.iter().map(|f| f.0.as_str()).collect();
        let expected: BTreeSet<&str> = std::iter::once(code).chain(also.iter().copied()).collect();
        let any_error = found.iter().any(|f| f.1 == E);
        let status = if any_error { 1 } else { 0 };
        if !hit || codes != expected || run.status != status || run.summary("files") != 1 {
            failures.push(format!(
                "{case}: expected {code} {severity} at line {line} (plus {also:?}), exit {status}; got exit {} and {found:?}",
                run.status
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_code_the_checker_can_produce_has_a_case() {
    let out = vejviser().args(["explain", "--list"]).output().unwrap();
    assert!(out.status.success());
    let all: BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(
        all.len() >= 50,
        "explain --list lists the registry: {all:?}"
    );
    let covered: BTreeSet<String> = CASES
        .iter()
        .map(|c| c.1)
        .chain(GENERATED.iter().copied())
        .map(str::to_string)
        .collect();
    let missing: Vec<&String> = all.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "add a fixture under {FIXTURES}/ and a row in CASES for {missing:?}"
    );
    let unknown: Vec<&String> = covered.difference(&all).collect();
    assert!(
        unknown.is_empty(),
        "CASES names codes not in the registry: {unknown:?}"
    );
}

#[test]
fn every_fixture_folder_is_a_case() {
    let named: BTreeSet<&str> = CASES
        .iter()
        .map(|c| c.0.split('/').next().unwrap())
        .chain(["valid", "valid-code-span-citation"])
        .collect();
    for entry in std::fs::read_dir(root().join(FIXTURES)).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let name = entry.file_name().into_string().unwrap();
            assert!(
                named.contains(name.as_str()),
                "{FIXTURES}/{name} has no row in CASES"
            );
        }
    }
}

/// A code span is code: `dosis (7)` is not a citation of reference 7 (there is none).
#[test]
fn a_code_span_is_never_read_as_a_citation() {
    let run = check_json(&[&fixture("valid-code-span-citation/guideline.md")]);
    assert_eq!(run.findings(), vec![], "{}", run.json);
}

#[test]
fn the_valid_fixture_checks_clean() {
    let run = check_json(&[&fixture("valid/guideline.md")]);
    assert_eq!(run.findings(), vec![], "{}", run.json);
    assert_eq!(run.status, 0);
    assert_eq!(
        (
            run.summary("files"),
            run.summary("errors"),
            run.summary("warnings")
        ),
        (1, 0, 0)
    );
}

#[test]
fn vv0117_missing_registry() {
    let t = TempGuidelines::without_registry();
    let f = t.write("dmsg/no-registry/guideline.md", valid_text());
    assert_only(&check_json(&[&f]), "VV0117", E, 3);
}

#[test]
fn many_files_are_reported_in_path_order_with_their_own_lines() {
    // Files are checked in parallel; their findings must still come out in
    // path order, each under its own file's line.
    let t = TempGuidelines::new();
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for name in names {
        // Without its recommendation's grade, each file has a finding (VV0302).
        let text = valid_text().replacen(" (B)", "", 1);
        t.write(&format!("dmsg/{name}/guideline.md"), text);
    }
    let out = vejviser()
        .args(["check", "--as-of", AS_OF, &t.path()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let positions: Vec<usize> = names
        .iter()
        .map(|n| {
            err.find(&format!("dmsg/{n}/guideline.md:"))
                .unwrap_or_else(|| panic!("no finding for {n}:\n{err}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{err}");
    let line = "1. Patienter med sygdommen bør tilbydes behandling X";
    assert_eq!(err.matches(line).count(), names.len(), "{err}");
    let json = check_json(&[&t.path()]);
    let files: Vec<String> = json.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn a_broken_registry_is_reported_once_under_its_own_line() {
    let t = TempGuidelines::without_registry();
    // `emai` is the 46th character of line 3 and its 48th byte (æ, ø).
    let registry = "[DMSG]\nname = \"x\"\ncontact = { name = \"Anders Kjærgaard Nørby\", emai = \"a@b.dk\" }\n";
    t.write("dmcg.toml", registry);
    t.write("dmsg/one/guideline.md", valid_text());
    t.write("dmsg/two/guideline.md", valid_text());
    let run = check_json(&[&t.path()]);
    let found: Vec<&Value> = run.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "VV0117")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.json);
    assert!(found[0]["file"].as_str().unwrap().ends_with("dmcg.toml"));
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(3), Some(46))
    );
    assert_eq!(run.summary("errors"), 1);

    let out = vejviser()
        .args(["check", "--as-of", AS_OF, &t.path()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("error[VV0117]").count(), 1, "{err}");
    assert!(err.contains("dmcg.toml:3:46"), "{err}");
    // The line shown is the registry's, with the caret under `emai`.
    let shown = err
        .lines()
        .find(|l| l.contains("emai ="))
        .expect("the registry line is shown");
    let caret = err
        .lines()
        .skip_while(|l| !l.contains("emai ="))
        .nth(1)
        .unwrap();
    let col = |s: &str, pat: &str| {
        s.chars().count() - s.split_once(pat).unwrap().1.chars().count() - pat.chars().count()
    };
    assert_eq!(col(caret, "^"), col(shown, "emai"), "{err}");
}

// ---------------------------------------------------------------------------
// Output: JSON shape, exit statuses, human output.

#[test]
fn json_has_the_documented_shape() {
    let run = check_json(&[&fixture("vv0303-invalid-grade/guideline.md")]);
    let top: BTreeSet<&str> = run
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(top, BTreeSet::from(["diagnostics", "summary"]));
    let summary: BTreeSet<&str> = run.json["summary"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(summary, BTreeSet::from(["files", "errors", "warnings"]));
    assert_eq!(
        (
            run.summary("files"),
            run.summary("errors"),
            run.summary("warnings")
        ),
        (1, 1, 0)
    );
    let d = &run.diagnostics()[0];
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let required = BTreeSet::from(["file", "line", "column", "severity", "code", "message"]);
    assert!(
        keys == required || keys == &required | &BTreeSet::from(["help"]),
        "diagnostic keys: {keys:?}"
    );
    assert_eq!(
        d["file"],
        "tests/fixtures/check/vv0303-invalid-grade/guideline.md"
    );
    assert_eq!(d["line"], 15);
    // Columns count characters: `ø` in "bør" is one (86 in bytes).
    assert_eq!(d["column"], 85);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "VV0303");
    assert!(d["message"].as_str().unwrap().contains("(E)"), "{d}");
    assert!(!d["help"].as_str().unwrap_or("").is_empty());
}

#[test]
fn json_output_is_deterministic() {
    let a = check_json(&[FIXTURES]).json;
    let b = check_json(&[FIXTURES]).json;
    assert_eq!(a, b);
}

#[test]
fn exit_status_is_0_without_errors_and_1_with_errors() {
    assert_eq!(check_json(&[&fixture("valid")]).status, 0);
    // Warnings alone do not fail the check.
    let warned = check_json(&[&fixture("vv0601-revision-due")]);
    assert_eq!((warned.status, warned.summary("warnings")), (0, 1));
    assert_eq!(
        check_json(&[&fixture("vv0301-numbering-not-continuous")]).status,
        1
    );
}

#[test]
fn exit_status_is_2_for_a_missing_path() {
    let out = vejviser()
        .args([
            "check",
            "--as-of",
            AS_OF,
            "tests/fixtures/check/no-such-guideline",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-guideline"), "{stderr}");
}

#[test]
fn exit_status_is_2_for_a_bad_as_of() {
    for bad in ["2026-13-40", "23.11.2026", "2026-2-3", "tomorrow"] {
        let out = vejviser()
            .args(["check", "--as-of", bad, &fixture("valid")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--as-of {bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(bad) && stderr.contains("YYYY-MM-DD"),
            "{stderr}"
        );
    }
}

#[test]
fn deny_warnings_fails_a_warning_only_file() {
    let file = fixture("vv0601-revision-due/guideline.md");
    assert_eq!(check_json(&[&file]).status, 0);
    let run = check_json(&["--deny-warnings", &file]);
    assert_eq!(run.status, 1);
    assert_eq!(run.findings(), vec![("VV0601".into(), E.into(), 8)]);
    assert_eq!((run.summary("errors"), run.summary("warnings")), (1, 0));
}

#[test]
fn a_folder_is_checked_file_by_file_and_one_broken_file_stops_nothing() {
    let t = TempGuidelines::new();
    let good = t.write("dmsg/good/guideline.md", valid_text());
    let archived = t.write(
        "dmsg/good/archive/0.9.md",
        valid_text().replace("version = \"1.0\"", "version = \"0.9\""),
    );
    let broken = t.write(
        "dmsg/broken/guideline.md",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
    );
    // Not a guideline file name: a folder check skips it.
    t.write("dmsg/good/notes.md", "# Noter\n");
    let run = check_json(&[&t.path()]);
    assert_eq!(run.summary("files"), 3, "{}", run.json);
    assert_eq!(run.status, 1);
    let files: Vec<&str> = run
        .diagnostics()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        vec![broken.as_str()],
        "only the broken file has findings: {}",
        run.json
    );
    assert_eq!(run.diagnostics()[0]["code"], "VV0003");
    // The good files were parsed and checked, not skipped: break them and they report.
    std::fs::write(&good, valid_text().replace("(B)\n", "\n")).unwrap();
    std::fs::write(
        &archived,
        valid_text().replace("version = \"1.0\"", "version = \"0.8\""),
    )
    .unwrap();
    let run = check_json(&[&t.path()]);
    let mut codes: Vec<(&str, &str)> = run
        .diagnostics()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    codes.sort();
    let mut want = vec![
        (broken.as_str(), "VV0003"),
        (good.as_str(), "VV0302"),
        (archived.as_str(), "VV0503"),
    ];
    want.sort();
    assert_eq!(codes, want, "{}", run.json);
}

#[test]
fn checking_the_fixtures_folder_checks_every_fixture() {
    fn count_guideline_files(dir: &Path) -> u64 {
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                n += count_guideline_files(&p);
            } else if p.file_name().is_some_and(|f| f == "guideline.md")
                || (p.extension().is_some_and(|x| x == "md")
                    && p.parent()
                        .and_then(|d| d.file_name())
                        .is_some_and(|d| d == "archive"))
            {
                n += 1;
            }
        }
        n
    }
    let run = check_json(&[FIXTURES]);
    assert_eq!(
        run.summary("files"),
        count_guideline_files(&root().join(FIXTURES))
    );
    // The cases, the two clean fixtures, the archive/1.0.md that the
    // VV0317, VV0505 and VV0506 cases are compared with, and the current
    // guideline.md beside VV0503's archive/1.4.md (a guideline folder
    // without one is VV0006).
    assert_eq!(run.summary("files"), CASES.len() as u64 + 2 + 3 + 1);
    // Every case reports its code in the folder run too.
    for &(case, code, _, line, _) in CASES {
        let file = fixture(case);
        assert!(
            run.diagnostics()
                .iter()
                .any(|d| d["file"] == file.as_str() && d["code"] == code && d["line"] == line),
            "{file}: {code} at line {line} missing from the folder run"
        );
    }
}

#[test]
fn human_output_shows_code_position_source_line_caret_and_help() {
    let out = vejviser()
        .args([
            "check",
            "--as-of",
            AS_OF,
            &fixture("vv0301-numbering-not-continuous/guideline.md"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("error[VV0301]"), "{err}");
    assert!(
        err.contains("tests/fixtures/check/vv0301-numbering-not-continuous/guideline.md:17:1"),
        "{err}"
    );
    assert!(
        err.contains("3. Patienter med tilbagefald bør tilbydes behandling Y (B)"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.trim_start().starts_with("= help:") || l.contains("help:")),
        "{err}"
    );
    assert!(err.contains("1 error"), "{err}");
    assert!(!err.contains('\u{1b}'), "NO_COLOR: no escape codes\n{err}");
}

#[test]
fn human_output_puts_the_caret_under_the_finding() {
    let out = vejviser()
        .args([
            "check",
            "--as-of",
            AS_OF,
            &fixture("vv0303-invalid-grade/guideline.md"),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.contains("Ved bivirkninger pauseres (E)"))
        .unwrap_or_else(|| panic!("source line missing:\n{err}"));
    let want = lines[src].chars().position(|c| c == 'E').unwrap() - 1;
    let caret = lines[src + 1..]
        .iter()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no caret:\n{err}"));
    assert_eq!(caret.chars().position(|c| c == '^'), Some(want), "\n{err}");
    assert!(caret.contains("^^^"), "the caret underlines `(E)`:\n{err}");
}

#[test]
fn warnings_are_shown_as_warnings() {
    let out = vejviser()
        .args([
            "check",
            "--as-of",
            AS_OF,
            &fixture("vv0601-revision-due/guideline.md"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("warning[VV0601]"), "{err}");
    assert!(!err.contains("error["), "{err}");
}

#[test]
fn the_sample_guidelines_check_without_errors() {
    let run = check_json(&["guidelines"]);
    assert_eq!(run.summary("errors"), 0, "{}", run.json);
    assert_eq!(run.status, 0);
    // Four groups' guidelines plus at least one archived version.
    assert!(run.summary("files") >= 5, "{}", run.json);
}

// ---------------------------------------------------------------------------
// `vejviser explain` and docs/checks.md.

#[test]
fn explain_prints_the_rule() {
    let out = vejviser().args(["explain", "VV0301"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("VV0301") && s.contains("error"), "{s}");
    assert!(
        s.contains("Recommendation numbers are not continuous."),
        "{s}"
    );
    assert!(
        s.contains("no gaps or"),
        "the explanation, not just the summary: {s}"
    );
    // Codes are accepted in any case.
    let lower = vejviser().args(["explain", "vv0301"]).output().unwrap();
    assert_eq!(String::from_utf8(lower.stdout).unwrap(), s);
}

#[test]
fn explain_an_unknown_code_exits_2() {
    let out = vejviser().args(["explain", "VV9999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("VV9999"));
    assert!(out.stdout.is_empty());
}

#[test]
fn docs_checks_md_is_in_sync_with_the_registry() {
    let out = vejviser().args(["explain", "--markdown"]).output().unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/checks.md")).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/checks.md is out of date with the check-code registry (crates/diagnostics); \
         regenerate it with `cargo run -- explain --markdown > docs/checks.md`"
    );
}

// ---------------------------------------------------------------------------
// Bad input (foundation issue): a clear diagnostic with a line, never a panic or a hang.

#[test]
fn bad_input_not_utf8() {
    let t = TempGuidelines::new();
    // "Højdosis" saved as Windows-1252: `ø` is the single byte 0xF8.
    let mut bytes = b"+++\ntitle = \"H".to_vec();
    bytes.push(0xF8);
    bytes.extend_from_slice(
        valid_text()
            .split_once('\n')
            .unwrap()
            .1
            .split_once('"')
            .unwrap()
            .1
            .as_bytes(),
    );
    let f = t.write("dmsg/cp1252/guideline.md", &bytes);
    let run = check_json(&[&f]);
    assert_only(&run, "VV0001", E, 2);
    let d = &run.diagnostics()[0];
    assert_eq!(d["column"], 11);
    assert!(d["message"].as_str().unwrap().contains("0xF8"), "{d}");
    assert!(d["help"].as_str().unwrap().contains("UTF-8"), "{d}");
}

#[test]
fn bad_input_empty() {
    assert_only(
        &check_json(&[&fixture("vv0002-empty/guideline.md")]),
        "VV0002",
        E,
        1,
    );
    let t = TempGuidelines::new();
    let f = t.write("dmsg/blank/guideline.md", "\n  \n\t\n");
    assert_only(&check_json(&[&f]), "VV0002", E, 1);
}

#[test]
fn bad_input_binary() {
    let t = TempGuidelines::new();
    // A .docx (a zip archive) renamed to .md: NUL on line 1.
    let docx = t.write(
        "dmsg/docx/guideline.md",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    );
    assert_only(&check_json(&[&docx]), "VV0003", E, 1);
    // A PDF: NUL bytes from its second line on.
    let pdf = t.write("dmsg/pdf/guideline.md", b"%PDF-1.7\n\x00\x01\x02\xff\xfe\n");
    assert_only(&check_json(&[&pdf]), "VV0003", E, 2);
}

#[test]
fn bad_input_no_front_matter() {
    let run = check_json(&[&fixture("vv0101-no-front-matter/guideline.md")]);
    assert_only(&run, "VV0101", E, 1);
}

#[test]
fn bad_input_broken_front_matter_is_reported_at_its_line_in_the_md_file() {
    // An unclosed string on line 2 of the file (line 1 of the TOML).
    let run = check_json(&[&fixture("vv0103-invalid-toml/guideline.md")]);
    assert_only(&run, "VV0103", E, 2);
    assert!(run.diagnostics()[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("front matter:"));
    // Deeper in the block: an unclosed list on line 6.
    let t = TempGuidelines::new();
    let text = valid_text().replace(
        "version = \"1.0\"\n",
        "version = \"1.0\"\nlanguage = \"da\"\nkeywords = [\"x\", \"y\"\n",
    );
    assert_eq!(text.lines().nth(5), Some("keywords = [\"x\", \"y\""));
    let f = t.write("dmsg/broken/guideline.md", text);
    let run = check_json(&[&f]);
    assert_eq!(run.findings().len(), 1, "{}", run.json);
    let (code, sev, line) = &run.findings()[0];
    assert_eq!((code.as_str(), sev.as_str()), ("VV0103", E));
    assert!(
        (6..=7).contains(line),
        "the list opened on line 6 is unclosed: {}",
        run.json
    );
    // Unclosed block: reported at the opening `+++`.
    let run = check_json(&[&fixture("vv0102-unclosed-front-matter/guideline.md")]);
    assert!(
        run.findings().contains(&("VV0102".into(), E.into(), 1)),
        "{}",
        run.json
    );
}

#[test]
fn bad_input_duplicate_keys() {
    let run = check_json(&[&fixture("vv0103-duplicate-key/guideline.md")]);
    assert_only(&run, "VV0103", E, 5);
    assert!(run.diagnostics()[0]["message"]
        .as_str()
        .unwrap()
        .contains("duplicate"));
}

#[test]
fn bad_input_wrong_types() {
    assert_only(
        &check_json(&[&fixture("vv0105-wrong-type/guideline.md")]),
        "VV0105",
        E,
        4,
    );
    assert_only(
        &check_json(&[&fixture("vv0105-date-with-time/guideline.md")]),
        "VV0105",
        E,
        7,
    );
    let t = TempGuidelines::new();
    for (what, from, to, line) in [
        ("quoted date", "planned_update = 2029-02-01", "planned_update = \"2029-02-01\"", 8),
        ("keywords not a list", "keywords = [\"testfixtur\"]", "keywords = \"x\"", 5),
        ("approval not a table", "professional_approval = { date = 2026-03-03, by = \"Dansk Myelomatose Studiegruppe\" }", "professional_approval = 2026-03-03", 6),
    ] {
        let f = t.write(&format!("dmsg/{}/guideline.md", what.replace(' ', "-")), valid_text().replace(from, to));
        let run = check_json(&[&f]);
        assert_eq!(run.findings(), vec![("VV0105".into(), E.into(), line)], "{what}: {}", run.json);
        let msg = run.diagnostics()[0]["message"].as_str().unwrap();
        assert!(!msg.contains("__toml"), "the message names no toml internals: {msg}");
    }
}

#[test]
fn bad_input_impossible_date() {
    let run = check_json(&[&fixture("vv0103-impossible-date/guideline.md")]);
    assert_only(&run, "VV0103", E, 7);
    assert_eq!(run.diagnostics()[0]["column"], 18);
}

#[test]
fn bad_input_50_mb_file_is_refused_quickly() {
    let t = TempGuidelines::new();
    let para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20) + "\n\n";
    let mut text = valid_text();
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&para);
    }
    let f = t.write("dmsg/huge/guideline.md", text);
    let started = Instant::now();
    let run = check_json(&[&f]);
    let took = started.elapsed();
    assert_only(&run, "VV0004", E, 1);
    assert!(run.diagnostics()[0]["message"]
        .as_str()
        .unwrap()
        .contains("MB"));
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn bad_input_100_levels_of_nested_lists() {
    let t = TempGuidelines::new();
    let nested: String = (0..100)
        .map(|i| format!("{}- niveau {i}\n", "  ".repeat(i)))
        .collect();
    let (text, first) = valid_with_tail(&nested);
    let f = t.write("dmsg/lists/guideline.md", text);
    // Reported once, where the 17th level opens.
    assert_only(&check_json(&[&f]), "VV0005", E, first + 16);
    // And 100,000 levels on one line: no stack overflow.
    let (text, first) = valid_with_tail(&format!("{}x\n", "- ".repeat(100_000)));
    let f = t.write("dmsg/lists-one-line/guideline.md", text);
    assert_only(&check_json(&[&f]), "VV0005", E, first);
}

#[test]
fn bad_input_100000_nested_quotes() {
    let t = TempGuidelines::new();
    let (text, first) = valid_with_tail(&format!("{} citat\n", ">".repeat(100_000)));
    let f = t.write("dmsg/quotes/guideline.md", text);
    let started = Instant::now();
    assert_only(&check_json(&[&f]), "VV0005", E, first);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn bad_input_headings_in_the_wrong_order() {
    // Chapter 3 before chapter 2: chapter 2 is reported where it stands.
    assert_only(
        &check_json(&[&fixture("wrong-heading-order/guideline.md")]),
        "VV0202",
        E,
        25,
    );
    // Sub-headings out of order are a warning at the misplaced heading.
    assert_only(
        &check_json(&[&fixture("vv0206-subheading-out-of-order/guideline.md")]),
        "VV0206",
        W,
        23,
    );
}

#[test]
fn bad_input_unknown_chapter() {
    let run = check_json(&[&fixture("vv0203-unknown-chapter/guideline.md")]);
    assert_only(&run, "VV0203", E, 111);
    let help = run.diagnostics()[0]["help"].as_str().unwrap_or("");
    assert!(
        help.contains("Referencer"),
        "the help lists the template's chapters: {help}"
    );
}

#[test]
fn bad_input_all_at_once_in_one_folder() {
    // Every kind of bad file side by side: each is reported, none stops the run.
    let t = TempGuidelines::new();
    t.write("a/empty/guideline.md", "");
    t.write("a/binary/guideline.md", b"\x00\x01\x02");
    t.write(
        "a/latin1/guideline.md",
        b"+++\ntitle = \"\xE6\xF8\xE5\"\n+++\n",
    );
    t.write("a/nofront/guideline.md", "# Anbefalinger\n");
    t.write("a/unclosed/guideline.md", "+++\ntitle = \"x\"\n");
    t.write(
        "a/quotes/guideline.md",
        format!("+++\n{}\n", ">".repeat(50_000)),
    );
    t.write("a/good/guideline.md", valid_text());
    let run = check_json(&[&t.path()]);
    assert_eq!(run.summary("files"), 7, "{}", run.json);
    let files: BTreeSet<&str> = run
        .diagnostics()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files.len(),
        6,
        "every bad file reports, the good one does not: {}",
        run.json
    );
    assert!(run
        .diagnostics()
        .iter()
        .all(|d| d["line"].as_u64().unwrap() >= 1));
    assert_eq!(run.status, 1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Columns count characters, as editors and rustc's JSON do: a citation after
/// `Æ ø å` (two bytes each in UTF-8) is at column 31 in JSON and on the terminal.
#[test]
fn columns_count_characters_not_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(REGISTRY, tmp.path().join("dmcg.toml")).unwrap();
    let text = std::fs::read_to_string(format!("{FIXTURES}/valid/guideline.md")).unwrap();
    let text = text.replace(
        "Et kohortestudie viste effekt af behandling X (1) [2b].",
        "Æ ø å: effekt af behandling X (9) [2b].",
    );
    let file = tmp.path().join("dmsg/x/guideline.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let run = check_json(&[file]);
    let d = &run.json["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("VV0401"), Some(39), Some(31)),
        "{}",
        run.json
    );
    let human = vejviser()
        .args(["check", "--as-of", AS_OF, file])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(stderr.contains("guideline.md:39:31"), "{stderr}");
}
