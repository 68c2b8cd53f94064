//! `vejviser completions`: shell completion scripts.

use clap::CommandFactory;

/// Print a completion script for your shell
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  vejviser completions bash > ~/.local/share/bash-completion/completions/vejviser\n  vejviser completions zsh > ~/.zfunc/_vejviser      (with fpath+=~/.zfunc in ~/.zshrc)\n  vejviser completions fish > ~/.config/fish/completions/vejviser.fish"
)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(a: Args) -> u8 {
    let mut cmd = crate::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "vejviser", &mut script);
    match crate::out::print(&String::from_utf8_lossy(&script)) {
        Ok(()) => crate::EXIT_OK,
        Err(e) => {
            crate::out::errln!("error: cannot write the completion script: {e}");
            crate::EXIT_USAGE
        }
    }
}
