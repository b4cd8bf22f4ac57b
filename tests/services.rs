//! A project of services against one moto server through the real SDK: the graph deployed
//! eagerly, outputs passed across as parameters, changes propagated, failures contained,
//! removal in reverse order; and the graph's config errors, found before any AWS call.

use crate::common::{self, moto};

use common::{Run, Test};
use moto::Moto;
use serde_json::Value;
use std::process::Command;

/// A ← B ← C, and D alone. B and C have a function each, with a stand-in artifact: what is
/// under test is the graph, and moto's Lambda runs no code.
fn project() -> Test {
    let t = Test::new()
        .file("sls.yaml", "services:\n  a: svc/a\n  b: { path: svc/b }\n  c: { path: svc/c }\n  d: svc/d\n")
        .file("svc/a/sls.yaml", &a_config("inbox"))
        .file(
            "svc/b/sls.yaml",
            "service: gb\nfunctions:\n  worker:\n    env:\n      INBOX: ${a.outputs.Inbox}\n      ARN: \"arn=${a.outputs.InboxArn}\"\n\
             resources:\n  topics:\n    news: {}\n",
        )
        .file("svc/c/sls.yaml", "service: gc\nfunctions:\n  reader:\n    env:\n      NEWS: ${b.outputs.NewsTopicArn}\n")
        .file("svc/d/sls.yaml", "service: gd\nresources:\n  tables:\n    notes: { key: id }\n");
    for (svc, function) in [("b", "worker"), ("c", "reader")] {
        for stage in ["dev", "qa"] {
            stand_in_artifact(&t.path().join("svc").join(svc), stage, function);
        }
    }
    t
}

/// A's queue under `name`, published as the outputs `Inbox` and `InboxArn` whatever the queue
/// is called.
fn a_config(name: &str) -> String {
    let id = format!("{}{}Queue", name[..1].to_uppercase(), &name[1..]);
    format!(
        "service: ga\nresources:\n  queues:\n    {name}: {{}}\ncloudformation:\n  Outputs:\n    Inbox:\n      Value: !Ref {id}\n    \
         InboxArn:\n      Value: !GetAtt {id}.Arn\n"
    )
}

fn stand_in_artifact(dir: &std::path::Path, stage: &str, function: &str) {
    use sha2::Digest;
    let artifacts = dir.join(".sls").join(stage).join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("bootstrap", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"#!/bin/sh\n").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let sha = format!("{:x}", sha2::Sha256::digest(&bytes));
    std::fs::write(artifacts.join(format!("{function}.zip")), &bytes).unwrap();
    let state = serde_json::json!({ function: { "arch": "arm64", "release": true, "binary_sha256": sha, "sha256": sha, "size": bytes.len() } });
    std::fs::write(artifacts.join("state.json"), state.to_string()).unwrap();
}

/// The NDJSON lines before the final document, and the document.
fn lines_and_summary(run: &Run) -> (Vec<Value>, Value) {
    let start = run.stdout.find("\n{\n").map(|i| i + 1).unwrap_or(0);
    let lines = run.stdout[..start].lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    (lines, serde_json::from_str(&run.stdout[start..]).unwrap_or_else(|e| panic!("{e}: {}", run.stdout)))
}

fn outcomes(summary: &Value) -> Vec<(String, String)> {
    let services = summary["services"].as_array().unwrap();
    services.iter().map(|s| (s["service"].as_str().unwrap().into(), s["outcome"].as_str().unwrap().into())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn position(lines: &[Value], service: &str, phase: &str) -> usize {
    lines
        .iter()
        .position(|l| l["service"] == service && l["phase"] == phase)
        .unwrap_or_else(|| panic!("no `{phase}` line for {service}: {lines:?}"))
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(ok.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn a_project_deploys_as_a_graph_propagates_outputs_contains_failures_and_removes_in_reverse() {
    let moto = Moto::start();
    let t = project();
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let (cfn, lambda) = (aws_sdk_cloudformation::Client::new(&conf), aws_sdk_lambda::Client::new(&conf));
    let env_of = |f: &str| {
        let c = rt.block_on(lambda.get_function_configuration().function_name(f).send()).unwrap();
        c.environment().unwrap().variables().unwrap().clone()
    };
    let stack_exists = |s: &str| rt.block_on(cfn.describe_stacks().stack_name(s).send()).is_ok();

    // One root deploy: all four stacks, B reading A's real output, in graph order.
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--concurrency", "2", "--output", "json"]);
    run.status(0);
    let (lines, summary) = lines_and_summary(&run);
    assert_eq!(
        outcomes(&summary),
        pairs(&[("a", "deployed"), ("b", "deployed"), ("c", "deployed"), ("d", "deployed")])
    );
    for s in ["ga-dev", "gb-dev", "gc-dev", "gd-dev"] {
        assert!(stack_exists(s), "{s} was not created");
    }
    let b_env = env_of("gb-dev-worker");
    assert_eq!(b_env["INBOX"], "https://sqs.us-east-1.amazonaws.com/123456789012/ga-dev-inbox");
    assert_eq!(b_env["ARN"], "arn=arn:aws:sqs:us-east-1:123456789012:ga-dev-inbox");
    assert_eq!(env_of("gc-dev-reader")["NEWS"], "arn:aws:sns:us-east-1:123456789012:gb-dev-news");
    assert!(position(&lines, "c", "started") > position(&lines, "b", "finished"), "C began before B was complete");
    assert!(position(&lines, "d", "started") < position(&lines, "a", "finished"), "D did not run beside A");
    assert!(lines.iter().filter(|l| l.get("event").is_some()).all(|l| l["service"].is_string()));
    let info = moto.sls(t.path(), &["info", "--output", "json"]);
    info.status(0);
    let statuses: Vec<String> = info.json()["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s["service"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, ["a CREATE_COMPLETE", "b CREATE_COMPLETE", "c CREATE_COMPLETE", "d CREATE_COMPLETE"]);
    // Logs at the root: every service's functions, labelled service/function.
    moto.sls(t.path(), &["logs", "--since", "1h"]).status(0).stderr_has("for `b/worker` and `c/reader` since");
    moto.sls(t.path(), &["logs", "-f", "reader", "--since", "1h"]).status(0).stderr_has("for `c/reader` since");
    moto.sls(t.path(), &["logs", "-f", "nope"])
        .status(2)
        .stderr_has("name it as service/function: `b/worker` or `c/reader`");
    let templates: Vec<_> =
        ["a", "b", "c", "d"].iter().map(|s| t.path().join("svc").join(s).join(".sls/dev/template.json")).collect();
    common::cfn_lint(&templates);

    // Only A's output changes (its queue is renamed): A, then B because it reads it; C and D
    // are not touched, decided from what their stacks hold.
    std::fs::write(t.path().join("svc/a/sls.yaml"), a_config("mailbox")).unwrap();
    let run = moto.sls(t.path(), &["diff", "--skip-build", "--exit-code"]);
    run.status(3).stdout_has("[a] + MailboxQueue").stdout_has("[a] - InboxQueue");
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0);
    let (_, summary) = lines_and_summary(&run);
    assert_eq!(
        outcomes(&summary),
        pairs(&[("a", "deployed"), ("b", "deployed"), ("c", "unchanged"), ("d", "unchanged")])
    );
    let b_env = env_of("gb-dev-worker");
    assert_eq!(b_env["INBOX"], "https://sqs.us-east-1.amazonaws.com/123456789012/ga-dev-mailbox");
    assert_eq!(b_env["ARN"], "arn=arn:aws:sqs:us-east-1:123456789012:ga-dev-mailbox");
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--output", "json"]);
    let (_, summary) = lines_and_summary(&run);
    assert!(outcomes(&summary).iter().all(|(_, o)| o == "unchanged"), "a second deploy is a no-op: {summary}");

    // A alone deployed with another queue: B's stack now holds a stale value. diff names it,
    // and a root deploy updates B although nothing of B changed locally.
    std::fs::write(t.path().join("svc/a/sls.yaml"), a_config("postbox")).unwrap();
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--service", "a", "--output", "json"]);
    let (_, summary) = lines_and_summary(&run);
    assert_eq!(outcomes(&summary)[..2], pairs(&[("a", "deployed"), ("b", "not selected")]));
    let run = moto.sls(t.path(), &["diff", "--skip-build", "--exit-code"]);
    run.status(3).stdout_has(
        "[b] ~ input a.Inbox: https://sqs.us-east-1.amazonaws.com/123456789012/ga-dev-mailbox → \
         https://sqs.us-east-1.amazonaws.com/123456789012/ga-dev-postbox",
    );
    assert!(!run.stdout.contains("[c]") && !run.stdout.contains("[a]"), "{}", run.stdout);
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--output", "json"]);
    let (_, summary) = lines_and_summary(&run);
    assert_eq!(
        outcomes(&summary),
        pairs(&[("a", "unchanged"), ("b", "deployed"), ("c", "unchanged"), ("d", "unchanged")])
    );
    assert_eq!(env_of("gb-dev-worker")["INBOX"], "https://sqs.us-east-1.amazonaws.com/123456789012/ga-dev-postbox");

    // --changed-since: only what changed (D), not what did not.
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-qm", "deployed"]);
    std::fs::write(
        t.path().join("svc/d/sls.yaml"),
        "service: gd\nresources:\n  tables:\n    notes: { key: id }\n    tags: { key: name }\n",
    )
    .unwrap();
    let run = moto.sls(t.path(), &["deploy", "--yes", "--skip-build", "--changed-since", "HEAD", "--output", "json"]);
    run.status(0);
    let (_, summary) = lines_and_summary(&run);
    assert_eq!(
        outcomes(&summary),
        pairs(&[("a", "not selected"), ("b", "not selected"), ("c", "not selected"), ("d", "deployed")])
    );

    // A producer that a deployed consumer reads is not removed alone.
    let run = moto.sls(t.path(), &["remove", "--yes", "--service", "a"]);
    run.status(2).stderr_has("`b` (gb-dev) reads `a`");
    assert!(stack_exists("ga-dev"));
    // At the root: consumers first.
    let run = moto.sls(t.path(), &["remove", "--yes", "--output", "json"]);
    run.status(0);
    // moto deletes a stack at once, with no events to show; any NDJSON before the summary is
    // skipped here.
    let (_, doc) = lines_and_summary(&run);
    let removed: Vec<&str> =
        doc["services"].as_array().unwrap().iter().map(|s| s["service"].as_str().unwrap()).collect();
    let at = |k: &str| removed.iter().position(|r| *r == k).unwrap();
    assert!(at("c") < at("b") && at("b") < at("a"), "{removed:?}");
    for s in ["ga-dev", "gb-dev", "gc-dev", "gd-dev"] {
        assert!(!stack_exists(s), "{s} is still there");
    }

    // A failing B (on a stage of its own: moto never rolls a failure back, so that stage stays
    // broken): C is skipped for it, D still finishes, and the summary names all four.
    let broken = "cloudformation:\n  Resources:\n    Broken:\n      Type: AWS::SQS::Queue\n      Properties:\n        QueueName: \"not a valid name!\"\n";
    let b = t.path().join("svc/b/sls.yaml");
    let b_config = std::fs::read_to_string(&b).unwrap();
    std::fs::write(&b, format!("{b_config}{broken}")).unwrap();
    let run = moto.sls(t.path(), &["deploy", "--stage", "qa", "--yes", "--skip-build", "--output", "json"]);
    run.status(1).stderr_has("`b` failed to deploy");
    let (lines, summary) = lines_and_summary(&run);
    assert_eq!(outcomes(&summary), pairs(&[("a", "deployed"), ("b", "failed"), ("c", "skipped"), ("d", "deployed")]));
    assert_eq!(summary["services"][2]["because"], "b");
    assert!(!lines.iter().any(|l| l["service"] == "c" && l["phase"] == "started"));
}

#[test]
fn graph_errors_are_located_and_found_before_any_aws_call() {
    // Nothing listens here: an AWS call would fail with a connection error, not exit 2.
    let offline = [("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), ("AWS_REGION", "us-east-1")];
    let run = |t: &Test, args: &[&str]| {
        let mut cmd = common::command(t.path());
        cmd.args(args).envs(offline);
        Run::from(cmd.output().unwrap())
    };
    let t = Test::new()
        .file("sls.yaml", "services:\n  a: a\n  b: b\n  c: { path: c, depends_on: [a] }\n")
        .file("a/sls.yaml", "service: a\nfunctions:\n  f:\n    env:\n      X: ${b.outputs.BeeQueueUrl}\n")
        .file("b/sls.yaml", "service: b\nfunctions:\n  g:\n    env:\n      Y: ${c.outputs.HFunctionName}\nresources:\n  queues:\n    bee: {}\n")
        .file(
            "c/sls.yaml",
            "service: c\nfunctions:\n  h:\n    env:\n      Z: ${a.outputs.FFunctionName}\n      W: ${users.outputs.X}\n      V: ${b.outputs.BeeQueueURL}\n    \
             uses: { b.bees: write }\n",
        );
    let out = run(&t, &["deploy", "--yes"]);
    out.status(2)
        .stderr_has("c/sls.yaml:6:10: no service called `users` in the project")
        .stderr_has("c/sls.yaml:7:10: service `b` has no output `BeeQueueURL`")
        .stderr_has("did you mean `BeeQueueUrl`?")
        .stderr_has("c/sls.yaml:8:13: service `b` declares no resource `bees`")
        .stderr_has("did you mean `b.bee`?");
    std::fs::write(
        t.path().join("c/sls.yaml"),
        "service: c\nfunctions:\n  h:\n    env:\n      Z: ${a.outputs.FFunctionName}\n",
    )
    .unwrap();
    let out = run(&t, &["deploy", "--yes"]);
    out.status(2).stderr_has("services depend on each other in a cycle").stderr_has("closes the cycle");
    // A service on its own is checked within its project too.
    let out = Run::from(common::command(&t.path().join("a")).args(["package"]).envs(offline).output().unwrap());
    out.status(2).stderr_has("cycle");
    let json = run(&t, &["validate", "--output", "json"]);
    json.status(2);
    assert!(json.json()["problems"][0]["file"].as_str().unwrap().ends_with("sls.yaml"));
}
