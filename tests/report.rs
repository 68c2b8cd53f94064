//! `vejviser report` end to end: the fixture tree in tests/fixtures/report/guidelines
//! holds one guideline of each status at 2026-11-23 (plus an archived version that
//! must not be a row). Every format is compared with its golden file in
//! tests/fixtures/report/expected/; `UPDATE_GOLDEN=1 cargo test --test report`
//! rewrites them (review the diff before committing).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report")
}

/// `vejviser report` run in `dir`.
fn report(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("vejviser").unwrap();
    c.current_dir(dir).env_remove("NO_COLOR").arg("report");
    c
}

/// The report on the fixture tree at the fixed date.
fn fixture_report(args: &[&str]) -> std::process::Output {
    report(&fixtures())
        .args(["--guidelines", "guidelines", "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap()
}

fn golden(name: &str, actual: &[u8]) {
    let path = fixtures().join("expected").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with UPDATE_GOLDEN=1 cargo test --test report",
            path.display()
        )
    });
    assert!(
        actual == expected.as_slice(),
        "{name} differs from its golden file:\n--- expected\n{}\n--- actual\n{}\n(if the change is intended: UPDATE_GOLDEN=1 cargo test --test report, then review the diff)",
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn every_format_matches_its_golden_file() {
    for (format, extra, name) in [
        ("text", None, "report.txt"),
        ("markdown", None, "report.md"),
        ("json", None, "report.json"),
        ("csv", None, "report.csv"),
        ("csv", Some("--csv-excel"), "report-excel.csv"),
    ] {
        let mut args = vec!["--format", format, "--fail-on", "never"];
        args.extend(extra);
        let o = fixture_report(&args);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{name}: {}", stderr(&o));
        golden(name, &o.stdout);
    }
}

/// What the golden files must say, checked independently of them.
#[test]
fn one_row_per_current_guideline_most_urgent_first() {
    let o = fixture_report(&["--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["as_of"], AS_OF);
    assert_eq!(v["due_within_days"], 90);
    let rows = v["guidelines"].as_array().unwrap();
    let got: Vec<(&str, &str, Option<i64>)> = rows
        .iter()
        .map(|r| {
            (
                r["slug"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["days_overdue"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("myelomatose-hdt", "expired", Some(905)),
            ("knoglesygdom", "overdue", Some(83)),
            ("adjuverende-kemoterapi", "due", Some(-53)),
            ("adjuvant-endocrine-therapy", "current", Some(-525)),
            ("sbrt-tidligt-stadie", "draft", None),
        ]
    );
    assert!(
        rows.iter()
            .all(|r| !r["path"].as_str().unwrap().contains("archive")),
        "archived versions are not rows"
    );
    assert_eq!(rows[0]["expires"], "2026-06-01");
    assert_eq!(rows[0]["version"], "1.2");
    assert_eq!(v["errors"], Value::Array(vec![]));
    let s = &v["summary"];
    for status in ["expired", "overdue", "due", "current", "draft"] {
        assert_eq!(s[status], 1, "{status}");
    }
    let dmsg = &s["groups"][2];
    assert_eq!(dmsg["dmcg"], "DMSG");
    assert_eq!(dmsg["contact"]["email"], "dmsg-formand@example.org");
    assert_eq!(
        (dmsg["expired"].as_u64(), dmsg["overdue"].as_u64()),
        (Some(1), Some(1))
    );

    let text = stdout(&fixture_report(&[]));
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let csv = stdout(&fixture_report(&["--format", "csv"]));
    assert!(csv.contains(r#","Adjuverende kemoterapi, ""dosis-dense"" | ældre patienter","#));
    let md = stdout(&fixture_report(&["--format", "markdown"]));
    assert!(md.contains(r#"| Adjuverende kemoterapi, "dosis-dense" \| ældre patienter |"#));
}

#[test]
fn exit_status_for_each_fail_on() {
    // (tree, as-of, fail-on, exit): the whole tree has an expired guideline;
    // dbcg/ has due and current; dmsg/ on 2026-05-31 has overdue and current.
    let cases = [
        ("guidelines", AS_OF, None, 1),
        ("guidelines", AS_OF, Some("expired"), 1),
        ("guidelines", AS_OF, Some("overdue"), 1),
        ("guidelines", AS_OF, Some("due"), 1),
        ("guidelines", AS_OF, Some("never"), 0),
        ("guidelines/dbcg", AS_OF, None, 0),
        ("guidelines/dbcg", AS_OF, Some("expired"), 0),
        ("guidelines/dbcg", AS_OF, Some("overdue"), 0),
        ("guidelines/dbcg", AS_OF, Some("due"), 1),
        ("guidelines/dbcg", AS_OF, Some("never"), 0),
        ("guidelines/dmsg", "2026-05-31", Some("expired"), 0),
        ("guidelines/dmsg", "2026-05-31", Some("overdue"), 1),
        ("guidelines/dmsg", "2026-05-31", Some("due"), 1),
        ("guidelines/dmsg", "2026-05-31", Some("never"), 0),
        ("guidelines/dlcg", AS_OF, Some("due"), 0),
    ];
    for (tree, as_of, fail_on, code) in cases {
        let mut c = report(&fixtures());
        c.args(["--guidelines", tree, "--as-of", as_of, "--format", "json"]);
        if let Some(f) = fail_on {
            c.args(["--fail-on", f]);
        }
        let o = c.output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(code),
            "{tree} --as-of {as_of} --fail-on {fail_on:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn due_within_moves_the_horizon() {
    let v: Value =
        serde_json::from_slice(&fixture_report(&["--format", "json", "--due-within", "53"]).stdout)
            .unwrap();
    assert_eq!(v["due_within_days"], 53);
    assert_eq!(v["guidelines"][2]["status"], "due");
    let v: Value =
        serde_json::from_slice(&fixture_report(&["--format", "json", "--due-within", "52"]).stdout)
            .unwrap();
    assert_eq!(v["guidelines"][2]["status"], "current");
}

#[test]
fn output_is_written_atomically_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("revision.md");
    std::fs::write(&file, "yesterday's report").unwrap();
    let o = fixture_report(&["--format", "markdown", "--output", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an expired guideline: {}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    let written = std::fs::read(&file).unwrap();
    assert_eq!(written, fixture_report(&["--format", "markdown"]).stdout);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["revision.md"], "no temporary file is left behind");
}

#[test]
fn an_unwritable_output_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-such-folder/revision.md");
    let o = fixture_report(&["--output", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write") && stderr(&o).contains("revision.md"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn as_of_must_be_a_date() {
    for bad in ["2026-13-40", "23.11.2026", "tomorrow", "26-11-23"] {
        let o = report(&fixtures())
            .args(["--guidelines", "guidelines", "--as-of", bad])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).contains("is not a date; write it as YYYY-MM-DD"),
            "{bad}: {}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2() {
    let o = report(&fixtures())
        .args(["--guidelines", "no-such-folder", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no-such-folder: no such file or folder"),
        "{}",
        stderr(&o)
    );

    let o = fixture_report(&["--csv-excel"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--csv-excel only applies to --format csv"));

    let o = fixture_report(&["--fail-on", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));

    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("guidelines")).unwrap();
    std::fs::write(empty.path().join("guidelines/dmcg.toml"), "").unwrap();
    let o = report(empty.path())
        .args(["--guidelines", "guidelines", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no guidelines found in guidelines"),
        "{}",
        stderr(&o)
    );
}

/// A guideline tree in a temporary folder: `guidelines/<path>` → text.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join("guidelines").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const REGISTRY: &str = "[DMSG]\nname = \"Dansk Myelomatose Studiegruppe\"\ncontact = { name = \"Karen Holmgaard\", email = \"dmsg@example.org\" }\n";

const GOOD: &str = "+++\ntitle = \"God\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\nprofessional_approval = { date = 2025-01-10, by = \"DMSG\" }\nplanned_update = 2029-01-01\n+++\n\n# 2. Anbefalinger\n";

/// Text as the Markdown report writes it in a table cell.
fn markdown_escaped(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\|*_`[]<>#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Runs the report on a tree with `--fail-on never` in every format and checks
/// the exit status (1: the bad file makes the run fail) and that the bad file
/// is listed with `message` in each format. Returns the JSON.
fn bad_file_is_reported(bad: &str, message: &str) -> Value {
    let dir = tree(&[
        ("dmcg.toml", REGISTRY),
        ("dmsg/god/guideline.md", GOOD),
        ("dmsg/daarlig/guideline.md", bad),
    ]);
    let path = "guidelines/dmsg/daarlig/guideline.md";
    let mut json = Value::Null;
    for format in ["text", "markdown", "json", "csv"] {
        let o = report(dir.path())
            .args([
                "--guidelines",
                "guidelines",
                "--as-of",
                AS_OF,
                "--fail-on",
                "never",
            ])
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let out = stdout(&o);
        let shown = if format == "markdown" {
            markdown_escaped(message)
        } else {
            message.to_string()
        };
        assert!(
            out.contains(path) && out.contains(&shown),
            "{format} lacks the error:\n{out}"
        );
        assert!(
            out.contains("god"),
            "{format}: the good file is still a row"
        );
        if format == "json" {
            json = serde_json::from_str(&out).unwrap();
        }
    }
    let errors = json["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["path"] == path));
    assert_eq!(json["summary"]["files_with_errors"], 1);
    assert_eq!(
        json["guidelines"].as_array().unwrap().len(),
        1,
        "the bad file is not a row"
    );
    json
}

#[test]
fn a_group_missing_from_dmcg_toml_is_an_error_row() {
    let bad = GOOD.replace("dmcg = \"DMSG\"", "dmcg = \"DMGS\"");
    let v = bad_file_is_reported(&bad, "line 3: group `DMGS` is not in dmcg.toml (VV0107)");
    let groups = v["summary"]["groups"].as_array().unwrap();
    assert_eq!(groups[0]["dmcg"], "DMGS");
    assert_eq!(groups[0]["name"], Value::Null);
    assert_eq!(groups[0]["files_with_errors"], 1);
}

#[test]
fn an_approval_in_the_future_is_an_error_row() {
    let bad = GOOD.replace("2025-01-10", "2026-11-24");
    bad_file_is_reported(
        &bad,
        "line 5: the approval date 2026-11-24 is in the future (today is 2026-11-23) (VV0116)",
    );
}

#[test]
fn a_planned_update_before_the_approval_is_an_error_row() {
    let bad = GOOD.replace("2029-01-01", "2024-12-31");
    bad_file_is_reported(
        &bad,
        "line 6: planned_update 2024-12-31 is not after the professional approval 2025-01-10 (VV0113)",
    );
}

#[test]
fn a_front_matter_that_does_not_parse_is_never_skipped() {
    let bad = GOOD.replace("planned_update", "planed_update");
    bad_file_is_reported(&bad, "line 6: ");
    let v = bad_file_is_reported("# Ingen front matter\n", "line 1: ");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("VV0101"));
}

#[test]
fn a_missing_dmcg_toml_is_a_usage_error() {
    let dir = tree(&[("dmsg/god/guideline.md", GOOD)]);
    let o = report(dir.path())
        .args(["--guidelines", "guidelines", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no dmcg.toml found in guidelines or any folder above it"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn an_invalid_dmcg_toml_is_a_usage_error_with_its_line() {
    let dir = tree(&[
        ("dmcg.toml", "[DMSG]\nname = \"x\"\nkontakt = 1\n"),
        ("dmsg/god/guideline.md", GOOD),
    ]);
    let o = report(dir.path())
        .args(["--guidelines", "guidelines", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("dmcg.toml:3:") && err.contains("registry is invalid"),
        "{err}"
    );
}

#[test]
fn the_excel_csv_shows_formulas_in_guideline_text_as_text() {
    let evil = GOOD.replace(
        "title = \"God\"",
        "title = '=HYPERLINK(\"http://evil.example\",\"klik\")'",
    );
    // A folder named `-x` cannot be published (VV0007): it is an error row, whose
    // slug cell is still author text.
    let dir = tree(&[
        ("dmcg.toml", REGISTRY),
        ("dmsg/-x/guideline.md", GOOD),
        ("dmsg/x/guideline.md", &evil),
    ]);
    let o = report(dir.path())
        .args(["--guidelines", "guidelines", "--as-of", AS_OF])
        .args(["--format", "csv", "--csv-excel"])
        .output()
        .unwrap();
    let csv = stdout(&o);
    assert!(csv.starts_with('\u{feff}'), "a byte order mark");
    let error = csv.lines().nth(1).unwrap();
    let cells: Vec<&str> = error.split(';').collect();
    // path, dmcg, slug, …, status, …, message: the slug starts with `-`.
    assert!(cells[2] == "'-x" && cells[5] == "error", "{error}");
    assert!(error.contains("VV0007"), "{error}");
    let row = csv.lines().nth(2).unwrap();
    let cells: Vec<&str> = row.split(';').collect();
    // path, dmcg, slug, title: the title starts with `=`.
    assert!(cells[2] == "x", "{row}");
    assert!(
        cells[3..]
            .join(";")
            .starts_with("\"'=HYPERLINK(\"\"http://evil.example\"\""),
        "{row}"
    );
    // Our own numbers stay numbers: days overdue can be negative.
    assert!(!row.contains("'-1") && !row.contains("';"), "{row}");
}
