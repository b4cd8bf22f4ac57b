//! `sls-rs dev`: config → native builds → the local HTTP API with warm handlers, the stage's
//! resources on a local AWS endpoint and the triggers between them, rebuilt on save.

use crate::cli::{DevArgs, Global};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::local::endpoint::services::{self, Choice, ServicesError};
use crate::local::session::dev::{self, Cause, Delivery, DevEvent};
use crate::pipeline::Target;
use crate::ui::Ui;
use std::path::Path;

pub(super) fn run(global: &Global, process: &Process, args: &DevArgs, ui: &Ui) -> Result<()> {
    let services = match (&args.aws_endpoint, args.no_local_aws) {
        (_, true) => None,
        (None, false) => Some(Choice::Start),
        (Some(url), false) => {
            // Refused before anything builds: consuming someone's real queues is never a default.
            if !args.remote && !services::is_loopback(url) {
                return Err(not_loopback(url));
            }
            Some(Choice::Use { url: url.clone(), remote: args.remote })
        }
    };
    let project = project(global, process, args, ui)?;
    let opts = dev::Options {
        host: args.host.clone(),
        port: args.port,
        max_instances: args.max_instances,
        watch: !args.no_watch,
        services,
        allow_hosts: args.allow_host.clone(),
        expose_control: args.expose_control,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed(e.to_string(), None))?;
    let report: dev::Reporter = {
        let ui = ui.clone();
        std::sync::Arc::new(move |e| show(&ui, &e))
    };
    rt.block_on(dev::serve(project, opts, report)).map_err(|e| match e {
        dev::DevError::Compile(c) => super::compile_error(c),
        dev::DevError::Bind { addr, source } => {
            Error::failed(format!("cannot listen on {addr}: {source}"), Some("pick another port with --port".into()))
        }
        dev::DevError::Services(ServicesError::MotoMissing) => Error::failed(
            "cannot start the local AWS endpoint: moto_server is not installed",
            Some("run `./install.sh --tools-only` from the sls-rs checkout (it installs moto into the sls-rs venv), or `pip install 'moto[server]'`; or pass --aws-endpoint URL, or --no-local-aws".into()),
        ),
        dev::DevError::Services(ServicesError::NotLoopback { url }) => not_loopback(&url),
        other => Error::failed(other.to_string(), None),
    })
}

/// The service here, or at a project root every service (producers first), each with the
/// Cargo workspace it builds in.
fn project(global: &Global, process: &Process, args: &DevArgs, ui: &Ui) -> Result<dev::Project> {
    let target = super::project::load_target(global, process)?;
    let root = match &target {
        Target::Service(plan) => plan.config.root.clone(),
        Target::Project(graph) => graph.project.root.clone(),
    };
    let plans = target.into_plans();
    let region = super::local_region(global, process, &plans[0].1);
    let (workspaces, index) =
        crate::build::workspace::for_plans(&plans.iter().map(|(_, p)| p).collect::<Vec<_>>(), process)
            .map_err(|(i, e)| super::workspace_error(&plans[i].1.config, e))?;
    let units = plans
        .into_iter()
        .zip(index)
        .map(|((key, plan), workspace)| dev::Unit { key, plan, workspace, local: None, api: None })
        .collect();
    let process = process.clone();
    Ok(dev::Project { units, workspaces, root, region, release: args.release, echo: ui.verbose > 0, process })
}

fn not_loopback(url: &str) -> Error {
    Error::usage(
        format!("{url} is not on this machine: `dev` attaches triggers only to a loopback endpoint"),
        "triggers consume the messages they read; pass --remote if you mean to read that endpoint's queues",
    )
}

/// One line on stderr per event for people (quiet with `-q`, save failures); NDJSON on stdout
/// with `--output json`.
fn show(ui: &Ui, e: &DevEvent) {
    if ui.json {
        ui.result_raw(serde_json::to_string(e).unwrap_or_default());
        return;
    }
    let line = match e {
        DevEvent::Built { handlers, seconds } => format!("built {handlers} handler(s) in {seconds:.1} s"),
        DevEvent::Route { method, base, path, function, auth: None } => {
            format!("  {method:<7} {base}{path:<30} → {function}")
        }
        DevEvent::Route { method, base, path, function, auth: Some(auth) } => {
            format!("  {method:<7} {base}{path:<30} → {function}  ({auth} auth: not checked locally)")
        }
        DevEvent::Listening { url, service: None } => format!(
            "  POST    {url}/__sls/invoke/<function>    any event, any function\nlistening on {url} (Ctrl-C to stop)"
        ),
        DevEvent::Listening { url, service: Some(service) } => format!(
            "  POST    {url}/__sls/invoke/<service>/<function>    any event, any function\nlistening on {url} for {service} (Ctrl-C to stop)"
        ),
        DevEvent::OutputsMissing { references, project_root } => {
            let how = if *project_root {
                "raw outputs are not evaluated locally"
            } else {
                "run `sls-rs dev` at the project root to run those services too"
            };
            return ui.warn(format!("empty here: {} ({how})", references.join(", ")));
        }
        DevEvent::Request { method, path, function, status, ms, trace } => {
            let trace = trace.as_deref().map(short_trace).unwrap_or_default();
            format!("{method} {path} → {} {status} {ms} ms{trace}", function.as_deref().unwrap_or("-"))
        }
        DevEvent::Invoked { function, ms, trace } => format!("invoke {function} {ms} ms{}", short_trace(trace)),
        DevEvent::HandlerError { function, error_type, message } => {
            return ui.passthrough(format!("[{function}] {error_type}: {message}"))
        }
        DevEvent::StartFailed { function, reason } => {
            return ui.passthrough(format!("[{function}] cannot start the handler: {reason}"))
        }
        DevEvent::WaitingForBuild { target_dir } => super::steps::waiting_line(Path::new(target_dir)),
        DevEvent::Rebuilding => "change detected; rebuilding".into(),
        DevEvent::Swapped { seconds } => format!("rebuilt in {seconds:.1} s; handlers swapped"),
        DevEvent::RebuildFailed { reason, output } => {
            let output = output.as_deref().map(|o| format!("{o}\n")).unwrap_or_default();
            return ui.passthrough(format!("{output}{reason}; still serving the previous handlers"));
        }
        DevEvent::WatchUnavailable { reason } => {
            return ui.warn(format!("cannot watch for changes ({reason}); restart `sls-rs dev` after editing"))
        }
        DevEvent::LocalAws { url, started, log, resources, seconds } => {
            let whose = if *started {
                format!("moto, started in {seconds:.1} s; state ends with `dev`")
            } else {
                "yours".into()
            };
            let mut out = format!("local AWS at {url} ({whose})");
            if let Some(log) = log {
                out.push_str(&format!("\n  log: {log}"));
            }
            for r in resources {
                out.push_str(&format!("\n  {:<6} {:<14} {}\n      {}", r.kind, r.name, r.address, r.inspect));
            }
            out
        }
        DevEvent::Exposed { host, control } => {
            let control = if *control {
                "and so are its control routes (--expose-control): anyone there can invoke any function with any event"
            } else {
                "its control routes (/__sls/*) still answer only this machine"
            };
            return ui.warn(format!(
                "listening on {host}: every handler is reachable from other machines, with your local AWS (or, with --no-local-aws, your own credentials); {control}"
            ));
        }
        DevEvent::Remote { url, account, region } => {
            return ui.warn(format!("--remote: triggers consume queues of account {account} in {region} at {url}"))
        }
        DevEvent::Triggered { function, cause, ms, delivery, trace, caused } => {
            let outcome = match delivery {
                Delivery::Ok => "ok".to_string(),
                Delivery::PartialFailure { failed, of, dead_lettered } => {
                    format!("{failed} of {of} failed{}", dead(*dead_lettered))
                }
                Delivery::Error { error_type, message, dead_lettered, retry } => {
                    let then = if *retry { "; will retry" } else { "" };
                    format!("{error_type}: {message}{}{then}", dead(*dead_lettered))
                }
            };
            // What an earlier invocation caused is shown as its child, under the same trace.
            let child = if *caused { "  ↳ " } else { "" };
            format!("{child}{} → {function} {ms} ms {outcome}{}", cause_text(cause), short_trace(trace))
        }
        DevEvent::TriggerTrouble { function, what, reason } => {
            return ui.warn(format!("[{function}] cannot read {what}: {reason}"))
        }
        DevEvent::Stopped => "stopped".into(),
    };
    ui.note(line);
}

/// ` [b424e7f0]`: enough of a trace root to tell chains apart by eye.
fn short_trace(root: &str) -> String {
    match root.rsplit('-').next().filter(|id| id.len() >= 8) {
        Some(id) => format!(" [{}]", &id[..8]),
        None => String::new(),
    }
}

fn dead(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} to the dead-letter queue")
    }
}

/// What started an invocation, as a reader of the log wants it.
fn cause_text(c: &Cause) -> String {
    match c {
        Cause::Queue { queue, messages } => {
            format!("queue {queue} ({messages} message{})", if *messages == 1 { "" } else { "s" })
        }
        Cause::Upload { bucket, key, size } => format!("upload {bucket}/{key} ({size} B)"),
        Cause::Topic { topic, message_id } => format!("topic {topic} ({message_id})"),
        Cause::EventBridge { bus, source, detail_type } => format!("event {source}/{detail_type} on {bus}"),
        Cause::Stream { table, records, first, last } if first == last || *records == 1 => {
            format!("stream {table} ({records} × {first})")
        }
        Cause::Stream { table, records, first, last } => format!("stream {table} ({records}: {first}…{last})"),
        Cause::Schedule { expression, manual: true } => format!("schedule {expression} (fired by hand)"),
        Cause::Schedule { expression, .. } => format!("schedule {expression}"),
    }
}
