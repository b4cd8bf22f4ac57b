//! Commands: the pipeline's steps as every command shows them — a progress line per built
//! function, synthesis warnings, and each step's errors as located diagnostics or exit codes.
//! `build`, `package`, `validate`, `deploy` and `diff` share these instead of calling each other.

use crate::build::{self, BuildError, Progress};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::{self, PackageError, Packaged};
use crate::plan::Plan;
use crate::synth::SynthError;
use crate::ui::Ui;
use std::path::Path;

/// A deploy's or removal's notice as people read it.
pub(crate) fn notice_line(n: &crate::deploy::Notice) -> String {
    use crate::deploy::Notice;
    match n {
        Notice::CreatingBucket { bucket, stack } => {
            format!("creating the deployment bucket {bucket} (stack {stack}, once per account and region)")
        }
        Notice::Waiting { stack, status } => format!("stack {stack} is busy ({status}); waiting for it to finish"),
        Notice::Clearing { stack, why } => format!("stack {stack} {why}"),
        Notice::LeftoverChangeSet { name } => {
            format!("deleting change set {name}, left by a deploy that did not finish")
        }
        Notice::BoundaryUnreadable { arn, reason } => {
            format!(
                "cannot tell whether the permissions boundary {arn} exists ({reason}); deploying the roles without one"
            )
        }
        Notice::Emptying { held } => format!("emptying {held}"),
    }
}

/// Without a terminal, how often a build says what it is compiling.
const PLAIN_PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Builds with a progress line per function.
pub(crate) fn build(plan: &Plan, opts: &build::Options, ui: &Ui) -> Result<build::Report> {
    Ok(build_all(&[(None, plan)], opts, ui)?.remove(0))
}

/// Builds several services' functions together (one cargo lambda call per workspace and
/// architecture), each function's line labelled with its service when it has one.
pub(crate) fn build_all(
    services: &[(Option<&str>, &Plan)],
    opts: &build::Options,
    ui: &Ui,
) -> Result<Vec<build::Report>> {
    let profile = if opts.release { "release" } else { "debug" };
    let count: usize = match services {
        [(_, plan)] if !opts.only.is_empty() => opts.only.len().min(plan.functions.len()),
        _ => services.iter().map(|(_, p)| p.functions.len()).sum(),
    };
    if count > 0 {
        ui.note(format!("building {count} function(s) ({profile}) with cargo lambda"));
    }
    // On a terminal one live line; otherwise a line at most every ten seconds (the build
    // reports every crate cargo starts).
    let mut live = crate::ui::progress::BuildProgress::new();
    let mut said: Option<std::time::Duration> = None;
    let mut line = |i: usize, p: Progress| match p {
        Progress::Compiling(c) if ui.live => live.compiling(c),
        Progress::Compiling(c) => {
            if said.is_none_or(|t| c.elapsed >= t + PLAIN_PROGRESS_EVERY) {
                said = Some(c.elapsed);
                ui.note(format!(
                    "  compiling for {}: {} ({} crate(s) so far, {} s)",
                    c.arch,
                    c.current,
                    c.crates,
                    c.elapsed.as_secs()
                ));
            }
        }
        Progress::Built(b) => {
            live.clear();
            let what = if b.changed { "built     " } else { "up to date" };
            let name = match services[i].0 {
                Some(key) => format!("{key}/{}", b.function),
                None => b.function.clone(),
            };
            ui.note(format!("  {what}  {name:<24} {:<7} {:>9}", b.arch, human_size(b.size)));
        }
        Progress::Waiting(dir) => {
            live.clear();
            ui.note(format!("  {}", waiting_line(dir)))
        }
    };
    let plans: Vec<&Plan> = services.iter().map(|(_, p)| *p).collect();
    let built = pipeline::build_all(&plans, opts, &mut line);
    // The closure's borrow of `live` ends with its last use above.
    live.clear();
    let reports = built.map_err(|(i, e)| build_error(&plans[i].config, e, ui.verbose > 0))?;
    if count > 0 && reports.iter().all(|r| !r.cargo) {
        ui.note("  no source, manifest or setting changed since these zips: cargo not run");
    }
    Ok(reports)
}

/// Synthesizes and writes the stage's template and manifest; warnings go to stderr.
pub(crate) fn package(plan: &Plan, ui: &Ui) -> Result<Packaged> {
    let packaged = pipeline::package(plan).map_err(|e| match e {
        PackageError::Synth(e) => synth_error(&plan.config, e),
        PackageError::Write(e) => Error::failed(e.to_string(), None),
    })?;
    for w in &packaged.synthesis.warnings {
        ui.warn(w);
    }
    Ok(packaged)
}

/// A path relative to the working directory when it is below it.
pub(crate) fn shown(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    p.strip_prefix(&cwd).unwrap_or(p).display().to_string()
}

/// Synthesis problems point into `sls.yaml` like any other config problem.
pub(crate) fn synth_error(config: &Config, e: SynthError) -> Error {
    config.diagnostics(e.problems).into()
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b => format!("{:.0} KB", b as f64 / 1024.0),
    }
}

fn build_error(config: &Config, err: BuildError, verbose: bool) -> Error {
    if let Some(problems) = build::problems(&err) {
        return config.diagnostics(problems.to_vec()).into();
    }
    match err {
        BuildError::UnknownFunction(name, all) => Error::usage(
            format!("no function called `{name}`"),
            format!("functions in {}: {}", config.file.display(), crate::config::diagnostic::one_of(&all)),
        ),
        BuildError::CargoLambda(build::cargo_lambda::CargoLambdaError::NotInstalled) => Error::failed(
            "cargo-lambda is not installed (sls-rs builds every function with it)",
            Some(crate::host::tools::INSTALL_HINT.to_string()),
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

/// Said when another sls-rs build holds the target directory (`build`, `invoke --local`, `dev`).
pub(crate) fn waiting_line(target_dir: &Path) -> String {
    format!("waiting for another sls-rs build using {} to finish", target_dir.display())
}
