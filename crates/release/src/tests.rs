use super::*;

const PUBLISHED: &str = "+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"2.0\"  # MAJOR.MINOR\n# approvals\nprofessional_approval = { date = 2025-03-03, by = \"DMSG\" }\nadministrative_approval = { date = 2025-04-07, by = \"SundK\" }\nplanned_update = 2028-03-01\n+++\n\n# 2. Anbefalinger\n";
const DRAFT: &str = "+++\ntitle = \"T\"\ndmcg = \"DMSG\"\nversion = \"1.0\"\n+++\n\nbody\n";

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

fn approval(date: &str, by: &str) -> Option<NewApproval> {
    Some(NewApproval {
        date: date.parse().unwrap(),
        by: by.into(),
    })
}

fn release(version: &str) -> Release {
    Release {
        version: v(version),
        professional_approval: approval("2026-05-01", "DMSG"),
        administrative_approval: approval("2026-06-01", "SundK"),
        planned_update: Some("2029-05-01".parse().unwrap()),
    }
}

fn setup(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("guideline.md");
    fs::write(&g, text).unwrap();
    (dir, g)
}

#[test]
fn a_published_version_is_archived_and_the_new_one_written() {
    let (dir, g) = setup(PUBLISHED);
    let p = plan(&g, PUBLISHED, &release("2.1")).unwrap();
    assert_eq!(
        p.archive,
        ArchiveAction::Create(dir.path().join("archive/2.0.md"))
    );
    apply(&p).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("archive/2.0.md")).unwrap(),
        PUBLISHED
    );
    let new = fs::read_to_string(&g).unwrap();
    assert!(new.contains("version = \"2.1\"  # MAJOR.MINOR\n"), "{new}");
    assert!(new.contains("previous_version = \"2.0\"\n# approvals\nprofessional_approval = { date = 2026-05-01, by = \"DMSG\" }"), "{new}");
    assert!(new.ends_with("+++\n\n# 2. Anbefalinger\n"));
}

#[test]
fn the_diff_shows_the_front_matter_change_at_file_lines() {
    let (_dir, g) = setup(PUBLISHED);
    let d = plan(&g, PUBLISHED, &release("2.1"))
        .unwrap()
        .front_matter_diff();
    assert!(
        d.contains("-version = \"2.0\"  # MAJOR.MINOR\n+version = \"2.1\"  # MAJOR.MINOR\n"),
        "{d}"
    );
    assert!(d.contains("+previous_version = \"2.0\"\n"), "{d}");
    assert!(
        d.starts_with(&format!(
            "--- {}\n+++ {} (version 2.1)\n@@ -2,",
            g.display(),
            g.display()
        )),
        "{d}"
    );
}

#[test]
fn versions_must_go_up() {
    let (_dir, g) = setup(PUBLISHED);
    for bad in ["2.0", "1.9"] {
        let e = plan(&g, PUBLISHED, &release(bad)).unwrap_err();
        assert!(matches!(e, ReleaseError::NotHigher { .. }), "{e}");
    }
    let (_dir, g) = setup(DRAFT);
    assert!(plan(&g, DRAFT, &release("1.0")).is_ok());
    let e = plan(&g, DRAFT, &release("0.9")).unwrap_err();
    assert!(matches!(e, ReleaseError::LowerThanDraft { .. }), "{e}");
}

#[test]
fn a_draft_is_approved_without_archiving() {
    let (dir, g) = setup(DRAFT);
    let p = plan(&g, DRAFT, &release("1.0")).unwrap();
    assert_eq!(p.archive, ArchiveAction::Nothing);
    apply(&p).unwrap();
    assert!(!dir.path().join("archive").exists());
    let new = fs::read_to_string(&g).unwrap();
    assert!(!new.contains("previous_version"), "{new}");
    assert!(new.contains("planned_update = 2029-05-01\n+++\n"), "{new}");
}

#[test]
fn without_new_approvals_the_next_version_is_a_draft() {
    let (_dir, g) = setup(PUBLISHED);
    let r = Release {
        version: v("3.0"),
        professional_approval: None,
        administrative_approval: None,
        planned_update: None,
    };
    let p = plan(&g, PUBLISHED, &r).unwrap();
    let (front, _) = vejviser_parse::parse_front_matter("g", p.updated.as_bytes());
    let front = front.unwrap();
    assert!(front.is_draft());
    assert_eq!(front.planned_update, None);
    assert_eq!(front.previous_version, Some(v("2.0")));
    assert!(
        p.updated.contains("# approvals\n"),
        "comments survive: {}",
        p.updated
    );
}

#[test]
fn an_identical_archive_is_fine_and_a_different_one_is_refused() {
    let (dir, g) = setup(PUBLISHED);
    fs::create_dir(dir.path().join("archive")).unwrap();
    let a = dir.path().join("archive/2.0.md");
    fs::write(&a, PUBLISHED).unwrap();
    let p = plan(&g, PUBLISHED, &release("2.1")).unwrap();
    assert_eq!(p.archive, ArchiveAction::AlreadyArchived(a.clone()));
    fs::write(&a, "something else").unwrap();
    let e = plan(&g, PUBLISHED, &release("2.1")).unwrap_err();
    assert!(matches!(e, ReleaseError::ArchiveDiffers { .. }), "{e}");
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir);
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.display().to_string());
        if p.is_dir() {
            out.extend(walk(&p));
        }
    }
    out
}

#[test]
fn a_failed_final_rename_undoes_the_archive() {
    let (dir, g) = setup(PUBLISHED);
    let before = listing(dir.path());
    let p = plan(&g, PUBLISHED, &release("2.1")).unwrap();
    let e = apply_with(&p, |_, _| Err(io::Error::other("disk full"))).unwrap_err();
    assert!(e.to_string().contains("disk full"), "{e}");
    assert_eq!(fs::read_to_string(&g).unwrap(), PUBLISHED);
    assert_eq!(
        listing(dir.path()),
        before,
        "no archive, no temporary files"
    );
}

#[test]
fn an_unwritable_archive_leaves_everything_as_it_was() {
    let (dir, g) = setup(PUBLISHED);
    let p = plan(&g, PUBLISHED, &release("2.1")).unwrap();
    // A file where the archive folder should be: creating archive/2.0.md fails, even as root.
    fs::write(dir.path().join("archive"), "not a folder").unwrap();
    let before = listing(dir.path());
    let e = apply(&p).unwrap_err();
    assert!(e.to_string().contains("archive"), "{e}");
    assert_eq!(fs::read_to_string(&g).unwrap(), PUBLISHED);
    assert_eq!(
        fs::read_to_string(dir.path().join("archive")).unwrap(),
        "not a folder"
    );
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn a_file_changed_after_planning_is_not_overwritten() {
    let (_dir, g) = setup(PUBLISHED);
    let p = plan(&g, PUBLISHED, &release("2.1")).unwrap();
    fs::write(&g, "edited meanwhile").unwrap();
    let e = apply(&p).unwrap_err();
    assert!(matches!(e, ReleaseError::ChangedMeanwhile { .. }), "{e}");
    assert_eq!(fs::read_to_string(&g).unwrap(), "edited meanwhile");
}

#[test]
fn bad_front_matter_is_reported_with_its_line() {
    let text = "+++\ntitle = \"T\"\nversion = 2.0\n+++\n";
    let (_dir, g) = setup(text);
    match plan(&g, text, &release("2.1")).unwrap_err() {
        ReleaseError::FrontMatter { line, .. } => assert_eq!(line, 3),
        e => panic!("{e}"),
    }
}

#[test]
fn an_archive_path_that_is_not_a_folder_is_refused_when_planning() {
    let (dir, g) = setup(PUBLISHED);
    fs::write(dir.path().join("archive"), "not a folder").unwrap();
    let e = plan(&g, PUBLISHED, &release("2.1")).unwrap_err();
    assert!(matches!(e, ReleaseError::Io { .. }), "{e}");
}
