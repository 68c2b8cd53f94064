//! One version of a guideline to its published files: the quick guide, the
//! full page, the page of changes since the previous version (with the quick
//! guide's filter to new and changed recommendations), and the two PDFs. This
//! is the one pipeline that `vejviser site` (each version of each guideline),
//! `vejviser build` (one file) and `vejviser serve` (either) share, so a page
//! reads the same whichever command made it; each caller only says where the
//! version sits (its [`ViewOptions`]: links, PDF names) and where the files go.

use crate::{PdfFn, SiteError};
use vejviser_model::{Group, Guideline};
use vejviser_render_html::{Renderer, FULL_FILE, QUICK_FILE};
use vejviser_revision::Revision;
use vejviser_template::Template;
use vejviser_versions::History;
use vejviser_view::{GuidelineView, VersionLink, ViewOptions};

/// The folder of the page of changes since the previous version, in each
/// version's folder: `/<dmcg>/<slug>/aendringer/` (and `/<dmcg>/<slug>/<version>/aendringer/`).
pub const CHANGES_DIR: &str = "aendringer";

/// Where [`render_version`] puts a file: its name relative to the version's
/// folder, and its bytes.
pub type WriteFile<'w> = dyn FnMut(String, &[u8]) -> Result<(), SiteError> + 'w;

/// One version of a guideline with its history, ready to render.
pub struct VersionPages<'a> {
    /// The guideline's versions, oldest first (later ones may follow).
    pub chain: &'a [&'a Guideline],
    /// Ids and differences of `chain` (`vejviser_versions::history`).
    pub history: &'a History,
    /// This version's place in `chain`.
    pub index: usize,
    pub template: &'a Template,
    pub group: Option<&'a Group>,
    pub revision: &'a Revision,
    /// Where the version sits: its links, breadcrumbs and PDF names. Ids,
    /// change tags and the page of changes are added from the history.
    pub options: &'a ViewOptions,
}

impl VersionPages<'_> {
    pub fn guideline(&self) -> &Guideline {
        self.chain[self.index]
    }
}

/// Renders `v` and hands each file to `write` as soon as it is made, by its
/// name relative to the version's folder (`index.html`, `full.html`,
/// `aendringer/index.html`, the PDFs named in the options). Returns the
/// options the pages were rendered with.
pub fn render_version(
    renderer: &Renderer,
    v: &VersionPages,
    pdf: Option<&PdfFn>,
    write: &mut WriteFile,
) -> Result<ViewOptions, SiteError> {
    let g = v.guideline();
    let options = versions_options(v.options, v.chain, v.history, v.index);
    let mut view = GuidelineView::new(g, v.template, v.group, v.revision, &options);
    let render_err = |e: vejviser_render_html::HtmlError| SiteError::Render {
        path: g.path.clone(),
        message: e.to_string(),
    };
    let pages = renderer.pages_filling(&mut view).map_err(render_err)?;
    write(QUICK_FILE.into(), pages.quick.as_bytes())?;
    write(FULL_FILE.into(), pages.full.as_bytes())?;
    drop(pages);
    if options.changes_page.is_some() {
        // Its own folder, so its address is /<dmcg>/<slug>/aendringer/.
        let below = changes_page_options(&options);
        let mut view = GuidelineView::new(g, v.template, v.group, v.revision, &below);
        if let Some(changes) = renderer
            .changes_page_filling(&mut view)
            .map_err(render_err)?
        {
            write(format!("{CHANGES_DIR}/{QUICK_FILE}"), changes.as_bytes())?;
        }
    }
    // An archived version has no quick-guide PDF (`pdf_quick` is `None`): it is
    // a subset of the full PDF (docs/site.md).
    if let (Some(pdf), Some(full)) = (pdf, &options.pdf_full) {
        let (f, q) =
            pdf(&view, g, options.pdf_quick.is_some()).map_err(|message| SiteError::Render {
                path: g.path.clone(),
                message,
            })?;
        write(full.clone(), &f)?;
        if let (Some(quick), Some(q)) = (&options.pdf_quick, q) {
            write(quick.clone(), &q)?;
        }
    }
    Ok(options)
}

/// What a version's pages show of its history: each recommendation's id and
/// change tag, the last professional change, the link to the page of changes.
pub(crate) fn versions_options(
    base: &ViewOptions,
    models: &[&Guideline],
    h: &History,
    k: usize,
) -> ViewOptions {
    let mut o = base.clone();
    o.standings = h.standings(k);
    let last = h.last_professional_change(k);
    o.last_professional_change =
        models
            .iter()
            .find(|g| g.front.version == last)
            .map(|g| VersionLink {
                version: last.to_string(),
                href: String::new(),
                professional_approval: g.front.professional_approval.as_ref().map(|a| a.date),
            });
    if let (true, Some(Some(d))) = (k > 0, h.diffs.get(k)) {
        o.changes = Some(VersionLink {
            version: h.versions[k - 1].to_string(),
            href: format!("{CHANGES_DIR}/"),
            professional_approval: None,
        });
        o.changes_page = Some(vejviser_view::changes::changes_page(
            models[k - 1],
            models[k],
            d,
        ));
    }
    o
}

/// The options of the page of changes, which sits one folder below its
/// version's pages (`aendringer/index.html`): every relative link of theirs
/// goes up one more level, and the link to the page itself is `./`.
pub(crate) fn changes_page_options(o: &ViewOptions) -> ViewOptions {
    fn up(href: &str) -> String {
        let absolute = href.starts_with('/')
            || href.starts_with('#')
            || href
                .split_once(':')
                .is_some_and(|(scheme, _)| !scheme.contains('/'));
        if absolute {
            href.to_string()
        } else {
            format!("../{href}")
        }
    }
    let mut c = o.clone();
    c.base_path = up(&o.base_path);
    c.version_folder = up(&o.version_folder);
    for v in c.versions.iter_mut().chain(c.replaced_by.iter_mut()) {
        v.href = up(&v.href);
    }
    for l in &mut c.breadcrumbs {
        l.href = up(&l.href);
    }
    for h in [
        &mut c.current_href,
        &mut c.pdf_full,
        &mut c.pdf_quick,
        &mut c.accessibility,
    ]
    .into_iter()
    .flatten()
    {
        *h = up(h);
    }
    if let Some(ch) = &mut c.changes {
        ch.href = "./".into();
    }
    c
}
