//! `sls-rs deploy`: config → build → package → deploy, with live progress and a summary.

use crate::aws::{self, CallError};
use crate::cli::{DeployArgs, Global};
use crate::deploy::{self, stack::Change, watch::StackEvent, DeployError, Outcome};
use crate::error::{with_details, Error, Result};
use crate::pipeline::Target;
use crate::plan::Plan;
use crate::ui::Ui;
use aws_sdk_cloudformation::types::Replacement;
use std::time::Instant;

pub fn run(global: &Global, args: &DeployArgs, ui: &Ui) -> Result<()> {
    let plan = match super::project::load_target(global)? {
        Target::Project(graph) => return super::project_deploy::run(global, args, &graph, ui),
        Target::Service(plan) => *plan,
    };
    super::project::refuse_selection(&args.select, args.changed_since.as_deref())?;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, &plan))?;
    let started = Instant::now();
    if let Some(function) = &args.function {
        return code_only(&plan, function, args.skip_build, ui, &rt, &aws);
    }
    if !args.skip_build {
        let opts = crate::build::Options { release: true, only: Vec::new(), echo: ui.verbose > 0 };
        super::steps::build(&plan, &opts, ui)?;
    }
    let build_secs = started.elapsed().as_secs_f64();
    let packaged = super::steps::package(&plan, ui)?;
    let (manifest, template) = (packaged.synthesis.manifest, packaged.template);
    ui.note(format!("deploying {} to {}", manifest.stack_name, aws.region));

    let notice = |n: deploy::Notice| ui.note(super::steps::notice_line(&n));
    let mut live = ui.live.then(|| crate::ui::progress::StackProgress::new(ui.color));
    let mut on_event = |e: &StackEvent| match live.as_mut() {
        Some(view) => view.event(e),
        None => ui.stack_event(None, e),
    };
    let declined_by_ctrl_c = std::sync::atomic::AtomicBool::new(false);
    let mut confirm = |changes: &[Change]| match confirm_changes(ui, changes) {
        Answer::Yes => true,
        Answer::No => false,
        Answer::Interrupted => {
            declined_by_ctrl_c.store(true, std::sync::atomic::Ordering::Relaxed);
            false
        }
    };
    let step = std::sync::Mutex::new(deploy::Step::Preparing);
    let hooks = deploy::Hooks { notice: &notice, step: &step, event: &mut on_event, confirm: &mut confirm };
    let opts = deploy::Options { no_wait: args.no_wait };
    let work = deploy::deploy(&aws, &manifest, &template, &plan.config.root, &opts, hooks);
    let outcome = rt.block_on(async {
        tokio::pin!(work);
        loop {
            tokio::select! {
                r = &mut work => return Some(r),
                _ = tokio::signal::ctrl_c() => {
                    // The prompt already took this Ctrl-C as its answer and the deploy is
                    // taking its change set back: stopping that midway would leave it behind.
                    if !declined_by_ctrl_c.load(std::sync::atomic::Ordering::Relaxed) {
                        return None;
                    }
                }
            }
        }
    });
    let Some(outcome) = outcome else {
        drop(live);
        let step = step.into_inner().unwrap_or_else(|e| e.into_inner());
        interrupted(ui, &rt, &aws, &manifest.stack_name, &global.stage, &step);
        return Err(Error::Interrupted);
    };
    let mut report = match outcome {
        Ok(report) => report,
        Err(e) => {
            if matches!(e, DeployError::Aws(_)) {
                let step = step.into_inner().unwrap_or_else(|e| e.into_inner());
                cut_off(ui, &manifest.stack_name, &global.stage, &step);
            }
            return Err(deploy_error(e));
        }
    };
    if declined_by_ctrl_c.into_inner() {
        // Ctrl-C at the prompt: the change set is already taken back; exit as interrupted.
        ui.warn(format!("interrupted; {} was not changed", report.stack));
        return Err(Error::Interrupted);
    }
    report.phases.insert("build", build_secs);
    if ui.json {
        ui.result_json(&serde_json::to_value(&report).unwrap_or_default());
        return Ok(());
    }
    let uploaded = report.uploads.iter().filter(|u| u.uploaded).count();
    match report.status {
        Outcome::Unchanged => ui.success(format!("{} is up to date; nothing to deploy", report.stack)),
        Outcome::Cancelled => ui.warn("deploy cancelled; nothing was changed"),
        Outcome::Deployed => ui.success(format!(
            "deployed {} ({} change(s), {uploaded} artifact(s) uploaded)",
            report.stack,
            report.changes.len()
        )),
    }
    let phases: Vec<String> = report.phases.iter().map(|(k, v)| format!("{k} {v:.1} s")).collect();
    ui.note(format!("time: {}", phases.join(", ")));
    for (k, v) in &report.outputs {
        ui.result(format!("{k:<28} {v}"));
    }
    Ok(())
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

fn code_only(
    plan: &Plan,
    function: &str,
    skip_build: bool,
    ui: &Ui,
    rt: &tokio::runtime::Runtime,
    aws: &aws::Aws,
) -> Result<()> {
    super::find_function(plan, function)?;
    if !skip_build {
        let opts = crate::build::Options { release: true, only: vec![function.to_string()], echo: ui.verbose > 0 };
        super::steps::build(plan, &opts, ui)?;
    }
    let synthesis = super::steps::package(plan, ui)?.synthesis;
    let t = Instant::now();
    let upload = rt
        .block_on(deploy::code::update_code(aws, &synthesis.manifest, function, &plan.config.root))
        .map_err(|e| match e {
            DeployError::Aws(e) => {
                Error::failed(e.to_string(), Some("is the stage deployed? run a full `sls-rs deploy` first".into()))
            }
            other => deploy_error(other),
        })?;
    ui.warn(
        "code-only update: the stack still names the previous artifact; the next full `sls-rs deploy` reconciles it",
    );
    if ui.json {
        ui.result_json(&serde_json::json!({ "status": "code-updated", "function": function, "upload": upload, "seconds": t.elapsed().as_secs_f64() }));
    } else {
        ui.success(format!("updated the code of {function} in {:.1} s", t.elapsed().as_secs_f64()));
    }
    Ok(())
}

enum Answer {
    Yes,
    No,
    Interrupted,
}

fn confirm_changes(ui: &Ui, changes: &[Change]) -> Answer {
    if !ui.json {
        for c in changes {
            let replace = if c.replacement == Some(Replacement::True) { "  (replaced)" } else { "" };
            ui.note(format!("  {:<8} {:<36} {}{replace}", c.action, c.logical_id, c.resource_type));
        }
    }
    if !ui.interactive {
        return Answer::Yes;
    }
    match crate::ui::prompt::confirm(&format!("Deploy these {} change(s)?", changes.len()), true) {
        Ok(true) => Answer::Yes,
        Err(Error::Interrupted) => Answer::Interrupted,
        Ok(false) | Err(_) => Answer::No,
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
