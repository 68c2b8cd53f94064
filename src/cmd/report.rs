//! `vejviser report`: the revision report for the nightly job. Reads only the
//! front matter of each current guideline (no archived versions, no bodies)
//! and the group registry, then leaves the rest to `vejviser-report`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use vejviser_load::Registries;
use vejviser_report::{FailOn, Format, GuidelineFile, Options, RenderOptions};

/// The output format; `text` is also accepted as `human`, as `check --format` accepts both.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    #[value(alias = "human")]
    Text,
    Markdown,
    Json,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FailOnArg {
    Expired,
    Overdue,
    Due,
    Never,
}

/// Report which guidelines are due, overdue or past the five-year limit
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 nothing at or above --fail-on; 1 a guideline at or above --fail-on, or a file that could not be read (also with --fail-on never); 2 usage or I/O error.\n\nExamples:\n  vejviser report\n  vejviser report --format markdown --output revision.md\n  vejviser report --as-of 2027-01-01 --fail-on overdue\n  vejviser report --format csv --csv-excel --output revision.csv"
)]
pub struct Args {
    /// The guideline tree (default: guidelines/, or the guideline tree this folder is in)
    #[arg(value_name = "GUIDELINES", conflicts_with = "guidelines")]
    tree: Option<PathBuf>,
    /// The guideline tree, as a named option (dmcg.toml is looked for here and in the folders above)
    #[arg(long, value_name = "DIR")]
    guidelines: Option<PathBuf>,
    /// The date the statuses are computed for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Output format [default: text; csv --csv-excel when --output names a .csv file]
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Days before the planned update a guideline counts as due
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
    /// Exit 1 when a guideline has this status or a more urgent one
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "expired")]
    fail_on: FailOnArg,
    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// With --format csv: a byte order mark, `;` between fields and formulas shown as text, for Excel with Danish settings
    #[arg(long)]
    csv_excel: bool,
}

pub fn run(a: Args) -> u8 {
    match report(a) {
        Ok(code) => code,
        Err(message) => {
            crate::out::errln!("error: {message}");
            crate::EXIT_USAGE
        }
    }
}

fn report(a: Args) -> Result<u8, String> {
    // `--output x.csv` alone is a file for a person to open: in Danish Excel.
    let to_csv_file = a.format.is_none()
        && a.output
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
    let csv_excel = a.csv_excel || to_csv_file;
    let format = match a.format.unwrap_or(if to_csv_file {
        FormatArg::Csv
    } else {
        FormatArg::Text
    }) {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
    };
    if csv_excel && format != Format::Csv {
        return Err("--csv-excel only applies to --format csv".to_string());
    }
    let fail_on = match a.fail_on {
        FailOnArg::Expired => FailOn::Expired,
        FailOnArg::Overdue => FailOn::Overdue,
        FailOnArg::Due => FailOn::Due,
        FailOnArg::Never => FailOn::Never,
    };

    let dir = &match a.tree.or(a.guidelines) {
        Some(dir) => dir,
        None => super::default_tree()?,
    };
    let sources = vejviser_load::discover(std::slice::from_ref(dir), false)
        .map_err(|e| format!("{e} (give the guideline tree: `vejviser report DIR`)"))?;
    if sources.is_empty() {
        return Err(format!(
            "no guidelines found in {} (looked for */guideline.md)",
            dir.display()
        ));
    }
    let registry = Registries::default().for_file(dir);
    let registry = match registry.as_ref() {
        Ok(Some(r)) => r,
        Ok(None) => {
            return Err(format!(
                "no {} found in {} or any folder above it; the report needs the group registry (see docs/format.md)",
                vejviser_load::REGISTRY_FILE,
                dir.display()
            ))
        }
        Err(d) => return Err(format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message)),
    };

    let files: Vec<GuidelineFile> = vejviser_load::read_front_matters(&sources)
        .into_iter()
        .map(|f| GuidelineFile {
            slug: f.source.slug(),
            path: f.source.display,
            front: f.front,
            diagnostics: f.diagnostics,
        })
        .collect();
    let opts = Options {
        as_of: a.as_of.unwrap_or_else(super::today),
        due_within_days: a.due_within,
    };
    let report = vejviser_report::build(&files, registry, &opts);

    let color = a.output.is_none()
        && format == Format::Text
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = report.render(format, &RenderOptions { color, csv_excel });
    match &a.output {
        Some(path) => write_atomically(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => crate::out::print(&text).map_err(|e| format!("cannot write the report: {e}"))?,
    }
    Ok(if report.fails(fail_on) {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    })
}

/// Writes a temporary file beside `path` and renames it over `path`, so a
/// reader (the mail step of the nightly job) never sees half a report.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
