//! A synthetic, guideline-like document for tests, examples and benchmarks.

use crate::doc::*;
use crate::markdown::{markdown_to_blocks, MdOptions};

/// Size knobs for [`sample_document`].
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSize {
    /// Number of level-1 sections (each has two subsections, paragraphs, a list and
    /// recommendations).
    pub sections: usize,
    /// Rows of the large table.
    pub table_rows: usize,
    /// Number of references (each with an anchor that the text links to).
    pub references: usize,
}

impl Default for SampleSize {
    /// About 25 pages: 9 sections (≈60 paragraphs), a 40-row table, 45 references.
    fn default() -> Self {
        SampleSize {
            sections: 9,
            table_rows: 40,
            references: 45,
        }
    }
}

const WORDS: &[&str] = &[
    "patienter",
    "behandling",
    "kemoterapi",
    "strålebehandling",
    "anbefales",
    "ved",
    "lokalt",
    "fremskreden",
    "sygdom",
    "og",
    "med",
    "performancestatus",
    "≥",
    "2",
    "bør",
    "tilbydes",
    "opfølgning",
    "hos",
    "speciallæge",
    "i",
    "onkologi",
    "hvor",
    "evidensen",
    "er",
    "moderat",
    "for",
    "overlevelse",
    "risikoen",
    "bivirkninger",
    "skal",
    "vurderes",
    "individuelt",
    "multidisciplinær",
    "konference",
    "på",
    "baggrund",
    "af",
    "billeddiagnostik",
    "(CT/PET-CT)",
    "samt",
    "histologisk",
    "verifikation",
    "knoglemarvstransplantation",
    "immunterapi",
    "β-blokkere",
    "dosis",
    "≤",
    "50",
    "mg/m²",
    "±",
    "10",
    "%",
    "–",
    "henholdsvis",
    "—",
    "æble",
    "øre",
    "ål",
    "Århus",
    "Ærø",
    "Øresund",
    "livskvalitet",
    "randomiserede",
    "forsøg",
    "metaanalyser",
    "retningslinjen",
    "omfatter",
    "voksne",
    "kvinder",
    "mænd",
    "over",
    "18",
    "år",
    "hyppigheden",
    "af",
    "recidiv",
    "efter",
    "kirurgisk",
    "resektion",
    "ved",
    "R0",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[self.next() % WORDS.len()]);
        }
        s
    }
}

fn para(rng: &mut Lcg, refs: usize, n_words: usize) -> Block {
    let mut inl = vec![Inline::Text(capitalize(&rng.words(n_words / 2)) + " ")];
    match rng.next() % 4 {
        0 => inl.push(Inline::Bold(vec![Inline::text(rng.words(3))])),
        1 => inl.push(Inline::Italic(vec![Inline::text(rng.words(2))])),
        2 => inl.push(Inline::Code("ICD-10 C50.9".into())),
        _ => inl.push(Inline::Link {
            target: LinkTarget::External("https://www.dmcg.dk/kliniske-retningslinjer/".into()),
            content: vec![Inline::text("dmcg.dk")],
        }),
    }
    inl.push(Inline::Text(format!(" {}", rng.words(n_words / 2))));
    if refs > 0 {
        let r = rng.next() % refs + 1;
        inl.push(Inline::Text(" ".into()));
        inl.push(Inline::Link {
            target: LinkTarget::Internal(format!("ref-{r}")),
            content: vec![Inline::Text(format!("({r})"))],
        });
    }
    inl.push(Inline::Text(".".into()));
    Block::Paragraph(inl)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn heading(level: u8, number: String, text: &str) -> Block {
    Block::Heading {
        level,
        anchor: Some(format!("afsnit-{number}")),
        number: Some(number),
        text: vec![Inline::text(text)],
        outline: true,
        in_toc: level <= 2,
    }
}

/// Build a synthetic guideline-like document (Danish, with æøå and clinical symbols).
pub fn sample_document(size: &SampleSize) -> Document {
    let mut rng = Lcg(0x5eed);
    let mut blocks = Vec::new();
    blocks.push(Block::Callout {
        title: Some("Evidensniveauer".into()),
        blocks: markdown_to_blocks(
            "Styrken af en anbefaling angives med **A**–**D**. Symbolerne ● ≥ ≤ ± → ✓ bruges i \
             tabellerne.\n\n- A: stærk evidens\n- B: moderat evidens\n- C/D: svag evidens",
            &MdOptions::default(),
        ),
    });
    let mut rec_no = 0;
    for s in 1..=size.sections {
        blocks.push(heading(1, s.to_string(), &capitalize(&rng.words(3))));
        blocks.push(para(&mut rng, size.references, 160));
        for sub in 1..=2 {
            blocks.push(heading(2, format!("{s}.{sub}"), &capitalize(&rng.words(4))));
            rec_no += 1;
            let grade = ["A", "B", "C", "D"][rng.next() % 4];
            blocks.push(Block::Recommendation {
                number: rec_no,
                anchor: Some(format!("anbefaling-{rec_no}")),
                body: vec![Block::Paragraph(vec![
                    Inline::Badge {
                        text: grade.into(),
                        style: BadgeStyle::Grade,
                        alt: Some(format!("Anbefalingsgrad {grade}")),
                    },
                    Inline::Text(format!(" {}", capitalize(&rng.words(28)))),
                    Inline::Text(" ".into()),
                    Inline::Badge {
                        text: "●".into(),
                        style: BadgeStyle::Status,
                        alt: Some("Anbefalet af Medicinrådet".into()),
                    },
                    Inline::Text(".".into()),
                ])],
            });
            blocks.push(para(&mut rng, size.references, 200));
            blocks.push(para(&mut rng, size.references, 130));
            if sub == 2 {
                blocks.push(Block::List {
                    ordered: s % 2 == 0,
                    start: 1,
                    items: (0..4)
                        .map(|k| ListItem {
                            marker: None,
                            blocks: if k == 1 {
                                vec![
                                    Block::Paragraph(vec![Inline::text(capitalize(&rng.words(9)))]),
                                    Block::List {
                                        ordered: false,
                                        start: 1,
                                        items: (0..2)
                                            .map(|_| ListItem {
                                                marker: None,
                                                blocks: vec![Block::Paragraph(vec![Inline::text(
                                                    rng.words(7),
                                                )])],
                                            })
                                            .collect(),
                                    },
                                ]
                            } else {
                                vec![Block::Paragraph(vec![Inline::text(capitalize(
                                    &rng.words(12),
                                ))])]
                            },
                        })
                        .collect(),
                });
            }
        }
        if s == 2 && size.table_rows > 0 {
            blocks.push(heading(
                2,
                format!("{s}.3"),
                "Oversigt over behandlingsregimer",
            ));
            blocks.push(Block::Table {
                header: vec![
                    vec![Inline::text("Regime")],
                    vec![Inline::text("Dosis")],
                    vec![Inline::text("Evidens")],
                    vec![Inline::text("Bemærkning")],
                ],
                rows: (0..size.table_rows)
                    .map(|r| {
                        vec![
                            vec![Inline::Text(format!("Regime {}", r + 1))],
                            vec![Inline::Text(format!("{} mg/m² ± {}", 50 + r, r % 7))],
                            vec![Inline::Badge {
                                text: ["A", "B", "C"][r % 3].into(),
                                style: BadgeStyle::Grade,
                                alt: Some(format!("Anbefalingsgrad {}", ["A", "B", "C"][r % 3])),
                            }],
                            vec![Inline::text(rng.words(4 + r % 9))],
                        ]
                    })
                    .collect(),
                widths: None,
            });
        }
    }
    if size.references > 0 {
        blocks.push(Block::Heading {
            level: 1,
            number: None,
            text: vec![Inline::text("Referencer")],
            anchor: Some("referencer".into()),
            outline: true,
            in_toc: true,
        });
        blocks.push(Block::List {
            ordered: true,
            start: 1,
            items: (1..=size.references)
                .map(|r| ListItem {
                    marker: None,
                    blocks: vec![Block::Paragraph(vec![
                        Inline::Anchor(format!("ref-{r}")),
                        Inline::Text(format!(
                            "Hansen J, Ørsted K, Ågård L, et al. {}. ",
                            capitalize(&rng.words(8))
                        )),
                        Inline::Italic(vec![Inline::text("Acta Oncol")]),
                        Inline::Text(format!(
                            " {}; {}:{}–{}. ",
                            2000 + r % 25,
                            r,
                            100 + r,
                            110 + r
                        )),
                        Inline::Link {
                            target: LinkTarget::External(format!(
                                "https://doi.org/10.1000/acta.{r:04}"
                            )),
                            content: vec![Inline::Text(format!("doi:10.1000/acta.{r:04}"))],
                        },
                    ])],
                })
                .collect(),
        });
    }
    Document {
        meta: Meta {
            title: "Brystkræft – adjuverende behandling".into(),
            author: "Danish Breast Cancer Group (DBCG)".into(),
            subject: "Klinisk retningslinje".into(),
            keywords: vec!["brystkræft".into(), "kemoterapi".into()],
            language: "da".into(),
            creation_date: Date::new(2025, 3, 1),
        },
        front_page: Some(FrontPage {
            kicker: "Danish Breast Cancer Group (DBCG)".into(),
            doc_type: "Klinisk retningslinje".into(),
            title: "Brystkræft – adjuverende behandling med kemoterapi og immunterapi".into(),
            fields: vec![
                ("Version".into(), "2.1".into()),
                ("Faglig godkendelse".into(), "1. marts 2025".into()),
                ("Administrativ godkendelse".into(), "15. marts 2025".into()),
                ("Planlagt opdatering".into(), "1. juni 2026".into()),
                (
                    "Indeksering".into(),
                    "DBCG, brystkræft, kemoterapi, ≥ 70 år".into(),
                ),
            ],
            note: Some("Retningslinjen er udarbejdet i samarbejde med Sundhedsstyrelsen.".into()),
            publisher: None,
        }),
        toc: true,
        blocks,
        footer: Footer {
            left: "Brystkræft – adjuverende behandling".into(),
            right_version: "Version 2.1".into(),
        },
        status_line: Some("Revision overskredet: planlagt opdatering 2025-06-01".into()),
        watermark: Some("Udkast".into()),
        labels: Labels::danish(),
    }
}
