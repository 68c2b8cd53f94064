//! Round-trip properties of the formatter on real-looking input: formatting is
//! idempotent, and the parsed guideline means the same before and after. Run on
//! the sample guidelines, on the generated national-scale corpus (when python3
//! is available), on messed-up copies of both, and on random guideline-like text.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use vejviser_fmt::{format_checked, meaning};
use vejviser_template::TemplateSet;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// fmt(x) means what x means, and fmt(fmt(x)) == fmt(x). Returns fmt(x).
fn round_trip(path: &str, text: &str, set: &TemplateSet) -> String {
    let once = format_checked(path, text, set).unwrap_or_else(|e| panic!("{e}"));
    let twice = format_checked(path, &once.text, set).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !twice.changed,
        "{path}: a second fmt changed the file again\n--- input\n{text}\n--- once\n{}\n--- twice\n{}",
        once.text,
        twice.text
    );
    let before = vejviser_parse::parse_str(path, text, set);
    let after = vejviser_parse::parse_str(path, &once.text, set);
    assert_eq!(meaning::difference(&before, &after), None, "{path}");
    once.text
}

/// The same guideline laid out badly: extra blank lines, chapter numbers left
/// out, the title key moved to the end of the front matter.
fn mess_up(text: &str) -> String {
    let range = vejviser_parse::front_matter_range(text).unwrap();
    let toml = &text[range.clone()];
    let (title, rest): (Vec<&str>, Vec<&str>) =
        toml.lines().partition(|l| l.starts_with("title ="));
    let toml = format!("{}\n{}\n", rest.join("\n"), title.join("\n"));
    let body = &text[range.end..];
    let mut in_code = false;
    let mut out_body = String::new();
    for line in body.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let l = if !in_code && line.starts_with("# ") {
            let t = line[2..].trim_start_matches(|c: char| c.is_ascii_digit());
            format!("# {}", t.trim_start_matches('.').trim_start())
        } else {
            line.to_string()
        };
        out_body.push_str(&l);
        out_body.push('\n');
        if !in_code && line.is_empty() {
            out_body.push_str("\n\n");
        }
    }
    format!("+++\n{toml}{out_body}")
}

#[test]
fn sample_guidelines_round_trip() {
    let set = TemplateSet::builtin();
    let files = markdown_files(&repo().join("guidelines"));
    assert!(files.len() >= 5, "the samples are where they should be");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let path = f.display().to_string();
        let formatted = round_trip(&path, &text, &set);
        let messy = mess_up(&text);
        assert_ne!(messy, text);
        assert_eq!(
            round_trip(&path, &messy, &set),
            formatted,
            "{path}: messy copy"
        );
    }
}

#[test]
fn generated_corpus_round_trips() {
    let script = Path::new("/work/shared/bench/gen_corpus.py");
    if !script.exists() {
        eprintln!("skipped: {} is missing", script.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .arg("--guidelines")
        .arg(std::env::var("VV_CORPUS_SIZE").unwrap_or_else(|_| "271".into()))
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("gen_corpus.py failed: {s}"),
        Err(e) => {
            eprintln!("skipped: python3 is not available ({e})");
            return;
        }
    }
    let set = TemplateSet::builtin();
    let files = markdown_files(dir.path());
    assert!(files.len() > 100, "{} files", files.len());
    let mut changed = 0;
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let path = f.display().to_string();
        let formatted = round_trip(&path, &text, &set);
        changed += usize::from(formatted != text);
        // Every fifth file also messed up: same canonical form.
        if i % 5 == 0 {
            assert_eq!(
                round_trip(&path, &mess_up(&text), &set),
                formatted,
                "{path}"
            );
        }
    }
    eprintln!(
        "{} corpus files round-trip; {changed} were reformatted",
        files.len()
    );
}

/// Random guideline-like text, driven by a tape of choices so proptest can shrink it.
struct Tape<'a>(&'a [u8], usize);

impl Tape<'_> {
    fn next(&mut self, n: usize) -> usize {
        let v = self.0.get(self.1).copied().unwrap_or(0) as usize;
        self.1 += 1;
        v % n
    }
    fn pick<'s>(&mut self, xs: &[&'s str]) -> &'s str {
        xs[self.next(xs.len())]
    }
}

const WORDS: &[&str] = &[
    "patienter",
    "bør",
    "tilbydes",
    "højdosis",
    "melphalan",
    "200 mg/m²",
    "≥ 70 år",
    "*vigtigt*",
    "`kode`",
    "a \\| b",
    "HR 0,64",
    "(se bilag)",
    "**fed**",
    "æøå",
    "[link](https://example.org)",
];

fn sentence(t: &mut Tape) -> String {
    let n = 3 + t.next(8);
    (0..n).map(|_| t.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn blank(t: &mut Tape) -> &'static str {
    ["\n", "\n\n", "\n\n\n", "\n \n"][t.next(4)]
}

fn chapter_heading(t: &mut Tape, n: u32, title: &str) -> String {
    match t.next(4) {
        0 => format!("# {n}. {title}"),
        1 => format!("# {title}"),
        2 => format!("# {} {title} #", n + 3),
        _ => format!("{title}\n===="),
    }
}

fn guideline(t: &mut Tape) -> String {
    let mut keys = [
        "title = \"Prøve\"".to_string(),
        "dmcg = \"DMSG\"".to_string(),
        "version = \"1.0\"".to_string(),
        "language = \"da\"".to_string(),
        "keywords = [\"a\", \"b\"]".to_string(),
    ];
    for i in (1..keys.len()).rev() {
        keys.swap(i, t.next(i + 1));
    }
    if t.next(2) == 0 {
        keys[0] = format!("# en kommentar\n{}", keys[0]);
    }
    let mut s = format!("+++\n{}\n+++\n", keys.join("\n"));
    s.push_str(blank(t));
    // Chapter 2: recommendations.
    s.push_str(&chapter_heading(t, 2, "Anbefalinger"));
    s.push_str(blank(t));
    let recs = 1 + t.next(4);
    s.push_str("## Behandling");
    s.push_str(blank(t));
    for r in 1..=recs {
        let written = if t.next(5) == 0 { 1 } else { r };
        s.push_str(&format!(
            "{written}. {} ({})",
            sentence(t),
            t.pick(&["A", "B", "C", "D"])
        ));
        if t.next(3) == 0 {
            s.push_str(&format!("\n   - {}", sentence(t)));
        }
        s.push_str(["\n", "\n\n"][t.next(2)]);
    }
    s.push_str(blank(t));
    // Chapter 3: prose, a table and a lazily numbered list.
    s.push_str(&chapter_heading(t, 3, "Introduktion"));
    s.push_str(blank(t));
    s.push_str(&sentence(t));
    s.push_str(blank(t));
    let cols = 2 + t.next(3);
    let row = |t: &mut Tape| {
        let cells: Vec<String> = (0..cols)
            .map(|_| {
                let pad = " ".repeat(t.next(3));
                format!("{pad}{}{pad}", t.pick(WORDS))
            })
            .collect();
        let close = if t.next(2) == 0 { "|" } else { "" };
        format!("|{}{close}", cells.join("|"))
    };
    let header = row(t);
    let delim = format!(
        "|{}|",
        vec![t.pick(&["---", ":-", "-:", ":-:"]); cols].join("|")
    );
    s.push_str(&format!("{header}\n{delim}\n"));
    for _ in 0..t.next(4) {
        let r = row(t);
        s.push_str(&r);
        s.push('\n');
    }
    s.push_str(blank(t));
    for _ in 0..1 + t.next(3) {
        s.push_str(&format!("{}. {}\n", 1 + t.next(12), sentence(t)));
        match t.next(3) {
            0 => s.push_str(&format!("   {}\n", sentence(t))),
            1 => s.push_str(&format!("\n    - {}\n\n", sentence(t))),
            _ => {}
        }
    }
    s.push_str(blank(t));
    match t.next(4) {
        0 => s.push_str("> citat\n>\n> mere"),
        1 => s.push_str("<!-- vejledning\n\n\nmere -->"),
        2 => s.push_str("[x]: https://example.org\n\n\n[y]: https://example.org/y"),
        _ => s.push_str("Setext-afsnit\n-------------"),
    }
    s.push_str(blank(t));
    if t.next(2) == 0 {
        s.push_str("```\nkode\n\n\n  indrykket\n```");
        s.push_str(blank(t));
    }
    // Chapter 4: one evidence block citing reference 1.
    s.push_str(&chapter_heading(t, 4, "Evidensgrundlag"));
    s.push_str(blank(t));
    s.push_str("## Behandling");
    s.push_str(blank(t));
    s.push_str("[Anbefaling 1]");
    s.push_str(blank(t));
    s.push_str("### Litteratur og evidensgennemgang");
    s.push_str(blank(t));
    s.push_str(&format!("{} (1) [1b].", sentence(t)));
    s.push_str(blank(t));
    // Chapter 5: references numbered 1, 1, 1 … or properly.
    s.push_str(&chapter_heading(t, 5, "Referencer"));
    s.push_str(blank(t));
    let lazy = t.next(2) == 0;
    for r in 1..=1 + t.next(12) {
        s.push_str(&format!("{}. {}\n", if lazy { 1 } else { r }, sentence(t)));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_guidelines_round_trip(tape in prop::collection::vec(any::<u8>(), 0..400)) {
        let set = TemplateSet::builtin();
        let text = guideline(&mut Tape(&tape, 0));
        round_trip("random.md", &text, &set);
    }
}
