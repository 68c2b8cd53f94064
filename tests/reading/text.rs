//! What readers are told, checked without a browser: tables that claim a sort
//! order have their rows in it, every page of a quick PDF says where the current
//! version is and which version it is, and readers see one date format (ISO only
//! where machines read).

use super::*;

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
