//! `sls-rs logs`: a function's (or every function's) CloudWatch logs, optionally followed; at
//! a project root, every service's functions interleaved, labelled `service/function`.

use crate::cli::{Global, LogsArgs};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::logs::{self, LogLine};
use crate::pipeline::Target;
use crate::plan::graph::Graph;
use crate::plan::Plan;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, args: &LogsArgs, ui: &Ui) -> Result<()> {
    let (plan, groups) = match super::project::load_target(global, process)? {
        Target::Service(plan) => {
            let functions: Vec<&crate::plan::FunctionPlan> = match &args.function {
                Some(name) => vec![super::find_function(&plan, name)?.1],
                None => plan.functions.iter().collect(),
            };
            let groups = functions.iter().map(|f| (f.name.clone(), f.log_group.clone())).collect();
            (*plan, groups)
        }
        Target::Project(graph) => project_groups(&graph, args.function.as_deref())?,
    };
    let start = logs::parse_since(&args.since, logs::now_ms())
        .map_err(|e| Error::usage(e.to_string(), "for example --since 30m"))?;
    let labelled = groups.len() > 1;
    let width = groups.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
    let mut emit = |l: &LogLine| {
        if ui.json {
            ui.result_raw(serde_json::to_string(l).unwrap_or_default());
            return;
        }
        let time = crate::host::clock::Timestamp { millis: l.timestamp.max(0) as u128 }.iso();
        let label = if labelled { format!("{:<width$}", l.function) } else { String::new() };
        let space = if labelled { " " } else { "" };
        let message = logs::render(&l.message);
        ui.result_parts(&[(Some("36"), &label), (None, space), (Some("2"), &time), (None, " "), (None, &message)]);
    };
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, process, &plan))?;
    let filter = args.filter.as_deref();
    let note = |m: &str| ui.note(m);
    let mode = if args.poll { logs::Mode::Poll } else { logs::Mode::Live { endpoint: aws.endpoint.clone() } };
    let result = rt.block_on(async {
        if !args.tail {
            let lines = logs::fetch(&aws.logs, &groups, start, filter).await?;
            lines.iter().for_each(&mut emit);
            if lines.is_empty() {
                // Silence would look like a hang or a broken filter; stdout stays empty for scripts.
                let names: Vec<&str> = groups.iter().map(|(f, _)| f.as_str()).collect();
                let since = crate::host::clock::Timestamp { millis: start.max(0) as u128 }.iso();
                let matching = filter.map(|f| format!(" matching `{f}`")).unwrap_or_default();
                note(&format!(
                    "no log events{matching} for {} since {since} (--since {})",
                    crate::config::diagnostic::one_of(&names).replace(" or ", " and "),
                    args.since
                ));
            }
            return Ok(());
        }
        // Following ends with Ctrl-C; that is how it is meant to stop, not a failure.
        let Ok(mut interrupt) = crate::host::signal::Interrupt::listen() else {
            return logs::follow(&aws.logs, &groups, start, filter, mode, &mut emit, &note).await;
        };
        tokio::select! {
            r = logs::follow(&aws.logs, &groups, start, filter, mode, &mut emit, &note) => r,
            _ = interrupt.recv() => Ok(()),
        }
    });
    result.map_err(|e| Error::failed(e.to_string(), None))
}

/// Every service's functions as `service/function` (or the one `-f` names, as `service/function`
/// or a function name no other service has), and a plan to connect with.
fn project_groups(graph: &Graph, only: Option<&str>) -> Result<(Plan, Vec<(String, String)>)> {
    let all: Vec<(String, String)> = graph
        .order
        .iter()
        .flat_map(|&i| {
            let s = &graph.services[i];
            s.plan.functions.iter().map(move |f| (format!("{}/{}", s.key, f.name), f.log_group.clone()))
        })
        .collect();
    let groups: Vec<(String, String)> = match only {
        None => all.clone(),
        Some(name) => all
            .iter()
            .filter(|(l, _)| l == name || l.split_once('/').is_some_and(|(_, f)| f == name))
            .cloned()
            .collect(),
    };
    if groups.len() != 1 && only.is_some() {
        let labels: Vec<&str> = all.iter().map(|(l, _)| l.as_str()).collect();
        let what = if groups.is_empty() { "no function" } else { "more than one function" };
        return Err(Error::usage(
            format!("{what} called `{}` in the project", only.unwrap_or_default()),
            format!("name it as service/function: {}", crate::config::diagnostic::one_of(&labels)),
        ));
    }
    let first = graph.order.first().map(|&i| graph.services[i].plan.clone());
    let plan = first.ok_or_else(|| Error::usage("the project lists no services", "add one under `services:`"))?;
    Ok((plan, groups))
}
