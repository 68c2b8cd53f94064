//! The one reporting layer: diagnostics to the terminal in rustc's style, or as JSON.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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
    let others = other_files(lines.file(), diags);
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

/// The texts of the other files that `diags` point into, read now (a group
/// registry's error is reported with each guideline that uses it, and only
/// the terminal and JSON need its text). Unreadable ones are left out.
fn other_files(file: &str, diags: &[Diagnostic]) -> BTreeMap<String, String> {
    diags
        .iter()
        .filter(|d| d.file != file)
        .map(|d| d.file.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|f| Some((f.to_string(), std::fs::read_to_string(f).ok()?)))
        .collect()
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

/// Columns in characters ([`vejviser_diagnostics::in_characters`]); a
/// finding in another file is counted in that file's text.
pub fn in_characters(file: &str, text: &str, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    in_characters_with(&LineStarts::new(file, text), diags)
}

/// [`in_characters`] with the text's line starts already found.
pub fn in_characters_with(lines: &LineStarts, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let others = other_files(lines.file(), &diags);
    let mut diags = vejviser_diagnostics::in_characters_with(lines, diags);
    for d in diags.iter_mut().filter(|d| d.file != lines.file()) {
        if let Some(text) = others.get(d.file.as_str()) {
            let other = LineStarts::new(&d.file, text);
            if let Some(c) = other.char_column(d.line, d.column) {
                d.column = c;
            }
        }
    }
    diags
}

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
