//! The HTML renderer: a [`GuidelineView`] to the quick guide (`index.html`)
//! and the full guideline page (`full.html`), with handlebars templates and a
//! stylesheet from `site-template/`.
//!
//! The templates are compiled into the crate, so the binary works on its own;
//! a theme folder overrides any of them by file name, like mdBook's `theme/`
//! ([`Theme::with_overrides`]). Templates get the view with every piece of
//! author text already written as escaped HTML from the content tree (the
//! `html` fields, see [`html`]); they lay out the page and convert nothing.
//! No page needs JavaScript.
//!
//! Rendering is pure: the same view and theme give the same bytes.

pub mod html;
mod include;

use handlebars::{Context, Handlebars};
use std::collections::BTreeMap;
use std::path::Path;
use vejviser_view::{GuidelineView, LinksView};

/// The quick guide's file name inside a guideline's folder.
pub const QUICK_FILE: &str = "index.html";
/// The full guideline page's file name.
pub const FULL_FILE: &str = "full.html";
/// The stylesheet's file name (at the view's `links.base`).
pub const STYLE_FILE: &str = "style.css";

/// Every theme file, by the name a theme folder overrides it with.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "quick.hbs",
        include_str!("../../../site-template/quick.hbs"),
    ),
    ("full.hbs", include_str!("../../../site-template/full.hbs")),
    (
        "quick-in-full.hbs",
        include_str!("../../../site-template/quick-in-full.hbs"),
    ),
    (
        "changes.hbs",
        include_str!("../../../site-template/changes.hbs"),
    ),
    (
        "partials/head.hbs",
        include_str!("../../../site-template/partials/head.hbs"),
    ),
    (
        "partials/masthead.hbs",
        include_str!("../../../site-template/partials/masthead.hbs"),
    ),
    (
        "partials/doc-header.hbs",
        include_str!("../../../site-template/partials/doc-header.hbs"),
    ),
    (
        "partials/banners.hbs",
        include_str!("../../../site-template/partials/banners.hbs"),
    ),
    (
        "partials/recommendation.hbs",
        include_str!("../../../site-template/partials/recommendation.hbs"),
    ),
    (
        "partials/topics.hbs",
        include_str!("../../../site-template/partials/topics.hbs"),
    ),
    (
        "partials/legend.hbs",
        include_str!("../../../site-template/partials/legend.hbs"),
    ),
    (
        "partials/versions.hbs",
        include_str!("../../../site-template/partials/versions.hbs"),
    ),
    (
        "partials/footer.hbs",
        include_str!("../../../site-template/partials/footer.hbs"),
    ),
    (STYLE_FILE, include_str!("../../../site-template/style.css")),
];

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("{path}: cannot read the theme file: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a folder")]
    NotAFolder { path: String },
    #[error("theme file {name}: {message}")]
    Template { name: String, message: String },
    #[error("rendering {page}: {message}")]
    Render { page: String, message: String },
}

/// The theme files in use: the built-in ones, some perhaps replaced.
#[derive(Debug, Clone)]
pub struct Theme {
    files: BTreeMap<&'static str, String>,
    /// Names replaced from a theme folder, for reporting.
    overridden: Vec<&'static str>,
}

impl Theme {
    /// The theme compiled into vejviser.
    pub fn builtin() -> Theme {
        Theme {
            files: BUILTIN.iter().map(|(n, t)| (*n, t.to_string())).collect(),
            overridden: Vec::new(),
        }
    }

    /// The built-in theme with every file that `dir` holds under the same name
    /// (e.g. `dir/style.css`, `dir/partials/recommendation.hbs`) replacing it.
    /// Other files in `dir` are ignored.
    pub fn with_overrides(dir: &Path) -> Result<Theme, HtmlError> {
        if !dir.is_dir() {
            return Err(HtmlError::NotAFolder {
                path: dir.display().to_string(),
            });
        }
        let mut theme = Theme::builtin();
        for (name, _) in BUILTIN {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    theme.files.insert(name, text);
                    theme.overridden.push(name);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(HtmlError::Read {
                        path: path.display().to_string(),
                        source: e,
                    })
                }
            }
        }
        Ok(theme)
    }

    /// The names of the files a theme folder replaced.
    pub fn overridden(&self) -> &[&'static str] {
        &self.overridden
    }

    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|s| s.as_str())
    }
}

/// Compiled templates, ready to render many guidelines (it is `Sync`).
pub struct Renderer {
    hb: Handlebars<'static>,
    style: String,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, HtmlError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.set_prevent_indent(true);
        // One HTML escape for template values and author text (five characters).
        hb.register_escape_fn(vejviser_model::safe::html_escaped);
        hb.register_helper("include", Box::new(include::Include));
        for (name, text) in &theme.files {
            let bad = |e: handlebars::TemplateError| HtmlError::Template {
                name: name.to_string(),
                message: e.to_string(),
            };
            if let Some(partial) = name
                .strip_prefix("partials/")
                .and_then(|n| n.strip_suffix(".hbs"))
            {
                hb.register_partial(partial, text.as_str()).map_err(bad)?;
            } else if let Some(page) = name.strip_suffix(".hbs") {
                hb.register_template_string(page, text.as_str())
                    .map_err(bad)?;
            }
        }
        Ok(Renderer {
            hb,
            style: theme.files[STYLE_FILE].clone(),
        })
    }

    /// The quick guide (`index.html`); for a version without a quick guide of
    /// its own (`links.quick` is `None`), the short page that points to its
    /// recommendations in the full page.
    pub fn quick_guide(&self, view: &GuidelineView) -> Result<String, HtmlError> {
        self.page(quick_template(view), view)
    }

    /// The full guideline page (`full.html`).
    pub fn full_page(&self, view: &GuidelineView) -> Result<String, HtmlError> {
        self.page("full", view)
    }

    /// The page of changes since the previous version; `None` when the view has none.
    pub fn changes_page(&self, view: &GuidelineView) -> Result<Option<String>, HtmlError> {
        match view.changes_page {
            Some(_) => self.page("changes", view).map(Some),
            None => Ok(None),
        }
    }

    /// Files the pages need beside them at `links.base` (the stylesheet).
    pub fn assets(&self) -> Vec<(&'static str, &[u8])> {
        vec![(STYLE_FILE, self.style.as_bytes())]
    }

    /// Both pages at once: the view is turned into the templates' data once.
    pub fn pages(&self, view: &GuidelineView) -> Result<Pages, HtmlError> {
        self.pages_filling(&mut view.clone())
    }

    /// [`Renderer::pages`] without copying the view: its `html` fields are
    /// filled in place (the pipeline's way; a view is large, its content trees
    /// most of it, and nothing else reads those fields).
    pub fn pages_filling(&self, view: &mut GuidelineView) -> Result<Pages, HtmlError> {
        let context = self.context_filling(view)?;
        Ok(Pages {
            quick: self.render_page(quick_template(view), &context)?,
            full: self.render_page("full", &context)?,
        })
    }

    /// A version's pages from one set of template data: its two pages and,
    /// when the view has changes and `changes_links` are given, the page of
    /// changes, which lives one folder down and differs from them only by
    /// those links (see [`LinksView::new`]). The view's `html` fields are
    /// filled in place, as with [`Renderer::pages_filling`]; the view is
    /// turned into the templates' data once, not twice.
    pub fn version_pages_filling(
        &self,
        view: &mut GuidelineView,
        changes_links: Option<&LinksView>,
    ) -> Result<VersionPages, HtmlError> {
        let mut context = self.context_filling(view)?;
        let pages = Pages {
            quick: self.render_page(quick_template(view), &context)?,
            full: self.render_page("full", &context)?,
        };
        let changes = match (&view.changes_page, changes_links) {
            (Some(_), Some(changes_links)) => {
                let links = serde_json::to_value(changes_links).map_err(|e| HtmlError::Render {
                    page: "view".into(),
                    message: e.to_string(),
                })?;
                if let Some(data) = context.data_mut().as_object_mut() {
                    data.insert("links".into(), links);
                }
                Some(self.render_page("changes", &context)?)
            }
            _ => None,
        };
        Ok(VersionPages { pages, changes })
    }

    fn page(&self, name: &str, view: &GuidelineView) -> Result<String, HtmlError> {
        let context = self.context_filling(&mut view.clone())?;
        self.render_page(name, &context)
    }

    /// The templates' data: the view with its `html` fields filled.
    fn context_filling(&self, view: &mut GuidelineView) -> Result<Context, HtmlError> {
        html::fill(view);
        Context::wraps(&*view).map_err(|e| HtmlError::Render {
            page: "view".into(),
            message: e.to_string(),
        })
    }

    fn render_page(&self, name: &str, context: &Context) -> Result<String, HtmlError> {
        self.hb
            .render_with_context(name, context)
            .map_err(|e| HtmlError::Render {
                page: format!("{name}.hbs"),
                message: e.to_string(),
            })
    }
}

/// The template of a version's `index.html`: its quick guide, or, when it has
/// none of its own (archived versions on a site), the page pointing to chapter 2
/// of its full page.
fn quick_template(view: &GuidelineView) -> &'static str {
    if view.links.quick.is_some() {
        "quick"
    } else {
        "quick-in-full"
    }
}

/// A version's pages: its two pages and its page of changes, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionPages {
    /// The quick guide and the full page.
    pub pages: Pages,
    /// The page of changes since the previous version.
    pub changes: Option<String>,
}

/// A guideline's two pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    /// The quick guide ([`QUICK_FILE`]).
    pub quick: String,
    /// The full guideline page ([`FULL_FILE`]).
    pub full: String,
}

#[cfg(test)]
mod tests;
