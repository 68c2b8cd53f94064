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
