//! The command-line surface: help, versions, install.sh, streams and exit codes.

use crate::common;
use common::Test;

#[test]
fn help_has_examples_for_every_command() {
    use clap::CommandFactory;
    let run = Test::new().args(["--help"]).run();
    run.status(0).stdout_has("Usage: sls-rs").stdout_has("Examples:");
    // Every subcommand the CLI defines, so a new one cannot ship without examples.
    let cli = sls_rs::cli::Cli::command();
    let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).filter(|n| *n != "help").collect();
    assert!(commands.len() >= 13, "{commands:?}");
    for cmd in commands {
        let run = Test::new().args([cmd, "--help"]).run();
        run.status(0).stdout_has("Examples:").stdout_has(&format!("sls-rs {cmd}"));
    }
}

#[test]
fn unknown_flags_are_usage_errors() {
    Test::new().args(["package", "--bogus"]).status(2).stderr_has("--bogus").run();
    Test::new().args(["frobnicate"]).status(2).stdout("").stderr_has("unrecognized subcommand 'frobnicate'").run();
}

#[test]
fn package_refuses_a_sls_directory_that_is_a_symbolic_link() {
    let yaml = "service: shop\nfunctions:\n  api:\n    events: [{ http: GET /x }]\n";
    let t = Test::new().file("p/sls.yaml", yaml).file("target-of-link/.keep", "");
    std::os::unix::fs::symlink(t.path().join("target-of-link"), t.path().join("p/.sls")).unwrap();
    let run = common::Run::from(common::command(&t.path().join("p")).arg("package").output().unwrap());
    run.status(1).stderr_has(".sls").stderr_has("symbolic link");
    assert_eq!(std::fs::read_dir(t.path().join("target-of-link")).unwrap().count(), 1, "wrote through the link");
}

#[test]
fn package_writes_template_and_manifest_deterministically() {
    let yaml = "service: shop\nfunctions:\n  api:\n    events: [{ http: GET /x }]\n";
    let t = Test::new().file("sls.yaml", yaml).args(["package"]);
    let first = t.run();
    first.status(0).stdout_has("template").stderr_has("packaged shop-dev");
    let tpl = t.path().join(".sls/dev/template.json");
    let a = std::fs::read(&tpl).unwrap();
    t.run().status(0);
    assert_eq!(a, std::fs::read(&tpl).unwrap());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join(".sls/dev/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["artifacts"][0]["path"], ".sls/dev/artifacts/api.zip");
}

#[test]
fn quiet_keeps_results_and_drops_notes() {
    let t = Test::new().file("sls.yaml", "service: shop\n").args(["package", "-q"]);
    let run = t.run();
    run.status(0).stdout_has("template");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn config_flag_and_stage_env() {
    let t = Test::new()
        .file("svc/custom.yaml", "service: shop\n")
        .args(["package", "--config", "svc/custom.yaml", "-o", "json"])
        .env("SLS_STAGE", "qa");
    let json = t.run().json();
    assert_eq!(json["stack"], "shop-qa");
    assert!(t.path().join("svc/.sls/qa/template.json").exists());
}

#[test]
fn doctor_reports_missing_tools_with_fixes() {
    let t = Test::new()
        .args(["doctor", "--output", "json"])
        .env("PATH", "/nonexistent")
        .env("SLS_RS_HOME", "/nonexistent/sls-rs")
        .env("HOME", "/nonexistent");
    let run = t.run();
    run.status(1);
    let json = run.json();
    assert_eq!(json["ok"], false);
    let checks = json["checks"].as_array().unwrap();
    let lambda = checks.iter().find(|c| c["name"] == "cargo-lambda").unwrap();
    assert_eq!(lambda["status"], "fail");
    assert!(lambda["fix"].as_str().unwrap().contains("install.sh --tools-only"));
    let creds = checks.iter().find(|c| c["name"] == "aws credentials").unwrap();
    assert_eq!(creds["status"], "warn", "missing credentials must not fail doctor");
    let moto = checks.iter().find(|c| c["name"] == "moto_server").unwrap();
    assert_eq!(moto["status"], "warn", "only `dev` needs moto, and it can do without: {moto}");
}

#[test]
fn doctor_passes_with_the_installed_tools() {
    let run = Test::new()
        .file("sls.yaml", "service: shop\nregion: eu-west-1\nfunctions:\n  api: {}\n")
        .args(["doctor"])
        .run();
    run.status(0).stdout_has("cargo-lambda").stdout_has("target aarch64-unknown-linux-gnu").stdout_has("eu-west-1");
    run.stdout_has("moto_server");
}

/// The README's config-error example is the real output of `sls-rs validate` on the README's
/// `sls.yaml`, byte for byte: the first thing a new user compares against.
#[test]
fn readme_config_error_example_is_real_output() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = |fence: &str| {
        let start = readme.find(fence).unwrap_or_else(|| panic!("README has no {fence:?} block")) + fence.len();
        readme[start..start + readme[start..].find("```\n").unwrap()].to_string()
    };
    let config = block("```yaml\nservice: shop\n");
    let shown = block("```console\n$ sls-rs validate\n");
    let run = Test::new().file("sls.yaml", &format!("service: shop\n{config}")).args(["validate"]).run();
    run.status(2);
    assert_eq!(run.stderr, shown, "README.md shows output that sls-rs does not print");
}

#[test]
fn errors_read_without_internal_codes_unless_verbose() {
    let broken = "service: shop\nfunctions:\n  api:\n    timout: 5\n";
    let run = Test::new().file("sls.yaml", broken).args(["validate"]).run();
    run.status(2);
    assert!(!run.stderr.contains("sls::") && !run.stderr.contains("Error:"), "{}", run.stderr);
    let run = Test::new().file("sls.yaml", broken).args(["validate", "-v"]).run();
    run.status(2).stderr_has("error: sls.yaml has 1 problem [sls::config]");
    let run = Test::new().args(["validate"]).run();
    run.status(2).stderr_has("no sls.yaml");
    assert!(!run.stderr.contains("sls::"), "{}", run.stderr);
}

#[test]
fn missing_region_and_credentials_are_reported_together() {
    let t = Test::new()
        .file("sls.yaml", "service: shop\n")
        .args(["info"])
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    let home = t.path().to_str().unwrap().to_string();
    let run = t.env("HOME", &home).run();
    run.status(2)
        .stderr_has("no AWS region is set")
        .stderr_has("no AWS credentials")
        .stderr_has("export AWS_REGION")
        .stderr_has("aws configure");
}

/// `./install.sh` as a new user runs it, with a `cargo` that records its arguments and
/// installs the binary this test suite built: what the script decides (the cargo call,
/// where completions go, the PATH note, failures) is checked here in a second, while CI
/// spends no quarter hour compiling the same code again with optimisations to run nothing.
fn install_sh(cargo_exit: i32) -> (common::Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (home, fake, root) = (dir.path().join("home"), dir.path().join("fake-bin"), dir.path().join("install"));
    std::fs::create_dir_all(&fake).unwrap();
    let calls = dir.path().join("cargo-calls");
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{calls}'\n[ \"$1\" = install ] || exec '{real}' \"$@\"\n[ {cargo_exit} = 0 ] || exit {cargo_exit}\nmkdir -p \"$CARGO_INSTALL_ROOT/bin\" && cp '{bin}' \"$CARGO_INSTALL_ROOT/bin/sls-rs\"\n",
        calls = calls.display(),
        real = which("cargo").display(),
        bin = env!("CARGO_BIN_EXE_sls-rs"),
    );
    std::fs::write(fake.join("cargo"), script).unwrap();
    std::fs::set_permissions(fake.join("cargo"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The venvs the suite already uses: their requirement stamps match, so nothing is fetched.
    let tools_home =
        sls_rs::host::tools::home(&sls_rs::host::process::Process::from_os()).expect("SLS_RS_HOME or HOME is set");
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap());
    // rustup and cargo find their homes from HOME unless told: keep the real ones.
    let real_home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
    let toolchain = |var: &str, dir: &str| std::env::var_os(var).unwrap_or_else(|| real_home.join(dir).into());
    let out = std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/install.sh"))
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("RUSTUP_HOME", toolchain("RUSTUP_HOME", ".rustup"))
        .env("CARGO_HOME", toolchain("CARGO_HOME", ".cargo"))
        .env("SLS_RS_HOME", tools_home)
        .env("CARGO_INSTALL_ROOT", &root)
        // The build path (a release checkout would fetch its prebuilt binary: tests/release.rs).
        .env("SLS_RS_PREBUILT", "never")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let mut run = common::Run::from(out);
    run.stdout = std::fs::read_to_string(&calls).unwrap_or_default();
    (run, dir)
}

fn which(tool: &str) -> std::path::PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{tool} is on PATH"))
}

#[test]
fn install_sh_installs_the_binary_and_every_completion_script() {
    let (run, dir) = install_sh(0);
    run.status(0).stderr_has("up to date").stderr_has("completions installed").stderr_has("add ");
    // `run.stdout` holds the recorded cargo calls.
    let repo = env!("CARGO_MANIFEST_DIR");
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), [format!("install --locked --path {repo}")], "{}", run.stdout);
    let installed = dir.path().join("install/bin/sls-rs");
    let version = std::process::Command::new(&installed).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("sls-rs "), "{version:?}");
    let home = dir.path().join("home");
    for (file, place) in [
        ("sls-rs.bash", ".local/share/bash-completion/completions/sls-rs"),
        ("_sls-rs", ".local/share/zsh/site-functions/_sls-rs"),
        ("sls-rs.fish", ".config/fish/completions/sls-rs.fish"),
    ] {
        let committed = std::fs::read(std::path::Path::new(repo).join("completions").join(file)).unwrap();
        assert_eq!(std::fs::read(home.join(place)).unwrap_or_default(), committed, "{place}");
    }
    // Every man page, next to the binary, where man finds it through PATH alone.
    let pages = dir.path().join("install/share/man/man1");
    for page in std::fs::read_dir(std::path::Path::new(repo).join("man")).unwrap() {
        let page = page.unwrap().path();
        let installed = std::fs::read(pages.join(page.file_name().unwrap())).unwrap_or_default();
        assert_eq!(installed, std::fs::read(&page).unwrap(), "{}", page.display());
    }
    let man = std::process::Command::new(which("man"))
        .args(["-w", "sls-rs-deploy"])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", dir.path().join("install/bin").display()))
        .env("HOME", &home)
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&man.stdout);
    assert_eq!(found.trim(), pages.join("sls-rs-deploy.1").display().to_string(), "{man:?}");
}

/// The pages in man/ are what clap_mangen makes of the command line as it is now;
/// `sh scripts/man.sh` writes them again.
#[test]
fn man_pages_match_the_command_line() {
    use clap::CommandFactory;
    let fresh = tempfile::tempdir().unwrap();
    // The package version, not `--version`'s commit: the pages change when the CLI does.
    let cli = sls_rs::cli::Cli::command().version(env!("CARGO_PKG_VERSION"));
    clap_mangen::generate_to(cli, fresh.path()).unwrap();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = |dir: &std::path::Path| -> std::collections::BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().path())
                    .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let want = pages(fresh.path());
    if std::env::var_os("SLS_RS_WRITE_MAN").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for (name, text) in &want {
            std::fs::write(committed.join(name), text).unwrap();
        }
    }
    assert!(want.contains_key("sls-rs.1") && want.contains_key("sls-rs-deploy.1"), "{:?}", want.keys());
    let have = pages(&committed);
    let stale: Vec<&String> = want.keys().chain(have.keys()).filter(|n| want.get(*n) != have.get(*n)).collect();
    assert!(stale.is_empty(), "man/ is stale ({stale:?}): run `sh scripts/man.sh` and commit man/");
}

/// Built from a checkout, `--version` names the commit, so a bug report says which code ran.
#[test]
fn version_names_the_commit_it_was_built_from() {
    let git = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h %cs", "--abbrev=9"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let want = match git.status.success() {
        true => format!("sls-rs {version} ({})\n", String::from_utf8_lossy(&git.stdout).trim()),
        false => format!("sls-rs {version}\n"),
    };
    let run = Test::new().args(["--version"]).run();
    run.status(0);
    assert_eq!(run.stdout, want);
}

#[test]
fn install_sh_stops_when_cargo_install_fails() {
    let (run, dir) = install_sh(101);
    run.status(1).stderr_has("error: cargo install failed");
    assert!(!dir.path().join("home/.local/share/bash-completion").exists(), "nothing after a failed step");
}

/// Lambda takes at most 6 MB in a synchronous invocation; `invoke` refuses more in Lambda's
/// words, whether the event is a file claiming gigabytes or an endless stdin, without reading
/// it whole (the process has 400 MB of address space here).
#[test]
fn an_event_larger_than_lambda_takes_is_refused_without_reading_it_whole() {
    let t = Test::new().file("sls.yaml", "service: big\nfunctions:\n  api:\n    events: [{ http: GET / }]\n");
    let file = std::fs::File::create(t.path().join("huge.json")).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    let message = "Request must be smaller than 6291456 bytes for the InvokeFunction operation";
    for (args, stdin) in [
        ("invoke --local -f api --path huge.json", std::process::Stdio::null()),
        ("invoke --local -f api", std::process::Stdio::from(std::fs::File::open("/dev/zero").unwrap())),
        ("invoke -f api --path huge.json", std::process::Stdio::null()),
    ] {
        let started = std::time::Instant::now();
        let run = crate::config_errors::within_400_mb(t.path(), args, stdin);
        run.status(2).stderr_has(message);
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{args}: {:?}", started.elapsed());
    }
    // Just under the limit is an event like any other (here: not JSON, so refused as such).
    std::fs::write(t.path().join("edge.json"), vec![b' '; 6 * 1024 * 1024]).unwrap();
    crate::config_errors::within_400_mb(
        t.path(),
        "invoke --local -f api --path edge.json",
        std::process::Stdio::null(),
    )
    .status(2)
    .stderr_has("the event is not JSON");
}

/// `--since` is checked before any call: a duration CloudWatch cannot hold (it keeps logs 10
/// years at most), one that overflowed to "now", a negative one and a time to come are usage
/// errors, each saying why.
#[test]
fn logs_since_is_range_checked() {
    let t = Test::new().file("sls.yaml", "service: demo\nfunctions:\n  api:\n    events: [{ http: GET / }]\n");
    for (since, says) in [
        ("9999999999999999d", "further back than CloudWatch keeps logs"),
        ("9223372036854775807s", "further back than CloudWatch keeps logs"),
        ("3654d", "further back than CloudWatch keeps logs"),
        ("-5m", "is not a time"),
        ("2999-01-01T00:00:00Z", "is in the future"),
    ] {
        let run = common::Run::from(
            common::command(t.path())
                .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
                .args(["logs", &format!("--since={since}")])
                .output()
                .unwrap(),
        );
        run.status(2).stderr_has(says);
    }
}
