//! `sls-rs validate`: config → "ok" or every problem, located; at a project root, every
//! service and the graph between them.

use crate::cli::Global;
use crate::error::Result;
use crate::host::process::Process;
use crate::pipeline::Target;
use crate::plan::Plan;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, ui: &Ui) -> Result<()> {
    match super::project::load_target(global, process)? {
        Target::Service(plan) => {
            let doc = check(&plan, ui)?;
            if ui.json {
                ui.result_json(&doc);
            } else {
                ui.result("ok");
            }
        }
        Target::Project(graph) => {
            let mut docs = Vec::new();
            for &i in &graph.order {
                let s = &graph.services[i];
                let mut doc = check(&s.plan, ui)?;
                doc["key"] = s.key.clone().into();
                doc["needs"] = graph.needs(i).iter().map(|&j| graph.services[j].key.clone()).collect();
                if !ui.json {
                    let needs: Vec<String> = graph.needs(i).iter().map(|&j| graph.services[j].key.clone()).collect();
                    let after =
                        if needs.is_empty() { String::new() } else { format!("  (after {})", needs.join(", ")) };
                    ui.result(format!("ok  {}{after}", s.key));
                }
                docs.push(doc);
            }
            if ui.json {
                ui.result_json(&serde_json::json!({ "ok": true, "stage": global.stage, "services": docs }));
            }
        }
    }
    Ok(())
}

fn check(plan: &Plan, ui: &Ui) -> Result<serde_json::Value> {
    let config = &plan.config;
    let synthesis = crate::synth::synthesize(plan).map_err(|e| super::steps::synth_error(config, e))?;
    for w in &synthesis.warnings {
        ui.warn(w);
    }
    Ok(serde_json::json!({
        "ok": true,
        "service": config.service,
        "stage": plan.stage,
        "functions": config.functions.len(),
        "resources": synthesis.template.resources.len(),
        "warnings": synthesis.warnings,
    }))
}
