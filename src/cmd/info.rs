//! `sls-rs info`: the stage's stack status and outputs, and each function as Lambda sees it.

use crate::cli::Global;
use crate::deploy::remote;
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let stack_name = &plan.stack_name;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, &plan))?;
    let functions: Vec<(&str, &str)> =
        plan.functions.iter().map(|f| (f.name.as_str(), f.physical_name.as_str())).collect();
    let info =
        rt.block_on(remote::info(&aws, stack_name, &functions)).map_err(|e| Error::failed(e.to_string(), None))?;
    let Some((state, rows)) = info else {
        if ui.json {
            ui.result_json(&serde_json::json!({ "stack": stack_name, "status": null }));
        } else {
            ui.result(format!("{stack_name} is not deployed (run `sls-rs deploy --stage {}`)", global.stage));
        }
        return Ok(());
    };
    if ui.json {
        ui.result_json(&serde_json::json!({
            "stack": stack_name, "region": aws.region, "status": state.status.as_str(),
            "outputs": state.outputs, "functions": rows,
        }));
        return Ok(());
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
    Ok(())
}
