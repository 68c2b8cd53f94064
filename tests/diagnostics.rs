//! Findings that point at the author's actual mistake: the exact column of a
//! lower-case grade and the capital it should be, the key a misspelt front
//! matter key was meant to be, an indented recommendation at its own line,
//! and ranges too long to expand reported instead of silently dropped.
//! Each input is the valid check fixture with one edit, in a temp dir.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::Path;

const AS_OF: &str = "2026-11-23";
const REC: &str = "1. Patienter med sygdommen bør tilbydes behandling X (B)";

fn check(edit: impl Fn(String) -> String) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    std::fs::copy(fixtures.join("../dmcg.toml"), dir.path().join("dmcg.toml")).unwrap();
    let text = std::fs::read_to_string(fixtures.join("valid/guideline.md")).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit applies");
    let file = dir.path().join("dmsg/x/guideline.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, edited).unwrap();
    let out = cargo_bin_cmd!("vejviser")
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(&file)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"].as_array().unwrap().clone()
}

fn find<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

#[test]
fn a_lower_case_grade_gets_its_column_and_the_capital() {
    let diags = check(|t| t.replace(&format!("{REC}\n"), &REC.replace("(B)", "(b)\n")));
    let d = find(&diags, "VV0303");
    assert_eq!(d["line"], 15);
    // Columns count characters (`ø` is one).
    let column = REC[..REC.find("(B)").unwrap()].chars().count() as u64 + 1;
    assert_eq!(d["column"], column, "{d}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `(B)`?"),
        "{d}"
    );
    // One mistake, one finding: not also "no evidence grade" at column 1.
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["VV0303"]);
    // An enumeration in a recommendation without a grade is still ungraded.
    let diags = check(|t| {
        t.replace(
            &format!("{REC}\n"),
            "1. Patienter bør tilbydes (a) kemoterapi eller (b) stråleterapi\n",
        )
    });
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        codes.contains(&"VV0302") && !codes.contains(&"VV0303"),
        "{codes:?}"
    );
}

#[test]
fn a_misspelt_front_matter_key_gets_the_key_it_was_meant_to_be() {
    let diags = check(|t| t.replace("planned_update =", "planned_updte ="));
    let d = find(&diags, "VV0104");
    assert_eq!(d["help"], "did you mean `planned_update`?", "{d}");
}

#[test]
fn an_indented_recommendation_is_an_error_at_its_line() {
    let second = "2. Patienter med bivirkninger bør tilbydes behandling Y (C)";
    for (indent, blank) in [("    ", true), ("\t", true), ("    ", false), ("\t", false)] {
        let diags = check(|t| {
            let sep = if blank { "\n\n" } else { "\n" };
            t.replace(
                &format!("{REC}\n"),
                &format!("{REC}{sep}{indent}{second}\n"),
            )
        });
        let d = find(&diags, "VV0314");
        let line = if blank { 17 } else { 16 };
        assert_eq!(d["line"], line, "{indent:?} blank={blank}: {d}");
        assert_eq!(
            d["column"],
            indent.len() as u64 + 1,
            "{indent:?} blank={blank}: {d}"
        );
    }
}

#[test]
fn ranges_too_long_to_expand_are_errors_not_silence() {
    let diags = check(|t| t.replace("[Anbefaling 1]", "[Anbefaling 1–300]"));
    let d = find(&diags, "VV0311");
    assert!(d["message"].as_str().unwrap().contains("1–300"), "{d}");
    let diags = check(|t| t.replace("behandling X (1) [2b]", "behandling X (1–150) [2b]"));
    let d = find(&diags, "VV0401");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("range of 150 references"),
        "{d}"
    );
}
