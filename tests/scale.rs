//! Memory of `vejviser site` does not grow with the number of guidelines
//! (issue 18): each guideline folder is checked, rendered and dropped by itself.
//!
//! The corpus is the sample guidelines copied under new slugs, 271 folders in
//! all (the national corpus's count) and a quarter of that. Peak resident memory
//! is read from the child's rusage (`ru_maxrss`) by a two-line Python wrapper,
//! so no tool beyond CI's Python is needed. The bounds are generous: a build
//! that kept each guideline's model (as before this change) grows by several
//! hundred KB per guideline, about 60 MB between the two sizes in a debug build.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const WRAP: &str = "import resource, subprocess, sys\n\
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
sys.stderr.buffer.write(r.stderr[-2000:])\n\
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
sys.exit(r.returncode)";

/// A guidelines tree of `folders` guideline folders: the samples, copied.
fn corpus(root: &Path, folders: usize) -> PathBuf {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines");
    let g = root.join("guidelines");
    std::fs::create_dir_all(&g).unwrap();
    std::fs::copy(samples.join("dmcg.toml"), g.join("dmcg.toml")).unwrap();
    let mut originals = Vec::new();
    for group in std::fs::read_dir(&samples).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for slug in std::fs::read_dir(&group).unwrap() {
            originals.push(slug.unwrap().path());
        }
    }
    originals.sort();
    for i in 0..folders {
        let from = &originals[i % originals.len()];
        let group = from.parent().unwrap().file_name().unwrap();
        let slug = format!("{}-{i}", from.file_name().unwrap().to_string_lossy());
        common::copy_dir(from, &g.join(group).join(slug));
    }
    g
}

/// Peak resident memory of `vejviser site --no-pdf` over `guidelines`, in KB.
fn peak_kb(guidelines: &Path, out: &Path) -> u64 {
    let exe = assert_cmd::cargo::cargo_bin("vejviser");
    let o = Command::new("python3")
        .args(["-c", WRAP])
        .arg(exe)
        .args(["site", "--as-of", "2026-11-23", "--no-pdf", "-j2"])
        .arg("--guidelines")
        .arg(guidelines)
        .arg("--out")
        .arg(out)
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "site failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
}

#[test]
fn site_memory_stays_flat_as_guidelines_are_added() {
    let tmp = tempfile::tempdir().unwrap();
    let small = corpus(&tmp.path().join("small"), 68);
    let national = corpus(&tmp.path().join("national"), 271);
    let small_kb = peak_kb(&small, &tmp.path().join("small-site/public"));
    let national_kb = peak_kb(&national, &tmp.path().join("national-site/public"));
    eprintln!("peak memory: 68 folders {small_kb} KB, 271 folders {national_kb} KB");
    // Four times the guidelines: what grows is only the overview rows and the
    // search index (a few KB per guideline).
    assert!(
        national_kb < small_kb + 25 * 1024,
        "peak memory grew from {small_kb} KB to {national_kb} KB"
    );
    // The target at the national size is 200 MB with PDFs.
    assert!(national_kb < 200 * 1024, "{national_kb} KB");
}

/// Every line of prose in `md`, without block marks, as guideline.json must hold it.
fn prose_lines(md: &str) -> Vec<String> {
    md.lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .filter(|l| l.len() > 40 && !l.starts_with(['|', '+', '<']))
        .map(str::to_string)
        .collect()
}

#[test]
fn guideline_json_is_lean_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines");
    let run = |out: &Path, extra: &[&str]| {
        assert_cmd::Command::cargo_bin("vejviser")
            .unwrap()
            .args(["site", "--as-of", "2026-11-23", "--no-pdf", "--guidelines"])
            .arg(&samples)
            .arg("--out")
            .arg(out)
            .args(extra)
            .assert()
            .success();
    };
    let lean = tmp.path().join("lean/public");
    let full = tmp.path().join("spans/public");
    run(&lean, &[]);
    run(&full, &["--json-spans"]);
    let rel = "dmsg/myelomatose-hdt/guideline.json";
    let text = std::fs::read_to_string(lean.join(rel)).unwrap();
    let with_spans = std::fs::read_to_string(full.join(rel)).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "vejviser-guideline/2");
    assert!(
        !text.contains("\"span\""),
        "no source positions unless asked"
    );
    assert!(with_spans.contains("\"span\":{"), "--json-spans gives them");
    // Chapter 4's text is given once, in `evidence`.
    let evidence = doc["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "evidence")
        .unwrap();
    assert_eq!(evidence["see"], "evidence");
    assert!(text.len() < with_spans.len());
    // Nothing the author wrote is lost: every prose line of the source is in
    // the JSON (as JSON escapes it), and the JSON is not much larger than the
    // source (format /1 was about 2.8 times the source on the generated corpus).
    let source =
        std::fs::read_to_string(samples.join("dmsg/myelomatose-hdt/guideline.md")).unwrap();
    assert!(
        text.len() < source.len() * 3 / 2,
        "{} vs {}",
        text.len(),
        source.len()
    );
    let body = source.splitn(3, "+++").nth(2).unwrap();
    for line in prose_lines(body) {
        let escaped = serde_json::to_string(&line).unwrap();
        let escaped = &escaped[1..escaped.len() - 1];
        let stripped = escaped.trim_start_matches(|c: char| {
            c.is_ascii_digit() || c == '.' || c == ' ' || c == '-' || c == '*'
        });
        assert!(text.contains(stripped), "lost from guideline.json: {line}");
    }
}

/// Bytes of a built site: (guideline versions, bytes of everything published,
/// bytes of each archived version's quick-guide files).
struct SiteBytes {
    versions: u64,
    total: u64,
    archived_quick: u64,
    archived: u64,
}

fn site_bytes(out: &Path) -> SiteBytes {
    let mut s = SiteBytes {
        versions: 0,
        total: 0,
        archived_quick: 0,
        archived: 0,
    };
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = e.file_name().to_string_lossy().into_owned();
        // The build's own state (the cache, the site mark) is not published.
        if name.starts_with('.') {
            continue;
        }
        let len = e.metadata().unwrap().len();
        s.total += len;
        let parts: Vec<&str> = rel.split('/').collect();
        let archived = parts.len() == 4 && parts[2].contains('.');
        s.versions += u64::from(name == "full.html");
        if archived {
            s.archived += len;
            if name == "index.html" || name.ends_with("-quick.pdf") {
                s.archived_quick += len;
            }
        }
    }
    s
}

/// The published site's size per guideline version, with PDFs (issue 18): a
/// generous bound on bytes, not a timing. On the samples a version costs about
/// 190 KB (full page, quick guide, JSON, two PDFs, its share of the shared
/// pages); an archived version publishes no quick guide or quick PDF of its own
/// (docs/site.md), only a short index.html pointing into its full page.
/// `VEJVISER_SCALE_GUIDELINES` names another tree to check (say the generated 1×
/// corpus, about 360 KB per version: its guidelines are longer), with
/// `VEJVISER_SCALE_KB` its bound per version.
#[test]
fn published_bytes_per_guideline_version_stay_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("guidelines");
    let mut trees = vec![(samples, 250u64)];
    if let Some(dir) = std::env::var_os("VEJVISER_SCALE_GUIDELINES") {
        let kb = std::env::var("VEJVISER_SCALE_KB").map_or(450, |v| v.parse().unwrap());
        trees.push((PathBuf::from(dir), kb));
    }
    for (i, (tree, kb)) in trees.iter().enumerate() {
        let out = tmp.path().join(format!("{i}/public"));
        assert_cmd::Command::cargo_bin("vejviser")
            .unwrap()
            .args(["site", "--as-of", "2026-11-23", "--keep-going", "-j2"])
            .arg("--guidelines")
            .arg(tree)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let s = site_bytes(&out);
        let per = s.total / s.versions.max(1);
        eprintln!(
            "{}: {} versions, {} KB, {} KB per version, archived {} KB of which quick-guide files {} KB",
            tree.display(),
            s.versions,
            s.total / 1024,
            per / 1024,
            s.archived / 1024,
            s.archived_quick / 1024
        );
        assert!(s.versions > 0);
        assert!(
            per <= kb * 1024,
            "{} KB per version (bound {kb} KB)",
            per / 1024
        );
        // An archived version's index.html only points into its full page.
        let archived_versions = walkdir::WalkDir::new(&out)
            .min_depth(3)
            .max_depth(3)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_dir() && e.file_name().to_string_lossy().contains('.'))
            .count() as u64;
        assert!(
            archived_versions > 0,
            "{}: no archived version",
            tree.display()
        );
        assert!(
            s.archived_quick <= archived_versions * 4 * 1024,
            "{} KB of quick-guide files in {archived_versions} archived versions",
            s.archived_quick / 1024
        );
    }
}
