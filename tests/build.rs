//! `sls-rs build` on generated projects: real cargo lambda builds, deterministic zips, ELF
//! facts Lambda needs, and failures that show what went wrong.

use crate::common;
use common::Test;
use sls_rs::build::{artifact, elf};
use std::path::Path;

fn project(template: &str, arch: &str) -> Test {
    let t = Test::new().args(["new", "demo", "--template", template, "--arch", arch]);
    t.run().status(0);
    t
}

fn build(t: &Test, extra: &[&str]) -> common::Run {
    let mut args = vec!["build", "--output", "json"];
    args.extend_from_slice(extra);
    common::Run::from(common::command(&t.path().join("demo")).args(&args).output().unwrap())
}

fn check_zip(zip: &Path, arch: &str) -> String {
    let (binary, mode) = artifact::read_bootstrap(zip).unwrap();
    assert_eq!(mode & 0o777, 0o755, "bootstrap must be executable");
    let facts = elf::inspect(&binary).unwrap();
    assert_eq!(facts.arch.as_str(), arch);
    if let Some(v) = facts.glibc {
        assert!(v <= elf::MAX_GLIBC, "{} needs glibc {v:?}", zip.display());
    }
    artifact::sha256_hex(&std::fs::read(zip).unwrap())
}

#[test]
fn http_api_release_arm64_is_deterministic_and_never_another_projects_build() {
    let t = project("http-api", "arm64");
    let run = build(&t, &[]);
    run.status(0);
    assert!(run.stderr.contains("built       api"), "{}", run.stderr);
    // Without a terminal the build still says what it is compiling, not minutes of silence.
    assert!(run.stderr.contains("compiling for arm64: "), "{}", run.stderr);
    let json = run.json();
    let zip = t.path().join("demo/.sls/dev/artifacts/api.zip");
    let sha = check_zip(&zip, "arm64");
    assert_eq!(json["functions"][0]["sha256"], sha.as_str());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join("demo/.sls/dev/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["artifacts"][0]["sha256"], sha.as_str());

    // Unchanged: the zip is kept as it is. Cargo wrote Cargo.lock during the first build, so
    // it is asked once more; from then on not at all (src/build/fresh.rs).
    let again = build(&t, &[]);
    again.status(0);
    assert!(again.stderr.contains("up to date  api"), "{}", again.stderr);
    let again = build(&t, &[]);
    assert!(again.stderr.contains("up to date  api"), "{}", again.stderr);
    assert_eq!(again.json()["cargo"], false, "{}", again.stderr);
    again.stderr_has("cargo not run");
    // Saved again unchanged: still nothing to compile. A cargo setting in the environment:
    // cargo decides (here that nothing changed).
    let main = t.path().join("demo/api/src/main.rs");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options().write(true).open(&main).unwrap().set_modified(later).unwrap();
    assert_eq!(build(&t, &[]).json()["cargo"], false);
    let env = common::Run::from(
        common::command(&t.path().join("demo"))
            .args(["build", "--output", "json"])
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .output()
            .unwrap(),
    );
    assert_eq!(env.json()["cargo"], true, "{}", env.stderr);
    assert!(env.stderr.contains("up to date  api"), "the same binary: {}", env.stderr);
    // Rezipping the same binary gives the same bytes.
    std::fs::remove_file(&zip).unwrap();
    build(&t, &[]).status(0);
    assert_eq!(check_zip(&zip, "arm64"), sha);

    // Another project from the same template, built later in the same target directory:
    // cargo files both `api`s under one fingerprint, and this project's older sources once made
    // its next build "fresh" with the other's binary (deployed as this project's code).
    let other = project("http-api", "arm64");
    let theirs = other.path().join("demo/api/src/main.rs");
    let src = std::fs::read_to_string(&theirs).unwrap();
    std::fs::write(&theirs, src.replace("Hello, {name}!", "Howdy, {name}!")).unwrap();
    build(&other, &[]).status(0);
    let theirs = check_zip(&other.path().join("demo/.sls/dev/artifacts/api.zip"), "arm64");
    assert_ne!(theirs, sha);
    // (Its sources changed, so that cargo is asked at all.)
    std::fs::write(&main, std::fs::read_to_string(&main).unwrap() + "\n// saved\n").unwrap();
    assert_eq!(build(&t, &[]).json()["cargo"], true);
    assert_eq!(check_zip(&zip, "arm64"), sha, "this project's own code, not the other's");
}

// The project README's tour builds and deploys (the default architecture, release): its
// dependencies compiled here serve that test.
#[test]
fn event_driven_release_arm64_builds_every_function_at_once_and_reports_compile_errors() {
    let t = project("event-driven", "arm64");
    let run = build(&t, &[]);
    run.status(0);
    let json = run.json();
    let names: Vec<&str> =
        json["functions"].as_array().unwrap().iter().map(|f| f["function"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "signup-worker", "thumbnail", "nightly"], "declaration order");
    for name in names {
        check_zip(&t.path().join(format!("demo/.sls/dev/artifacts/{name}.zip")), "arm64");
    }
    // `-f` zips one function and leaves the others' zips alone. It compiles what a full
    // build compiles, so nothing after one: building its package alone would resolve other
    // dependency features and recompile them (minutes with the SDK), for a different binary.
    let zipped = || {
        ["api", "signup-worker", "thumbnail"]
            .map(|n| t.path().join(format!("demo/.sls/dev/artifacts/{n}.zip")).metadata().unwrap().modified().unwrap())
    };
    let before = zipped();
    // An edit, so that there is something for cargo to do.
    let nightly = t.path().join("demo/nightly/src/main.rs");
    std::fs::write(&nightly, std::fs::read_to_string(&nightly).unwrap() + "\n// saved\n").unwrap();
    let one = build(&t, &["-v", "-f", "nightly"]);
    one.status(0);
    assert_eq!(one.json()["functions"].as_array().unwrap().len(), 1);
    // `-v` shows cargo's own lines: it finished without compiling any dependency. The
    // project's own packages may compile again, if another test's project made from a template
    // built its namesakes in the shared target directory meanwhile (src/build/owner.rs).
    let own = ["api", "signup-worker", "thumbnail", "nightly", "shared"];
    let compiled: Vec<&str> = one.stderr.lines().filter_map(|l| l.trim_start().strip_prefix("Compiling ")).collect();
    assert!(one.stderr.contains("Finished"), "{}", one.stderr);
    assert!(compiled.iter().all(|c| own.iter().any(|o| c.starts_with(&format!("{o} v")))), "{}", one.stderr);
    assert_eq!(before, zipped(), "the other zips are left alone");
    build(&t, &["-f", "nope"]).status(2);

    // A compile error: exit 1 with cargo's diagnostics (here, where only `api` recompiles).
    let main = t.path().join("demo/api/src/main.rs");
    let src = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, src.replace("async fn handler(", "async fn handler(oops: NoSuchType, ")).unwrap();
    build(&t, &[]).status(1).stderr_has("NoSuchType").stderr_has("cargo lambda build failed for arm64");
}

#[test]
fn a_project_root_builds_every_service_with_one_cargo_lambda_call() {
    // arm64 release, like the event-driven project above, whose AWS SDK it shares.
    let t = Test::new().args(["new", "demo", "--template", "microservices", "--arch", "arm64"]);
    t.run().status(0);
    // A cargo-lambda that logs each call, then runs the real one (with its zig).
    let real = sls_rs::host::tools::find(&sls_rs::host::process::Process::from_os(), "cargo-lambda")
        .expect("cargo-lambda is installed (./install.sh --tools-only)");
    let (home, log) = (t.path().join("tools-home"), t.path().join("calls.log"));
    let bin = home.join("venv/bin");
    std::fs::create_dir_all(&bin).unwrap();
    let wrapper = bin.join("cargo-lambda");
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nPATH='{}':\"$PATH\" exec '{}' \"$@\"\n",
        log.display(),
        real.parent().unwrap().display(),
        real.display()
    );
    std::fs::write(&wrapper, script).unwrap();
    std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut cmd = common::command(&t.path().join("demo"));
    let run = common::Run::from(cmd.env("SLS_RS_HOME", &home).args(["build", "--output", "json"]).output().unwrap());
    run.status(0);
    let calls = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 1, "one call for both services: {calls:?}");
    for package in ["users-api", "orders-api", "order-worker", "signup-worker"] {
        assert!(calls[0].contains(&format!("--package {package}")), "{}", calls[0]);
    }
    let json = run.json();
    let built: Vec<(String, usize)> = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["service"].as_str().unwrap().to_string(), s["functions"].as_array().unwrap().len()))
        .collect();
    assert_eq!(built, [("orders".to_string(), 3), ("users".to_string(), 1)], "producers first");
    check_zip(&t.path().join("demo/services/users/.sls/dev/artifacts/users-api.zip"), "arm64");
    check_zip(&t.path().join("demo/services/orders/.sls/dev/artifacts/signup-worker.zip"), "arm64");
    assert!(run.stderr.contains("orders/signup-worker"), "lines name the service: {}", run.stderr);
}

#[test]
fn a_function_without_a_package_is_a_located_config_error() {
    let t = project("http-api", "x86_64");
    let yaml = t.path().join("demo/sls.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("  api:\n", "  api:\n    package: apj\n")).unwrap();
    build(&t, &["--debug"])
        .status(2)
        .stderr_has("needs cargo package `apj`")
        .stderr_has("did you mean `package: api`?");
}

#[test]
fn missing_cargo_lambda_says_how_to_install_it() {
    let t = project("http-api", "x86_64");
    let out = common::command(&t.path().join("demo"))
        .args(["build"])
        .env("PATH", Path::new(env!("CARGO")).parent().unwrap())
        .env("SLS_RS_HOME", t.path().join("nowhere"))
        .output()
        .unwrap();
    common::Run::from(out).status(1).stderr_has("cargo-lambda is not installed").stderr_has("install.sh --tools-only");
}
