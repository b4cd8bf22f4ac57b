//! Entry point: parse the command line first (nothing runs before it), then dispatch and map
//! the outcome to an exit code.

use clap::Parser;
use miette::{GraphicalReportHandler, GraphicalTheme};
use sls_rs::{cli::Cli, cmd, ui::Ui};

fn main() {
    let cli = Cli::parse();
    let ui = Ui::new(&cli.global);
    let code = match cmd::run(cli, &ui) {
        Ok(()) => 0,
        Err(sls_rs::error::Error::Exit(code)) => code,
        Err(err) => {
            if let sls_rs::error::Error::ToolFailed { output, .. } = &err {
                if !output.trim().is_empty() {
                    eprintln!("{}", output.trim_end());
                }
            }
            if let Some(doc) = err.to_json().filter(|_| ui.json) {
                ui.result_json(&doc);
            }
            let theme = if ui.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
            let mut out = String::new();
            let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
            if handler.render_report(&mut out, &err).is_err() {
                out = format!("error: {err}");
            }
            eprint!("{out}");
            err.exit_code()
        }
    };
    std::process::exit(code);
}
