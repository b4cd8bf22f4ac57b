//! Build stage: whether a function's zip is still what cargo would build now, decided without
//! running cargo. On an unchanged project cargo lambda's own up-to-date check (its `cargo
//! metadata`, zig and cargo starting) was ~90% of a no-op `deploy` (0.43 of 0.51 s, measured).
//!
//! Stale code is ruled out conservatively, by everything that decides a binary:
//! - its sources: every local file cargo's dep-info names for the binary (the workspace's own
//!   sources, path dependencies, `include_bytes!` files; registry sources never change), by
//!   content, and recorded only if none was modified while cargo was compiling;
//! - its recipe: the cargo lambda arguments, the workspace's manifests and `Cargo.lock`, cargo
//!   config and toolchain files from the workspace up to `/` and in `CARGO_HOME`;
//! - its environment: every variable cargo, rustc, C compilers, zig or pkg-config read (by
//!   prefix: `CARGO*`, `RUST*`, `CC*`, `PATH`, …), every one a build script of this target
//!   directory asked to be rebuilt on (`rerun-if-env-changed`) and every one compiled code
//!   reads (`env!`, from rustc's dep-info) — not the whole environment, which tools such as
//!   hyperfine change on every run;
//! - no build script in the workspace (one may read anything).
//!
//! Anything missing, unreadable or different means cargo runs, as it always did.

use crate::host::process::Process;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a zip was built from, kept with it in the build state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Sources {
    /// Digest of the recipe (see `recipe`).
    pub recipe: String,
    /// Each local file the binary was compiled from, with its sha256.
    pub files: BTreeMap<PathBuf, String>,
    /// The variables the build reads, with their values then (None: unset).
    #[serde(default)]
    pub env: BTreeMap<String, Option<String>>,
}

/// Prefixes of the variables the toolchain itself reads (cargo, rustc, cc-rs, zig, pkg-config).
const TOOLCHAIN_ENV: &[&str] = &[
    "CARGO",
    "RUST",
    "CC",
    "CXX",
    "CFLAGS",
    "CXXFLAGS",
    "CPPFLAGS",
    "LDFLAGS",
    "AR",
    "RANLIB",
    "TARGET",
    "HOST",
    "PKG_CONFIG",
    "ZIG",
    "PATH",
    "LD_LIBRARY_PATH",
    "LIBRARY_PATH",
    "SDKROOT",
    "MACOSX_DEPLOYMENT_TARGET",
];

fn toolchain_env(process: &Process) -> BTreeMap<String, Option<String>> {
    process
        .vars()
        .filter_map(|(k, v)| Some((k.to_str()?.to_string(), v.to_string_lossy().into_owned())))
        .filter(|(k, _)| TOOLCHAIN_ENV.iter().any(|p| k.starts_with(p)))
        .map(|(k, v)| (k, Some(v)))
        .collect()
}

/// The variables build scripts (`rerun-if-env-changed`) and compiled code (`env!`, rustc's
/// `# env-dep:` lines) of `profile_dir` read: a superset of this build's, which is safe.
fn declared_env(profile_dir: &Path) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let lines = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    // No such directory is nothing declared; one that cannot be read is doubt.
    let entries = |dir: PathBuf| match std::fs::read_dir(dir) {
        Ok(entries) => Some(entries.flatten().collect::<Vec<_>>()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Vec::new()),
        Err(_) => None,
    };
    for entry in entries(profile_dir.join("build"))? {
        for line in lines(entry.path().join("output")).lines() {
            let rest = line.strip_prefix("cargo::").or_else(|| line.strip_prefix("cargo:"));
            if let Some(var) = rest.and_then(|r| r.strip_prefix("rerun-if-env-changed=")) {
                names.push(var.trim().to_string());
            }
        }
    }
    for entry in entries(profile_dir.join("deps"))? {
        if entry.path().extension().is_some_and(|e| e == "d") {
            for line in lines(entry.path()).lines() {
                if let Some(dep) = line.strip_prefix("# env-dep:") {
                    names.push(dep.split('=').next().unwrap_or(dep).to_string());
                }
            }
        }
    }
    Some(names)
}

/// The digest of everything besides sources that decides what cargo lambda builds.
pub(crate) fn recipe(process: &Process, root: &Path, manifests: &[PathBuf], args: &[String]) -> String {
    let mut text = String::new();
    let mut add = |label: &str, value: &[u8]| {
        text.push_str(label);
        text.push('\0');
        text.push_str(&crate::build::artifact::sha256_hex(value));
        text.push('\n');
    };
    add("args", args.join("\0").as_bytes());
    let mut files: Vec<PathBuf> = manifests.to_vec();
    files.push(root.join("Cargo.toml"));
    files.push(root.join("Cargo.lock"));
    for dir in root.ancestors() {
        for name in [".cargo/config", ".cargo/config.toml", "rust-toolchain", "rust-toolchain.toml"] {
            files.push(dir.join(name));
        }
    }
    let cargo_home = process
        .var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| process.var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        files.extend([home.join("config"), home.join("config.toml")]);
    }
    for file in files {
        // An absent file is part of the recipe too: creating one changes it.
        let bytes = std::fs::read(&file).unwrap_or_else(|_| b"\0absent".to_vec());
        add(&file.to_string_lossy(), &bytes);
    }
    crate::build::artifact::sha256_hex(text.as_bytes())
}

/// The variables a build in `profile_dir` reads, with their values now: read once after each
/// cargo call, for every binary it built. None when a directory cannot be read.
pub(crate) fn build_env(process: &Process, profile_dir: &Path) -> Option<BTreeMap<String, Option<String>>> {
    let mut env = toolchain_env(process);
    for name in declared_env(profile_dir)? {
        let value = process.var_os(&name).map(|v| v.to_string_lossy().into_owned());
        env.insert(name, value);
    }
    Some(env)
}

/// The sources of a binary cargo has just built, from the dep-info it wrote beside it
/// (`<profile dir>/<bin>.d`); None when any is unreadable, relative, or was modified after
/// `started` (cargo may have compiled the version before the edit).
pub(crate) fn record(
    dep_info: &Path,
    recipe: &str,
    env: &BTreeMap<String, Option<String>>,
    started: SystemTime,
) -> Option<Sources> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    let mut files = BTreeMap::new();
    for path in dependencies(&text)? {
        if !path.is_absolute() || std::fs::metadata(&path).ok()?.modified().ok()? > started {
            return None;
        }
        files.insert(path.clone(), crate::build::artifact::sha256_hex(&std::fs::read(&path).ok()?));
    }
    Some(Sources { recipe: recipe.to_string(), files, env: env.clone() })
}

/// The recorded sources are what is on disk now, under the same recipe.
pub(crate) fn unchanged(process: &Process, sources: &Sources, recipe: &str) -> bool {
    let env_now = |name: &String| process.var_os(name).map(|v| v.to_string_lossy().into_owned());
    // A toolchain variable set since counts as a change too, not only one changed or unset.
    let toolchain_same = toolchain_env(process).keys().all(|k| sources.env.contains_key(k));
    sources.recipe == recipe
        && toolchain_same
        && sources.env.iter().all(|(k, v)| env_now(k) == *v)
        && !sources.files.is_empty()
        && sources
            .files
            .iter()
            .all(|(path, sha)| std::fs::read(path).is_ok_and(|b| crate::build::artifact::sha256_hex(&b) == *sha))
}

/// The prerequisites of a Makefile-style dep-info file: `target: a b\ c` (spaces escaped).
fn dependencies(text: &str) -> Option<Vec<PathBuf>> {
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let (_, deps) = line.split_once(": ")?;
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next().unwrap_or('\\')),
            ' ' => {
                if !current.is_empty() {
                    out.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(PathBuf::from(current));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The environment of these builds, given rather than read: the process's own plays no part.
    fn process(vars: &[(&str, &str)]) -> Process {
        Process::with("/".into(), vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let main = t.path().join("api/src/main.rs");
        std::fs::create_dir_all(main.parent().unwrap()).unwrap();
        std::fs::write(&main, "fn main() {}").unwrap();
        std::fs::write(t.path().join("Cargo.toml"), "[workspace]").unwrap();
        let d = t.path().join("api.d");
        std::fs::write(&d, format!("{}: {}\n", t.path().join("bin").display(), main.display())).unwrap();
        (t, main, d)
    }

    #[test]
    fn dep_info_paths_keep_their_escaped_spaces() {
        let deps = dependencies("/t/api: /p/my\\ app/src/main.rs /p/shared/src/lib.rs\n").unwrap();
        assert_eq!(deps, [PathBuf::from("/p/my app/src/main.rs"), PathBuf::from("/p/shared/src/lib.rs")]);
    }

    #[test]
    fn an_edited_source_or_manifest_is_stale_and_a_touched_one_is_not() {
        let (t, main, d) = project();
        let args = vec!["lambda".to_string(), "build".into()];
        let p = process(&[("PATH", "/usr/bin")]);
        let recipe = recipe(&p, t.path(), &[], &args);
        let later = SystemTime::now() + Duration::from_secs(5);
        let sources = record(&d, &recipe, &build_env(&p, t.path()).unwrap(), later).unwrap();
        assert!(unchanged(&p, &sources, &recipe));
        // Saved again with the same content: the same binary, nothing to compile.
        std::fs::File::options().write(true).open(&main).unwrap().set_modified(later).unwrap();
        assert!(unchanged(&p, &sources, &recipe));
        std::fs::write(&main, "fn main() { println!(); }").unwrap();
        assert!(!unchanged(&p, &sources, &recipe), "an edited source");
        std::fs::write(&main, "fn main() {}").unwrap();
        std::fs::write(t.path().join("Cargo.toml"), "[workspace]\n[profile.release]\nlto = true").unwrap();
        assert!(!unchanged(&p, &sources, &super::recipe(&p, t.path(), &[], &args)), "an edited manifest");
        let more = vec!["lambda".to_string(), "build".into(), "--release".into()];
        assert_ne!(super::recipe(&p, t.path(), &[], &more), recipe, "other cargo lambda arguments");
        std::fs::remove_file(&main).unwrap();
        assert!(!unchanged(&p, &sources, &recipe), "a source gone");
    }

    #[test]
    fn variables_build_scripts_and_code_read_are_recorded_with_their_values() {
        let (t, _main, d) = project();
        let script = t.path().join("build/aws-lc-sys-0123456789abcdef");
        std::fs::create_dir_all(&script).unwrap();
        std::fs::write(script.join("output"), "cargo:rerun-if-env-changed=SLS_RS_TEST_UNSET_VAR\n").unwrap();
        std::fs::create_dir_all(t.path().join("deps")).unwrap();
        std::fs::write(t.path().join("deps/api-0123.d"), "x: y\n# env-dep:SLS_RS_TEST_OTHER=1\n").unwrap();
        let later = SystemTime::now() + Duration::from_secs(5);
        let p = process(&[("PATH", "/usr/bin"), ("SLS_RS_TEST_OTHER", "2")]);
        let sources = record(&d, "r", &build_env(&p, t.path()).unwrap(), later).unwrap();
        assert_eq!(sources.env.get("SLS_RS_TEST_UNSET_VAR"), Some(&None));
        assert_eq!(sources.env.get("SLS_RS_TEST_OTHER"), Some(&Some("2".into())));
        assert_eq!(sources.env.get("PATH"), Some(&Some("/usr/bin".into())), "the toolchain's own");
        assert!(unchanged(&p, &sources, "r"));
        let set_since = process(&[("PATH", "/usr/bin"), ("SLS_RS_TEST_OTHER", "2"), ("SLS_RS_TEST_UNSET_VAR", "1")]);
        assert!(!unchanged(&set_since, &sources, "r"), "a variable a build script reads, set since");
        let toolchain = process(&[("PATH", "/usr/bin"), ("SLS_RS_TEST_OTHER", "2"), ("RUSTFLAGS", "-Copt-level=1")]);
        assert!(!unchanged(&toolchain, &sources, "r"), "a toolchain variable set since");
    }

    #[test]
    fn a_source_saved_while_cargo_compiled_is_not_recorded() {
        let (t, _main, d) = project();
        let before = SystemTime::now() - Duration::from_secs(60);
        assert_eq!(
            record(&d, "r", &build_env(&process(&[]), t.path()).unwrap(), before),
            None,
            "cargo may have compiled the version before the save"
        );
    }
}
