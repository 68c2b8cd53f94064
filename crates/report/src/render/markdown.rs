//! The report as Markdown, ready to paste into an e-mail or an issue: a
//! heading, the counts in one sentence, the guidelines most urgent first, the
//! files left out for front matter errors, and each group's contact.

use super::{counts_sentence, date, days_label, errors_sentence, URGENT_FIRST};
use crate::Report;
use vejviser_revision::RevisionStatus;

pub(super) fn render(report: &Report) -> String {
    let mut out = format!("# Revision report {}\n\n", report.as_of);
    out.push_str(&format!(
        "{} {}\n\n",
        counts_sentence(report),
        errors_sentence(report)
    ));
    out.push_str(&format!(
        "*Due*: within {} days of the planned update. *Overdue*: the planned update has passed. \
         *Expired*: five years since the professional approval have run out; the guideline must \
         come off the website.\n",
        report.due_within_days
    ));

    out.push_str("\n## Guidelines\n\n");
    if report.guidelines.is_empty() {
        out.push_str("No guidelines.\n");
    } else {
        out.push_str(
            "| Status | Deadline | Group | Guideline | Version | Approved | Planned update | Expires | Title |\n\
             |---|---|---|---|---|---|---|---|---|\n",
        );
        for r in &report.guidelines {
            let status = match r.status {
                RevisionStatus::Expired | RevisionStatus::Overdue | RevisionStatus::Due => {
                    format!("**{}**", r.status)
                }
                _ => r.status.to_string(),
            };
            row(
                &mut out,
                &[
                    &status,
                    &escape(&days_label(r.days_overdue)),
                    &escape(&r.dmcg),
                    &escape(&r.slug),
                    &r.version.to_string(),
                    &date(r.professional_approval),
                    &date(r.planned_update),
                    &date(r.expires),
                    &escape(&r.title),
                ],
            );
        }
    }

    if !report.errors.is_empty() {
        out.push_str(
            "\n## Front matter errors\n\nThese files are left out of the list above. Run `vejviser check FILE` for details.\n\n\
             | File | Problem |\n|---|---|\n",
        );
        for e in &report.errors {
            row(&mut out, &[&escape(&e.path), &escape(&e.message)]);
        }
    }

    if !report.summary.groups.is_empty() {
        out.push_str("\n## Groups\n\n| Group | Contact |");
        for st in URGENT_FIRST {
            out.push_str(&format!(" {} |", capitalised(st.as_str())));
        }
        out.push_str(" Errors |\n|---|---|");
        out.push_str(&"---:|".repeat(URGENT_FIRST.len() + 1));
        out.push('\n');
        for g in &report.summary.groups {
            let group = match &g.name {
                Some(name) => format!("{} ({})", escape(&g.dmcg), escape(name)),
                None => format!("{} (not in dmcg.toml)", escape(&g.dmcg)),
            };
            let contact = match (&g.contact, &g.name) {
                (Some(c), _) => format!("{}, {}", escape(&c.name), escape(&c.email)),
                (None, Some(_)) => "no contact in dmcg.toml".to_string(),
                (None, None) => String::new(),
            };
            let mut cells = vec![group, contact];
            cells.extend(URGENT_FIRST.iter().map(|&st| g.counts.get(st).to_string()));
            cells.push(g.files_with_errors.to_string());
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            row(&mut out, &cells);
        }
    }
    out
}

fn row(out: &mut String, cells: &[&str]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Makes text literal in a table cell: Markdown punctuation is backslash-escaped
/// (a `|` would end the cell, `*` or `_` would start emphasis) and line breaks
/// become spaces.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_escaped() {
        assert_eq!(super::escape("a|b*c_d\ne"), "a\\|b\\*c\\_d e");
        assert_eq!(super::escape("Ærø <x@y>"), "Ærø \\<x@y\\>");
    }
}
