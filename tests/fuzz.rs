//! Parse + check on hostile input (issue 15): a property test over
//! generated Markdown and front-matter-like text (never a panic, bounded
//! time), a regression corpus, tests/fixtures/fuzz-regressions/, whose
//! every file goes through parse + check the same way, and a property test
//! of the renderers (view, both HTML pages, both PDFs) on a real guideline
//! with generated lines put into it. The case count is
//! small so the debug test run stays short; raise PROPTEST_CASES to search
//! longer.

use proptest::prelude::*;
use std::time::{Duration, Instant};
use vejviser_check::CheckContext;
use vejviser_template::TemplateSet;

/// One file through the parser and the checker, as `check` runs them;
/// returns how long it took.
fn parse_and_check(bytes: &[u8]) -> Duration {
    let started = Instant::now();
    let templates = TemplateSet::builtin();
    let parsed = vejviser_parse::parse("fuzz/guideline.md", bytes, &templates);
    if let Some(g) = &parsed.guideline {
        let template = templates
            .get(&g.template)
            .unwrap_or_else(|| templates.newest());
        let registry = vejviser_parse::parse_registry(
            "dmcg.toml",
            "[DMSG]\nname = \"Dansk Myelomatose Studiegruppe\"\n",
        )
        .unwrap();
        for archived_as in [None, Some("1.0")] {
            let cx = CheckContext {
                template,
                registry: Some(&registry),
                as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                due_within_days: 90,
                archived_as,
                front_ok: parsed.front_ok,
            };
            let found = vejviser_check::check(g, &cx);
            assert!(found.iter().all(|d| d.line >= 1));
        }
    }
    started.elapsed()
}

/// Lines a guideline is made of, and the ways they go wrong.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++".to_string()),
        Just("title = \"Højdosis <b>&]]>\"".to_string()),
        Just("dmcg = \"DMSG\"".to_string()),
        Just("version = \"1.0\"".to_string()),
        Just("professional_approval = { date = 2026-03-03, by = \"DMSG\" }".to_string()),
        Just("planned_update = 2029-02-01".to_string()),
        Just("keywords = [\"a\", \"\\uFFFF\"]".to_string()),
        Just("# 2. Anbefalinger (centrale budskaber)".to_string()),
        Just("# 4. Litteraturgennemgang og evidensbeskrivelse".to_string()),
        Just("# 5. Referencer".to_string()),
        Just("## Behandling".to_string()),
        Just("### Anbefaling 1".to_string()),
        Just("1. Patienter bør tilbydes X (A)".to_string()),
        Just("    2. Indrykket anbefaling (b)".to_string()),
        Just("\t3. Tab (E) ✓ ✗ ?".to_string()),
        Just("[Anbefaling 1–300] (1–150) [1a] [2b] (1, 3-5)".to_string()),
        Just("| a | b |\n|---|---|\n| (1) | [1a] |".to_string()),
        Just("> > > - * 1. ".to_string()),
        Just("$x^2$ `kode (7)` **fed** _skrå_ <script>x</script>".to_string()),
        Just("[link](javascript:alert(1)) ![billede](data:x)".to_string()),
        "[^\n]{0,80}",
        "[ -~]{0,40}",
        any::<String>().prop_map(|s| s.chars().take(60).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any sequence of guideline-like lines, with any line ending.
    #[test]
    fn generated_guidelines_never_panic_and_finish_quickly(
        lines in prop::collection::vec(line(), 0..60),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let took = parse_and_check(text.as_bytes());
        prop_assert!(took < Duration::from_secs(5), "{took:?}");
    }

    /// Arbitrary bytes, with and without a front matter in front.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), front in any::<bool>()) {
        let mut input = if front { b"+++\ntitle = \"x\"\n+++\n".to_vec() } else { Vec::new() };
        input.extend(bytes);
        let took = parse_and_check(&input);
        prop_assert!(took < Duration::from_secs(5), "{took:?}");
    }
}

/// Every file of the regression corpus: inputs that once crashed, hung or
/// cost too much (issue 15), parsed and checked in bounded time.
#[test]
fn the_regression_corpus_parses_and_checks_in_bounded_time() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let took = parse_and_check(&bytes);
        assert!(
            took < Duration::from_secs(10),
            "{}: {took:?}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 15, "the corpus is in {}", dir.display());
}

/// The renderers on hostile content: a real guideline with generated lines put into
/// its recommendations, evidence and appendix, through the view, both HTML pages and
/// both PDFs, as `site` publishes them. Never a panic, bounded time, no author markup
/// or unsafe link in the page, and a complete PDF (or the page-count error).
fn render_all(text: &str) -> Duration {
    use vejviser_render_html::{Renderer, Theme};
    use vejviser_view::{GuidelineView, ViewOptions};
    static RENDERER: std::sync::OnceLock<Renderer> = std::sync::OnceLock::new();
    let renderer = RENDERER.get_or_init(|| Renderer::new(&Theme::builtin()).unwrap());
    let started = Instant::now();
    let templates = TemplateSet::builtin();
    let parsed = vejviser_parse::parse("fuzz/guideline.md", text.as_bytes(), &templates);
    let Some(g) = &parsed.guideline else {
        return started.elapsed();
    };
    let registry = vejviser_parse::parse_registry(
        "dmcg.toml",
        "[DLCG]\nname = \"Dansk Lunge Cancer Gruppe\"\n",
    )
    .unwrap();
    let rev = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|a| a.date),
        g.front.planned_update,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
    );
    let template = templates
        .get(&g.template)
        .unwrap_or_else(|| templates.newest());
    for archived in [false, true] {
        let view = GuidelineView::new(
            g,
            template,
            registry.get(&g.front.dmcg),
            &rev,
            &ViewOptions {
                archived,
                ..ViewOptions::default()
            },
        );
        let pages = renderer.pages(&view).unwrap();
        for page in [&pages.quick, &pages.full] {
            assert!(
                !page.contains("<script>x"),
                "author markup reached the page"
            );
            assert!(
                !page.contains("href=\"javascript:"),
                "unsafe link on the page"
            );
            assert!(!page.contains("src=\"data:"), "unsafe image on the page");
        }
        let date = vejviser_render_pdf::creation_date(None, &g.front).unwrap();
        match vejviser_render_pdf::render_guideline_pdfs(&view, date) {
            Ok((full, quick)) => {
                for pdf in [full, quick] {
                    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n"));
                }
            }
            Err(e) => assert!(e.to_string().contains("pages"), "{e}"),
        }
    }
    started.elapsed()
}

/// The sample guideline the renderer property starts from, and the lines after which
/// generated text goes (a recommendation topic, an evidence section, the end).
fn sample_with(inserts: &[(usize, String)]) -> String {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("guidelines/dlcg/sbrt-tidligt-stadie-nsclc/guideline.md"),
    )
    .unwrap();
    let lines: Vec<&str> = base.lines().collect();
    let anchors = [
        lines
            .iter()
            .position(|l| l.starts_with("2. Før SBRT"))
            .unwrap()
            + 1,
        lines
            .iter()
            .position(|l| l.starts_with("### Litteratur og evidensgennemgang"))
            .unwrap()
            + 1,
        lines.len(),
    ];
    let mut out = String::with_capacity(base.len() + 4096);
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        out.push('\n');
        for (a, text) in inserts {
            if anchors[a % anchors.len()] == i + 1 {
                out.push('\n');
                out.push_str(text);
                out.push_str("\n\n");
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Generated lines inside a real guideline, through every renderer.
    #[test]
    fn renderers_never_panic_on_generated_content(
        inserts in prop::collection::vec((0usize..3, line()), 1..12),
    ) {
        let text = sample_with(&inserts);
        let took = render_all(&text);
        prop_assert!(took < Duration::from_secs(20), "{took:?}");
    }
}

#[test]
fn the_renderer_sample_renders_untouched() {
    // Without inserted lines the sample parses, so the property exercises the renderers.
    let text = sample_with(&[]);
    let parsed = vejviser_parse::parse("s.md", text.as_bytes(), &TemplateSet::builtin());
    assert!(parsed.guideline.is_some());
    render_all(&text);
}
