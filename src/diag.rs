//! The one reporting layer: diagnostics to the terminal in rustc's style, or as JSON.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use vejviser_diagnostics::{
    push_terminal_safe, terminal_safe, Code, Diagnostic, LineStarts, Severity,
};

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

/// How many findings of one code are printed per file; the rest are counted
/// in one line (`--format json` lists them all). 16,000 markers on one line
/// are 10 findings and a count, not 16,000 screens.
pub const SHOWN_PER_CODE: usize = 10;

/// [`print_human`] with the text's line starts already found. A finding in
/// another file (the group registry) is shown under that file's own line.
/// Each finding shows its line, or a window of it around the column (as
/// rustc fits a line to the terminal), so the output is bounded however long
/// the line.
pub fn print_human_with(
    lines: &LineStarts,
    diags: &[Diagnostic],
    out: &mut dyn termcolor::WriteColor,
) {
    let others = vejviser_load::other_files(lines.file(), diags);
    let other_lines: BTreeMap<&str, LineStarts> = others
        .iter()
        .map(|(name, text)| (name.as_str(), LineStarts::new(name, text)))
        .collect();
    let config = term::Config::default();
    let mut per_code: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diags {
        let seen = per_code.entry(d.code).or_default();
        *seen += 1;
        if *seen > SHOWN_PER_CODE {
            continue;
        }
        let sev = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(sev)
            .with_code(d.code.as_str())
            .with_message(terminal_safe(&d.message));
        let text_lines = match other_lines.get(d.file.as_str()) {
            Some(l) => Some(l),
            None if d.file == lines.file() => Some(lines),
            // Another file that cannot be read: no line to show.
            None => None,
        };
        let excerpt = text_lines
            .filter(|l| !l.text().is_empty() && d.line > 0)
            .map(|l| Excerpt::new(l, d));
        let mut notes = Vec::new();
        match &excerpt {
            Some(x) => cs = cs.with_labels(vec![Label::primary((), x.label.clone())]),
            // No text to count characters in: the file could not be read.
            None => notes.push(format!("at {}:{}", terminal_safe(&d.file), d.line)),
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {}", terminal_safe(h)));
        }
        notes.push(format!("see `vejviser explain {}`", d.code));
        cs = cs.with_notes(notes);
        let printed = match &excerpt {
            Some(x) => term::emit_to_write_style(out, &config, x, &cs),
            None => term::emit_to_write_style(out, &config, &Excerpt::empty(&d.file), &cs),
        };
        if printed.is_err() {
            let _ = writeln!(out, "{}", one_line(d));
        }
    }
    for (code, n) in per_code {
        if n > SHOWN_PER_CODE {
            let _ = writeln!(
                out,
                "note: … and {} more {code} in {} (not shown; `--format json` lists every finding)\n",
                thousands(n - SHOWN_PER_CODE),
                terminal_safe(lines.file())
            );
        }
    }
}

/// `15990` as `15,990`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Characters of a source line shown at most, as rustc fits a line to a
/// terminal (140 columns when it cannot ask one): a longer line is cut to a
/// window around the finding, with "…" where it is cut. A line that wraps
/// puts the caret under the wrong character, and a reference or a table row
/// is often 200–400 characters.
const LINE_CHARS: usize = 120;
/// Characters of the underlined part shown at most in a cut line.
const LABEL_CHARS: usize = 80;

/// Byte offset in `s` after `n` characters (or its end).
fn after_chars(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Byte offset in `s` before its last `n` characters (or 0).
fn before_last_chars(s: &str, n: usize) -> usize {
    if n == 0 {
        return s.len();
    }
    s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i)
}

/// A cut at `from` moved forward to the next word, if one starts in the
/// first half of `line[from..a]`: a window starts with a whole word.
fn whole_word_from(line: &str, from: usize, a: usize) -> usize {
    if from == 0 || line[..from].ends_with(char::is_whitespace) {
        return from;
    }
    match line[from..a].find(char::is_whitespace) {
        Some(i) if i <= (a - from) / 2 => from + i,
        _ => from,
    }
}

/// A cut at `to` moved back to the end of the last whole word, if that is in
/// the second half of `line[b..to]`: a window ends with a whole word.
fn whole_word_to(line: &str, b: usize, to: usize) -> usize {
    if to == line.len() || line[to..].starts_with(char::is_whitespace) {
        return to;
    }
    match line[b..to].rfind(char::is_whitespace) {
        Some(i) if i >= (to - b) / 2 => b + i,
        _ => to,
    }
}

/// The one line a finding is on, cut to a window around its column and made
/// terminal-safe: the only "file" codespan sees, so it never holds (or
/// copies) more than a few hundred bytes, whatever the source.
struct Excerpt {
    name: String,
    line: usize,
    /// The finding's column in characters of the whole line (1-based).
    column: usize,
    text: String,
    label: std::ops::Range<usize>,
}

impl Excerpt {
    fn new(lines: &LineStarts, d: &Diagnostic) -> Excerpt {
        let bounds = lines.line_bounds(d.line);
        let range = lines.byte_range(d.line, d.column, d.len);
        let line = &lines.text()[bounds.clone()];
        let (a, b) = (range.start - bounds.start, range.end - bounds.start);
        // Short lines are most lines: bytes bound characters from above.
        let (from, b, to) = if line.len() <= LINE_CHARS || line.chars().count() <= LINE_CHARS {
            (0, b, line.len())
        } else {
            let b = a + after_chars(&line[a..b], LABEL_CHARS);
            let label = line[a..b].chars().count();
            let room = LINE_CHARS - label;
            // Counted only as far as the room: a line may be megabytes long.
            let before_has = line[..a].chars().rev().take(room).count();
            let after_has = line[b..].chars().take(room).count();
            // Half the room on each side; a side with less to show gives the rest to the other.
            let before = before_has.min((room / 2).max(room.saturating_sub(after_has)));
            let after = after_has.min(room - before);
            let from = before_last_chars(&line[..a], before);
            let to = b + after_chars(&line[b..], after);
            (
                whole_word_from(line, from, a),
                b,
                whole_word_to(line, b, to),
            )
        };
        let (mut before, mut after) = (&line[from..a], &line[b..to]);
        let mut text = String::new();
        if from > 0 {
            text.push_str("… ");
            before = before.trim_start();
        }
        if to < line.len() {
            after = after.trim_end();
        }
        push_terminal_safe(&mut text, before);
        let label_start = text.len();
        push_terminal_safe(&mut text, &line[a..b]);
        let label = label_start..text.len();
        push_terminal_safe(&mut text, after);
        if to < line.len() {
            text.push_str(" …");
        }
        let line_number = d.line.clamp(1, lines.line_count());
        Excerpt {
            name: terminal_safe(&d.file).into_owned(),
            line: line_number as usize,
            column: lines.char_column(line_number, a as u32 + 1).unwrap_or(1) as usize,
            text,
            label,
        }
    }

    /// For a finding in a file that could not be read.
    fn empty(file: &str) -> Excerpt {
        Excerpt {
            name: terminal_safe(file).into_owned(),
            line: 1,
            column: 1,
            text: String::new(),
            label: 0..0,
        }
    }
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, files::Error> {
        Ok(self.line + line_index)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let at = byte_index.min(self.text.len());
        let start = self.label.start;
        Ok(if at >= start {
            self.column + self.text[start..at].chars().count()
        } else {
            self.column
                .saturating_sub(self.text[at..start].chars().count())
        })
    }

    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, files::Error> {
        if line_index == 0 {
            Ok(0..self.text.len())
        } else {
            Err(files::Error::LineTooLarge {
                given: line_index,
                max: 0,
            })
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
    let line = format!(
        "{}:{}:{}: {}[{}]: {}",
        d.file,
        d.line,
        d.column,
        d.severity.as_str(),
        d.code,
        d.message
    );
    terminal_safe(&line).into_owned()
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

#[derive(Serialize)]
struct JsonFailure<'a> {
    diagnostics: [Diagnostic; 0],
    summary: JsonSummary,
    error: JsonError<'a>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
}

/// The `--format json` document when nothing could be checked (a missing
/// path, no guidelines): the usual shape, empty, and `"error": {"message"}`.
pub fn json_error(message: &str) -> String {
    serde_json::to_string_pretty(&JsonFailure {
        diagnostics: [],
        summary: JsonSummary {
            files: 0,
            errors: 0,
            warnings: 0,
        },
        error: JsonError { message },
    })
    .expect("an error serialises")
}
