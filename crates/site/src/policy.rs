//! The publishing policy's pieces that are not the build itself: what a guideline
//! whose new current version fails keeps from the live site (`--keep-going`), and the
//! secretariat-only problems report (`vejviser site --problems FILE`). The public site
//! never shows build problems: its status page has titles, versions and dates only.

use crate::{Kept, LeftOut, Row, Summary};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;
use vejviser_model::Registry;
use vejviser_revision::revision;

impl Summary {
    /// Whether the secretariat has anything to look at: files left out, guidelines
    /// kept at their last published version, findings in archived versions.
    pub fn has_problems(&self) -> bool {
        !(self.left_out.is_empty() && self.kept.is_empty() && self.archived_findings.is_empty())
    }

    /// The build's problems for the secretariat (`vejviser site --problems FILE`),
    /// as Markdown. Never published: the public site shows titles, versions and dates.
    pub fn problems_markdown(&self) -> String {
        let mut md = String::from("# Problemer ved opbygning af hjemmesiden\n\n");
        if !self.has_problems() {
            md.push_str("Ingen problemer: alt er offentliggjort.\n");
            return md;
        }
        let code = |s: &str| format!("`{}`", s.replace('`', "'"));
        if !self.kept.is_empty() {
            md.push_str("## Ny version har fejl; den sidst offentliggjorte vises fortsat\n\n");
            for k in &self.kept {
                md.push_str(&format!(
                    "- {} (offentliggjort version: {}): {}\n",
                    code(&k.dir),
                    k.version.as_deref().unwrap_or("ukendt"),
                    code(&k.reason)
                ));
            }
            md.push('\n');
        }
        if !self.left_out.is_empty() {
            md.push_str("## Ikke offentliggjort\n\n");
            for l in &self.left_out {
                md.push_str(&format!("- {}: {}\n", code(&l.path), code(&l.reason)));
            }
            md.push('\n');
        }
        if !self.archived_findings.is_empty() {
            md.push_str(
                "## Arkiverede versioner offentliggjort uændret trods fund efter dagens regler\n\n",
            );
            for l in &self.archived_findings {
                md.push_str(&format!("- {}: {}\n", code(&l.path), code(&l.reason)));
            }
            md.push('\n');
        }
        md
    }

    /// The same problems as JSON.
    pub fn problems_json(&self) -> String {
        #[derive(Serialize)]
        struct Problems<'a> {
            left_out: &'a [LeftOut],
            kept: &'a [Kept],
            archived_findings: &'a [LeftOut],
        }
        let mut s = serde_json::to_string_pretty(&Problems {
            left_out: &self.left_out,
            kept: &self.kept,
            archived_findings: &self.archived_findings,
        })
        .expect("problems serialise");
        s.push('\n');
        s
    }
}

/// Every file of a guideline's folder in the live site (paths relative to it, its
/// archived versions' folders included), when it was published there.
pub(crate) fn published_folder(out: &Path, dir: &str) -> Option<Vec<String>> {
    let root = out.join(dir);
    if !root.join("index.html").is_file() {
        return None;
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.ok()?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&root).ok()?;
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Some(files)
}

/// Hard-links (or copies) a guideline's folder from the live site into the new one,
/// folder by folder (its archived versions' folders included).
pub(crate) fn link_published(
    out: &Path,
    staging: &Path,
    dir: &str,
    files: &[String],
) -> Result<(), crate::SiteError> {
    let mut by_folder: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for f in files {
        let (folder, name) = f.rsplit_once('/').unwrap_or(("", f));
        by_folder.entry(folder).or_default().push(name.to_string());
    }
    for (folder, names) in &by_folder {
        let (from, to) = (out.join(dir).join(folder), staging.join(dir).join(folder));
        crate::swap::link_files(&from, &to, names)?;
    }
    Ok(())
}

/// The overview row of a guideline's last published version, from the
/// `guideline.json` the live site has for it; its status as of today.
pub(crate) fn published_row(
    out: &Path,
    dir: &str,
    registry: &Registry,
    as_of: NaiveDate,
    due_within_days: u32,
) -> Option<Row> {
    let bytes = std::fs::read(out.join(dir).join("guideline.json")).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let front = &json["front"];
    let date = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let professional_approval = date(&front["professional_approval"]["date"]);
    let planned_update = date(&front["planned_update"]);
    let rev = revision(
        professional_approval,
        planned_update,
        as_of,
        due_within_days,
    );
    let dmcg = text(&front["dmcg"])?;
    Some(Row {
        title: text(&front["title"])?,
        url: format!("{dir}/"),
        group: registry
            .get(&dmcg)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| dmcg.clone()),
        dmcg,
        version: text(&front["version"])?,
        language: if front["language"].as_str() == Some("en") {
            "en"
        } else {
            "da"
        },
        professional_approval,
        administrative_approval: date(&front["administrative_approval"]["date"]),
        planned_update,
        expires: rev.expires,
        status: rev.status,
        status_label: rev.status.label(vejviser_revision::Lang::Da),
        days_overdue: rev.days_overdue,
        keywords: front["keywords"]
            .as_array()
            .map(|k| k.iter().filter_map(text).collect())
            .unwrap_or_default(),
        recommendations: json["recommendations"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        r["statements"]
                            .as_array()
                            .map(|ss| {
                                ss.iter()
                                    .filter_map(|s| s["text"].as_str())
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        // A kept version's feed entry names no changes (its history is not read again).
        changes: None,
        changes_page: out
            .join(dir)
            .join(crate::CHANGES_DIR)
            .join("index.html")
            .is_file(),
    })
}
