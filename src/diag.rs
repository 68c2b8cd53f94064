//! The one reporting layer: diagnostics to the terminal in rustc's style, or as JSON.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use vejviser_diagnostics::{Diagnostic, LineStarts, Severity};

/// Whether to colour stderr: a terminal and no `NO_COLOR`.
pub fn color_stderr() -> termcolor::ColorChoice {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    }
}

/// Prints diagnostics of one file like rustc: code, message, file:line:col, the line, a caret, help.
pub fn print_human(
    file: &str,
    text: &str,
    diags: &[Diagnostic],
    out: &mut dyn termcolor::WriteColor,
) {
    print_human_with(&LineStarts::new(file, text), diags, out)
}

/// [`print_human`] with the text's line starts already found. A finding in
/// another file (the group registry) is shown under that file's own line.
pub fn print_human_with(
    lines: &LineStarts,
    diags: &[Diagnostic],
    out: &mut dyn termcolor::WriteColor,
) {
    let others = vejviser_load::other_files(lines.file(), diags);
    let mut files = SimpleFiles::new();
    let own = files.add(lines.file(), lines.text());
    let ids: BTreeMap<&str, usize> = others
        .iter()
        .map(|(name, text)| (name.as_str(), files.add(name.as_str(), text.as_str())))
        .collect();
    let config = term::Config::default();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(sev)
            .with_code(d.code.as_str())
            .with_message(&d.message);
        let (id, text) = match ids.get(d.file.as_str()) {
            Some(&id) => (id, others[&d.file].as_str()),
            None if d.file == lines.file() => (own, lines.text()),
            // Another file that cannot be read: no line to show.
            None => (own, ""),
        };
        if !text.is_empty() && d.line > 0 {
            let range = if id == own {
                lines.byte_range(d.line, d.column, d.len)
            } else {
                LineStarts::new(&d.file, text).byte_range(d.line, d.column, d.len)
            };
            cs = cs.with_labels(vec![Label::primary(id, range)]);
        } else {
            // No text to count characters in: the file could not be read.
            cs = cs.with_notes(vec![format!("at {}:{}", d.file, d.line)]);
        }
        let mut notes = Vec::new();
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        notes.push(format!("see `vejviser explain {}`", d.code));
        cs = cs.with_notes(notes);
        if term::emit_to_write_style(out, &config, &files, &cs).is_err() {
            let _ = writeln!(out, "{}", one_line(d));
        }
    }
}

/// Findings in another file than the one checked (a broken group registry)
/// come with every guideline that uses it; this shows each once.
#[derive(Default)]
pub struct ShownElsewhere(Vec<Diagnostic>);

impl ShownElsewhere {
    /// Whether `d`, found while checking `file`, is to be shown: always when
    /// it is in `file`, the first time only when it is elsewhere.
    pub fn first_time(&mut self, file: &str, d: &Diagnostic) -> bool {
        d.file == file || self.first(d)
    }

    /// Whether `d`, a finding in another file, has not been shown before.
    pub fn first(&mut self, d: &Diagnostic) -> bool {
        if self.0.contains(d) {
            return false;
        }
        self.0.push(d.clone());
        true
    }
}

pub use vejviser_load::{in_characters, in_characters_with};

/// A diagnostic on one line: `file:line:column: severity[code]: message`.
pub fn one_line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}]: {}",
        d.file,
        d.line,
        d.column,
        d.severity.as_str(),
        d.code,
        d.message
    )
}

#[derive(Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: &'a [Diagnostic],
    summary: JsonSummary,
}

/// The `--format json` document: `{"diagnostics":[…],"summary":{"files","errors","warnings"}}`.
pub fn json(diags: &[Diagnostic], summary: JsonSummary) -> String {
    serde_json::to_string_pretty(&JsonReport {
        diagnostics: diags,
        summary,
    })
    .expect("diagnostics serialise")
}
