use super::*;
use vejviser_model::content::{walk_inlines, Block, Inline};
use vejviser_model::Registry;
use vejviser_template::TemplateSet;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample(rel: &str) -> Guideline {
    let path = format!("{}/../../guidelines/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    vejviser_parse::parse(rel, &bytes, &TemplateSet::builtin())
        .guideline
        .unwrap()
}

fn registry() -> Registry {
    let path = format!("{}/../../guidelines/dmcg.toml", env!("CARGO_MANIFEST_DIR"));
    vejviser_parse::parse_registry("dmcg.toml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn view_of(g: &Guideline, as_of: NaiveDate, opts: &ViewOptions) -> GuidelineView {
    let reg = registry();
    let templates = TemplateSet::builtin();
    let rev = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|a| a.date),
        g.front.planned_update,
        as_of,
        vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
    );
    GuidelineView::new(g, templates.newest(), reg.get(&g.front.dmcg), &rev, opts)
}

const MYELOMA: &str = "dmsg/myelomatose-hdt/guideline.md";
const BREAST: &str = "dbcg/adjuvant-endocrine-therapy/guideline.md";

#[test]
fn chapters_carry_template_numbers_in_template_order() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let numbers: Vec<u32> = v.chapters.iter().map(|c| c.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let anchors: Vec<&str> = v.chapters.iter().map(|c| c.anchor.as_str()).collect();
    assert_eq!(
        anchors,
        [
            "nyt-siden-sidst",
            "anbefalinger",
            "introduktion",
            "evidensgrundlag",
            "referencer",
            "metode",
            "monitorering",
            "bilag",
            "om-denne-kliniske-retningslinje"
        ]
    );
    assert_eq!(v.chapters[1].title, "Anbefalinger (centrale budskaber)");
    // Chapter 9 is generated from the template with the group filled in.
    assert!(v.chapters[8]
        .intro
        .contains("udarbejdet af Dansk Myelomatose Studiegruppe (DMSG)"));
}

#[test]
fn recommendations_are_numbered_and_grouped_by_topic() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let by_topic: Vec<(String, Vec<u32>)> = v
        .topics
        .iter()
        .map(|t| {
            (
                t.title.clone(),
                t.recommendations.iter().map(|r| r.number).collect(),
            )
        })
        .collect();
    assert_eq!(
        by_topic,
        [
            (
                "Udvælgelse og induktionsbehandling".to_string(),
                vec![1, 2, 3]
            ),
            (
                "Stamcellehøst og højdosisbehandling".to_string(),
                vec![4, 5, 6]
            ),
            ("Vedligeholdelsesbehandling".to_string(), vec![7, 8]),
        ]
    );
    assert_eq!(v.recommendation_count, 8);
    let r5 = v.recommendations().find(|r| r.number == 5).unwrap();
    assert_eq!(r5.anchor, "anbefaling-5");
    assert_eq!(r5.evidence_anchor.as_deref(), Some("evidens-anbefaling-5"));
    let grades: Vec<Option<char>> = r5
        .statements
        .iter()
        .map(|s| s.grade.as_ref().map(|g| g.letter))
        .collect();
    assert_eq!(grades, [Some('A'), Some('C')]);
    assert_eq!(
        r5.statements[0].text,
        "Højdosisbehandling bør gives som melphalan 200 mg/m²"
    );
    assert_eq!(
        r5.statements[1].grade.as_ref().unwrap().label,
        "Anbefalingsgrad C"
    );
    // Topic anchors sit under the chapter's anchor.
    assert_eq!(
        v.topics[0].anchor,
        "anbefalinger-udvaelgelse-og-induktionsbehandling"
    );
    assert_eq!(v.chapters[1].toc.len(), 3);
}

#[test]
fn every_anchor_on_the_page_is_unique() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let mut all: Vec<String> = Vec::new();
    all.extend(v.chapters.iter().map(|c| c.anchor.clone()));
    all.extend(
        v.chapters
            .iter()
            .flat_map(|c| c.sections.iter().map(|s| s.anchor.clone())),
    );
    all.extend(v.topics.iter().map(|t| t.anchor.clone()));
    all.extend(v.cost_appendix.iter().map(|c| c.anchor.clone()));
    all.extend(v.evidence_levels.iter().map(|l| l.anchor.clone()));
    all.extend(v.recommendations().map(|r| r.anchor.clone()));
    all.extend(v.evidence.iter().map(|t| t.anchor.clone()));
    all.extend(
        v.evidence
            .iter()
            .flat_map(|t| t.blocks.iter().map(|b| b.anchor.clone())),
    );
    all.extend(v.references.iter().map(|r| r.anchor.clone()));
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
}

#[test]
fn legend_lists_only_statuses_used() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let keys: Vec<&str> = v.legend.statuses.iter().map(|s| s.key).collect();
    assert_eq!(keys, ["recommended", "not-recommended", "not-assessed"]);
    let symbols: Vec<&str> = v.legend.statuses.iter().map(|s| s.symbol).collect();
    assert_eq!(symbols, ["✓", "✗", "?"]);
    assert_eq!(v.legend.grades.len(), 4);
    assert!(v.legend.extra_cost);

    // The breast cancer sample uses only two of the three statuses.
    let v = view_of(&sample(BREAST), date(2025, 1, 1), &ViewOptions::default());
    let keys: Vec<&str> = v.legend.statuses.iter().map(|s| s.key).collect();
    assert_eq!(keys, ["recommended", "not-recommended"]);

    // And a guideline without markers has no status legend at all.
    let mut g = sample(BREAST);
    for r in &mut g.recommendations {
        r.medicinraadet = None;
    }
    assert!(view_of(&g, date(2025, 1, 1), &ViewOptions::default())
        .legend
        .statuses
        .is_empty());
}

#[test]
fn status_symbols_are_the_same_whichever_way_authors_wrote_them() {
    // Recommendation 2 uses `[Medicinrådet: anbefalet]`, 4 uses `●`.
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let mr = |n: u32| {
        v.recommendations()
            .find(|r| r.number == n)
            .unwrap()
            .medicinraadet
            .clone()
            .unwrap()
    };
    assert_eq!(mr(2), mr(4));
    assert_eq!(mr(2).label, "Anbefalet af Medicinrådet");
}

#[test]
fn english_guidelines_get_english_labels_and_anchors() {
    let v = view_of(&sample(BREAST), date(2025, 1, 1), &ViewOptions::default());
    assert_eq!(v.lang, "en");
    assert_eq!(v.labels.doc_type, "Clinical guideline");
    assert_eq!(v.chapters[1].title, "Recommendations (key messages)");
    assert_eq!(v.chapters[0].anchor, "whats-new");
    assert_eq!(v.topics[0].recommendations[0].anchor, "recommendation-1");
    let labels: Vec<&str> = v.front_fields.iter().map(|f| f.label).collect();
    assert_eq!(
        labels,
        [
            "Version",
            "Professional approval",
            "Administrative approval",
            "Planned update",
            "Keywords"
        ]
    );
    assert_eq!(
        v.front_fields[1].value,
        "22 January 2024, Danish Breast Cancer Group"
    );
    assert!(v
        .chapters
        .last()
        .unwrap()
        .intro
        .starts_with("This clinical guideline"));
}

#[test]
fn evidence_prose_links_citations_and_collects_levels() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let first = &v.evidence[0].blocks[0];
    assert_eq!(first.anchor, "evidens-anbefaling-1");
    // `[Anbefaling 1]` gets recommendation 1's text inserted.
    assert_eq!(first.recommendations[0].number, 1);
    assert!(first.recommendations[0].statements[0]
        .text
        .starts_with("Patienter ≤ 70 år"));
    let mut cited = Vec::new();
    Block::for_each_inlines(&first.parts[0].content, &mut |inl| {
        walk_inlines(inl, &mut |i| {
            if let Inline::Citation(c) = i {
                cited.push(v.cite(c))
            }
        })
    });
    assert_eq!(cited[0].text(), "(1) [niveau 1a]");
    assert!(cited[0].parts.contains(&cite::CitePart::Number {
        written: "1",
        anchor: Some("ref-1".into())
    }));
    let levels: Vec<&str> = v.evidence_levels.iter().map(|l| l.level.as_str()).collect();
    assert_eq!(levels, ["1a", "1b", "2b", "2c", "4"]);
    assert_eq!(v.references[13].anchor, "ref-14");
}

#[test]
fn structured_content_is_not_repeated_in_the_prose() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    assert_eq!(
        Block::plain_text(&v.chapters[0].intro_content),
        "Nyt siden version 1.5:"
    );
    assert_eq!(v.changelog.len(), 6);
    assert_eq!(v.changelog[1].chapter, "");
    let refs = v
        .chapters
        .iter()
        .find(|c| c.role == ChapterRole::References)
        .unwrap();
    assert_eq!(refs.intro_content, vec![]);
}

#[test]
fn cost_appendix_is_generated_from_flags() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let c = v.cost_appendix.as_ref().unwrap();
    assert_eq!(c.title, "Bilag 4 – Anbefalinger med betydelig merudgift");
    let numbers: Vec<u32> = c.recommendations.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [2]);
    let appendices = v
        .chapters
        .iter()
        .find(|ch| ch.role == ChapterRole::Appendices)
        .unwrap();
    assert_eq!(appendices.toc.last().unwrap().anchor, c.anchor);
}

#[test]
fn status_banner_follows_the_revision_status() {
    let g = sample(MYELOMA); // approved 2025-03-03, planned update 2028-03-01
    let none = view_of(&g, date(2026, 1, 1), &ViewOptions::default());
    assert_eq!(none.status, "current");
    assert!(none.status_banner.is_none());

    let due = view_of(&g, date(2028, 1, 15), &ViewOptions::default());
    assert_eq!(
        due.status_banner.unwrap().text,
        "Planlagt opdatering nærmer sig: 1. marts 2028"
    );
    let overdue = view_of(&g, date(2028, 6, 1), &ViewOptions::default());
    let b = overdue.status_banner.unwrap();
    assert_eq!(b.status, "overdue");
    // The overdue banner gives the date the guideline will be withdrawn.
    assert_eq!(
        b.text,
        "Planlagt opdatering overskredet: 1. marts 2028. Retningslinjen trækkes tilbage \
         3. marts 2030, hvis den ikke er godkendt fagligt på ny inden da."
    );
    assert_eq!(
        overdue.status_line.as_deref(),
        Some("Revision overskredet 1. marts 2028 – trækkes tilbage 3. marts 2030")
    );
    let expired = view_of(&g, date(2030, 3, 3), &ViewOptions::default());
    assert!(expired.withdrawn);
    let text = expired.status_banner.unwrap().text;
    assert!(text.starts_with("Udløbet 3. marts 2030"), "{text}");
    assert!(text.ends_with("trukket tilbage, indtil den er godkendt på ny."));

    // Archived versions carry the archive notice instead.
    let archived = view_of(
        &g,
        date(2028, 6, 1),
        &ViewOptions {
            archived: true,
            current_href: Some("../".into()),
            ..Default::default()
        },
    );
    assert!(archived.archived && archived.status_banner.is_none());
    assert_eq!(archived.links.current.as_deref(), Some("../"));
    assert_eq!(
        archived.archive_notice.as_deref(),
        Some("Dette er ikke den gældende version")
    );
    // Replaced by a known version: which one, and when.
    let replaced = view_of(
        &g,
        date(2028, 6, 1),
        &ViewOptions {
            archived: true,
            replaced_by: Some(VersionLink {
                version: "2.1".into(),
                href: String::new(),
                professional_approval: Some(date(2027, 9, 1)),
            }),
            ..Default::default()
        },
    );
    let notice =
        "Dette er ikke den gældende version – erstattet af version 2.1 (1. september 2027)";
    assert_eq!(replaced.archive_notice.as_deref(), Some(notice));
    assert_eq!(replaced.status_line.as_deref(), Some(notice));
}

#[test]
fn drafts_are_flagged() {
    let path = format!("{}/../../guidelines", env!("CARGO_MANIFEST_DIR"));
    // Find the draft sample by its missing approval rather than by name.
    let mut found = false;
    for entry in [
        "dlcg/sbrt-tidligt-stadie-nsclc/guideline.md",
        "dmg/adjuverende-behandling-melanom/guideline.md",
    ] {
        let _ = &path;
        let g = sample(entry);
        if g.front.is_draft() {
            let v = view_of(&g, date(2026, 1, 1), &ViewOptions::default());
            assert!(v.draft);
            assert_eq!(v.status, "draft");
            assert!(v.status_banner.is_none());
            assert_eq!(v.front_fields[1].value, "Endnu ikke godkendt");
            found = true;
        }
    }
    assert!(found, "one sample guideline is a draft");
}

#[test]
fn page_numbers_in_both_languages() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    assert_eq!(v.page_of(3, 25), "Side 3 af 25");
    let v = view_of(&sample(BREAST), date(2025, 1, 1), &ViewOptions::default());
    assert_eq!(v.page_of(3, 25), "Page 3 of 25");
}

#[test]
fn view_serialises_for_templates() {
    let v = view_of(&sample(MYELOMA), date(2026, 1, 1), &ViewOptions::default());
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["lang"], "da");
    assert_eq!(json["labels"]["keywords"], "Indeksering");
    assert_eq!(json["chapters"][1]["role"], "recommendations");
    assert_eq!(
        json["topics"][0]["recommendations"][1]["medicinraadet"]["symbol"],
        "✓"
    );
    assert_eq!(
        json["topics"][0]["recommendations"][1]["medicinraadet"]["label"],
        "Anbefalet af Medicinrådet"
    );
}
