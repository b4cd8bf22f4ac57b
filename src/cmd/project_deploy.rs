//! `sls-rs deploy` at a project root: build and package the selected services, deploy them
//! (`deploy::project`: eagerly, a bounded number at once), and draw what happens — a row per
//! service on a terminal, labelled lines or NDJSON elsewhere — then sum up every service.

use crate::cli::{DeployArgs, Global};
use crate::deploy::order::Ended;
use crate::deploy::project::{self, Event};
use crate::deploy::{self, DeployError, Outcome, Report};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::plan::graph::Graph;
use crate::ui::Ui;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(super) fn run(global: &Global, process: &Process, args: &DeployArgs, graph: &Graph, ui: &Ui) -> Result<()> {
    if args.function.is_some() {
        return Err(Error::usage("-f updates one function's code", "run it in the service's directory"));
    }
    let picked = super::project::select(graph, &args.select, args.changed_since.as_deref())?;
    let keys = |set: &BTreeSet<usize>| set.iter().map(|&i| graph.services[i].key.as_str()).collect::<Vec<_>>();
    if picked.is_empty() {
        ui.success("no service changed; nothing to deploy");
        if ui.json {
            ui.result_json(&serde_json::json!({ "status": "ok", "services": [] }));
        }
        return Ok(());
    }
    ui.note(format!(
        "deploying {} of {} service(s) to stage {}: {}",
        picked.len(),
        graph.services.len(),
        graph.stage,
        keys(&picked).join(", ")
    ));
    if ui.interactive && !crate::ui::prompt::confirm("Deploy them?", true)? {
        ui.warn("nothing deployed");
        return Ok(());
    }
    let rt = super::runtime()?;
    let aws = rt.block_on(super::project::connect(global, process, graph, &picked))?;
    if !args.skip_build {
        let services: Vec<_> = picked
            .iter()
            .map(|&i| (Some(graph.services[i].key.as_str()), &graph.services[i].plan))
            .filter(|(_, plan)| !plan.functions.is_empty())
            .collect();
        let opts = crate::build::Options { release: true, only: Vec::new(), echo: ui.verbose > 0, process };
        super::steps::build_all(&services, &opts, ui)?;
    }
    let mut packaged = Vec::new();
    for &i in &picked {
        packaged.push((i, super::steps::package(&graph.services[i].plan, ui)?));
    }
    // Once, before services race to create the bootstrap stack that holds it.
    let notice = |n: deploy::Notice| ui.note(super::steps::notice_line(&n));
    rt.block_on(async {
        let account = aws.account_id().await?;
        crate::deploy::bucket::ensure(&aws, &account, &notice).await
    })
    .map_err(super::steps::deploy_error)?;
    let needs: Vec<BTreeSet<usize>> = (0..graph.services.len()).map(|i| graph.needs(i)).collect();
    let steps: Vec<Mutex<deploy::Step>> = graph.services.iter().map(|_| Mutex::new(deploy::Step::Preparing)).collect();
    let started: Vec<Mutex<Option<Instant>>> = graph.services.iter().map(|_| Mutex::new(None)).collect();
    let took: Vec<Mutex<Option<Duration>>> = graph.services.iter().map(|_| Mutex::new(None)).collect();
    let label = |i: usize| format!("[{}]", graph.services[i].key);
    // On a terminal, one row per service; otherwise plain lines labelled `[service]`.
    let view = ui.live.then(|| {
        let rows: Vec<_> = picked
            .iter()
            .map(|&i| {
                let waits = graph.needs(i).into_iter().filter(|j| picked.contains(j));
                (i, graph.services[i].key.clone(), waits.map(|j| graph.services[j].key.clone()).collect())
            })
            .collect();
        crate::ui::progress::ServicesProgress::new(&rows, ui.color)
    });
    let live = view.as_ref();
    let on = |e: Event| match e {
        Event::Started(i) => {
            *started[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
            match live {
                Some(view) => view.started(i),
                None => ui.note(format!("{} deploying {}", label(i), graph.services[i].plan.stack_name)),
            }
            json_line(ui, i, graph, serde_json::json!({ "phase": "started" }));
        }
        Event::Finished { index, ok } => {
            let t = started[index].lock().unwrap_or_else(|e| e.into_inner()).map(|t| t.elapsed());
            *took[index].lock().unwrap_or_else(|e| e.into_inner()) = t;
            if let Some(view) = live {
                view.finished(index, ok);
            }
            json_line(ui, index, graph, serde_json::json!({ "phase": "finished", "ok": ok }));
        }
        Event::Skipped { index, because } => {
            match live {
                Some(view) => view.skipped(index, &graph.services[because].key),
                None => ui.warn(format!("{} skipped: `{}` did not deploy", label(index), graph.services[because].key)),
            }
            let because = &graph.services[because].key;
            json_line(ui, index, graph, serde_json::json!({ "phase": "skipped", "because": because }));
        }
        Event::Notice(i, n) => match live {
            Some(view) => view.step(i, &super::steps::notice_line(&n)),
            None => ui.note(format!("{} {}", label(i), super::steps::notice_line(&n))),
        },
        Event::Stack(i, e) => match live {
            Some(view) => view.event(i, e),
            None => ui.stack_event(Some(&graph.services[i].key), e),
        },
        // One question was asked for the whole project; each service's changes are shown.
        Event::Changes(i, changes) => {
            for c in changes.iter().filter(|_| !ui.json) {
                let line = format!("  {:<8} {:<36} {}", c.action, c.logical_id, c.resource_type);
                match live {
                    Some(view) => view.line(i, &line),
                    None => ui.note(format!("{} {line}", label(i))),
                }
            }
        }
    };
    let opts = deploy::Options { no_wait: args.no_wait };
    let services: BTreeMap<usize, project::Service> = packaged
        .iter()
        .map(|(i, p)| {
            let root = graph.services[*i].plan.config.root.as_path();
            (*i, project::Service { manifest: &p.synthesis.manifest, template: &p.template, root })
        })
        .collect();
    let concurrency = usize::from(args.concurrency);
    let work = project::deploy_all(&aws, &needs, &services, &opts, concurrency, &steps, &on);
    let ended = rt.block_on(async {
        // Made before the deploys' first poll, which already sends requests.
        let mut interrupt = crate::host::signal::Interrupt::listen()?;
        tokio::select! {
            ended = work => Ok(Some(ended)),
            _ = interrupt.recv() => Ok(None),
        }
    });
    let ended = ended.map_err(|e: std::io::Error| Error::failed(format!("cannot handle Ctrl-C: {e}"), None))?;
    // The rows end before anything else is said under them.
    drop(view);
    let Some(ended) = ended else {
        for (i, step) in steps.iter().enumerate() {
            let step = step.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if step != deploy::Step::Preparing {
                super::steps::interrupted(ui, &rt, &aws, &graph.services[i].plan.stack_name, &graph.stage, &step);
            }
        }
        return Err(Error::Interrupted);
    };
    let took: Vec<Option<Duration>> =
        took.into_iter().map(|t| t.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
    summarize(ui, graph, ended, &took, &steps)
}

/// NDJSON progress for `--output json`: every line names its service.
fn json_line(ui: &Ui, i: usize, graph: &Graph, mut body: serde_json::Value) {
    if ui.json {
        body["service"] = graph.services[i].key.clone().into();
        ui.ndjson(&body);
    }
}

fn summarize(
    ui: &Ui,
    graph: &Graph,
    ended: Vec<Option<Ended<Report, DeployError>>>,
    took: &[Option<Duration>],
    steps: &[Mutex<deploy::Step>],
) -> Result<()> {
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (i, e) in ended.into_iter().enumerate() {
        let s = &graph.services[i];
        let seconds = took[i].map(|d| (d.as_secs_f64() * 10.0).round() / 10.0);
        let mut row = serde_json::json!({ "service": s.key, "stack": s.plan.stack_name, "seconds": seconds });
        let (outcome, detail) = match e {
            None => ("not selected", String::new()),
            Some(Ended::Done(r)) => {
                row["changes"] = r.changes.len().into();
                row["outputs"] = serde_json::to_value(&r.outputs).unwrap_or_default();
                match r.status {
                    Outcome::Deployed => ("deployed", format!("{} change(s)", r.changes.len())),
                    Outcome::Unchanged => ("unchanged", String::new()),
                    Outcome::Cancelled => ("cancelled", String::new()),
                }
            }
            Some(Ended::Failed(err)) => {
                if matches!(err, DeployError::Aws(_)) {
                    let step = steps[i].lock().unwrap_or_else(|e| e.into_inner()).clone();
                    super::steps::cut_off(ui, &s.plan.stack_name, &graph.stage, &step);
                }
                let err = super::steps::deploy_error(err);
                let text = err.to_string();
                row["error"] = text.clone().into();
                failed.push((s.key.clone(), err));
                ("failed", text.lines().next().unwrap_or_default().to_string())
            }
            Some(Ended::Skipped { because }) => {
                let by = &graph.services[because].key;
                row["because"] = by.clone().into();
                ("skipped", format!("`{by}` did not deploy"))
            }
        };
        row["outcome"] = outcome.into();
        rows.push((s.key.clone(), s.plan.stack_name.clone(), outcome, seconds, detail, row));
    }
    if ui.json {
        let services: Vec<_> = rows.iter().map(|r| r.5.clone()).collect();
        let status = if failed.is_empty() { "ok" } else { "failed" };
        ui.result_json(&serde_json::json!({ "status": status, "stage": graph.stage, "services": services }));
    } else {
        for (key, stack, outcome, seconds, detail, _) in &rows {
            let t = seconds.map(|s| format!("{s:.1} s")).unwrap_or_default();
            ui.result(format!("{key:<16} {stack:<32} {outcome:<12} {t:>7}  {detail}").trim_end());
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = failed.iter().map(|(k, _)| format!("`{k}`")).collect();
    let details = failed.iter().map(|(k, e)| format!("{k}: {e}"));
    Err(Error::Reported {
        message: crate::error::with_details(format!("{} failed to deploy", names.join(", ")), details),
        help: failed.first().and_then(|(_, e)| miette::Diagnostic::help(e).map(|h| h.to_string())),
    })
}
