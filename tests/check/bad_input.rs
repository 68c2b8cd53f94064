//! Bad input (foundation issue): a clear diagnostic with a line, never a panic or a hang.

use super::*;

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
