//! Standard output and error for every command. A reader that stops early (`vejviser
//! check --format json | head`) closes the pipe: that ends the output quietly,
//! not with a panic (what `println!` does) or an error message.

use std::io::Write;

/// Writes `text` to standard output. `Err` only for a real write error (a full
/// disk behind a redirect), never for a reader that has gone away.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// `println!` through [`print`](fn@print): a closed pipe is not a panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = $crate::out::print(&format!("{}\n", format_args!($($arg)*)));
    }};
}
pub(crate) use outln;

/// `eprintln!` with every line made terminal-safe
/// ([`vejviser_diagnostics::terminal_safe`]): messages name files, folders and
/// guideline text, any of which can hold escape sequences.
macro_rules! errln {
    ($($arg:tt)*) => {{
        let text = format!($($arg)*);
        let safe: Vec<_> = text
            .split('\n')
            .map(vejviser_diagnostics::terminal_safe)
            .collect();
        eprintln!("{}", safe.join("\n"));
    }};
}
pub(crate) use errln;
