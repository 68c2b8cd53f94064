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

/// Text is written with one byte per character, the same code in every face (an
/// embedded one-byte CMap, one shared `/ToUnicode`, a `/CIDToGIDMap` per font), when
/// the document draws at most 255 different characters; else with two bytes per glyph
/// (`Identity-H`) in every face. Both must extract to the same text.
#[test]
fn one_byte_and_two_byte_fonts_both_extract() {
    if !tool("pdftotext") || !tool("pdffonts") {
        return;
    }
    let encodings = |path: &std::path::Path| -> Vec<String> {
        let out = Command::new("pdffonts").arg(path).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().nth(3).unwrap_or("").to_string())
            .collect()
    };
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    };
    let text_of = |path: &std::path::Path| -> String {
        let out = Command::new("pdftotext")
            .arg(path)
            .arg("-")
            .output()
            .unwrap();
        // Words may be hyphenated at a line's end: compare without spaces and hyphens.
        squash(&String::from_utf8(out.stdout).unwrap())
    };

    let narrow = write_sample("few-glyphs.pdf", &symbols_doc());
    let e = encodings(&narrow);
    assert!(e.len() >= 4 && e.iter().all(|e| e == "Custom"), "{e:?}");
    let text = text_of(&narrow);
    for s in [
        "Symboler:æøåÆØÅ≥5≤3±2βblokkerm²●",
        "Fedæøå≥",
        "kursiv≤±",
        "kode≥β",
    ] {
        assert!(text.contains(s), "{s:?} missing:\n{text}");
    }

    // Over 255 distinct characters: Latin Extended-A, Greek and Cyrillic, in words of
    // eight.
    let many: Vec<char> = ('\u{100}'..='\u{17F}')
        .chain('\u{391}'..='\u{3A9}')
        .chain('\u{3B1}'..='\u{3C9}')
        .chain('\u{410}'..='\u{44F}')
        .filter(|c| *c != '\u{3A2}')
        .collect();
    let words: Vec<String> = many.chunks(8).map(|w| w.iter().collect()).collect();
    let mut d = symbols_doc();
    d.blocks.push(Block::Paragraph(vec![Inline::text(format!(
        "Mange tegn: {} slut.",
        words.join(" ")
    ))]));
    let wide = write_sample("many-glyphs.pdf", &d);
    let e = encodings(&wide);
    assert!(e.len() >= 4 && e.iter().all(|e| e == "Identity-H"), "{e:?}");
    let text = text_of(&wide);
    assert!(
        text.contains(&squash(&words.concat())),
        "two-byte text lost:\n{text}"
    );
    for s in [
        "Symboler:æøåÆØÅ≥5≤3±2βblokkerm²●",
        "Fedæøå≥",
        "kursiv≤±",
        "kode≥β",
        "Mangetegn:",
    ] {
        assert!(text.contains(s), "{s:?} missing:\n{text}");
    }
}
