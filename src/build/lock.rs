//! Beside build and the local runtime: one advisory lock per target directory, held from the
//! cargo call until sls-rs has taken its binaries out, so sls-rs processes that share a target
//! directory (a global `CARGO_TARGET_DIR`) never take each other's.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub(crate) struct LockError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Holds the target directory's build lock until dropped; calls `waiting` once when another
/// sls-rs process holds it. Cargo's own lock is not enough: it is released when cargo exits,
/// before cargo lambda moves each binary out of `<target>/<triple>/<profile>/` and before the
/// local runtime takes `<target>/debug/<bin>`, and two projects can both have an `api`.
pub(crate) fn lock_target(target_dir: &Path, waiting: &mut dyn FnMut(&Path)) -> Result<std::fs::File, LockError> {
    let dir = target_dir.join("lambda");
    fn fail<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> LockError + 'p {
        move |source| LockError { action, path: path.to_path_buf(), source }
    }
    std::fs::create_dir_all(&dir).map_err(fail("create", &dir))?;
    let path = dir.join(".sls-rs-build.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail("open", &path))?;
    if !flock(&file, false).map_err(fail("lock", &path))? {
        waiting(target_dir);
        flock(&file, true).map_err(fail("lock", &path))?;
    }
    Ok(file)
}

/// An exclusive advisory lock, released when the file closes (also when the process dies);
/// `Ok(false)` when another holds it and `wait` is false. (`File::lock` needs Rust 1.89.)
fn flock(file: &std::fs::File, wait: bool) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    let op = if wait { libc::LOCK_EX } else { libc::LOCK_EX | libc::LOCK_NB };
    loop {
        // SAFETY: flock on a descriptor this function borrows; no memory is passed.
        if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EWOULDBLOCK) if !wait => return Ok(false),
            _ => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_second_build_in_the_same_target_dir_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_target(dir.path(), &mut |_| panic!("nothing to wait for")).unwrap();
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut waited = false;
            let _second = lock_target(&path, &mut |_| waited = true).unwrap();
            tx.send(waited).unwrap();
        });
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "it waits while the first holds the lock");
        drop(first);
        assert!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), "and said it was waiting");
    }
}
