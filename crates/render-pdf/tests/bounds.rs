//! Hostile input costs time and memory linear in its size, and a document past the page
//! bound is refused with a clear error instead of taking the machine (issue 15, item 3).
//!
//! The time limits are generous (unoptimised test build on a shared machine); before the
//! engine was made linear, each of these inputs took from 12 s (optimised) to minutes.

mod common;
use std::time::{Duration, Instant};
use vejviser_render_pdf::*;

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        meta: Meta {
            title: "Grænser".into(),
            author: "Tester".into(),
            subject: String::new(),
            keywords: vec![],
            language: "da".into(),
            creation_date: Date::new(2025, 1, 2),
        },
        front_page: None,
        toc: true,
        blocks,
        footer: Footer {
            left: "Grænser".into(),
            right_version: "Version 1.0".into(),
        },
        status_line: None,
        watermark: None,
        labels: Labels::danish(),
    }
}

fn md(text: &str) -> Vec<Block> {
    markdown_to_blocks(
        text,
        &MdOptions {
            headings_in_toc: true,
            headings_in_outline: true,
            ..MdOptions::default()
        },
    )
}

fn timed<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    assert!(took < limit, "{what} took {took:?} (limit {limit:?})");
    out
}

#[test]
fn a_200000_character_word_is_broken_in_linear_time_and_nothing_is_lost() {
    let word: String = "abcdefghij".repeat(20_000);
    let d = doc(md(&format!("# Ord\n\nFør {word} efter.")));
    let pages = timed(Duration::from_secs(20), "200,000-character word", || {
        layout_lines(&d).unwrap()
    });
    let text: String = pages
        .iter()
        .flatten()
        .filter(|l| !l.furniture)
        .map(|l| l.text.as_str())
        .collect();
    // every character of the word is there, in order, split over lines without hyphens
    assert!(text.contains(&word), "the word lost characters");
    assert!(text.contains("Før") && text.contains("efter."));
    for l in pages.iter().flatten().filter(|l| !l.furniture) {
        assert!(
            l.x >= TEXT_LEFT - 0.5 && l.x + l.w <= TEXT_RIGHT + 0.5,
            "line outside the margins: {l:?}"
        );
    }
    let pdf = timed(Duration::from_secs(20), "its PDF", || render(&d).unwrap());
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn ten_thousand_headings_cost_linear_time_and_all_reach_the_outline() {
    let mut text = String::from("# Titel\n\n");
    for i in 0..10_000 {
        text.push_str(&format!("## Afsnit {i}\n\nTekst.\n\n"));
    }
    let d = doc(md(&text));
    let (pdf, stats) = timed(Duration::from_secs(30), "10,000 headings", || {
        render_with_stats(&d).unwrap()
    });
    assert!(
        stats.pages > 500 && stats.pages <= MAX_PAGES,
        "{}",
        stats.pages
    );
    // one outline entry per heading, the title included
    let Some(pdf) = common::expanded(&pdf) else {
        return;
    };
    let titles = pdf.matches("/Title ").count();
    assert!(titles >= 10_001, "{titles} outline titles");
}

#[test]
fn many_lists_and_tables_cost_linear_time() {
    let mut text = String::from("# Titel\n\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "- punkt {i}\n  - under {i}\n\n| a | b |\n|---|---|\n| {i} | x |\n\n"
        ));
    }
    let d = doc(md(&text));
    let pages = timed(Duration::from_secs(30), "2,000 lists and tables", || {
        layout_lines(&d).unwrap()
    });
    let lines = pages
        .iter()
        .flatten()
        .filter(|l| l.text == "punkt 1999")
        .count();
    assert_eq!(lines, 1);
}

#[test]
fn a_document_past_the_page_bound_is_refused_with_a_clear_error() {
    let mut text = String::from("# Titel\n\n");
    for i in 0..20_000 {
        text.push_str(&format!("## Afsnit {i}\n\nTekst.\n\n"));
    }
    let d = doc(md(&text));
    let err = timed(Duration::from_secs(30), "20,000 headings", || {
        render(&d).unwrap_err()
    });
    assert!(
        matches!(err, PdfError::TooManyPages { limit: MAX_PAGES }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&MAX_PAGES.to_string()) && msg.contains("pages"),
        "{msg}"
    );
    // one huge paragraph is refused too, without laying out more than the bound
    let huge = "ord ".repeat(2_000_000);
    let d = doc(md(&huge));
    let err = timed(Duration::from_secs(60), "8 MB paragraph", || {
        layout_lines(&d).unwrap_err()
    });
    assert!(matches!(err, PdfError::TooManyPages { .. }), "{err:?}");
}
