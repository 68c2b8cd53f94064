//! What vejviser prints on a terminal stays bounded and inert whatever the
//! guideline holds: a window of a long line rather than the line, a count
//! rather than thousands of repeats of one finding, control characters shown
//! as escapes, and a reader that stops early (`| head`) ends it quietly.
//! Inputs are generated from the valid check fixture into a temp dir.

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const AS_OF: &str = "2026-11-23";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vejviser() -> Command {
    let mut c = cargo_bin_cmd!("vejviser");
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

/// The valid fixture with `edit` applied, in a temp tree with the registry.
fn guideline(edit: impl Fn(String) -> String) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = root().join("tests/fixtures/check");
    std::fs::copy(fixtures.join("../dmcg.toml"), dir.path().join("dmcg.toml")).unwrap();
    let text = std::fs::read_to_string(fixtures.join("valid/guideline.md")).unwrap();
    let file = dir.path().join("dmsg/x/guideline.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, edit(text)).unwrap();
    (dir, file.to_str().unwrap().to_string())
}

/// The first recommendation's line with `tail` appended.
fn with_recommendation_tail(tail: &str) -> impl Fn(String) -> String + '_ {
    move |text| {
        let at = text.find("\n1. ").expect("a first recommendation") + 1;
        let end = at + text[at..].find('\n').unwrap();
        format!("{}{tail}{}", &text[..end], &text[end..])
    }
}

fn human(file: &str) -> (i32, String) {
    let out = vejviser()
        .args(["check", "--as-of", AS_OF, file])
        .output()
        .unwrap();
    (
        out.status.code().expect("exits"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

#[test]
fn sixteen_thousand_markers_on_one_line_give_ten_findings_and_a_count() {
    let tail = " ●●●".repeat(16_000);
    let (_dir, file) = guideline(with_recommendation_tail(&tail));
    let (status, stderr) = human(&file);
    assert_eq!(status, 1);
    // Before: every finding reprinted the 64 KB line (about 1 GB in all).
    assert!(stderr.len() < 20_000, "{} bytes of output", stderr.len());
    assert_eq!(stderr.matches("error[VV0304]").count(), 10);
    assert!(
        stderr.contains("… and 15,990 more VV0304 in "),
        "{}",
        &stderr[stderr.len().saturating_sub(600)..]
    );
    assert!(
        stderr.contains("16000 error(s)"),
        "the summary counts every finding"
    );
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a {longest}-character line was printed");
    // The JSON lists every finding, with character columns.
    let out = vejviser()
        .args(["check", "--format", "json", "--as-of", AS_OF, &file])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 16_000);
    let last = &diags[15_999];
    assert_eq!(last["code"], "VV0304");
    let col = last["column"].as_u64().unwrap();
    let first = diags[0]["column"].as_u64().unwrap();
    assert_eq!(col - first, 4 * 15_999, "each `●●● ` is four characters");
}

#[test]
fn a_finding_in_a_long_line_shows_a_window_around_its_column() {
    // A 3,700-character line with one bad marker in its middle.
    let words = "lang tekst ".repeat(170);
    let tail = format!(" {words}●●● {words}");
    let (_dir, file) = guideline(with_recommendation_tail(&tail));
    let (_, stderr) = human(&file);
    let shown: Vec<&str> = stderr.lines().filter(|l| l.contains("●●●")).collect();
    assert_eq!(shown.len(), 2, "{stderr}");
    let line = shown.iter().find(|l| l.contains('│')).unwrap();
    // As rustc fits a line to 140 columns: 120 characters of the line, the gutter, "…".
    assert!(line.chars().count() <= 140, "{line}");
    assert!(
        line.contains("… lang tekst") && line.ends_with(" …"),
        "{line}"
    );
    // The caret is under the marker, and the header has its real column.
    assert_caret_under_marker(&stderr, line);
    let text = std::fs::read_to_string(&file).unwrap();
    let bad = text.lines().find(|l| l.contains("●●●")).unwrap();
    let column = bad[..bad.find("●●●").unwrap()].chars().count() + 1;
    assert!(stderr.contains(&format!(":{column}\n")), "{stderr}");
}

#[test]
fn a_line_longer_than_a_terminal_is_cut_at_whole_words() {
    // About 250 characters, as a reference or a table row often is: shown
    // whole it wraps on a terminal and the caret stands under the wrong place.
    let words = "behandling med høj dosis ".repeat(5);
    let tail = format!(" {words}●●● {words}");
    let (_dir, file) = guideline(with_recommendation_tail(&tail));
    let (_, stderr) = human(&file);
    let line = stderr
        .lines()
        .find(|l| l.contains("●●●") && l.contains('│'))
        .unwrap();
    assert!(line.chars().count() <= 140, "{line}");
    let text = line.split_once("│ ").unwrap().1;
    let inner = text
        .strip_prefix("… ")
        .and_then(|t| t.strip_suffix(" …"))
        .unwrap_or_else(|| panic!("cut at both ends: {line}"));
    // Whole words at both ends: every word of the window is a word of the line.
    for w in inner.split(' ') {
        assert!(
            ["behandling", "med", "høj", "dosis", "●●●"].contains(&w),
            "`{w}` in {line}"
        );
    }
    assert_caret_under_marker(&stderr, line);
}

/// The first caret line of `stderr` points at the first `●` of the shown `line`.
fn assert_caret_under_marker(stderr: &str, line: &str) {
    let caret = stderr
        .lines()
        .find(|l| l.trim_start_matches([' ', '│']).starts_with('^'))
        .unwrap();
    let marker_at = line.chars().position(|c| c == '●').unwrap();
    let caret_at = caret.chars().position(|c| c == '^').unwrap();
    assert_eq!(marker_at, caret_at, "\n{line}\n{caret}");
}

#[test]
fn control_characters_from_the_guideline_are_shown_as_escapes() {
    let (_dir, file) = guideline(|t| {
        t.replace(
            "# 7. Monitorering",
            "# 7. Monitorering\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}",
        )
    });
    let (status, stderr) = human(&file);
    assert_eq!(status, 1);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(!stderr.contains('\u{202e}'), "{stderr:?}");
    // In the message and in the source line.
    assert!(
        stderr
            .matches("Monitorering\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}")
            .count()
            >= 2,
        "{stderr}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // Megabytes of JSON; the reader takes a few bytes and closes the pipe.
    let tail = " ●●●".repeat(16_000);
    let (_dir, file) = guideline(with_recommendation_tail(&tail));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["check", "--format", "json", "--as-of", AS_OF, &file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(&head[..1], b"{");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        status.code(),
        Some(1),
        "the findings' status, not 101: {stderr}"
    );
}

#[test]
fn a_folder_name_with_escape_codes_is_shown_escaped_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures/check");
    std::fs::copy(fixtures.join("../dmcg.toml"), dir.path().join("dmcg.toml")).unwrap();
    let folder = dir.path().join("x\u{1b}[31mred\u{1b}]0;title\u{7}");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("guideline.md"), "no front matter\n").unwrap();
    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["fmt", "--check"],
        vec!["report", "--format", "text"],
    ] {
        let out = vejviser().args(&args).arg(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if args.contains(&"json") {
            // JSON escapes control characters itself: `\u001b`.
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(stdout.contains("x\\u001b[31mred"), "{stdout}");
            assert!(
                !stdout.contains('\u{1b}') && stderr.is_empty(),
                "{stdout:?}"
            );
            continue;
        }
        // The report names it on stdout, the others on stderr.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let shown = if args[0] == "report" {
            &stdout
        } else {
            &stderr
        };
        assert!(
            shown.contains("x\\u{1b}[31mred"),
            "{args:?} names the folder: {shown}"
        );
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{args:?}: {text:?}"
            );
        }
    }
}
