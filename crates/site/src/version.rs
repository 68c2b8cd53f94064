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
use vejviser_view::{GuidelineView, LinksView, VersionLink, ViewOptions};

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
    // The page of changes is one folder down: only its links differ.
    let changes_links = options
        .changes_page
        .is_some()
        .then(|| LinksView::new(&changes_page_options(&options), g.front.language));
    let pages = renderer
        .version_pages_filling(&mut view, changes_links.as_ref())
        .map_err(render_err)?;
    write(QUICK_FILE.into(), pages.pages.quick.as_bytes())?;
    write(FULL_FILE.into(), pages.pages.full.as_bytes())?;
    if let Some(changes) = &pages.changes {
        // Its own folder, so its address is /<dmcg>/<slug>/aendringer/.
        write(format!("{CHANGES_DIR}/{QUICK_FILE}"), changes.as_bytes())?;
    }
    drop(pages);
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

#[cfg(test)]
mod tests {
    use super::*;
    use vejviser_render_html::Theme;
    use vejviser_template::TemplateSet;
    use vejviser_view::ViewOptions;

    /// The page of changes is rendered from its version's template data with
    /// only the links swapped: it must be the page its own view gives.
    #[test]
    fn the_page_of_changes_is_the_page_its_own_view_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guidelines");
        let templates = TemplateSet::builtin();
        let parse = |rel: &str| {
            let text = std::fs::read(root.join(rel)).unwrap();
            vejviser_parse::parse(rel, &text, &templates)
                .guideline
                .unwrap()
        };
        let old = parse("dmsg/myelomatose-hdt/archive/1.5.md");
        let new = parse("dmsg/myelomatose-hdt/guideline.md");
        let chain = [&old, &new];
        let history = vejviser_versions::history("dmsg", "myelomatose-hdt", &chain);
        let revision = vejviser_revision::revision(
            new.front.professional_approval.as_ref().map(|a| a.date),
            new.front.planned_update,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            90,
        );
        let base = ViewOptions {
            base_path: "../../".into(),
            pdf_full: Some("myelomatose-hdt.pdf".into()),
            ..ViewOptions::default()
        };
        let renderer = Renderer::new(&Theme::builtin()).unwrap();
        let v = VersionPages {
            chain: &chain,
            history: &history,
            index: 1,
            template: templates.newest(),
            group: None,
            revision: &revision,
            options: &base,
        };
        let mut written = std::collections::BTreeMap::new();
        let options = render_version(&renderer, &v, None, &mut |name, bytes| {
            written.insert(name, bytes.to_vec());
            Ok(())
        })
        .unwrap();
        let page =
            String::from_utf8(written[&format!("{CHANGES_DIR}/{QUICK_FILE}")].clone()).unwrap();
        let below = changes_page_options(&options);
        let own = GuidelineView::new(&new, templates.newest(), None, &revision, &below);
        assert_eq!(page, renderer.changes_page(&own).unwrap().unwrap());
        // And its links do go one folder up.
        assert!(page.contains(r#"href="../../../style.css""#), "{page}");
        assert!(page.contains(r#"href="../myelomatose-hdt.pdf""#));
    }
}
