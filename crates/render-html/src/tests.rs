use super::*;
use chrono::NaiveDate;
use vejviser_model::Guideline;
use vejviser_template::TemplateSet;
use vejviser_view::ViewOptions;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse(text: &str) -> Guideline {
    vejviser_parse::parse("t.md", text.as_bytes(), &TemplateSet::builtin())
        .guideline
        .unwrap()
}

fn sample(rel: &str) -> Guideline {
    parse(&std::fs::read_to_string(root().join("guidelines").join(rel)).unwrap())
}

fn view(g: &Guideline, as_of: NaiveDate, opts: &ViewOptions) -> GuidelineView {
    let rev = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|a| a.date),
        g.front.planned_update,
        as_of,
        90,
    );
    GuidelineView::new(g, TemplateSet::builtin().newest(), None, &rev, opts)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

#[test]
fn builtin_theme_compiles_and_renders_every_sample() {
    let r = Renderer::new(&Theme::builtin()).unwrap();
    for rel in [
        "dmsg/myelomatose-hdt/guideline.md",
        "dmsg/myelomatose-hdt/archive/1.5.md",
        "dbcg/adjuvant-endocrine-therapy/guideline.md",
        "dlcg/sbrt-tidligt-stadie-nsclc/guideline.md",
        "dmg/adjuverende-behandling-melanom/guideline.md",
    ] {
        let v = view(&sample(rel), today(), &ViewOptions::default());
        let quick = r.quick_guide(&v).unwrap();
        let full = r.full_page(&v).unwrap();
        for page in [&quick, &full] {
            assert!(page.starts_with("<!doctype html>\n<html lang=\""), "{rel}");
            assert!(page.contains(&format!("<html lang=\"{}\">", v.lang)));
            assert!(page.contains("<main id=\"main\""));
            assert!(!page.contains("<script"));
        }
    }
}

#[test]
fn pages_are_deterministic() {
    let r = Renderer::new(&Theme::builtin()).unwrap();
    let g = sample("dmsg/myelomatose-hdt/guideline.md");
    let a = r
        .full_page(&view(&g, today(), &ViewOptions::default()))
        .unwrap();
    let b = r
        .full_page(&view(&g, today(), &ViewOptions::default()))
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn options_show_archive_pdf_and_version_links() {
    let r = Renderer::new(&Theme::builtin()).unwrap();
    let g = sample("dmsg/myelomatose-hdt/archive/1.5.md");
    let opts = ViewOptions {
        base_path: "../../../".into(),
        archived: true,
        current_href: Some("../".into()),
        replaced_by: Some(vejviser_view::VersionLink {
            version: "2.0".into(),
            href: "../".into(),
            professional_approval: NaiveDate::from_ymd_opt(2025, 3, 3),
        }),
        pdf_full: Some("myelomatose-hdt-1.5.pdf".into()),
        pdf_quick: Some("myelomatose-hdt-1.5-quick.pdf".into()),
        versions: vec![vejviser_view::VersionLink {
            version: "1.4".into(),
            href: "../1.4/".into(),
            professional_approval: NaiveDate::from_ymd_opt(2019, 5, 1),
        }],
        breadcrumbs: vec![vejviser_view::Link {
            text: "Forside".into(),
            href: "../../../".into(),
        }],
        accessibility: Some("../../../tilgaengelighed/index.html".into()),
        ..ViewOptions::default()
    };
    let quick = r.quick_guide(&view(&g, today(), &opts)).unwrap();
    assert!(quick
        .contains("<a href=\"../../../tilgaengelighed/index.html\">Tilgængelighedserklæring</a>"));
    assert!(quick.contains("href=\"../../../style.css\""));
    assert!(quick
        .contains("Dette er ikke den gældende version – erstattet af version 2.0 (3. marts 2025)"));
    assert!(quick.contains("<a href=\"../\">Gå til den gældende version</a>"));
    assert!(quick.contains("href=\"myelomatose-hdt-1.5.pdf\""));
    assert!(quick.contains("href=\"myelomatose-hdt-1.5-quick.pdf\""));
    assert!(quick.contains("<a href=\"../1.4/\">Version 1.4</a>"));
    assert!(quick.contains("1. maj 2019"));
    assert!(quick.contains("<a href=\"../../../\">Forside</a>"));
    assert!(quick.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn a_theme_folder_overrides_files_by_name() {
    let dir = std::env::temp_dir().join(format!("vejviser-theme-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("partials")).unwrap();
    std::fs::write(dir.join("style.css"), "body { color: red }").unwrap();
    std::fs::write(
        dir.join("partials/footer.hbs"),
        "<footer>Egen sidefod {{version}}</footer>",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
    let theme = Theme::with_overrides(&dir).unwrap();
    assert_eq!(theme.overridden(), ["partials/footer.hbs", "style.css"]);
    let r = Renderer::new(&theme).unwrap();
    assert_eq!(r.assets()[0].1, b"body { color: red }");
    let v = view(
        &sample("dmsg/myelomatose-hdt/guideline.md"),
        today(),
        &ViewOptions::default(),
    );
    assert!(r
        .quick_guide(&v)
        .unwrap()
        .contains("<footer>Egen sidefod 2.0</footer>"));

    std::fs::write(dir.join("quick.hbs"), "{{#if}}").unwrap();
    let err = Renderer::new(&Theme::with_overrides(&dir).unwrap())
        .err()
        .unwrap();
    assert!(
        err.to_string().starts_with("theme file quick.hbs:"),
        "{err}"
    );
    std::fs::write(dir.join("quick.hbs"), "{{no_such_field}}").unwrap();
    let r = Renderer::new(&Theme::with_overrides(&dir).unwrap()).unwrap();
    let err = r.quick_guide(&v).unwrap_err();
    assert!(err.to_string().contains("no_such_field"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(Theme::with_overrides(&dir).is_err());
}

#[test]
fn optional_parts_may_be_missing() {
    // Appendices without any cost flag, no Medicinrådet status, no changelog:
    // every optional field of the view is empty or null, and strict templates
    // must still render.
    let mut g = sample("dmsg/myelomatose-hdt/guideline.md");
    for r in &mut g.recommendations {
        r.extra_cost = false;
        r.medicinraadet = None;
        r.notes.clear();
    }
    g.changelog.clear();
    g.references.clear();
    g.evidence.clear();
    let v = view(&g, today(), &ViewOptions::default());
    assert!(v.cost_appendix.is_none() && v.legend.statuses.is_empty());
    let r = Renderer::new(&Theme::builtin()).unwrap();
    let full = r.full_page(&v).unwrap();
    assert!(full.contains("Bilag 3 – Søgestrategi"));
    assert!(!full.contains("betydelig merudgift</h3>"));
    r.quick_guide(&v).unwrap();
}
