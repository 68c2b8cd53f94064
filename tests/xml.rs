//! The site's XML (feed.xml, sitemap.xml) from hostile guideline text: a
//! title with markup, `&`, a CDATA end `]]>`, control characters and the
//! non-characters XML forbids stays well-formed XML, read back by a strict
//! XML 1.0 parser, and says what the author wrote (issue 15, item 9).

mod common;

use assert_cmd::Command;
use std::path::Path;

const AS_OF: &str = "2026-11-23";

#[test]
fn feed_and_sitemap_are_well_formed_xml_whatever_the_title_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("guidelines");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines"),
        &g,
    );
    let file = g.join("dmsg/myelomatose-hdt/guideline.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let from = "title = \"Højdosisbehandling ved myelomatose (EKSEMPEL)\"";
    assert!(text.contains(from));
    // TOML escapes: U+0001, U+FFFF, U+FFFE, ESC, a vertical tab.
    let hostile = r#"title = "Høj <b>dosis</b> & \"mere\" ]]> '1' \u0001x \uFFFFy \uFFFEz \u001B[31m \u000B""#;
    std::fs::write(&file, text.replacen(from, hostile, 1)).unwrap();
    let out = Command::cargo_bin("vejviser")
        .unwrap()
        .current_dir(tmp.path())
        .args(["site", "--as-of", AS_OF, "--no-pdf"])
        .args(["--base-url", "https://retningslinjer.example.dk/"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = tmp.path().join("public");
    for name in ["feed.xml", "sitemap.xml"] {
        let bytes = std::fs::read(public.join(name)).unwrap();
        let xml = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}"));
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{xml}"));
        assert!(
            xml.chars().all(vejviser_model::safe::xml_char_allowed),
            "{name} holds a character XML forbids"
        );
        if name == "feed.xml" {
            let title = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .find(|t| t.contains("dosis"))
                .expect("the entry's title");
            // Everything the author wrote that XML can hold is there, as written;
            // each character it cannot hold is a visible replacement, never dropped.
            assert_eq!(
                title,
                "Høj <b>dosis</b> & \"mere\" ]]> '1' \u{FFFD}x \u{FFFD}y \u{FFFD}z \u{FFFD}[31m \u{FFFD} (version 2.0)"
            );
            for link in doc.descendants().filter(|n| n.has_tag_name("link")) {
                let href = link.attribute("href").unwrap();
                assert!(
                    href.starts_with("https://retningslinjer.example.dk/"),
                    "{href}"
                );
            }
        } else {
            let locs: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("loc"))
                .filter_map(|n| n.text())
                .collect();
            assert!(
                locs.contains(&"https://retningslinjer.example.dk/dmsg/myelomatose-hdt/"),
                "{locs:?}"
            );
            assert!(locs
                .iter()
                .all(|l| l.starts_with("https://retningslinjer.example.dk/")));
        }
    }
}

fn site_with_base_url(url: &str) -> (tempfile::TempDir, i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines"),
        &tmp.path().join("guidelines"),
    );
    let out = Command::cargo_bin("vejviser")
        .unwrap()
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .args(["site", "--as-of", AS_OF, "--no-pdf", "--base-url", url])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    (tmp, code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Feeds and sitemaps need the site's absolute public address: a relative
/// one (the default) or plain http is built with a warning saying why; what
/// is not an address at all is refused before anything is built.
#[test]
fn base_url_is_checked_before_the_build() {
    let (_t, code, err) = site_with_base_url("https://retningslinjer.example.dk/");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning: --base-url"), "{err}");
    let (_t, code, err) = site_with_base_url("http://localhost:8000/");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning: --base-url"), "{err}");
    for (url, says) in [
        ("/", "relative"),
        ("http://retningslinjer.example.dk/", "https"),
    ] {
        let (tmp, code, err) = site_with_base_url(url);
        assert_eq!(code, 0, "{url}: {err}");
        assert!(
            err.contains(&format!("warning: --base-url {url}: ")) && err.contains(says),
            "{url}: {err}"
        );
        assert!(tmp.path().join("public/feed.xml").is_file());
    }
    for url in [
        "javascript:alert(1)",
        "https://",
        "ftp://x.dk/",
        "https://x.dk/a b",
    ] {
        let (tmp, code, err) = site_with_base_url(url);
        assert_eq!(code, 2, "{url}: {err}");
        assert!(err.contains("error: --base-url"), "{url}: {err}");
        assert!(!tmp.path().join("public").exists(), "{url}");
    }
}
