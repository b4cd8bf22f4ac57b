//! The command-line surface: help, versions, completions, streams and exit codes.

mod common;
use common::Test;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "sls-rs.bash"),
    ("zsh", "_sls-rs"),
    ("fish", "sls-rs.fish"),
    ("powershell", "_sls-rs.ps1"),
    ("elvish", "sls-rs.elv"),
];

#[test]
fn committed_completions_are_current() {
    for (shell, file) in SHELLS {
        let run = Test::new().args(["completions", shell]).run();
        run.status(0);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions").join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == run.stdout,
            "completions/{file} is stale: run `./scripts/completions.sh` (or `sls-rs completions {shell} > completions/{file}`) and commit"
        );
    }
}

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
    Test::new().args(["package", "--bogus"]).run().status(2).stderr_has("--bogus");
    Test::new().args(["frobnicate"]).run().status(2);
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

/// What bash offers after `words` when <TAB> is pressed at the end of the last one (an empty
/// last word completes a new argument), from the committed script, which the staleness test
/// keeps equal to `sls-rs completions bash`.
fn bash_completions(words: &[&str]) -> Vec<String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/completions/sls-rs.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = format!(
        r#"source '{script}'
COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}
_sls__rs sls-rs "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = quoted.join(" ")
    );
    let out =
        std::process::Command::new("bash").args(["--norc", "--noprofile", "-c", &driver]).output().expect("bash runs");
    assert!(out.status.success(), "bash: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_commands_flags_and_values() {
    let offered = |words: &[&str], expected: &[&str]| {
        let got = bash_completions(words);
        for e in expected {
            assert!(got.iter().any(|g| g == e), "after {words:?} bash offers {got:?}, not {e}");
        }
    };
    offered(&["sls-rs", "de"], &["deploy", "dev"]);
    offered(&["sls-rs", "deploy", "--"], &["--yes", "--no-wait", "--function", "--stage"]);
    offered(&["sls-rs", "new", "x", "--template", ""], &["http-api", "event-driven", "microservices"]);
    offered(&["sls-rs", "invoke", "--event", ""], &["http", "sqs", "s3", "schedule"]);
    offered(&["sls-rs", "validate", "--output", ""], &["human", "json"]);
    offered(&["sls-rs", "completions", ""], &["bash", "zsh", "fish"]);
}
