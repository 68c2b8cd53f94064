//! Diagnostics: the one list of check codes (the registry behind
//! `vejviser explain CODE` and `docs/checks.md`) and the [`Diagnostic`] value
//! that the parser and checker produce. Nothing here prints; the binary reports.

use serde::Serialize;
use std::borrow::Cow;
pub use vejviser_model::Span;

mod codes;
pub mod versions;

pub use codes::Code;

/// How bad a finding is. Errors fail `vejviser check`; warnings do not unless
/// `--deny-warnings` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// How many bytes of the source line to underline (at least 1).
    #[serde(skip)]
    pub len: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.to_string(),
            line: span.line,
            column: span.column,
            len: 1,
            message: message.into(),
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn len(mut self, len: usize) -> Self {
        self.len = len.clamp(1, 400) as u32;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    pub fn span(&self) -> Span {
        Span::new(self.line, self.column)
    }
}

/// Where each line of a text starts, found once: a file can have hundreds of
/// findings, and finding a line by scanning from the top for each is quadratic.
pub struct LineStarts<'t> {
    file: &'t str,
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineStarts<'t> {
    /// The lines of `text`, the contents of `file` (as diagnostics name it).
    pub fn new(file: &'t str, text: &'t str) -> LineStarts<'t> {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineStarts { file, text, starts }
    }

    pub fn file(&self) -> &'t str {
        self.file
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Line `line` (1-based) as a byte range without its newline; `None` past the end.
    fn line(&self, line: u32) -> Option<(usize, usize)> {
        let start = *(line as usize)
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))?;
        let end = self
            .starts
            .get(line as usize)
            .map_or(self.text.len(), |next| next - 1);
        Some((start, end))
    }

    /// How many lines the text has (a text without a newline has one).
    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// Byte range of line `line` without its newline, clamped as
    /// [`LineStarts::byte_range`] clamps (a line past the end means the last).
    pub fn line_bounds(&self, line: u32) -> std::ops::Range<usize> {
        let last = self.starts.len() as u32;
        let (start, end) = self.line(line.clamp(1, last)).unwrap_or((0, 0));
        start..end
    }

    /// Byte range of a line/column (clamped to the line; a line past the end
    /// means the last). `column` counts bytes.
    pub fn byte_range(&self, line: u32, column: u32, len: u32) -> std::ops::Range<usize> {
        let text = self.text;
        let last = self.starts.len() as u32;
        let (start, line_end) = self.line(line.clamp(1, last)).unwrap_or((0, 0));
        let mut a = (start + column.saturating_sub(1) as usize).min(line_end);
        while a > start && !text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (a + len.max(1) as usize).min(line_end);
        while b < line_end && !text.is_char_boundary(b) {
            b += 1;
        }
        a..b.max(a)
    }

    /// A byte column of `line` as a character column (both 1-based).
    pub fn char_column(&self, line: u32, column: u32) -> Option<u32> {
        let (start, end) = self.line(line)?;
        if column == 0 {
            return None;
        }
        let mut at = (start + column as usize - 1).min(end);
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        Some(self.text[start..at].chars().count() as u32 + 1)
    }
}

/// Diagnostics with their columns counted as people and editors count them: in
/// characters (as rustc's JSON does), not bytes. The parser counts bytes, and the
/// terminal output needs bytes to underline; everything else a user or a
/// program reads (JSON, one-line output, the preview banner) goes through this.
/// Only findings in `file` itself are converted: one in another file (the
/// group registry) is counted in that file's text, which the caller must use.
pub fn in_characters(file: &str, text: &str, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if text.is_empty() || diags.is_empty() {
        return diags;
    }
    in_characters_with(&LineStarts::new(file, text), diags)
}

/// [`in_characters`] with the text's line starts already found. Findings
/// are converted in source order, each counting on from the one before on
/// its line, so 16,000 findings on one long line cost one pass over it.
pub fn in_characters_with(lines: &LineStarts, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if lines.text.is_empty() {
        return diags;
    }
    let mut order: Vec<usize> = (0..diags.len())
        .filter(|&i| diags[i].file == lines.file && diags[i].column > 0)
        .collect();
    order.sort_by_key(|&i| (diags[i].line, diags[i].column));
    // (line, byte offset in the text, character column there)
    let mut at: Option<(u32, usize, u32)> = None;
    for i in order {
        let d = &mut diags[i];
        let Some((start, end)) = lines.line(d.line) else {
            continue;
        };
        let mut target = (start + d.column as usize - 1).min(end);
        while !lines.text.is_char_boundary(target) {
            target -= 1;
        }
        let (from, col) = match at {
            Some((line, byte, col)) if line == d.line && byte <= target => (byte, col),
            _ => (start, 1),
        };
        let col = col + lines.text[from..target].chars().count() as u32;
        at = Some((d.line, target, col));
        d.column = col;
    }
    diags
}

/// Text from a guideline made safe to print on a terminal: control
/// characters (an ESC sequence can recolour, move the cursor or retitle the
/// window) and the bidirectional overrides that reorder what is shown are
/// written as escapes such as `\u{1b}`; a tab stays a tab. Every terminal
/// printer of the binary and the text report use this one function.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_on_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_terminal_safe(&mut out, s);
    Cow::Owned(out)
}

/// Appends `s` to `out` as [`terminal_safe`] shows it.
pub fn push_terminal_safe(out: &mut String, s: &str) {
    // Runs of safe text are copied whole (nearly all text is one run).
    let mut from = 0;
    for (i, c) in s.char_indices() {
        if unsafe_on_terminal(c) {
            out.push_str(&s[from..i]);
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
            from = i + c.len_utf8();
        }
    }
    out.push_str(&s[from..]);
}

fn unsafe_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Sorts diagnostics by file, position and code so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
}

#[cfg(test)]
mod column_tests {
    use super::*;

    #[test]
    fn byte_ranges_stay_on_their_line_and_on_char_boundaries() {
        let text = "abc\nÆ ø å (9)\nlast";
        let lines = LineStarts::new("f", text);
        // `ø` starts at byte 4 of line 2; a range from inside `Æ` widens to it.
        assert_eq!(&text[lines.byte_range(2, 4, 2)], "ø");
        assert_eq!(&text[lines.byte_range(2, 2, 1)], "Æ");
        // Past the line's end clamps to it; past the last line means the last.
        assert_eq!(lines.byte_range(1, 9, 5), 3..3);
        assert_eq!(&text[lines.byte_range(7, 1, 4)], "last");
    }

    #[test]
    fn columns_in_characters() {
        let text = "abc\nÆ ø å (9)\nlast";
        let at = |line, column| Diagnostic::new(Code::NotUtf8, "f", Span::new(line, column), "m");
        // `(` is byte 10 of line 2 and character 7; past the end clamps to the line.
        let out = in_characters(
            "f",
            text,
            vec![at(2, 10), at(1, 2), at(3, 99), at(9, 3), at(2, 3)],
        );
        let cols: Vec<u32> = out.iter().map(|d| d.column).collect();
        assert_eq!(cols, vec![7, 2, 5, 3, 2]);
        // A finding in another file is counted in that file's text, not this one's.
        let elsewhere = Diagnostic::new(Code::NotUtf8, "dmcg.toml", Span::new(2, 10), "m");
        assert_eq!(in_characters("f", text, vec![elsewhere])[0].column, 10);
    }

    #[test]
    fn many_findings_on_one_line_count_on_from_each_other() {
        let line = "● ".repeat(5000);
        let at = |column| Diagnostic::new(Code::NotUtf8, "f", Span::new(1, column), "m");
        // Out of order on purpose: each is counted from the line's start or the one before.
        let diags: Vec<_> = [9, 1, 5, 4 * 4999 + 1].into_iter().map(at).collect();
        let cols: Vec<u32> = in_characters("f", &line, diags)
            .iter()
            .map(|d| d.column)
            .collect();
        assert_eq!(cols, vec![5, 1, 3, 2 * 4999 + 1]);
    }

    #[test]
    fn terminal_escapes_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("plain\ttext æøå ●"), "plain\ttext æøå ●");
        assert_eq!(
            terminal_safe("a\u{1b}[31mred\u{7}\u{202e}b\nc"),
            "a\\u{1b}[31mred\\u{7}\\u{202e}b\\u{a}c"
        );
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_and_the_rest_kept() {
        let mut out = String::from("> ");
        push_terminal_safe(&mut out, "Æble\u{1b}[31m ø\u{202e}å\tend\u{85}");
        assert_eq!(out, "> Æble\\u{1b}[31m ø\\u{202e}å\tend\\u{85}");
        assert_eq!(terminal_safe("plain ø"), Cow::Borrowed("plain ø"));
    }
}
