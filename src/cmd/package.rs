//! `sls-rs package`: config → synth → `.sls/<stage>/template.json` and `manifest.json`.

use crate::cli::Global;
use crate::config::{Config, ConfigDiagnostics};
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::synth::{self, SynthError, Synthesis};
use crate::ui::Ui;
use std::path::{Path, PathBuf};

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let (synthesis, template_path, manifest_path) = write(&plan, ui)?;
    let m = &synthesis.manifest;
    if ui.json {
        ui.result_json(&serde_json::json!({
            "stack": m.stack_name,
            "stage": m.stage,
            "template": template_path,
            "manifest": manifest_path,
            "resources": m.resource_count,
            "functions": m.artifacts.iter().map(|a| &a.function).collect::<Vec<_>>(),
        }));
    } else {
        ui.success(format!("packaged {} ({} resources)", m.stack_name, m.resource_count));
        ui.result(format!("template  {}\nmanifest  {}", shown(&template_path), shown(&manifest_path)));
    }
    Ok(())
}

/// Synthesizes the stage and writes template and manifest, with the hashes of whatever
/// `build` has produced so far.
pub(crate) fn write(plan: &Plan, ui: &Ui) -> Result<(Synthesis, PathBuf, PathBuf)> {
    let mut synthesis = synth::synthesize(plan).map_err(|e| synth_error(&plan.config, e))?;
    for w in &synthesis.warnings {
        ui.warn(w);
    }
    let built = crate::build::load_state(plan).into_iter().map(|(f, s)| (f, (s.sha256, s.size))).collect();
    synthesis.manifest.record_artifacts(&built);
    let dir = plan.config.root.join(".sls").join(&plan.stage);
    let template_path = dir.join("template.json");
    let manifest_path = dir.join("manifest.json");
    let manifest = serde_json::to_string_pretty(&synthesis.manifest).expect("manifest serializes") + "\n";
    write_atomic(&template_path, synth::to_json(&synthesis.template).as_bytes())?;
    write_atomic(&manifest_path, manifest.as_bytes())?;
    Ok((synthesis, template_path, manifest_path))
}

/// A path relative to the working directory when it is below it.
pub(crate) fn shown(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    p.strip_prefix(&cwd).unwrap_or(p).display().to_string()
}

pub(crate) fn synth_error(config: &Config, e: SynthError) -> Error {
    ConfigDiagnostics::new(config.file.display().to_string(), config.source.clone(), e.problems).into()
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::write_atomic(path, bytes).map_err(|e| Error::failed(e, None))
}
