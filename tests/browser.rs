//! Browser test of the quick guide on a phone: headless Chromium (Debian's
//! `chromium` package) loads the built page in a 375 × 800 viewport (and 360
//! wide, the narrowest the issue names) and a small script measures it: the
//! page must not scroll sideways (`document.documentElement.scrollWidth <=
//! width`) and every recommendation must be visible inside the viewport's width.
//!
//! Headless Chromium will not make a window narrower than 500 px, so the page
//! is loaded in an iframe of the phone's size, and the measuring script posts
//! its result to the outer page, whose DOM `--dump-dom` prints. Scrollbars are
//! hidden as on a phone. Skipped, with a message, only when chromium is not
//! installed.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROBE: &str = r#"<script>
(function () {
  var d = document.documentElement;
  var recs = Array.prototype.map.call(document.querySelectorAll('li.rec'), function (li) {
    var r = li.getBoundingClientRect(), s = getComputedStyle(li);
    return { id: li.id, width: r.width, height: r.height, left: r.left, right: r.right,
             shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' };
  });
  var wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > d.clientWidth + 0.5 && !e.closest('.table-wrap, pre, .vh')) {
      wide.push(e.tagName.toLowerCase() + '.' + e.className);
    }
  });
  parent.postMessage(JSON.stringify({ innerWidth: innerWidth, scrollWidth: d.scrollWidth,
    clientWidth: d.clientWidth, recs: recs, wide: wide.slice(0, 10) }), '*');
})();
</script>"#;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Measured {
    inner_width: f64,
    scroll_width: f64,
    recs: Vec<Rec>,
    wide: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Rec {
    id: String,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    shown: bool,
}

/// Loads `page` (in its own folder, so its relative links work) at `width` × 800.
fn measure(browser: &Path, page: &Path, width: u32) -> Measured {
    let json = probe(browser, page, width, PROBE);
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Loads `page` with `script` added at the end of its body, at `width` × 800,
/// and returns what the script posted to the outer page.
fn probe(browser: &Path, page: &Path, width: u32, script: &str) -> String {
    let dir = page.parent().unwrap();
    let html = std::fs::read_to_string(page).unwrap();
    std::fs::write(
        dir.join("probe.html"),
        html.replace("</body>", &format!("{script}</body>")),
    )
    .unwrap();
    std::fs::write(
        dir.join("phone.html"),
        format!(
            "<!doctype html><html><body style=\"margin:0\"><pre id=\"vv-result\">no result</pre>\
             <iframe src=\"probe.html\" style=\"width:{width}px;height:800px;border:0;display:block\"></iframe>\
             <script>addEventListener('message', function (e) {{ document.getElementById('vv-result').textContent = e.data; }});</script>\
             </body></html>"
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=500,800",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", dir.join("phone.html").display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<pre id=\"vv-result\">")
        .unwrap_or_else(|| panic!("no result in the DOM: {dom:.500}"))
        + "<pre id=\"vv-result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn build(file: &str, out: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(root.join(file))
        .arg("--out")
        .arg(out)
        .args(["--as-of", "2026-01-01"])
        .assert()
        .success();
    out.join("index.html")
}

#[test]
fn quick_guide_fits_a_phone_and_shows_every_recommendation() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED browser test: chromium is not installed (Debian: apt-get install -y chromium)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let pages = [
        (
            build(
                "tests/fixtures/build/guidelines/dmsg/myelomatose-hdt/guideline.md",
                &tmp.path().join("myelomatose"),
            ),
            8,
        ),
        (
            build(
                "guidelines/dbcg/adjuvant-endocrine-therapy/guideline.md",
                &tmp.path().join("english"),
            ),
            7,
        ),
        // Long words, a long URL, long code and wide tables.
        (
            build(
                "tests/fixtures/build/guidelines/dmsg/bred/guideline.md",
                &tmp.path().join("bred"),
            ),
            2,
        ),
    ];
    for (page, count) in &pages {
        for width in [375u32, 360] {
            let m = measure(&browser, page, width);
            let at = format!("{} at {width} px", page.display());
            assert_eq!(m.inner_width, f64::from(width), "{at}: viewport");
            assert!(
                m.scroll_width <= f64::from(width),
                "{at}: scrollWidth {} > {width}; too wide: {:?}",
                m.scroll_width,
                m.wide
            );
            assert!(
                m.wide.is_empty(),
                "{at}: elements past the edge: {:?}",
                m.wide
            );
            assert_eq!(m.recs.len(), *count, "{at}");
            for r in &m.recs {
                assert!(r.shown && r.height > 20.0 && r.width > 250.0, "{at}: {r:?}");
                assert!(r.left >= 0.0 && r.right <= f64::from(width), "{at}: {r:?}");
                assert!(!r.id.is_empty(), "{at}: {r:?}");
            }
        }
    }
    // The full page too (its tables and code scroll in their own boxes).
    let full = tmp.path().join("bred/full.html");
    let m = measure(&browser, &full, 375);
    assert!(
        m.scroll_width <= 375.0,
        "full.html: {} {:?}",
        m.scroll_width,
        m.wide
    );
}

#[test]
fn the_measurement_sees_a_page_that_is_too_wide() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED browser test: chromium is not installed");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("wide.html");
    std::fs::write(
        &page,
        "<!doctype html><html><body><ol><li class=\"rec\" id=\"r\" style=\"width:600px\">x</li></ol></body></html>",
    )
    .unwrap();
    let m = measure(&browser, &page, 375);
    assert_eq!(m.inner_width, 375.0);
    assert!(m.scroll_width > 375.0, "{m:?}");
    assert!(m.recs[0].right > 375.0);
}

/// What the quick guide's "Vis kun nye og ændrede anbefalinger" shows: every
/// recommendation while unchecked, only the new and changed ones (and their
/// topics) once checked. Pure CSS, so it works without JavaScript; the probe
/// only ticks the box, as a reader would.
const FILTER_PROBE: &str = r#"<script>
(function () {
  function shown(e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  function state() {
    return {
      recs: Array.prototype.filter.call(document.querySelectorAll('li.rec'), shown)
        .map(function (li) { return li.querySelector('.rec-number').textContent.replace(/\D/g, '') + ':' + li.className; }),
      topics: Array.prototype.filter.call(document.querySelectorAll('section.topic'), shown).length
    };
  }
  var box = document.getElementById('only-changes');
  var before = state();
  box.checked = true;
  var after = state();
  parent.postMessage(JSON.stringify({ label: box.labels[0].textContent, before: before, after: after,
    allTopics: document.querySelectorAll('section.topic').length,
    topicsWithChanges: document.querySelectorAll('section.topic:has(.rec-new, .rec-changed)').length }), '*');
})();
</script>"#;

#[test]
fn the_quick_guide_filters_to_new_and_changed_recommendations() {
    let Some(browser) = chromium() else {
        if std::env::var_os("VEJVISER_REQUIRE_BROWSER").is_some() {
            panic!("VEJVISER_REQUIRE_BROWSER is set but chromium is not installed");
        }
        eprintln!("SKIPPED browser test: chromium is not installed");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    cargo_bin_cmd!("vejviser")
        .args(["site", "--no-pdf", "--as-of", "2026-01-01"])
        .args(["--base-url", "https://retningslinjer.example.dk/"])
        .arg("--guidelines")
        .arg(root.join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let page = out.join("dmsg/myelomatose-hdt/index.html");
    let json = probe(&browser, &page, 375, FILTER_PROBE);
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(v["label"], "Vis kun nye og ændrede anbefalinger");
    let recs = |k: &str| -> Vec<String> {
        v[k]["recs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    let (before, after) = (recs("before"), recs("after"));
    // Unchecked: every recommendation and every topic.
    assert_eq!(before.len(), 8, "{before:?}");
    assert_eq!(v["before"]["topics"], v["allTopics"]);
    // Checked: exactly the new and changed ones, none unchanged.
    let changed: Vec<&String> = before
        .iter()
        .filter(|r| r.contains("rec-new") || r.contains("rec-changed"))
        .collect();
    assert!(
        !changed.is_empty() && changed.len() < before.len(),
        "{before:?}"
    );
    assert_eq!(after.iter().collect::<Vec<_>>(), changed, "{after:?}");
    assert!(after.iter().all(|r| !r.contains("rec-unchanged")));
    // Topics left with nothing new or changed are hidden too.
    assert_eq!(v["after"]["topics"], v["topicsWithChanges"]);
}
