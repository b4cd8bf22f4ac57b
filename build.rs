//! Build script: rebuild when the embedded project templates change (include_dir cannot tell
//! cargo itself), and put the git commit into `--version` when built from a checkout.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=templates");
    let version = env!("CARGO_PKG_VERSION");
    let full = match commit() {
        Some((hash, date)) => format!("{version} ({hash} {date})"),
        // A crates.io tarball or an unpacked source archive: no history to name.
        None => version.to_string(),
    };
    println!("cargo:rustc-env=SLS_RS_VERSION={full}");
}

/// The checked-out commit's short hash and date, and rerun triggers for when it moves.
fn commit() -> Option<(String, String)> {
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let git_dir = git(&["rev-parse", "--git-dir"])?;
    // HEAD moves on checkout, the branch's ref on commit; packed refs after `git gc`. Only
    // files that exist: a missing one would make cargo rerun this script on every build.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for file in watched {
        let path = Path::new(&git_dir).join(file);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let line = git(&["log", "-1", "--format=%h %cs", "--abbrev=9"])?;
    let (hash, date) = line.split_once(' ')?;
    Some((hash.to_string(), date.to_string()))
}
