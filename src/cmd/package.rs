//! `sls-rs package`: plan → synth → `.sls/<stage>/template.json` and `manifest.json`; at a
//! project root, for every service (offline: other services' outputs stay parameters).

use super::steps::shown;
use crate::cli::Global;
use crate::error::Result;
use crate::host::process::Process;
use crate::pipeline::Packaged;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, ui: &Ui) -> Result<()> {
    let plans = super::project::load_target(global, process)?.into_plans();
    let mut docs = Vec::new();
    for (key, plan) in &plans {
        let packaged = super::steps::package(plan, ui)?;
        docs.push(document(key.as_deref(), &packaged));
        if !ui.json {
            let m = &packaged.synthesis.manifest;
            let label = key.as_ref().map(|k| format!("[{k}] ")).unwrap_or_default();
            ui.success(format!("{label}packaged {} ({} resources)", m.stack_name, m.resource_count));
            ui.result(format!(
                "{label}template  {}\n{label}manifest  {}",
                shown(process, &packaged.template_path),
                shown(process, &packaged.manifest_path)
            ));
            for r in &m.references {
                ui.result(format!(
                    "{label}reads     {}.{} (stack {}) as {}",
                    r.service, r.output, r.stack, r.parameter
                ));
            }
        }
    }
    super::project::result_json(ui, docs);
    Ok(())
}

fn document(key: Option<&str>, packaged: &Packaged) -> serde_json::Value {
    let m = &packaged.synthesis.manifest;
    let mut doc = serde_json::json!({
        "stack": m.stack_name,
        "stage": m.stage,
        "template": packaged.template_path,
        "manifest": packaged.manifest_path,
        "resources": m.resource_count,
        "functions": m.artifacts.iter().map(|a| &a.function).collect::<Vec<_>>(),
        "references": m.references,
    });
    if let Some(key) = key {
        doc["service"] = key.into();
    }
    doc
}
