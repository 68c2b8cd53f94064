//! The TOML front matter: split it off the Markdown, deserialise it strictly
//! (unknown keys are errors) and turn TOML errors into diagnostics at their
//! real line in the `.md` file.

use chrono::NaiveDate;
use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::{Approval, FrontMatter, FrontMatterSpans, Language, Span, Version};

use crate::lines::LineIndex;

/// Where the front matter and the body are in the source.
pub struct Split<'a> {
    /// TOML text between the `+++` lines.
    pub toml: &'a str,
    /// Byte offset of the TOML text in the file.
    pub toml_offset: usize,
    /// Everything after the closing `+++` line.
    pub body: &'a str,
    /// Lines before the body (for body line numbers).
    pub body_line_offset: u32,
}

/// Splits `+++` front matter from the body; `Err` is the diagnostic to report.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        return Err(
            Diagnostic::new(Code::MissingFrontMatter, path, Span::new(1, 1), "the file does not start with `+++` front matter")
                .len(first_end.max(1))
                .help("start the file with a `+++` line, the TOML keys (title, dmcg, version, …) and a closing `+++` line"),
        );
    }
    let toml_offset = (first_end + 1).min(text.len());
    let mut pos = toml_offset;
    let mut line = 2u32;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        if text[pos..end].trim_end() == "+++" {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                toml: &text[toml_offset..pos],
                toml_offset,
                body: &text[body_offset..],
                body_line_offset: line,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Diagnostic::new(
        Code::UnclosedFrontMatter,
        path,
        Span::new(1, 1),
        "the front matter opened here is never closed",
    )
    .len(3)
    .help("add a line holding exactly `+++` after the last front matter key"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<Spanned<String>>,
    dmcg: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    keywords: Option<Spanned<Vec<String>>>,
    previous_version: Option<Spanned<String>>,
    professional_approval: Option<Spanned<RawApproval>>,
    administrative_approval: Option<Spanned<RawApproval>>,
    planned_update: Option<Spanned<Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    date: Spanned<Datetime>,
    by: String,
}

const KNOWN_KEYS: &str = "title, dmcg, version, language, template, keywords, previous_version, professional_approval, administrative_approval, planned_update";

/// Parses the front matter. Always returns a [`FrontMatter`] (missing or invalid
/// values are left empty) so the body can still be checked; `ok` is false when
/// any front matter error was reported.
pub fn parse(
    path: &str,
    text: &str,
    split: &Split,
    diags: &mut Vec<Diagnostic>,
) -> (FrontMatter, bool) {
    // Spans are in the front matter: index only up to its end.
    let idx = LineIndex::new(
        &text[..(split.toml_offset + split.toml.len()).min(text.len())],
        0,
    );
    let at = |range: std::ops::Range<usize>| idx.span(split.toml_offset + range.start);
    let block = Span::new(1, 1);
    let mut front = FrontMatter {
        title: String::new(),
        dmcg: String::new(),
        version: Version { major: 0, minor: 0 },
        language: Language::Da,
        template: None,
        keywords: Vec::new(),
        previous_version: None,
        professional_approval: None,
        administrative_approval: None,
        planned_update: None,
        spans: FrontMatterSpans {
            block,
            ..Default::default()
        },
    };
    let before = diags.len();
    let raw: RawFront = match toml::from_str(split.toml) {
        Ok(raw) => raw,
        Err(e) => {
            diags.push(toml_error(path, &e, split, &idx));
            return (front, false);
        }
    };
    let mut missing = |key: &str, what: &str| {
        diags.push(
            Diagnostic::new(
                Code::MissingKey,
                path,
                block,
                format!("the front matter has no `{key}`"),
            )
            .len(3)
            .help(format!("add `{key} = {what}` between the `+++` lines")),
        )
    };
    match raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => {
            front.spans.title = at(t.span());
            front.title = t.into_inner();
        }
        _ => missing("title", "\"…\""),
    }
    match raw.dmcg {
        Some(g) if !g.get_ref().trim().is_empty() => {
            front.spans.dmcg = at(g.span());
            front.dmcg = g.into_inner();
        }
        _ => missing("dmcg", "\"GROUP\""),
    }
    match &raw.version {
        Some(v) => front.spans.version = at(v.span()),
        None => missing("version", "\"1.0\""),
    }
    let mut version = |v: &Spanned<String>, key: &str| -> Option<Version> {
        let parsed = Version::parse(v.get_ref());
        if parsed.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::InvalidVersion,
                    path,
                    at(v.span()),
                    format!("`{key}` is `{}`, not a version like \"2.0\"", v.get_ref()),
                )
                .len(v.span().len())
                .help("write versions as MAJOR.MINOR, e.g. \"2.0\" or \"1.5\""),
            );
        }
        parsed
    };
    if let Some(v) = raw.version.as_ref().and_then(|v| version(v, "version")) {
        front.version = v;
    }
    if let Some(pv) = &raw.previous_version {
        front.spans.previous_version = at(pv.span());
        front.previous_version = version(pv, "previous_version");
    }
    if let Some(l) = raw.language {
        front.spans.language = at(l.span());
        match Language::parse(l.get_ref()) {
            Some(lang) => front.language = lang,
            None => diags.push(
                Diagnostic::new(
                    Code::InvalidLanguage,
                    path,
                    at(l.span()),
                    format!("language `{}` is not supported", l.get_ref()),
                )
                .len(l.span().len())
                .help("use \"da\" (Danish) or \"en\" (English)"),
            ),
        }
    }
    if let Some(t) = raw.template {
        front.spans.template = at(t.span());
        front.template = Some(t.into_inner());
    }
    if let Some(k) = raw.keywords {
        front.spans.keywords = at(k.span());
        front.keywords = k.into_inner();
    } else {
        front.spans.keywords = block;
    }
    let mut date = |d: &Spanned<Datetime>, key: &str| -> Option<NaiveDate> {
        let span = at(d.span());
        let dt = d.get_ref();
        let date = match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            }
            _ => None,
        };
        if date.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::WrongType,
                    path,
                    span,
                    format!("`{key}` must be a date like 2026-03-03, found `{dt}`"),
                )
                .len(d.span().len())
                .help("write the date alone, without a time of day or quotes"),
            );
        }
        date
    };
    let mut approval = |a: Option<Spanned<RawApproval>>, key: &str| -> Option<Approval> {
        let a = a?;
        let span = at(a.span());
        let a = a.into_inner();
        Some(Approval {
            date: date(&a.date, &format!("{key}.date"))?,
            by: a.by,
            span,
        })
    };
    front.professional_approval = approval(raw.professional_approval, "professional_approval");
    front.administrative_approval =
        approval(raw.administrative_approval, "administrative_approval");
    if let Some(u) = &raw.planned_update {
        front.spans.planned_update = at(u.span());
        front.planned_update = date(u, "planned_update");
    }
    let ok = diags.len() == before;
    (front, ok)
}

/// Turns a TOML error into a diagnostic at its line in the `.md` file.
fn toml_error(path: &str, e: &toml::de::Error, split: &Split, idx: &LineIndex) -> Diagnostic {
    let range = e.span().unwrap_or(0..0);
    let span = idx.span(split.toml_offset + range.start);
    let mut msg = e.message().trim().trim_end_matches('.').to_string();
    // toml hands a date to a struct as a table with one private key; say what it is.
    if msg.contains("$__toml_private_datetime") {
        msg = "invalid type: a date, expected a table { date = …, by = \"…\" }".to_string();
    }
    let (code, help) = if msg.starts_with("unknown field") {
        let help = match did_you_mean(&msg) {
            Some(key) => format!("did you mean `{key}`?"),
            None => format!("check the spelling; the known keys are {KNOWN_KEYS}"),
        };
        (Code::UnknownKey, help)
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        (
            Code::WrongType,
            "dates are written 2026-03-03 (no quotes), version as \"2.0\", keywords as [\"a\", \"b\"], approvals as { date = 2026-03-03, by = \"…\" }".to_string(),
        )
    } else if msg.contains("duplicate key") {
        (
            Code::InvalidToml,
            "each key may appear only once; remove one of them".to_string(),
        )
    } else {
        (Code::InvalidToml, "fix the TOML syntax; dates are YYYY-MM-DD with a valid month and day, strings are in double quotes".to_string())
    };
    Diagnostic::new(code, path, span, format!("front matter: {msg}"))
        .len(range.len())
        .help(help)
}

/// For toml's "unknown field `planned_updte`, expected one of `title`, …":
/// the expected key closest to the unknown one, if it is a likely misspelling
/// (at most a third of its letters, and no more than three, differ).
fn did_you_mean(msg: &str) -> Option<&str> {
    let mut quoted = msg.split('`').skip(1).step_by(2);
    let unknown = quoted.next()?;
    let limit = (unknown.chars().count() / 3).clamp(1, 3);
    quoted
        .map(|known| (edit_distance(unknown, known), known))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, known)| known)
}

/// Levenshtein distance in characters (keys are short; quadratic is fine).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod suggestion_tests {
    #[test]
    fn a_misspelt_key_gets_the_known_key() {
        let msg =
            "unknown field `planned_updte`, expected one of `title`, `planned_update`, `version`";
        assert_eq!(super::did_you_mean(msg), Some("planned_update"));
        let msg = "unknown field `planed_update`, expected one of `planned_update`";
        assert_eq!(super::did_you_mean(msg), Some("planned_update"));
        let msg = "unknown field `byy`, expected `date` or `by`";
        assert_eq!(super::did_you_mean(msg), Some("by"));
        let msg = "unknown field `forfatter`, expected one of `title`, `version`";
        assert_eq!(super::did_you_mean(msg), None);
        assert_eq!(super::edit_distance("kitten", "sitting"), 3);
    }
}
