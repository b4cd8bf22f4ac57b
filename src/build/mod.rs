//! Pipeline stage 4 — build: the plan's handlers → one `cargo lambda build` per architecture →
//! checked binaries → deterministic zips with sha256, skipping unchanged ones.

pub mod artifact;
pub(crate) mod cargo_lambda;
pub mod elf;
pub(crate) mod fresh;
pub(crate) mod lock;
pub(crate) mod owner;
pub(crate) mod workspace;

use crate::config::{Arch, Problem};
use crate::plan::{FunctionPlan, Plan};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

pub(crate) use workspace::Workspace;

#[derive(Debug, Clone)]
pub(crate) struct Options<'a> {
    pub release: bool,
    /// Build only these functions (all when empty).
    pub only: Vec<String>,
    pub echo: bool,
    /// Where cargo lambda is found, and the environment the build's freshness depends on.
    pub process: &'a crate::host::process::Process,
}

/// What a build left on disk for one function; recorded in `.sls/<stage>/artifacts/state.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct ArtifactState {
    pub arch: Arch,
    pub release: bool,
    pub binary_sha256: String,
    pub sha256: String,
    pub size: u64,
    /// What the zip was built from, so an unchanged project needs no cargo (`fresh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<fresh::Sources>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Built {
    pub function: String,
    pub arch: Arch,
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// False when the binary was unchanged and the existing zip was kept.
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub functions: Vec<Built>,
    pub seconds: f64,
    /// Whether cargo lambda ran: not when every zip's sources and recipe were unchanged.
    pub cargo: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum BuildError {
    #[error(transparent)]
    Workspace(#[from] workspace::WorkspaceError),
    #[error(transparent)]
    CargoLambda(#[from] cargo_lambda::CargoLambdaError),
    #[error("no function called `{0}`")]
    UnknownFunction(String, Vec<String>),
    #[error("`{function}` cannot run on Lambda: {reason}")]
    Unfit { function: String, reason: String },
    #[error("cannot {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Write(#[from] crate::host::files::WriteError),
    #[error(transparent)]
    Lock(#[from] lock::LockError),
}

pub(crate) fn load_state(plan: &Plan) -> BTreeMap<String, ArtifactState> {
    std::fs::read(plan.artifacts_dir().join("state.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// What a build reports while it works.
#[derive(Debug)]
pub(crate) enum Progress<'a> {
    /// Cargo is still compiling (see `cargo_lambda::Compiling`).
    Compiling(&'a cargo_lambda::Compiling),
    /// One function's zip is ready.
    Built(&'a Built),
    /// Another sls-rs build is using the same target directory; this one waits for it.
    Waiting(&'a Path),
}

/// Builds several services' functions with one `cargo lambda build` per workspace and
/// architecture — a project sharing a workspace compiles its dependencies once, not once per
/// service. `progress` gets the index of the plan a function belongs to; an error names the
/// plan it is about. `opts.only` applies to a single plan.
pub(crate) fn build_all(
    plans: &[&Plan],
    opts: &Options<'_>,
    progress: &mut dyn FnMut(usize, Progress),
) -> Result<Vec<Report>, (usize, BuildError)> {
    let started = Instant::now();
    // A service of resources alone has nothing to build, and needs no Cargo workspace.
    if plans.iter().all(|p| p.functions.is_empty()) {
        return Ok(plans.iter().map(|_| Report { functions: Vec::new(), seconds: 0.0, cargo: false }).collect());
    }
    if let [plan] = plans {
        for name in &opts.only {
            if plan.function(name).is_none() {
                let names = plan.functions.iter().map(|f| f.name.clone()).collect();
                return Err((0, BuildError::UnknownFunction(name.clone(), names)));
            }
        }
    }
    let (workspaces, ws_of) = workspace::for_plans(plans, opts.process).map_err(|(i, e)| (i, e.into()))?;
    let cargo_lambda = cargo_lambda::locate(opts.process).map_err(|e| (0, e.into()))?;
    let mut states = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let out_dir = plan.artifacts_dir();
        if let Some(link) = crate::host::files::link_below(&plan.config.root, &out_dir) {
            return Err((i, crate::host::files::through_link(link).into()));
        }
        std::fs::create_dir_all(&out_dir)
            .map_err(|source| (i, BuildError::Io { action: "create", path: out_dir.clone(), source }))?;
        states.push(load_state(plan));
    }
    let mut built: Vec<Vec<Built>> = plans.iter().map(|_| Vec::new()).collect();
    let mut cargo_ran = vec![false; plans.len()];
    for (w, ws) in workspaces.iter().enumerate() {
        let members: Vec<usize> = (0..plans.len()).filter(|&i| ws_of[i] == w).collect();
        // Every function of an architecture is compiled even when `only` picks some: cargo
        // resolves features per package selection, so building one package alone would
        // recompile shared dependencies with other features (minutes with the AWS SDK) and
        // give that function a binary unlike the one a full build makes. The same selection
        // every time is a no-op for what has not changed.
        let mut compiled: BTreeMap<Arch, Vec<(usize, &FunctionPlan)>> = BTreeMap::new();
        let mut by_arch: BTreeMap<Arch, Vec<(usize, &FunctionPlan)>> = BTreeMap::new();
        for &i in &members {
            for (arch, functions) in plans[i].by_arch(&[]) {
                compiled.entry(arch).or_default().extend(functions.into_iter().map(|f| (i, f)));
            }
            for (arch, functions) in plans[i].by_arch(&opts.only) {
                by_arch.entry(arch).or_default().extend(functions.into_iter().map(|f| (i, f)));
            }
        }
        // Taken before the first cargo call, not at all when nothing needs one.
        let mut lock = None;
        for (arch, functions) in by_arch {
            let packages: BTreeSet<String> = compiled[&arch].iter().map(|(_, f)| f.package.clone()).collect();
            let bins: BTreeSet<String> = compiled[&arch].iter().map(|(_, f)| f.bin.clone()).collect();
            let lambda_dir = ws.target_dir.join("lambda").join(arch.as_str());
            let inv = cargo_lambda::Invocation {
                process: opts.process,
                workspace_root: &ws.root,
                lambda_dir: &lambda_dir,
                arch,
                release: opts.release,
                packages: &packages.into_iter().collect::<Vec<_>>(),
                bins: &bins.into_iter().collect::<Vec<_>>(),
                echo: opts.echo,
            };
            let first = functions[0].0;
            let recipe = fresh::recipe(opts.process, &ws.root, &ws.manifests, &inv.args());
            // Every function this call would compile still has the zip of its current sources.
            let current: Option<Vec<(usize, Built)>> = if ws.build_scripts {
                None
            } else {
                compiled[&arch]
                    .iter()
                    .map(|&(i, f)| {
                        kept(opts.process, f, arch, opts.release, plans[i], &states[i], &recipe).map(|b| (i, b))
                    })
                    .collect()
            };
            if let Some(current) = current {
                // The ones asked for (`only`), in the same order.
                let wanted = |i: usize, name: &str| functions.iter().any(|(j, f)| *j == i && f.name == name);
                for (i, one) in current.into_iter().filter(|(i, b)| wanted(*i, &b.function)) {
                    progress(i, Progress::Built(&one));
                    built[i].push(one);
                }
                continue;
            }
            if lock.is_none() {
                let waiting = &mut |path: &Path| progress(first, Progress::Waiting(path));
                lock = Some(lock::lock_target(&ws.target_dir, waiting).map_err(|e| (first, e.into()))?);
            }
            let profile_dir =
                ws.target_dir.join(arch.rust_target()).join(if opts.release { "release" } else { "debug" });
            let own: Vec<&str> = ws.packages.keys().map(String::as_str).collect();
            let owned = |source| (first, BuildError::Io { action: "claim", path: profile_dir.clone(), source });
            owner::reclaim(&profile_dir, &ws.root, &own).map_err(owned)?;
            let compile_started = SystemTime::now();
            inv.run(&cargo_lambda, &mut |c| progress(first, Progress::Compiling(c))).map_err(|e| (first, e.into()))?;
            owner::record(&profile_dir, &ws.root, &own).map_err(owned)?;
            let env = fresh::build_env(opts.process, &profile_dir);
            for (i, f) in functions {
                cargo_ran[i] = true;
                let root = &plans[i].config.root;
                let dep_info = profile_dir.join(format!("{}.d", f.bin));
                let sources = env.as_ref().and_then(|env| fresh::record(&dep_info, &recipe, env, compile_started));
                let one = package_one(f, arch, opts.release, &lambda_dir, root, &mut states[i], sources)
                    .map_err(|e| (i, e))?;
                progress(i, Progress::Built(&one));
                built[i].push(one);
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut reports = Vec::new();
    for (i, (plan, functions)) in plans.iter().zip(built).enumerate() {
        let json = serde_json::to_vec_pretty(&states[i]).expect("state serializes");
        crate::host::files::write_atomic(&plan.config.root, &plan.artifacts_dir().join("state.json"), &json)
            .map_err(|e| (i, e.into()))?;
        reports.push(Report { functions, seconds, cargo: cargo_ran[i] });
    }
    Ok(reports)
}

/// The zip on disk, when it is still what a build would make: built for this architecture and
/// profile, from sources and a recipe that have not changed since, and not altered itself.
fn kept(
    process: &crate::host::process::Process,
    f: &FunctionPlan,
    arch: Arch,
    release: bool,
    plan: &Plan,
    state: &BTreeMap<String, ArtifactState>,
    recipe: &str,
) -> Option<Built> {
    let prev = state.get(&f.name)?;
    if prev.arch != arch
        || prev.release != release
        || !prev.sources.as_ref().is_some_and(|s| fresh::unchanged(process, s, recipe))
    {
        return None;
    }
    let path = plan.config.root.join(&f.artifact_path);
    let on_disk = artifact::sha256_hex(&std::fs::read(&path).ok()?);
    (on_disk == prev.sha256).then(|| Built {
        function: f.name.clone(),
        arch,
        path,
        sha256: prev.sha256.clone(),
        size: prev.size,
        changed: false,
    })
}

/// Checks the fresh binary and zips it, unless the zip on disk already holds the same binary.
fn package_one(
    f: &FunctionPlan,
    arch: Arch,
    release: bool,
    lambda_dir: &Path,
    root: &Path,
    state: &mut BTreeMap<String, ArtifactState>,
    sources: Option<fresh::Sources>,
) -> Result<Built, BuildError> {
    let function = f.name.as_str();
    let binary_path = lambda_dir.join(&f.bin).join("bootstrap");
    let binary = std::fs::read(&binary_path).map_err(|source| BuildError::Io {
        action: "read",
        path: binary_path.clone(),
        source,
    })?;
    let facts =
        elf::inspect(&binary).map_err(|e| BuildError::Unfit { function: function.into(), reason: e.to_string() })?;
    if let Some(reason) = elf::problem(&facts, arch) {
        return Err(BuildError::Unfit { function: function.into(), reason });
    }
    let binary_sha256 = artifact::sha256_hex(&binary);
    let zip_path = root.join(&f.artifact_path);
    if let Some(prev) = state.get_mut(function) {
        let on_disk = std::fs::read(&zip_path).ok().map(|b| artifact::sha256_hex(&b));
        if prev.binary_sha256 == binary_sha256 && prev.arch == arch && on_disk.as_deref() == Some(prev.sha256.as_str())
        {
            prev.sources = sources;
            return Ok(Built {
                function: function.into(),
                arch,
                path: zip_path,
                sha256: prev.sha256.clone(),
                size: prev.size,
                changed: false,
            });
        }
    }
    let (bytes, sha256) = artifact::zip_bootstrap(&binary).map_err(|source| BuildError::Io {
        action: "zip",
        path: binary_path.clone(),
        source,
    })?;
    crate::host::files::write_atomic(root, &zip_path, &bytes)?;
    let size = bytes.len() as u64;
    state
        .insert(function.into(), ArtifactState { arch, release, binary_sha256, sha256: sha256.clone(), size, sources });
    Ok(Built { function: function.into(), arch, path: zip_path, sha256, size, changed: true })
}

/// Problems to show against `sls.yaml` for build errors that are really config errors.
pub(crate) fn problems(err: &BuildError) -> Option<&[Problem]> {
    match err {
        BuildError::Workspace(workspace::WorkspaceError::Missing(p)) => Some(p),
        _ => None,
    }
}
