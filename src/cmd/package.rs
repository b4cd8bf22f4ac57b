//! `sls-rs package`: plan → synth → `.sls/<stage>/template.json` and `manifest.json`.

use super::steps::shown;
use crate::cli::Global;
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let packaged = super::steps::package(&plan, ui)?;
    let m = &packaged.synthesis.manifest;
    if ui.json {
        ui.result_json(&serde_json::json!({
            "stack": m.stack_name,
            "stage": m.stage,
            "template": packaged.template_path,
            "manifest": packaged.manifest_path,
            "resources": m.resource_count,
            "functions": m.artifacts.iter().map(|a| &a.function).collect::<Vec<_>>(),
        }));
    } else {
        ui.success(format!("packaged {} ({} resources)", m.stack_name, m.resource_count));
        ui.result(format!(
            "template  {}\nmanifest  {}",
            shown(&packaged.template_path),
            shown(&packaged.manifest_path)
        ));
    }
    Ok(())
}
