//! One guideline folder, start to finish: its current file and archived
//! versions are checked, the versions to publish are chosen, their pages and
//! PDFs are written into the staging folder, and everything but a small
//! summary (rows for the shared pages, check outcomes for the cache) is
//! dropped before the next folder is taken. Folders are independent, so they
//! run in parallel and the build's memory does not grow with the number of
//! guidelines (issue 18).

use crate::outline::{CheckRun, Outline, Remembered};
use crate::{
    cache_key, feed_summary, guideline_json, pdf_name, policy, row_for, swap, version_of, Event,
    Family, Job, Kept, LeftOut, Published, Row, SiteError, SiteOptions,
};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use vejviser_diagnostics::Diagnostic;
use vejviser_load::history::Parsed;
use vejviser_load::Source;
use vejviser_model::{Guideline, Registry};
use vejviser_render_html::Renderer;
use vejviser_revision::{revision, RevisionStatus};
use vejviser_template::TemplateSet;
use vejviser_view::{Link, VersionLink, ViewOptions};

/// What every folder's work shares.
pub(crate) struct Shared<'a> {
    pub opts: &'a SiteOptions<'a>,
    pub templates: &'a TemplateSet,
    pub registry: &'a Registry,
    pub run: &'a CheckRun<'a>,
    pub renderer: &'a Renderer,
    pub old_cache: &'a swap::Cache,
    pub staging: &'a swap::Staging,
    pub fingerprint: u64,
    /// Set when a file has errors and the build does not keep going: nothing
    /// will be published, so folders taken after it are checked, not rendered.
    pub failed: &'a AtomicBool,
    pub on_event: &'a (dyn Fn(Event) + Sync),
    /// The site has an accessibility statement (`site.toml`): pages link to it.
    pub statement: bool,
    /// Which formats archived versions publish (`site.toml`).
    pub archive: crate::config::Archive,
}

/// A withdrawn guideline's folder and the versions its notice lists.
pub(crate) type Withdrawn = (String, Vec<VersionLink>);

/// One file's check outcome, as the build keeps it.
pub(crate) struct FileOutcome {
    pub source: Source,
    pub remembered: Remembered,
    pub error: Option<String>,
    pub warnings: Vec<Diagnostic>,
    pub checked_now: bool,
}

/// What is left of a folder once it is published.
#[derive(Default)]
pub(crate) struct FolderOutcome {
    pub files: Vec<FileOutcome>,
    /// The current version's row, and whether the guideline is withdrawn.
    pub head: Option<(Row, Option<Withdrawn>)>,
    pub archived: usize,
    pub drafts_skipped: usize,
    /// Files in folders that cannot become URLs, and archived versions that no
    /// longer parse at all.
    pub misplaced: Vec<LeftOut>,
    /// Archived versions published as they were despite today's findings.
    pub archived_findings: Vec<LeftOut>,
    /// The current version failed and the live site's pages were kept.
    pub kept: Option<Kept>,
    pub published: Vec<Published>,
    /// Some published version is in English (the statement is then published in English too).
    pub english: bool,
}

/// A file under `archive/`: history, published as it was.
pub(crate) fn archived(source: &Source) -> bool {
    matches!(source.kind, vejviser_load::SourceKind::Archived { .. })
}

/// Checks a folder's files, in their order: the archived versions first, so
/// that the current version's findings against its previous version use their
/// models instead of parsing their files again, and its cache key has their texts.
fn check_files(run: &CheckRun, sources: &[Source]) -> Vec<Outline> {
    let none = Parsed::default();
    let mut outlines: Vec<Option<Outline>> = sources
        .iter()
        .map(|s| archived(s).then(|| run.check(s, 0, &none)))
        .collect();
    let mut earlier = std::hash::DefaultHasher::new();
    let mut parsed = Parsed::default();
    for o in outlines.iter().flatten() {
        o.text_hash.hash(&mut earlier);
        if let Some(g) = o.parsed_version() {
            parsed.add(&o.source.path, g);
        }
    }
    let earlier = earlier.finish();
    let rest: Vec<Option<Outline>> = sources
        .iter()
        .map(|s| (!archived(s)).then(|| run.check(s, earlier, &parsed)))
        .collect();
    drop(parsed);
    for (o, r) in outlines.iter_mut().zip(rest) {
        if r.is_some() {
            *o = r;
        }
    }
    outlines.into_iter().flatten().collect()
}

/// `dir` is the folder under the guidelines root (`dmsg/myelomatose-hdt`), or
/// `None` when its name cannot be a URL (then its files are checked and left out).
pub(crate) fn publish(
    sh: &Shared,
    dir: Option<&str>,
    sources: &[Source],
) -> Result<FolderOutcome, SiteError> {
    let mut outlines = check_files(sh.run, sources);
    let mut out = FolderOutcome {
        files: outlines
            .iter_mut()
            .map(|o| FileOutcome {
                source: o.source.clone(),
                remembered: o.remembered(),
                error: o.error.clone(),
                warnings: std::mem::take(&mut o.warnings),
                checked_now: o.checked_now,
            })
            .collect(),
        ..FolderOutcome::default()
    };
    // Only a current version's errors fail the build; an archived version's are
    // findings for the secretariat (it is published as it was, if it still parses).
    let current_failed = outlines
        .iter()
        .find(|c| c.error.is_some() && !archived(&c.source));
    if !sh.opts.keep_going && current_failed.is_some() {
        sh.failed.store(true, Ordering::Relaxed);
    }
    if sh.failed.load(Ordering::Relaxed) {
        return Ok(out);
    }
    for c in outlines
        .iter()
        .filter(|c| c.error.is_some() && archived(&c.source))
    {
        let finding = LeftOut {
            path: c.source.display.clone(),
            reason: c.error.clone().unwrap_or_default(),
        };
        if c.front.is_some() {
            out.archived_findings.push(finding);
        } else {
            out.misplaced.push(finding);
        }
    }
    let publishable = outlines.iter().filter(|c| c.front.is_some());
    let Some(dir) = dir else {
        out.misplaced = publishable
            .map(|c| LeftOut {
                path: c.source.display.clone(),
                reason: "guidelines live at <group>/<slug>/guideline.md with lower-case letters, digits, '-', '_' and '.' in folder names (VV0007)".into(),
            })
            .collect();
        return Ok(out);
    };
    let files: Vec<&Outline> = publishable.collect();
    let opts = sh.opts;
    if let Some(c) = current_failed {
        // --keep-going: the guideline keeps exactly its last published pages; an
        // archived version never becomes current in its place. Never published:
        // it is left out (the build lists it).
        if let Some(files) = policy::published_folder(&opts.out, dir) {
            policy::link_published(&opts.out, sh.staging.path(), dir, &files)?;
            let row = policy::published_row(
                &opts.out,
                dir,
                sh.registry,
                opts.as_of,
                opts.due_within_days,
            );
            out.kept = Some(Kept {
                dir: dir.to_string(),
                version: row.as_ref().map(|r| r.version.clone()),
                path: c.source.display.clone(),
                reason: c.error.clone().unwrap_or_default(),
            });
            out.head = row.map(|r| (r, None));
            // Key 0 is never a page's key: the next build renders the folder anew.
            out.published.push((dir.to_string(), 0, files, true));
        }
        return Ok(out);
    }

    // Newest version first; drafts only when asked for.
    let mut versions: Vec<&Outline> = files
        .iter()
        .copied()
        .filter(|c| opts.drafts || !c.front().is_draft())
        .collect();
    out.drafts_skipped = files.len() - versions.len();
    versions.sort_by_key(|c| std::cmp::Reverse(version_of(c)));
    let mut seen = BTreeSet::new();
    versions.retain(|c| seen.insert(version_of(c)));
    let Some(head) = versions.first() else {
        return Ok(out);
    };
    let head_front = head.front();
    let group = sh.registry.get(&head_front.dmcg);
    let head_rev = revision(
        head_front.professional_approval.as_ref().map(|a| a.date),
        head_front.planned_update,
        opts.as_of,
        opts.due_within_days,
    );
    let expired = head_rev.status == RevisionStatus::Expired;
    let family = std::sync::Arc::new(Family {
        outlines: versions.iter().rev().copied().collect(),
        slug: head.source.slug(),
        parsed: std::sync::OnceLock::new(),
    });
    let version_links: Vec<VersionLink> = versions
        .iter()
        .enumerate()
        .filter(|(i, _)| *i > 0 || expired)
        .map(|(_, c)| {
            let front = c.front();
            VersionLink {
                version: front.version.to_string(),
                // An earlier version's recommendations are read on its full
                // page (it has no quick guide of its own, docs/site.md).
                href: format!("{}/{}", front.version, vejviser_render_html::FULL_FILE),
                professional_approval: front.professional_approval.as_ref().map(|a| a.date),
            }
        })
        .collect();
    for (i, c) in versions.iter().enumerate() {
        let front = c.front();
        let rev = revision(
            front.professional_approval.as_ref().map(|a| a.date),
            front.planned_update,
            opts.as_of,
            opts.due_within_days,
        );
        let at_root = i == 0 && !expired;
        let page_dir = if at_root {
            dir.to_string()
        } else {
            format!("{dir}/{}", front.version)
        };
        let base = if at_root { "../../" } else { "../../../" };
        let prefix = if at_root { "" } else { "../" };
        let mut options = ViewOptions {
            base_path: base.to_string(),
            versions: version_links
                .iter()
                .filter(|v| v.version != front.version.to_string())
                .map(|v| VersionLink {
                    href: format!("{prefix}{}", v.href),
                    ..v.clone()
                })
                .collect(),
            archived: !(at_root || i == 0 && expired),
            current_href: (!at_root && !expired).then(|| "../index.html".to_string()),
            // The next newer version replaced this one.
            replaced_by: i.checked_sub(1).and_then(|j| versions.get(j)).map(|n| {
                let nf = n.front();
                VersionLink {
                    version: nf.version.to_string(),
                    href: String::new(),
                    professional_approval: nf.professional_approval.as_ref().map(|a| a.date),
                }
            }),
            pdf_full: None,
            pdf_quick: None,
            accessibility: sh.statement.then(|| {
                let statement = match front.language {
                    vejviser_model::Language::En => crate::pages::STATEMENT_EN,
                    _ => crate::pages::STATEMENT_DA,
                };
                format!("{base}{statement}")
            }),
            breadcrumbs: vec![
                Link {
                    text: vejviser_view::Labels::for_language(front.language)
                        .all_guidelines
                        .into(),
                    href: format!("{base}index.html"),
                },
                Link {
                    text: group
                        .map(|gr| gr.name.clone())
                        .unwrap_or_else(|| front.dmcg.clone()),
                    href: format!("{base}{}/index.html", dir.split('/').next().unwrap_or("")),
                },
            ],
            // An earlier version (archived or withdrawn) publishes its full page
            // and full PDF; its quick guide is their chapter 2 (docs/site.md).
            no_quick_guide: !at_root,
            address: Some(format!("{}/{dir}/", sh.opts.base_url.trim_end_matches('/'))),
            // Ids, change tags and the change page: filled in when the page is rendered.
            ..ViewOptions::default()
        };
        if opts.pdf.is_some() && (!options.archived || sh.archive.pdf) {
            options.pdf_full = Some(pdf_name(c, false));
            options.pdf_quick = at_root.then(|| pdf_name(c, true));
        }
        let job = Job {
            outline: c,
            family: family.clone(),
            index: versions.len() - 1 - i,
            dir: page_dir,
            revision: rev,
            options,
            listed: at_root,
        };
        if i == 0 {
            let mut row = row_for(c, sh.registry, &format!("{}/", job.dir), &job.revision);
            // The feed says what changed in an update (the same words whether
            // or not the pages are rendered in this build). Finding it parses
            // every version of the guideline, so the words are remembered with
            // the pages, under a key of every version's text.
            if family.outlines.len() > 1 {
                let key = cache_key(&job, group, sh.fingerprint);
                row.changes = match sh.old_cache.changes(&job.dir, key) {
                    Some(remembered) => remembered,
                    None => family.history(sh.templates).and_then(|(_, h)| {
                        let k = h.versions.len() - 1;
                        h.diffs[k]
                            .as_ref()
                            .map(|d| feed_summary(d, h.versions[k - 1]))
                    }),
                };
                row.changes_page = row.changes.is_some();
            }
            out.head = Some((
                row,
                expired.then(|| (dir.to_string(), version_links.clone())),
            ));
        } else {
            out.archived += 1;
        }
        out.english |= front.language == vejviser_model::Language::En;
        out.published.push(render(sh, &job)?);
    }
    Ok(out)
}

/// Writes one version's pages, JSON and PDFs into the staging folder, or links
/// them from the live site when their inputs are unchanged.
fn render(sh: &Shared, job: &Job) -> Result<Published, SiteError> {
    let opts = sh.opts;
    let group = sh.registry.get(&job.outline.front().dmcg);
    let key = cache_key(job, group, sh.fingerprint);
    let target = sh.staging.path().join(&job.dir);
    if let Some(files) = sh.old_cache.reusable(&opts.out, &job.dir, key) {
        swap::link_files(&opts.out.join(&job.dir), &target, &files)?;
        (sh.on_event)(Event::Page {
            path: job.dir.clone(),
            reused: true,
        });
        return Ok((job.dir.clone(), key, files, true));
    }
    let source = &job.outline.source;
    let (models, history) = job
        .family
        .history(sh.templates)
        .ok_or_else(|| SiteError::Render {
            path: source.display.clone(),
            message: "the file no longer parses as it did when it was checked".into(),
        })?;
    let chain: Vec<&Guideline> = models.iter().map(|g| g.as_ref()).collect();
    let guideline = chain[job.index];
    // Each file is written as soon as it is made and then dropped.
    swap::ensure_dir(&target)?;
    let mut names = Vec::with_capacity(6);
    // The folders made so far (the version's own, `aendringer/`, `search/`):
    // each is made once, not looked up again for every file.
    let mut made = vec![target.clone()];
    let mut write = |name: String, bytes: &[u8]| -> Result<(), SiteError> {
        let path = target.join(&name);
        if let Some(parent) = path.parent() {
            if !made.iter().any(|d| d == parent) {
                swap::ensure_dir(parent)?;
                made.push(parent.to_path_buf());
            }
        }
        swap::write_new(&path, bytes)?;
        names.push(name);
        Ok(())
    };
    crate::render_version(
        sh.renderer,
        &crate::VersionPages {
            chain: &chain,
            history,
            index: job.index,
            template: sh
                .templates
                .get(&guideline.template)
                .unwrap_or_else(|| sh.templates.newest()),
            group,
            revision: &job.revision,
            options: &job.options,
        },
        opts.pdf,
        &mut write,
    )?;
    // An archived version's JSON only when the secretariat keeps it (`[archive]`).
    if !job.options.archived || sh.archive.json {
        write(
            "guideline.json".into(),
            &guideline_json(
                guideline,
                &job.revision,
                source,
                &opts.guidelines,
                history,
                job.index,
                opts.json_spans,
            ),
        )?;
    }
    // A listed guideline's search text, in fragments the search page loads
    // for the hits it shows (and the search index reads back).
    if job.listed {
        let url = format!("{}/", job.dir);
        for (k, f) in crate::search::text::fragments(guideline).iter().enumerate() {
            write(
                crate::search::text::file_name(k),
                &crate::search::text::script(&url, k, f),
            )?;
        }
    }
    (sh.on_event)(Event::Page {
        path: job.dir.clone(),
        reused: false,
    });
    Ok((job.dir.clone(), key, names, false))
}
