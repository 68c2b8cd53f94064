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
