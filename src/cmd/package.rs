//! `sls-rs package`: config → synth → `.sls/<stage>/template.json` and `manifest.json`.

use crate::cli::Global;
use crate::config::{Config, ConfigDiagnostics};
use crate::error::{Error, Result};
use crate::synth::{self, SynthError};
use crate::ui::Ui;
use std::path::Path;

pub fn run(global: &Global, ui: &Ui) -> Result<()> {
    let config = super::load_config(global)?;
    let synthesis = synth::synthesize(&config, &global.stage).map_err(|e| synth_error(&config, e))?;
    for w in &synthesis.warnings {
        ui.warn(w);
    }
    let dir = config.root.join(".sls").join(&global.stage);
    let template_path = dir.join("template.json");
    let manifest_path = dir.join("manifest.json");
    let manifest = serde_json::to_string_pretty(&synthesis.manifest).expect("manifest serializes") + "\n";
    write_atomic(&template_path, synth::to_json(&synthesis.template).as_bytes())?;
    write_atomic(&manifest_path, manifest.as_bytes())?;

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
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = |p: &Path| p.strip_prefix(&cwd).unwrap_or(p).display().to_string();
        ui.result(format!("template  {}\nmanifest  {}", shown(&template_path), shown(&manifest_path)));
    }
    Ok(())
}

pub(crate) fn synth_error(config: &Config, e: SynthError) -> Error {
    ConfigDiagnostics::new(config.file.display().to_string(), config.source.clone(), e.problems).into()
}

/// Writes through a temporary file and a rename, so a reader never sees half a template.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::failed(format!("cannot write {}: {e}", path.display()), None);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
