//! `sls-rs info`: the stage's stack status and outputs, and each function as Lambda sees it.

use crate::cli::Global;
use crate::deploy::{aws::explain, stack};
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let stack_name = &plan.stack_name;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, &plan))?;
    let info = rt.block_on(async {
        let Some(state) = stack::describe(&aws.cfn, stack_name).await? else { return Ok::<_, String>(None) };
        let mut functions = Vec::new();
        for f in &plan.functions {
            let name = &f.physical_name;
            let row = match aws.lambda.get_function().function_name(name).send().await {
                Ok(out) => {
                    let c = out.configuration();
                    serde_json::json!({
                        "function": f.name, "name": name,
                        "arch": c.and_then(|c| c.architectures().first()).map(|a| a.as_str().to_string()),
                        "memory": c.and_then(|c| c.memory_size()), "timeout": c.and_then(|c| c.timeout()),
                        "code_size": c.map(|c| c.code_size()), "last_modified": c.and_then(|c| c.last_modified()),
                    })
                }
                Err(e) => serde_json::json!({ "function": f.name, "name": name, "error": explain(&e) }),
            };
            functions.push(row);
        }
        Ok(Some((state, functions)))
    });
    let info = info.map_err(|e| Error::failed(e, None))?;
    let Some((state, functions)) = info else {
        if ui.json {
            ui.result_json(&serde_json::json!({ "stack": stack_name, "status": null }));
        } else {
            ui.result(format!("{stack_name} is not deployed (run `sls-rs deploy --stage {}`)", global.stage));
        }
        return Ok(());
    };
    if ui.json {
        ui.result_json(&serde_json::json!({
            "stack": stack_name, "region": aws.region, "status": state.status,
            "outputs": state.outputs, "functions": functions,
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
    for f in &functions {
        let size = f["code_size"].as_i64().map(|b| format!("{:.1} MB", b as f64 / 1_048_576.0)).unwrap_or_default();
        ui.result(format!(
            "  {:<22} {:<7} {:>5} MB {:>5}  {}  {}",
            f["function"].as_str().unwrap_or(""),
            f["arch"].as_str().unwrap_or("-"),
            f["memory"].as_i64().unwrap_or(0),
            size,
            f["last_modified"].as_str().unwrap_or(""),
            f["error"].as_str().unwrap_or(""),
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
