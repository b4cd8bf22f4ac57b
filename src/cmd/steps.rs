//! Commands: the pipeline's steps as every command shows them — a progress line per built
//! function, synthesis warnings, and each step's errors as located diagnostics or exit codes.
//! `build`, `package`, `validate`, `deploy` and `diff` share these instead of calling each other.

use crate::aws::{self, CallError};
use crate::build::{self, BuildError, Progress};
use crate::config::Config;
use crate::deploy::{self, DeployError};
use crate::error::{with_details, Error, Result};
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
pub(crate) fn shown(process: &crate::host::process::Process, p: &Path) -> String {
    p.strip_prefix(&process.cwd).unwrap_or(p).display().to_string()
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

/// Ctrl-C: say what the stack is left doing, and take back a change set nobody will review.
pub(crate) fn interrupted(
    ui: &Ui,
    rt: &tokio::runtime::Runtime,
    aws: &aws::Aws,
    stack: &str,
    stage: &str,
    step: &deploy::Step,
) {
    match step {
        deploy::Step::Executing => ui.warn(format!(
            "stopped watching; CloudFormation carries on with {stack}. Follow it with `sls-rs info --stage {stage}`"
        )),
        deploy::Step::Preparing => ui.warn(format!("interrupted; {stack} was not changed")),
        deploy::Step::Reviewing { change_set, .. } => {
            let undo = rt.block_on(async {
                let deadline = std::time::Duration::from_secs(10);
                tokio::time::timeout(deadline, deploy::abandon(aws, stack, step))
                    .await
                    .unwrap_or_else(|_| Err(CallError::other("timed out")))
            });
            match undo {
                Ok(()) => ui.warn(format!("interrupted; {stack} was not changed (change set {change_set} deleted)")),
                Err(e) => ui.warn(format!(
                    "interrupted; {stack} was not changed, but change set {change_set} could not be deleted ({e}): \
                     delete it in the CloudFormation console or with `aws cloudformation delete-change-set`"
                )),
            }
        }
    }
}

/// AWS stopped answering (or refused a call) mid-deploy: say what the stack was left doing,
/// and that running the same deploy again finishes the job.
pub(crate) fn cut_off(ui: &Ui, stack: &str, stage: &str, step: &deploy::Step) {
    match step {
        deploy::Step::Preparing => ui.warn(format!("{stack} was not changed")),
        deploy::Step::Reviewing { change_set, .. } => ui.warn(format!(
            "{stack} was not changed; change set {change_set} may be left waiting, and the next `sls-rs deploy --stage {stage}` deletes it"
        )),
        deploy::Step::Executing => ui.warn(format!(
            "{stack} may be changing: its change set was sent for execution and no answer came back. \
             Run `sls-rs deploy --stage {stage}` again when AWS answers: it waits for the stack and finishes the job \
             (`sls-rs info --stage {stage}` shows where it stands)"
        )),
    }
}

pub(crate) fn deploy_error(e: DeployError) -> Error {
    match e {
        DeployError::Failed { stack, status, failures, reason } => {
            let details = failures.iter().take(3).map(|f| {
                format!("{} {} ({}): {}", f.status, f.logical_id, f.resource_type, f.reason.as_deref().unwrap_or(""))
            });
            let message = with_details(format!("deploy failed: {stack} ended {status}"), details);
            let cause = failures.first().and_then(|f| f.reason.clone()).or(reason).unwrap_or_default();
            let hint = deploy::hint_for(&cause).map(str::to_string);
            Error::failed(message, hint.or(Some("the first failure listed is usually the cause".into())))
        }
        DeployError::Busy { stack, status } => Error::failed(
            format!("stack {stack} is busy ({status})"),
            Some("wait for it (run without --no-wait) or follow it with `sls-rs info`".into()),
        ),
        DeployError::NotBuilt(f) => Error::failed(
            format!("function `{f}` has not been built"),
            Some("run `sls-rs build` or deploy without --skip-build".into()),
        ),
        DeployError::Aws(e) => e.into(),
        e @ DeployError::BucketNotOwned { .. } => Error::failed(
            e.to_string(),
            Some("sls-rs sends code only to a bucket this account owns: if it is yours, allow s3:GetBucketLocation on it; if not, another account took the name first — deploy to another region, and tell AWS".into()),
        ),
        e @ DeployError::ProducerMissing { .. } => Error::failed(
            e.to_string(),
            Some("deploy it first, or run `sls-rs deploy` at the project root: it deploys services in order".into()),
        ),
        e @ DeployError::OutputMissing { .. } => Error::failed(
            e.to_string(),
            Some(
                "deploy that service again so its stack has the output, or run `sls-rs deploy` at the project root"
                    .into(),
            ),
        ),
        other => Error::failed(other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::watch::StackEvent;

    fn failed(logical_id: &str, status: &str, reason: &str) -> StackEvent {
        StackEvent {
            id: logical_id.into(),
            timestamp: 0.0,
            logical_id: logical_id.into(),
            resource_type: "AWS::SQS::Queue".into(),
            status: status.into(),
            reason: Some(reason.into()),
        }
    }

    #[test]
    fn a_failed_deploy_carries_its_first_failures_and_a_hint() {
        let err = deploy_error(DeployError::Failed {
            stack: "shop-dev".into(),
            status: "UPDATE_ROLLBACK_COMPLETE".into(),
            failures: vec![
                failed("Jobs", "CREATE_FAILED", "shop-dev-jobs already exists"),
                failed("Mail", "CREATE_FAILED", "Resource creation cancelled"),
            ],
            reason: None,
        });
        assert_eq!(
            err.to_string(),
            "deploy failed: shop-dev ended UPDATE_ROLLBACK_COMPLETE\n  \
             CREATE_FAILED Jobs (AWS::SQS::Queue): shop-dev-jobs already exists\n  \
             CREATE_FAILED Mail (AWS::SQS::Queue): Resource creation cancelled"
        );
        assert_eq!(
            miette::Diagnostic::help(&err).map(|h| h.to_string()).as_deref(),
            Some("a resource with this name exists outside the stack: delete it, or rename the function/resource in sls.yaml")
        );
        assert_eq!(err.exit_code(), 1);
    }
}
