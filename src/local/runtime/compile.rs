//! Local runtime: handlers built for this machine with one plain `cargo build` (dev profile by
//! default) — the fastest edit-to-running loop; no cross-compiler, no container.

use crate::build::lock::{lock_target, LockError};
use crate::build::owner;
use crate::build::Workspace;
use crate::plan::FunctionPlan;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub(crate) enum CompileError {
    #[error(transparent)]
    Workspace(#[from] crate::build::workspace::WorkspaceError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("cannot run cargo: {0}")]
    Spawn(std::io::Error),
    #[error("cargo build failed")]
    Failed { output: String },
    #[error("cannot note which project the builds in {} are from: {source}", path.display())]
    Claim { path: PathBuf, source: std::io::Error },
    #[error("cannot take the handler {} out of the target directory: {source}", path.display())]
    TakeOut { path: PathBuf, source: std::io::Error },
}

/// Builds the handlers of `functions`; returns the directory their binaries (`f.bin`) are in.
/// (Not a map by function name: at a project root, two services may both have an `api`.)
/// `waiting` is called when another sls-rs build holds the target directory.
pub(crate) fn compile(
    ws: &Workspace,
    functions: &[&FunctionPlan],
    release: bool,
    echo: bool,
    waiting: &mut dyn FnMut(&Path),
) -> Result<PathBuf, CompileError> {
    let packages: BTreeSet<&str> = functions.iter().map(|f| f.package.as_str()).collect();
    let bins: BTreeSet<&str> = functions.iter().map(|f| f.bin.as_str()).collect();
    let mut cmd = Command::new(&ws.cargo);
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
    let _lock = lock_target(&ws.target_dir, waiting)?;
    let profile = if release { "release" } else { "debug" };
    let profile_dir = ws.target_dir.join(profile);
    let own: Vec<&str> = ws.packages.keys().map(String::as_str).collect();
    let claim = |source| CompileError::Claim { path: profile_dir.clone(), source };
    owner::reclaim(&profile_dir, &ws.root, &own).map_err(claim)?;
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
    owner::record(&profile_dir, &ws.root, &own).map_err(claim)?;
    prune(&ws.target_dir);
    let dir = own_dir(ws, profile);
    for bin in bins {
        take_out(&profile_dir.join(bin), &dir.join(bin))
            .map_err(|source| CompileError::TakeOut { path: dir.join(bin), source })?;
    }
    Ok(dir)
}

/// Where this process runs this workspace's handlers from: a directory of its own in the
/// target directory. Not `<target>/debug` itself, which every project sharing the target
/// directory (a global `CARGO_TARGET_DIR`) builds into: another project's `api` built there
/// while `dev` runs would be what the next instance of this one's `api` starts. One per
/// process, so a `dev` never loses a binary to an `invoke --local` of the same project.
fn own_dir(ws: &Workspace, profile: &str) -> PathBuf {
    let id = crate::build::artifact::sha256_hex(ws.root.as_os_str().as_encoded_bytes());
    ws.target_dir.join(LOCAL).join(format!("{}.{}", &id[..16], std::process::id())).join(profile)
}

const LOCAL: &str = "sls-rs-local";

/// Removes the handlers of processes that have ended. Each holds the bytes of a build cargo
/// has since replaced, so a shared target directory would otherwise keep a copy of every
/// handler of every project ever run locally (gigabytes over this project's test suite).
fn prune(target_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(target_dir.join(LOCAL)) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name.to_str().and_then(|n| n.rsplit_once('.')).and_then(|(_, pid)| pid.parse::<i32>().ok());
        if let Some(pid) = pid.filter(|&pid| pid > 0 && pid as u32 != std::process::id()) {
            if !alive(pid) {
                // Best effort: what cannot be removed now is tried again by the next build.
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let exists = unsafe { libc::kill(pid, 0) } == 0;
    exists || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Puts `from` at `to` in one rename, as a hard link (no copy of a binary of 100+ MB) or,
/// where the file system has none, a copy. Cargo replaces `from` with a new file on the next
/// build rather than writing into it, so the link keeps this build's bytes; the rename leaves
/// a handler still running from the previous `to` undisturbed.
fn take_out(from: &Path, to: &Path) -> std::io::Result<()> {
    let dir = to.parent().expect("a binary's path has a directory");
    std::fs::create_dir_all(dir)?;
    let name = to.file_name().expect("a binary has a name").to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    if std::fs::hard_link(from, &tmp).is_err() {
        std::fs::copy(from, &tmp)?;
    }
    std::fs::rename(&tmp, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn workspace(root: &Path, target: &Path) -> Workspace {
        Workspace {
            root: root.into(),
            target_dir: target.into(),
            packages: BTreeMap::new(),
            manifests: Vec::new(),
            build_scripts: false,
            cargo: "cargo".into(),
        }
    }

    #[test]
    fn two_projects_sharing_a_target_dir_run_their_handlers_from_different_places() {
        let target = Path::new("/shared/target");
        let a = own_dir(&workspace(Path::new("/p/a"), target), "debug");
        let b = own_dir(&workspace(Path::new("/p/b"), target), "debug");
        assert_ne!(a, b);
        assert!(a.starts_with(target) && b.starts_with(target));
        assert_eq!(a, own_dir(&workspace(Path::new("/p/a"), target), "debug"), "and the same place every time");
    }

    #[test]
    fn handlers_of_ended_processes_are_removed_and_live_ones_kept() {
        let target = tempfile::tempdir().unwrap();
        let mine = own_dir(&workspace(Path::new("/p/a"), target.path()), "debug");
        std::fs::create_dir_all(&mine).unwrap();
        // A process that has ended: a child that was waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let gone = target.path().join(LOCAL).join(format!("0123456789abcdef.{ended}"));
        let other = target.path().join(LOCAL).join("not-a-handler-dir");
        std::fs::create_dir_all(gone.join("debug")).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        prune(target.path());
        assert!(mine.exists() && other.exists() && !gone.exists());
    }

    #[test]
    fn a_handler_taken_out_keeps_its_bytes_when_cargo_replaces_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let (built, taken) = (dir.path().join("debug/api"), dir.path().join("own/debug/api"));
        std::fs::create_dir_all(built.parent().unwrap()).unwrap();
        std::fs::write(&built, b"first").unwrap();
        take_out(&built, &taken).unwrap();
        // As cargo does: a new file in place of the old one, not a write into it.
        std::fs::remove_file(&built).unwrap();
        std::fs::write(&built, b"another project's api").unwrap();
        assert_eq!(std::fs::read(&taken).unwrap(), b"first");
        take_out(&built, &taken).unwrap();
        assert_eq!(std::fs::read(&taken).unwrap(), b"another project's api");
        let left: Vec<_> = std::fs::read_dir(taken.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }
}
