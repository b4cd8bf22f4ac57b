//! This machine — git: which files of a project changed since a ref, for deploying only the
//! services they belong to (`deploy --changed-since`).

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    #[error("git could not compare with `{git_ref}`: {stderr}")]
    Refused { git_ref: String, stderr: String },
}

/// Files changed since `git_ref` (committed, staged, unstaged or new), relative to `root`.
pub(crate) fn changed_files(root: &Path, git_ref: &str) -> Result<Vec<PathBuf>, GitError> {
    let git = |args: &[&str]| -> Result<String, GitError> {
        let out = std::process::Command::new("git").args(args).current_dir(root).output().map_err(GitError::Spawn)?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(GitError::Refused { git_ref: git_ref.to_string(), stderr });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    // `--relative` makes paths relative to the project root even inside a larger repository.
    let mut text = git(&["diff", "--name-only", "--relative", git_ref, "--"])?;
    text.push_str(&git(&["ls-files", "--others", "--exclude-standard"])?);
    Ok(text.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect())
}
