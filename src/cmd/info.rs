//! `sls-rs info`: the stage's stack status and outputs, and each function as Lambda sees it;
//! at a project root, every service's in dependency order.

use crate::cli::Global;
use crate::deploy::remote;
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::pipeline::Target;
use crate::plan::Plan;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, ui: &Ui) -> Result<()> {
    let graph = match super::project::load_target(global, process)? {
        Target::Service(plan) => {
            let rt = super::runtime()?;
            let aws = rt.block_on(super::connect(global, process, &plan))?;
            let doc = rt.block_on(show(global, ui, &aws, &plan))?;
            if ui.json {
                ui.result_json(&doc);
            }
            return Ok(());
        }
        Target::Project(graph) => graph,
    };
    let all = (0..graph.services.len()).collect();
    let rt = super::runtime()?;
    let aws = rt.block_on(super::project::connect(global, process, &graph, &all))?;
    let mut docs = Vec::new();
    for &i in &graph.order {
        let s = &graph.services[i];
        if !ui.json {
            ui.result(format!("{}[{}]", if docs.is_empty() { "" } else { "\n" }, s.key));
        }
        let mut doc = rt.block_on(show(global, ui, &aws, &s.plan))?;
        doc["service"] = s.key.clone().into();
        docs.push(doc);
    }
    if ui.json {
        ui.result_json(&serde_json::json!({ "services": docs }));
    }
    Ok(())
}

/// One stack: printed for people, returned as JSON.
async fn show(global: &Global, ui: &Ui, aws: &crate::aws::Aws, plan: &Plan) -> Result<serde_json::Value> {
    let stack_name = &plan.stack_name;
    let functions: Vec<(&str, &str)> =
        plan.functions.iter().map(|f| (f.name.as_str(), f.physical_name.as_str())).collect();
    let info = remote::info(aws, stack_name, &functions).await.map_err(|e| Error::failed(e.to_string(), None))?;
    let Some((state, rows)) = info else {
        if !ui.json {
            ui.result(format!("{stack_name} is not deployed (run `sls-rs deploy --stage {}`)", global.stage));
        }
        return Ok(serde_json::json!({ "stack": stack_name, "status": null }));
    };
    let doc = serde_json::json!({
        "stack": stack_name, "region": aws.region, "status": state.status.as_str(),
        "outputs": state.outputs, "functions": rows,
    });
    if ui.json {
        return Ok(doc);
    }
    ui.result(format!(
        "stack      {stack_name} ({})\nregion     {}\nstatus     {}",
        global.stage, aws.region, state.status
    ));
    if let Some(url) = state.outputs.get("ApiUrl") {
        ui.result(format!("endpoint   {url}"));
    }
    ui.result("\nfunctions");
    for f in &rows {
        let s = f.state.as_ref();
        let size = s.map(|s| format!("{:.1} MB", s.code_size as f64 / 1_048_576.0)).unwrap_or_default();
        ui.result(format!(
            "  {:<22} {:<7} {:>5} MB {:>5}  {}  {}",
            f.function,
            s.and_then(|s| s.arch.as_deref()).unwrap_or("-"),
            s.and_then(|s| s.memory).unwrap_or(0),
            size,
            s.and_then(|s| s.last_modified.as_deref()).unwrap_or(""),
            f.error.as_deref().unwrap_or(""),
        ));
    }
    if !state.outputs.is_empty() {
        ui.result("\noutputs");
        for (k, v) in &state.outputs {
            ui.result(format!("  {k:<28} {v}"));
        }
    }
    Ok(doc)
}
