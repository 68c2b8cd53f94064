//! Layout and rendering behaviour, checked on positions from `layout_lines`/`layout_dump`.

mod common;
use vejviser_render_pdf::sample::{sample_document, SampleSize};
use vejviser_render_pdf::*;

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        meta: Meta {
            title: "Test".into(),
            author: "Tester".into(),
            subject: "Emne".into(),
            keywords: vec!["a".into(), "b".into()],
            language: "da".into(),
            creation_date: Date::new(2025, 1, 2),
        },
        front_page: None,
        toc: false,
        blocks,
        footer: Footer {
            left: "Test".into(),
            right_version: "Version 1.0".into(),
        },
        status_line: None,
        watermark: None,
        labels: Labels::danish(),
    }
}

fn p(text: &str) -> Block {
    Block::Paragraph(vec![Inline::text(text)])
}

fn content(pages: &[Vec<DumpLine>]) -> Vec<(usize, &DumpLine)> {
    pages
        .iter()
        .enumerate()
        .flat_map(|(k, ls)| ls.iter().filter(|l| !l.furniture).map(move |l| (k, l)))
        .collect()
}

fn assert_inside_margins(pages: &[Vec<DumpLine>]) {
    for (k, l) in content(pages) {
        assert!(
            l.x >= TEXT_LEFT - 0.5 && l.x + l.w <= TEXT_RIGHT + 0.5,
            "page {} line {:?} outside the margins ({TEXT_LEFT}..{TEXT_RIGHT})",
            k + 1,
            l
        );
        assert!(
            l.y <= TEXT_BOTTOM + 0.5,
            "page {} line {:?} below the text area",
            k + 1,
            l
        );
    }
}

#[test]
fn long_word_is_broken_inside_the_margin() {
    let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(8);
    let d = doc(vec![
        p(&format!("Kort start {word} og slut.")),
        Block::Table {
            header: vec![vec![Inline::text("A")], vec![Inline::text("B")]],
            rows: vec![vec![
                vec![Inline::text(word.clone())],
                vec![Inline::text("x")],
            ]],
            widths: None,
        },
        Block::Code(word.clone()),
    ]);
    let pages = layout_lines(&d).unwrap();
    assert_inside_margins(&pages);
    let all: String = content(&pages)
        .iter()
        .map(|(_, l)| l.text.as_str())
        .collect();
    // no character lost
    assert_eq!(all.matches("Pneumono").count(), 8 * 3);
    assert!(content(&pages).len() > 6);
}

#[test]
fn danish_hyphenation_breaks_long_compounds() {
    let d = doc(vec![p(
        &"Knoglemarvstransplantationsbehandlingsmuligheder ".repeat(30),
    )]);
    let dump = layout_dump(&d);
    assert!(dump.lines().any(|l| l.ends_with('-')), "{dump}");
    assert_inside_margins(&layout_lines(&d).unwrap());
}

#[test]
fn thousand_row_table_repeats_its_header_on_every_page() {
    let rows: Vec<Vec<Vec<Inline>>> = (0..1000)
        .map(|r| {
            vec![
                vec![Inline::Text(format!("Række {r}"))],
                vec![Inline::Text(format!("{} mg ± {}", r * 3, r % 5))],
                vec![Inline::text("Lidt tekst der kan ombrydes i cellen")],
            ]
        })
        .collect();
    let d = doc(vec![
        p("Indledning."),
        Block::Table {
            header: vec![
                vec![Inline::text("Kolonne Et")],
                vec![Inline::text("Kolonne To")],
                vec![Inline::text("Kolonne Tre")],
            ],
            rows,
            widths: None,
        },
        p("Efter tabellen."),
    ]);
    let pages = layout_lines(&d).unwrap();
    assert!(pages.len() > 20, "{} pages", pages.len());
    let mut table_pages = 0;
    for (k, lines) in pages.iter().enumerate() {
        let has_rows = lines.iter().any(|l| l.text.starts_with("Række "));
        if !has_rows {
            continue;
        }
        table_pages += 1;
        let header = lines
            .iter()
            .filter(|l| !l.furniture)
            .position(|l| l.text == "Kolonne Et")
            .unwrap_or_else(|| panic!("page {} has rows but no header", k + 1));
        let first_row = lines
            .iter()
            .filter(|l| !l.furniture)
            .position(|l| l.text.starts_with("Række "))
            .unwrap();
        assert!(header < first_row, "header after rows on page {}", k + 1);
    }
    assert!(table_pages >= 20);
    // every row is there exactly once
    let rows: usize = pages
        .iter()
        .flatten()
        .filter(|l| l.text.starts_with("Række "))
        .count();
    assert_eq!(rows, 1000);
    assert_inside_margins(&pages);
    let pdf = render(&d).unwrap();
    assert!(pdf.len() < 2_000_000);
}

#[test]
fn heading_near_page_bottom_moves_to_next_page() {
    let page_text_h = TEXT_BOTTOM - 70.866;
    let d = doc(vec![
        p("Første linje."),
        Block::Spacer(page_text_h - 14.0 - 6.0 - 40.0),
        Block::Heading {
            level: 2,
            number: Some("1.1".into()),
            text: vec![Inline::text("Overskrift")],
            anchor: None,
            outline: true,
            in_toc: true,
        },
        p(&"Brødtekst med flere linjer. ".repeat(20)),
    ]);
    let pages = layout_lines(&d).unwrap();
    let c = content(&pages);
    let (hp, _) = c
        .iter()
        .find(|(_, l)| l.text.contains("Overskrift"))
        .unwrap();
    assert_eq!(*hp, 1, "heading should be on page 2:\n{}", layout_dump(&d));
    let after: Vec<_> = c
        .iter()
        .skip_while(|(_, l)| !l.text.contains("Overskrift"))
        .skip(1)
        .take(2)
        .collect();
    assert!(after.iter().all(|(pg, _)| *pg == 1));
}

#[test]
fn headings_are_never_last_on_a_page() {
    let d = sample_document(&SampleSize {
        sections: 14,
        table_rows: 60,
        references: 80,
    });
    let pages = layout_lines(&d).unwrap();
    for (k, lines) in pages.iter().enumerate() {
        let body: Vec<_> = lines.iter().filter(|l| !l.furniture).collect();
        if let Some(last) = body.last() {
            // headings in the sample are "n  text" or "n.m  text" (two no-break spaces)
            assert!(
                !last.text.contains("\u{a0}\u{a0}") || k == 1,
                "page {} ends with heading {:?}",
                k + 1,
                last.text
            );
        }
    }
}

#[test]
fn no_line_exceeds_the_margins_in_a_large_document() {
    let mut d = sample_document(&SampleSize {
        sections: 12,
        table_rows: 120,
        references: 60,
    });
    // add stress: deep lists, wide tables, long URLs, callouts inside lists
    let long_url = format!("https://example.org/{}", "segment/".repeat(30));
    let mut nested = Block::Paragraph(vec![Inline::text("bund")]);
    for depth in 0..8 {
        nested = Block::List {
            ordered: depth % 2 == 0,
            start: 98,
            items: vec![ListItem {
                marker: None,
                blocks: vec![
                    Block::Paragraph(vec![
                        Inline::text("Niveau med en temmelig lang tekst der skal ombrydes pænt "),
                        Inline::Link {
                            target: LinkTarget::External(long_url.clone()),
                            content: vec![Inline::text(long_url.clone())],
                        },
                    ]),
                    nested,
                ],
            }],
        };
    }
    d.blocks.push(nested);
    d.blocks.push(Block::Table {
        header: (0..9)
            .map(|c| vec![Inline::Text(format!("Kol {c}"))])
            .collect(),
        rows: (0..30)
            .map(|r| {
                (0..9)
                    .map(|c| vec![Inline::Text(format!("værdi{r}x{c}-{}", "å".repeat(c * 3)))])
                    .collect()
            })
            .collect(),
        widths: Some(vec![1.0; 9]),
    });
    d.blocks.push(Block::Callout {
        title: Some("Boks".into()),
        blocks: vec![Block::Code("fn main() { println!(\"hej\"); }\n".repeat(40))],
    });
    let pages = layout_lines(&d).unwrap();
    assert!(pages.len() > 30);
    assert_inside_margins(&pages);
}

#[test]
fn toc_page_numbers_match_heading_pages() {
    let d = sample_document(&SampleSize::default());
    let pages = layout_lines(&d).unwrap();
    // TOC is page 2: each entry's last line has a page number at the right margin
    let toc: Vec<&DumpLine> = pages[1].iter().filter(|l| !l.furniture).collect();
    let mut checked = 0;
    for l in toc.iter() {
        let Ok(n) = l.text.parse::<usize>() else {
            continue;
        };
        // the entry starts at the nearest earlier line with a section number (or is
        // "Referencer", which has none)
        let last = toc
            .iter()
            .position(|e| (e.y - l.y).abs() < 0.1 && e.x < l.x)
            .unwrap();
        let start = toc[..=last]
            .iter()
            .rev()
            .find(|e| e.text.contains("\u{a0}\u{a0}") || e.text == "Referencer")
            .unwrap();
        let key = match start.text.split_once("\u{a0}\u{a0}") {
            Some((num, _)) => format!("{num}\u{a0}\u{a0}"),
            None => start.text.clone(),
        };
        let page_of_heading = pages
            .iter()
            .enumerate()
            .skip(2)
            .find(|(_, ls)| ls.iter().any(|h| h.text.starts_with(&key)))
            .map(|(p, _)| p + 1)
            .unwrap_or_else(|| panic!("heading {key:?} not found"));
        assert_eq!(n, page_of_heading, "{key}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}

#[test]
fn uncovered_glyphs_do_not_panic() {
    let d = doc(vec![p(
        "Emoji 😀, CJK 漢字, privat \u{E000}, kontrol \u{7}, æøå ✓",
    )]);
    let (pdf, stats) = render_with_stats(&d).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    for c in ['漢', '\u{E000}'] {
        assert!(
            stats.replaced_chars.contains(&c),
            "{:?}",
            stats.replaced_chars
        );
    }
    assert!(!stats.replaced_chars.contains(&'æ'));
}

#[test]
fn empty_document_has_one_page_and_links_are_reported() {
    let (pdf, stats) = render_with_stats(&doc(vec![])).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert_eq!(stats.pages, 1);
    let d = doc(vec![Block::Paragraph(vec![Inline::Link {
        target: LinkTarget::Internal("findes-ikke".into()),
        content: vec![Inline::text("død henvisning")],
    }])]);
    let (_, stats) = render_with_stats(&d).unwrap();
    assert_eq!(stats.unresolved_links, vec!["findes-ikke".to_string()]);
}

#[test]
fn sample_document_is_small_and_consistent() {
    let d = sample_document(&SampleSize::default());
    let (pdf, stats) = render_with_stats(&d).unwrap();
    assert!(stats.pages >= 20, "{}", stats.pages);
    assert!(pdf.len() < 300 * 1024, "{} bytes", pdf.len());
    assert!(
        stats.unresolved_links.is_empty(),
        "{:?}",
        stats.unresolved_links
    );
    assert!(
        stats.replaced_chars.is_empty(),
        "{:?}",
        stats.replaced_chars
    );
    let Some(s) = common::expanded(&pdf) else {
        return;
    };
    assert!(s.contains("/Lang (da)"));
    assert!(s.contains("/Outlines"));
    assert!(s.contains("/S /URI"));
    assert!(s.contains("/Dest ["));
    assert!(s.contains("/CreationDate (D:20250301000000Z)"));
    // nested outline: some item has children
    assert!(s.matches("/First").count() > 2);
}

#[test]
fn footer_and_status_on_every_page_but_front() {
    let d = sample_document(&SampleSize {
        sections: 3,
        table_rows: 5,
        references: 5,
    });
    let pages = layout_lines(&d).unwrap();
    let n = pages.len();
    for (k, lines) in pages.iter().enumerate() {
        let f: Vec<&str> = lines
            .iter()
            .filter(|l| l.furniture)
            .map(|l| l.text.as_str())
            .collect();
        assert!(f.iter().any(|t| t.starts_with("Revision overskredet")));
        let expect = format!("Version 2.1  ·  Side {} af {n}", k + 1);
        assert_eq!(f.contains(&expect.as_str()), k > 0, "page {}: {f:?}", k + 1);
    }
}

#[test]
fn table_row_taller_than_a_page_is_split() {
    let huge = "Meget lang celletekst der fylder. ".repeat(700);
    let d = doc(vec![Block::Table {
        header: vec![vec![Inline::text("Hoved A")], vec![Inline::text("Hoved B")]],
        rows: vec![
            vec![vec![Inline::text("kort")], vec![Inline::text(huge)]],
            vec![vec![Inline::text("næste")], vec![Inline::text("række")]],
        ],
        widths: Some(vec![1.0, 3.0]),
    }]);
    let pages = layout_lines(&d).unwrap();
    assert!(pages.len() >= 3, "{}", pages.len());
    assert_inside_margins(&pages);
    for lines in &pages {
        assert!(lines.iter().any(|l| l.text == "Hoved A"));
    }
    let words: usize = pages
        .iter()
        .flatten()
        .map(|l| l.text.matches("celletekst").count())
        .sum();
    assert_eq!(words, 700);
}
