//! Rebuilds: only what changed is checked and rendered again (the cache), an
//! edited archived version checks the current one again, and a rebuild from the
//! spare always equals a cold build.

use super::*;

#[test]
fn rebuild_after_editing_one_guideline_renders_only_that_one() {
    let (_tmp, g, out) = editable_fixture();
    site(&g, &out, &[]).success();
    let first = snapshot(&out);

    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 0 of") && err.contains("rendered 0,"),
        "an unchanged tree checks and renders nothing: {err}"
    );
    assert_eq!(snapshot(&out), first, "a no-op rebuild changes nothing");

    let f = g.join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    std::fs::write(
        &f,
        read(&f).replacen(
            "\n# 3. Introduction\n",
            "\n# 3. Introduction\n\nEdited for the incremental test.\n",
            1,
        ),
    )
    .unwrap();
    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 1 of") && err.contains("rendered 1,"),
        "{err}"
    );
    assert!(read(&out.join("dbcg/adjuvant-endocrine-therapy/full.html"))
        .contains("Edited for the incremental test."));
    assert_eq!(
        std::fs::read(out.join("dmsg/myelomatose-hdt/full.html")).unwrap(),
        first["dmsg/myelomatose-hdt/full.html"]
    );

    // Another date can change every file's status: everything is checked again.
    let r = Command::cargo_bin("vejviser")
        .unwrap()
        .args([
            "site",
            "--as-of",
            "2027-06-01",
            "--base-url",
            "https://retningslinjer.example.dk/",
        ])
        .arg("--guidelines")
        .arg(&g)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    let files = std::fs::read_to_string(out.join(".vejviser-cache.json"))
        .unwrap()
        .matches("\"recommendations\"")
        .count();
    assert!(err.contains(&format!("checked {files} files;")), "{err}");
}

#[test]
fn rebuild_after_editing_an_archived_version_checks_the_current_one_again() {
    // The current version's findings against its previous version (VV0505)
    // depend on the archived file: an unchanged guideline.md whose previous
    // version changed must not keep the outcome remembered from before.
    let (_tmp, g, out) = editable_fixture();
    site(&g, &out, &[]).success();
    let dir = g.join("dmsg/myelomatose-hdt");
    let check = |g: &Path| {
        let r = Command::cargo_bin("vejviser")
            .unwrap()
            .args(["check", "--as-of", AS_OF, "--format", "json"])
            .arg(g)
            .assert();
        String::from_utf8_lossy(&r.get_output().stdout).into_owned()
    };
    let misses = |json: &str| json.matches("VV0505").count();
    let before = misses(&check(&dir));
    let old = dir.join("archive/1.5.md");
    let text = read(&old);
    assert!(text.contains("melphalan 200 mg/m²(A)"));
    std::fs::write(
        &old,
        text.replace("melphalan 200 mg/m²(A)", "melphalan 180 mg/m²(A)"),
    )
    .unwrap();
    assert!(
        misses(&check(&dir)) > before,
        "the changelog does not name the changed recommendation"
    );
    let r = site(&g, &out, &[]).success();
    let err = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(
        err.contains("checked 2 of"),
        "the archived file and the current one are checked: {err}"
    );
}

/// A rebuild starts from the site it replaced (kept beside the output as the
/// spare). Whatever the spare held, the result must equal a build from scratch,
/// and the spare must never change a file of the live site.
#[test]
fn rebuilds_from_the_spare_equal_a_cold_build() {
    let (tmp, g, out) = editable_fixture();
    let f = g.join("dbcg/adjuvant-endocrine-therapy/guideline.md");
    let original = read(&f);
    let check = |step: &str| {
        let cold = tmp.path().join("cold");
        let _ = std::fs::remove_dir_all(&cold);
        site(&g, &cold, &["--no-pdf"]).success();
        assert_same_site(&out, &cold, &format!("{step}, against a cold build"));
    };
    site(&g, &out, &["--no-pdf"]).success();
    // Two edits: the second build has no spare, the third takes it.
    for n in 1..=2 {
        std::fs::write(
            &f,
            original.replacen(
                "\n# 3. Introduction\n",
                &format!("\n# 3. Introduction\n\nEdit {n}.\n"),
                1,
            ),
        )
        .unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check(&format!("edit {n}"));
    }
    assert!(
        tmp.path().join(".public.spare").is_dir(),
        "the replaced site is kept as the spare"
    );
    // Edits to the evidence: a word added (its full-text bucket is patched),
    // then another word instead (one added, one removed), then the title
    // (the guideline's place in the search index moves: the index is made anew).
    let evidence = "\n### Literature and evidence review\n\n";
    for (step, edit) in [
        ("a word added to the evidence", "Zygomorphic findings. "),
        ("a word of the evidence replaced", "Quasistatic findings. "),
    ] {
        std::fs::write(
            &f,
            original.replacen(evidence, &format!("{evidence}{edit}"), 1),
        )
        .unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check(step);
    }
    std::fs::write(
        &f,
        original.replacen("title = \"Adjuvant", "title = \"Zzz adjuvant", 1),
    )
    .unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("the title changed");
    std::fs::write(&f, &original).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("the original again");
    let live = snapshot(&out);
    // A guideline removed, then a failed build, then one more build.
    std::fs::remove_dir_all(g.join("dmg/udloebet-opfoelgning")).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("guideline removed");
    assert_ne!(snapshot(&out), live);
    let live = snapshot(&out);
    std::fs::write(&f, without_grades(&original)).unwrap();
    site(&g, &out, &["--no-pdf"]).code(1);
    assert_eq!(snapshot(&out), live, "a failed build changed the live site");
    std::fs::write(&f, &original).unwrap();
    site(&g, &out, &["--no-pdf"]).success();
    check("after a failed build");

    // A symlink planted in the spare cannot lead a write outside it.
    #[cfg(unix)]
    {
        let spare = tmp.path().join(".public.spare");
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::remove_dir_all(spare.join("dbcg")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("dbcg")).unwrap();
        site(&g, &out, &["--no-pdf"]).success();
        check("with a symlink in the spare");
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            0,
            "written through the symlink"
        );
    }
}
