//! This machine — where the external tools live: the sls-rs venv that install.sh creates
//! (cargo-lambda, zig, cfn-lint, moto) and anything on PATH.

use super::process::Process;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// `$SLS_RS_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/sls-rs` (the same rule as install.sh).
pub fn home(process: &Process) -> Option<PathBuf> {
    if let Some(h) = process.var("SLS_RS_HOME") {
        return Some(PathBuf::from(h));
    }
    let data = process
        .var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| process.var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("sls-rs"))
}

pub(crate) fn venv_bin(process: &Process) -> Option<PathBuf> {
    home(process).map(|h| h.join("venv").join("bin"))
}

/// PATH with the venv's bin directory first, so cargo-lambda finds the zig and Python that
/// came with it.
pub(crate) fn path_with_venv(process: &Process) -> OsString {
    let mut dirs: Vec<PathBuf> = venv_bin(process).into_iter().filter(|d| d.is_dir()).collect();
    if let Some(path) = process.var_os("PATH") {
        dirs.extend(std::env::split_paths(path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// An executable called `name` on PATH or in the venv.
pub fn find(process: &Process, name: &str) -> Option<PathBuf> {
    std::env::split_paths(&path_with_venv(process)).map(|d| d.join(name)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// The command that installs the Python tools, for error messages.
pub(crate) const INSTALL_HINT: &str = "run `./install.sh --tools-only` from the sls-rs checkout (it installs cargo-lambda and zig into the sls-rs venv), or `pip install cargo-lambda`";
