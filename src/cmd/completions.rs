//! `sls-rs completions <shell>`: the completion script for a shell, on stdout.

use crate::error::{Error, Result};
use clap_complete::Shell;
use std::io::Write;

pub(super) fn run(shell: Shell) -> Result<()> {
    let cannot = |e: std::io::Error| Error::failed(format!("cannot write: {e}"), None);
    let script = crate::cli::complete::registration(shell).map_err(cannot)?;
    std::io::stdout().write_all(&script).map_err(cannot)
}
