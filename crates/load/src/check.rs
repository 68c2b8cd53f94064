//! Parsing and checking guideline files: one file, its bytes, or a guideline
//! folder's files together (each parsed once, the version findings taking the
//! previous version from the archived file just parsed).

use crate::{
    history, location_under, read_error_diagnostic, read_guideline, ReadError, Registries, Source,
    SourceKind,
};
use chrono::NaiveDate;
use std::path::Path;
use vejviser_check::CheckContext;
use vejviser_diagnostics::{Code, Diagnostic};
use vejviser_model::Guideline;
use vejviser_template::TemplateSet;

/// Options for a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub as_of: NaiveDate,
    pub due_within_days: u32,
}

/// One file after parsing and checking.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    /// The file's text, for showing source lines under diagnostics (empty if not UTF-8).
    pub text: String,
    pub guideline: Option<Guideline>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the model can stand as an earlier version in a later one's
    /// version findings ([`history::not_a_version`] found nothing wrong).
    pub is_version: bool,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }

    fn unreadable(source: &Source, e: &ReadError) -> Checked {
        Checked {
            source: source.clone(),
            text: String::new(),
            guideline: None,
            diagnostics: vec![read_error_diagnostic(source, e)],
            is_version: false,
        }
    }
}

/// Reads, parses and checks one file. A current version's findings against
/// its previous version read that version from the archive.
pub fn check_file(
    source: &Source,
    templates: &TemplateSet,
    registries: &Registries,
    opts: &CheckOptions,
) -> Checked {
    match read_guideline(&source.path) {
        Ok(bytes) => check_bytes(source, bytes, templates, registries, opts),
        Err(e) => Checked::unreadable(source, &e),
    }
}

/// Parses and checks one file's contents, already read.
pub fn check_bytes(
    source: &Source,
    bytes: Vec<u8>,
    templates: &TemplateSet,
    registries: &Registries,
    opts: &CheckOptions,
) -> Checked {
    check_bytes_with(
        source,
        bytes,
        templates,
        registries,
        opts,
        &history::Parsed::default(),
    )
}

/// [`check_bytes`], with the archived versions this run has parsed already
/// (see [`check_folder`]).
pub fn check_bytes_with(
    source: &Source,
    bytes: Vec<u8>,
    templates: &TemplateSet,
    registries: &Registries,
    opts: &CheckOptions,
    parsed: &history::Parsed,
) -> Checked {
    let mut c = check_unsorted(source, bytes, templates, registries, opts);
    add_version_findings(&mut c, templates, parsed);
    finish(&mut c);
    c
}

/// Reads, parses and checks the files of guideline folders, each file once:
/// a current version's findings against its previous version use the
/// archived file as checked here when `sources` has it (as [`discover`](crate::discover) lists
/// a folder's files together), and read it only when not. The results are in
/// the order of `sources`.
pub fn check_folder(
    sources: &[Source],
    templates: &TemplateSet,
    registries: &Registries,
    opts: &CheckOptions,
) -> Vec<Checked> {
    let mut checked: Vec<Checked> = sources
        .iter()
        .map(|source| match read_guideline(&source.path) {
            Ok(bytes) => check_unsorted(source, bytes, templates, registries, opts),
            Err(e) => Checked::unreadable(source, &e),
        })
        .collect();
    let (archived, rest): (Vec<&mut Checked>, Vec<&mut Checked>) = checked
        .iter_mut()
        .partition(|c| matches!(c.source.kind, SourceKind::Archived { .. }));
    let mut parsed = history::Parsed::default();
    for c in &archived {
        if let (Some(g), true) = (&c.guideline, c.is_version) {
            parsed.add(&c.source.path, g);
        }
    }
    for c in rest {
        add_version_findings(c, templates, &parsed);
        finish(c);
    }
    for c in archived {
        finish(c);
    }
    checked
}

/// Parses and checks one file's contents, all but the version findings,
/// which need the other files of its folder, and leaves the findings unsorted.
fn check_unsorted(
    source: &Source,
    bytes: Vec<u8>,
    templates: &TemplateSet,
    registries: &Registries,
    opts: &CheckOptions,
) -> Checked {
    // Validate UTF-8 once: keep the text for diagnostics, or let the parser report the bad
    // byte. simdutf8: Danish text keeps std's validator off its ASCII fast path, and it
    // was 7% of a check; copying the validated text instead of validating it again
    // with std was 5.6%.
    let (parsed, text) = match simdutf8::basic::from_utf8(&bytes) {
        Ok(_) => {
            // SAFETY: simdutf8 has just found `bytes` to be valid UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            (
                vejviser_parse::parse_str(&source.display, &text, templates),
                text,
            )
        }
        Err(_) => (
            vejviser_parse::parse(&source.display, &bytes, templates),
            String::new(),
        ),
    };
    let is_version = history::not_a_version(&parsed.diagnostics).is_none();
    let mut diagnostics = parsed.diagnostics;
    // The file was read, so it is a regular file: its folder's `dmcg.toml` is
    // looked up once for the location check and the registry.
    let abs = std::path::absolute(&source.path).ok();
    let registry_file = abs.as_deref().and_then(|a| registries.registry_file(a));
    if let (Some(abs), Some(root)) = (&abs, registry_file.as_deref().and_then(Path::parent)) {
        diagnostics.extend(location_under(source, abs, root));
    }
    if let Some(g) = &parsed.guideline {
        let registry = match &abs {
            Some(_) => registries.loaded(registry_file),
            None => registries.for_file(&source.path),
        };
        let reg = match registry.as_ref() {
            Ok(r) => r.as_ref(),
            Err(d) => {
                diagnostics.push(d.clone());
                None
            }
        };
        let template = templates
            .get(&g.template)
            .unwrap_or_else(|| templates.newest());
        let archived_as = match &source.kind {
            SourceKind::Archived { version } => Some(version.as_str()),
            _ => None,
        };
        let cx = CheckContext {
            template,
            registry: reg,
            as_of: opts.as_of,
            due_within_days: opts.due_within_days,
            archived_as,
            front_ok: parsed.front_ok,
        };
        // A broken registry is reported once above, not as "missing" again.
        let mut found = vejviser_check::check(g, &cx);
        if registry.is_err() {
            found.retain(|d| d.code != Code::MissingRegistry);
        }
        diagnostics.extend(found);
    }
    Checked {
        source: source.clone(),
        text,
        guideline: parsed.guideline,
        diagnostics,
        is_version,
    }
}

/// The current version against the previous one in its archive.
fn add_version_findings(c: &mut Checked, templates: &TemplateSet, parsed: &history::Parsed) {
    if let (Some(g), SourceKind::Current) = (&c.guideline, &c.source.kind) {
        let found = history::version_diagnostics(c.source.guideline_dir(), g, templates, parsed);
        c.diagnostics.extend(found);
    }
}

fn finish(c: &mut Checked) {
    vejviser_diagnostics::sort(&mut c.diagnostics);
    c.diagnostics.dedup();
}
