//! `vejviser`: write, check and publish national clinical guidelines.
//!
//! The binary is thin: it parses arguments, reads the clock (the only place
//! that does), wires the library crates together and talks to the terminal.

mod cmd;
mod diag;
mod out;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// Rendering a site is allocation-heavy (handlebars values, comrak trees,
// strings); glibc's allocator spent a fifth of a site build in malloc/free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status: everything fine.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command ran and found problems (check errors, expired guidelines).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(name = "vejviser", version, about = "Write, check and publish national clinical guidelines", long_about = None)]
#[command(
    after_help = "Examples:\n  vejviser check                         check every guideline under guidelines/\n  vejviser check guidelines/dmsg/myelomatose-hdt/guideline.md\n  vejviser explain VV0301                explain a check code\n  vejviser report --format markdown      what is due, overdue or expired today\n  vejviser serve guidelines/dmsg/myelomatose-hdt\n                                         live preview in the browser"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Site(cmd::site::Args),
    Serve(cmd::serve::Args),
    Check(cmd::check::Args),
    Diff(cmd::diff::Args),
    Explain(cmd::explain::Args),
    Report(cmd::report::Args),
    New(cmd::new::Args),
    Fmt(cmd::fmt::Args),
    Release(cmd::release::Args),
    Completions(cmd::completions::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Site(a) => cmd::site::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Diff(a) => cmd::diff::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Fmt(a) => cmd::fmt::run(a),
        Command::Release(a) => cmd::release::run(a),
        Command::Completions(a) => cmd::completions::run(a),
    };
    ExitCode::from(code)
}
