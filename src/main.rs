//! Entry point: parse the command line first (nothing runs before it), then dispatch and map
//! the outcome to an exit code.

use clap::Parser;
use sls_rs::{cli::Cli, cmd, ui::Ui};

fn main() {
    // A <TAB> in a shell runs `COMPLETE=<shell> sls-rs -- <words>`: answered here, and exited.
    sls_rs::cli::complete::answer_if_asked();
    let cli = Cli::parse();
    let process = sls_rs::host::process::Process::from_os();
    let ui = Ui::new(&cli.global, &process);
    let code = match cmd::run(cli, &ui, &process) {
        Ok(()) => 0,
        Err(sls_rs::error::Error::Exit(code)) => code,
        Err(err) => {
            if let Some(doc) = err.to_json().filter(|_| ui.json) {
                ui.result_json(&doc);
            }
            eprint!("{}", sls_rs::ui::error::render(&err, ui.color, ui.verbose > 0));
            err.exit_code()
        }
    };
    std::process::exit(code);
}
