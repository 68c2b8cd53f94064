//! Checking the guideline files for a site build, and remembering the outcome.
//!
//! The site needs of most files only their front matter (listing, versions,
//! revision status), their recommendation texts (overview and search) and
//! whether they have errors; the full model only for the guidelines it
//! renders. So each file's outcome is remembered in the site's cache under a
//! key of its text and everything checking it depends on (templates, group
//! registry, date, path, the build of vejviser, and for a current version the
//! texts of the archived versions its version findings compare it with). A file whose key is unchanged
//! since the previous build is not parsed or checked again: its front matter
//! is read from the text, the rest comes from the cache, and its model is
//! parsed later only if one of its pages has to be rendered.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use vejviser_diagnostics::Diagnostic;
use vejviser_load::history::Parsed;
use vejviser_load::{CheckOptions, Checked, Registries, Source};
use vejviser_model::{FrontMatter, Guideline};
use vejviser_template::TemplateSet;

/// A checked file, as much of it as the site needs.
pub struct Outline {
    pub source: Source,
    /// The file's text, when its model was not kept (it was unchanged).
    text: String,
    /// The front matter, when the file has no errors.
    pub front: Option<FrontMatter>,
    /// The template id in use (the front matter's or the newest).
    pub template: String,
    /// Each recommendation's statements, joined.
    pub recommendations: Vec<String>,
    /// The first error, on one line; `None` when the file has none.
    pub error: Option<String>,
    /// The file's warnings, columns in characters, when it was checked in
    /// this build (an unchanged file's are not repeated).
    pub warnings: Vec<Diagnostic>,
    /// The model, when it was parsed in this build.
    guideline: Option<Guideline>,
    /// Whether it was parsed and checked in this build (not taken from the cache).
    pub checked_now: bool,
    /// Whether its model (if parsed in this build) can stand as an earlier
    /// version in the current version's version findings.
    is_version: bool,
    /// A hash of the file's bytes.
    pub text_hash: u64,
    key: u64,
}

impl Outline {
    /// The file's model: parsed in this build, or parsed now.
    pub fn guideline(&self, templates: &TemplateSet) -> Option<Cow<'_, Guideline>> {
        match &self.guideline {
            Some(g) => Some(Cow::Borrowed(g)),
            None => vejviser_parse::parse_str(&self.source.display, &self.text, templates)
                .guideline
                .map(Cow::Owned),
        }
    }

    /// The model parsed in this build, when it can stand as an earlier
    /// version in the current version's version findings.
    pub fn parsed_version(&self) -> Option<&Guideline> {
        self.guideline.as_ref().filter(|_| self.is_version)
    }

    pub fn front(&self) -> &FrontMatter {
        self.front
            .as_ref()
            .expect("only files with front matter are published")
    }

    /// What the next build needs to skip this file.
    pub fn remembered(&self) -> Remembered {
        Remembered {
            key: format!("{:016x}", self.key),
            template: self.template.clone(),
            recommendations: self.recommendations.clone(),
            error: self.error.clone(),
        }
    }
}

/// A file's check outcome as kept in the site's cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Remembered {
    key: String,
    template: String,
    recommendations: Vec<String>,
    error: Option<String>,
}

/// What checking a file depends on besides its bytes, and the outcomes the
/// previous build remembered.
pub struct CheckRun<'a> {
    templates: &'a TemplateSet,
    registries: &'a Registries,
    opts: &'a CheckOptions,
    previous: &'a BTreeMap<String, Remembered>,
    run: u64,
}

impl<'a> CheckRun<'a> {
    pub fn new(
        templates: &'a TemplateSet,
        registries: &'a Registries,
        opts: &'a CheckOptions,
        previous: &'a BTreeMap<String, Remembered>,
        build_id: &str,
    ) -> CheckRun<'a> {
        let mut run = std::hash::DefaultHasher::new();
        build_id.hash(&mut run);
        format!("{templates:?}").hash(&mut run);
        opts.as_of.hash(&mut run);
        opts.due_within_days.hash(&mut run);
        CheckRun {
            templates,
            registries,
            opts,
            previous,
            run: run.finish(),
        }
    }

    /// Checks one file, reusing the outcome remembered by the previous build
    /// when the file's key is unchanged. `earlier` is what a current version's
    /// findings depend on besides its own text (a hash of the texts of its
    /// archived versions); `parsed` the archived versions parsed in this build.
    pub fn check(&self, source: &Source, earlier: u64, parsed: &Parsed) -> Outline {
        let (templates, registries, opts) = (self.templates, self.registries, self.opts);
        let bytes = match vejviser_load::read_guideline(&source.path) {
            Ok(b) => b,
            Err(_) => {
                return from_checked(
                    vejviser_load::check_file(source, templates, registries, opts),
                    0,
                    0,
                )
            }
        };
        let text_hash = {
            let mut h = std::hash::DefaultHasher::new();
            bytes.hash(&mut h);
            h.finish()
        };
        let mut h = std::hash::DefaultHasher::new();
        self.run.hash(&mut h);
        source.display.hash(&mut h);
        format!("{:?}", source.kind).hash(&mut h);
        format!("{:?}", registries.for_file(&source.path)).hash(&mut h);
        text_hash.hash(&mut h);
        earlier.hash(&mut h);
        let key = h.finish();
        if let Some(o) = self
            .previous
            .get(&source.display)
            .filter(|r| r.key == format!("{key:016x}"))
            .and_then(|r| from_cache(source, &bytes, r, key, text_hash))
        {
            return o;
        }
        from_checked(
            vejviser_load::check_bytes_with(source, bytes, templates, registries, opts, parsed),
            key,
            text_hash,
        )
    }
}

fn from_cache(
    source: &Source,
    bytes: &[u8],
    r: &Remembered,
    key: u64,
    text_hash: u64,
) -> Option<Outline> {
    // simdutf8, as in `check_bytes`: this runs for every unchanged file.
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let front = match &r.error {
        Some(_) if !archived(source) => None,
        _ => vejviser_parse::parse_front_matter_str(&source.display, text).0,
    };
    if front.is_none() && r.error.is_none() {
        return None;
    }
    let text = text.to_owned();
    Some(Outline {
        source: source.clone(),
        text,
        front,
        template: r.template.clone(),
        recommendations: r.recommendations.clone(),
        error: r.error.clone(),
        warnings: Vec::new(),
        guideline: None,
        checked_now: false,
        is_version: false,
        text_hash,
        key,
    })
}

fn from_checked(c: Checked, key: u64, text_hash: u64) -> Outline {
    // Columns in characters, for the left-out list as much as for the warnings.
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        vejviser_load::in_characters(&c.source.display, &c.text, c.diagnostics)
            .into_iter()
            .partition(|d| d.is_error());
    let error = errors.first().map(one_line);
    // An archived version is history: it keeps its model to be published as it was.
    let keep = error.is_none() || archived(&c.source);
    let (front, template, recommendations) = match &c.guideline {
        Some(g) => (
            keep.then(|| g.front.clone()),
            g.template.clone(),
            g.recommendations
                .iter()
                .map(|r| {
                    r.statements
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect(),
        ),
        None => (None, String::new(), Vec::new()),
    };
    // The model is all the rest of the build reads of a file checked now; its
    // text and a broken file's model are dropped here, on the thread that made
    // them, so the next file reuses that memory instead of faulting in fresh pages.
    Outline {
        source: c.source,
        text: String::new(),
        front,
        template,
        recommendations,
        guideline: c.guideline.filter(|_| keep),
        error,
        warnings,
        checked_now: true,
        is_version: c.is_version,
        text_hash,
        key,
    }
}

fn archived(source: &Source) -> bool {
    matches!(source.kind, vejviser_load::SourceKind::Archived { .. })
}

fn one_line(d: &Diagnostic) -> String {
    format!(
        "{}:{}: {}[{}]: {}",
        d.file,
        d.line,
        d.severity.as_str(),
        d.code,
        d.message
    )
}
