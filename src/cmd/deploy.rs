//! `sls-rs deploy`: config → build → package → deploy, with live progress and a summary.

use crate::aws;
use crate::cli::{DeployArgs, Global};
use crate::deploy::{self, stack::Change, watch::StackEvent, DeployError, Outcome};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::plan::Plan;
use crate::ui::Ui;
use aws_sdk_cloudformation::types::Replacement;
use std::time::Instant;

pub(super) fn run(global: &Global, process: &Process, args: &DeployArgs, plan: Plan, ui: &Ui) -> Result<()> {
    super::project::refuse_selection(&args.select, args.changed_since.as_deref())?;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, process, &plan))?;
    let started = Instant::now();
    if let Some(function) = &args.function {
        return code_only(process, &plan, function, args.skip_build, ui, &rt, &aws);
    }
    if !args.skip_build {
        let opts = crate::build::Options { release: true, only: Vec::new(), echo: ui.verbose > 0, process };
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
        // Made before the deploy's first poll, which already sends a request.
        let mut interrupt = crate::host::signal::Interrupt::listen()?;
        tokio::pin!(work);
        loop {
            tokio::select! {
                r = &mut work => return Ok(Some(r)),
                _ = interrupt.recv() => {
                    // The prompt already took this Ctrl-C as its answer and the deploy is
                    // taking its change set back: stopping that midway would leave it behind.
                    if !declined_by_ctrl_c.load(std::sync::atomic::Ordering::Relaxed) {
                        return Ok(None);
                    }
                }
            }
        }
    });
    let outcome = outcome.map_err(|e: std::io::Error| Error::failed(format!("cannot handle Ctrl-C: {e}"), None))?;
    let Some(outcome) = outcome else {
        drop(live);
        let step = step.into_inner().unwrap_or_else(|e| e.into_inner());
        super::steps::interrupted(ui, &rt, &aws, &manifest.stack_name, &global.stage, &step);
        return Err(Error::Interrupted);
    };
    let mut report = match outcome {
        Ok(report) => report,
        Err(e) => {
            if matches!(e, DeployError::Aws(_)) {
                let step = step.into_inner().unwrap_or_else(|e| e.into_inner());
                super::steps::cut_off(ui, &manifest.stack_name, &global.stage, &step);
            }
            return Err(super::steps::deploy_error(e));
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

fn code_only(
    process: &Process,
    plan: &Plan,
    function: &str,
    skip_build: bool,
    ui: &Ui,
    rt: &tokio::runtime::Runtime,
    aws: &aws::Aws,
) -> Result<()> {
    super::find_function(plan, function)?;
    if !skip_build {
        let opts =
            crate::build::Options { release: true, only: vec![function.to_string()], echo: ui.verbose > 0, process };
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
            other => super::steps::deploy_error(other),
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
