//! Pipeline stage 3 — build: the workspace's handlers → one `cargo lambda build` per
//! architecture → checked binaries → deterministic zips with sha256, skipping unchanged ones.

pub mod artifact;
pub mod cargo_lambda;
pub mod elf;
pub mod workspace;

use crate::config::{names, Config, Problem};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use workspace::Workspace;

#[derive(Debug, Clone)]
pub struct Options {
    pub release: bool,
    /// Build only these functions (all when empty).
    pub only: Vec<String>,
    pub echo: bool,
}

/// What a build left on disk for one function; recorded in `.sls/<stage>/artifacts/state.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArtifactState {
    pub arch: String,
    pub release: bool,
    pub binary_sha256: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub function: String,
    pub arch: String,
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// False when the binary was unchanged and the existing zip was kept.
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub functions: Vec<Built>,
    pub seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Workspace(#[from] workspace::WorkspaceError),
    #[error(transparent)]
    CargoLambda(#[from] cargo_lambda::CargoLambdaError),
    #[error("no function called `{0}`")]
    UnknownFunction(String, Vec<String>),
    #[error("`{function}` cannot run on Lambda: {reason}")]
    Unfit { function: String, reason: String },
    #[error("{0}")]
    Io(String),
}

pub fn artifacts_dir(config: &Config, stage: &str) -> PathBuf {
    config.root.join(".sls").join(stage).join("artifacts")
}

pub fn load_state(config: &Config, stage: &str) -> BTreeMap<String, ArtifactState> {
    std::fs::read(artifacts_dir(config, stage).join("state.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Builds the functions of `config` on `stage`, calling `progress` once per function.
pub fn build(
    config: &Config,
    stage: &str,
    opts: &Options,
    progress: &mut dyn FnMut(&Built),
) -> Result<Report, BuildError> {
    let started = Instant::now();
    for name in &opts.only {
        if !config.functions.iter().any(|f| &f.name == name) {
            return Err(BuildError::UnknownFunction(
                name.clone(),
                config.functions.iter().map(|f| f.name.clone()).collect(),
            ));
        }
    }
    let ws = Workspace::load(&config.root)?;
    ws.check(config)?;
    let cargo_lambda = cargo_lambda::locate()?;
    let selected: Vec<_> =
        config.functions.iter().filter(|f| opts.only.is_empty() || opts.only.contains(&f.name)).collect();
    let mut by_arch: BTreeMap<&'static str, Vec<&crate::config::Function>> = BTreeMap::new();
    for f in &selected {
        by_arch.entry(config.effective(stage, &f.settings).arch.as_str()).or_default().push(f);
    }
    let out_dir = artifacts_dir(config, stage);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| BuildError::Io(format!("cannot create {}: {e}", out_dir.display())))?;
    let mut state = load_state(config, stage);
    let mut report = Vec::new();
    for (arch, functions) in by_arch {
        let packages: BTreeSet<String> = functions.iter().map(|f| f.package.clone()).collect();
        let bins: BTreeSet<String> = functions.iter().map(|f| bin_of(f)).collect();
        let lambda_dir = ws.target_dir.join("lambda").join(arch);
        let inv = cargo_lambda::Invocation {
            workspace_root: &ws.root,
            lambda_dir: &lambda_dir,
            arch,
            release: opts.release,
            packages: &packages.into_iter().collect::<Vec<_>>(),
            bins: &bins.into_iter().collect::<Vec<_>>(),
            echo: opts.echo,
        };
        inv.run(&cargo_lambda)?;
        for f in functions {
            let built = package_one(&f.name, &bin_of(f), arch, opts.release, &lambda_dir, &out_dir, &mut state)?;
            progress(&built);
            report.push(built);
        }
    }
    let json = serde_json::to_vec_pretty(&state).expect("state serializes");
    crate::files::write_atomic(&out_dir.join("state.json"), &json).map_err(BuildError::Io)?;
    Ok(Report { functions: report, seconds: started.elapsed().as_secs_f64() })
}

fn bin_of(f: &crate::config::Function) -> String {
    f.bin.clone().unwrap_or_else(|| f.package.clone())
}

/// Checks the fresh binary and zips it, unless the zip on disk already holds the same binary.
fn package_one(
    function: &str,
    bin: &str,
    arch: &str,
    release: bool,
    lambda_dir: &Path,
    out_dir: &Path,
    state: &mut BTreeMap<String, ArtifactState>,
) -> Result<Built, BuildError> {
    let binary_path = lambda_dir.join(bin).join("bootstrap");
    let binary = std::fs::read(&binary_path)
        .map_err(|e| BuildError::Io(format!("cannot read {}: {e}", binary_path.display())))?;
    let facts = elf::inspect(&binary).map_err(|reason| BuildError::Unfit { function: function.into(), reason })?;
    if let Some(reason) = elf::problem(&facts, arch) {
        return Err(BuildError::Unfit { function: function.into(), reason });
    }
    let binary_sha256 = artifact::sha256_hex(&binary);
    let zip_path = out_dir.join(format!("{function}.zip"));
    if let Some(prev) = state.get(function) {
        let on_disk = std::fs::read(&zip_path).ok().map(|b| artifact::sha256_hex(&b));
        if prev.binary_sha256 == binary_sha256 && prev.arch == arch && on_disk.as_deref() == Some(prev.sha256.as_str())
        {
            return Ok(Built {
                function: function.into(),
                arch: arch.into(),
                path: zip_path,
                sha256: prev.sha256.clone(),
                size: prev.size,
                changed: false,
            });
        }
    }
    let (bytes, sha256) = artifact::zip_bootstrap(&binary).map_err(|e| BuildError::Io(e.to_string()))?;
    crate::files::write_atomic(&zip_path, &bytes).map_err(BuildError::Io)?;
    let size = bytes.len() as u64;
    state.insert(
        function.into(),
        ArtifactState { arch: arch.into(), release, binary_sha256, sha256: sha256.clone(), size },
    );
    Ok(Built { function: function.into(), arch: arch.into(), path: zip_path, sha256, size, changed: true })
}

/// Problems to show against `sls.yaml` for build errors that are really config errors.
pub fn problems(err: &BuildError) -> Option<&[Problem]> {
    match err {
        BuildError::Workspace(workspace::WorkspaceError::Missing(p)) => Some(p),
        _ => None,
    }
}

/// The S3 key an artifact is stored under: content-addressed, so unchanged code is not re-uploaded.
pub fn artifact_key(service: &str, stage: &str, function: &str, sha256: &str) -> String {
    format!("{}/{function}/{sha256}.zip", names::stack_name(service, stage))
}
