//! `sls-rs remove`: confirm, then delete the stage's stack and its deployment artifacts. At a
//! project root: the selected services, consumers before the producers they read.

use crate::cli::{Global, RemoveArgs};
use crate::deploy::data::Held;
use crate::deploy::remove::{self, Consent, Outcome, Removal, RemoveError};
use crate::deploy::watch::StackEvent;
use crate::error::{with_details, Error, Result};
use crate::host::process::Process;
use crate::pipeline::Target;
use crate::plan::graph::Graph;
use crate::ui::Ui;
use std::collections::BTreeSet;

pub(super) fn run(global: &Global, process: &Process, args: &RemoveArgs, ui: &Ui) -> Result<()> {
    let (graph, picked) = match super::project::load_target(global, process)? {
        Target::Project(graph) => {
            let picked = super::project::select(&graph, &args.select, None)?;
            (*graph, picked)
        }
        Target::Service(plan) => {
            super::project::refuse_selection(&args.select, None)?;
            // A service of a project may be read by others: check them like at the root.
            match crate::pipeline::enclosing_graph(&plan.config.root, &process.cwd, &global.stage)? {
                Some((graph, i)) => (graph, BTreeSet::from([i])),
                None => return remove_alone(global, process, args, &plan, ui),
            }
        }
    };
    let stacks: Vec<&str> = picked.iter().map(|&i| graph.services[i].plan.stack_name.as_str()).collect();
    if !confirm(ui, &stacks.join(", "))? {
        return Ok(());
    }
    let rt = super::runtime()?;
    let aws = rt.block_on(super::project::connect(global, process, &graph, &picked))?;
    if !args.force {
        let readers = rt.block_on(deployed_readers(&aws, &graph, &picked))?;
        if !readers.is_empty() {
            return Err(Error::usage(
                with_details(
                    "other deployed services read outputs of what would be removed, so nothing was removed",
                    readers.iter().map(|(reader, stack, of)| format!("`{reader}` ({stack}) reads `{of}`")),
                ),
                "remove them too (add them to --service, or run at the project root), or pass --force",
            ));
        }
    }
    // Consumers first: a producer goes only once nothing deployed reads it.
    let order: Vec<usize> = graph.order.iter().rev().copied().filter(|i| picked.contains(i)).collect();
    // Every service's data is found before any stack goes: one answer covers them all.
    let stacks: Vec<(Option<&str>, &str)> = order
        .iter()
        .map(|&i| (Some(graph.services[i].key.as_str()), graph.services[i].plan.stack_name.as_str()))
        .collect();
    let consent = consent(ui, &rt, &aws, &stacks, args)?;
    let mut done = Vec::new();
    for i in order {
        let plan = &graph.services[i].plan;
        match remove_one(ui, &rt, &aws, &plan.stack_name, consent, Some(&graph.services[i].key)) {
            Ok(r) => done.push((graph.services[i].key.clone(), r)),
            Err(e) => {
                let removed: Vec<&str> = done.iter().map(|(k, _)| k.as_str()).collect();
                let so_far = if removed.is_empty() {
                    "nothing removed yet".into()
                } else {
                    format!("removed so far: {}", removed.join(", "))
                };
                ui.warn(format!(
                    "stopped at `{}` ({so_far}); the services it reads are untouched",
                    graph.services[i].key
                ));
                return Err(e);
            }
        }
    }
    if ui.json {
        let services: Vec<_> = done
            .iter()
            .map(|(k, r)| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["service"] = k.clone().into();
                v
            })
            .collect();
        ui.result_json(&serde_json::json!({ "status": "ok", "services": services }));
        return Ok(());
    }
    for (key, r) in &done {
        render(ui, r, &format!("[{key}] "));
    }
    Ok(())
}

/// A service outside any project: the stack alone.
fn remove_alone(
    global: &Global,
    process: &Process,
    args: &RemoveArgs,
    plan: &crate::plan::Plan,
    ui: &Ui,
) -> Result<()> {
    let stack = &plan.stack_name;
    if !confirm(ui, stack)? {
        return Ok(());
    }
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, process, plan))?;
    let consent = consent(ui, &rt, &aws, &[(None, stack)], args)?;
    let removal = remove_one(ui, &rt, &aws, stack, consent, None)?;
    if ui.json {
        ui.result_json(&serde_json::to_value(&removal).unwrap_or_default());
    } else {
        render(ui, &removal, "");
    }
    Ok(())
}

/// Whether to go on; `false` after the user declined (and was told nothing was removed).
fn confirm(ui: &Ui, stacks: &str) -> Result<bool> {
    if ui.yes {
        return Ok(true);
    }
    if !ui.interactive {
        return Err(Error::usage(
            format!("removing {stacks} needs confirmation"),
            "pass --yes to remove without a terminal",
        ));
    }
    let ok = crate::ui::prompt::confirm(&format!("Remove stack {stacks} and everything in it?"), false).inspect_err(
        |e| {
            if matches!(e, Error::Interrupted) {
                ui.warn("interrupted; nothing removed");
            }
        },
    )?;
    if !ok {
        ui.warn("nothing removed");
    }
    Ok(ok)
}

/// The consent to destroy the data `stacks` hold: from the flags, or on a terminal from a
/// question that lists every bucket and table holding data. Anything held that is not
/// consented to stops the removal here, before any stack is touched.
fn consent(
    ui: &Ui,
    rt: &tokio::runtime::Runtime,
    aws: &crate::aws::Aws,
    stacks: &[(Option<&str>, &str)],
    args: &RemoveArgs,
) -> Result<Consent> {
    let given = Consent { buckets: args.delete_data || args.empty_buckets, tables: args.delete_data };
    let mut held: Vec<(Option<&str>, Held)> = Vec::new();
    for &(service, stack) in stacks {
        let found = rt.block_on(remove::inspect(aws, stack)).map_err(|e| removal_error(stack, e))?;
        held.extend(found.unwrap_or_default().held.into_iter().map(|h| (service, h)));
    }
    let line = |(service, h): &(Option<&str>, Held)| match service {
        Some(k) => format!("[{k}] {h}"),
        None => h.to_string(),
    };
    let refused: Vec<String> = held.iter().filter(|(_, h)| !given.covers(h)).map(line).collect();
    if refused.is_empty() {
        return Ok(given);
    }
    if ui.interactive {
        ui.note("removing would destroy this data:");
        for l in &refused {
            ui.note(format!("  {l}"));
        }
        let ok = crate::ui::prompt::confirm("Destroy it?", false).inspect_err(|e| {
            if matches!(e, Error::Interrupted) {
                ui.warn("interrupted; nothing removed");
            }
        })?;
        if ok {
            return Ok(Consent { buckets: true, tables: true });
        }
    }
    Err(data_held(refused))
}

fn data_held(lines: Vec<String>) -> Error {
    Error::failed(
        with_details("these hold data, so nothing was removed", lines),
        Some("pass --delete-data to destroy it with the stack (--empty-buckets: buckets only), or move it first; --yes alone never does".into()),
    )
}

/// Deployed services outside `removing` that read one of `removing`: (reader, its stack, what).
async fn deployed_readers(
    aws: &crate::aws::Aws,
    graph: &Graph,
    removing: &BTreeSet<usize>,
) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for (j, s) in graph.services.iter().enumerate().filter(|(j, _)| !removing.contains(j)) {
        let reads: Vec<usize> = graph.needs(j).into_iter().filter(|i| removing.contains(i)).collect();
        if reads.is_empty() {
            continue;
        }
        // Deployed is decided by AWS, not by the local config: a stack that exists still reads.
        if crate::deploy::stack::describe(&aws.cfn, &s.plan.stack_name).await?.is_some() {
            for i in reads {
                out.push((s.key.clone(), s.plan.stack_name.clone(), graph.services[i].key.clone()));
            }
        }
    }
    Ok(out)
}

fn remove_one(
    ui: &Ui,
    rt: &tokio::runtime::Runtime,
    aws: &crate::aws::Aws,
    stack: &str,
    consent: Consent,
    service: Option<&str>,
) -> Result<Removal> {
    let label = service.map(|k| format!("[{k}] ")).unwrap_or_default();
    let notice = |n: crate::deploy::Notice| ui.note(format!("{label}{}", super::steps::notice_line(&n)));
    let mut live = ui.live.then(|| crate::ui::progress::StackProgress::new(ui.color));
    let mut on_event = |e: &StackEvent| match live.as_mut() {
        Some(view) => view.event(e),
        None => ui.stack_event(service, e),
    };
    let result = rt.block_on(remove::remove(aws, stack, consent, &notice, &mut on_event));
    result.map_err(|e| removal_error(stack, e))
}

fn removal_error(stack: &str, e: RemoveError) -> Error {
    match e {
        RemoveError::DataHeld(held) => data_held(held.iter().map(|h| h.to_string()).collect()),
        RemoveError::Failed { stack, status, failures } => Error::failed(
            with_details(
                format!("removing {stack} stopped at {status}"),
                failures
                    .iter()
                    .take(3)
                    .map(|f| format!("{} {}: {}", f.status, f.logical_id, f.reason.as_deref().unwrap_or(""))),
            ),
            Some(
                "fix the cause listed and run `sls-rs remove` again; the resources that remain are still in the stack"
                    .into(),
            ),
        ),
        RemoveError::Unchecked(u) => Error::failed(
            format!("{u}, so nothing was removed from {stack}"),
            Some("allow sls-rs to read it (s3:ListBucketVersions, dynamodb:Scan and DescribeTable), or check the endpoint, and run `sls-rs remove` again".into()),
        ),
        RemoveError::Aws(e) => Error::failed(e.to_string(), None),
    }
}

fn render(ui: &Ui, removal: &Removal, label: &str) {
    let stack = &removal.stack;
    match removal.status {
        Outcome::Absent => ui.success(format!("{label}{stack} does not exist; nothing to remove")),
        Outcome::Removed => {
            ui.success(format!("{label}removed {stack} ({} artifact(s) deleted)", removal.artifacts_deleted));
            for id in &removal.retained {
                ui.result(format!("{label}kept (removal: retain)  {id}"));
            }
        }
    }
}
