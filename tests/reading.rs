//! What a clinician sees first, in Debian's headless Chromium (playwright-core,
//! `tests/a11y/layout.js`), on the site fixture:
//!
//! - on a phone (375 × 667) every quick guide's first recommendation starts on
//!   the first screen, below the banners that say a guideline is overdue,
//!   expired, archived or a draft; the front page facts are behind a disclosure;
//! - the overview, group and status tables show the Status column inside the
//!   window without scrolling at 1024 and 1280 px, and on a phone every cell of
//!   every row (as a card) is shown inside the window at a readable width;
//! - the changelog's description is inside the window, readable, at 375 and 1280 px.
//!
//! And, without a browser: a table that claims a sort order (`aria-sort`) has
//! its rows in that order.
//!
//! Needs chromium, node and `npm ci` in `tests/a11y`; without them the browser
//! test says SKIPPED, unless `VEJVISER_REQUIRE_BROWSER` is set, when it fails.

#[path = "common/browser.rs"]
mod browser;

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::Path;

const AS_OF: &str = "2026-11-23";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The site fixture with drafts, built into `out` (no PDFs: only pages are measured).
fn site(out: &Path) {
    site_with(out, &["--no-pdf", "--drafts"]);
}

/// The site fixture built into `out` at the example address, with `flags`.
fn site_with(out: &Path, flags: &[&str]) {
    cargo_bin_cmd!("vejviser")
        .args(["site", "--as-of", AS_OF])
        .args(flags)
        .args(["--base-url", "https://retningslinjer.example.dk/"])
        .arg("--guidelines")
        .arg(root().join("tests/fixtures/site/guidelines"))
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    url: String,
    inner_width: f64,
    inner_height: f64,
    scroll_width: f64,
    first_rec: Option<Box>,
    tables: Vec<Table>,
    details: Vec<Details>,
    banners: Vec<Box>,
    hits: Vec<String>,
    snippets: Vec<Option<Snippet>>,
}

/// A search result's excerpt: its text and its marked words.
#[derive(Debug, serde::Deserialize)]
struct Snippet {
    text: String,
    marks: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Box {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    width: f64,
    shown: bool,
    #[serde(default)]
    text: String,
}

#[derive(Debug, serde::Deserialize)]
struct Table {
    class: String,
    heads: Vec<String>,
    rows: Vec<Vec<Box>>,
}

#[derive(Debug, serde::Deserialize)]
struct Details {
    summary: String,
    open: bool,
}

/// Measures `pages` (path in the site, width, height) with `layout.js`.
fn measure(chromium: &Path, node: &Path, out: &Path, pages: &[(&str, u32, u32)]) -> Vec<Page> {
    let list: Vec<serde_json::Value> = pages
        .iter()
        .map(|(rel, w, h)| {
            // A query (`search/index.html?q=…`) is added to the file's URL.
            let (file, query) = rel.split_once('?').map_or((*rel, ""), |(f, q)| (f, q));
            assert!(out.join(file).is_file(), "{file} is not in the built site");
            let url = format!("file://{}", out.join(file).display());
            let url = if query.is_empty() { url } else { format!("{url}?{query}") };
            serde_json::json!({ "url": url, "width": w, "height": h, "waitFor": (!query.is_empty()).then_some(".search-results li") })
        })
        .collect();
    let manifest = out.with_file_name("layout.json");
    std::fs::write(
        &manifest,
        serde_json::to_vec(&serde_json::json!({ "chromium": chromium, "pages": list })).unwrap(),
    )
    .unwrap();
    let run = std::process::Command::new(node)
        .arg(root().join("tests/a11y/layout.js"))
        .arg(&manifest)
        .current_dir(root().join("tests/a11y"))
        .output()
        .expect("node starts");
    assert!(
        run.status.success(),
        "layout.js failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

const QUICK_GUIDES: &[&str] = &[
    "dmsg/myelomatose-hdt/index.html",
    // An archived version has no quick guide of its own (its recommendations
    // are chapter 2 of its full page, docs/site.md): 1.5/index.html only points there.
    "dbcg/adjuvant-endocrine-therapy/index.html",
    "dmg/adjuverende-behandling-melanom/index.html",
    "dlcg/sbrt-tidligt-stadie-nsclc/index.html",
];

const TABLE_PAGES: &[&str] = &[
    "index.html",
    "dmg/index.html",
    "dmsg/index.html",
    "status/index.html",
];

/// Queries of the search page, where the one hit is said to match, and how
/// its excerpt starts.
const SEARCHES: &[(&str, &str, &str)] = &[
    (
        "search/index.html?q=blodtypebestemmelse",
        "fundet i evidensgrundlaget",
        "Evidensgrundlaget: ",
    ),
    (
        "search/index.html?q=haematologica",
        "fundet i referencerne",
        "Reference 10: ",
    ),
];

/// The text pieces of a guideline's search fragments (`search/<k>.js`).
fn search_text(out: &Path, url: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    for k in 0.. {
        let Ok(text) = std::fs::read_to_string(out.join(url).join(format!("search/{k}.js"))) else {
            break;
        };
        let json = text
            .strip_prefix(&format!("VEJVISER_SEARCH.text(\"{url}\",{k},"))
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap();
        let list: Vec<Vec<serde_json::Value>> = serde_json::from_str(json).unwrap();
        pieces.extend(
            list.iter()
                .map(|p| p.last().unwrap().as_str().unwrap().to_string()),
        );
    }
    pieces
}

const CHANGELOG_PAGES: &[&str] = &[
    "dmsg/myelomatose-hdt/full.html",
    "dbcg/adjuvant-endocrine-therapy/full.html",
];

#[test]
fn recommendations_tables_and_changelog_are_in_view_in_chromium() {
    let Some((chromium, node)) = browser::browser_or_skip("reading test", &["playwright-core"])
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&out);

    let mut pages: Vec<(&str, u32, u32)> = Vec::new();
    pages.extend(QUICK_GUIDES.iter().map(|p| (*p, 375, 667)));
    for w in [1280, 1024, 375] {
        pages.extend(TABLE_PAGES.iter().map(|p| (*p, w, 800)));
    }
    for w in [1280, 375] {
        pages.extend(CHANGELOG_PAGES.iter().map(|p| (*p, w, 800)));
    }
    // Search finds words only the evidence or only the references have, and
    // says where (the search page reads the index from disk, as from a server).
    pages.extend(SEARCHES.iter().map(|(q, _, _)| (*q, 375, 800)));
    let measured = measure(&chromium, &node, &out, &pages);
    assert_eq!(measured.len(), pages.len());

    let mut banners_seen = 0;
    for ((rel, w, _), m) in pages.iter().zip(&measured) {
        let at = format!("{rel} at {w} px");
        assert_eq!(m.inner_width, f64::from(*w), "{at}: viewport");
        assert!(
            m.scroll_width <= m.inner_width,
            "{at}: the page scrolls sideways ({} px)",
            m.scroll_width
        );
        if let Some((_, said, label)) = SEARCHES.iter().find(|(q, _, _)| q == rel) {
            assert_eq!(m.hits.len(), 1, "{at}: {:?}", m.hits);
            assert!(
                m.hits[0].starts_with("Højdosisbehandling ved myelomatose")
                    && m.hits[0].contains(said),
                "{at}: {:?}",
                m.hits
            );
            // An excerpt of the text the word was found in, the whole word
            // marked, cut only between words (issue 14).
            let word = rel.rsplit('=').next().unwrap();
            let s = m.snippets[0]
                .as_ref()
                .unwrap_or_else(|| panic!("{at}: no excerpt"));
            assert_eq!(s.marks.len(), 1, "{at}: {s:?}");
            assert_eq!(s.marks[0].to_lowercase(), word, "{at}: {s:?}");
            let shown = s
                .text
                .strip_prefix(label)
                .unwrap_or_else(|| panic!("{at}: {s:?}"));
            let (cut_before, shown) = shown
                .strip_prefix("… ")
                .map_or((false, shown), |t| (true, t));
            let (cut_after, shown) = shown
                .strip_suffix(" …")
                .map_or((false, shown), |t| (true, t));
            assert!(
                shown.split(' ').count() >= 8,
                "{at}: a short excerpt: {s:?}"
            );
            let pieces = search_text(&out, "dmsg/myelomatose-hdt/");
            let whole = pieces.iter().any(|p| {
                p.match_indices(shown).any(|(i, _)| {
                    let end = i + shown.len();
                    // Starts and ends at a space or the end of the text, and
                    // says "…" exactly where it cuts.
                    (i == 0 || p[..i].ends_with(' '))
                        && (end == p.len() || p[end..].starts_with(' '))
                        && cut_before == (i > 0)
                        && cut_after == (end < p.len())
                })
            });
            assert!(
                whole,
                "{at}: the excerpt is not whole words of the text: {s:?}"
            );
            continue;
        }
        if QUICK_GUIDES.contains(rel) {
            // The first recommendation starts on the first screen, with room for
            // its first line; the banners (overdue, archived, draft) come before it.
            let rec = m
                .first_rec
                .as_ref()
                .unwrap_or_else(|| panic!("{at}: no recommendation"));
            assert!(
                rec.shown && rec.top + 48.0 <= m.inner_height,
                "{at}: the first recommendation starts at {} px, below the first screen ({} px)",
                rec.top,
                m.inner_height
            );
            for b in &m.banners {
                assert!(
                    b.shown && b.bottom <= rec.top,
                    "{at}: banner {b:?} not above the recommendations"
                );
                banners_seen += 1;
            }
            let meta = m
                .details
                .iter()
                .find(|d| {
                    d.summary.starts_with("Om version") || d.summary.starts_with("About version")
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{at}: no disclosure of the version's facts: {:?}",
                        m.details
                    )
                });
            assert!(!meta.open, "{at}: the version's facts are open");
            continue;
        }
        for t in &m.tables {
            let what = format!("{at}: table {} ({:?})", t.class, t.heads);
            assert!(!t.rows.is_empty(), "{what}: no rows");
            // The column that matters: Status in the overview tables, the
            // description in the changelog.
            let (col, label) = match t.class.as_str() {
                "overview" => (5, "Status"),
                "changelog" => (2, "description"),
                _ => continue,
            };
            if t.class == "overview" {
                assert_eq!(t.heads[col], "Status", "{what}");
            }
            for row in &t.rows {
                for (i, cell) in row.iter().enumerate() {
                    if cell.text.is_empty() {
                        continue;
                    }
                    let must = i == col || *w < 640;
                    if must {
                        assert!(
                            cell.shown && cell.left >= 0.0 && cell.right <= m.inner_width + 0.5,
                            "{what}: {label} cell {i} {:?} is not inside the {w} px window: {cell:?}",
                            cell.text
                        );
                    }
                    if *w < 640 && i == col {
                        // A card, not a squeezed column: the cell has the card's width.
                        assert!(
                            cell.width >= 250.0,
                            "{what}: {label} squeezed to {} px: {cell:?}",
                            cell.width
                        );
                    }
                }
                if *w < 640 && t.class == "overview" {
                    // Stacked: the Status comes below the title, not beside it.
                    assert!(
                        row[col].top >= row[0].bottom - 0.5,
                        "{what}: not a card: {row:?}"
                    );
                }
            }
        }
        let classes: Vec<&str> = m.tables.iter().map(|t| t.class.as_str()).collect();
        if TABLE_PAGES.contains(rel) {
            assert!(classes.contains(&"overview"), "{at}: {classes:?}");
        } else {
            assert!(
                classes.contains(&"changelog"),
                "{at}: {classes:?} ({})",
                m.url
            );
        }
    }
    // The fixture's overdue, archived and draft quick guides have banners.
    assert!(banners_seen >= 3, "{banners_seen} banners");
}

/// Titles in Danish alphabetical order (æ, ø, å after z), written apart from
/// the site crate's own ordering.
fn danish_key(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => '{',
            'ø' => '|',
            'å' => '}',
            c => c,
        })
        .collect()
}

#[test]
fn tables_that_claim_a_sort_order_have_their_rows_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site(&out);
    let mut claims = 0;
    for page in TABLE_PAGES {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for table in html.split("<table").skip(1) {
            let table = &table[..table.find("</table>").unwrap()];
            let (head, body) = table.split_once("<tbody>").unwrap();
            let sorted: Vec<&str> = head
                .split("<th ")
                .skip(1)
                .filter(|th| th.contains("aria-sort"))
                .collect();
            if sorted.is_empty() {
                continue;
            }
            assert_eq!(sorted.len(), 1, "{page}: more than one sorted column");
            assert!(
                sorted[0].contains("aria-sort=\"ascending\"")
                    && sorted[0].contains("data-key=\"title\""),
                "{page}: a sort claim this test does not know: {}",
                sorted[0]
            );
            let titles: Vec<&str> = body
                .split("data-title=\"")
                .skip(1)
                .map(|r| &r[..r.find('"').unwrap()])
                .collect();
            assert!(
                titles.len() >= 2 || *page != "index.html",
                "{page}: {titles:?}"
            );
            let mut expected = titles.clone();
            expected.sort_by_key(|t| danish_key(t));
            assert_eq!(titles, expected, "{page}: Titel claims ascending order");
            claims += 1;
        }
    }
    // The overview and the group pages claim the order; the status page, sorted
    // by urgency, claims none.
    assert!(claims >= 3, "{claims}");
    let status = std::fs::read_to_string(out.join("status/index.html")).unwrap();
    assert!(
        !status.contains("aria-sort"),
        "the status page is sorted by urgency, not by title"
    );
}

/// A printed quick guide can be traced: every page of the quick PDF, current
/// or archived, names the guideline's address on the site and the version it is.
#[test]
fn every_page_of_the_quick_pdf_says_where_the_current_version_is_and_which_version_it_is() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("VEJVISER_REQUIRE_BROWSER").is_none(),
            "pdftotext (poppler-utils) is required"
        );
        eprintln!("SKIPPED: pdftotext (poppler-utils) not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site_with(&out, &[]);
    // (PDF, its version, the guideline's address, the page word, the first page's words)
    let site = "https://retningslinjer.example.dk/";
    for (pdf, version, dir, page_word, says) in [
        (
            "dmsg/myelomatose-hdt/myelomatose-hdt-2.0-quick.pdf",
            "Version 2.0",
            "dmsg/myelomatose-hdt/",
            "Side ",
            "Den gældende version findes på:",
        ),
        (
            "dbcg/adjuvant-endocrine-therapy/adjuvant-endocrine-therapy-1.1-quick.pdf",
            "Version 1.1",
            "dbcg/adjuvant-endocrine-therapy/",
            "Page ",
            "The current version is at:",
        ),
    ] {
        quick_pdf_is_traceable(
            &out.join(pdf),
            version,
            &format!("{site}{dir}"),
            page_word,
            says,
        );
    }
    // `vejviser build --base-url` prints the same address as the site would.
    let built = tmp.path().join("built");
    cargo_bin_cmd!("vejviser")
        .args(["build", "--as-of", AS_OF])
        .args(["--base-url", "https://retningslinjer.example.dk"])
        .arg(root().join("tests/fixtures/site/guidelines/dmsg/myelomatose-hdt"))
        .arg("--out")
        .arg(&built)
        .assert()
        .success();
    quick_pdf_is_traceable(
        &built.join("myelomatose-hdt-2.0-quick.pdf"),
        "Version 2.0",
        "https://retningslinjer.example.dk/dmsg/myelomatose-hdt/",
        "Side ",
        "Den gældende version findes på:",
    );
}

/// Every page's footer of the quick PDF at `pdf` gives `address` and
/// `version`, and its first page says `says` with the address on a line of its own.
fn quick_pdf_is_traceable(pdf: &Path, version: &str, address: &str, page_word: &str, says: &str) {
    let pdf_name = pdf.display();
    let run = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(run.status.success(), "pdftotext {pdf_name}");
    let text = String::from_utf8(run.stdout).unwrap();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(!pages.is_empty(), "{pdf_name}");
    for (i, page) in pages.iter().enumerate() {
        // The footer: the address, the version and the page number on one line.
        let footer = page
            .lines()
            .find(|l| l.contains(page_word))
            .unwrap_or_else(|| panic!("{pdf_name} page {}: no footer:\n{page}", i + 1));
        assert!(
            footer.contains(address) && footer.contains(version),
            "{pdf_name} page {}: footer {footer:?}",
            i + 1
        );
    }
    // The first page says it in words, the address on a line of its own.
    assert!(pages[0].contains(says), "{pdf_name}:\n{}", pages[0]);
    assert!(
        pages[0].lines().any(|l| l.trim() == address),
        "{pdf_name}:\n{}",
        pages[0]
    );
}

/// Where `text` has a date written the machine's way (`2025-03-03`).
fn iso_date(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        let edge = |j: Option<&u8>| j.is_none_or(|c| !c.is_ascii_digit());
        (digits(0..4)
            && w[4] == b'-'
            && digits(5..7)
            && w[7] == b'-'
            && digits(8..10)
            && edge(i.checked_sub(1).and_then(|j| b.get(j)))
            && edge(b.get(i + 10)))
        .then(|| &text[i.saturating_sub(40)..(i + 50).min(text.len())])
    })
}

/// The text a reader sees: no tags, no attributes, no scripts.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i..];
        let end = if tag.starts_with("<script") || tag.starts_with("<style") {
            let close = if tag.starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            };
            tag.find(close).map_or(tag.len(), |e| e + close.len())
        } else {
            tag.find('>').map_or(tag.len(), |e| e + 1)
        };
        out.push(' ');
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

/// One date format for readers ("3. marts 2025", "3 March 2025") on every page,
/// in every PDF and in the feed's text; ISO dates only where machines read them
/// (`<time datetime>`, sort keys, the feed's timestamps, JSON).
#[test]
fn readers_see_one_date_format_and_machines_iso() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site_with(&out, &["--drafts"]);
    let pdftotext = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let e = e.unwrap();
        let path = e.path();
        let rel = path.strip_prefix(&out).unwrap().display().to_string();
        match path.extension().and_then(|x| x.to_str()) {
            Some("html") => {
                let text = visible(&std::fs::read_to_string(path).unwrap());
                assert_eq!(iso_date(&text), None, "{rel}: an ISO date in the text");
                pages += 1;
            }
            Some("pdf") if pdftotext => {
                let run = std::process::Command::new("pdftotext")
                    .args(["-enc", "UTF-8"])
                    .arg(path)
                    .arg("-")
                    .output()
                    .unwrap();
                let text = String::from_utf8(run.stdout).unwrap();
                assert_eq!(iso_date(&text), None, "{rel}: an ISO date in the PDF");
            }
            _ => {}
        }
    }
    assert!(pages > 10, "{pages} pages");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("<time datetime=\"2025-03-03\">3. marts 2025</time>"),
        "the overview's dates"
    );
    assert!(
        index.contains("data-approved=\"2025-03-03\""),
        "sort keys stay ISO"
    );
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    for summary in feed.split("<summary>").skip(1) {
        let summary = &summary[..summary.find("</summary>").unwrap()];
        assert_eq!(iso_date(summary), None, "feed summary {summary:?}");
    }
    assert!(
        feed.contains("<updated>2025-04-07T00:00:00Z</updated>"),
        "{feed}"
    );
}
