//! Reading the PDFs back as readers and tools do: the sample guidelines parsed
//! and viewed, poppler's text and word boxes, and the sentences a page must hold.

use super::*;

pub(crate) fn parse(name: &str, text: &str) -> Guideline {
    vejviser_parse::parse(name, text.as_bytes(), &TemplateSet::builtin())
        .guideline
        .unwrap_or_else(|| panic!("{name} does not parse"))
}

pub(crate) fn load(path: &Path) -> (Guideline, GuidelineView) {
    let text = std::fs::read_to_string(path).unwrap();
    let g = parse(&path.display().to_string(), &text);
    let v = view_of(&g, path);
    (g, v)
}

pub(crate) fn date_of(g: &Guideline) -> Date {
    creation_date(None, &g.front).unwrap()
}

pub(crate) fn name_of(path: &Path) -> String {
    path.strip_prefix(repo().join("guidelines"))
        .unwrap_or(path)
        .display()
        .to_string()
        .replace(['/', '\\'], "_")
}

pub(crate) fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: `{name}` is not installed (apt-get install -y poppler-utils qpdf)");
    }
    ok
}

pub(crate) fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub(crate) fn run(cmd: &str, args: &[&str], file: &Path) -> (bool, String) {
    let out = Command::new(cmd).args(args).arg(file).output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

pub(crate) fn pdftotext(file: &Path, extra: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(extra)
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        file.display()
    );
    String::from_utf8(out.stdout).expect("pdftotext gives UTF-8")
}

/// A word as `pdftotext -bbox` places it: its box in points and its text.
pub(crate) struct Word {
    pub(crate) x0: f32,
    pub(crate) y0: f32,
    pub(crate) x1: f32,
    pub(crate) y1: f32,
    pub(crate) text: String,
}

impl Word {
    /// The diagonal draft watermark is set far larger than any text.
    pub(crate) fn is_watermark(&self) -> bool {
        self.y1 - self.y0 > 40.0
    }

    /// Running head (status line) and footer: outside the text area, so a
    /// sentence that runs on over a page break reads on without them.
    fn is_furniture(&self) -> bool {
        const MARGIN_TOP: f32 = 70.866;
        const MARGIN_BOTTOM: f32 = 62.362;
        const PAGE_H: f32 = 841.89;
        self.y1 < MARGIN_TOP - 1.0 || self.y0 > PAGE_H - MARGIN_BOTTOM + 1.0
    }
}

/// The words of every page.
pub(crate) fn bbox_words(file: &Path) -> Vec<Vec<Word>> {
    let html = pdftotext(file, &["-bbox"]);
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for line in page.lines() {
            let Some(rest) = line.trim().strip_prefix("<word ") else {
                continue;
            };
            let attr = |key: &str| -> f32 {
                let at = rest.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
                let end = rest[at..].find('"').unwrap();
                rest[at..at + end].parse().unwrap()
            };
            let text = rest[rest.find('>').unwrap() + 1..]
                .trim_end_matches("</word>")
                .to_string();
            words.push(Word {
                x0: attr("xMin"),
                y0: attr("yMin"),
                x1: attr("xMax"),
                y1: attr("yMax"),
                text,
            });
        }
        pages.push(words);
    }
    pages
}

/// The extracted text in reading order, without the draft watermark's letters (which
/// pdftotext mixes into the lines they cross).
pub(crate) fn reading_text(file: &Path) -> String {
    let mut out = String::new();
    for page in bbox_words(file) {
        for w in page
            .iter()
            .filter(|w| !w.is_watermark() && !w.is_furniture())
        {
            out.push_str(&w.text);
            out.push(' ');
        }
        out.push('\n');
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
}

/// Letters and digits only, so that line breaks, hyphenation and spacing do not matter
/// when looking for a sentence in extracted text.
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '●' | '○'))
        .collect()
}

pub(crate) fn plain(md: &str) -> String {
    Inline::plain_text(&markdown_inline(md))
}

/// Each needle occurs in `hay` after the previous one.
pub(crate) fn assert_in_order(what: &str, hay: &str, needles: &[(String, String)]) {
    let hay = squash(hay);
    let mut at = 0;
    for (label, needle) in needles {
        let n = squash(needle);
        assert!(!n.is_empty(), "{what}: empty needle for {label}");
        match hay[at..].find(&n) {
            Some(k) => at += k + n.len(),
            None => panic!(
                "{what}: {label} not found in reading order after position {at}:\n  {needle}\n\
                 (found anywhere: {})",
                hay.contains(&n)
            ),
        }
    }
}

/// A recommendation as the reader sees it: each sentence followed by its grade letter.
pub(crate) fn recommendation_needles(v: &GuidelineView) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in v.recommendations() {
        for (k, s) in r.statements.iter().enumerate() {
            let mut t = plain(&s.text);
            if let Some(g) = &s.grade {
                t.push(' ');
                t.push(g.letter);
            }
            out.push((format!("recommendation {} sentence {}", r.number, k + 1), t));
        }
        if let Some(m) = &r.medicinraadet {
            // The status in words beside its symbol, never the symbol alone.
            out.push((
                format!("recommendation {} status", r.number),
                format!("{} {}", m.symbol, m.label),
            ));
        }
    }
    out
}

pub(crate) fn legend_needles(v: &GuidelineView) -> Vec<(String, String)> {
    let mut out = vec![("legend title".to_string(), v.labels.legend.to_string())];
    for g in &v.legend.grades {
        out.push((
            format!("grade {}", g.letter),
            format!("{} {}", g.letter, g.description),
        ));
    }
    for s in &v.legend.statuses {
        out.push((format!("status {}", s.key), s.label.to_string()));
    }
    out
}
