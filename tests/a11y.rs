//! Accessibility of every kind of page the site publishes (WCAG 2.1 AA, the
//! standard the Danish web accessibility act asks for): builds the site
//! fixture with drafts, then `tests/a11y/check.js` loads every HTML page in
//! Debian's headless Chromium (playwright-core, pinned in
//! `tests/a11y/package.json`) and runs axe-core with the tags wcag2a, wcag2aa,
//! wcag21a and wcag21aa at 375 and 1280 px, Tab through every control looking
//! for a visible focus ring, reflow at 375, 640 (200 % zoom) and 1280 px, and
//! `prefers-reduced-motion`. Any problem fails the test, listed by page.
//!
//! Needs chromium, node and `npm ci` in `tests/a11y` (`.ci/run` does it).
//! Without them the test says SKIPPED, unless `VEJVISER_REQUIRE_BROWSER` is
//! set (as CI sets it), when it fails.

#[path = "common/browser.rs"]
mod browser;

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-23";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What kind of page a file in the built site is, and its language.
fn kind(rel: &str, html: &str) -> (&'static str, String) {
    let lang = html
        .split("<html lang=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("?")
        .to_string();
    let parts: Vec<&str> = rel.split('/').collect();
    let kind = match parts.as_slice() {
        ["index.html"] => "overview",
        ["404.html"] => "not found",
        ["search", "index.html"] => "search",
        ["status", "index.html"] => "status page",
        ["tilgaengelighed" | "accessibility", "index.html"] => "accessibility statement",
        [_, "index.html"] => "group page",
        [_, _, "index.html"] if html.contains("(trukket tilbage)</title>") => "withdrawn notice",
        [_, _, "index.html"] => "quick guide",
        [_, _, "full.html"] => "full page",
        [_, _, "aendringer", "index.html"] => "change page",
        [_, _, _, "aendringer", "index.html"] => "archived change page",
        [_, _, _, "index.html"] => "archived quick guide",
        [_, _, _, "full.html"] => "archived full page",
        _ => "other",
    };
    (kind, lang)
}

#[derive(serde::Deserialize)]
struct Report {
    pages: usize,
    problems: Vec<Problem>,
}

#[derive(serde::Deserialize)]
struct Problem {
    page: String,
    check: String,
    width: u32,
    what: String,
}

#[test]
fn every_kind_of_page_meets_wcag_2_1_aa_in_chromium() {
    let Some((chromium, node)) =
        browser::browser_or_skip("accessibility test", &["axe-core", "playwright-core"])
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // The pages are opened from files; the base URL only goes into the feed,
    // the sitemap and 404.html's links, which axe does not follow. (`file:`
    // is refused by `--base-url` since f6c473c.)
    let base = "https://retningslinjer.example.dk/";
    Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", AS_OF, "--drafts", "--base-url", base])
        .arg("--guidelines")
        .arg(root().join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();

    // Every HTML page of the site, by kind; the overview and search also with a query.
    let mut pages = Vec::new();
    let mut kinds = BTreeSet::new();
    for e in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(e.path()).unwrap();
        let (kind, lang) = kind(&rel, &html);
        kinds.insert(format!("{kind} ({lang})"));
        let url = format!("file://{}", e.path().display());
        if rel == "index.html" || rel == "search/index.html" {
            pages.push(serde_json::json!({ "url": format!("{url}?q=melanom"), "kind": kind, "lang": lang, "label": format!("{rel}?q=melanom") }));
        }
        pages.push(serde_json::json!({ "url": url, "kind": kind, "lang": lang, "label": rel }));
    }
    for expected in [
        "overview (da)",
        "group page (da)",
        "status page (da)",
        "search (da)",
        "not found (da)",
        "accessibility statement (da)",
        "accessibility statement (en)",
        "quick guide (da)",
        "quick guide (en)",
        "full page (da)",
        "full page (en)",
        "archived quick guide (da)",
        "archived full page (da)",
        "withdrawn notice (da)",
        "change page (da)",
    ] {
        assert!(
            kinds.contains(expected),
            "the fixture site has no {expected} page; it has {kinds:?}"
        );
    }
    assert!(
        !kinds.iter().any(|k| k.starts_with("other")),
        "unclassified pages: {kinds:?}"
    );

    let manifest = tmp.path().join("manifest.json");
    std::fs::write(
        &manifest,
        serde_json::to_vec(&serde_json::json!({ "chromium": chromium, "pages": pages })).unwrap(),
    )
    .unwrap();
    let mut child = std::process::Command::new(node)
        .arg(root().join("tests/a11y/check.js"))
        .arg(&manifest)
        .current_dir(root().join("tests/a11y"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        // About 80 s on an idle machine; generous for a loaded one.
        if started.elapsed() > Duration::from_secs(1800) {
            let _ = child.kill();
            panic!("the accessibility check did not finish within 30 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let run = child.wait_with_output().unwrap();
    assert!(
        run.status.success(),
        "check.js failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Report = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&run.stdout)));
    assert_eq!(report.pages, pages.len());
    let listed: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{} [{} at {} px] {}", p.page, p.check, p.width, p.what))
        .collect();
    assert!(
        listed.is_empty(),
        "{} accessibility problem(s) on {} pages:\n{}",
        listed.len(),
        report.pages,
        listed.join("\n")
    );
}

#[test]
fn every_page_links_to_the_accessibility_statement_in_its_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", AS_OF, "--no-pdf"])
        .arg("--guidelines")
        .arg(root().join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel == "404.html" {
            continue; // links from the site's address; checked below
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        let depth = rel.matches('/').count();
        let up = "../".repeat(depth);
        let english = html.contains("<html lang=\"en\"") && !rel.starts_with("accessibility/");
        let (href, text) = if english {
            ("accessibility/index.html", "Accessibility statement")
        } else {
            ("tilgaengelighed/index.html", "Tilgængelighedserklæring")
        };
        let footer = html
            .split("<footer")
            .nth(1)
            .unwrap_or_else(|| panic!("{rel} has no footer"));
        assert!(
            footer.contains(&format!("<a href=\"{up}{href}\">{text}</a>")),
            "{rel}'s footer does not link to {up}{href}:\n{footer}"
        );
        assert!(out.join(href).is_file());
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} pages");
    let nf = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(nf.contains("<a href=\"/tilgaengelighed/index.html\">Tilgængelighedserklæring</a>"));
    assert!(nf.contains("href=\"/style.css\""));
}

#[test]
fn the_statement_says_what_the_danish_template_asks_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", AS_OF, "--no-pdf"])
        .arg("--guidelines")
        .arg(root().join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let da = std::fs::read_to_string(out.join("tilgaengelighed/index.html")).unwrap();
    for part in [
        "<html lang=\"da\"",
        "<h1>Tilgængelighedserklæring</h1>",
        "<h2>Overholdelsesstatus</h2>",
        "Webstedet overholder standarden delvist",
        "EN 301 549",
        "WCAG 2.1 på niveau AA",
        "<h2>Ikke-tilgængeligt indhold</h2>",
        "PDF-filerne (hele retningslinjen og anbefalingerne til udskrift) er ikke tagget",
        "Erklæringen blev udarbejdet 1. december 2026.",
        // The last assessment is the build's date (--as-of).
        "Webstedet blev senest vurderet 23. november 2026",
        "Vi har selv evalueret webstedet.",
        "<h2>Feedback og kontaktoplysninger</h2>",
        "<a href=\"mailto:tilgaengelighed@example.org\">tilgaengelighed@example.org</a>",
        "+45 12 34 56 78",
        "<h2>Håndhævelsesprocedure</h2>",
        "Digitaliseringsstyrelsen",
        "<a href=\"../accessibility/index.html\">Accessibility statement in English</a>",
    ] {
        assert!(
            da.contains(part),
            "the Danish statement lacks {part:?}:\n{da}"
        );
    }
    let en = std::fs::read_to_string(out.join("accessibility/index.html")).unwrap();
    for part in [
        "<html lang=\"en\"",
        "<header class=\"masthead\" lang=\"da\">",
        "<h1>Accessibility statement</h1>",
        "partially compliant",
        "The PDF files (the full guideline and the recommendations for printing) are not tagged",
        "last assessed on 23 November 2026",
        "Enforcement procedure",
        "Digitaliseringsstyrelsen",
    ] {
        assert!(
            en.contains(part),
            "the English statement lacks {part:?}:\n{en}"
        );
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/tilgaengelighed/</loc>") && sitemap.contains("/accessibility/</loc>")
    );
}

#[test]
fn a_site_without_english_pages_has_only_the_danish_statement_and_a_broken_config_stops_the_build()
{
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("guidelines");
    let fixture = root().join("tests/fixtures/site/guidelines");
    for e in walkdir::WalkDir::new(&fixture) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&fixture).unwrap();
        if rel.starts_with("dbcg") {
            continue; // the English guideline
        }
        if e.file_type().is_dir() {
            std::fs::create_dir_all(src.join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), src.join(rel)).unwrap();
        }
    }
    let out = tmp.path().join("public");
    let build = || {
        let mut c = Command::cargo_bin("vejviser").unwrap();
        c.args(["site", "--as-of", AS_OF, "--no-pdf"])
            .arg("--guidelines")
            .arg(&src)
            .arg("--out")
            .arg(&out);
        c
    };
    build().assert().success();
    assert!(out.join("tilgaengelighed/index.html").is_file());
    assert!(!out.join("accessibility").exists());
    let da = std::fs::read_to_string(out.join("tilgaengelighed/index.html")).unwrap();
    assert!(!da.contains("in English"));

    // A wrong value: a clear error with file and line, and the site is left as it was.
    let config = src.join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("conformance = \"partial\"", "conformance = \"mostly\""),
    )
    .unwrap();
    let before = std::fs::read(out.join("tilgaengelighed/index.html")).unwrap();
    let assert = build().assert().failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let line = text
        .lines()
        .position(|l| l.starts_with("conformance"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("site.toml:{line}")), "{err}");
    assert!(err.contains("mostly"), "{err}");
    assert_eq!(
        std::fs::read(out.join("tilgaengelighed/index.html")).unwrap(),
        before
    );

    // No site.toml: no statement, no footer link, and the build says so.
    std::fs::remove_file(&config).unwrap();
    let assert = build().assert().success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("no accessibility statement"), "{err}");
    assert!(!out.join("tilgaengelighed").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("Tilgængelighedserklæring"));
}
