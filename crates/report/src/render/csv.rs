//! The report as CSV for a spreadsheet: RFC 4180 (CRLF line ends, quotes only
//! where needed), UTF-8, a header row, the JSON row fields as columns plus
//! `message`. Files with front matter errors come first, as rows with status
//! `error` and the problem in `message`. The Excel variant adds a byte order
//! mark and uses `;`, as Excel with Danish settings expects.

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
    record(&HEADER);
    for e in &report.errors {
        let dmcg = e.dmcg.as_deref().unwrap_or("");
        record(&[
            &e.path, dmcg, &e.slug, "", "", "error", "", "", "", "", &e.message,
        ]);
    }
    for r in &report.guidelines {
        record(&[
            &r.path,
            &r.dmcg,
            &r.slug,
            &r.title,
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
