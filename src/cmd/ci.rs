//! `sls-rs ci github`: the project's stage → the stacks a CI deploy touches and the resource
//! types their templates hold → the deploy role's stack (printed, applied or removed) → the
//! role's ARN and the `gh` lines that hand it to the workflow.

use crate::ci::github::{self, Runs, Trust};
use crate::ci::policy::StackScope;
use crate::ci::{self, Report, Status};
use crate::cli::{CiCommand, GithubArgs, Global};
use crate::error::{Error, Result};
use crate::ui::Ui;
use std::collections::BTreeMap;

pub fn run(global: &Global, command: &CiCommand, ui: &Ui) -> Result<()> {
    match command {
        CiCommand::Github(args) => github(global, args, ui),
    }
}

fn github(global: &Global, args: &GithubArgs, ui: &Ui) -> Result<()> {
    github::check_repo(&args.repo).map_err(|e| Error::usage(e, "e.g. `--repo acme/shop`"))?;
    let runs = match (&args.environment, &args.branch) {
        (_, Some(branch)) => Runs::Branch(branch.clone()),
        (Some(env), None) => Runs::Environment(env.clone()),
        (None, None) => Runs::Environment("prod".into()),
    };
    let trust = Trust { repo: args.repo.clone(), runs };
    let plans = project_plans(global)?;
    let mut scopes = Vec::new();
    for (_, plan) in &plans {
        let synthesis = crate::synth::synthesize(plan).map_err(|e| plan.config.diagnostics(e.problems))?;
        let types = synthesis.template.resources.values().map(|r| r.kind.clone()).collect();
        scopes.push(StackScope { stack: plan.stack_name.clone(), types });
    }
    let (template, uncovered) = github::template(&trust, &scopes).map_err(|e| {
        Error::failed(e, Some("give each group of services its own role (run it in a service's directory)".into()))
    })?;
    let body = crate::synth::to_json(&template);
    if args.print_template {
        ui.result(body.trim_end());
        return Ok(());
    }
    let name = github::stack_name(&args.repo, &global.stage);
    let (_, first) = plans.first().ok_or_else(|| Error::failed("the project has no services", None))?;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, first))?;
    let mut report = Report {
        stack: name.clone(),
        status: Status::Absent,
        role_arn: None,
        provider_arn: None,
        provider_created: false,
        subject: trust.subject(),
        uncovered,
    };
    if args.remove {
        if !confirm(ui, &name)? {
            return Ok(());
        }
        report.status = rt.block_on(ci::remove(&aws, &name)).map_err(failed)?;
        return render(ui, &report, &trust, &aws.region);
    }
    let (provider, created) = rt.block_on(ci::ensure_provider(&aws))?;
    if created {
        ui.note(format!("made the account's OIDC provider for GitHub Actions: {provider}"));
    }
    let tags = BTreeMap::from([("sls-rs:repository".to_string(), args.repo.clone())]);
    let (status, role) = rt.block_on(ci::apply(&aws, &name, &body, &provider, &tags)).map_err(failed)?;
    (report.status, report.role_arn, report.provider_arn, report.provider_created) =
        (status, Some(role), Some(provider), created);
    render(ui, &report, &trust, &aws.region)
}

/// Every service's plan: the role is one per repository and stage, so in a service of a
/// project it must still cover the whole project, or each service would narrow it to itself.
fn project_plans(global: &Global) -> Result<Vec<(Option<String>, crate::plan::Plan)>> {
    let target = super::project::load_target(global)?;
    if let crate::pipeline::Target::Service(plan) = &target {
        if let Some((project, _)) = crate::config::project::enclosing(&plan.config.root) {
            let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
            return Ok(crate::pipeline::load_target(Some(&project), &cwd, &global.stage)?.into_plans());
        }
    }
    Ok(target.into_plans())
}

fn failed(e: ci::CiError) -> Error {
    Error::failed(e.to_string(), Some("nothing else was changed; fix the cause and run it again".into()))
}

fn confirm(ui: &Ui, stack: &str) -> Result<bool> {
    if ui.yes {
        return Ok(true);
    }
    if !ui.interactive {
        return Err(Error::usage(format!("removing {stack} needs confirmation"), "pass --yes to remove it"));
    }
    let ok = crate::ui_prompt::confirm(&format!("Remove {stack} (GitHub Actions can no longer deploy)?"), false)?;
    if !ok {
        ui.warn("nothing removed");
    }
    Ok(ok)
}

fn render(ui: &Ui, report: &Report, trust: &Trust, region: &str) -> Result<()> {
    let commands = report.role_arn.as_deref().map(|arn| ci::gh_commands(trust, arn, region)).unwrap_or_default();
    if ui.json {
        let mut doc = serde_json::to_value(report).expect("a report serializes");
        doc["commands"] = serde_json::json!(commands);
        ui.result_json(&doc);
        return Ok(());
    }
    for t in &report.uncovered {
        ui.warn(format!(
            "the role cannot deploy {t} (raw `cloudformation:`): add a policy for it to the role yourself"
        ));
    }
    match report.status {
        Status::Removed => ui.success(format!("removed {} (the account's OIDC provider stays)", report.stack)),
        Status::Absent => ui.note(format!("{} does not exist; nothing to remove", report.stack)),
        status => {
            let verb = match status {
                Status::Created => "created",
                Status::Updated => "updated",
                _ => "unchanged:",
            };
            ui.success(format!("{verb} {} — trusts {}", report.stack, report.subject));
            ui.note("Hand it to the workflow (GitHub CLI):");
            for c in &commands {
                ui.result(c);
            }
        }
    }
    Ok(())
}
