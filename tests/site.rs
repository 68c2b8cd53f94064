//! `vejviser site` on a fixture tree with current, archived, due, overdue,
//! expired and draft guidelines: what is published where, banners, JSON, feed,
//! status page, atomic swap, determinism, incremental rebuilds, and a browser
//! check of the overview filter and the search.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines")
}

fn site(guidelines: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("vejviser")
        .unwrap()
        .args([
            "site",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://retningslinjer.example.dk/",
        ])
        .arg("--guidelines")
        .arg(guidelines)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Asserts two sites have the same files with the same bytes.
#[track_caller]
fn assert_same_site(a: &Path, b: &Path, what: &str) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    assert_eq!(
        sa.keys().collect::<Vec<_>>(),
        sb.keys().collect::<Vec<_>>(),
        "{what}: the files differ"
    );
    for (k, v) in &sa {
        assert!(v == &sb[k], "{what}: {k} differs");
    }
}

/// The guideline with every grade taken out: a check error (VV0302).
fn without_grades(text: &str) -> String {
    ["(A)", "(B)", "(C)", "(D)"]
        .iter()
        .fold(text.to_string(), |t, g| t.replacen(g, "", 40))
}

/// A copy of the fixture tree to edit, in a temp folder: (folder, guidelines, output).
fn editable_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    common::copy_dir(&fixture(), &g);
    let out = tmp.path().join("public");
    (tmp, g, out)
}

#[test]
fn publishes_current_archive_and_withdraws_expired() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &[]).success();

    let index = read(&out.join("index.html"));
    assert!(
        index.contains("Højdosisbehandling ved myelomatose"),
        "current guideline listed"
    );
    assert!(
        index.contains("Adjuvant endocrine therapy"),
        "due guideline listed"
    );
    assert!(
        !index.contains("udløbet eksempel"),
        "expired guideline must not be listed as current"
    );
    assert!(
        !index.contains("Stereotaktisk"),
        "drafts are left out without --drafts"
    );
    assert!(index.contains("dmsg/myelomatose-hdt/index.html"));

    // Stable URLs with quick guide, full page, PDFs and JSON.
    let g = out.join("dmsg/myelomatose-hdt");
    for f in [
        "index.html",
        "full.html",
        "guideline.json",
        "myelomatose-hdt-2.0.pdf",
        "myelomatose-hdt-2.0-quick.pdf",
    ] {
        assert!(g.join(f).is_file(), "{f} missing");
    }
    assert!(
        read(&g.join("index.html")).contains("1.5/full.html"),
        "current page lists the earlier version (its full page: archived versions have no quick guide of their own)"
    );

    // The archive: its own pages and a banner pointing at the current version.
    let old = read(&g.join("1.5/full.html"));
    assert!(
        old.contains("../index.html"),
        "archived page links to the current version"
    );
    assert!(
        old.contains("banner-archived"),
        "archived page says it is not the current version"
    );
    assert!(g.join("1.5/myelomatose-hdt-1.5.pdf").is_file());

    // Expired: a withdrawn notice at the stable URL, the version kept in the archive.
    let withdrawn = read(&out.join("dmg/udloebet-opfoelgning/index.html"));
    assert!(withdrawn.contains("Trukket tilbage"));
    assert!(withdrawn.contains("1.0/full.html"));
    assert!(out.join("dmg/udloebet-opfoelgning/1.0/full.html").is_file());

    // The status page lists due, overdue and expired guidelines.
    let status = read(&out.join("status/index.html"));
    for t in [
        "udløbet eksempel",
        "Adjuvant endocrine therapy",
        "kutant melanom",
    ] {
        assert!(status.contains(t), "status page lacks {t}");
    }
    assert!(
        !status.contains("Højdosisbehandling"),
        "a current guideline needs no attention"
    );

    // The group page names the group and its contact.
    let group = read(&out.join("dmsg/index.html"));
    assert!(group.contains("Dansk Myelomatose Studiegruppe") && group.contains("mailto:"));

    // guideline.json for other systems.
    let json: serde_json::Value = serde_json::from_str(&read(&g.join("guideline.json"))).unwrap();
    assert_eq!(json["status"], "current");
    assert_eq!(json["front"]["version"], "2.0");
    let recs = json["recommendations"].as_array().unwrap();
    assert!(!recs.is_empty());
    assert!(recs.iter().any(|r| r["extra_cost"] == true));
    assert!(recs
        .iter()
        .any(|r| r["medicinraadet"]["status"].is_string()));
    assert!(recs[0]["statements"][0]["grade"].is_string());
    assert!(json["references"].as_array().unwrap().len() > 3);

    // Feed and sitemap use the base URL; the feed has one entry per listed guideline.
    let feed = read(&out.join("feed.xml"));
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(feed.contains("https://retningslinjer.example.dk/dmsg/myelomatose-hdt/"));
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap
        .contains("<loc>https://retningslinjer.example.dk/dmsg/myelomatose-hdt/full.html</loc>"));
    assert!(!sitemap.contains("udloebet-opfoelgning/full.html"));

    // Search index covers titles, keywords and recommendation text of listed
    // guidelines (in shards under search/, see tests/search.rs); a withdrawn one is not listed.
    let mut search = String::new();
    for e in std::fs::read_dir(out.join("search/s")).unwrap() {
        search.push_str(&read(&e.unwrap().path()));
    }
    assert!(search.contains("\"melphalan\""));
    let table = read(&out.join("search/t/0.js"));
    assert!(table.contains("myelomatose-hdt"));
    assert!(!table.to_lowercase().contains("udløbet"));
}

#[test]
fn drafts_are_published_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &["--drafts", "--no-pdf"]).success();
    assert!(read(&out.join("index.html")).contains("Stereotaktisk"));
    assert!(read(&out.join("dlcg/sbrt-tidligt-stadie-nsclc/index.html")).contains("banner-draft"));
}

#[test]
fn same_input_gives_byte_identical_sites() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    site(&fixture(), &a, &[]).success();
    site(&fixture(), &b, &[]).success();
    assert_same_site(&a, &b, "two builds");
}

#[test]
fn a_failing_build_leaves_the_previous_site_untouched() {
    let (tmp, g, out) = editable_fixture();
    site(&g, &out, &["--no-pdf"]).success();
    let before = snapshot(&out);

    // Break one guideline: a recommendation without a grade is an error.
    let f = g.join("dmsg/myelomatose-hdt/guideline.md");
    std::fs::write(&f, without_grades(&read(&f))).unwrap();
    let r = site(&g, &out, &["--no-pdf"]).code(1);
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(err.contains("VV0302") && err.contains("unchanged"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "the published site changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("building"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folder left behind: {leftovers:?}"
    );

    // --keep-going publishes the rest and says the broken guideline keeps its
    // last published version (the publishing policy, docs/site.md).
    let r = site(&g, &out, &["--no-pdf", "--keep-going"]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("kept: dmsg/myelomatose-hdt stays at its last published version 2.0"),
        "{err}"
    );
    let index = read(&out.join("index.html"));
    assert!(index.contains("Adjuvant endocrine therapy"));

    // Built again, the broken file is not checked again, but it is still kept
    // for the same reason; without --keep-going the full diagnostics show.
    let again = site(&g, &out, &["--no-pdf", "--keep-going"]).success();
    let again = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(again.contains("checked 0 of"), "{again}");
    let reasons = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with("left out") || l.starts_with("kept"))
            .map(String::from)
            .collect()
    };
    assert_eq!(reasons(&again), reasons(&err));
    let r = site(&g, &out, &["--no-pdf"]).code(1);
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(err.matches("error[VV0302]").count() > 1, "{err}");
}

/// Every file of a published site holds no local path and no compiler-style
/// diagnostic: build problems go to the secretariat, not to readers.
#[track_caller]
fn assert_no_build_internals(out: &Path, tmp: &Path) {
    let tmp = tmp.to_string_lossy().into_owned();
    for (name, bytes) in snapshot(out) {
        if name.ends_with(".pdf") || name.starts_with('.') {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&tmp), "{name} shows the local path {tmp}");
        assert!(!text.contains("error["), "{name} shows a diagnostic");
        assert!(
            !text.contains("guideline.md:"),
            "{name} shows a source location"
        );
    }
}

#[test]
fn keep_going_keeps_the_last_published_pages_of_a_guideline_whose_new_version_fails() {
    let (tmp, g, out) = editable_fixture();
    site(&g, &out, &["--no-pdf"]).success();
    let guideline = |snap: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        snap.iter()
            .filter(|(k, _)| k.starts_with("dmsg/myelomatose-hdt/"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let before = guideline(&snapshot(&out));
    assert!(before.contains_key("dmsg/myelomatose-hdt/1.5/index.html"));

    // 2.0 is broken; 1.5 is still in the archive. The build must not put 1.5 live.
    let f = g.join("dmsg/myelomatose-hdt/guideline.md");
    std::fs::write(&f, without_grades(&read(&f))).unwrap();
    let problems = tmp.path().join("problems.md");
    let r = Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", AS_OF, "--no-pdf", "--keep-going"])
        .arg("--guidelines")
        .arg(&g)
        .arg("--out")
        .arg(&out)
        .arg("--problems")
        .arg(&problems)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("kept: dmsg/myelomatose-hdt stays at its last published version 2.0"),
        "{err}"
    );
    assert!(err.contains("VV0302"), "the reason is given: {err}");
    // Exactly the last published pages, byte for byte, archive included.
    assert_eq!(guideline(&snapshot(&out)), before, "the live 2.0 changed");
    let quick = read(&out.join("dmsg/myelomatose-hdt/index.html"));
    assert!(
        quick.contains("Version 2.0") || quick.contains("version 2.0"),
        "2.0 stays live"
    );
    // The overview still lists 2.0 and not the archived 1.5 as current.
    let index = read(&out.join("index.html"));
    let row = index
        .split("<tr")
        .find(|r| r.contains("myelomatose-hdt/index.html"))
        .expect("still listed");
    assert!(row.contains(">2.0<"), "{row}");
    // The secretariat gets the reason; the public site does not.
    let report = read(&problems);
    assert!(
        report.contains("dmsg/myelomatose-hdt") && report.contains("VV0302"),
        "{report}"
    );
    assert_no_build_internals(&out, tmp.path());
}

#[test]
fn a_guideline_never_published_is_left_out_not_replaced_by_its_archive() {
    let (tmp, g, out) = editable_fixture();
    let f = g.join("dmsg/myelomatose-hdt/guideline.md");
    std::fs::write(&f, without_grades(&read(&f))).unwrap();
    let r = site(&g, &out, &["--no-pdf", "--keep-going"]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("left out") && err.contains("myelomatose-hdt"),
        "{err}"
    );
    assert!(
        !out.join("dmsg/myelomatose-hdt").exists(),
        "an archived version was published in place of the failing current one"
    );
    assert!(!read(&out.join("index.html")).contains("myelomatose-hdt"));
    assert_no_build_internals(&out, tmp.path());
}

#[test]
fn an_archived_version_with_a_citation_error_is_published_as_it_was() {
    let (tmp, g, out) = editable_fixture();
    // 1.5 cites references its list lacks: an error by today's rules (VV04xx),
    // but history is not rewritten and does not block the site.
    let f = g.join("dmsg/myelomatose-hdt/archive/1.5.md");
    let text = read(&f).replacen("(2) [1b]", "(44–46) [1b]", 1);
    assert!(text.contains("(44–46)"));
    std::fs::write(&f, text).unwrap();
    let problems = tmp.path().join("problems.json");
    let r = Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", AS_OF, "--no-pdf"])
        .arg("--guidelines")
        .arg(&g)
        .arg("--out")
        .arg(&out)
        .arg("--problems")
        .arg(&problems)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("archived version published as it was"),
        "{err}"
    );
    let archived = read(&out.join("dmsg/myelomatose-hdt/1.5/full.html"));
    assert!(
        archived.contains("44"),
        "the citation is published as written"
    );
    // The current version is still 2.0 at the guideline's address.
    assert!(out.join("dmsg/myelomatose-hdt/index.html").is_file());
    let report: serde_json::Value = serde_json::from_str(&read(&problems)).unwrap();
    assert_eq!(
        report["archived_findings"].as_array().unwrap().len(),
        1,
        "{report}"
    );
    assert!(report["archived_findings"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("1.5.md"));
    assert_no_build_internals(&out, tmp.path());
}

#[test]
fn rebuild_after_editing_one_guideline_renders_only_that_one() {
    let (_tmp, g, out) = editable_fixture();
    site(&g, &out, &[]).success();
    let first = snapshot(&out);

    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 0 of") && err.contains("rendered 0,"),
        "an unchanged tree checks and renders nothing: {err}"
    );
    assert_eq!(snapshot(&out), first, "a no-op rebuild changes nothing");

    let f = g.join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    std::fs::write(
        &f,
        read(&f).replacen(
            "\n# 3. Introduction\n",
            "\n# 3. Introduction\n\nEdited for the incremental test.\n",
            1,
        ),
    )
    .unwrap();
    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 1 of") && err.contains("rendered 1,"),
        "{err}"
    );
    assert!(read(&out.join("dbcg/adjuvant-endocrine-therapy/full.html"))
        .contains("Edited for the incremental test."));
    assert_eq!(
        std::fs::read(out.join("dmsg/myelomatose-hdt/full.html")).unwrap(),
        first["dmsg/myelomatose-hdt/full.html"]
    );

    // Another date can change every file's status: everything is checked again.
    let r = Command::cargo_bin("vejviser")
        .unwrap()
        .args([
            "site",
            "--as-of",
            "2027-06-01",
            "--base-url",
            "https://retningslinjer.example.dk/",
        ])
        .arg("--guidelines")
        .arg(&g)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    let files = std::fs::read_to_string(out.join(".vejviser-cache.json"))
        .unwrap()
        .matches("\"recommendations\"")
        .count();
    assert!(err.contains(&format!("checked {files} files;")), "{err}");
}

#[test]
fn rebuild_after_editing_an_archived_version_checks_the_current_one_again() {
    // The current version's findings against its previous version (VV0505)
    // depend on the archived file: an unchanged guideline.md whose previous
    // version changed must not keep the outcome remembered from before.
    let (_tmp, g, out) = editable_fixture();
    site(&g, &out, &[]).success();
    let dir = g.join("dmsg/myelomatose-hdt");
    let check = |g: &Path| {
        let r = Command::cargo_bin("vejviser")
            .unwrap()
            .args(["check", "--as-of", AS_OF, "--format", "json"])
            .arg(g)
            .assert();
        String::from_utf8_lossy(&r.get_output().stdout).into_owned()
    };
    let misses = |json: &str| json.matches("VV0505").count();
    let before = misses(&check(&dir));
    let old = dir.join("archive/1.5.md");
    let text = read(&old);
    assert!(text.contains("melphalan 200 mg/m²(A)"));
    std::fs::write(
        &old,
        text.replace("melphalan 200 mg/m²(A)", "melphalan 180 mg/m²(A)"),
    )
    .unwrap();
    assert!(
        misses(&check(&dir)) > before,
        "the changelog does not name the changed recommendation"
    );
    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 2 of"),
        "the archived file and the current one are checked: {err}"
    );
}

/// Headless Chromium, if installed (CI installs Debian's `chromium`).
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(chromium().unwrap())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn browser_filter_and_search_work_from_disk() {
    if chromium().is_none() {
        eprintln!("SKIPPED: chromium is not installed (apt-get install -y chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &["--no-pdf"]).success();

    let dom = dump_dom(&format!(
        "file://{}?q=melanom",
        out.join("index.html").display()
    ));
    let rows: Vec<&str> = dom.split("<tr ").skip(1).collect();
    assert_eq!(rows.len(), 3, "three listed guidelines");
    let hidden = rows.iter().filter(|r| r.contains("hidden")).count();
    assert_eq!(
        hidden, 2,
        "the filter leaves only the melanoma guideline visible:\n{dom}"
    );
    assert!(dom.contains("1 af 3 retningslinjer vises"));

    let dom = dump_dom(&format!(
        "file://{}?q=melphalan",
        out.join("search/index.html").display()
    ));
    assert!(dom.contains("1 retningslinje fundet"), "{dom}");
    assert!(dom.contains("dmsg/myelomatose-hdt/index.html"));

    // Case, accents and æ/ø/å fold as in the index; every word must match the
    // start of a word; the hit says where it matched.
    let dom = dump_dom(&format!(
        "file://{}?q=H%C3%98JDOSIS%20Melphal",
        out.join("search/index.html").display()
    ));
    assert!(dom.contains("1 retningslinje fundet"), "{dom}");
    assert!(dom.contains("dmsg/myelomatose-hdt/index.html"));
    assert!(dom.contains("fundet i titlen"), "{dom}");
    let dom = dump_dom(&format!(
        "file://{}?q=behandling",
        out.join("search/index.html").display()
    ));
    assert!(dom.contains("2 retningslinjer fundet"), "{dom}");
    let dom = dump_dom(&format!(
        "file://{}?q=melphalan%20zzzz",
        out.join("search/index.html").display()
    ));
    assert!(dom.contains("0 retningslinjer fundet"), "{dom}");
}

/// A rebuild starts from the site it replaced (kept beside the output as the
/// spare). Whatever the spare held, the result must equal a build from scratch,
/// and the spare must never change a file of the live site.
#[test]
fn rebuilds_from_the_spare_equal_a_cold_build() {
    let (tmp, g, out) = editable_fixture();
    let f = g.join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    let original = read(&f);
    let check = |step: &str| {
        let cold = tmp.path().join("cold");
        let _ = std::fs::remove_dir_all(&cold);
        site(&g, &cold, &["--no-pdf"]).success();
        assert_same_site(&out, &cold, &format!("{step}, against a cold build"));
    };
    site(&g, &out, &["--no-pdf"]).success();
    // Two edits: the second build has no spare, the third takes it.
    for n in 1..=2 {
        std::fs::write(
            &f,
            original.replacen(
                "\n# 3. Introduction\n",
                &format!("\n# 3. Introduction\n\nEdit {n}.\n"),
                1,
            ),
        )
        .unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check(&format!("edit {n}"));
    }
    assert!(
        tmp.path().join(".public.spare").is_dir(),
        "the replaced site is kept as the spare"
    );
    // Edits to the evidence: a word added (its full-text bucket is patched),
    // then another word instead (one added, one removed), then the title
    // (the guideline's place in the search index moves: the index is made anew).
    let evidence = "\n### Literature and evidence review\n\n";
    for (step, edit) in [
        ("a word added to the evidence", "Zygomorphic findings. "),
        ("a word of the evidence replaced", "Quasistatic findings. "),
    ] {
        std::fs::write(
            &f,
            original.replacen(evidence, &format!("{evidence}{edit}"), 1),
        )
        .unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check(step);
    }
    std::fs::write(
        &f,
        original.replacen("title = \"Adjuvant", "title = \"Zzz adjuvant", 1),
    )
    .unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("the title changed");
    std::fs::write(&f, &original).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("the original again");
    let live = snapshot(&out);
    // A guideline removed, then a failed build, then one more build.
    std::fs::remove_dir_all(g.join("dmg/udloebet-opfoelgning")).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("guideline removed");
    assert_ne!(snapshot(&out), live);
    let live = snapshot(&out);
    std::fs::write(&f, without_grades(&original)).unwrap();
    site(&g, &out, &["--no-pdf"]).code(1);
    assert_eq!(snapshot(&out), live, "a failed build changed the live site");
    std::fs::write(&f, &original).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("after a failed build");

    // A symlink planted in the spare cannot lead a write outside it.
    #[cfg(unix)]
    {
        let spare = tmp.path().join(".public.spare");
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::remove_dir_all(spare.join("dbcg")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("dbcg")).unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check("with a symlink in the spare");
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            0,
            "written through the symlink"
        );
    }
}

/// The page of changes (issue 17) has a folder address of its own,
/// `/<dmcg>/<slug>/aendringer/`, and every link to it and from it works.
#[test]
fn the_change_page_has_a_folder_address_and_its_links_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &[]).success();
    let g = out.join("dmsg/myelomatose-hdt");
    assert!(!g.join("aendringer.html").exists());
    let page = read(&g.join("aendringer/index.html"));
    assert!(page.contains("Ændringer siden version 1.5"), "its title");
    // The version header and the "Tidligere versioner" list of both pages link to it.
    for f in ["index.html", "full.html"] {
        let html = read(&g.join(f));
        assert_eq!(
            html.matches("<a href=\"aendringer/\">Ændringer siden version 1.5</a>")
                .count(),
            2,
            "{f}"
        );
    }
    // From the page: every relative link and the stylesheet resolve to a file.
    let mut checked = 0;
    for href in page
        .split("href=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .filter(|h| !h.contains(':') && !h.starts_with('#'))
    {
        let path = href.split('#').next().unwrap();
        let mut target = g.join("aendringer").join(path);
        if path.is_empty() || path.ends_with('/') {
            target = target.join("index.html");
        }
        assert!(
            target.is_file(),
            "{href} from the change page: {}",
            target.display()
        );
        checked += 1;
    }
    assert!(page.contains("href=\"../full.html\""), "the full page");
    assert!(
        page.contains("href=\"../index.html#r"),
        "a recommendation by its id"
    );
    assert!(
        page.contains("href=\"../../../style.css\""),
        "the stylesheet"
    );
    assert!(checked > 5, "{checked} links checked");
    // The feed entry and the sitemap give its address.
    let feed = read(&out.join("feed.xml"));
    assert!(
        feed.contains("<link rel=\"related\" href=\"https://retningslinjer.example.dk/dmsg/myelomatose-hdt/aendringer/\""),
        "{feed}"
    );
    assert!(read(&out.join("sitemap.xml"))
        .contains("<loc>https://retningslinjer.example.dk/dmsg/myelomatose-hdt/aendringer/</loc>"));
}

#[test]
fn withdrawn_guidelines_are_apart_unindexed_and_counted_in_plain_danish() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&fixture(), &out, &[]).success();
    let noindex = "<meta name=\"robots\" content=\"noindex\">";
    // Every page of the withdrawn guideline stays reachable, out of search engines.
    for page in [
        "dmg/udloebet-opfoelgning/index.html",
        "dmg/udloebet-opfoelgning/1.0/index.html",
        "dmg/udloebet-opfoelgning/1.0/full.html",
    ] {
        assert!(read(&out.join(page)).contains(noindex), "{page}");
    }
    for page in [
        "index.html",
        "dmg/index.html",
        "dmg/adjuverende-behandling-melanom/index.html",
        "dmg/adjuverende-behandling-melanom/full.html",
    ] {
        assert!(!read(&out.join(page)).contains(noindex), "{page}");
    }
    // The group page lists it apart, after the guidelines in force.
    let group = read(&out.join("dmg/index.html"));
    let apart = group
        .find("<h2>Trukket tilbage</h2>")
        .expect("withdrawn section");
    let withdrawn = group.find("udloebet-opfoelgning/").unwrap();
    let current = group.find("adjuverende-behandling-melanom/").unwrap();
    assert!(
        current < apart && apart < withdrawn,
        "order on the group page"
    );
    // Counts read as Danish, in the right number; no "(r)".
    let index = read(&out.join("index.html"));
    assert!(index.contains("1 retningslinje er midlertidigt trukket tilbage, fordi den er"));
    for (path, bytes) in snapshot(&out) {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(!html.contains("retningslinje(r)"), "{path}");
            // No machine id in the footer: the template by name.
            if let Some(footer) = html.split("<footer").nth(1) {
                assert!(
                    !footer.contains("sundk-1.0"),
                    "{path}: machine id in the footer"
                );
            }
        }
    }
}
