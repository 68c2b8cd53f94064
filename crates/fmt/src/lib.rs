//! Writing guideline source text. Two jobs share one idea of what a tidy
//! guideline file looks like:
//!
//! - [`format_source`] lays out an existing file canonically (`vejviser fmt`)
//!   without changing what it means: chapter numbers from the template, one blank
//!   line between blocks, ordered lists numbered as they are read, aligned tables,
//!   front matter keys in the documented order ([`frontmatter::KEY_ORDER`]).
//! - [`draft::draft`] writes a new guideline from the template (`vejviser new`).
//!
//! [`format_checked`] also parses the file before and after and refuses a result
//! whose [`meaning::meaning`] differs, so a formatter bug can never alter a
//! guideline silently.
//!
//! Choices (documented for authors in docs/authoring.md):
//! - chapter titles keep the author's spelling; only the number is (re)written,
//!   so `# Anbefalinger` becomes `# 2. Anbefalinger`;
//! - ordered lists are renumbered from the number of their first item, which is
//!   the number every reader (and the checker) already gives each item. A list
//!   whose first number is wrong is left for the author: changing it would change
//!   which recommendation `[Anbefaling 3]` means;
//! - the reference list (chapter 5) keeps the numbers its authors wrote, gaps
//!   and all: citations resolve by them. Only [`renumber::renumber`]
//!   (`vejviser fmt --renumber`, asked for explicitly) numbers it 1..n, and it
//!   rewrites every citation with it;
//! - line endings become `\n`, a byte-order mark is dropped, the file ends with one newline.

pub mod draft;
pub mod frontmatter;
mod layout;
pub mod meaning;
pub mod renumber;
mod table;

use vejviser_template::{Template, TemplateSet};

/// Why a file could not be formatted. Each names the file and, where it helps, the line.
#[derive(Debug, thiserror::Error)]
pub enum FmtError {
    #[error("{path}: the file is not UTF-8 text")]
    NotText { path: String },
    #[error("{path}:1: the file does not start with `+++` front matter, or it is never closed")]
    NoFrontMatter { path: String },
    #[error("{path}:{line}: the front matter is not valid TOML: {message}")]
    FrontMatter {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}:{line}: {message}")]
    Layout {
        path: String,
        line: usize,
        message: String,
    },
    /// `--renumber` refused: the file is left as it is.
    #[error("{path}:{line}: {message}")]
    Renumber {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}: formatting would change what the guideline says ({what}); the file is left as it is — please report this")]
    MeaningChanged { path: String, what: String },
}

/// The result of formatting one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    /// False when the file was already formatted.
    pub changed: bool,
}

/// The front matter TOML and the body of a guideline source.
struct Parts<'a> {
    toml: &'a str,
    body: &'a str,
    /// Lines before the body (the front matter and its two `+++` lines).
    body_line_offset: usize,
}

fn split<'a>(path: &str, text: &'a str) -> Result<Parts<'a>, FmtError> {
    let no_front = || FmtError::NoFrontMatter {
        path: path.to_string(),
    };
    let range = vejviser_parse::front_matter_range(text).ok_or_else(no_front)?;
    let rest = &text[range.end..];
    let body = rest.find('\n').map(|i| &rest[i + 1..]).unwrap_or("");
    let toml = &text[range];
    let body_line_offset = text[..text.len() - body.len()].matches('\n').count();
    Ok(Parts {
        toml,
        body,
        body_line_offset,
    })
}

/// Lays out a guideline source canonically. `template` gives the chapter numbers.
/// Only layout changes; use [`format_checked`] to also verify that.
pub fn format_source(path: &str, text: &str, template: &Template) -> Result<String, FmtError> {
    let text = normalise_line_endings(text);
    let parts = split(path, &text)?;
    let toml = frontmatter::order_keys(parts.toml).map_err(|e| FmtError::FrontMatter {
        path: path.to_string(),
        line: 1
            + 1
            + parts.toml[..e.offset.min(parts.toml.len())]
                .matches('\n')
                .count(),
        message: e.message,
    })?;
    let body = layout::format_body(parts.body, template).map_err(|e| FmtError::Layout {
        path: path.to_string(),
        line: parts.body_line_offset + e.line,
        message: e.message,
    })?;
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str("+++\n");
    out.push_str(&toml);
    out.push_str("+++\n");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&body);
    }
    Ok(out)
}

/// The text without a byte order mark and with `\r\n` line ends as `\n`.
fn normalise_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Formats a file and verifies that the result means the same: the parsed
/// guideline (spans and layout aside) and the list of findings are unchanged.
pub fn format_checked(
    path: &str,
    text: &str,
    templates: &TemplateSet,
) -> Result<Formatted, FmtError> {
    // Line endings and a byte order mark are not what a guideline says:
    // compare meanings from the text with them normalised as the layout
    // normalises them, so Windows line endings (CRLF) are kept out of the
    // comparison (a code block's `\r\n` against its `\n`).
    let plain = normalise_line_endings(text);
    let before = vejviser_parse::parse_str(path, &plain, templates);
    let Some(g) = &before.guideline else {
        return Err(FmtError::NotText {
            path: path.to_string(),
        });
    };
    let template = templates
        .get(&g.template)
        .unwrap_or_else(|| templates.newest());
    let out = format_source(path, text, template)?;
    if out == text {
        return Ok(Formatted {
            text: out,
            changed: false,
        });
    }
    let after = vejviser_parse::parse_str(path, &out, templates);
    if let Some(what) = meaning::difference(&before, &after) {
        // The difference can hold whole rendered sections; a few hundred
        // characters say where it is.
        let what = match what.char_indices().nth(300) {
            Some((cut, _)) => format!("{} …", &what[..cut]),
            None => what,
        };
        return Err(FmtError::MeaningChanged {
            path: path.to_string(),
            what,
        });
    }
    Ok(Formatted {
        text: out,
        changed: true,
    })
}

#[cfg(test)]
mod tests;
