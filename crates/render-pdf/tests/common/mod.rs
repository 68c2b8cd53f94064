//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use vejviser_model::Guideline;
use vejviser_template::TemplateSet;
use vejviser_view::{GuidelineView, ViewOptions};

/// The date the revision status is computed for: fixed, so statuses never drift.
#[allow(dead_code)]
pub fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// The PDF with every object written out plainly (no object streams, streams
/// uncompressed), as qpdf's QDF form, for tests that look at the objects; `None` (and a
/// SKIPPED note) when qpdf is not installed.
#[allow(dead_code)]
pub fn expanded(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let src = dir.path().join("in.pdf");
    let dst = dir.path().join("out.pdf");
    std::fs::write(&src, pdf).ok()?;
    match Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&src)
        .arg(&dst)
        .status()
    {
        Ok(s) if s.success() || s.code() == Some(3) => {}
        Ok(s) => panic!("qpdf --qdf failed: {s}"),
        Err(_) => {
            eprintln!("SKIPPED: qpdf not installed");
            return None;
        }
    }
    let bytes = std::fs::read(&dst).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[allow(dead_code)]
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[allow(dead_code)]
/// Every sample guideline: current versions and archived ones.
pub fn samples() -> Vec<PathBuf> {
    let sources = vejviser_load::discover(&[repo().join("guidelines")], true).unwrap();
    let paths: Vec<PathBuf> = sources.into_iter().map(|s| s.path).collect();
    assert!(paths.len() >= 4, "samples not found: {paths:?}");
    paths
}

#[allow(dead_code)]
pub fn view_of(g: &Guideline, path: &Path) -> GuidelineView {
    let templates = TemplateSet::builtin();
    let reg_text = std::fs::read_to_string(repo().join("guidelines/dmcg.toml")).unwrap();
    let registry = vejviser_parse::parse_registry("dmcg.toml", &reg_text).unwrap();
    let rev = vejviser_revision::revision(
        g.front.professional_approval.as_ref().map(|a| a.date),
        g.front.planned_update,
        as_of(),
        vejviser_revision::DEFAULT_DUE_WITHIN_DAYS,
    );
    let archived = path.parent().is_some_and(|p| p.ends_with("archive"));
    let template = templates
        .get(&g.template)
        .unwrap_or_else(|| templates.newest());
    GuidelineView::new(
        g,
        template,
        registry.get(&g.front.dmcg),
        &rev,
        &ViewOptions {
            archived,
            ..ViewOptions::default()
        },
    )
}

/// Compares `actual` with the golden file `tests/golden/<name>` (`what` names it in the
/// message); `UPDATE_GOLDEN=1` writes it instead.
#[allow(dead_code)]
pub fn golden(name: &str, what: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        eprintln!("updated {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "layout of {what} changed (first difference at line {}):\n  expected: {:?}\n  actual:   {:?}\n\
             If the change is intended, run with UPDATE_GOLDEN=1 and review the diff.",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}
