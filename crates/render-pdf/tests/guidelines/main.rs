//! The PDFs of every sample guideline in `guidelines/`, checked the way readers, printers
//! and the archive use them: the text comes out in reading order with grades, legend and
//! references; nothing is outside the page; the files pass `qpdf --check`, embed every
//! font and are byte-identical on every render; the layout of one sample is pinned by a
//! golden file (`UPDATE_GOLDEN=1` regenerates it).
//!
//! Checks that need poppler-utils or qpdf print `SKIPPED` and pass when the tool is missing.

#[path = "../common/mod.rs"]
mod common;
mod extract;
use common::{as_of, repo, samples, view_of};
use extract::*;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use vejviser_model::{ChapterRole, Guideline};
use vejviser_render_pdf::*;
use vejviser_template::TemplateSet;
use vejviser_view::{GuidelineView, ViewOptions};

#[test]
fn full_pdf_text_is_complete_and_in_reading_order() {
    if !tool("pdftotext") {
        return;
    }
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        let bytes = render(&full_document(&v, date_of(&g))).unwrap();
        let file = write_tmp(&format!("{name}-full.pdf"), &bytes);
        let text = reading_text(&file);
        // The front page's title, then the body chapter by chapter (the contents list
        // the chapters first, in whatever order pdftotext reads the dotted leaders).
        let mut needles = vec![("title".to_string(), v.title.clone())];
        for ch in &v.chapters {
            needles.push((
                format!("chapter {}", ch.number),
                format!("{} {}", ch.number, ch.title),
            ));
            match ch.role {
                ChapterRole::Recommendations => {
                    needles.extend(recommendation_needles(&v));
                    needles.extend(legend_needles(&v));
                }
                ChapterRole::References => {
                    for r in &v.references {
                        needles.push((format!("reference {}", r.number), plain(&r.markdown)));
                    }
                }
                _ => {}
            }
        }
        assert_in_order(&name, &text, &needles);

        // Danish letters and symbols come out as themselves, not as look-alikes.
        for word in v.title.split_whitespace() {
            assert!(text.contains(word), "{name}: title word {word:?} mangled");
        }
        if v.lang == "da" {
            for c in ["æ", "ø", "å"] {
                assert!(text.contains(c), "{name}: {c} missing");
            }
        }
        for r in &v.references {
            // Reference text with its Danish letters (e.g. "Mørch", "årsrapport").
            for word in plain(&r.markdown)
                .split_whitespace()
                .filter(|w| !w.is_ascii())
            {
                let w = word.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(text.contains(w), "{name}: reference word {w:?} mangled");
            }
        }
    }
}

#[test]
fn quick_guide_has_every_recommendation_and_the_legend_on_two_pages_at_most() {
    let pdftotext_ok = tool("pdftotext");
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        let doc = quick_document(&v, date_of(&g));
        let (bytes, stats) = render_with_stats(&doc).unwrap();
        assert!(
            stats.pages <= 2,
            "{name}: quick guide has {} pages",
            stats.pages
        );
        assert!(stats.unresolved_links.is_empty(), "{name}: {stats:?}");
        assert!(stats.replaced_chars.is_empty(), "{name}: {stats:?}");
        if !pdftotext_ok {
            continue;
        }
        // Every status links to the legend that explains it.
        let statuses = v
            .recommendations()
            .filter(|r| r.medicinraadet.is_some())
            .count();
        if let Some(raw) = common::expanded(&bytes) {
            let internal_links =
                raw.matches("/Subtype /Link").count() - raw.matches("/S /URI").count();
            assert!(
                internal_links >= statuses,
                "{name}: {internal_links} internal links for {statuses} statuses"
            );
        }
        let file = write_tmp(&format!("{name}-quick.pdf"), &bytes);
        let text = reading_text(&file);
        let mut needles = vec![("title".to_string(), v.title.clone())];
        needles.extend(recommendation_needles(&v));
        needles.extend(legend_needles(&v));
        assert_in_order(&format!("{name} (quick)"), &text, &needles);
    }
}

#[test]
fn every_link_resolves_and_every_character_is_in_the_fonts() {
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        let (bytes, stats) = render_with_stats(&full_document(&v, date_of(&g))).unwrap();
        assert!(
            stats.unresolved_links.is_empty(),
            "{name}: links to nowhere: {:?}",
            stats.unresolved_links
        );
        assert!(
            stats.replaced_chars.is_empty(),
            "{name}: characters the fonts lack: {:?}",
            stats.replaced_chars
        );
        assert!(
            bytes.len() < 300_000,
            "{name}: {} bytes is over the 300 KB budget",
            bytes.len()
        );
        // Citations are links into the reference list: at least one link annotation
        // with an internal destination per citation link the view wrote.
        let mut citations = 0usize;
        for b in v.evidence.iter().flat_map(|t| &t.blocks) {
            for blocks in std::iter::once(&b.lead_content).chain(b.parts.iter().map(|p| &p.content))
            {
                vejviser_model::content::Block::for_each_inlines(blocks, &mut |inl| {
                    vejviser_model::content::walk_inlines(inl, &mut |i| {
                        if let vejviser_model::content::Inline::Citation(c) = i {
                            citations += c
                                .references
                                .iter()
                                .filter(|n| v.reference_numbers.contains(n))
                                .count()
                                .min(1);
                        }
                    })
                });
            }
        }
        let Some(raw) = common::expanded(&bytes) else {
            continue;
        };
        let internal_links = raw.matches("/Subtype /Link").count() - raw.matches("/S /URI").count();
        assert!(
            internal_links >= citations,
            "{name}: {internal_links} internal links for {citations} citations"
        );
        if !v.references.is_empty() {
            assert!(citations > 0, "{name}: no citation became a link");
        }
    }
}

#[test]
fn nothing_is_outside_the_text_area_or_the_page() {
    let pdftotext_ok = tool("pdftotext");
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        for (kind, doc) in [
            ("full", full_document(&v, date_of(&g))),
            ("quick", quick_document(&v, date_of(&g))),
        ] {
            let pages = layout_lines(&doc).unwrap();
            for (p, lines) in pages.iter().enumerate() {
                for l in lines {
                    let (left, right, bottom) = if l.furniture {
                        (0.0, 595.28, PAGE_HEIGHT)
                    } else {
                        (TEXT_LEFT, TEXT_RIGHT, TEXT_BOTTOM)
                    };
                    assert!(
                        l.x >= left - 0.5 && l.x + l.w <= right + 0.5 && l.y <= bottom + 0.5,
                        "{name} {kind} page {}: line outside the text area: {l:?}",
                        p + 1
                    );
                }
            }
            if !pdftotext_ok {
                continue;
            }
            // The same, as a PDF reader sees it: every word's box inside the page box.
            let file = write_tmp(&format!("{name}-{kind}-bbox.pdf"), &render(&doc).unwrap());
            let mut words = 0;
            for (p, page) in bbox_words(&file).iter().enumerate() {
                for w in page {
                    words += 1;
                    let at = format!("{name} {kind} page {} word {:?}", p + 1, w.text);
                    assert!(
                        w.x0 >= 0.0 && w.y0 >= 0.0 && w.x1 <= 595.28 && w.y1 <= 841.89,
                        "{at}: outside the page box"
                    );
                    // Text stays inside the margins (a little glyph overhang allowed);
                    // only the diagonal draft watermark crosses them.
                    if !w.is_watermark() {
                        assert!(
                            w.x0 >= TEXT_LEFT - 2.0 && w.x1 <= TEXT_RIGHT + 2.0,
                            "{at}: in the margin ({} – {})",
                            w.x0,
                            w.x1
                        );
                    }
                }
            }
            assert!(words > 100, "{name} {kind}: only {words} words extracted");
        }
    }
}

#[test]
fn qpdf_check_passes_and_every_font_is_embedded() {
    let (qpdf, pdffonts) = (tool("qpdf"), tool("pdffonts"));
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        let (full, quick) = render_guideline_pdfs(&v, date_of(&g)).unwrap();
        for (kind, bytes) in [("full", full), ("quick", quick)] {
            let file = write_tmp(&format!("{name}-{kind}-check.pdf"), &bytes);
            if qpdf {
                let (ok, out) = run("qpdf", &["--check"], &file);
                assert!(
                    ok && out.contains("No syntax or stream encoding errors"),
                    "{name} {kind}: qpdf --check failed:\n{out}"
                );
            }
            if pdffonts {
                let (ok, out) = run("pdffonts", &[], &file);
                assert!(ok, "{out}");
                let rows: Vec<&str> = out.lines().skip(2).filter(|l| !l.is_empty()).collect();
                assert!(rows.len() >= 2, "{name} {kind}: {out}");
                for r in rows {
                    let cols: Vec<&str> = r.split_whitespace().collect();
                    let n = cols.len();
                    assert_eq!(cols[n - 5], "yes", "{name} {kind}: not embedded: {r}");
                }
            }
        }
    }
}

#[test]
fn metadata_outline_footer_status_and_watermark() {
    let pdfinfo = tool("pdfinfo");
    let pdftotext_ok = tool("pdftotext");
    for path in samples() {
        let (g, v) = load(&path);
        let name = name_of(&path);
        let date = date_of(&g);
        let doc = full_document(&v, date);
        assert_eq!(doc.meta.title, v.title);
        assert_eq!(doc.meta.author, v.group.name);
        assert_eq!(doc.meta.language, v.lang);
        assert_eq!(doc.meta.keywords, v.keywords);
        let bytes = render(&doc).unwrap();
        if let Some(raw) = common::expanded(&bytes) {
            assert!(
                raw.contains(&format!("/Lang ({})", v.lang)),
                "{name}: no /Lang"
            );
            assert!(raw.contains("/Outlines"), "{name}: no outline");
        }

        let pages = layout_lines(&doc).unwrap();
        let m = pages.len();
        for (k, lines) in pages.iter().enumerate().skip(1) {
            let page_of = v.page_of(k + 1, m);
            let furniture: Vec<&str> = lines
                .iter()
                .filter(|l| l.furniture)
                .map(|l| l.text.as_str())
                .collect();
            assert!(
                furniture.iter().any(|t| t.ends_with(&page_of)
                    && t.contains(&format!("{} {}", v.labels.version, v.version))),
                "{name} page {}: no footer with {page_of:?}: {furniture:?}",
                k + 1
            );
        }
        // The short status line (never cut) heads every page of an overdue,
        // expired or archived guideline.
        if let Some(s) = &v.status_line {
            for (k, lines) in pages.iter().enumerate() {
                assert!(
                    lines.iter().any(|l| l.furniture && l.text == *s),
                    "{name} page {}: no status line",
                    k + 1
                );
            }
        }
        if v.draft {
            assert_eq!(doc.watermark.as_deref(), Some(v.labels.draft));
            if pdftotext_ok {
                let file = write_tmp(&format!("{name}-draft.pdf"), &bytes);
                let pages = bbox_words(&file);
                assert_eq!(pages.len(), m);
                for (k, words) in pages.iter().enumerate() {
                    // The rotated word comes out in pieces; put them back in order.
                    let mut pieces: Vec<&Word> =
                        words.iter().filter(|w| w.is_watermark()).collect();
                    pieces.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                    let mark: String = pieces.iter().map(|w| w.text.as_str()).collect();
                    assert_eq!(mark, v.labels.draft, "{name} page {}: no watermark", k + 1);
                }
            }
        } else {
            assert!(doc.watermark.is_none());
        }
        if pdfinfo {
            let (ok, info) = run(
                "pdfinfo",
                &[],
                &write_tmp(&format!("{name}-info.pdf"), &bytes),
            );
            assert!(ok, "{info}");
            let field = |k: &str| {
                info.lines()
                    .find_map(|l| {
                        l.strip_prefix(&format!("{k}:"))
                            .map(|v| v.trim().to_string())
                    })
                    .unwrap_or_default()
            };
            assert_eq!(field("Title"), v.title, "{name}");
            assert_eq!(field("Author"), v.group.name, "{name}");
            assert_eq!(field("Keywords"), v.keywords.join(", "), "{name}");
            assert!(field("Subject").contains(&v.version), "{name}");
            assert!(
                field("CreationDate").contains(&date.year.to_string()),
                "{name}: {}",
                field("CreationDate")
            );
        }
    }
}

#[test]
fn same_input_gives_byte_identical_pdfs() {
    for path in samples() {
        let (g, v) = load(&path);
        let a = render_guideline_pdfs(&v, date_of(&g)).unwrap();
        // A fresh parse and view, rendered on another thread, too.
        let path2 = path.clone();
        let b = std::thread::spawn(move || {
            let (g, v) = load(&path2);
            render_guideline_pdfs(&v, date_of(&g)).unwrap()
        })
        .join()
        .unwrap();
        assert!(
            a.0 == b.0,
            "{}: full PDF differs between renders",
            path.display()
        );
        assert!(
            a.1 == b.1,
            "{}: quick PDF differs between renders",
            path.display()
        );
    }
}

#[test]
fn creation_date_comes_from_source_date_epoch_or_the_approvals() {
    let (g, _) = load(&repo().join("guidelines/dmsg/myelomatose-hdt/guideline.md"));
    // Administrative approval 2025-04-07.
    assert_eq!(
        creation_date(None, &g.front).unwrap(),
        Date::new(2025, 4, 7)
    );
    assert_eq!(
        creation_date(Some("1700000000"), &g.front).unwrap(),
        Date::new(2023, 11, 14)
    );
    assert!(creation_date(Some("i går"), &g.front).is_err());
    let mut front = g.front.clone();
    front.administrative_approval = None;
    assert_eq!(creation_date(None, &front).unwrap(), Date::new(2025, 3, 3));
    front.professional_approval = None;
    assert_eq!(creation_date(None, &front).unwrap(), guideline::DRAFT_DATE);
    // The date is what the PDF says.
    let v = view_of(&g, Path::new("guideline.md"));
    let a = render(&full_document(&v, Date::new(2023, 11, 14))).unwrap();
    assert!(String::from_utf8_lossy(&a).contains("/CreationDate(D:20231114"));
}

#[test]
fn golden_layout_of_the_myeloma_guideline() {
    let (g, v) = load(&repo().join("guidelines/dmsg/myelomatose-hdt/guideline.md"));
    let actual = layout_dump(&full_document(&v, date_of(&g)));
    common::golden("myelomatose-hdt-full.txt", "the myeloma guideline", &actual);
}

/// The text of each page, as pdftotext gives it (pages end with a form feed).
fn page_texts(file: &Path) -> Vec<String> {
    let text = pdftotext(file, &[]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn archived_and_expired_pdfs_say_so_on_every_page_in_full() {
    if !tool("pdftotext") {
        return;
    }
    let path = repo().join("guidelines/dmsg/myelomatose-hdt/archive/1.5.md");
    let g = parse("1.5.md", &std::fs::read_to_string(&path).unwrap());
    let templates = TemplateSet::builtin();
    let template = templates
        .get(&g.template)
        .unwrap_or_else(|| templates.newest());
    let view = |as_of: NaiveDate, opts: &ViewOptions| {
        let rev = vejviser_revision::revision(
            g.front.professional_approval.as_ref().map(|a| a.date),
            g.front.planned_update,
            as_of,
            vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
        );
        GuidelineView::new(&g, template, None, &rev, opts)
    };
    // An archived version replaced by 2.0: every page of both PDFs says so, and the
    // full PDF's front page too.
    let archived = view(
        as_of(),
        &ViewOptions {
            archived: true,
            replaced_by: Some(vejviser_view::VersionLink {
                version: "2.0".into(),
                href: "../".into(),
                professional_approval: NaiveDate::from_ymd_opt(2025, 3, 3),
            }),
            ..ViewOptions::default()
        },
    );
    let notice = "Dette er ikke den gældende version – erstattet af version 2.0 (3. marts 2025)";
    assert_eq!(archived.archive_notice.as_deref(), Some(notice));
    for (kind, doc) in [
        ("full", full_document(&archived, date_of(&g))),
        ("quick", quick_document(&archived, date_of(&g))),
    ] {
        let file = write_tmp(&format!("archived-1.5-{kind}.pdf"), &render(&doc).unwrap());
        let pages = page_texts(&file);
        assert!(!pages.is_empty());
        for (i, p) in pages.iter().enumerate() {
            assert!(
                p.contains(notice),
                "{kind} page {}: no archive notice:\n{p}",
                i + 1
            );
        }
    }
    // An expired guideline: the running head is whole on every page, never cut.
    let expired = view(
        NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(),
        &ViewOptions::default(),
    );
    assert_eq!(expired.status, "expired");
    let line = expired
        .status_line
        .clone()
        .expect("an expired guideline has a status line");
    for (kind, doc) in [
        ("full", full_document(&expired, date_of(&g))),
        ("quick", quick_document(&expired, date_of(&g))),
    ] {
        let file = write_tmp(&format!("expired-1.5-{kind}.pdf"), &render(&doc).unwrap());
        for (i, p) in page_texts(&file).iter().enumerate() {
            assert!(
                p.contains(&line),
                "{kind} page {}: status line {line:?} cut:\n{p}",
                i + 1
            );
            assert!(!p.contains('…'), "{kind} page {}: something was cut", i + 1);
        }
    }
}
