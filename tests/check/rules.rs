//! One fixture per rule: each reports its code, severity and line, and nothing else.

use super::*;

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
