//! Commands at a project root: which services the arguments pick, and one AWS connection for
//! all of them.

use crate::cli::{Global, SelectArgs};
use crate::config::diagnostic;
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::pipeline::Target;
use crate::plan::graph::{Graph, Selection};
use std::collections::BTreeSet;

pub(crate) fn load_target(global: &Global, process: &Process) -> Result<Target> {
    Ok(crate::pipeline::load_target(global.config.as_deref(), &process.cwd, &global.stage)?)
}

/// The JSON result of a command run on one service (its document) or on a project's (each
/// document naming its `service`, under `services`).
pub(crate) fn result_json(ui: &crate::ui::Ui, mut docs: Vec<serde_json::Value>) {
    if !ui.json {
        return;
    }
    match docs.first() {
        Some(d) if docs.len() == 1 && d.get("service").is_none() => ui.result_json(&docs.remove(0)),
        _ => ui.result_json(&serde_json::json!({ "services": docs })),
    }
}

/// `--service` and friends belong to project roots; in a service's directory they would be
/// silently meaningless, so they are refused.
pub(crate) fn refuse_selection(select: &SelectArgs, changed_since: Option<&str>) -> Result<()> {
    if !select.service.is_empty() || select.with_dependencies || select.with_dependents || changed_since.is_some() {
        return Err(Error::usage(
            "--service, --with-dependencies, --with-dependents and --changed-since work at a project root",
            "run the command in the directory whose sls.yaml lists `services:`",
        ));
    }
    Ok(())
}

/// The services the arguments pick, as indices into the graph.
pub(crate) fn select(graph: &Graph, select: &SelectArgs, changed_since: Option<&str>) -> Result<BTreeSet<usize>> {
    if (select.with_dependencies || select.with_dependents) && select.service.is_empty() {
        return Err(Error::usage(
            "--with-dependencies and --with-dependents extend --service",
            "name the services: `--service users --with-dependents`",
        ));
    }
    let changed = changed_since.map(|r| changed_files(&graph.project.root, r)).transpose()?;
    let selection = Selection {
        services: select.service.clone(),
        with_dependencies: select.with_dependencies,
        with_dependents: select.with_dependents,
        changed,
    };
    graph.select(&selection).map_err(|unknown| {
        let keys: Vec<&str> = graph.services.iter().map(|s| s.key.as_str()).collect();
        let help = diagnostic::suggest(&unknown, &keys, "the project's services");
        Error::usage(format!("no service called `{unknown}` in the project"), help)
    })
}

/// Files changed since `git_ref`, or the error a user can act on.
fn changed_files(root: &std::path::Path, git_ref: &str) -> Result<Vec<std::path::PathBuf>> {
    use crate::host::git::{self, GitError};
    git::changed_files(root, git_ref).map_err(|e| match e {
        GitError::Spawn(_) => Error::failed(e.to_string(), Some("--changed-since needs git on PATH".into())),
        GitError::Refused { .. } => {
            Error::usage(e.to_string(), "name a commit, branch or tag this repository has (`git fetch` it first in CI)")
        }
    })
}

/// One connection for the project: every selected service must deploy to the same region.
pub(crate) async fn connect(
    global: &Global,
    process: &Process,
    graph: &Graph,
    picked: &BTreeSet<usize>,
) -> Result<crate::aws::Aws> {
    let regions: BTreeSet<Option<String>> =
        picked.iter().map(|&i| super::chosen_region(global, Some(&graph.services[i].plan))).collect();
    if regions.len() > 1 {
        return Err(Error::usage(
            "the selected services name different regions",
            "deploy them from their own directories, or give them one `region:` (or pass --region)",
        ));
    }
    let first = picked.iter().next().map(|&i| &graph.services[i].plan);
    match first {
        Some(plan) => super::connect(global, process, plan).await,
        None => Err(Error::usage("no service selected", "name services with --service")),
    }
}
