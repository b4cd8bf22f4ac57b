//! The pipeline, one way down: load → plan → build → synth → deploy. Each step is callable on
//! its own; `build`, `package`, `validate`, `deploy`, `diff` and `dev` call these and render
//! what comes back, so no command drives another.

use crate::build::{self, BuildError, Progress};
use crate::config::{self, LoadError};
use crate::plan::{self, Plan};
use crate::synth::{self, SynthError, Synthesis};
use std::path::{Path, PathBuf};

/// Finds `sls.yaml` (or the `explicit` file) from `cwd`, validates it and plans `stage`.
pub fn load(explicit: Option<&Path>, cwd: &Path, stage: &str) -> Result<Plan, LoadError> {
    let path = config::locate(explicit, cwd)?;
    let path = if path.is_absolute() { path } else { cwd.join(path) };
    let shown = path.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or_else(|_| path.clone());
    plan::load(&path, &shown, stage)
}

/// Builds the plan's functions (all, or `opts.only`), calling `progress` once per function.
pub fn build(
    plan: &Plan,
    opts: &build::Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<build::Report, BuildError> {
    build::build(plan, opts, progress)
}

/// What `package` wrote: the synthesis, and where its template and manifest are.
#[derive(Debug)]
pub struct Packaged {
    pub synthesis: Synthesis,
    /// The template as written, for deploy and diff to send without reading it back.
    pub template: String,
    pub template_path: PathBuf,
    pub manifest_path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("the template cannot be synthesized")]
    Synth(SynthError),
    #[error(transparent)]
    Write(#[from] crate::files::WriteError),
}

/// Synthesizes the plan and writes `.sls/<stage>/template.json` and `manifest.json`, with the
/// hashes of whatever `build` has produced so far.
pub fn package(plan: &Plan) -> Result<Packaged, PackageError> {
    let mut synthesis = synth::synthesize(plan).map_err(PackageError::Synth)?;
    let built = build::load_state(plan).into_iter().map(|(f, s)| (f, (s.sha256, s.size))).collect();
    synthesis.manifest.record_artifacts(&built);
    let dir = plan.config.root.join(".sls").join(&plan.stage);
    let (template_path, manifest_path) = (dir.join("template.json"), dir.join("manifest.json"));
    let template = synth::to_json(&synthesis.template);
    let manifest = serde_json::to_string_pretty(&synthesis.manifest).expect("manifest serializes") + "\n";
    crate::files::write_atomic(&template_path, template.as_bytes())?;
    crate::files::write_atomic(&manifest_path, manifest.as_bytes())?;
    Ok(Packaged { synthesis, template, template_path, manifest_path })
}
