//! Commands: each turns parsed arguments into one core call and renders the outcome.

mod build;
mod ci;
mod completions;
mod deploy;
mod dev;
mod diff;
mod doctor;
mod graph;
mod info;
mod invoke;
mod logs;
mod new;
mod package;
mod project;
mod project_deploy;
mod remove;
mod schema;
mod steps;
mod validate;

use crate::aws;
use crate::build::workspace::WorkspaceError;
use crate::cli::{Cli, Command, Global};
use crate::config::{diagnostic, Config, Function};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::local::runtime::compile::CompileError;
use crate::pipeline;
use crate::plan::{FunctionPlan, Plan};
use crate::ui::Ui;

pub fn run(cli: Cli, ui: &Ui, process: &Process) -> Result<()> {
    match cli.command {
        Command::New(args) => new::run(args, ui),
        Command::Validate => validate::run(&cli.global, process, ui),
        Command::Package => package::run(&cli.global, process, ui),
        Command::Build(args) => build::run(&cli.global, process, &args, ui),
        Command::Invoke(args) => invoke::run(&cli.global, process, &args, ui),
        Command::Dev(args) => dev::run(&cli.global, process, &args, ui),
        Command::Deploy(args) => match project::load_target(&cli.global, process)? {
            pipeline::Target::Project(graph) => project_deploy::run(&cli.global, process, &args, &graph, ui),
            pipeline::Target::Service(plan) => deploy::run(&cli.global, process, &args, *plan, ui),
        },
        Command::Diff(args) => diff::run(&cli.global, process, &args, ui),
        Command::Info => info::run(&cli.global, process, ui),
        Command::Ci(command) => ci::run(&cli.global, process, &command, ui),
        Command::Schema(args) => schema::run(&cli.global, process, &args, ui),
        Command::Graph(args) => graph::run(&cli.global, process, &args, ui),
        Command::Remove(args) => remove::run(&cli.global, process, &args, ui),
        Command::Logs(args) => logs::run(&cli.global, process, &args, ui),
        Command::Doctor => doctor::run(&cli.global, process, ui),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// The region sls-rs itself chooses: `--region`, else the stage's, else the project's. `None`
/// leaves it to the SDK's chain (`AWS_REGION`, the profile).
pub(crate) fn chosen_region(global: &Global, plan: Option<&Plan>) -> Option<String> {
    global.region.clone().or_else(|| plan.and_then(|p| p.region.clone()))
}

/// The region local runs present to handlers: the chosen one, else the SDK's environment,
/// else `us-east-1` (nothing local needs a real region).
pub(crate) fn local_region(global: &Global, process: &Process, plan: &Plan) -> String {
    chosen_region(global, Some(plan)).or_else(|| aws::env_region(process)).unwrap_or_else(|| "us-east-1".into())
}

/// Finds, validates and plans the project's config for the chosen stage.
pub(crate) fn load_plan(global: &Global, process: &Process) -> Result<Plan> {
    Ok(pipeline::load(global.config.as_deref(), &process.cwd, &global.stage)?)
}

/// A declared function by name, or a usage error naming the ones there are.
pub(crate) fn find_function<'a>(plan: &'a Plan, name: &str) -> Result<(&'a Function, &'a FunctionPlan)> {
    plan.each_function().find(|(_, f)| f.name == name).ok_or_else(|| {
        let names: Vec<&str> = plan.functions.iter().map(|f| f.name.as_str()).collect();
        let help = diagnostic::suggest(name, &names, "functions");
        Error::usage(format!("no function called `{name}`"), help)
    })
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| Error::failed(e.to_string(), None))
}

/// AWS clients for this project and stage; missing region or credentials is a usage error.
pub(crate) async fn connect(global: &Global, process: &Process, plan: &Plan) -> Result<aws::Aws> {
    let region = chosen_region(global, Some(plan));
    let settings = aws::Settings {
        profile: global.profile.as_deref(),
        region: region.as_deref(),
        // `--endpoint-url`, else the SDK's own variable.
        endpoint: global.endpoint_url.as_deref().or_else(|| process.var("AWS_ENDPOINT_URL")),
    };
    aws::Aws::connect(settings).await.map_err(|e| {
        let mut fixes = Vec::new();
        if e.no_region {
            fixes.push("set `region:` in sls.yaml, pass --region, or export AWS_REGION");
        }
        if e.no_credentials.is_some() {
            fixes.push("run `aws configure`, pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        // Both at once, as `doctor` shows them: fixing one should not reveal the other.
        let problems = e.problems();
        let message = match problems.as_slice() {
            [one] => one.clone(),
            _ => crate::error::with_details("AWS is not set up:", problems),
        };
        Error::usage(message, fixes.join("; and "))
    })
}

/// A workspace that lacks a function's package is a config problem, located in `sls.yaml`.
pub(crate) fn workspace_error(config: &Config, e: WorkspaceError) -> Error {
    match e {
        WorkspaceError::Missing(problems) => config.diagnostics(problems).into(),
        other => Error::failed(other.to_string(), None),
    }
}

pub(crate) fn compile_error(e: CompileError) -> Error {
    match e {
        CompileError::Failed { output } => Error::ToolFailed {
            message: "cargo build failed".into(),
            help: Some("cargo's messages are above".into()),
            output,
        },
        other => Error::failed(other.to_string(), None),
    }
}
