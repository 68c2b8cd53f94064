//! In headless Chromium, from disk: the overview's filter and the search page
//! (skipped when Chromium is not installed).

use super::*;

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
