//! Local runtime: handlers built for this machine with one plain `cargo build` (dev profile by
//! default) — the fastest edit-to-running loop; no cross-compiler, no container.

use crate::build::Workspace;
use crate::plan::FunctionPlan;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error(transparent)]
    Workspace(#[from] crate::build::workspace::WorkspaceError),
    #[error("cannot run cargo: {0}")]
    Spawn(std::io::Error),
    #[error("cargo build failed")]
    Failed { output: String },
}

/// Builds the handlers of `functions`; returns the directory their binaries (`f.bin`) are in.
/// (Not a map by function name: at a project root, two services may both have an `api`.)
pub fn compile(
    ws: &Workspace,
    functions: &[&FunctionPlan],
    release: bool,
    echo: bool,
) -> Result<PathBuf, CompileError> {
    let packages: BTreeSet<&str> = functions.iter().map(|f| f.package.as_str()).collect();
    let bins: BTreeSet<&str> = functions.iter().map(|f| f.bin.as_str()).collect();
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.arg("build").current_dir(&ws.root).stdin(Stdio::null());
    if release {
        cmd.arg("--release");
    }
    for p in packages {
        cmd.args(["--package", p]);
    }
    for b in &bins {
        cmd.args(["--bin", b]);
    }
    let output = if echo {
        let status = cmd.status().map_err(CompileError::Spawn)?;
        (status.success(), String::new())
    } else {
        let out = cmd.env("CARGO_TERM_COLOR", "never").output().map_err(CompileError::Spawn)?;
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    if !output.0 {
        return Err(CompileError::Failed { output: output.1 });
    }
    Ok(ws.target_dir.join(if release { "release" } else { "debug" }))
}
