//! Commands: each turns parsed arguments into one core call and renders the outcome.

mod build;
mod completions;
mod deploy;
mod dev;
mod diff;
mod doctor;
mod info;
mod invoke;
mod logs;
mod new;
mod package;
mod remove;
mod validate;

use crate::cli::{Cli, Command, Global};
use crate::config::{self, Config};
use crate::error::Result;
use crate::ui::Ui;

pub fn run(cli: Cli, ui: &Ui) -> Result<()> {
    match cli.command {
        Command::New(args) => new::run(args, ui),
        Command::Validate => validate::run(&cli.global, ui),
        Command::Package => package::run(&cli.global, ui),
        Command::Build(args) => build::run(&cli.global, &args, ui),
        Command::Invoke(args) => invoke::run(&cli.global, &args, ui),
        Command::Dev(args) => dev::run(&cli.global, &args, ui),
        Command::Deploy(args) => deploy::run(&cli.global, &args, ui),
        Command::Diff(args) => diff::run(&cli.global, &args, ui),
        Command::Info => info::run(&cli.global, ui),
        Command::Remove(args) => remove::run(&cli.global, &args, ui),
        Command::Logs(args) => logs::run(&cli.global, &args, ui),
        Command::Doctor => doctor::run(&cli.global, ui),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// The region sls-rs itself chooses: `--region`, else the stage's, else the project's. `None`
/// leaves it to the SDK's chain (`AWS_REGION`, the profile).
pub(crate) fn chosen_region(global: &Global, config: Option<&Config>) -> Option<String> {
    global.region.clone().or_else(|| config.and_then(|c| c.region_for(&global.stage)).map(str::to_string))
}

/// Finds and validates the project's config for the chosen stage.
pub(crate) fn load_config(global: &Global) -> Result<Config> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let path = config::locate(global.config.as_deref(), &cwd)?;
    let path = if path.is_absolute() { path } else { cwd.join(path) };
    let shown = path.strip_prefix(&cwd).map(|p| p.to_path_buf()).unwrap_or_else(|_| path.clone());
    Ok(config::load(&path, &shown, &global.stage)?)
}
