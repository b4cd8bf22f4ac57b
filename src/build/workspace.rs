//! Build stage: the Cargo workspace behind a service — where it is, where it builds, and
//! which package and binary each function's handler is.

use crate::config::diagnostic::{did_you_mean, one_of};
use crate::config::Problem;
use crate::host::process::Process;
use crate::plan::Plan;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
    /// package name → its binary targets.
    pub packages: BTreeMap<String, Vec<String>>,
    /// Every member's `Cargo.toml`.
    pub manifests: Vec<PathBuf>,
    /// Some member has a build script (which may read anything, so only cargo can tell
    /// whether its output is current).
    pub build_scripts: bool,
    /// The cargo it was read with (`$CARGO` when sls-rs runs under cargo), for its builds.
    pub cargo: PathBuf,
}

/// The cargo to run: the one that runs us (`$CARGO`), else the one on PATH.
fn cargo_of(process: &Process) -> PathBuf {
    process.var_os("CARGO").map(PathBuf::from).unwrap_or_else(|| "cargo".into())
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum WorkspaceError {
    #[error("`cargo metadata` failed in {}: {message}", dir.display())]
    Metadata { dir: PathBuf, message: String },
    #[error("{} function(s) name a package or binary the workspace does not have", .0.len())]
    Missing(Vec<Problem>),
}

impl Workspace {
    /// Reads the workspace that contains `dir` (a service may sit below the workspace root).
    pub(crate) fn load(dir: &Path, process: &Process) -> Result<Workspace, WorkspaceError> {
        let fail = |message: String| WorkspaceError::Metadata { dir: dir.to_path_buf(), message };
        let cargo = cargo_of(process);
        let out = Command::new(&cargo)
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .current_dir(dir)
            .output()
            .map_err(|e| fail(format!("cannot run cargo: {e}")))?;
        if !out.status.success() {
            return Err(fail(String::from_utf8_lossy(&out.stderr).trim().to_string()));
        }
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| fail(e.to_string()))?;
        let str_of = |v: &serde_json::Value| v.as_str().map(PathBuf::from).unwrap_or_default();
        let mut packages = BTreeMap::new();
        let (mut manifests, mut build_scripts) = (Vec::new(), false);
        for p in meta["packages"].as_array().into_iter().flatten() {
            manifests.push(str_of(&p["manifest_path"]));
            let kinds = p["targets"].as_array().into_iter().flatten().filter_map(|t| t["kind"].as_array()).flatten();
            build_scripts |= kinds.into_iter().any(|k| k == "custom-build");
            let bins = p["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|t| t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "bin")))
                .filter_map(|t| t["name"].as_str().map(str::to_string))
                .collect();
            packages.insert(p["name"].as_str().unwrap_or_default().to_string(), bins);
        }
        Ok(Workspace {
            root: str_of(&meta["workspace_root"]),
            target_dir: str_of(&meta["target_directory"]),
            packages,
            manifests,
            build_scripts,
            cargo,
        })
    }

    /// Every function's package and binary must exist; all misses are reported together.
    pub(crate) fn check(&self, plan: &Plan) -> Result<(), WorkspaceError> {
        let mut problems = Vec::new();
        let names: Vec<&str> = self.packages.keys().map(String::as_str).collect();
        for f in &plan.functions {
            let bin = &f.bin;
            match self.packages.get(&f.package) {
                None => {
                    let help = match did_you_mean(&f.package, names.iter().copied()) {
                        Some(s) => format!("did you mean `package: {s}`?"),
                        None => format!("workspace packages: {}; set `package:` on the function", one_of(&names)),
                    };
                    problems.push(
                        Problem::new(
                            f.span,
                            format!(
                                "function `{}` needs cargo package `{}`, which the workspace does not have",
                                f.name, f.package
                            ),
                        )
                        .help(help),
                    );
                }
                Some(bins) if !bins.iter().any(|b| b == bin) => {
                    let help = if bins.is_empty() {
                        format!("package `{}` has no binary: add `src/main.rs` with a Lambda handler", f.package)
                    } else {
                        format!("its binaries: {}; set `bin:` on the function", one_of(bins))
                    };
                    problems.push(
                        Problem::new(f.span, format!("package `{}` has no binary `{bin}`", f.package)).help(help),
                    );
                }
                Some(_) => {}
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(WorkspaceError::Missing(problems))
        }
    }
}

/// The workspace each plan builds in, loaded once per Cargo workspace: services of a project
/// usually share one, so a root command runs one `cargo metadata` and builds them together.
/// Returns the workspaces and each plan's index into them; an error names the plan it is for.
pub(crate) fn for_plans(
    plans: &[&Plan],
    process: &Process,
) -> Result<(Vec<Workspace>, Vec<usize>), (usize, WorkspaceError)> {
    let mut loaded: Vec<Workspace> = Vec::new();
    let mut index = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let root = plan.config.root.canonicalize().unwrap_or_else(|_| plan.config.root.clone());
        let known = loaded.iter().position(|ws| root.starts_with(&ws.root) && ws.check(plan).is_ok());
        let at = match known {
            Some(at) => at,
            None => {
                let ws = Workspace::load(&plan.config.root, process).map_err(|e| (i, e))?;
                ws.check(plan).map_err(|e| (i, e))?;
                loaded.push(ws);
                loaded.len() - 1
            }
        };
        index.push(at);
    }
    Ok((loaded, index))
}
