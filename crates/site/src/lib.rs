//! The national guideline website: every published guideline's quick guide,
//! full page, PDFs and JSON at a stable URL, the version archive, the overview
//! table, a page per group, the revision status page, a static search index,
//! an Atom feed and a sitemap.
//!
//! Publishing is safe: the site is built into a temporary folder beside the
//! output folder and swapped in only when everything succeeded (`swap`). It
//! is incremental: a file unchanged since the previous build is not parsed or
//! checked again (`outline`), a guideline whose pages' inputs are unchanged
//! is linked from the old site instead of being rendered again, and the build
//! starts from the site it replaces (the spare), so an edit to one guideline
//! touches a handful of files. The date comes in as input; nothing here reads
//! the clock.

pub mod base_url;
pub mod config;
mod folder;
mod json_lean;
mod outline;
mod pages;
mod policy;
mod row;
pub mod search;
mod swap;
mod version;

use chrono::NaiveDate;
use outline::Outline;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use vejviser_load::{CheckOptions, Checked, Registries, Source};
use vejviser_model::{Guideline, Registry, Version};
use vejviser_render_html::{Renderer, Theme};
use vejviser_revision::Revision;
use vejviser_view::{GuidelineView, VersionLink, ViewOptions};
pub use version::{render_version, VersionPages, WriteFile, CHANGES_DIR};

use json_lean::guideline_json;
pub use pages::SITE_TEMPLATES;
pub use row::Row;
use row::{feed_summary, row_for};

/// Renders a guideline's full PDF and, when asked (`true`), its quick guide's;
/// supplied by the caller so the site does not decide how PDFs are dated. An
/// archived version has no quick-guide PDF (docs/site.md), so none is made.
pub type PdfFn =
    dyn Fn(&GuidelineView, &Guideline, bool) -> Result<(Vec<u8>, Option<Vec<u8>>), String> + Sync;

/// What to build and how.
pub struct SiteOptions<'a> {
    pub guidelines: PathBuf,
    pub out: PathBuf,
    pub as_of: NaiveDate,
    pub due_within_days: u32,
    /// Publish drafts too (for a preview site).
    pub drafts: bool,
    /// The site's public URL, e.g. `https://retningslinjer.example.dk/` (feed and sitemap).
    pub base_url: String,
    /// Publish what is valid and list what was left out, instead of failing.
    pub keep_going: bool,
    pub theme: &'a Theme,
    /// A folder whose `site/*.hbs`, `site/*.js`, `site/site.css` replace the built-in site pages.
    pub templates: Option<PathBuf>,
    /// `None`: no PDFs (`--no-pdf`).
    pub pdf: Option<&'a PdfFn>,
    /// Identifies the program doing the build (say, its version and the
    /// executable's size and time); a change invalidates the whole cache, so a
    /// new build of vejviser never reuses what an older one made.
    pub build_id: String,
    /// Source positions (`span`) in guideline.json (`--json-spans`).
    pub json_spans: bool,
}

/// Progress, for a bar or log lines.
#[derive(Debug, Clone)]
pub enum Event {
    Checked { files: usize },
    Page { path: String, reused: bool },
}

/// Why a file was not published, or what today's rules find in a version that was.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub path: String,
    pub reason: String,
}

/// A guideline whose new current version has errors (`--keep-going`): its last
/// published pages stay live, exactly as they were.
#[derive(Debug, Clone, Serialize)]
pub struct Kept {
    /// The guideline's folder in the site, e.g. `dmsg/myelomatose-hdt`.
    pub dir: String,
    /// The version that stays published (from the live site), when it is known.
    pub version: Option<String>,
    /// The source file that failed.
    pub path: String,
    /// Its first error, on one line.
    pub reason: String,
}

/// What a build did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Current guidelines listed on the site.
    pub published: usize,
    /// Earlier versions published in the archive.
    pub archived: usize,
    /// Guidelines past the five-year limit, withdrawn from the listing.
    pub withdrawn: usize,
    pub drafts_skipped: usize,
    /// Guideline versions rendered in this build.
    pub rendered: usize,
    /// Guideline versions reused unchanged from the previous build.
    pub reused: usize,
    pub left_out: Vec<LeftOut>,
    /// Guidelines whose new current version failed and whose last published
    /// pages were kept (`--keep-going`).
    pub kept: Vec<Kept>,
    /// Archived versions published as they were although today's rules find
    /// errors in them (history is not rewritten); for the secretariat only.
    pub archived_findings: Vec<LeftOut>,
    /// Guideline files found.
    pub files: usize,
    /// Files parsed and checked in this build; the others were unchanged
    /// since the previous build, which remembered their outcome.
    pub checked: usize,
    /// The accessibility statement was published (`site.toml` has its facts).
    pub accessibility_statement: bool,
    /// Warnings of the files checked in this build, columns in characters.
    #[serde(skip)]
    pub warnings: Vec<vejviser_diagnostics::Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Load(#[from] vejviser_load::LoadError),
    #[error("{} guideline file(s) have errors; nothing was published", .0.iter().filter(|c| c.has_errors()).count())]
    CheckFailed(Vec<Checked>),
    #[error("rendering {path}: {message}")]
    Render { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// `site.toml` is invalid: `path` is `file:line` when the line is known.
    #[error("{path}: {message}")]
    Config { path: String, message: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// All published versions of one guideline, oldest first, and — once a page
/// of the guideline is rendered — their models and history (ids, differences),
/// computed once for all its versions.
pub(crate) struct Family<'c> {
    outlines: Vec<&'c Outline>,
    slug: String,
    parsed: std::sync::OnceLock<
        Option<(
            Vec<std::borrow::Cow<'c, Guideline>>,
            vejviser_versions::History,
        )>,
    >,
}

impl<'c> Family<'c> {
    pub(crate) fn history(
        &self,
        templates: &vejviser_template::TemplateSet,
    ) -> Option<&(
        Vec<std::borrow::Cow<'c, Guideline>>,
        vejviser_versions::History,
    )> {
        self.parsed
            .get_or_init(|| {
                let gs: Option<Vec<std::borrow::Cow<'c, Guideline>>> = self
                    .outlines
                    .iter()
                    .map(|o| o.guideline(templates))
                    .collect();
                let gs = gs?;
                let refs: Vec<&Guideline> = gs.iter().map(|g| g.as_ref()).collect();
                let group = refs
                    .last()
                    .map(|g| g.front.dmcg.clone())
                    .unwrap_or_default();
                let h = vejviser_versions::history(&group, &self.slug, &refs);
                Some((gs, h))
            })
            .as_ref()
    }
}

/// One version of one guideline to publish.
struct Job<'c> {
    outline: &'c Outline,
    family: std::sync::Arc<Family<'c>>,
    /// This version's place in `family` (0: the oldest).
    index: usize,
    /// Folder under the site root, e.g. `dmsg/myelomatose-hdt` or `dmsg/myelomatose-hdt/1.5`.
    dir: String,
    revision: Revision,
    options: ViewOptions,
    /// The guideline's current version, listed and searched (its search text is published).
    listed: bool,
}

/// A rendered (or reused) guideline folder: dir, cache key, files, reused.
type Published = (String, u64, Vec<String>, bool);

/// Builds the site. On error the previous site in `opts.out` is left as it was.
///
/// Each guideline folder is checked, rendered and written by itself
/// (`folder::publish`), in parallel; what the build keeps of a folder is its
/// overview row and check outcome, so memory stays flat as the number of
/// guidelines grows.
pub fn build(opts: &SiteOptions, on_event: &(dyn Fn(Event) + Sync)) -> Result<Summary, SiteError> {
    swap::check_out(&opts.guidelines, &opts.out)?;
    if let Some(reg) =
        vejviser_load::find_up(&opts.guidelines.join("x"), vejviser_load::REGISTRY_FILE)
    {
        // Guidelines are published at <group>/<slug>/ below the folder of dmcg.toml
        // (where `check` expects them, VV0007): a group folder alone is not a site.
        let tree = reg.parent().unwrap_or(Path::new("."));
        let same = |a: &Path, b: &Path| match (vejviser_load::resolve(a), vejviser_load::resolve(b))
        {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !same(tree, &opts.guidelines) {
            return Err(SiteError::Usage(format!(
                "{} is inside the guidelines tree of {}: `vejviser site` publishes a whole tree; name the folder that holds {}",
                opts.guidelines.display(),
                reg.display(),
                vejviser_load::REGISTRY_FILE
            )));
        }
    }
    let sources = vejviser_load::discover(std::slice::from_ref(&opts.guidelines), true)?;
    if sources.is_empty() {
        return Err(SiteError::Usage(format!(
            "no guidelines found in {}",
            opts.guidelines.display()
        )));
    }
    let templates = vejviser_load::load_templates(&opts.guidelines)?;
    let site_config = config::load(&opts.guidelines)?;
    let accessibility = site_config.as_ref().and_then(|c| c.accessibility.as_ref());
    let archive = site_config.as_ref().map(|c| c.archive).unwrap_or_default();
    let registries = Registries::default();
    let check_opts = CheckOptions {
        as_of: opts.as_of,
        due_within_days: opts.due_within_days,
    };
    let old_cache = swap::Cache::read(&opts.out);
    let registry: Registry = match registries.for_file(&opts.guidelines.join("x")).as_ref() {
        Ok(Some(r)) => r.clone(),
        _ => Registry::default(),
    };
    let folders = folders(&sources, &opts.guidelines);
    drop(sources);

    // Build beside the old site, reusing unchanged guideline folders from it.
    let staging = swap::Staging::new(&opts.out)?;
    let renderer = Renderer::new(opts.theme).map_err(|e| SiteError::Render {
        path: "theme".into(),
        message: e.to_string(),
    })?;
    let run = outline::CheckRun::new(
        &templates,
        &registries,
        &check_opts,
        old_cache.sources(),
        &opts.build_id,
    );
    let failed = AtomicBool::new(false);
    let shared = folder::Shared {
        opts,
        templates: &templates,
        registry: &registry,
        run: &run,
        renderer: &renderer,
        old_cache: &old_cache,
        staging: &staging,
        fingerprint: theme_fingerprint(opts, archive),
        failed: &failed,
        on_event,
        statement: accessibility.is_some(),
        archive,
    };
    let outcomes: Vec<Result<folder::FolderOutcome, SiteError>> = folders
        .par_iter()
        .map(|(dir, sources)| folder::publish(&shared, dir.as_deref(), sources))
        .collect();
    let mut done = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        match o {
            Ok(o) => done.push(o),
            Err(e) => {
                staging.abandon();
                return Err(e);
            }
        }
    }
    let files = done.iter().map(|d| d.files.len()).sum();
    on_event(Event::Checked { files });
    let mut summary = Summary {
        files,
        ..Summary::default()
    };
    let mut cache = swap::Cache::default();
    for f in done.iter_mut().flat_map(|d| d.files.iter_mut()) {
        summary.checked += usize::from(f.checked_now);
        summary.warnings.append(&mut f.warnings);
    }
    // Only a current version's errors stop the build (or, with --keep-going, keep
    // its last published pages); an archived version is published as it was and
    // its findings go to the secretariat (see docs/site.md, publishing policy).
    let kept_paths: BTreeSet<&str> = done
        .iter()
        .filter_map(|d| d.kept.as_ref())
        .map(|k| k.path.as_str())
        .collect();
    let broken: Vec<&folder::FileOutcome> = done
        .iter()
        .flat_map(|d| d.files.iter())
        .filter(|f| f.error.is_some() && !folder::archived(&f.source))
        .collect();
    if !broken.is_empty() && !opts.keep_going {
        staging.abandon();
        // The full diagnostics, for the report (remembered outcomes keep only the first).
        let failed = broken
            .iter()
            .map(|f| vejviser_load::check_file(&f.source, &templates, &registries, &check_opts))
            .collect();
        return Err(SiteError::CheckFailed(failed));
    }
    for f in broken
        .iter()
        .filter(|f| !kept_paths.contains(f.source.display.as_str()))
    {
        summary.left_out.push(LeftOut {
            path: f.source.display.clone(),
            reason: f.error.clone().unwrap_or_default(),
        });
    }

    let mut listed: Vec<Row> = Vec::new();
    let mut withdrawn: Vec<(String, Row, Vec<VersionLink>)> = Vec::new();
    let mut all_rows: Vec<Row> = Vec::new();
    let mut english = false;
    // Guideline folders made anew in this build (their search text may have changed).
    let mut made: BTreeSet<String> = BTreeSet::new();
    for d in done {
        english |= d.english;
        summary.left_out.extend(d.misplaced);
        summary.archived_findings.extend(d.archived_findings);
        summary.kept.extend(d.kept);
        summary.drafts_skipped += d.drafts_skipped;
        summary.archived += d.archived;
        for f in d.files {
            cache.remember(f.source.display.clone(), f.remembered);
        }
        // The feed's words for the current version, remembered with its pages.
        let changes = d.head.as_ref().map(|(row, _)| {
            (
                row.url.trim_end_matches('/').to_string(),
                row.changes.clone(),
            )
        });
        if let Some((row, notice)) = d.head {
            all_rows.push(row.clone());
            match notice {
                Some((dir, versions)) => withdrawn.push((dir, row, versions)),
                None => listed.push(row),
            }
        }
        for (dir, key, files, reused) in d.published {
            if reused {
                summary.reused += 1;
            } else {
                summary.rendered += 1;
                made.insert(dir.clone());
            }
            cache.insert(dir, key, files);
        }
        if let Some((dir, changes)) = changes {
            cache.set_changes(&dir, changes);
        }
    }
    // The overview's order (Danish alphabetical order of title), which the
    // search index's ids follow too.
    listed.sort_by(|a, b| pages::title_order(&a.title, &b.title));
    summary.published = listed.len();
    summary.withdrawn = withdrawn.len();
    summary.accessibility_statement = accessibility.is_some();

    let site =
        pages::SitePages::new(opts.templates.as_deref())?.with_statement(accessibility.is_some());
    let mut out_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, bytes) in renderer.assets() {
        out_files.push((name.to_string(), bytes.to_vec()));
    }
    let result = site.write_all(
        &mut out_files,
        &pages::SiteData {
            rows: &listed,
            all: &all_rows,
            withdrawn: &withdrawn,
            registry: &registry,
            as_of: opts.as_of,
            base_url: &opts.base_url,
            accessibility,
            english,
        },
    );
    if let Err(e) = result {
        staging.abandon();
        return Err(e);
    }
    // The search index, from the listed guidelines' rows and search text.
    let searched: Vec<search::Listed> = listed
        .iter()
        .map(|r| {
            let dir = r.url.trim_end_matches('/');
            search::Listed {
                row: r,
                fragments: search::text::count(cache.files_of(dir)),
                old_fragments: search::text::count(old_cache.files_of(dir)),
                rendered: made.contains(dir),
            }
        })
        .collect();
    let index = search::index(
        &searched,
        &search::Sites {
            staging: staging.path(),
            live: &opts.out,
            previous: old_cache.search(),
            build_id: &opts.build_id,
        },
    );
    let index = match index {
        Ok(i) => i,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    out_files.extend(index.files);
    // A file with the same bytes as the live site's is linked, not written:
    // an edit to one guideline then changes a handful of the site's files.
    for (name, bytes) in &out_files {
        swap::write_or_link(&opts.out, staging.path(), name, bytes)?;
    }
    let buckets = opts.out.join(search::DIR).join("f");
    let unchanged: Vec<String> = index
        .unchanged
        .iter()
        .map(|n| n.rsplit('/').next().unwrap_or(n).to_string())
        .collect();
    swap::link_files(
        &buckets,
        &staging.path().join(search::DIR).join("f"),
        &unchanged,
    )?;
    cache.set_search(index.state);
    cache.write(staging.path())?;
    if staging.recycled() {
        let mut keep: BTreeSet<String> = out_files.iter().map(|(n, _)| n.clone()).collect();
        keep.extend(index.unchanged);
        keep.extend(index.written);
        keep.insert(swap::CACHE_FILE.to_string());
        keep.extend(cache.files());
        staging.prune(&keep)?;
    }
    staging.commit()?;
    Ok(summary)
}

/// The guideline files grouped by folder (`dmsg/myelomatose-hdt`: the current
/// file and its archived versions), in path order. A folder whose name cannot
/// be a URL gets `None`, one entry per file.
fn folders(sources: &[Source], root: &Path) -> Vec<(Option<String>, Vec<Source>)> {
    let mut by_dir: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    let mut misplaced = Vec::new();
    for s in sources {
        let dir = s.guideline_dir();
        let rel: Vec<String> = dir
            .strip_prefix(root)
            .unwrap_or(dir)
            .components()
            .map(|p| p.as_os_str().to_string_lossy().into_owned())
            .collect();
        if rel.len() == 2 && rel.iter().all(|p| safe_segment(p)) {
            by_dir.entry(rel.join("/")).or_default().push(s.clone());
        } else {
            misplaced.push((None, vec![s.clone()]));
        }
    }
    let mut out: Vec<(Option<String>, Vec<Source>)> =
        by_dir.into_iter().map(|(d, s)| (Some(d), s)).collect();
    out.extend(misplaced);
    out
}

fn version_of(c: &Outline) -> Version {
    c.front
        .as_ref()
        .map(|f| f.version)
        .unwrap_or(Version { major: 0, minor: 0 })
}

/// Folder names that are safe as URL and path segments (the one rule, in the model).
fn safe_segment(s: &str) -> bool {
    vejviser_model::safe::is_path_segment(s)
}

fn pdf_name(c: &Outline, quick: bool) -> String {
    let slug = c.source.slug();
    if quick {
        format!("{slug}-{}-quick.pdf", c.front().version)
    } else {
        format!("{slug}-{}.pdf", c.front().version)
    }
}

fn theme_fingerprint(opts: &SiteOptions, archive: config::Archive) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    archive.hash(&mut h);
    opts.build_id.hash(&mut h);
    opts.pdf.is_some().hash(&mut h);
    opts.base_url.hash(&mut h);
    opts.json_spans.hash(&mut h);
    let theme = opts.theme;
    for (name, _) in vejviser_render_html::BUILTIN {
        theme.file(name).hash(&mut h);
    }
    h.finish()
}

/// Everything a guideline's pages depend on: its source and what the site adds
/// around it (status, versions, group, links). Equal keys mean equal output.
/// Computed from the inputs of the view, so an unchanged guideline is reused
/// without building its view.
fn cache_key(job: &Job, group: Option<&vejviser_model::Group>, fingerprint: u64) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    fingerprint.hash(&mut h);
    job.outline.text_hash.hash(&mut h);
    // Ids and change tags come from every earlier version.
    for o in &job.family.outlines[..job.index] {
        o.text_hash.hash(&mut h);
    }
    job.outline.template.hash(&mut h);
    // ViewOptions is plain data; its Debug form lists every field.
    format!("{:?}", job.options).hash(&mut h);
    serde_json::to_string(&(&job.revision, group))
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests;
