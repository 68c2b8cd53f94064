//! Checks with external tools (poppler-utils, qpdf). Each test prints a message and
//! passes when its tool is missing (`apt-get install -y poppler-utils qpdf`).

use std::path::PathBuf;
use std::process::Command;

use vejviser_render_pdf::sample::{sample_document, SampleSize};
use vejviser_render_pdf::*;

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: `{name}` is not installed (apt-get install -y poppler-utils qpdf)");
    }
    ok
}

fn write_sample(name: &str, doc: &Document) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(name);
    std::fs::write(&path, render(doc).unwrap()).unwrap();
    path
}

fn symbols_doc() -> Document {
    let mut d = sample_document(&SampleSize {
        sections: 2,
        table_rows: 5,
        references: 3,
    });
    d.blocks.push(Block::Paragraph(vec![Inline::text(
        "Symboler: æ ø å Æ Ø Å ≥ 5 ≤ 3 ± 2 β-blokker m² ● – tankestreg — lang",
    )]));
    d.blocks.push(Block::Paragraph(vec![
        Inline::Bold(vec![Inline::text("Fed æøå ≥")]),
        Inline::text(" "),
        Inline::Italic(vec![Inline::text("kursiv ≤ ±")]),
        Inline::text(" "),
        Inline::Code("kode ≥ β".into()),
    ]));
    d
}

#[test]
fn pdftotext_keeps_danish_letters_and_symbols() {
    if !tool("pdftotext") {
        return;
    }
    let path = write_sample("symbols.pdf", &symbols_doc());
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "æ", "ø", "å", "Æ", "Ø", "Å", "≥", "≤", "±", "β", "²", "●", "–", "—",
    ] {
        assert!(text.contains(s), "{s:?} missing from extracted text");
    }
    assert!(text.contains("Symboler: æ ø å"));
    assert!(text.contains("Fed æøå ≥"));
    assert!(text.contains("kode ≥ β"));
}

#[test]
fn qpdf_check_passes() {
    if !tool("qpdf") {
        return;
    }
    let path = write_sample("qpdf.pdf", &sample_document(&SampleSize::default()));
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("No syntax or stream encoding errors"),
        "qpdf --check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pdffonts_shows_all_fonts_embedded() {
    if !tool("pdffonts") {
        return;
    }
    let path = write_sample("fonts.pdf", &symbols_doc());
    let out = Command::new("pdffonts").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{text}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        // name type type encoding emb sub uni object ID -> emb is the 5th-from-last column
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {r}");
        assert_eq!(cols[n - 4], "yes", "not subset: {r}");
        assert_eq!(cols[n - 3], "yes", "no ToUnicode: {r}");
    }
}

#[test]
fn pdfinfo_shows_metadata() {
    if !tool("pdfinfo") {
        return;
    }
    let path = write_sample("info.pdf", &sample_document(&SampleSize::default()));
    let out = Command::new("pdfinfo").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Title:           Brystkræft – adjuverende behandling"),
        "{text}"
    );
    assert!(text.contains("Author:          Danish Breast Cancer Group (DBCG)"));
    assert!(text.contains("Keywords:        brystkræft, kemoterapi"));
    assert!(text.contains("Page size:       595.28 x 841.89 pts (A4)"));
}

/// Text is written with one byte per glyph when a face's subset has at most 256 glyphs
/// (an embedded one-byte CMap), else with two (`Identity-H`). Both must extract to the
/// same text, and a document can mix them.
#[test]
fn one_byte_and_two_byte_fonts_both_extract() {
    if !tool("pdftotext") || !tool("pdffonts") {
        return;
    }
    // Over 256 distinct characters in the regular face: Latin Extended-A, Greek and
    // Cyrillic, in words of eight.
    let many: Vec<char> = ('\u{100}'..='\u{17F}')
        .chain('\u{391}'..='\u{3A9}')
        .chain('\u{3B1}'..='\u{3C9}')
        .chain('\u{410}'..='\u{44F}')
        .filter(|c| !c.is_control() && *c != '\u{3A2}')
        .collect();
    let words: Vec<String> = many.chunks(8).map(|w| w.iter().collect()).collect();
    let mut d = symbols_doc();
    d.blocks.push(Block::Paragraph(vec![Inline::text(format!(
        "Mange tegn: {} slut.",
        words.join(" ")
    ))]));
    let path = write_sample("many-glyphs.pdf", &d);
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let encoding = |name: &str| {
        fonts
            .lines()
            .find(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|n| n.ends_with(name))
            })
            .and_then(|l| l.split_whitespace().nth(3))
            .unwrap_or_else(|| panic!("{name} not in\n{fonts}"))
            .to_string()
    };
    assert_eq!(encoding("+DejaVuSans"), "Identity-H", "{fonts}");
    assert_eq!(encoding("+DejaVuSans-Bold"), "Custom", "{fonts}");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Words may be hyphenated at a line's end: compare without spaces and hyphens.
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    };
    let (all, text) = (squash(&words.concat()), squash(&text));
    assert!(text.contains(&all), "two-byte text lost:\n{text}");
    for s in ["Symboler:æøå", "Fedæøå≥", "kode≥β", "Mangetegn:"] {
        assert!(text.contains(s), "{s:?} missing:\n{text}");
    }
}
