//! Every link on the published site resolves: each relative `href` and `src` of
//! every page, with its fragment, and every address in the feed and the
//! sitemap. Run on the fixture tree with an extra, older archived version, so
//! archived pages, their pages of changes and the withdrawn guideline's pages
//! are all covered, and on the policy for what an archived version publishes
//! (docs/site.md): its full page and full PDF, with `index.html` pointing to
//! the recommendations in the full page.

mod common;

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BASE: &str = "https://retningslinjer.example.dk/";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/guidelines")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The fixture tree plus version 1.4 of the myeloma guideline (1.5 with
/// another approval date and one recommendation worded differently), so that
/// archived version 1.5 has a page of changes of its own; built with PDFs.
fn build_site(tmp: &Path) -> PathBuf {
    build_site_with(tmp, "")
}

/// [`build_site`] with `more` added to the fixture's `site.toml`.
fn build_site_with(tmp: &Path, more: &str) -> PathBuf {
    let g = tmp.join("guidelines");
    common::copy_dir(&fixture(), &g);
    let config = g.join("site.toml");
    std::fs::write(&config, read(&config) + more).unwrap();
    let archive = g.join("dmsg/myelomatose-hdt/archive");
    let v15 = read(&archive.join("1.5.md"));
    let v14 = v15
        .replacen("version = \"1.5\"", "version = \"1.4\"", 1)
        .replace("2022-01-24", "2020-01-24")
        .replace("2022-02-28", "2020-02-28")
        .replacen(
            "planned_update = 2025-01-01",
            "planned_update = 2023-01-01",
            1,
        );
    // One recommendation reads differently in 1.4, so 1.5 shows a change.
    let first = v14
        .lines()
        .find(|l| l.starts_with("1. "))
        .expect("a first recommendation")
        .to_string();
    let v14 = v14.replacen(&first, &first.replacen("1. ", "1. Som hovedregel: ", 1), 1);
    assert_ne!(v14, v15);
    std::fs::write(archive.join("1.4.md"), v14).unwrap();
    let out = tmp.join("public");
    Command::cargo_bin("vejviser")
        .unwrap()
        .args([
            "site",
            "--as-of",
            "2026-11-23",
            "--keep-going",
            "--base-url",
            BASE,
        ])
        .arg("--guidelines")
        .arg(&g)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

/// The values of `attr="…"` in `html`, with `&amp;` read as `&`.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.split(needle.as_str())
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

/// The ids of a page.
fn ids(html: &str) -> BTreeSet<String> {
    attr_values(html, "id").into_iter().collect()
}

/// Resolves `href` from the page at `from` (a file under `out`): the target
/// file and the fragment, or why it does not resolve.
fn resolve(out: &Path, from: &Path, href: &str) -> Result<(PathBuf, Option<String>), String> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut target = if let Some(rest) = path.strip_prefix(BASE) {
        out.join(rest)
    } else if path.is_empty() {
        from.to_path_buf()
    } else {
        from.parent().unwrap().join(path)
    };
    if path.ends_with('/') || target.is_dir() {
        target = target.join("index.html");
    }
    let real = std::fs::canonicalize(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    if !real.starts_with(std::fs::canonicalize(out).unwrap()) || !real.is_file() {
        return Err(format!("{} is not a file of the site", target.display()));
    }
    Ok((real, fragment))
}

#[test]
fn every_link_of_every_page_feed_and_sitemap_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site(tmp.path());
    assert_every_link_resolves(&out);
    // The archived pages of changes were among them.
    assert!(out
        .join("dmsg/myelomatose-hdt/1.5/aendringer/index.html")
        .is_file());
}

/// Checks every relative link of every page, the feed and the sitemap of the
/// site at `out`.
fn assert_every_link_resolves(out: &Path) {
    let out = out.to_path_buf();
    let mut pages: BTreeMap<PathBuf, String> = BTreeMap::new();
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.insert(std::fs::canonicalize(e.path()).unwrap(), read(e.path()));
        }
    }
    let mut ids_of: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut check = |from: &Path, href: &str, problems: &mut Vec<String>| {
        if href.starts_with("mailto:") || (href.contains(':') && !href.starts_with(BASE)) {
            return;
        }
        checked += 1;
        let what = format!(
            "{} → {href}",
            from.strip_prefix(&out).unwrap_or(from).display()
        );
        match resolve(&out, from, href) {
            Err(e) => problems.push(format!("{what}: {e}")),
            Ok((target, Some(fragment))) if !fragment.is_empty() => {
                let Some(html) = pages.get(&target) else {
                    problems.push(format!("{what}: a fragment on a file that is not a page"));
                    return;
                };
                let known = ids_of.entry(target.clone()).or_insert_with(|| ids(html));
                if !known.contains(&fragment) {
                    problems.push(format!("{what}: no id=\"{fragment}\" there"));
                }
            }
            Ok(_) => {}
        }
    };
    for (path, html) in &pages {
        for href in attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"))
        {
            check(path, &href, &mut problems);
        }
    }
    let root = std::fs::canonicalize(&out).unwrap();
    let feed = read(&out.join("feed.xml"));
    for href in attr_values(&feed, "href") {
        check(&root.join("feed.xml"), &href, &mut problems);
    }
    let sitemap = read(&out.join("sitemap.xml"));
    for loc in sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|r| r.split("</loc>").next())
    {
        check(&root.join("sitemap.xml"), loc, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 500, "only {checked} links checked");
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// `[archive] pdf = false, json = false` in site.toml: archived versions keep
/// their full page, page of changes and pointer page, and publish neither a
/// PDF nor guideline.json, nor link to one; the current version and the
/// withdrawn guideline's last version keep every format.
#[test]
fn a_lean_archive_publishes_no_pdf_or_json_for_archived_versions_and_links_none() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site_with(tmp.path(), "\n[archive]\npdf = false\njson = false\n");
    let g = out.join("dmsg/myelomatose-hdt");
    assert_eq!(names(&g.join("1.4")), ["full.html", "index.html"]);
    assert_eq!(
        names(&g.join("1.5")),
        ["aendringer", "full.html", "index.html"]
    );
    for v in ["1.4", "1.5"] {
        let full = read(&g.join(v).join("full.html"));
        assert!(!full.contains(".pdf"), "{v}: a link to a PDF");
        assert!(
            full.contains("id=\"anbefalinger\""),
            "{v}: the text is there"
        );
    }
    let current = names(&g);
    for f in [
        "guideline.json",
        "myelomatose-hdt-2.0.pdf",
        "myelomatose-hdt-2.0-quick.pdf",
    ] {
        assert!(current.iter().any(|n| n == f), "current version: {f}");
    }
    let withdrawn = names(&out.join("dmg/udloebet-opfoelgning/1.0"));
    assert!(
        withdrawn.iter().any(|n| n == "guideline.json"),
        "{withdrawn:?}"
    );
    assert!(
        withdrawn.iter().any(|n| n.ends_with(".pdf")),
        "{withdrawn:?}"
    );
    assert_every_link_resolves(&out);
}

/// An archived version publishes its full page, full PDF and guideline.json;
/// its quick guide is chapter 2 of the full page, so it has no quick guide page
/// or quick PDF of its own, and every link to its recommendations goes there.
#[test]
fn an_archived_version_points_to_its_recommendations_in_the_full_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_site(tmp.path());
    let g = out.join("dmsg/myelomatose-hdt");
    for v in ["1.4", "1.5"] {
        let dir = g.join(v);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut want = vec![
            "full.html".to_string(),
            "guideline.json".to_string(),
            "index.html".to_string(),
            format!("myelomatose-hdt-{v}.pdf"),
        ];
        if v == "1.5" {
            want.insert(0, "aendringer".into());
        }
        assert_eq!(files, want, "{v}");
        // index.html (an old address) points to chapter 2 of the full page.
        let pointer = read(&dir.join("index.html"));
        assert!(
            pointer.contains("<a href=\"full.html#anbefalinger\">2. Anbefalinger"),
            "{pointer}"
        );
        assert!(
            pointer.contains("noindex"),
            "archived: not for search engines"
        );
        // The full page offers no quick guide or quick PDF of its own.
        let full = read(&dir.join("full.html"));
        assert!(
            !full.contains(">Kvikguide</a>"),
            "{v}: a link to a quick guide"
        );
        assert!(!full.contains("-quick.pdf"), "{v}: a link to a quick PDF");
        assert!(full.contains("id=\"anbefalinger\""));
    }
    // Version lists link straight to the full pages.
    for f in ["index.html", "full.html", "1.5/full.html", "1.4/full.html"] {
        let html = read(&g.join(f));
        assert!(
            !html.contains("1.4/index.html") && !html.contains("1.5/index.html"),
            "{f}"
        );
    }
    assert!(read(&g.join("index.html")).contains("href=\"1.5/full.html\""));
    assert!(read(&g.join("1.5/full.html")).contains("href=\"../1.4/full.html\""));
    // 1.5's page of changes links each recommendation on 1.5's full page, by id.
    let changes = read(&g.join("1.5/aendringer/index.html"));
    assert!(changes.contains("href=\"../full.html#r"), "{changes}");
    // 1.4's words that 1.5 dropped, struck through and named for a screen reader.
    assert!(
        changes.contains("<del><span class=\"vh\">[fjernet: </span>Som hovedregel:"),
        "{changes}"
    );
    assert!(!changes.contains("href=\"../index.html#"));
    // The current version keeps its quick guide and quick PDF.
    assert!(g.join("myelomatose-hdt-2.0-quick.pdf").is_file());
    assert!(read(&g.join("index.html")).contains("class=\"page page-quick\""));
    // A withdrawn guideline's notice links to its version's full page.
    let withdrawn = read(&out.join("dmg/udloebet-opfoelgning/index.html"));
    assert!(withdrawn.contains("1.0/full.html"), "{withdrawn}");
    assert!(!out
        .join("dmg/udloebet-opfoelgning/1.0")
        .read_dir()
        .unwrap()
        .any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with("-quick.pdf")));
}
