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

mod bad_input;
mod output;
mod rules;

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
