//! Output: the JSON shape, exit statuses, the human output, and `vejviser explain` with docs/checks.md.

use super::*;

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
