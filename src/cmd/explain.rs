//! `vejviser explain CODE`: what a check code means and how to fix it.

use vejviser_diagnostics::Code;

/// Explain a check code (e.g. VV0301), or list all codes
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  vejviser explain VV0301\n  vejviser explain --list")]
pub struct Args {
    /// The code to explain
    code: Option<String>,
    /// List every code with its severity and summary
    #[arg(long, conflicts_with = "code")]
    list: bool,
    /// Print the whole registry as Markdown (used to write docs/checks.md)
    #[arg(long, hide = true)]
    markdown: bool,
}

/// The registry as a Markdown page.
pub fn markdown() -> String {
    let mut s = String::from("# Check codes\n\nGenerated from the code registry (`crates/diagnostics`) by `vejviser explain --markdown`; do not edit by hand.\n\n| code | severity | summary |\n|---|---|---|\n");
    for c in Code::ALL {
        s.push_str(&format!(
            "| [{0}](#{1}) | {2} | {3} |\n",
            c.as_str(),
            c.as_str().to_lowercase(),
            c.severity().as_str(),
            c.summary()
        ));
    }
    for c in Code::ALL {
        let mut lines = c.explanation().lines();
        let summary = lines.next().unwrap_or("").trim();
        s.push_str(&format!(
            "\n## {}\n\n**{}** ({})\n",
            c.as_str(),
            summary,
            c.severity().as_str()
        ));
        for l in lines {
            s.push_str(l.strip_prefix(' ').unwrap_or(l));
            s.push('\n');
        }
    }
    s
}

pub fn run(a: Args) -> u8 {
    if a.markdown {
        let _ = crate::out::print(&markdown());
        return crate::EXIT_OK;
    }
    if a.list || a.code.is_none() {
        for c in Code::ALL {
            crate::out::outln!(
                "{}  {:<7}  {}",
                c.as_str(),
                c.severity().as_str(),
                c.summary()
            );
        }
        return crate::EXIT_OK;
    }
    let code = a.code.unwrap_or_default();
    match Code::parse(&code) {
        Some(c) => {
            crate::out::outln!("{} ({})\n", c.as_str(), c.severity().as_str());
            for l in c.explanation().lines() {
                crate::out::outln!("{}", l.strip_prefix(' ').unwrap_or(l));
            }
            crate::EXIT_OK
        }
        None => {
            crate::out::errln!("error: `{code}` is not a vejviser check code; `vejviser explain --list` lists them");
            crate::EXIT_USAGE
        }
    }
}
