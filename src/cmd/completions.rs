//! `sls-rs completions <shell>`: the completion script for a shell, on stdout.

use crate::error::{Error, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

const BIN: &str = "sls-rs";

pub fn run(shell: Shell) -> Result<()> {
    let mut cmd = crate::cli::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut script);
    let script = String::from_utf8_lossy(&script);
    let script = if shell == Shell::Bash { fix_bash(&script) } else { script.into_owned() };
    std::io::stdout().write_all(script.as_bytes()).map_err(|e| Error::failed(format!("cannot write: {e}"), None))
}

/// clap_complete (clap-rs/clap#6421, open in 4.6) names a hyphenated binary's subcommands two
/// ways in the bash script: the word loop sets `cmd="sls__rs__subcmd__deploy"` while the arms
/// that complete it read `sls__subcmd__rs__subcmd__deploy)`, so nothing after the first word
/// completes. Spelling the arms as the loop does makes every subcommand complete.
fn fix_bash(script: &str) -> String {
    let wrong = format!("{}__subcmd__", BIN.replace('-', "__subcmd__"));
    let right = format!("{}__subcmd__", BIN.replace('-', "__"));
    script.replace(&wrong, &right)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bash_arms_are_spelled_as_the_loop_sets_them() {
        let fixed = super::fix_bash("cmd=\"sls__rs__subcmd__deploy\"\n        sls__subcmd__rs__subcmd__deploy)\n");
        assert_eq!(fixed, "cmd=\"sls__rs__subcmd__deploy\"\n        sls__rs__subcmd__deploy)\n");
    }
}
