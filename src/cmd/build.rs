//! `sls-rs build`: plan → build (cargo lambda, zips) → manifest with artifact hashes; at a
//! project root, every service in dependency order.

use crate::build;
use crate::cli::{BuildArgs, Global};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, args: &BuildArgs, ui: &Ui) -> Result<()> {
    let opts = build::Options { release: !args.debug, only: args.function.clone(), echo: ui.verbose > 0, process };
    let plans = super::project::load_target(global, process)?.into_plans();
    if plans.len() > 1 && !args.function.is_empty() {
        return Err(Error::usage("-f names a function of one service", "run it in that service's directory"));
    }
    let built: Vec<(Option<&str>, &crate::plan::Plan)> = plans
        .iter()
        .filter(|(key, plan)| key.is_none() || !plan.functions.is_empty())
        .map(|(key, plan)| (key.as_deref(), plan))
        .collect();
    let reports = super::steps::build_all(&built, &opts, ui)?;
    let mut docs = Vec::new();
    for ((key, plan), report) in built.into_iter().zip(reports) {
        let label = key.map(|k| format!("[{k}] ")).unwrap_or_default();
        let manifest = super::steps::package(plan, ui)?.manifest_path;
        if !ui.json {
            ui.success(format!("{label}built {} function(s) in {:.1} s", report.functions.len(), report.seconds));
            for b in &report.functions {
                ui.result(format!("{label}{}  {}  {}", b.function, super::steps::shown(process, &b.path), b.sha256));
            }
        }
        let mut doc = serde_json::json!({
            "functions": report.functions,
            "seconds": report.seconds,
            "cargo": report.cargo,
            "manifest": manifest,
        });
        if let Some(key) = key {
            doc["service"] = key.into();
        }
        docs.push(doc);
    }
    super::project::result_json(ui, docs);
    Ok(())
}
