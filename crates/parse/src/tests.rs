use super::*;
use vejviser_model::{ChapterRole, Grade, MedicinraadetStatus};

const MINIMAL: &str = "+++
title = \"Test\"
dmcg = \"DMSG\"
version = \"2.0\"
previous_version = \"1.0\"
professional_approval = { date = 2026-03-03, by = \"DMSG\" }
administrative_approval = { date = 2026-04-07, by = \"SundK\" }
planned_update = 2029-02-01
+++

# 1. Nyt siden sidst (ændringslog)

| Kapitel | Afsnit | Beskrivelse af ændring |
|---|---|---|
| 2 | Behandling | Ny anbefaling 2 |

# 2. Anbefalinger (centrale budskaber)

## Behandling

1. Giv melphalan 200 mg/m²(A). Ved nyresvigt 140 mg/m² (C) ●
   - En note.

2. Tilbyd lenalidomid (B) [Medicinrådet: ikke vurderet] [merudgift]

# 4. Evidensgrundlag

## Behandling

1. Giv melphalan 200 mg/m²(A). Ved nyresvigt 140 mg/m² (C) ●

### Litteratur og evidensgennemgang

Studier (1, 2) [1b] viser det.

[Anbefaling 2]

### Litteratur og evidensgennemgang

Se (2) [2a].

# 5. Referencer

1. Hansen A. En artikel. *Blood.* 2020;1:1-2.
2. Jensen B. En anden.
";

fn parse_str(s: &str) -> Parsed {
    parse("t.md", s.as_bytes(), &TemplateSet::builtin())
}

#[test]
fn parses_the_template_structure() {
    let p = parse_str(MINIMAL);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
    let g = p.guideline.unwrap();
    assert_eq!(g.front.version.to_string(), "2.0");
    assert_eq!(g.front.spans.version.line, 4);
    let roles: Vec<_> = g.chapters.iter().map(|c| c.role.unwrap()).collect();
    assert_eq!(
        roles,
        [
            ChapterRole::Changelog,
            ChapterRole::Recommendations,
            ChapterRole::Evidence,
            ChapterRole::References
        ]
    );
    assert_eq!(g.changelog.len(), 1);
    assert_eq!(g.changelog[0].description, "Ny anbefaling 2");
    assert_eq!(g.recommendations.len(), 2);
    let r1 = &g.recommendations[0];
    assert_eq!(r1.topic, "Behandling");
    assert_eq!(r1.span.line, 21);
    assert_eq!(r1.grades().collect::<Vec<_>>(), [Grade::A, Grade::C]);
    assert_eq!(
        r1.medicinraadet.as_ref().unwrap().status,
        MedicinraadetStatus::Recommended
    );
    assert_eq!(r1.notes, ["En note."]);
    let r2 = &g.recommendations[1];
    assert!(r2.extra_cost);
    assert_eq!(
        r2.medicinraadet.as_ref().unwrap().status,
        MedicinraadetStatus::NotAssessed
    );
    assert_eq!(g.evidence.len(), 2);
    assert_eq!(g.evidence[0].targets[0].number, 1);
    assert_eq!(
        g.evidence[0].targets[0].repeated.as_deref(),
        Some(r1.source.as_str())
    );
    assert_eq!(
        g.evidence[0].parts[0].title,
        "Litteratur og evidensgennemgang"
    );
    assert_eq!(g.evidence[0].citations[0].references, [1, 2]);
    assert_eq!(g.evidence[0].citations[0].span.line, 34);
    assert_eq!(g.evidence[1].targets[0].number, 2);
    assert_eq!(g.evidence[1].targets[0].repeated, None);
    assert_eq!(g.references.len(), 2);
    assert_eq!(g.references[1].markdown, "Jensen B. En anden.");
}

#[test]
fn bad_bytes_get_diagnostics() {
    let t = TemplateSet::builtin();
    assert_eq!(parse("x", b"", &t).diagnostics[0].code, Code::EmptyFile);
    assert_eq!(
        parse("x", b"  \n\n", &t).diagnostics[0].code,
        Code::EmptyFile
    );
    assert_eq!(
        parse("x", b"+++\n\x00\x01", &t).diagnostics[0].code,
        Code::BinaryFile
    );
    let d = &parse("x", b"+++\ntitle = \"\xE6\"\n", &t).diagnostics[0];
    assert_eq!((d.code, d.line, d.column), (Code::NotUtf8, 2, 10));
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(parse("x", &big, &t).diagnostics[0].code, Code::FileTooLarge);
}

#[test]
fn front_matter_errors_point_at_their_line() {
    let cases: &[(&str, Code, u32)] = &[
        ("# no front matter\n", Code::MissingFrontMatter, 1),
        ("+++\ntitle = \"x\"\n", Code::UnclosedFrontMatter, 1),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"1.0\"\nplaned_update = 2027-01-01\n+++\n", Code::UnknownKey, 5),
        ("+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n", Code::InvalidToml, 3),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"1.0\"\nplanned_update = 2026-13-40\n+++\n", Code::InvalidToml, 5),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = 2.0\n+++\n", Code::WrongType, 4),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"2\"\n+++\n", Code::InvalidVersion, 4),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"2.0\"\nplanned_update = \"2027-01-01\"\n+++\n", Code::WrongType, 5),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"2.0\"\nplanned_update = 2027-01-01T10:00:00\n+++\n", Code::WrongType, 5),
        ("+++\ndmcg = \"A\"\nversion = \"2.0\"\n+++\n", Code::MissingKey, 1),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"2.0\"\nlanguage = \"sv\"\n+++\n", Code::InvalidLanguage, 5),
        ("+++\ntitle = \"x\"\ndmcg = \"A\"\nversion = \"2.0\"\ntemplate = \"sundk-9\"\n+++\n", Code::UnknownTemplate, 5),
    ];
    for (src, code, line) in cases {
        let p = parse_str(src);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == *code)
            .unwrap_or_else(|| panic!("{code} not reported for {src:?}: {:?}", p.diagnostics));
        assert_eq!(d.line, *line, "{src:?}: {d:?}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let mut s =
        String::from("+++\ntitle=\"x\"\ndmcg=\"A\"\nversion=\"1.0\"\n+++\n# Introduktion\n\n");
    s.push_str(&">".repeat(50_000));
    s.push_str(" deep\n");
    for i in 0..40 {
        s.push_str(&"  ".repeat(i));
        s.push_str("- x\n");
    }
    let p = parse_str(&s);
    assert!(p.diagnostics.iter().any(|d| d.code == Code::NestingTooDeep));
}

#[test]
fn front_matter_only() {
    let (front, diags) = parse_front_matter("t.md", MINIMAL.as_bytes());
    assert!(diags.is_empty());
    assert_eq!(
        front.unwrap().planned_update.unwrap().to_string(),
        "2029-02-01"
    );
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse("p.md", &bytes, &TemplateSet::builtin());
        }

        #[test]
        fn never_panics_on_guideline_like_text(
            lines in proptest::collection::vec(prop_oneof![
                Just("+++".to_string()), Just("# 2. Anbefalinger".to_string()), Just("# 4. Evidensgrundlag".to_string()),
                Just("# Referencer".to_string()), Just("## Behandling".to_string()), Just("### Rationale".to_string()),
                Just("1. Giv X (A) ●".to_string()), Just("3. Y(B) ●●●".to_string()), Just("   - note".to_string()),
                Just("[Anbefaling 1–3]".to_string()), Just("Tekst (1, 2) [1b] (4–2) [x]".to_string()),
                Just("| a | b |".to_string()), Just("|---|---|".to_string()), Just("".to_string()),
                Just("title = \"x\"".to_string()), Just("version = \"1.0\"".to_string()), "[ -~æøå●()\\[\\]|#]{0,30}",
            ], 0..60)
        ) {
            let text = lines.join("\n");
            let p = parse("p.md", text.as_bytes(), &TemplateSet::builtin());
            for d in &p.diagnostics {
                prop_assert!(d.line >= 1);
            }
        }
    }
}

#[test]
fn references_keep_their_written_numbers_and_gaps_are_reported_at_their_line() {
    let src = MINIMAL.replace(
        "1. Hansen A. En artikel. *Blood.* 2020;1:1-2.\n2. Jensen B. En anden.\n",
        "1. Hansen A. En artikel.\n3. Olsen C. Tredje.\n4. Berg D. Fjerde.\n4. Dahl E. Igen.\n2. Juhl F. Bagud.\n",
    );
    let p = parse_str(&src);
    let g = p.guideline.as_ref().unwrap();
    let numbers: Vec<u32> = g.references.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 3, 4, 4, 2], "written numbers, not positions");
    assert!(g.references[1].markdown.starts_with("Olsen"));
    let found: Vec<(u32, String)> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ReferenceNumbering)
        .map(|d| (d.line, d.message.clone()))
        .collect();
    let line = |n: &str| src.lines().position(|l| l.contains(n)).unwrap() as u32 + 1;
    assert_eq!(
        found,
        [
            (
                line("Olsen"),
                "reference 3 follows 1: number 2 is missing".to_string()
            ),
            (
                line("Dahl"),
                format!(
                    "reference 4 is numbered twice (first at line {})",
                    line("Berg")
                )
            ),
            (
                line("Juhl"),
                "reference 2 follows 4: the numbers are out of order".to_string()
            ),
        ]
    );
}

mod tree {
    use super::*;
    use vejviser_model::content::{Block, Inline};

    fn with_recommendation(rec: &str, evidence: &str) -> Parsed {
        let src = MINIMAL
            .replace(
                "2. Tilbyd lenalidomid (B) [Medicinrådet: ikke vurderet] [merudgift]",
                &format!("2. {rec}"),
            )
            .replace("Se (2) [2a].", evidence);
        parse_str(&src)
    }

    #[test]
    fn emphasis_may_span_a_grade() {
        let p = with_recommendation(
            "*ældre patienter (B) og patienter med nyresvigt* (C)",
            "Se (2) [2a].",
        );
        let g = p.guideline.unwrap();
        let r = &g.recommendations[1];
        let Inline::Emphasis(inner) = &r.content[0] else {
            panic!("{:?}", r.content)
        };
        assert!(inner.iter().any(|i| matches!(
            i,
            Inline::Grade {
                grade: Grade::B,
                ..
            }
        )));
        assert!(matches!(
            r.content.last(),
            Some(Inline::Grade {
                grade: Grade::C,
                ..
            })
        ));
        let grades: Vec<Grade> = r.grades().collect();
        assert_eq!(grades, [Grade::B, Grade::C]);
        assert_eq!(
            r.plain_text(),
            "ældre patienter (B) og patienter med nyresvigt (C)"
        );
        assert!(!r.plain_text().contains('*'));
    }

    #[test]
    fn code_spans_and_links_are_never_citations_or_grades() {
        let p = with_recommendation(
            "Giv `dosis (A)` som vist (B)",
            "Se (2) [2a] og `dosis (7)` og [forsøget (9)](https://x.dk/(9)).",
        );
        let g = p.guideline.unwrap();
        let grades: Vec<Grade> = g.recommendations[1].grades().collect();
        assert_eq!(grades, [Grade::B]);
        let cited: Vec<u32> = g.evidence[1]
            .citations
            .iter()
            .flat_map(|c| c.references.clone())
            .collect();
        assert_eq!(cited, [2]);
        assert_eq!(g.evidence[1].citations[0].written, "(2) [2a]");
    }

    #[test]
    fn inline_math_is_a_node_and_latex_outside_it_is_reported() {
        let p = with_recommendation(
            "Behandl ved MRD $< 10^{-5}$ og PS \\geq 2 (B)",
            "Se (2) [2a].",
        );
        let r = &p.guideline.as_ref().unwrap().recommendations[1];
        assert!(r
            .content
            .iter()
            .any(|i| matches!(i, Inline::Math { latex, .. } if latex == "< 10^{-5}")));
        let latex: Vec<&Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::LatexOutsideMath)
            .collect();
        assert_eq!(latex.len(), 1, "{:?}", p.diagnostics);
        assert!(latex[0].message.contains("\\geq"));
    }

    #[test]
    fn raw_html_is_kept_as_text_and_reported_but_comments_are_not() {
        let p = with_recommendation(
            "Giv X <b>nu</b> (B) <!-- forfatternote -->",
            "<div>x</div>\n\nSe (2) [2a].",
        );
        let g = p.guideline.as_ref().unwrap();
        let html: Vec<&Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::RawHtml)
            .collect();
        assert_eq!(html.len(), 3, "{:?}", p.diagnostics);
        assert!(g.recommendations[1]
            .content
            .iter()
            .any(|i| matches!(i, Inline::Html(h) if h == "<b>")));
        assert!(!g.recommendations[1].plain_text().contains("forfatternote"));
        assert!(g.evidence[1].parts[0]
            .content
            .iter()
            .any(|b| matches!(b, Block::Html { literal, .. } if literal.contains("<div>x</div>"))));
    }
}

#[test]
fn a_group_key_that_cannot_name_a_folder_is_an_error_at_its_line() {
    for (key, line) in [
        ("\"../x\"", 4),
        ("\"a/b\"", 4),
        ("\".hidden\"", 4),
        ("\"Æ\"", 4),
    ] {
        let text =
            format!("[DMSG]\nname = \"Dansk Myelomatose Studiegruppe\"\n\n[{key}]\nname = \"x\"\n");
        let e = crate::parse_registry("g/dmcg.toml", &text).unwrap_err();
        assert_eq!(e.code, vejviser_diagnostics::Code::MissingRegistry, "{key}");
        assert_eq!((e.file.as_str(), e.line), ("g/dmcg.toml", line), "{key}");
        assert!(e.message.contains("cannot name a folder"), "{}", e.message);
    }
    // An inline table points at its key too.
    let e = crate::parse_registry("g/dmcg.toml", "\"../up\" = { name = \"y\" }\n").unwrap_err();
    assert_eq!(e.line, 1);
    let ok = crate::parse_registry(
        "g/dmcg.toml",
        "[DMSG]\nname = \"x\"\n[dbcg-2]\nname = \"y\"\n[A_B]\nname = \"z\"\n",
    )
    .unwrap();
    assert_eq!(ok.groups.len(), 3);
}
