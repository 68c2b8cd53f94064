//! In headless Chromium (`tests/a11y/layout.js`): every quick guide's first
//! recommendation on a phone's first screen below its banners, the Status and
//! changelog columns inside the window at every width, and the search page's
//! hits and excerpts.

use super::*;

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
