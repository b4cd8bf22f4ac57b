//! `sls-rs build`: config → build (cargo lambda, zips) → manifest with artifact hashes.

use crate::build::{self, BuildError, Built};
use crate::cli::{BuildArgs, Global};
use crate::config::ConfigDiagnostics;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::ui::Ui;

pub fn run(global: &Global, args: &BuildArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let opts = build::Options { release: !args.debug, only: args.function.clone(), echo: ui.verbose > 0 };
    let report = build_all(&plan, &opts, ui)?;
    let (_, _, manifest) = super::package::write(&plan, ui)?;
    if ui.json {
        ui.result_json(
            &serde_json::json!({ "functions": report.functions, "seconds": report.seconds, "manifest": manifest }),
        );
    } else {
        ui.success(format!("built {} function(s) in {:.1} s", report.functions.len(), report.seconds));
        for b in &report.functions {
            ui.result(format!("{}  {}  {}", b.function, super::package::shown(&b.path), b.sha256));
        }
    }
    Ok(())
}

/// Builds with a progress line per function; shared with `deploy`.
pub(crate) fn build_all(plan: &Plan, opts: &build::Options, ui: &Ui) -> Result<build::Report> {
    let config = &plan.config;
    let profile = if opts.release { "release" } else { "debug" };
    ui.note(format!("building {} function(s) ({profile}) with cargo lambda", count(config, &opts.only)));
    let mut line = |b: &Built| {
        let what = if b.changed { "built     " } else { "up to date" };
        ui.note(format!("  {what}  {:<24} {:<7} {:>9}", b.function, b.arch, human_size(b.size)));
    };
    build::build(plan, opts, &mut line).map_err(|e| build_error(config, e, ui.verbose > 0))
}

fn count(config: &crate::config::Config, only: &[String]) -> usize {
    if only.is_empty() {
        config.functions.len()
    } else {
        only.len()
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b => format!("{:.0} KB", b as f64 / 1024.0),
    }
}

fn build_error(config: &crate::config::Config, err: BuildError, verbose: bool) -> Error {
    if let Some(problems) = build::problems(&err) {
        return ConfigDiagnostics::new(config.file.display().to_string(), config.source.clone(), problems.to_vec())
            .into();
    }
    match err {
        BuildError::UnknownFunction(name, all) => Error::usage(
            format!("no function called `{name}`"),
            format!("functions in {}: {}", config.file.display(), crate::config::diagnostic::one_of(&all)),
        ),
        BuildError::CargoLambda(build::cargo_lambda::CargoLambdaError::NotInstalled) => Error::failed(
            "cargo-lambda is not installed (sls-rs builds every function with it)",
            Some(crate::tools::INSTALL_HINT.to_string()),
        ),
        BuildError::CargoLambda(build::cargo_lambda::CargoLambdaError::Failed { arch, output }) => Error::ToolFailed {
            message: format!("cargo lambda build failed for {arch}"),
            help: Some("cargo's messages are above".into()),
            // With -v they streamed as cargo wrote them; once is enough.
            output: if verbose { String::new() } else { output },
        },
        other => Error::failed(other.to_string(), None),
    }
}
