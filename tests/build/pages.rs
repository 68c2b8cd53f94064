//! What the built pages say and link to: every recommendation, grade and
//! Medicinrådet status of every sample in its quick guide, hostile Markdown
//! kept off the page, English labels, links to each recommendation's evidence,
//! and the page of changes `build` makes like `site`.

use super::*;

#[test]
fn every_recommendation_grade_and_status_is_in_the_quick_guide() {
    let templates = vejviser_template::TemplateSet::builtin();
    let files = sample_files();
    assert!(files.len() >= 5, "the samples are there: {files:?}");
    for file in files {
        let g = vejviser_parse::parse(
            &file.display().to_string(),
            &std::fs::read(&file).unwrap(),
            &templates,
        )
        .guideline
        .unwrap();
        assert!(!g.recommendations.is_empty(), "{}", file.display());
        let tmp = tempfile::tempdir().unwrap();
        let (quick, _) = build(&file, tmp.path(), &[]);
        let en = g.front.language == vejviser_model::Language::En;
        let (word, grade_word) = if en {
            ("recommendation", "Grade")
        } else {
            ("anbefaling", "Anbefalingsgrad")
        };
        // One card per recommendation, each holding its own grades and status.
        let cards: Vec<&str> = quick
            .split("<li class=\"rec")
            .skip(1)
            .map(|c| &c[..c.find("\n</li>").expect("a card ends")])
            .collect();
        assert_eq!(cards.len(), g.recommendations.len(), "{}", file.display());
        for (r, card) in g.recommendations.iter().zip(&cards) {
            let at = format!("{}: recommendation {}", file.display(), r.number);
            // The card carries the recommendation's stable id; the number
            // anchor stays, on the number.
            let id = card
                .split_once(" id=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(id, _)| id)
                .expect("the card has an id");
            assert!(
                id.len() == 8
                    && id.starts_with('r')
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{at}: stable id {id}"
            );
            assert!(
                card.contains(&format!(
                    "<p class=\"rec-number\" id=\"{word}-{}\">",
                    r.number
                )),
                "{at}: {card}"
            );
            assert!(card.contains(&format!("</span>{}</p>", r.number)), "{at}");
            let shown: Vec<String> = card
                .match_indices(&format!("title=\"{grade_word} "))
                .map(|(i, m)| card[i + m.len()..i + m.len() + 1].to_string())
                .collect();
            let written: Vec<String> = r.grades().map(|g| g.letter().to_string()).collect();
            assert_eq!(shown, written, "{at}: grades in order");
            assert!(!written.is_empty(), "{at}");
            for s in &r.statements {
                let first_word = s
                    .text
                    .split_whitespace()
                    .find(|w| w.chars().all(char::is_alphabetic));
                if let Some(w) = first_word {
                    assert!(card.contains(w), "{at}: text `{w}`");
                }
            }
            match &r.medicinraadet {
                Some(m) => {
                    let key = vejviser_view::labels::status_key(m.status);
                    let symbol = vejviser_view::labels::status_symbol(m.status);
                    let label = vejviser_view::labels::status_label(m.status, g.front.language);
                    // The words are visible text beside the symbol (not hidden for screen
                    // readers only), and the whole marker links to the legend.
                    assert!(
                        card.contains(&format!(
                            "<a class=\"mr mr-{key}\" href=\"#legend\">\
                             <span class=\"mr-symbol\" aria-hidden=\"true\">{symbol}</span> \
                             <span class=\"mr-label\">{label}</span></a>"
                        )),
                        "{at}: status {key} in words"
                    );
                    assert!(!card.contains(&format!("class=\"vh\">{label}")), "{at}");
                    assert!(quick.contains("id=\"legend\""), "{at}: legend anchor");
                    // The legend explains every status used.
                    assert!(
                        quick.contains(&format!("<dd>{label}</dd>")),
                        "{at}: legend for {key}"
                    );
                }
                None => assert!(!card.contains("class=\"mr "), "{at}"),
            }
            assert_eq!(
                r.extra_cost,
                card.contains("class=\"cost\""),
                "{at}: cost flag"
            );
        }
        // Statuses nobody used are not in the legend.
        for status in [
            vejviser_model::MedicinraadetStatus::Recommended,
            vejviser_model::MedicinraadetStatus::NotRecommended,
            vejviser_model::MedicinraadetStatus::NotAssessed,
        ] {
            let used = g
                .recommendations
                .iter()
                .any(|r| r.medicinraadet.as_ref().is_some_and(|m| m.status == status));
            let label = vejviser_view::labels::status_label(status, g.front.language);
            assert_eq!(
                quick.contains(&format!("<dd>{label}</dd>")),
                used,
                "{}: legend entry {label}",
                file.display()
            );
        }
    }
}

#[test]
fn hostile_markdown_never_reaches_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let (quick, full) = build(&fixtures().join("dmsg/xss/guideline.md"), tmp.path(), &[]);
    for (page, html) in [("index.html", &quick), ("full.html", &full)] {
        let found = tags(html);
        assert!(found.len() > 50, "{page}: the tag scanner works");
        let scripts = found.iter().filter(|(n, _)| n == "script").count();
        assert_eq!(scripts, 0, "{page}: a <script> survived");
        for (name, attrs) in &found {
            assert!(
                !["script", "iframe", "object", "embed", "svg", "style", "form", "input"]
                    .contains(&name.as_str()),
                "{page}: <{name}> survived"
            );
            for (key, value) in attrs {
                assert!(!key.starts_with("on"), "{page}: <{name} {key}=…> survived");
                assert_ne!(key, "style", "{page}: inline style on <{name}>");
                let v = value.trim().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.starts_with(scheme), "{page}: <{name} {key}=\"{value}\">");
                }
            }
        }
        // The text is still there, as text; links keep working.
        assert!(html.contains("Fjendtlig tekst &lt;script&gt;"), "{page}");
        assert!(!html.to_ascii_lowercase().contains("<script"), "{page}");
    }
    assert!(full.contains("<a href=\"https://example.org/side\" rel=\"noopener\">ekstern</a>"));
    assert!(full.contains("<a href=\"#ref-1\">1</a>"));
    assert!(full.contains("rel=\"noopener\">https://example.org/a</a>"));
    // Internal links get no rel, external ones always do.
    for (name, attrs) in tags(&full) {
        if name != "a" {
            continue;
        }
        let href = attrs
            .iter()
            .find(|(k, _)| k == "href")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let rel = attrs
            .iter()
            .any(|(k, v)| k == "rel" && v.contains("noopener"));
        if href.starts_with("http") {
            assert!(rel, "external link {href} without rel=noopener");
        }
    }
}

#[test]
fn english_guidelines_get_english_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let (quick, full) = build(
        &samples().join("dbcg/adjuvant-endocrine-therapy/guideline.md"),
        tmp.path(),
        &[],
    );
    for (page, html) in [("index.html", &quick), ("full.html", &full)] {
        assert!(html.contains("<html lang=\"en\">"), "{page}");
        for en in [
            "Clinical guideline",
            "Professional approval",
            "Planned update",
            "Legend",
            "Strength of recommendations",
            "Skip to content",
        ] {
            assert!(html.contains(en), "{page}: `{en}`");
        }
        for da in [
            "Klinisk retningslinje",
            "Faglig godkendelse",
            "Planlagt opdatering",
            "Signaturforklaring",
            "Anbefalingsgrad",
        ] {
            assert!(
                !html.contains(da),
                "{page}: Danish `{da}` on an English page"
            );
        }
    }
    assert!(quick.contains("id=\"recommendation-1\""));
    for en in [
        "Contents",
        "Keywords",
        "Levels of evidence",
        "What&#39;s new (changelog)",
        "About this clinical guideline",
        "Description of change",
        "Recommendations with significant extra cost",
    ] {
        assert!(full.contains(en), "full.html: `{en}`");
    }
    assert!(full.contains(">level 1b</a>"));

    let (quick, _) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        tmp.path(),
        &[],
    );
    assert!(quick.contains("<html lang=\"da\">"));
    assert!(quick.contains("Klinisk retningslinje"));
}

/// The `href`s of the "Se evidensgrundlaget" links of a page, in order.
fn evidence_links(html: &str) -> Vec<String> {
    html.split("class=\"rec-evidence\" href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn every_recommendation_links_to_its_own_evidence_from_both_pages() {
    for file in sample_files() {
        if file.to_string_lossy().contains("archive") {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (quick, full) = build(&file, tmp.path(), &["--no-pdf"]);
        let recs = quick.matches("class=\"rec-text\"").count();
        let from_quick = evidence_links(&quick);
        let from_full = evidence_links(&full);
        let name = file.display();
        // Each recommendation of chapter 2, on both pages, and each to its own place.
        assert_eq!(from_quick.len(), recs, "{name}: quick guide");
        assert_eq!(from_full.len(), recs, "{name}: full page");
        let mut distinct = from_full.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), recs, "{name}: shared targets {from_full:?}");
        for (q, f) in from_quick.iter().zip(&from_full) {
            assert_eq!(q, &format!("full.html{f}"), "{name}");
            let id = f.strip_prefix('#').unwrap();
            assert_eq!(
                full.matches(&format!(" id=\"{id}\"")).count(),
                1,
                "{name}: target {id} on the full page"
            );
        }
    }
}

/// The relative `href`s and `src`s of a page (no scheme, no `mailto:`).
fn relative_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let link = &rest[..end];
            let scheme = link
                .split_once(':')
                .is_some_and(|(s, _)| !s.contains('/') && !s.contains('#'));
            if !scheme && !link.starts_with('/') {
                out.push(link.replace("&amp;", "&"));
            }
        }
    }
    out
}

/// `vejviser build` makes what `vejviser site` makes for a version with a
/// previous one in archive/ (one pipeline, `vejviser_site::render_version`):
/// the page of changes in `aendringer/`, linked from both pages, the quick
/// guide's filter to new and changed recommendations, and every link of the
/// three pages lands on a file that was built (and on an element with that id).
#[test]
fn build_makes_the_change_page_and_the_filter_like_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (quick, full) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        tmp.path(),
        &[],
    );
    let changes_file = tmp.path().join("aendringer/index.html");
    let changes = std::fs::read_to_string(&changes_file).expect("the page of changes is built");
    assert!(
        changes.contains(
            "<title>Højdosisbehandling ved myelomatose (EKSEMPEL) – Ændringer siden version 1.5"
        ),
        "{changes}"
    );
    for page in [&quick, &full] {
        assert!(
            page.contains("<a href=\"aendringer/\">Ændringer siden version 1.5</a>"),
            "{page}"
        );
    }
    assert!(quick.contains("id=\"only-changes\""), "the filter");
    assert!(quick.contains("Vis kun nye og ændrede anbefalinger"));
    // The changes page names the new recommendations the quick guide has.
    assert!(
        changes.contains("href=\"../index.html#rp8nxc7p\""),
        "{changes}"
    );
    for (file, html) in [
        (tmp.path().join("index.html"), &quick),
        (tmp.path().join("full.html"), &full),
        (changes_file.clone(), &changes),
    ] {
        let links = relative_links(html);
        assert!(!links.is_empty());
        for link in links {
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                let t = file.parent().unwrap().join(path);
                if path.ends_with('/') {
                    t.join("index.html")
                } else {
                    t
                }
            };
            assert!(
                target.is_file(),
                "{}: {link} → {} is not built",
                file.display(),
                target.display()
            );
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let t = std::fs::read_to_string(&target).unwrap();
                assert!(
                    t.contains(&format!("id=\"{fragment}\"")),
                    "{}: {link}: no id {fragment} in {}",
                    file.display(),
                    target.display()
                );
            }
        }
    }
    // Without a previous version there is no page of changes and no filter.
    let plain = tempfile::tempdir().unwrap();
    let (quick, _) = build(
        &samples().join("dlcg/sbrt-tidligt-stadie-nsclc/guideline.md"),
        plain.path(),
        &["--no-pdf"],
    );
    assert!(!plain.path().join("aendringer").exists());
    assert!(!quick.contains("only-changes"));
}
