use super::*;
use vejviser_model::{Group, Registry};
use vejviser_template::TemplateSet;

fn registry() -> Registry {
    let mut r = Registry::default();
    r.groups.insert(
        "DMSG".into(),
        Group {
            name: "Dansk Myelomatose Studiegruppe".into(),
            contact: None,
        },
    );
    r
}

fn run(src: &str) -> Vec<Diagnostic> {
    let set = TemplateSet::builtin();
    let p = vejviser_parse::parse("t.md", src.as_bytes(), &set);
    let g = p.guideline.unwrap();
    let reg = registry();
    let cx = CheckContext {
        template: set.newest(),
        registry: Some(&reg),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        due_within_days: 90,
        archived_as: None,
        front_ok: p.front_ok,
    };
    let mut d = p.diagnostics;
    d.extend(check(&g, &cx));
    d
}

fn codes(d: &[Diagnostic]) -> Vec<Code> {
    d.iter().map(|d| d.code).collect()
}

const HEAD: &str = "+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\nprofessional_approval = { date = 2026-03-03, by = \"DMSG\" }\nadministrative_approval = { date = 2026-04-07, by = \"SundK\" }\nplanned_update = 2029-02-01\n+++\n";

#[test]
fn front_matter_rules() {
    let d = run("+++\ntitle = \"T\"\ndmcg = \"XX\"\nversion = \"1.0\"\nprevious_version = \"1.0\"\nprofessional_approval = { date = 2026-03-03, by = \"D\" }\nadministrative_approval = { date = 2026-03-01, by = \"S\" }\nplanned_update = 2032-01-01\n+++\n");
    let c = codes(&d);
    for code in [
        Code::UnknownGroup,
        Code::PreviousVersionNotLower,
        Code::AdministrativeBeforeProfessional,
        Code::PlannedUpdateBeyondLimit,
    ] {
        assert!(c.contains(&code), "{code} missing in {c:?}");
    }
    let d = run("+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\nprofessional_approval = { date = 2027-03-03, by = \"D\" }\n+++\n");
    let c = codes(&d);
    assert!(
        c.contains(&Code::ApprovalInFuture) && c.contains(&Code::MissingPlannedUpdate),
        "{c:?}"
    );
}

#[test]
fn structure_rules() {
    let d = run(&format!("{HEAD}\n# Referencer\n\n1. A\n\n# 2. Anbefalinger\n\n## B\n\n1. X (B)\n\n# Diskussion\n\n# 9. Om denne kliniske retningslinje\n"));
    let c = codes(&d);
    for code in [
        Code::ChapterOutOfOrder,
        Code::UnknownChapter,
        Code::GeneratedChapterWritten,
        Code::MissingChapter,
    ] {
        assert!(c.contains(&code), "{code} missing in {c:?}");
    }
}

#[test]
fn drafts_are_warned_not_failed_for_missing_parts() {
    let d =
        run("+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"0.1\"\n+++\n\n# 2. Anbefalinger\n");
    assert!(d.iter().all(|d| d.severity == Severity::Warning), "{d:#?}");
    assert!(codes(&d).contains(&Code::MissingChapter));
}

#[test]
fn grade_stronger_than_evidence_is_a_warning() {
    let src = format!("{HEAD}\n# 2. Anbefalinger\n\n## B\n\n1. X (A)\n\n# 4. Evidensgrundlag\n\n## B\n\n[Anbefaling 1]\n\n### Litteratur og evidensgennemgang\n\nStudie (1) [2b].\n\n### Patientværdier og -præferencer\n\n### Rationale\n\n### Praktiske overvejelser\n\n# 5. Referencer\n\n1. R\n");
    let d = run(&src);
    let w: Vec<_> = d
        .iter()
        .filter(|d| d.code == Code::GradeStrongerThanEvidence)
        .collect();
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].line, 20);
}

/// A short but complete guideline (approved), for the completeness rules.
fn finished() -> String {
    let methods: String = [
        "Litteratursøgning",
        "Litteraturgennemgang",
        "Sundhedsøkonomiske konsekvenser",
        "Formulering af anbefalinger",
        "Afvikling af unødvendige behandlinger og procedurer",
        "Interessentinvolvering",
        "Høring",
        "Godkendelse",
        "Behov for yderligere forskning",
        "Forfattere og habilitet",
        "Plan for opdatering",
        "Version af retningslinjeskabelon",
    ]
    .iter()
    .map(|h| format!("## {h}\n\nBeskrevet.\n\n"))
    .collect();
    format!(
        "+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\nkeywords = [\"myelomatose\"]\nprofessional_approval = {{ date = 2026-03-03, by = \"DMSG\" }}\nadministrative_approval = {{ date = 2026-04-07, by = \"SundK\" }}\nplanned_update = 2029-02-01\n+++\n\n\
# 2. Anbefalinger\n\n## Behandling\n\n1. Patienter bør tilbydes behandling X (B)\n\n\
# 3. Introduktion\n\n## Formål\n\nEnsartet behandling.\n\n## Patientgruppe\n\nVoksne.\n\n## Målgruppe for brug af retningslinjen\n\nLæger.\n\n\
# 4. Evidensgrundlag\n\n## Behandling\n\n[Anbefaling 1]\n\n### Litteratur og evidensgennemgang\n\nEt studie (1) [2b].\n\n### Patientværdier og -præferencer\n\nFå bivirkninger.\n\n### Rationale\n\nKlinisk relevant.\n\n### Praktiske overvejelser\n\nIngen.\n\n\
# 5. Referencer\n\n1. Jensen A. Behandling X. Ugeskr Laeger 2020;182:V01200001.\n\n\
# 6. Metode\n\n{methods}# 7. Monitorering\n\nIndikatorer fra databasen.\n"
    )
}

fn of(d: &[Diagnostic], code: Code) -> Vec<(u32, Severity)> {
    d.iter()
        .filter(|d| d.code == code)
        .map(|d| (d.line, d.severity))
        .collect()
}

#[test]
fn a_finished_guideline_is_complete() {
    let d = run(&finished());
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn keywords_are_required_by_the_template() {
    let src = finished();
    let empty = src.replace("keywords = [\"myelomatose\"]", "keywords = [\" \"]");
    assert_eq!(
        of(&run(&empty), Code::MissingRequiredKey),
        vec![(5, Severity::Error)]
    );
    let none = src.replace("keywords = [\"myelomatose\"]\n", "");
    let d = run(&none);
    assert_eq!(of(&d, Code::MissingRequiredKey), vec![(1, Severity::Error)]);
    assert!(d[0].message.contains("no `keywords`"), "{d:#?}");
    // A draft is warned; an archived version is history and not held to it.
    let draft = none
        .replace(
            "professional_approval = { date = 2026-03-03, by = \"DMSG\" }\n",
            "",
        )
        .replace(
            "administrative_approval = { date = 2026-04-07, by = \"SundK\" }\n",
            "",
        )
        .replace("planned_update = 2029-02-01\n", "");
    assert_eq!(
        of(&run(&draft), Code::MissingRequiredKey),
        vec![(1, Severity::Warning)]
    );
}

#[test]
fn archived_versions_are_not_held_to_the_completeness_rules() {
    let src = finished()
        .replace("keywords = [\"myelomatose\"]\n", "")
        .replace("Ingen.", "")
        .replace(
            "1. Jensen A. Behandling X. Ugeskr Laeger 2020;182:V01200001.",
            &format!("1. {}", vejviser_template::examples::REFERENCE.da),
        );
    let set = TemplateSet::builtin();
    let p = vejviser_parse::parse("archive/1.0.md", src.as_bytes(), &set);
    let reg = registry();
    let cx = CheckContext {
        template: set.newest(),
        registry: Some(&reg),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        due_within_days: 90,
        archived_as: Some("1.0"),
        front_ok: p.front_ok,
    };
    let d = check(&p.guideline.unwrap(), &cx);
    assert!(d.is_empty(), "{d:#?}");
    // The same text as the current version has all three.
    let c = codes(&run(&src));
    for code in [
        Code::MissingRequiredKey,
        Code::EmptySection,
        Code::SkeletonPlaceholder,
    ] {
        assert!(c.contains(&code), "{code} missing in {c:?}");
    }
}

#[test]
fn required_sections_need_text_not_just_headings_or_hints() {
    let src = finished()
        // Only a hint comment: nothing a reader sees.
        .replace("Ensartet behandling.", "<!-- Beskriv formålet. -->")
        // Only a deeper heading.
        .replace("Beskrevet.\n\n## Høring", "### Noter\n\n## Høring")
        // An evidence block's part.
        .replace("Klinisk relevant.", "")
        // A chapter without sub-headings.
        .replace("Indikatorer fra databasen.\n", "\n");
    let mut d = run(&src);
    vejviser_diagnostics::sort(&mut d);
    let lines = |l: &[(u32, Severity)]| l.iter().map(|x| x.0).collect::<Vec<_>>();
    let found = of(&d, Code::EmptySection);
    let text: Vec<&str> = src.lines().collect();
    let heading = |h: &str| text.iter().position(|l| *l == h).unwrap() as u32 + 1;
    assert_eq!(
        lines(&found),
        vec![
            heading("## Formål"),
            heading("### Rationale"),
            heading("## Interessentinvolvering"),
            heading("# 7. Monitorering"),
        ],
        "{d:#?}"
    );
    assert!(found.iter().all(|f| f.1 == Severity::Error));
    let msgs: Vec<&str> = d
        .iter()
        .filter(|d| d.code == Code::EmptySection)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(msgs[0], "`Formål` in chapter 3 has no text");
    assert_eq!(
        msgs[1],
        "`Rationale` of the evidence for recommendation 1 has no text"
    );
    assert_eq!(msgs[3], "chapter 7 `Monitorering` has no text");
    // "Not relevant" written out is text.
    let said = finished().replace("Indikatorer fra databasen.", "Ikke relevant.");
    assert!(of(&run(&said), Code::EmptySection).is_empty());
}

#[test]
fn the_skeleton_examples_are_found_wherever_they_are() {
    use vejviser_template::examples::{EVIDENCE, RECOMMENDATION, REFERENCE};
    let src = finished()
        .replace("Patienter bør tilbydes behandling X (B)", RECOMMENDATION.da)
        .replace("Et studie (1) [2b].", EVIDENCE.en)
        // Wrapped over two lines, with text added: still the example.
        .replace(
            "Jensen A. Behandling X. Ugeskr Laeger 2020;182:V01200001.",
            &REFERENCE.da.replace(" Artiklens", "\n   Artiklens"),
        );
    let mut d = run(&src);
    vejviser_diagnostics::sort(&mut d);
    let text: Vec<&str> = src.lines().collect();
    let line = |start: &str| text.iter().position(|l| l.contains(start)).unwrap() as u32 + 1;
    assert_eq!(
        of(&d, Code::SkeletonPlaceholder),
        vec![
            (line("1. Patienter med nydiagnosticeret"), Severity::Error),
            (line("Example: In a randomised"), Severity::Error),
            (line("1. Efternavn AB"), Severity::Error),
        ],
        "{d:#?}"
    );
    let reference = d
        .iter()
        .find(|d| d.code == Code::SkeletonPlaceholder && d.message.contains("reference"))
        .unwrap();
    assert_eq!(reference.column, 4, "at the reference's text, after `1. `");
    assert!(reference.help.as_deref().unwrap().contains("Vancouver"));
    // Words of an example are not the example.
    let own = finished().replace("Ingen.", "Eksempel: en patient med feber får PET-CT.");
    assert!(of(&run(&own), Code::SkeletonPlaceholder).is_empty());
}
