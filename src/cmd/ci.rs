//! `sls-rs ci github`: the project's stage → the stacks a CI deploy touches and the resource
//! types their templates hold → the deploy role's stack (printed, applied or removed) → the
//! role's ARN and the `gh` lines that hand it to the workflow.

use crate::ci::github::{self, Runs, Trust};
use crate::ci::scope::StackScope;
use crate::ci::{self, Report, Status};
use crate::cli::{CiCommand, GithubArgs, Global};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, command: &CiCommand, ui: &Ui) -> Result<()> {
    match command {
        CiCommand::Github(args) => github(global, process, args, ui),
    }
}

fn github(global: &Global, process: &Process, args: &GithubArgs, ui: &Ui) -> Result<()> {
    github::check_repo(&args.repo).map_err(|e| Error::usage(e, "e.g. `--repo acme/shop`"))?;
    let runs = match (&args.environment, &args.branch) {
        (_, Some(branch)) => {
            github::check_branch(branch).map_err(|e| Error::usage(e, "e.g. `--branch main`"))?;
            Runs::Branch(branch.clone())
        }
        (Some(env), None) => {
            github::check_environment(env).map_err(|e| Error::usage(e, "e.g. `--environment prod`"))?;
            Runs::Environment(env.clone())
        }
        (None, None) => Runs::Environment("prod".into()),
    };
    let trust = Trust { repo: args.repo.clone(), runs };
    let plans = project_plans(global, process)?;
    let mut scopes = Vec::new();
    for (_, plan) in &plans {
        let synthesis = crate::synth::synthesize(plan).map_err(|e| plan.config.diagnostics(e.problems))?;
        let template = serde_json::to_value(&synthesis.template).expect("a template serializes");
        let reads = plan.references.iter().map(|r| r.stack.clone()).collect();
        scopes.push(StackScope::of(&plan.stack_name, &template, reads));
    }
    let made = github::template(&trust, &scopes).map_err(|e| {
        Error::failed(e, Some("give each group of services its own role (run it in a service's directory)".into()))
    })?;
    let body = crate::synth::to_json(&made.template);
    if args.print_template {
        ui.result_raw(body.trim_end());
        return Ok(());
    }
    let name = github::stack_name(&args.repo, &global.stage);
    let (_, first) = plans.first().ok_or_else(|| Error::failed("the project has no services", None))?;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, process, first))?;
    let mut report = Report {
        stack: name.clone(),
        status: Status::Absent,
        role_arn: None,
        provider_arn: None,
        provider_created: false,
        subject: trust.subject(),
        uncovered: made.uncovered,
        unnamed: made.unnamed,
        legacy_stack: None,
    };
    if args.remove {
        if !confirm(ui, &name)? {
            return Ok(());
        }
        report.status = rt.block_on(ci::remove(&aws, &name, &args.repo)).map_err(failed)?;
        return render(ui, &report, &trust, &aws.region);
    }
    let (provider, created) = rt.block_on(ci::ensure_provider(&aws))?;
    if created {
        ui.note(format!("made the account's OIDC provider for GitHub Actions: {provider}"));
    }
    // The deploy role may not make the deployment bucket (nor change its settings): it is made
    // here, with the rights that make the role.
    let account = rt.block_on(aws.account_id())?;
    let notice = |n: crate::deploy::Notice| ui.note(super::steps::notice_line(&n));
    let bucket = crate::deploy::bucket::ensure(&aws, &account, &notice);
    rt.block_on(bucket).map_err(|e| Error::failed(e.to_string(), None))?;
    let bounded: Vec<String> =
        scopes.iter().filter(|s| s.types().contains("AWS::IAM::Role")).map(|s| s.stack.clone()).collect();
    let applied = ci::apply(&aws, &name, &args.repo, &body, &bounded, &provider);
    let (status, role) = rt.block_on(applied).map_err(failed)?;
    (report.status, report.role_arn, report.provider_arn, report.provider_created) =
        (status, Some(role), Some(provider), created);
    report.legacy_stack = rt.block_on(ci::legacy(&aws, &args.repo, &global.stage))?;
    render(ui, &report, &trust, &aws.region)
}

/// Every service's plan: the role is one per repository and stage, so in a service of a
/// project it must still cover the whole project, or each service would narrow it to itself.
fn project_plans(global: &Global, process: &Process) -> Result<Vec<(Option<String>, crate::plan::Plan)>> {
    let target = super::project::load_target(global, process)?;
    if let crate::pipeline::Target::Service(plan) = &target {
        if let Some((graph, _)) = crate::pipeline::enclosing_graph(&plan.config.root, &process.cwd, &global.stage)? {
            return Ok(crate::pipeline::Target::Project(Box::new(graph)).into_plans());
        }
    }
    Ok(target.into_plans())
}

fn failed(e: ci::CiError) -> Error {
    if let ci::CiError::OtherRepository { recorded, .. } = &e {
        let help = format!("nothing was changed; run it with `--repo {recorded}` to change or remove that role");
        return Error::failed(e.to_string(), Some(help));
    }
    if let ci::CiError::BoundaryTaken { .. } = &e {
        let help = "nothing was changed; one repository's role deploys a stage: remove the other role first (`sls-rs ci github --repo <it> --remove`)";
        return Error::failed(e.to_string(), Some(help.into()));
    }
    Error::failed(e.to_string(), Some("nothing else was changed; fix the cause and run it again".into()))
}

fn confirm(ui: &Ui, stack: &str) -> Result<bool> {
    if ui.yes {
        return Ok(true);
    }
    if !ui.interactive {
        return Err(Error::usage(format!("removing {stack} needs confirmation"), "pass --yes to remove it"));
    }
    let ok = crate::ui::prompt::confirm(&format!("Remove {stack} (GitHub Actions can no longer deploy)?"), false)?;
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
    for r in &report.unnamed {
        ui.warn(format!("the role cannot deploy {r}"));
    }
    if let Some(old) = &report.legacy_stack {
        ui.warn(format!(
            "{old}, made by an earlier sls-rs for this repository, still holds a role that trusts it: once the workflow uses the new role, remove it with `aws cloudformation delete-stack --stack-name {old}`"
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
