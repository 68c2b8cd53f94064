//! The site's own pages around the guidelines: the overview table, a page per
//! group, the status page, withdrawn notices, search, the Atom feed and the
//! sitemap. Templates are embedded from `site-template/site/` and can be
//! replaced file by file from a folder.

use crate::config::{Accessibility, Assessment, Conformance};
use crate::{Row, SiteError};
use chrono::NaiveDate;
use handlebars::Handlebars;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use vejviser_model::{Language, Registry};
use vejviser_revision::RevisionStatus;
use vejviser_view::{long_date, VersionLink};

/// The built-in site files: (name under `site-template/`, text).
pub const SITE_TEMPLATES: &[(&str, &str)] = &[
    (
        "site/layout.hbs",
        include_str!("../../../site-template/site/layout.hbs"),
    ),
    (
        "site/index.hbs",
        include_str!("../../../site-template/site/index.hbs"),
    ),
    (
        "site/group.hbs",
        include_str!("../../../site-template/site/group.hbs"),
    ),
    (
        "site/status.hbs",
        include_str!("../../../site-template/site/status.hbs"),
    ),
    (
        "site/withdrawn.hbs",
        include_str!("../../../site-template/site/withdrawn.hbs"),
    ),
    (
        "site/search.hbs",
        include_str!("../../../site-template/site/search.hbs"),
    ),
    (
        "site/tilgaengelighed.hbs",
        include_str!("../../../site-template/site/tilgaengelighed.hbs"),
    ),
    (
        "site/accessibility.hbs",
        include_str!("../../../site-template/site/accessibility.hbs"),
    ),
    (
        "site/404.hbs",
        include_str!("../../../site-template/site/404.hbs"),
    ),
    (
        "site/table.hbs",
        include_str!("../../../site-template/site/table.hbs"),
    ),
    (
        "site/site.css",
        include_str!("../../../site-template/site/site.css"),
    ),
    (
        "site/site.js",
        include_str!("../../../site-template/site/site.js"),
    ),
    (
        "site/search.js",
        include_str!("../../../site-template/site/search.js"),
    ),
];

/// The accessibility statement in Danish and in English, under the site root.
pub const STATEMENT_DA: &str = "tilgaengelighed/index.html";
pub const STATEMENT_EN: &str = "accessibility/index.html";

pub struct SitePages {
    hb: Handlebars<'static>,
    assets: Vec<(&'static str, String)>,
    /// The site has an accessibility statement: every page's footer links to it.
    statement: bool,
}

pub struct SiteData<'a> {
    pub rows: &'a [Row],
    pub all: &'a [Row],
    pub withdrawn: &'a [(String, Row, Vec<VersionLink>)],
    pub registry: &'a Registry,
    pub as_of: NaiveDate,
    pub base_url: &'a str,
    /// The statement's facts from `site.toml`, when there is one.
    pub accessibility: Option<&'a Accessibility>,
    /// Some published page is in English: the statement is published in English too.
    pub english: bool,
}

#[derive(Serialize)]
struct RowView<'a> {
    #[serde(flatten)]
    row: &'a Row,
    href: String,
    group_href: String,
    status_key: &'static str,
    professional_approval_text: String,
    planned_update_text: String,
    expires_text: String,
}

impl SitePages {
    pub fn new(dir: Option<&Path>) -> Result<SitePages, SiteError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(false);
        // The pages' one HTML escape (vejviser_model::safe), as on guideline pages.
        hb.register_escape_fn(vejviser_model::safe::html_escaped);
        let mut assets = Vec::new();
        for (name, builtin) in SITE_TEMPLATES {
            let text = match dir.map(|d| d.join(name)) {
                Some(p) if p.is_file() => std::fs::read_to_string(&p).map_err(crate::io(&p))?,
                _ => builtin.to_string(),
            };
            let file = name.trim_start_matches("site/");
            if file == "table.hbs" {
                hb.register_partial("table", text)
                    .map_err(|e| SiteError::Render {
                        path: format!("site-template/{name}"),
                        message: e.to_string(),
                    })?;
            } else if let Some(stem) = file.strip_suffix(".hbs") {
                hb.register_template_string(stem, text)
                    .map_err(|e| SiteError::Render {
                        path: format!("site-template/{name}"),
                        message: e.to_string(),
                    })?;
            } else {
                assets.push((file, text));
            }
        }
        Ok(SitePages {
            hb,
            assets,
            statement: false,
        })
    }

    /// Links every page's footer to the accessibility statement.
    pub fn with_statement(mut self, statement: bool) -> SitePages {
        self.statement = statement;
        self
    }

    fn render(
        &self,
        page: &str,
        base: &str,
        title: &str,
        body_data: serde_json::Value,
    ) -> Result<Vec<u8>, SiteError> {
        self.render_in(page, base, title, "da", body_data)
    }

    /// A page in `lang`; the site's own words around it stay Danish (and say so).
    fn render_in(
        &self,
        page: &str,
        base: &str,
        title: &str,
        lang: &str,
        body_data: serde_json::Value,
    ) -> Result<Vec<u8>, SiteError> {
        let err = |e: handlebars::RenderError| SiteError::Render {
            path: format!("site-template/site/{page}.hbs"),
            message: e.to_string(),
        };
        let body = self.hb.render(page, &body_data).map_err(err)?;
        let html = self
            .hb
            .render(
                "layout",
                &json!({
                    "base": base,
                    "title": title,
                    "body": body,
                    "lang": lang,
                    "foreign": lang != "da",
                    // Withdrawn guidelines' notices stay reachable but out of search engines.
                    "noindex": body_data.get("noindex").and_then(|v| v.as_bool()).unwrap_or(false),
                    "statement": self.statement.then_some(STATEMENT_DA),
                }),
            )
            .map_err(err)?;
        Ok(html.into_bytes())
    }

    /// Every site page and asset, as (path in the site, bytes).
    pub fn write_all(
        &self,
        out: &mut Vec<(String, Vec<u8>)>,
        d: &SiteData,
    ) -> Result<(), SiteError> {
        for (name, text) in &self.assets {
            out.push((name.to_string(), text.clone().into_bytes()));
        }
        let views = |rows: &[&Row], base: &str| -> Vec<serde_json::Value> {
            rows.iter()
                .map(|r| serde_json::to_value(row_view(r, base)).expect("rows serialise"))
                .collect()
        };
        // The overview and group tables say they are sorted by title (aria-sort
        // on Titel), so they are: in Danish alphabetical order, as the table's
        // script sorts them.
        let mut listed: Vec<&Row> = d.rows.iter().collect();
        listed.sort_by(|a, b| title_order(&a.title, &b.title));
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in d.all {
            *counts.entry(r.status.as_str()).or_default() += 1;
        }
        out.push((
            "index.html".into(),
            self.render("index", "", "Kliniske retningslinjer", json!({ "rows": views(&listed, ""), "count": plural(listed.len(), "gældende national klinisk retningslinje", "gældende nationale kliniske retningslinjer"), "as_of": long_date(d.as_of, Language::Da), "withdrawn": (!d.withdrawn.is_empty()).then(|| plural(d.withdrawn.len(), "retningslinje er midlertidigt trukket tilbage, fordi den er over fem år gammel", "retningslinjer er midlertidigt trukket tilbage, fordi de er over fem år gamle")) }))?,
        ));

        // A page per group with its guidelines (listed and withdrawn).
        let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
        for r in d.all {
            groups.entry(group_dir(r).to_string()).or_default().push(r);
        }
        for (dir, rows) in &groups {
            let key = &rows[0].dmcg;
            let group = d.registry.get(key);
            // Withdrawn guidelines apart from the ones in force.
            let (mut withdrawn, mut listed): (Vec<&Row>, Vec<&Row>) = rows
                .iter()
                .partition(|r| r.status == RevisionStatus::Expired);
            listed.sort_by(|a, b| title_order(&a.title, &b.title));
            withdrawn.sort_by(|a, b| title_order(&a.title, &b.title));
            let data = json!({
                "key": key,
                "name": group.map(|g| g.name.clone()).unwrap_or_else(|| key.clone()),
                "contact": group.and_then(|g| g.contact.clone()),
                "rows": views(&listed, "../"),
                "withdrawn_rows": views(&withdrawn, "../"),
            });
            out.push((
                format!("{dir}/index.html"),
                self.render(
                    "group",
                    "../",
                    &format!("{key} – kliniske retningslinjer"),
                    data,
                )?,
            ));
        }

        // The status page: what needs attention, most urgent first.
        let mut attention: Vec<&Row> = d
            .all
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    RevisionStatus::Due | RevisionStatus::Overdue | RevisionStatus::Expired
                )
            })
            .collect();
        attention.sort_by(|a, b| {
            b.status
                .cmp(&a.status)
                .then(b.days_overdue.cmp(&a.days_overdue))
                .then(a.title.cmp(&b.title))
        });
        let status_counts: Vec<serde_json::Value> = ["expired", "overdue", "due", "current", "draft"]
            .iter()
            .map(|k| json!({ "key": k, "label": RevisionStatus::parse(k).map(|s| s.label(vejviser_revision::Lang::Da)).unwrap_or(""), "count": counts.get(k).copied().unwrap_or(0) }))
            .collect();
        out.push((
            "status/index.html".into(),
            self.render("status", "../", "Revisionsstatus", json!({ "rows": views(&attention, "../"), "counts": status_counts, "as_of": long_date(d.as_of, Language::Da) }))?,
        ));

        // Withdrawn guidelines: a notice at the stable URL, versions in the archive.
        for (dir, row, versions) in d.withdrawn {
            let data = json!({
                "noindex": true,
                "row": row_view(row, "../../"),
                "versions": versions.iter().map(|v| json!({ "version": v.version, "href": v.href, "approved": v.professional_approval.map(|p| long_date(p, Language::Da)) })).collect::<Vec<_>>(),
            });
            out.push((
                format!("{dir}/index.html"),
                self.render(
                    "withdrawn",
                    "../../",
                    &format!("{} (trukket tilbage)", row.title),
                    data,
                )?,
            ));
        }

        if let Some(a) = d.accessibility {
            self.statements(out, d, a)?;
        }
        // Served by the web server for any missing path, at any depth: links
        // start from the site's address, not from the page.
        let root = format!("{}/", d.base_url.trim_end_matches('/'));
        out.push((
            "404.html".into(),
            self.render("404", &root, "Siden findes ikke", json!({ "base": root }))?,
        ));

        out.push((
            "search/index.html".into(),
            self.render("search", "../", "Søg i retningslinjerne", json!({}))?,
        ));
        out.push(("feed.xml".into(), feed(d)));
        out.push(("sitemap.xml".into(), sitemap(d, &groups)));
        Ok(())
    }
}

impl SitePages {
    /// The accessibility statement (tilgængelighedserklæring) in Danish, and in
    /// English when the site has English pages. The date of the last
    /// assessment is the build's date.
    fn statements(
        &self,
        out: &mut Vec<(String, Vec<u8>)>,
        d: &SiteData,
        a: &Accessibility,
    ) -> Result<(), SiteError> {
        let mut pages = vec![(STATEMENT_DA, "tilgaengelighed", Language::Da, "da")];
        if d.english {
            pages.push((STATEMENT_EN, "accessibility", Language::En, "en"));
        }
        for (path, template, language, lang) in pages {
            let data = json!({
                "a": a,
                "full": a.conformance == Conformance::Full,
                "partial": a.conformance == Conformance::Partial,
                "none": a.conformance == Conformance::None,
                "self_assessed": a.assessment == Assessment::SelfAssessment,
                "third_party": a.assessment == Assessment::ThirdParty,
                "prepared": long_date(a.prepared, language),
                "reviewed": long_date(d.as_of, language),
                "other": if d.english { Some(if lang == "da" { STATEMENT_EN } else { STATEMENT_DA }) } else { None },
                "base": "../",
            });
            let title = if lang == "da" {
                "Tilgængelighedserklæring"
            } else {
                "Accessibility statement"
            };
            out.push((
                path.to_string(),
                self.render_in(template, "../", title, lang, data)?,
            ));
        }
        Ok(())
    }
}

fn group_dir(r: &Row) -> &str {
    r.url.split('/').next().unwrap_or("")
}

fn row_view<'a>(r: &'a Row, base: &str) -> RowView<'a> {
    // Readers get the one date format of every page ("3. marts 2025"); the ISO
    // date stays in `<time datetime>` and in the sort keys (`data-approved`).
    let d = |x: Option<NaiveDate>| {
        x.map(|x| long_date(x, Language::Da))
            .unwrap_or_else(|| "–".into())
    };
    RowView {
        row: r,
        // Explicit index.html, so the site also works opened from disk.
        href: format!("{base}{}index.html", r.url),
        group_href: format!("{base}{}/index.html", group_dir(r)),
        status_key: r.status.as_str(),
        professional_approval_text: d(r.professional_approval),
        planned_update_text: d(r.planned_update),
        expires_text: d(r.expires),
    }
}

/// Text or an attribute value for the feed and the sitemap: the characters
/// XML forbids replaced by the one policy ([`vejviser_model::safe::xml_text`],
/// visibly, never dropped), then the markup characters escaped (so `]]>`
/// is `]]&gt;`).
pub fn xml_escape(s: &str) -> String {
    let s = vejviser_model::safe::xml_text(s);
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

fn absolute(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// The rows the Atom feed lists: by administrative approval date, newest first, at most 100.
pub fn feed_rows(rows: &[Row]) -> Vec<&Row> {
    let mut entries: Vec<&Row> = rows
        .iter()
        .filter(|r| r.administrative_approval.is_some())
        .collect();
    entries.sort_by(|a, b| {
        b.administrative_approval
            .cmp(&a.administrative_approval)
            .then(a.url.cmp(&b.url))
    });
    entries.truncate(100);
    entries
}

/// Atom feed of published versions by administrative approval date, newest first.
fn feed(d: &SiteData) -> Vec<u8> {
    let entries = feed_rows(d.rows);
    let updated = entries
        .first()
        .and_then(|r| r.administrative_approval)
        .unwrap_or(d.as_of);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">\n");
    x.push_str("  <title>Kliniske retningslinjer – nye og opdaterede</title>\n");
    x.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&absolute(d.base_url, "feed.xml"))
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(&absolute(d.base_url, "feed.xml"))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        xml_escape(&absolute(d.base_url, ""))
    ));
    x.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n  <author><name>Kliniske retningslinjer</name></author>\n"));
    for r in entries {
        let date = r.administrative_approval.expect("filtered");
        let url = absolute(d.base_url, &r.url);
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <title>{} (version {})</title>\n",
            xml_escape(&r.title),
            xml_escape(&r.version)
        ));
        x.push_str(&format!(
            "    <id>{}#v{}</id>\n",
            xml_escape(&url),
            xml_escape(&r.version)
        ));
        x.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&url)));
        if r.changes_page {
            x.push_str(&format!(
                "    <link rel=\"related\" href=\"{}{}/\" title=\"Ændringer\"/>\n",
                xml_escape(&url),
                crate::CHANGES_DIR
            ));
        }
        x.push_str(&format!("    <updated>{date}T00:00:00Z</updated>\n"));
        x.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(&r.group)
        ));
        x.push_str(&format!(
            "    <summary>Version {} godkendt administrativt {}. {}.{}</summary>\n",
            xml_escape(&r.version),
            long_date(date, Language::Da),
            xml_escape(&r.group),
            r.changes
                .as_deref()
                .map(|c| format!(" {}", xml_escape(c)))
                .unwrap_or_default()
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

fn sitemap(d: &SiteData, groups: &BTreeMap<String, Vec<&Row>>) -> Vec<u8> {
    let mut urls: Vec<String> = vec![String::new(), "status/".into(), "search/".into()];
    urls.extend(groups.keys().map(|g| format!("{g}/")));
    if d.accessibility.is_some() {
        urls.push("tilgaengelighed/".into());
        if d.english {
            urls.push("accessibility/".into());
        }
    }
    for r in d.rows {
        urls.push(r.url.clone());
        urls.push(format!("{}full.html", r.url));
        if r.changes_page {
            urls.push(format!("{}{}/", r.url, crate::CHANGES_DIR));
        }
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        x.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&absolute(d.base_url, &u))
        ));
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

/// "1 retningslinje", "2 retningslinjer": the count and the word in the right number.
/// Titles in Danish alphabetical order: letters before case, æ, ø and å after
/// z, accented letters with their base letter; ties broken by the exact text,
/// so the order is total and the output deterministic.
pub fn title_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<u32> {
        s.chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .map(|c| match c {
                'æ' | 'ä' => 'z' as u32 + 1,
                'ø' | 'ö' => 'z' as u32 + 2,
                'å' => 'z' as u32 + 3,
                'á' | 'à' | 'â' => 'a' as u32,
                'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
                'í' | 'ì' | 'î' | 'ï' => 'i' as u32,
                'ó' | 'ò' | 'ô' => 'o' as u32,
                'ú' | 'ù' | 'û' | 'ü' => 'y' as u32,
                c if c.is_whitespace() => ' ' as u32,
                c => c as u32,
            })
            .collect()
    }
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
