//! This machine — files: paths as the user sees them, and file writes that never leave a
//! half-written file behind and never go through a symbolic link out of the directory they
//! belong in.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub(crate) struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// The first existing entry on the way from `root` down to `path` (`path` included, `root`
/// not: the user chose it) that is a symbolic link. Writing there would land wherever it
/// points — a `.sls` linked to `/etc` would receive the templates.
pub(crate) fn link_below(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Some(at),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// `path` as seen from `cwd` (`../users/sls.yaml` from a sibling service), for messages.
pub(crate) fn relative_to(path: &Path, cwd: &Path) -> PathBuf {
    if let Ok(below) = path.strip_prefix(cwd) {
        return below.to_path_buf();
    }
    let (Ok(path), Ok(cwd)) = (path.canonicalize(), cwd.canonicalize()) else { return path.to_path_buf() };
    let common = path.components().zip(cwd.components()).take_while(|(a, b)| a == b).count();
    let ups = cwd.components().count() - common;
    std::iter::repeat_n(std::path::Component::ParentDir.as_os_str(), ups)
        .chain(path.components().skip(common).map(|c| c.as_os_str()))
        .collect()
}

/// The error for a write refused at `link`.
pub(crate) fn through_link(link: PathBuf) -> WriteError {
    let source = std::io::Error::other(
        "it is a symbolic link; sls-rs writes only inside the project, never through a link (remove it and run again)",
    );
    WriteError { path: link, source }
}

/// Writes `path` (below `root`) through a temporary file in the same directory and a rename;
/// refuses when anything on the way below `root` is a symbolic link.
pub(crate) fn write_atomic(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if let Some(link) = link_below(root, path) {
        return Err(through_link(link));
    }
    let fail = |source: std::io::Error| WriteError { path: path.to_path_buf(), source };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
