//! `sls-rs completions <shell>`: the completion script for a shell, on stdout.

use crate::error::Result;
use clap::CommandFactory;

pub fn run(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(shell, &mut cmd, "sls-rs", &mut std::io::stdout());
    Ok(())
}
