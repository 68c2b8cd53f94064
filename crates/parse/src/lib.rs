//! The guideline parser: bytes of a `.md` source file in, the typed
//! [`Guideline`] plus diagnostics out. It never prints and never panics on bad
//! input; every problem becomes a [`Diagnostic`] with file, line and column.
//!
//! The front matter is TOML (strict: unknown keys are errors); the body is
//! CommonMark + GFM tables parsed once with comrak.

mod body;
mod content;
mod front;
mod idpin;
mod inline;
mod lines;

pub use body::{comrak_options, normalise_ws, MAX_NESTING};
pub use inline::has_lowercase_grade;
pub use lines::LineIndex;

use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{FrontMatter, Guideline, Span};
use vejviser_template::TemplateSet;

/// Files larger than this are refused (VV0004): no guideline comes close.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The result of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    /// `None` only when the file could not be read as text at all.
    pub guideline: Option<Guideline>,
    /// False when the front matter had errors (its values may be incomplete).
    pub front_ok: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Checks that the bytes are a text file we can parse; returns the text without a BOM.
fn as_text<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            path,
            Span::new(1, 1),
            format!(
                "the file is {:.1} MB; guidelines are at most {} MB",
                bytes.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .help("check that this is the right file"));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            Diagnostic::new(Code::EmptyFile, path, Span::new(1, 1), "the file is empty")
                .help("start a guideline with `vejviser new`"),
        );
    }
    if let Some(nul) = memchr::memchr(0, bytes) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        return Err(Diagnostic::new(Code::BinaryFile, path, Span::new(line, 1), "the file is binary (it contains NUL bytes), not Markdown text")
            .help("guidelines are Markdown text files; check that this is not a .docx or PDF renamed to .md"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let col = good.len()
            - good
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0)
            + 1;
        Diagnostic::new(
            Code::NotUtf8,
            path,
            Span::new(line, col as u32),
            format!("byte 0x{:02X} is not valid UTF-8", bytes[e.valid_up_to()]),
        )
        .help("save the file as UTF-8 (in Word or Notepad: \"Save as\" → encoding UTF-8)")
    })
}

/// Parses a whole guideline from the file's bytes.
pub fn parse(path: &str, bytes: &[u8], templates: &TemplateSet) -> Parsed {
    match as_text(path, bytes) {
        Ok(text) => parse_text(path, text, templates),
        Err(d) => Parsed {
            guideline: None,
            front_ok: false,
            diagnostics: vec![d],
        },
    }
}

/// Parses a whole guideline already known to be UTF-8 text.
pub fn parse_str(path: &str, text: &str, templates: &TemplateSet) -> Parsed {
    // The cheap checks of `as_text`, without validating UTF-8 again.
    if text.len() > MAX_FILE_BYTES
        || text.trim().is_empty()
        || memchr::memchr(0, text.as_bytes()).is_some()
    {
        return parse(path, text.as_bytes(), templates);
    }
    parse_text(
        path,
        text.strip_prefix('\u{feff}').unwrap_or(text),
        templates,
    )
}

fn parse_text(path: &str, text: &str, templates: &TemplateSet) -> Parsed {
    let mut diagnostics = Vec::new();
    let (front, front_ok, body_text, line_offset) = match front::split(path, text) {
        Ok(split) => {
            let (front, ok) = front::parse(path, text, &split, &mut diagnostics);
            (front, ok, split.body, split.body_line_offset)
        }
        Err(d) => {
            diagnostics.push(d);
            let (front, _) = front::parse(
                path,
                "",
                &front::Split {
                    toml: "",
                    toml_offset: 0,
                    body: "",
                    body_line_offset: 0,
                },
                &mut Vec::new(),
            );
            (front, false, text, 0)
        }
    };
    let template = match front.template.as_deref().map(|id| (id, templates.get(id))) {
        Some((id, None)) => {
            let known: Vec<&str> = templates.ids().collect();
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownTemplate,
                    path,
                    front.spans.template,
                    format!("template `{id}` does not exist"),
                )
                .len(id.len() + 2)
                .help(format!(
                    "known templates: {}; leave `template` out to use the newest",
                    known.join(", ")
                )),
            );
            templates.newest()
        }
        Some((_, Some(t))) => t,
        None => templates.newest(),
    };
    let body = body::parse(
        path,
        body_text,
        line_offset,
        template,
        front.language,
        &mut diagnostics,
    );
    let guideline = Guideline {
        path: path.to_string(),
        template: template.id.clone(),
        front,
        chapters: body.chapters,
        changelog: body.changelog,
        recommendations: body.recommendations,
        evidence: body.evidence,
        references: body.references,
    };
    Parsed {
        guideline: Some(guideline),
        front_ok,
        diagnostics,
    }
}

/// Reads only the front matter (for the revision report, which needs no body).
pub fn parse_front_matter(path: &str, bytes: &[u8]) -> (Option<FrontMatter>, Vec<Diagnostic>) {
    match as_text(path, bytes) {
        Ok(text) => parse_front_matter_str(path, text),
        Err(d) => (None, vec![d]),
    }
}

/// [`parse_front_matter`] of text already known to be UTF-8.
pub fn parse_front_matter_str(path: &str, text: &str) -> (Option<FrontMatter>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    match front::split(path, text) {
        Ok(split) => {
            let (front, ok) = front::parse(path, text, &split, &mut diags);
            (ok.then_some(front), diags)
        }
        Err(d) => (None, vec![d]),
    }
}

/// Byte range of the front matter's TOML text (between the `+++` lines), if any.
pub fn front_matter_range(text: &str) -> Option<std::ops::Range<usize>> {
    front::split("", text)
        .ok()
        .map(|s| s.toml_offset..s.toml_offset + s.toml.len())
}

#[cfg(test)]
mod tests;

/// Parses the group registry (`dmcg.toml`). The error says what is wrong and where.
///
/// A group key becomes a folder name (`vejviser build` writes to
/// `build/<key in lower case>/<slug>/`), so a key whose lower case is not a
/// plain path segment ([`vejviser_model::safe::is_path_segment`]: `../x`,
/// `a/b`, `.hidden`) makes the registry invalid here, at its line, before
/// any command builds a path from it.
pub fn parse_registry(path: &str, text: &str) -> Result<vejviser_model::Registry, Diagnostic> {
    let groups: std::collections::BTreeMap<toml::Spanned<String>, vejviser_model::Group> =
        toml::from_str(text).map_err(|e| {
            let idx = LineIndex::new(text, 0);
            let span = idx.span(e.span().map(|r| r.start).unwrap_or(0));
            Diagnostic::new(
            Code::MissingRegistry,
            path,
            span,
            format!("the group registry is invalid: {}", e.message().trim()),
        )
        .help(
            "each group is a table: [DMSG] name = \"…\" contact = { name = \"…\", email = \"…\" }",
        )
        })?;
    if let Some(key) = groups
        .keys()
        .find(|k| !vejviser_model::safe::is_path_segment(&k.get_ref().to_lowercase()))
    {
        let idx = LineIndex::new(text, 0);
        return Err(Diagnostic::new(
            Code::MissingRegistry,
            path,
            idx.span(key.span().start),
            format!(
                "the group registry is invalid: the group key `{}` cannot name a folder",
                key.get_ref()
            ),
        )
        .help("a group key is its short name in letters, digits, '-', '_' and '.', starting with a letter or digit, e.g. [DMSG]"));
    }
    let groups = groups
        .into_iter()
        .map(|(k, g)| (k.into_inner(), g))
        .collect();
    Ok(vejviser_model::Registry { groups })
}

/// A piece of Markdown that is not a guideline (a renderer's own sample or
/// test text) as content blocks, read as ordinary prose; findings are dropped.
pub fn fragment(markdown: &str) -> Vec<vejviser_model::content::Block> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &comrak_options());
    let idx = LineIndex::new(markdown, 0);
    let mut findings = Vec::new();
    let mut cx = content::Cx {
        path: "",
        idx: &idx,
        diags: &mut findings,
        depth: 0,
    };
    let mut out = Vec::new();
    for node in root.children() {
        content::block(&mut cx, node, content::Mode::Prose, &mut out);
    }
    out
}
