//! The report as CSV for a spreadsheet: RFC 4180 (CRLF line ends, quotes only
//! where needed), UTF-8, a header row, the JSON row fields as columns plus
//! `message`. Files with front matter errors come first, as rows with status
//! `error` and the problem in `message`. The Excel variant adds a byte order
//! mark and uses `;`, as Excel with Danish settings expects, and neutralises
//! author text that Excel would run as a formula (see [`excel_text`]).

use super::date;
use crate::Report;

const HEADER: [&str; 11] = [
    "path",
    "dmcg",
    "slug",
    "title",
    "version",
    "status",
    "professional_approval",
    "planned_update",
    "expires",
    "days_overdue",
    "message",
];

pub(super) fn render(report: &Report, excel: bool) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; the only errors are I/O errors.
    let mut record = |fields: &[&str]| w.write_record(fields).expect("writing to memory");
    // Text from the guidelines' files and folders; numbers and dates are ours.
    let text = |s: &str| if excel { excel_text(s) } else { s.to_string() };
    record(&HEADER);
    for e in &report.errors {
        let dmcg = e.dmcg.as_deref().unwrap_or("");
        record(&[
            &text(&e.path),
            &text(dmcg),
            &text(&e.slug),
            "",
            "",
            "error",
            "",
            "",
            "",
            "",
            &text(&e.message),
        ]);
    }
    for r in &report.guidelines {
        record(&[
            &text(&r.path),
            &text(&r.dmcg),
            &text(&r.slug),
            &text(&r.title),
            &r.version.to_string(),
            r.status.as_str(),
            &date(r.professional_approval),
            &date(r.planned_update),
            &date(r.expires),
            &r.days_overdue.map(|d| d.to_string()).unwrap_or_default(),
            "",
        ]);
    }
    let bytes = w.into_inner().expect("writing to memory");
    let text = String::from_utf8(bytes).expect("every field is a Rust string");
    if excel {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

/// A cell Excel would read as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return: `=HYPERLINK(…)` in a title is a live link) gets a
/// leading `'`, which Excel shows as text and does not display.
fn excel_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_text_in_excel() {
        for f in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(super::excel_text(f), format!("'{f}"));
        }
        assert_eq!(super::excel_text("Myelomatose"), "Myelomatose");
        assert_eq!(super::excel_text("a=b"), "a=b");
    }
}
