use super::*;
use vejviser_model::Group;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 11, 23);

fn opts() -> Options {
    Options {
        as_of: day(AS_OF.0, AS_OF.1, AS_OF.2),
        due_within_days: 90,
    }
}

fn registry() -> Registry {
    let mut r = Registry::default();
    r.groups.insert(
        "DMSG".into(),
        Group {
            name: "Dansk Myelomatose Studiegruppe".into(),
            contact: Some(Contact {
                name: "Karen Holmgaard".into(),
                email: "dmsg@example.org".into(),
            }),
        },
    );
    r.groups.insert(
        "DBCG".into(),
        Group {
            name: "Danish Breast Cancer Group".into(),
            contact: None,
        },
    );
    r
}

/// A guideline file from front matter keys (the lines between the `+++`).
fn file(slug: &str, keys: &str) -> GuidelineFile {
    let path = format!("g/{slug}/guideline.md");
    let text =
        format!("+++\ntitle = \"T {slug}\"\nversion = \"1.0\"\n{keys}\n+++\n# 2. Anbefalinger\n");
    let (front, diagnostics) = vejviser_parse::parse_front_matter(&path, text.as_bytes());
    GuidelineFile {
        path,
        slug: slug.into(),
        front,
        diagnostics,
    }
}

/// An approved DMSG guideline.
fn approved(slug: &str, approval: &str, update: &str) -> GuidelineFile {
    file(
        slug,
        &format!(
            "dmcg = \"DMSG\"\nprofessional_approval = {{ date = {approval}, by = \"DMSG\" }}\nplanned_update = {update}"
        ),
    )
}

fn slugs(r: &Report) -> Vec<&str> {
    r.guidelines.iter().map(|g| g.slug.as_str()).collect()
}

#[test]
fn rows_are_sorted_by_status_then_days_overdue() {
    let files = vec![
        file("draft", "dmcg = \"DMSG\""),
        approved("current-far", "2025-01-10", "2029-06-01"),
        approved("current-near", "2025-01-10", "2027-06-01"),
        approved("due-late", "2022-06-10", "2027-02-01"), // 70 days left
        approved("due-soon", "2022-01-10", "2026-12-01"), // 8 days left
        approved("overdue-little", "2022-01-10", "2026-11-01"),
        approved("overdue-much", "2022-01-10", "2025-11-01"),
        approved("expired-recent", "2021-11-20", "2026-01-01"),
        approved("expired-long", "2020-01-10", "2024-01-01"),
    ];
    let r = build(&files, &registry(), &opts());
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(
        slugs(&r),
        [
            "expired-long",
            "expired-recent",
            "overdue-much",
            "overdue-little",
            "due-soon",
            "due-late",
            "current-near",
            "current-far",
            "draft",
        ]
    );
    let statuses: Vec<RevisionStatus> = r.guidelines.iter().map(|g| g.status).collect();
    assert!(statuses.windows(2).all(|w| w[0] >= w[1]), "{statuses:?}");
    assert_eq!(r.guidelines[2].days_overdue, Some(387));
    assert_eq!(r.guidelines[4].days_overdue, Some(-8));
    assert_eq!(r.guidelines[8].days_overdue, None);
    assert_eq!(r.guidelines[0].expires, Some(day(2025, 1, 10)));
}

#[test]
fn ties_are_broken_by_group_then_slug() {
    let mut files = vec![
        approved("b", "2022-01-10", "2026-11-01"),
        approved("a", "2022-01-10", "2026-11-01"),
    ];
    files.push(file(
        "c",
        "dmcg = \"DBCG\"\nprofessional_approval = { date = 2022-01-10, by = \"x\" }\nplanned_update = 2026-11-01",
    ));
    let r = build(&files, &registry(), &opts());
    assert_eq!(slugs(&r), ["c", "a", "b"]);
}

#[test]
fn summary_counts_statuses_overall_and_per_group_with_contacts() {
    let files = vec![
        approved("x1", "2020-01-10", "2024-01-01"), // expired
        approved("x2", "2022-01-10", "2026-11-01"), // overdue
        approved("x3", "2025-01-10", "2029-06-01"), // current
        file("x4", "dmcg = \"DBCG\""),              // draft
        file(
            "x5",
            "dmcg = \"DBCG\"\nprofessional_approval = { date = 2022-01-10, by = \"x\" }\nplanned_update = 2026-12-01",
        ), // due
        file("broken", "dmcg = \"DMSG\"\nplaned_update = 2026-12-01"),
        file("nowhere", "dmcg = \"NOPE\""),
    ];
    let r = build(&files, &registry(), &opts());
    let s = &r.summary;
    assert_eq!(s.guidelines, 5);
    assert_eq!(s.files_with_errors, 2);
    assert_eq!(
        s.counts,
        StatusCounts {
            expired: 1,
            overdue: 1,
            due: 1,
            current: 1,
            draft: 1
        }
    );
    let keys: Vec<&str> = s.groups.iter().map(|g| g.dmcg.as_str()).collect();
    assert_eq!(keys, ["DBCG", "DMSG", "NOPE"]);
    let dbcg = &s.groups[0];
    assert_eq!(
        (dbcg.guidelines, dbcg.counts.due, dbcg.counts.draft),
        (2, 1, 1)
    );
    assert_eq!(dbcg.contact, None);
    assert_eq!(dbcg.name.as_deref(), Some("Danish Breast Cancer Group"));
    let dmsg = &s.groups[1];
    assert_eq!(dmsg.guidelines, 3);
    assert_eq!(
        dmsg.files_with_errors, 0,
        "a misspelt key leaves no front matter, so no group"
    );
    assert_eq!(
        (
            dmsg.counts.expired,
            dmsg.counts.overdue,
            dmsg.counts.current
        ),
        (1, 1, 1)
    );
    assert_eq!(dmsg.contact.as_ref().unwrap().name, "Karen Holmgaard");
    let nope = &s.groups[2];
    assert_eq!((nope.guidelines, nope.files_with_errors), (0, 1));
    assert_eq!(nope.name, None);
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_line() {
    let r = build(
        &[file(
            "broken",
            "dmcg = \"DMSG\"\nplaned_update = 2026-12-01",
        )],
        &registry(),
        &opts(),
    );
    assert!(r.guidelines.is_empty());
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].path, "g/broken/guideline.md");
    assert!(
        r.errors[0].message.starts_with("line 5: ") && r.errors[0].message.contains("VV0104"),
        "{}",
        r.errors[0].message
    );
    assert!(r.fails(FailOn::Never));
}

#[test]
fn a_group_missing_from_the_registry_is_an_error() {
    let r = build(&[file("g", "dmcg = \"NOPE\"")], &registry(), &opts());
    assert!(r.guidelines.is_empty());
    assert_eq!(r.errors.len(), 1);
    let m = &r.errors[0].message;
    assert!(
        m.starts_with("line 4: group `NOPE` is not in dmcg.toml") && m.ends_with("(VV0107)"),
        "{m}"
    );
}

#[test]
fn an_approval_in_the_future_is_an_error() {
    let r = build(
        &[approved("g", "2026-11-24", "2029-01-01")],
        &registry(),
        &opts(),
    );
    assert!(r.guidelines.is_empty());
    let m = &r.errors[0].message;
    assert!(
        m.contains("2026-11-24 is in the future") && m.ends_with("(VV0116)"),
        "{m}"
    );
    // The day itself is not the future.
    let r = build(
        &[approved("g", "2026-11-23", "2029-01-01")],
        &registry(),
        &opts(),
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn a_planned_update_before_the_approval_is_an_error() {
    let r = build(
        &[approved("g", "2025-03-03", "2025-01-01")],
        &registry(),
        &opts(),
    );
    assert!(r.guidelines.is_empty());
    assert_eq!(r.errors.len(), 1);
    let m = &r.errors[0].message;
    assert!(
        m.starts_with("line 6: planned_update 2025-01-01") && m.ends_with("(VV0113)"),
        "{m}"
    );
    assert_eq!(r.errors[0].dmcg.as_deref(), Some("DMSG"));
}

#[test]
fn every_problem_of_a_file_is_listed_in_line_order() {
    let r = build(
        &[file(
            "g",
            "dmcg = \"NOPE\"\nprofessional_approval = { date = 2027-01-01, by = \"x\" }\nplanned_update = 2026-01-01",
        )],
        &registry(),
        &opts(),
    );
    let codes: Vec<&str> = r
        .errors
        .iter()
        .map(|e| &e.message[e.message.len() - 7..e.message.len() - 1])
        .collect();
    assert_eq!(codes, ["VV0107", "VV0116", "VV0113"]);
    assert_eq!(r.summary.files_with_errors, 1);
}

#[test]
fn fail_on_is_a_threshold() {
    let files = vec![
        approved("overdue", "2022-01-10", "2026-11-01"),
        file("draft", "dmcg = \"DMSG\""),
    ];
    let r = build(&files, &registry(), &opts());
    assert!(!r.fails(FailOn::Expired));
    assert!(r.fails(FailOn::Overdue));
    assert!(r.fails(FailOn::Due));
    assert!(!r.fails(FailOn::Never));
    let drafts_only = build(&files[1..], &registry(), &opts());
    assert!(!drafts_only.fails(FailOn::Due));
}

#[test]
fn due_within_moves_the_due_horizon() {
    let files = [approved("g", "2025-01-10", "2027-01-22")]; // 60 days left
    let mut o = opts();
    assert_eq!(
        build(&files, &registry(), &o).guidelines[0].status,
        RevisionStatus::Due
    );
    o.due_within_days = 59;
    assert_eq!(
        build(&files, &registry(), &o).guidelines[0].status,
        RevisionStatus::Current
    );
}

#[test]
fn json_has_exactly_the_agreed_fields() {
    let files = vec![
        approved("x", "2022-01-10", "2026-11-01"),
        file("y", "dmcg = \"NOPE\""),
    ];
    let r = build(&files, &registry(), &opts());
    let v: serde_json::Value =
        serde_json::from_str(&r.render(Format::Json, &RenderOptions::default())).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut top = keys(&v);
    top.sort();
    assert_eq!(
        top,
        [
            "as_of",
            "due_within_days",
            "errors",
            "guidelines",
            "summary"
        ]
    );
    let mut row = keys(&v["guidelines"][0]);
    row.sort();
    assert_eq!(
        row,
        [
            "days_overdue",
            "dmcg",
            "expires",
            "path",
            "planned_update",
            "professional_approval",
            "slug",
            "status",
            "title",
            "version"
        ]
    );
    let mut err = keys(&v["errors"][0]);
    err.sort();
    assert_eq!(err, ["message", "path"]);
    assert_eq!(v["as_of"], "2026-11-23");
    assert_eq!(v["guidelines"][0]["expires"], "2027-01-10");
    assert_eq!(v["guidelines"][0]["version"], "1.0");
    assert_eq!(v["summary"]["overdue"], 1);
}

#[test]
fn csv_is_rfc_4180_and_the_excel_variant_has_a_bom_and_semicolons() {
    let files = vec![
        file("q", "dmcg = \"DMSG\"\ntitle2 = 1"),
        approved("x", "2022-01-10", "2026-11-01"),
    ];
    let r = build(&files, &registry(), &opts());
    let plain = r.render(Format::Csv, &RenderOptions::default());
    assert!(plain.starts_with("path,dmcg,slug,title,"));
    assert!(plain.contains("\r\n") && !plain.replace("\r\n", "").contains('\n'));
    let first_error = plain.lines().nth(1).unwrap();
    assert!(
        first_error.starts_with("g/q/guideline.md,,q,,,error,"),
        "{first_error}"
    );
    let excel = r.render(
        Format::Csv,
        &RenderOptions {
            csv_excel: true,
            ..Default::default()
        },
    );
    assert!(excel.starts_with("\u{feff}path;dmcg;slug;"));
}

#[test]
fn text_is_coloured_only_when_asked() {
    let files = vec![approved("x", "2020-01-10", "2024-01-01")];
    let r = build(&files, &registry(), &opts());
    let plain = r.render(Format::Text, &RenderOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = r.render(
        Format::Text,
        &RenderOptions {
            color: true,
            ..Default::default()
        },
    );
    assert!(coloured.contains("\x1b[1;31mexpired"));
    assert_eq!(
        coloured.replace("\x1b[1;31m", "").replace("\x1b[0m", ""),
        plain
    );
}
