//! `sls-rs validate`: config → "ok" or every problem, located.

use crate::cli::Global;
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let config = &plan.config;
    let synthesis = crate::synth::synthesize(&plan).map_err(|e| super::steps::synth_error(config, e))?;
    for w in &synthesis.warnings {
        ui.warn(w);
    }
    if ui.json {
        ui.result_json(&serde_json::json!({
            "ok": true,
            "service": config.service,
            "stage": global.stage,
            "functions": config.functions.len(),
            "resources": synthesis.template.resources.len(),
            "warnings": synthesis.warnings,
        }));
    } else {
        ui.result("ok");
    }
    Ok(())
}
