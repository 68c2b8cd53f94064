//! Bad and extreme guidelines still give a readable PDF and never a panic: a 1,000-row
//! changelog, a word longer than the line, an image link to a file that does not exist,
//! a heading that would land at the very bottom of a page, a guideline with no
//! references (and citations to them), and a bare draft with almost nothing in it.

use std::process::Command;

use chrono::NaiveDate;
use vejviser_model::Guideline;
use vejviser_render_pdf::*;
use vejviser_template::TemplateSet;
use vejviser_view::{GuidelineView, ViewOptions};

const FRONT: &str = r#"+++
title = "Grænsetilfælde for PDF (EKSEMPEL)"
dmcg = "DMSG"
version = "2.0"
previous_version = "1.0"
keywords = ["test"]
professional_approval = { date = 2025-03-03, by = "Dansk Myelomatose Studiegruppe" }
administrative_approval = { date = 2025-04-07, by = "SundK Retningslinjefunktionen" }
planned_update = 2028-03-01
+++
"#;

const RECOMMENDATIONS: &str = "# 2. Anbefalinger\n\n## Behandling\n\n\
    1. Patienter bør tilbydes behandling (A) ●\n\n\
    2. Opfølgning bør ske hos speciallæge (C) [merudgift]\n\n";

fn parse(md: &str) -> Guideline {
    vejviser_parse::parse("edge.md", md.as_bytes(), &TemplateSet::builtin())
        .guideline
        .expect("the edge case parses into a guideline")
}

fn view(g: &Guideline) -> GuidelineView {
    let rev = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|a| a.date),
        g.front.planned_update,
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
    );
    GuidelineView::new(
        g,
        TemplateSet::builtin().newest(),
        None,
        &rev,
        &ViewOptions::default(),
    )
}

/// Renders both PDFs, checks they are sound, and returns the full document's layout.
fn render_ok(name: &str, md: &str) -> (GuidelineView, Vec<Vec<DumpLine>>) {
    let g = parse(md);
    let v = view(&g);
    let date = creation_date(None, &g.front).unwrap();
    let (full, quick) = render_guideline_pdfs(&v, date).unwrap();
    for (kind, bytes) in [("full", &full), ("quick", &quick)] {
        assert!(bytes.starts_with(b"%PDF-1.7"), "{name} {kind}");
        assert!(bytes.ends_with(b"%%EOF\n"), "{name} {kind}");
        let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("edge-{name}-{kind}.pdf"));
        std::fs::write(&path, bytes).unwrap();
        match Command::new("qpdf").arg("--check").arg(&path).output() {
            Ok(out) => assert!(
                out.status.success(),
                "{name} {kind}: qpdf --check failed:\n{}",
                String::from_utf8_lossy(&out.stdout)
            ),
            Err(_) => eprintln!("SKIPPED: qpdf is not installed"),
        }
    }
    let pages = layout_lines(&full_document(&v, date)).unwrap();
    for (p, lines) in pages.iter().enumerate() {
        for l in lines.iter().filter(|l| !l.furniture) {
            assert!(
                l.x >= TEXT_LEFT - 0.5 && l.x + l.w <= TEXT_RIGHT + 0.5 && l.y <= TEXT_BOTTOM + 0.5,
                "{name} page {}: line outside the text area: {l:?}",
                p + 1
            );
        }
    }
    (v, pages)
}

#[test]
fn a_thousand_row_changelog_repeats_its_header_on_every_page() {
    let mut md = format!(
        "{FRONT}\n# 1. Nyt siden sidst\n\n| Kapitel | Afsnit | Beskrivelse af ændring |\n|---|---|---|\n"
    );
    for k in 1..=1000 {
        md.push_str(&format!(
            "| 2. Anbefalinger | Afsnit {k} | Ændring nummer {k}: en beskrivelse der er lang nok til at ombryde i cellen, med æ, ø og å. |\n"
        ));
    }
    md.push_str(RECOMMENDATIONS);
    md.push_str("# 5. Referencer\n\n1. En reference.\n");
    let (v, pages) = render_ok("changelog", &md);
    assert_eq!(v.changelog.len(), 1000);
    let last_row = pages
        .iter()
        .position(|p| p.iter().any(|l| l.text.contains("Ændring nummer 1000:")))
        .expect("the last row is printed");
    assert!(last_row > 20, "1,000 rows on {last_row} pages?");
    // Every page the table runs over starts with its header row.
    let first_row = pages
        .iter()
        .position(|p| p.iter().any(|l| l.text.contains("Ændring nummer 1:")))
        .unwrap();
    for (p, lines) in pages.iter().enumerate().take(last_row + 1).skip(first_row) {
        assert!(
            lines
                .iter()
                .any(|l| l.text == v.labels.changelog_description),
            "page {}: no header row",
            p + 1
        );
    }
}

#[test]
fn a_word_longer_than_the_line_is_broken_not_clipped() {
    let word = "Deoxyribonukleinsyre".repeat(20);
    let md = format!(
        "{FRONT}\n# 2. Anbefalinger\n\n## Behandling\n\n1. Brug {word} ved behov (B)\n\n\
         # 3. Introduktion\n\nTekst med {word} midt i.\n\n| Kolonne |\n|---|\n| {word} |\n\n\
         # 5. Referencer\n\n1. {word}\n"
    );
    let (_, pages) = render_ok("long-word", &md);
    let printed: String = pages
        .iter()
        .flatten()
        .filter(|l| !l.furniture)
        .map(|l| l.text.trim_end_matches('-'))
        .collect();
    // Every piece of the word is printed (four times), nothing is cut off.
    assert!(printed.matches("Deoxyribonukleinsyre").count() >= 4 * 20 - 8);
}

#[test]
fn an_image_link_to_a_missing_file_becomes_a_text_placeholder() {
    let md = format!(
        "{FRONT}\n{RECOMMENDATIONS}# 3. Introduktion\n\nSe figuren:\n\n![Figur 1: forløbet](figurer/findes-ikke.png)\n\n\
         # 5. Referencer\n\n1. En reference.\n"
    );
    let (v, pages) = render_ok("image", &md);
    let placeholder = format!("[{}: Figur 1: forløbet]", v.labels.image);
    assert!(
        pages
            .iter()
            .flatten()
            .any(|l| l.text.contains(&placeholder)),
        "no {placeholder:?}"
    );
}

#[test]
fn a_heading_never_ends_a_page() {
    // Push a section heading down line by line until it has passed the bottom of the
    // first body page: wherever it lands, text follows it on the same page.
    for n in 0..45 {
        let mut md = format!("{FRONT}\n{RECOMMENDATIONS}# 3. Introduktion\n\n");
        for k in 0..n {
            md.push_str(&format!("Linje {k} af indledningen.\n\n"));
        }
        md.push_str("## Formål\n\nFormålet er at afprøve sideskift under en overskrift, og teksten her er lang nok til at fylde et par linjer i spalten.\n\n# 5. Referencer\n\n1. En reference.\n");
        let g = parse(&md);
        let v = view(&g);
        let pages = layout_lines(&full_document(&v, Date::new(2025, 4, 7))).unwrap();
        let (p, i) = pages
            .iter()
            .enumerate()
            .find_map(|(p, lines)| {
                lines
                    .iter()
                    .position(|l| !l.furniture && l.text == "Formål")
                    .map(|i| (p, i))
            })
            .expect("heading printed");
        let after = pages[p][i + 1..].iter().filter(|l| !l.furniture).count();
        assert!(
            after > 0,
            "n = {n}: heading alone at the foot of page {}",
            p + 1
        );
    }
}

#[test]
fn a_guideline_without_references_still_renders() {
    // Chapter 5 is missing and the evidence cites references that do not exist: the
    // citations stay plain text, the PDF is produced.
    let md = format!(
        "{FRONT}\n{RECOMMENDATIONS}# 4. Evidensgrundlag\n\n## Behandling\n\n[Anbefaling 1]\n\n\
         ### Litteratur og evidensgennemgang\n\nEt studie viste effekt (1) [1b].\n"
    );
    let g = parse(&md);
    let v = view(&g);
    assert!(v.references.is_empty());
    let (bytes, stats) =
        render_with_stats(&full_document(&v, creation_date(None, &g.front).unwrap())).unwrap();
    assert!(stats.unresolved_links.is_empty(), "{stats:?}");
    assert!(bytes.len() > 1000);
    render_ok("no-references", &md);
}

#[test]
fn a_bare_draft_renders_with_watermark_and_no_recommendations() {
    let md = "+++\ntitle = \"Tomt udkast\"\ndmcg = \"UKENDT\"\nversion = \"0.1\"\n+++\n\nKun en linje uden kapitler.\n";
    let (v, pages) = render_ok("bare-draft", md);
    assert!(v.draft);
    assert!(!pages.is_empty());
    let g = parse(md);
    let doc = quick_document(&v, creation_date(None, &g.front).unwrap());
    assert_eq!(doc.watermark.as_deref(), Some(v.labels.draft));
    assert_eq!(doc.meta.creation_date, guideline::DRAFT_DATE);
}
