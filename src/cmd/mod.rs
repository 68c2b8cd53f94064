//! One module per subcommand.

pub mod build;
pub mod check;
pub mod completions;
pub mod explain;
pub mod fmt;
pub mod new;
pub mod release;
pub mod report;
pub mod serve;
pub mod site;

use chrono::NaiveDate;

/// Today, from the clock. Only the binary reads the clock; libraries take dates.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A guideline's two PDFs (full guideline, quick guide), created on
/// `SOURCE_DATE_EPOCH` (the variable's value, if set) or its approval date.
pub fn guideline_pdfs(
    source_date_epoch: Option<&str>,
    view: &vejviser_view::GuidelineView,
    g: &vejviser_model::Guideline,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    let date = vejviser_render_pdf::creation_date(source_date_epoch, &g.front)
        .map_err(|e| e.to_string())?;
    vejviser_render_pdf::render_guideline_pdfs(view, date).map_err(|e| e.to_string())
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

/// The guideline files named on the command line (default `guidelines/`) and
/// the templates near them; `Err` is the exit status after printing why.
pub fn sources_and_templates(
    paths: &[std::path::PathBuf],
    include_archive: bool,
) -> Result<(Vec<vejviser_load::Source>, vejviser_template::TemplateSet), u8> {
    let default = [std::path::PathBuf::from("guidelines")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let sources = vejviser_load::discover(paths, include_archive).map_err(|e| {
        eprintln!("error: {e}");
        crate::EXIT_USAGE
    })?;
    if sources.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "error: no guidelines found in {} (looked for guideline.md and archive/*.md)",
            shown.join(", ")
        );
        return Err(crate::EXIT_USAGE);
    }
    let templates = vejviser_load::load_templates(&paths[0]).map_err(|e| {
        eprintln!("error: {e}");
        crate::EXIT_USAGE
    })?;
    Ok((sources, templates))
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
