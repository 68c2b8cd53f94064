//! A cold build and what it publishes: the current guideline, its archive and
//! the withdrawn one at their addresses, banners, JSON, feed, sitemap, search
//! index, status and group pages, drafts, the change page, and byte-identical
//! output from the same input.

use super::*;

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
