//! What the author wrote reads the same on the web pages and in the PDFs
//! (issue 13): every recommendation and every paragraph of prose on the full
//! page is in the full PDF, in the same order, with the same words, grades,
//! citations and formulas; the quick guide and its PDF carry the same
//! recommendations as the full page; and no Markdown or LaTeX source (`$`,
//! `\geq`, `^{`, `**`) leaks into either.
//!
//! Runs on the sample guidelines and on `tests/fixtures/fidelity`, a guideline
//! written to provoke the old differences (inline formulas, a code span that
//! looks like a citation, emphasis around a grade, raw HTML). Set
//! `VEJVISER_FIDELITY_GUIDELINES=DIR` (and `VEJVISER_FIDELITY_AS_OF=DATE`,
//! default 2026-12-01) to run it on another tree as well, e.g. the generated
//! national corpus (see README).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn have_pdftotext() -> bool {
    let ok = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !ok {
        assert!(
            std::env::var_os("VEJVISER_REQUIRE_BROWSER").is_none(),
            "pdftotext (poppler-utils) is required"
        );
        eprintln!("SKIPPED: pdftotext (poppler-utils) not installed");
    }
    ok
}

/// The text of a PDF's text area (A4, inside the top and bottom margins), so
/// running heads and footers do not cut a sentence that runs over a page break.
fn pdf_text(file: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args([
            "-enc", "UTF-8", "-x", "0", "-y", "70", "-W", "596", "-H", "710",
        ])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", file.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The visible text of an HTML fragment: tags (and their attributes, such as
/// MathML's `alttext`) dropped, entities decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What must match between outputs: letters, digits and the signs that carry
/// clinical meaning; spacing, line breaks, hyphenation and punctuation do
/// not. Superscript digits read as digits (`10⁻⁵` and MathML's `10−5` agree).
fn key(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '⁰' => Some('0'),
            '¹' => Some('1'),
            '²' => Some('2'),
            '³' => Some('3'),
            '⁴' => Some('4'),
            '⁵' => Some('5'),
            '⁶' => Some('6'),
            '⁷' => Some('7'),
            '⁸' => Some('8'),
            '⁹' => Some('9'),
            '≥' | '≤' | '<' | '>' | '=' | '%' | '±' | '×' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The inner HTML of every element that opens with `open` (e.g.
/// `<p class="rec-text">`), up to the matching `close` tag. Elements of one
/// kind in our pages never nest, so the first `close` ends each.
fn elements<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        let body = &rest[at + open.len()..];
        let end = body.find(close).expect("closed element");
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// Every plain paragraph of the page's main content, in page order: what the
/// author wrote in the chapters, evidence and appendices, and the template's
/// own text (chapter 9, the cost appendix's lead).
fn prose_paragraphs(html: &str) -> Vec<String> {
    let main = &html[html.find("<main").expect("<main>")..html.find("</main>").expect("</main>")];
    // A banner's link ("Gå til den gældende version") is the page's navigation;
    // its words are the PDF's too.
    let mut main = main.to_string();
    for banner in elements(&main.clone(), "<div class=\"banner", "</div>") {
        let without_links = elements(banner, "<a ", "</a>")
            .into_iter()
            .fold(banner.to_string(), |b, a| {
                b.replace(&format!("<a {a}</a>"), "")
            });
        main = main.replace(banner, &without_links);
    }
    elements(&main, "<p>", "</p>")
        .into_iter()
        .map(visible)
        .collect()
}

fn rec_texts(html: &str) -> Vec<String> {
    elements(html, "<p class=\"rec-text\">", "</p>")
        .into_iter()
        .map(visible)
        .collect()
}

/// Each of `needles` occurs in `pdf` after the one before.
fn in_order(what: &str, pdf: &str, needles: &[String]) {
    let hay = key(pdf);
    let mut at = 0;
    for n in needles {
        let k = key(n);
        if k.is_empty() {
            continue;
        }
        match hay[at..].find(&k) {
            Some(i) => at += i + k.len(),
            None => panic!(
                "{what}: the page says\n  {n}\nbut the PDF does not, in this order (anywhere: {})",
                hay.contains(&k)
            ),
        }
    }
}

fn no_source_leaks(what: &str, text: &str) {
    for leak in ["$", "\\geq", "\\leq", "^{", "_{", "\\%", "**", "\\frac"] {
        assert!(
            !text.contains(leak),
            "{what}: author source {leak:?} is shown as text:\n{}",
            text.lines()
                .filter(|l| l.contains(leak))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The paragraphs of plain prose in a source file (not headings, lists,
/// tables, quotes, recommendation lines or code), each joined into one line.
fn source_paragraphs(md: &str) -> Vec<String> {
    let body = md.splitn(3, "+++").nth(2).unwrap_or(md);
    let mut out = Vec::new();
    let mut para = String::new();
    let mut in_code = false;
    for line in body.lines().chain(std::iter::once("")) {
        let t = line.trim_start();
        if t.starts_with("```") {
            in_code = !in_code;
        }
        let plain = !in_code
            && !t.is_empty()
            && !line.starts_with(' ')
            && !t.starts_with(['#', '|', '-', '*', '>', '[', '`', '<'])
            && t.split_once(". ")
                .is_none_or(|(n, _)| n.parse::<u32>().is_err())
            && !t.starts_with(|c: char| c.is_ascii_digit() && t.contains(". "));
        if plain && (!para.is_empty() || !t.starts_with("**")) {
            para.push_str(t);
            para.push(' ');
        } else if !para.is_empty() {
            out.push(std::mem::take(&mut para));
        }
    }
    out
}

/// What a paragraph says, for comparing the source with the page: links read
/// as their text, short bracketed groups (levels `[1b]`, shown as "[niveau 1b]")
/// left out.
fn words_of(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(']') {
            // [text](url): the text
            Some(j) if after[j + 1..].starts_with('(') && after[j..].contains(')') => {
                out.push_str(&after[..j]);
                let close = after[j..].find(')').unwrap();
                rest = &after[j + close + 1..];
            }
            // [1b], [niveau 1b]
            Some(j) if j <= 30 => rest = &after[j + 1..],
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    key(&out)
}

/// Builds every guideline under `root` and checks each folder's pages against its PDFs.
fn check_tree(root: &Path, as_of: &str) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    Command::cargo_bin("vejviser")
        .unwrap()
        .args(["site", "--as-of", as_of, "--keep-going", "--guidelines"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_name() != "full.html" {
            continue;
        }
        let dir = entry.path().parent().unwrap();
        let what = dir.strip_prefix(&out).unwrap().display().to_string();
        let pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        // An archived or withdrawn version has no quick guide of its own: its
        // index.html points to chapter 2 of the full page (docs/site.md).
        let quick_pdf = pdfs
            .iter()
            .find(|p| p.to_string_lossy().ends_with("-quick.pdf"));
        let full_pdf = pdfs
            .iter()
            .find(|p| !p.to_string_lossy().ends_with("-quick.pdf"))
            .unwrap_or_else(|| panic!("{what}: no full PDF"));
        let full = std::fs::read_to_string(dir.join("full.html")).unwrap();
        // Every paragraph of prose in the source is on the page, in order.
        // guideline.json names the source the folder was made from (an archived
        // version is published at the guideline's address when the newer one is a draft).
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("guideline.json")).unwrap())
                .unwrap();
        let source = root.join(json["source"].as_str().expect("guideline.json source"));
        let md = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let page_words = words_of(&prose_paragraphs(&full).join(" "));
        let mut at = 0;
        let paragraphs = source_paragraphs(&md);
        assert!(
            paragraphs.len() >= 10,
            "{what}: {} paragraphs",
            paragraphs.len()
        );
        for p in paragraphs {
            if p.contains('$') {
                continue; // formulas: the provoking fixture's own test
            }
            let k = words_of(&p);
            match page_words[at..].find(&k) {
                Some(i) => at += i + k.len(),
                None => panic!(
                    "{what}: the source says\n  {p}\nbut the full page does not, in this order (anywhere: {})",
                    page_words.contains(&k)
                ),
            }
        }
        let quick = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let full_pdf = pdf_text(full_pdf);
        let full_recs = rec_texts(&full);
        let Some(quick_pdf) = quick_pdf else {
            // The pointer page names chapter 2 of the full page, and the full page
            // and full PDF hold every recommendation.
            assert!(
                quick.contains("href=\"full.html#anbefalinger\"")
                    || quick.contains("href=\"full.html#recommendations\""),
                "{what}: index.html without a quick guide does not point to chapter 2"
            );
            let n = json["recommendations"].as_array().map_or(0, |r| r.len());
            assert!(n > 0 && full_recs.len() >= n, "{what}: recommendations");
            in_order(
                &format!("{what} full PDF (recommendations)"),
                &full_pdf,
                &full_recs[..n],
            );
            in_order(
                &format!("{what} full PDF (prose)"),
                &full_pdf,
                &prose_paragraphs(&full),
            );
            for (name, text) in [
                ("full page", visible(&full)),
                ("full PDF", full_pdf.clone()),
            ] {
                no_source_leaks(&format!("{what} {name}"), &text);
            }
            checked += 1;
            continue;
        };
        let quick_pdf = pdf_text(quick_pdf);
        let quick_recs = rec_texts(&quick);
        assert!(!quick_recs.is_empty(), "{what}: no recommendations");
        // The quick guide's recommendations are the full page's chapter 2, word for word.
        assert_eq!(
            quick_recs.iter().map(|r| key(r)).collect::<Vec<_>>(),
            full_recs[..quick_recs.len()]
                .iter()
                .map(|r| key(r))
                .collect::<Vec<_>>(),
            "{what}: quick guide and full page differ"
        );
        in_order(&format!("{what} quick guide PDF"), &quick_pdf, &quick_recs);
        in_order(
            &format!("{what} full PDF (recommendations)"),
            &full_pdf,
            &quick_recs,
        );
        in_order(
            &format!("{what} full PDF (prose)"),
            &full_pdf,
            &prose_paragraphs(&full),
        );
        for (name, text) in [
            ("quick guide page", visible(&quick)),
            ("full page", visible(&full)),
            ("quick guide PDF", quick_pdf.clone()),
            ("full PDF", full_pdf.clone()),
        ] {
            no_source_leaks(&format!("{what} {name}"), &text);
        }
        checked += 1;
    }
    checked
}

#[test]
fn pages_and_pdfs_say_the_same_for_the_samples_and_the_provoking_fixture() {
    if !have_pdftotext() {
        return;
    }
    let n = check_tree(&repo().join("guidelines"), "2026-01-01");
    assert!(n >= 4, "only {n} guideline folders built from guidelines/");
    assert_eq!(
        check_tree(
            &repo().join("tests/fixtures/fidelity/guidelines"),
            "2026-01-01"
        ),
        1
    );
    if let Some(dir) = std::env::var_os("VEJVISER_FIDELITY_GUIDELINES") {
        let as_of = std::env::var("VEJVISER_FIDELITY_AS_OF").unwrap_or("2026-12-01".into());
        let n = check_tree(Path::new(&dir), &as_of);
        eprintln!("{n} guideline folders: pages and PDFs agree");
        assert!(n > 0);
    }
}

#[test]
fn formulas_code_and_emphasis_read_as_written_in_every_output() {
    if !have_pdftotext() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("vejviser")
        .unwrap()
        .current_dir(repo())
        .args([
            "build",
            "tests/fixtures/fidelity/guidelines/dmsg/myelomatose-mrd",
            "--as-of",
            "2026-01-01",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let full = std::fs::read_to_string(out.join("full.html")).unwrap();
    let pdf = pdf_text(&out.join("myelomatose-mrd-2.0.pdf"));
    let page = visible(&full);
    assert!(prose_paragraphs(&full).len() > 50);
    for (name, text) in [("full page", &page), ("full PDF", &pdf)] {
        let k = key(text);
        // $PS \geq 2$, MRD $\geq 10^{-5}$, $P < 0,001$, MRD $\geq 0,07\%$.
        for want in ["PS≥2", "MRD≥105", "P<0001", "MRD≥007%"] {
            assert!(k.contains(want), "{name}: {want} missing");
        }
        // A code span is shown as written, never as a citation.
        assert!(
            text.contains("dosis (7)"),
            "{name}: the code span `dosis (7)` is not shown as written"
        );
        // Raw HTML is shown as the text it is, the same in both.
        assert!(text.contains("\"<div>x</div>\""), "{name}: raw HTML");
        // Emphasis around a grade: no stray asterisks, both grades read (B) and (C).
        assert!(
            text.replace('\n', " ")
                .contains("ældre patienter (B) og patienter med nyresvigt (C)"),
            "{name}: emphasis around a grade"
        );
    }
    // On the page the code span is code, the emphasis is emphasis, the formula MathML.
    assert!(full.contains("<code>dosis (7)</code>"));
    assert!(full.contains("<em>ældre patienter "));
    assert!(
        full.contains("<math alttext=\"PS ≥ 2\""),
        "no MathML for PS ≥ 2"
    );
    assert!(!full.contains("<div>x"), "raw HTML became markup");
    // A grade copies as "(A)", not "(Anbefalingsgrad A)A".
    assert!(!page.contains("Anbefalingsgrad A)A"));
}
