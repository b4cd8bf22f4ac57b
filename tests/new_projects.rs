//! `sls-rs new` for every template: the project is written whole, packages to CloudFormation
//! that cfn-lint and checkov accept, builds as generated, and its own tests pass.

use crate::common;
use common::Test;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Creates `demo` from `template`, packages every service on dev and prod, and lints them.
fn new_and_package(template: &str) -> (Test, PathBuf) {
    let t = Test::new().args(["new", "demo", "--template", template, "--arch", "x86_64"]);
    let run = t.run();
    run.status(0).stderr_has(&format!("created demo from `{template}`"));
    let root = t.path().join("demo");
    // Each service's own sls.yaml; a project file (`services:`) is checked by its template's test.
    let services: Vec<PathBuf> = walk(&root)
        .into_iter()
        .filter(|p| p.ends_with("sls.yaml"))
        .filter(|p| !std::fs::read_to_string(p).unwrap().lines().any(|l| l.starts_with("services:")))
        .map(|p| p.parent().unwrap().to_path_buf())
        .collect();
    assert!(!services.is_empty(), "{template}: no sls.yaml generated");
    let mut templates = Vec::new();
    for service in &services {
        for stage in ["dev", "prod"] {
            let out =
                common::command(service).args(["package", "--stage", stage, "--output", "json"]).output().unwrap();
            let run = common::Run::from(out);
            run.status(0);
            let json = run.json();
            assert!(json["resources"].as_u64().unwrap() > 3);
            let path = service.join(".sls").join(stage).join("template.json");
            let tpl: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert!(tpl["Resources"]
                .as_object()
                .unwrap()
                .values()
                .any(|r| r["Properties"]["Architectures"][0] == "x86_64"));
            templates.push(path);
        }
    }
    common::cfn_lint(&templates);
    common::checkov(&templates);
    (t, root)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("target") && !path.ends_with(".sls") {
                out.extend(walk(&path));
            }
        } else {
            out.push(path);
        }
    }
    out
}

/// `cargo build` and `cargo test` in the generated workspace, offline from our own crate.
fn build_and_test(root: &Path) {
    for args in [&["build", "--workspace", "--quiet"][..], &["test", "--workspace", "--quiet"][..]] {
        let out = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", common::shared_target())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo {args:?} failed in {}:\n{}\n{}",
            root.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if args[0] == "test" {
            let text = String::from_utf8_lossy(&out.stdout);
            let passed: u32 = text
                .lines()
                .filter_map(|l| l.strip_prefix("test result: ok. "))
                .filter_map(|l| l.split(' ').next()?.parse::<u32>().ok())
                .sum();
            assert!(passed >= 2, "the generated project ran {passed} tests:\n{text}");
        }
    }
}

#[test]
fn http_api_template() {
    let (t, root) = new_and_package("http-api");
    assert!(root.join(".github/workflows/deploy.yml").exists());
    assert!(root.join(".gitignore").exists());
    let yaml = std::fs::read_to_string(root.join("sls.yaml")).unwrap();
    assert!(yaml.contains("service: demo") && yaml.contains("arch: x86_64"));
    build_and_test(&root);
    drop(t);
}

#[test]
fn event_driven_template() {
    let (t, root) = new_and_package("event-driven");
    let tpl = std::fs::read_to_string(root.join(".sls/dev/template.json")).unwrap();
    for kind in [
        "AWS::SQS::Queue",
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::Events::Rule",
        "AWS::Lambda::EventSourceMapping",
    ] {
        assert!(tpl.contains(kind), "event-driven template lacks {kind}");
    }
    build_and_test(&root);
    drop(t);
}

#[test]
fn microservices_template() {
    let (t, root) = new_and_package("microservices");
    for service in ["users", "orders"] {
        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join(format!("services/{service}/.sls/dev/manifest.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(manifest["stack_name"], format!("demo-{service}-dev"));
    }
    // The root lists both; `users` uses `orders`' queue, so orders comes first and users reads
    // the queue's URL and ARN from the orders stack.
    let run = common::Run::from(common::command(&root).args(["package", "--output", "json"]).output().unwrap());
    run.status(0);
    let doc = run.json();
    let services: Vec<&str> =
        doc["services"].as_array().unwrap().iter().map(|s| s["service"].as_str().unwrap()).collect();
    assert_eq!(services, ["orders", "users"]);
    let reads: Vec<&str> =
        doc["services"][1]["references"].as_array().unwrap().iter().map(|r| r["output"].as_str().unwrap()).collect();
    assert_eq!(reads, ["SignupsQueueUrl", "SignupsQueueArn"]);
    assert_eq!(doc["services"][1]["references"][0]["stack"], "demo-orders-dev");
    let users = std::fs::read_to_string(root.join("services/users/.sls/dev/template.json")).unwrap();
    assert!(users.contains(r#""SIGNUPS_QUEUE_URL": {"#) && users.contains(r#""Ref": "OrdersSignupsQueueArn""#));
    build_and_test(&root);
    drop(t);
}

#[test]
fn refuses_a_non_empty_directory_and_changes_nothing() {
    let t = Test::new().file("demo/notes.txt", "mine").args(["new", "demo", "--template", "http-api"]);
    t.run().status(2).stderr_has("exists and is not empty").stderr_has("--force");
    let entries: Vec<_> = std::fs::read_dir(t.path().join("demo")).unwrap().collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(std::fs::read_to_string(t.path().join("demo/notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 1, "staging directory left behind");

    let forced = t.args(["new", "demo", "--template", "http-api", "--force"]);
    forced.run().status(0);
    assert!(forced.path().join("demo/sls.yaml").exists());
    assert_eq!(std::fs::read_to_string(forced.path().join("demo/notes.txt")).unwrap(), "mine");
}

#[test]
fn force_never_writes_through_a_symbolic_link() {
    let t = Test::new().file("outside/secret.yaml", "keep: me\n").file("demo/notes.txt", "mine");
    std::os::unix::fs::symlink(t.path().join("outside/secret.yaml"), t.path().join("demo/sls.yaml")).unwrap();
    let t = t.args(["new", "demo", "--template", "http-api", "--force"]);
    let run = t.run();
    run.status(1).stderr_has("sls.yaml").stderr_has("symbolic link").stderr_has("nothing was written");
    assert_eq!(std::fs::read_to_string(t.path().join("outside/secret.yaml")).unwrap(), "keep: me\n");
    assert!(!t.path().join("demo/Cargo.toml").exists(), "refused before anything was written");

    // A linked directory on the way counts too.
    let t = Test::new().file("elsewhere/.keep", "").file("demo/notes.txt", "mine");
    std::os::unix::fs::symlink(t.path().join("elsewhere"), t.path().join("demo/api")).unwrap();
    let t = t.args(["new", "demo", "--template", "http-api", "--force"]);
    t.run().status(1).stderr_has("api");
    assert_eq!(std::fs::read_dir(t.path().join("elsewhere")).unwrap().count(), 1, "wrote into the link's target");
}

#[test]
fn an_empty_directory_is_fine() {
    let t = Test::new().args(["new", "demo", "--yes"]);
    std::fs::create_dir(t.path().join("demo")).unwrap();
    t.run().status(0);
    assert!(t.path().join("demo/sls.yaml").exists());
}

#[test]
fn unknown_template_and_bad_name_are_usage_errors() {
    let t = Test::new().args(["new", "demo", "--template", "http-apy"]);
    t.run().status(2).stderr_has("no template called `http-apy`").stderr_has("did you mean `http-api`?");
    assert!(!t.path().join("demo").exists());
    Test::new().args(["new", "9lives", "--yes"]).run().status(2).stderr_has("cannot name a service");
}

#[test]
fn list_shows_every_template() {
    let run = Test::new().args(["new", "--list"]).run();
    run.status(0);
    for name in ["http-api", "event-driven", "microservices"] {
        run.stdout_has(name);
    }
    let json = Test::new().args(["new", "--list", "--output", "json"]).run().json();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert!(json[0]["description"].as_str().unwrap().len() > 10);
}

#[test]
fn json_output_names_the_files() {
    let run = Test::new().args(["new", "demo", "--yes", "--output", "json"]).run();
    run.status(0);
    let json = run.json();
    assert_eq!(json["template"], "http-api");
    assert!(json["files"].as_array().unwrap().iter().any(|f| f == "api/src/main.rs"));
}
