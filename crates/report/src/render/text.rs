//! The report for a terminal: aligned columns, the title last because it is
//! the longest, and the status coloured when the caller says the output is a
//! terminal that wants colour.

use super::{contact, counts_sentence, date, days_label, errors_sentence, one_line};
use crate::Report;
use vejviser_revision::RevisionStatus;

pub(super) fn render(report: &Report, color: bool) -> String {
    let mut out = format!(
        "Revision report as of {} (due within {} days of the planned update)\n\n",
        report.as_of, report.due_within_days
    );
    if report.guidelines.is_empty() {
        out.push_str("No guidelines.\n");
    } else {
        let header = [
            "STATUS",
            "DEADLINE",
            "GROUP",
            "GUIDELINE",
            "VERSION",
            "APPROVED",
            "PLANNED UPDATE",
            "EXPIRES",
            "TITLE",
        ];
        let rows: Vec<Vec<String>> = report
            .guidelines
            .iter()
            .map(|r| {
                vec![
                    r.status.to_string(),
                    days_label(r.days_overdue),
                    one_line(&r.dmcg),
                    one_line(&r.slug),
                    r.version.to_string(),
                    date(r.professional_approval),
                    date(r.planned_update),
                    date(r.expires),
                    one_line(&r.title),
                ]
            })
            .collect();
        let styles: Vec<Option<&str>> = report
            .guidelines
            .iter()
            .map(|r| color.then(|| ansi(r.status)))
            .collect();
        table(&mut out, &header, &rows, &styles, &[]);
    }

    out.push('\n');
    out.push_str(&counts_sentence(report));
    out.push(' ');
    out.push_str(&errors_sentence(report));
    out.push('\n');

    if !report.summary.groups.is_empty() {
        out.push('\n');
        let header = [
            "GROUP", "EXPIRED", "OVERDUE", "DUE", "CURRENT", "DRAFT", "ERRORS", "CONTACT",
        ];
        let rows: Vec<Vec<String>> = report
            .summary
            .groups
            .iter()
            .map(|g| {
                let c = &g.counts;
                vec![
                    one_line(&g.dmcg),
                    c.expired.to_string(),
                    c.overdue.to_string(),
                    c.due.to_string(),
                    c.current.to_string(),
                    c.draft.to_string(),
                    g.files_with_errors.to_string(),
                    one_line(&contact(g.name.is_some(), g.contact.as_ref())),
                ]
            })
            .collect();
        table(
            &mut out,
            &header,
            &rows,
            &vec![None; rows.len()],
            &[1, 2, 3, 4, 5, 6],
        );
    }

    if !report.errors.is_empty() {
        out.push_str("\nFront matter errors (run `vejviser check FILE` for details):\n");
        for e in &report.errors {
            out.push_str(&format!(
                "  {}: {}\n",
                one_line(&e.path),
                one_line(&e.message)
            ));
        }
    }
    out
}

/// Writes an aligned table; `styles` colours a row's first cell; columns in
/// `right` are right-aligned (numbers). No trailing spaces.
fn table(
    out: &mut String,
    header: &[&str],
    rows: &[Vec<String>],
    styles: &[Option<&str>],
    right: &[usize],
) {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(cell));
        }
    }
    let mut line = |cells: &[&str], style: Option<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - width(cell));
            let last = i + 1 == cells.len();
            let padded = if right.contains(&i) {
                format!("{pad}{cell}")
            } else if last {
                cell.to_string()
            } else {
                format!("{cell}{pad}")
            };
            match style {
                Some(code) if i == 0 => s.push_str(&format!("\x1b[{code}m{padded}\x1b[0m")),
                _ => s.push_str(&padded),
            }
            if !last {
                s.push_str("  ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header, None);
    for (r, style) in rows.iter().zip(styles) {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(&cells, *style);
    }
}

/// The SGR code for a status: red for expired and overdue, yellow for due.
fn ansi(status: RevisionStatus) -> &'static str {
    match status {
        RevisionStatus::Expired => "1;31",
        RevisionStatus::Overdue => "31",
        RevisionStatus::Due => "33",
        RevisionStatus::Current => "32",
        RevisionStatus::Draft => "2",
    }
}
