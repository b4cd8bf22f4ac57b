//! Beside build and the local runtime: whose sources a workspace's own packages were last
//! compiled from in a shared target directory, so one project never gets another's binary.
//!
//! Cargo keys a path package's compiled state (`.fingerprint/<name>-<hash>`, `deps/<name>-<hash>`)
//! by its path relative to its workspace root, not by where the workspace is. Two projects made
//! from one template therefore share it in a shared `CARGO_TARGET_DIR`, and cargo counts one's
//! build as fresh for the other whenever the other's sources are older than it: measured, a
//! `cargo build` in project B printed project A's message, and `deploy --function api` shipped
//! the other project's code. Before each build sls-rs checks who built each member package last;
//! if it was not this workspace, or cargo ran on it since (a plain `cargo build` elsewhere), it
//! drops that package's fingerprints so cargo compiles it from this workspace's sources. Only the
//! workspace's own packages are touched: dependencies from registries stay shared.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where sls-rs notes, per package, the workspace root that last built it in a profile dir.
fn note(profile_dir: &Path, package: &str) -> PathBuf {
    profile_dir.join(".sls-rs-owners").join(package)
}

/// Drops the fingerprints of those `packages` in `profile_dir` (`<target>/<triple>/<profile>`
/// or `<target>/<profile>`) that this workspace did not build last; returns their names.
/// Call it under the target directory's build lock, then `record` after a successful build.
pub(crate) fn reclaim(profile_dir: &Path, root: &Path, packages: &[&str]) -> std::io::Result<Vec<String>> {
    let mut dropped = Vec::new();
    for &package in packages {
        let prints = fingerprints(profile_dir, package)?;
        if prints.is_empty() || ours(&note(profile_dir, package), root, &prints) {
            continue;
        }
        for dir in prints {
            std::fs::remove_dir_all(&dir)?;
        }
        dropped.push(package.to_string());
    }
    Ok(dropped)
}

/// Notes that this workspace's sources are what `packages` were just built from.
pub(crate) fn record(profile_dir: &Path, root: &Path, packages: &[&str]) -> std::io::Result<()> {
    for &package in packages {
        let path = note(profile_dir, package);
        std::fs::create_dir_all(path.parent().expect("a note has a directory"))?;
        std::fs::write(&path, root.as_os_str().as_encoded_bytes())?;
    }
    Ok(())
}

/// This workspace built the package last and no cargo has compiled it since (the note is
/// written after the build, so any fingerprint file newer than it is someone else's work).
fn ours(note: &Path, root: &Path, prints: &[PathBuf]) -> bool {
    let (Ok(owner), Ok(noted)) = (std::fs::read(note), std::fs::metadata(note).and_then(|m| m.modified())) else {
        return false;
    };
    owner == root.as_os_str().as_encoded_bytes() && prints.iter().all(|dir| newest(dir).is_some_and(|t| t <= noted))
}

/// The newest modification time of a fingerprint directory's files (None if unreadable).
fn newest(dir: &Path) -> Option<SystemTime> {
    let mut newest = std::fs::metadata(dir).and_then(|m| m.modified()).ok()?;
    for entry in std::fs::read_dir(dir).ok()? {
        newest = newest.max(entry.ok()?.metadata().and_then(|m| m.modified()).ok()?);
    }
    Some(newest)
}

/// `<profile_dir>/.fingerprint/<package>-<hash>`: one per way the package was compiled
/// (binary, test, features). Exact on the name, so `api` never matches `api-types`'s.
fn fingerprints(profile_dir: &Path, package: &str) -> std::io::Result<Vec<PathBuf>> {
    let dir = profile_dir.join(".fingerprint");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(hash) = name.to_str().and_then(|n| n.strip_prefix(package)).and_then(|n| n.strip_prefix('-')) else {
            continue;
        };
        if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            found.push(entry.path());
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(profile: &Path, name: &str) -> PathBuf {
        let dir = profile.join(".fingerprint").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bin-api"), "x").unwrap();
        dir
    }

    #[test]
    fn a_package_another_workspace_built_last_is_compiled_again() {
        let t = tempfile::tempdir().unwrap();
        let (a, b) = (Path::new("/projects/a"), Path::new("/projects/b"));
        let ours = print(t.path(), "api-0123456789abcdef");
        let other = print(t.path(), "api-types-0123456789abcdef");
        record(t.path(), a, &["api"]).unwrap();
        assert!(reclaim(t.path(), a, &["api"]).unwrap().is_empty(), "a's own build is kept");
        assert_eq!(reclaim(t.path(), b, &["api"]).unwrap(), ["api"]);
        assert!(!ours.exists() && other.exists(), "only `api`'s fingerprints go");
    }

    #[test]
    fn cargo_run_since_the_note_or_no_note_at_all_counts_as_someone_elses() {
        let t = tempfile::tempdir().unwrap();
        let a = Path::new("/projects/a");
        assert!(reclaim(t.path(), a, &["api"]).unwrap().is_empty(), "nothing built, nothing to drop");
        print(t.path(), "api-0123456789abcdef");
        assert_eq!(reclaim(t.path(), a, &["api"]).unwrap(), ["api"], "built by whom is unknown");
        let dir = print(t.path(), "api-0123456789abcdef");
        record(t.path(), a, &["api"]).unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options().write(true).open(dir.join("bin-api")).unwrap().set_modified(later).unwrap();
        assert_eq!(reclaim(t.path(), a, &["api"]).unwrap(), ["api"], "a cargo build after sls-rs's");
    }
}
