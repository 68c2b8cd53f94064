//! One module per subcommand.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod new;
pub mod release;
pub mod report;
pub mod serve;
pub mod site;

use chrono::NaiveDate;
use std::path::PathBuf;

/// Today, from the clock. Only the binary reads the clock; libraries take dates.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A guideline's PDFs (full guideline, and the quick guide's when `quick`),
/// created on `SOURCE_DATE_EPOCH` (the variable's value, if set) or its approval date.
pub fn guideline_pdfs(
    source_date_epoch: Option<&str>,
    view: &vejviser_view::GuidelineView,
    g: &vejviser_model::Guideline,
    quick: bool,
) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let date = vejviser_render_pdf::creation_date(source_date_epoch, &g.front)
        .map_err(|e| e.to_string())?;
    if quick {
        let (f, q) =
            vejviser_render_pdf::render_guideline_pdfs(view, date).map_err(|e| e.to_string())?;
        Ok((f, Some(q)))
    } else {
        let full = vejviser_render_pdf::render(&vejviser_render_pdf::full_document(view, date))
            .map_err(|e| e.to_string())?;
        Ok((full, None))
    }
}

/// Parses `--as-of`: strictly `YYYY-MM-DD` with a four-digit year.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let ok_shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if ok_shape => Ok(d),
        _ => Err(format!(
            "`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"
        )),
    }
}

/// The guideline files named on the command line (default: the nearest
/// guideline tree, see [`default_tree`]) and the templates near them; `Err`
/// says why there are none, for the caller to print in its own format.
pub fn sources_and_templates(
    paths: &[std::path::PathBuf],
    include_archive: bool,
) -> Result<(Vec<vejviser_load::Source>, vejviser_template::TemplateSet), String> {
    let default;
    let paths = if paths.is_empty() {
        default = [default_tree()?];
        &default[..]
    } else {
        paths
    };
    let sources = vejviser_load::discover(paths, include_archive).map_err(|e| e.to_string())?;
    if sources.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "no guidelines found in {} (looked for guideline.md and archive/*.md)",
            shown.join(", ")
        ));
    }
    let templates = vejviser_load::load_templates(&paths[0]).map_err(|e| e.to_string())?;
    Ok((sources, templates))
}

/// The guidelines to use when none are named: `guidelines/` in the current
/// folder; inside a guideline tree (a folder above holds `dmcg.toml`), the
/// current folder; else the nearest `guidelines/` in a folder above.
pub fn default_tree() -> Result<PathBuf, String> {
    let here = PathBuf::from("guidelines");
    if here.exists() {
        return Ok(here);
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    for (up, dir) in cwd.ancestors().enumerate() {
        if dir.join(vejviser_load::REGISTRY_FILE).is_file() {
            return Ok(PathBuf::from("."));
        }
        if up > 0 && dir.join("guidelines").is_dir() {
            let mut p: PathBuf = std::iter::repeat_n("..", up).collect();
            p.push("guidelines");
            crate::out::errln!(
                "note: using {} (the nearest guidelines/ above this folder)",
                p.display()
            );
            return Ok(p);
        }
    }
    Err(format!(
        "no guidelines/ folder here or in a folder above, and {} is not inside a guideline tree (no {} above it); name the guidelines, e.g. `vejviser check path/to/guidelines`",
        cwd.display(),
        vejviser_load::REGISTRY_FILE
    ))
}

/// Positional paths and `--guidelines DIR`, the two ways every command takes
/// its guidelines, as one list.
pub fn paths_and_tree(paths: &[PathBuf], guidelines: &Option<PathBuf>) -> Vec<PathBuf> {
    paths.iter().chain(guidelines).cloned().collect()
}

/// Identifies this build of vejviser for the site's cache: the version, and the
/// executable's size and modification time, so a rebuilt binary never reuses
/// pages or check outcomes an older one made.
pub fn build_id() -> String {
    let exe = std::env::current_exe().and_then(|p| p.metadata());
    match exe {
        Ok(m) => format!(
            "{} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            m.len(),
            m.modified().ok()
        ),
        Err(_) => env!("CARGO_PKG_VERSION").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_parsed_strictly() {
        assert!(super::parse_date("2026-11-23").is_ok());
        for bad in [
            "2026-13-40",
            "07.04.26",
            "26-04-07",
            "2026-4-7",
            "",
            "2026-02-30",
        ] {
            assert!(super::parse_date(bad).is_err(), "{bad}");
        }
    }
}
