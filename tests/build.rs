//! Integration tests of `vejviser build`: golden pages of a sample guideline
//! (tests/fixtures/build/golden, `INSTA_UPDATE=always cargo test --test build`
//! to accept a change), every recommendation, grade and Medicinrådet status of
//! every sample guideline in its quick guide, an XSS fixture, English labels,
//! errors stopping the build, warnings not stopping it, output folders, and
//! the template override folder.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-01-01";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/guidelines")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines")
}

/// Builds `file` into `out` and returns (quick guide, full page).
fn build(file: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--as-of", AS_OF])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build of {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        std::fs::read_to_string(out.join("full.html")).unwrap(),
    )
}

#[test]
fn golden_pages_of_the_sample_guideline() {
    let tmp = tempfile::tempdir().unwrap();
    let (quick, full) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        tmp.path(),
        &[],
    );
    insta::with_settings!({
        snapshot_path => "fixtures/build/golden",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("myelomatose-hdt-index.html", quick);
        insta::assert_snapshot!("myelomatose-hdt-full.html", full);
    });
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let file = fixtures().join("dmsg/myelomatose-hdt/guideline.md");
    assert_eq!(build(&file, a.path(), &[]), build(&file, b.path(), &[]));
    assert_eq!(
        std::fs::read(a.path().join("style.css")).unwrap(),
        std::fs::read(b.path().join("style.css")).unwrap()
    );
}

/// Every `guideline.md` and `archive/*.md` under `guidelines/`.
fn sample_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in std::fs::read_dir(samples()).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for g in std::fs::read_dir(&group).unwrap() {
            let g = g.unwrap().path();
            if g.join("guideline.md").is_file() {
                out.push(g.join("guideline.md"));
            }
            if let Ok(archive) = std::fs::read_dir(g.join("archive")) {
                out.extend(archive.map(|e| e.unwrap().path()));
            }
        }
    }
    out.sort();
    out
}

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

/// Every start tag in `html`: (name, [(attribute, value)]). Good enough for
/// the HTML we write (attributes are always double-quoted).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['/', '!']) {
            continue;
        }
        let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut a = tag[name_end..].trim();
        while !a.is_empty() {
            let key_end = a.find(['=', ' ']).unwrap_or(a.len());
            let key = a[..key_end].to_ascii_lowercase();
            a = a[key_end..].trim_start();
            let mut value = String::new();
            if let Some(v) = a.strip_prefix("=\"") {
                let close = v.find('"').unwrap_or(v.len());
                value = v[..close].to_string();
                a = v[(close + 1).min(v.len())..].trim_start();
            } else if let Some(v) = a.strip_prefix('=') {
                let close = v.find(' ').unwrap_or(v.len());
                value = v[..close].to_string();
                a = v[close..].trim_start();
            }
            attrs.push((key, value));
        }
        out.push((name, attrs));
    }
    out
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
        "What&#x27;s new (changelog)",
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

#[test]
fn check_errors_stop_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/fejl/guideline.md"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("VV0104"), "{err}");
    assert!(err.contains("forfatter"), "{err}");
    assert!(err.contains("not built: 1 error(s)"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn warnings_are_printed_and_the_build_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    // Past the planned update: the revision warning, and an overdue banner.
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/myelomatose-hdt/guideline.md"))
        .arg("--out")
        .arg(tmp.path())
        .args(["--as-of", "2028-06-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("warning[VV06"), "{err}");
    assert!(err.contains("with 1 warning(s)"), "{err}");
    let quick = std::fs::read_to_string(tmp.path().join("index.html")).unwrap();
    assert!(quick.contains("class=\"banner banner-overdue\""));
    assert!(quick.contains("Planlagt opdatering overskredet: 1. marts 2028"));
}

#[test]
fn default_output_folders_and_archived_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixtures().join("dmsg/myelomatose-hdt");
    let output = cargo_bin_cmd!("vejviser")
        .current_dir(tmp.path())
        .arg("build")
        .arg(&dir) // a folder means its guideline.md
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = String::from_utf8_lossy(&output.stdout);
    let base = Path::new("build/dmsg/myelomatose-hdt");
    for f in ["index.html", "full.html", "style.css"] {
        assert!(
            written.lines().any(|l| Path::new(l) == base.join(f)),
            "{written}"
        );
        assert!(tmp.path().join(base).join(f).is_file());
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join(base))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    cargo_bin_cmd!("vejviser")
        .current_dir(tmp.path())
        .arg("build")
        .arg(dir.join("archive/1.5.md"))
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    let archived = std::fs::read_to_string(tmp.path().join(base).join("1.5/index.html")).unwrap();
    assert!(archived.contains("Dette er ikke den gældende version"));
    assert!(archived.contains("<a href=\"../\">Gå til den gældende version</a>"));
    assert!(archived.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn a_templates_folder_overrides_files_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let theme = tmp.path().join("theme");
    std::fs::create_dir_all(theme.join("partials")).unwrap();
    std::fs::write(theme.join("style.css"), "/* egen stil */\n").unwrap();
    std::fs::write(
        theme.join("partials/footer.hbs"),
        "<footer class=\"egen\">{{group.name}} – {{labels.version}} {{version}}</footer>\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (quick, full) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        &out,
        &["--templates", theme.to_str().unwrap()],
    );
    for html in [&quick, &full] {
        assert!(html.contains(
            "<footer class=\"egen\">Dansk Myelomatose Studiegruppe – Version 2.0</footer>"
        ));
    }
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "/* egen stil */\n"
    );

    // A broken template is a usage error that names the file.
    std::fs::write(theme.join("quick.hbs"), "{{#each}}").unwrap();
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/myelomatose-hdt/guideline.md"))
        .arg("--out")
        .arg(&out)
        .arg("--templates")
        .arg(&theme)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("theme file quick.hbs"));
}

#[test]
fn bad_paths_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    for (arg, says) in [
        (tmp.path().join("nope.md"), "no such file or folder"),
        (tmp.path().to_path_buf(), "no guideline.md in this folder"),
    ] {
        let output = cargo_bin_cmd!("vejviser")
            .arg("build")
            .arg(&arg)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(says), "{err}");
    }
    let output = cargo_bin_cmd!("vejviser")
        .args(["build", "x.md", "--as-of", "01-01-2026"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn every_sample_builds_with_both_pages() {
    for file in sample_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (quick, full) = build(&file, tmp.path(), &[]);
        assert!(quick.contains("href=\"full.html\""), "{}", file.display());
        assert!(full.contains("href=\"index.html\""), "{}", file.display());
        // Every internal link on the full page lands on an anchor of the page.
        let ids: std::collections::BTreeSet<String> = tags(&full)
            .into_iter()
            .flat_map(|(_, a)| a.into_iter())
            .filter(|(k, _)| k == "id")
            .map(|(_, v)| v)
            .collect();
        for (name, attrs) in tags(&full) {
            if name != "a" {
                continue;
            }
            for (k, v) in attrs {
                if let Some(frag) = v.strip_prefix('#').filter(|_| k == "href") {
                    assert!(ids.contains(frag), "{}: dangling #{frag}", file.display());
                }
            }
        }
        // …and so does every link from the quick guide into the full page.
        for (_, attrs) in tags(&quick) {
            for (k, v) in attrs {
                if let Some(frag) = v.strip_prefix("full.html#").filter(|_| k == "href") {
                    assert!(
                        ids.contains(frag),
                        "{}: dangling full.html#{frag}",
                        file.display()
                    );
                }
            }
        }
    }
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
