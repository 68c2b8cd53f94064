//! Many pseudo-random documents with awkward text: rendering never panics, every line
//! stays inside the text area, and output is deterministic.

use vejviser_render_pdf::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

const FRAGMENTS: &[&str] = &[
    "behandling",
    "æøå",
    "ÆØÅ",
    "≥ 5",
    "≤",
    "±",
    "β",
    "m²",
    "●",
    "–",
    "—",
    " ",
    "  ",
    "\t",
    "\u{a0}",
    "\u{ad}",
    "\u{200b}",
    "e\u{301}",
    "שלום",
    "漢字",
    "😀",
    "\u{E000}",
    "",
    "https://example.org/a/very/long/path/that/does/not/break/nicely/at/all",
    "Knoglemarvstransplantationsbehandlingsmulighedsvurderingsprocedure",
    "(",
    ")",
    "\\",
    "a-b-c-d",
    "x/y/z",
    "\n",
    "ﬁ",
    "\u{feff}",
    "\u{7f}",
];

fn text(r: &mut Rng) -> String {
    let n = r.next() % 30;
    (0..n)
        .map(|_| r.pick(FRAGMENTS))
        .collect::<Vec<_>>()
        .join(if r.next().is_multiple_of(3) { "" } else { " " })
}

fn inlines(r: &mut Rng, depth: usize) -> Vec<Inline> {
    let n = r.next() % 6;
    (0..n)
        .map(|_| match (r.next() % 10, depth) {
            (0, d) if d < 3 => Inline::Bold(inlines(r, d + 1)),
            (1, d) if d < 3 => Inline::Italic(inlines(r, d + 1)),
            (2, d) if d < 3 => Inline::Link {
                target: if r.next().is_multiple_of(2) {
                    LinkTarget::External("https://dmcg.dk/æ ø".into())
                } else {
                    LinkTarget::Internal(format!("a{}", r.next() % 5))
                },
                content: inlines(r, d + 1),
            },
            (3, _) => Inline::Code(text(r)),
            (4, _) => Inline::Badge {
                text: r
                    .pick(&["A", "B", "●", "✓", "Meget lang badge-tekst", ""])
                    .into(),
                style: [BadgeStyle::Grade, BadgeStyle::Status, BadgeStyle::Cost][r.next() % 3],
                alt: [None, Some(String::new()), Some("i ord".to_string())][r.next() % 3].clone(),
            },
            (5, _) => Inline::LineBreak,
            (6, _) => Inline::Anchor(format!("a{}", r.next() % 5)),
            (7, d) if d < 3 => Inline::Strike(inlines(r, d + 1)),
            _ => Inline::Text(text(r)),
        })
        .collect()
}

fn blocks(r: &mut Rng, depth: usize) -> Vec<Block> {
    let n = r.next() % (6 - depth.min(4)) + 1;
    (0..n)
        .map(|_| match (r.next() % 12, depth) {
            (0, _) => Block::Heading {
                level: (r.next() % 8) as u8,
                number: Some(format!("{}", r.next() % 100)),
                text: inlines(r, 0),
                anchor: None,
                outline: true,
                in_toc: true,
            },
            (1, d) if d < 3 => Block::List {
                ordered: r.next().is_multiple_of(2),
                start: (r.next() % 1000) as u32,
                items: (0..r.next() % 4)
                    .map(|_| ListItem {
                        marker: if r.next().is_multiple_of(4) {
                            Some(text(r))
                        } else {
                            None
                        },
                        blocks: blocks(r, d + 1),
                    })
                    .collect(),
            },
            (2, _) => {
                let cols = r.next() % 7;
                Block::Table {
                    header: (0..cols).map(|_| inlines(r, 1)).collect(),
                    rows: (0..r.next() % 12)
                        .map(|_| (0..r.next() % 8).map(|_| inlines(r, 1)).collect())
                        .collect(),
                    widths: if r.next().is_multiple_of(3) {
                        Some(vec![1.0, 0.0, f32::NAN])
                    } else {
                        None
                    },
                }
            }
            (3, _) => Block::Code(text(r)),
            (4, _) => Block::Rule,
            (5, d) if d < 3 => Block::Callout {
                title: Some(text(r)),
                blocks: blocks(r, d + 1),
            },
            (6, d) if d < 3 => Block::Recommendation {
                number: (r.next() % 2000) as u32,
                body: blocks(r, d + 1),
                anchor: Some(format!("a{}", r.next() % 5)),
            },
            (7, _) => Block::PageBreak,
            (9, _) => Block::Definitions(
                (0..r.next() % 5)
                    .map(|_| (inlines(r, 1), inlines(r, 1)))
                    .collect(),
            ),
            (8, _) => Block::Spacer([0.0, 50.0, 5000.0, -3.0, f32::NAN][r.next() % 5]),
            _ => Block::Paragraph(inlines(r, 0)),
        })
        .collect()
}

#[test]
fn random_documents_render_inside_the_margins() {
    for seed in 0..60u64 {
        let mut r = Rng(seed * 7919 + 1);
        let d = Document {
            meta: Meta {
                title: text(&mut r),
                author: text(&mut r),
                subject: text(&mut r),
                keywords: vec![text(&mut r)],
                language: ["da", "en", "", "de"][seed as usize % 4].into(),
                creation_date: Date::new(2025, 13, 40),
            },
            front_page: (seed.is_multiple_of(2)).then(|| FrontPage {
                kicker: text(&mut r),
                doc_type: text(&mut r),
                title: text(&mut r),
                fields: vec![(text(&mut r), text(&mut r))],
                note: Some(text(&mut r)),
                publisher: Some(text(&mut r)),
            }),
            toc: seed.is_multiple_of(3),
            blocks: blocks(&mut r, 0),
            footer: Footer {
                left: text(&mut r),
                right_version: text(&mut r),
            },
            status_line: (seed % 2 == 1).then(|| text(&mut r)),
            watermark: (seed.is_multiple_of(5)).then(|| text(&mut r)),
            labels: Labels::english(),
        };
        let pages = layout_lines(&d).unwrap();
        for (k, lines) in pages.iter().enumerate() {
            for l in lines {
                assert!(
                    l.x >= TEXT_LEFT - 0.5 && l.x + l.w <= TEXT_RIGHT + 0.5,
                    "seed {seed} page {} line {l:?}",
                    k + 1
                );
                if !l.furniture {
                    assert!(
                        l.y <= TEXT_BOTTOM + 0.5,
                        "seed {seed} page {} line {l:?}",
                        k + 1
                    );
                }
            }
        }
        let a = render(&d).unwrap();
        let b = render(&d).unwrap();
        assert!(a == b, "seed {seed}: not deterministic");
    }
}
