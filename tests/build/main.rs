//! Integration tests of `vejviser build`: golden pages of a sample guideline
//! (tests/fixtures/build/golden, `INSTA_UPDATE=always cargo test --test build`
//! to accept a change), every recommendation, grade and Medicinrådet status of
//! every sample guideline in its quick guide, an XSS fixture, English labels,
//! errors stopping the build, warnings not stopping it, output folders, and
//! the template override folder.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};

mod pages;

const AS_OF: &str = "2026-01-01";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/guidelines")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines")
}

/// Builds `file` into `out` and returns (quick guide, full page).
fn build(file: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--as-of", AS_OF])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build of {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        std::fs::read_to_string(out.join("full.html")).unwrap(),
    )
}

#[test]
fn golden_pages_of_the_sample_guideline() {
    let tmp = tempfile::tempdir().unwrap();
    let (quick, full) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        tmp.path(),
        &[],
    );
    insta::with_settings!({
        snapshot_path => "../fixtures/build/golden",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("myelomatose-hdt-index.html", quick);
        insta::assert_snapshot!("myelomatose-hdt-full.html", full);
    });
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let file = fixtures().join("dmsg/myelomatose-hdt/guideline.md");
    assert_eq!(build(&file, a.path(), &[]), build(&file, b.path(), &[]));
    assert_eq!(
        std::fs::read(a.path().join("style.css")).unwrap(),
        std::fs::read(b.path().join("style.css")).unwrap()
    );
}

/// Every `guideline.md` and `archive/*.md` under `guidelines/`.
fn sample_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in std::fs::read_dir(samples()).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for g in std::fs::read_dir(&group).unwrap() {
            let g = g.unwrap().path();
            if g.join("guideline.md").is_file() {
                out.push(g.join("guideline.md"));
            }
            if let Ok(archive) = std::fs::read_dir(g.join("archive")) {
                out.extend(archive.map(|e| e.unwrap().path()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_errors_stop_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/fejl/guideline.md"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("VV0104"), "{err}");
    assert!(err.contains("forfatter"), "{err}");
    assert!(err.contains("not built: 1 error(s)"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn warnings_are_printed_and_the_build_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    // Past the planned update: the revision warning, and an overdue banner.
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/myelomatose-hdt/guideline.md"))
        .arg("--out")
        .arg(tmp.path())
        .args(["--as-of", "2028-06-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("warning[VV06"), "{err}");
    assert!(err.contains("with 1 warning(s)"), "{err}");
    let quick = std::fs::read_to_string(tmp.path().join("index.html")).unwrap();
    assert!(quick.contains("class=\"banner banner-overdue\""));
    assert!(quick.contains("Planlagt opdatering overskredet: 1. marts 2028"));
}

#[test]
fn default_output_folders_and_archived_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixtures().join("dmsg/myelomatose-hdt");
    let output = cargo_bin_cmd!("vejviser")
        .current_dir(tmp.path())
        .arg("build")
        .arg(&dir) // a folder means its guideline.md
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = String::from_utf8_lossy(&output.stdout);
    let base = Path::new("build/dmsg/myelomatose-hdt");
    for f in ["index.html", "full.html", "style.css"] {
        assert!(
            written.lines().any(|l| Path::new(l) == base.join(f)),
            "{written}"
        );
        assert!(tmp.path().join(base).join(f).is_file());
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join(base))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    cargo_bin_cmd!("vejviser")
        .current_dir(tmp.path())
        .arg("build")
        .arg(dir.join("archive/1.5.md"))
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    let archived = std::fs::read_to_string(tmp.path().join(base).join("1.5/index.html")).unwrap();
    assert!(archived.contains("Dette er ikke den gældende version"));
    assert!(archived.contains("<a href=\"../\">Gå til den gældende version</a>"));
    assert!(archived.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn a_templates_folder_overrides_files_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let theme = tmp.path().join("theme");
    std::fs::create_dir_all(theme.join("partials")).unwrap();
    std::fs::write(theme.join("style.css"), "/* egen stil */\n").unwrap();
    std::fs::write(
        theme.join("partials/footer.hbs"),
        "<footer class=\"egen\">{{group.name}} – {{labels.version}} {{version}}</footer>\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (quick, full) = build(
        &fixtures().join("dmsg/myelomatose-hdt/guideline.md"),
        &out,
        &["--templates", theme.to_str().unwrap()],
    );
    for html in [&quick, &full] {
        assert!(html.contains(
            "<footer class=\"egen\">Dansk Myelomatose Studiegruppe – Version 2.0</footer>"
        ));
    }
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "/* egen stil */\n"
    );

    // A broken template is a usage error that names the file.
    std::fs::write(theme.join("quick.hbs"), "{{#each}}").unwrap();
    let output = cargo_bin_cmd!("vejviser")
        .arg("build")
        .arg(fixtures().join("dmsg/myelomatose-hdt/guideline.md"))
        .arg("--out")
        .arg(&out)
        .arg("--templates")
        .arg(&theme)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("theme file quick.hbs"));
}

#[test]
fn bad_paths_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    for (arg, says) in [
        (tmp.path().join("nope.md"), "no such file or folder"),
        (tmp.path().to_path_buf(), "no guideline.md in this folder"),
    ] {
        let output = cargo_bin_cmd!("vejviser")
            .arg("build")
            .arg(&arg)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(says), "{err}");
    }
    let output = cargo_bin_cmd!("vejviser")
        .args(["build", "x.md", "--as-of", "01-01-2026"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn every_sample_builds_with_both_pages() {
    for file in sample_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (quick, full) = build(&file, tmp.path(), &[]);
        assert!(quick.contains("href=\"full.html\""), "{}", file.display());
        assert!(full.contains("href=\"index.html\""), "{}", file.display());
        // Every internal link on the full page lands on an anchor of the page.
        let ids: std::collections::BTreeSet<String> = tags(&full)
            .into_iter()
            .flat_map(|(_, a)| a.into_iter())
            .filter(|(k, _)| k == "id")
            .map(|(_, v)| v)
            .collect();
        for (name, attrs) in tags(&full) {
            if name != "a" {
                continue;
            }
            for (k, v) in attrs {
                if let Some(frag) = v.strip_prefix('#').filter(|_| k == "href") {
                    assert!(ids.contains(frag), "{}: dangling #{frag}", file.display());
                }
            }
        }
        // …and so does every link from the quick guide into the full page.
        for (_, attrs) in tags(&quick) {
            for (k, v) in attrs {
                if let Some(frag) = v.strip_prefix("full.html#").filter(|_| k == "href") {
                    assert!(
                        ids.contains(frag),
                        "{}: dangling full.html#{frag}",
                        file.display()
                    );
                }
            }
        }
    }
}

/// Every start tag in `html`: (name, [(attribute, value)]). Good enough for
/// the HTML we write (attributes are always double-quoted).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['/', '!']) {
            continue;
        }
        let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut a = tag[name_end..].trim();
        while !a.is_empty() {
            let key_end = a.find(['=', ' ']).unwrap_or(a.len());
            let key = a[..key_end].to_ascii_lowercase();
            a = a[key_end..].trim_start();
            let mut value = String::new();
            if let Some(v) = a.strip_prefix("=\"") {
                let close = v.find('"').unwrap_or(v.len());
                value = v[..close].to_string();
                a = v[(close + 1).min(v.len())..].trim_start();
            } else if let Some(v) = a.strip_prefix('=') {
                let close = v.find(' ').unwrap_or(v.len());
                value = v[..close].to_string();
                a = v[close..].trim_start();
            }
            attrs.push((key, value));
        }
        out.push((name, attrs));
    }
    out
}
