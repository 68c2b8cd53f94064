//! The report's four forms: text for a terminal, Markdown for an e-mail or
//! issue, CSV for a spreadsheet and JSON for other programs. Each is a pure
//! function of the report, so the same report always gives the same bytes.

mod csv;
mod markdown;
mod text;

use crate::Report;
use vejviser_model::Contact;
use vejviser_revision::RevisionStatus;

/// The output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Csv,
}

/// How to render, beyond the format. The caller decides about the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Text only: colour the status column with ANSI escapes.
    pub color: bool,
    /// CSV only: a UTF-8 byte order mark and `;` between fields, which Excel
    /// with Danish settings needs to open the file correctly.
    pub csv_excel: bool,
}

pub(crate) fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, opts.color),
        Format::Markdown => markdown::render(report),
        Format::Json => json(report),
        Format::Csv => csv::render(report, opts.csv_excel),
    }
}

fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("the report is plain data");
    s.push('\n');
    s
}

/// Statuses from most to least urgent, the order every format lists them in.
const URGENT_FIRST: [RevisionStatus; 5] = [
    RevisionStatus::Expired,
    RevisionStatus::Overdue,
    RevisionStatus::Due,
    RevisionStatus::Current,
    RevisionStatus::Draft,
];

/// `days_overdue` for people: "12 days overdue", "deadline today", "30 days left".
fn days_label(days_overdue: Option<i64>) -> String {
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    match days_overdue {
        None => String::new(),
        Some(0) => "deadline today".to_string(),
        Some(d) if d > 0 => format!("{d} {} overdue", plural(d)),
        Some(d) => format!("{} {} left", -d, plural(-d)),
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// "Name <email>", or why there is no contact.
fn contact(known_group: bool, contact: Option<&Contact>) -> String {
    match (known_group, contact) {
        (_, Some(c)) => format!("{} <{}>", c.name, c.email),
        (true, None) => "no contact in dmcg.toml".to_string(),
        (false, None) => "group not in dmcg.toml".to_string(),
    }
}

/// The summary sentence: "5 guidelines: 1 expired, …, 1 draft."
fn counts_sentence(report: &Report) -> String {
    let s = &report.summary;
    let noun = if s.guidelines == 1 {
        "guideline"
    } else {
        "guidelines"
    };
    let parts: Vec<String> = URGENT_FIRST
        .iter()
        .map(|&st| format!("{} {}", s.counts.get(st), st))
        .collect();
    format!("{} {noun}: {}.", s.guidelines, parts.join(", "))
}

/// "No front matter errors." or "2 files have front matter errors and are left out."
fn errors_sentence(report: &Report) -> String {
    match report.summary.files_with_errors {
        0 => "No front matter errors.".to_string(),
        1 => "1 file has front matter errors and is left out.".to_string(),
        n => format!("{n} files have front matter errors and are left out."),
    }
}

/// Line breaks and tabs (a title may hold `\n` from a TOML escape) would
/// break a line-based layout: they become spaces. Other control characters
/// are escaped by the one terminal policy, [`vejviser_diagnostics::terminal_safe`].
fn one_line(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| {
            if c.is_whitespace() && c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    vejviser_diagnostics::terminal_safe(&spaced).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_labelled_for_people() {
        assert_eq!(days_label(None), "");
        assert_eq!(days_label(Some(0)), "deadline today");
        assert_eq!(days_label(Some(1)), "1 day overdue");
        assert_eq!(days_label(Some(400)), "400 days overdue");
        assert_eq!(days_label(Some(-1)), "1 day left");
        assert_eq!(days_label(Some(-30)), "30 days left");
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(one_line("a\nb\tc"), "a b c");
        assert_eq!(one_line("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
    }
}
