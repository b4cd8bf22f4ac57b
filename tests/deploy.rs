//! Deploy, info, remove against a moto server through the real SDK; the resulting state is
//! checked with the SDK directly, not through sls-rs.

use crate::common::{self, faults, moto};

use common::{Run, Test};
use moto::Moto;
use std::path::Path;
use std::process::{Command, Stdio};

/// sls-rs in the test's project with moto's credentials, sending its calls through the fault
/// proxy before moto.
fn via_faults(t: &Test, moto: &Moto, faults: &Faults) -> Command {
    let mut cmd = moto.command(&t.path().join("demo"));
    cmd.env("AWS_ENDPOINT_URL", &faults.url);
    cmd
}

/// Appends `message` to the log stream `s1` of `group`, timestamped now.
fn put_log(rt: &tokio::runtime::Runtime, logs: &aws_sdk_cloudwatchlogs::Client, group: &str, message: &str) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let event =
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(now).message(message).build().unwrap();
    rt.block_on(logs.put_log_events().log_group_name(group).log_stream_name("s1").log_events(event).send()).unwrap();
}

/// Starts `cmd` with its stdout read line by line into a channel, so a test can wait for each
/// line with a deadline while the command keeps running.
fn spawn_lines(cmd: &mut Command) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// The last line of NDJSON output: the final report.
fn report(run: &Run) -> serde_json::Value {
    let start = run.stdout.rfind("\n{\n").map(|i| i + 1).unwrap_or(0);
    serde_json::from_str(&run.stdout[start..])
        .unwrap_or_else(|e| panic!("no report ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// The http-api project, made and built once for the scenarios that deploy it: each deploys a
/// copy (`Test::copy_of`), so only the scenarios about changed code compile anything.
fn http_api() -> Test {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let t = Test::within(Path::new(env!("CARGO_TARGET_TMPDIR"))).args(["new", "demo", "--template", "http-api"]);
        t.run().status(0);
        Run::from(common::command(&t.path().join("demo")).arg("build").output().unwrap()).status(0);
        t.dir
    });
    Test::copy_of(built.path())
}

/// `http_api()` deployed to a fresh moto, with the stack name it got.
fn deployed_http_api() -> (Moto, Test) {
    let moto = Moto::start();
    let t = http_api();
    let run = moto.sls(&t.path().join("demo"), &["deploy", "--yes", "--skip-build", "--output", "json"]);
    assert_eq!(report(run.status(0))["status"], "deployed", "{}", run.stderr);
    (moto, t)
}

const ARTIFACTS: &str = "sls-rs-123456789012-us-east-1";

#[test]
fn a_first_deploy_uploads_the_artifact_once_and_a_second_changes_nothing() {
    let moto = Moto::start();
    let t = http_api();
    let demo = t.path().join("demo");
    let rt = common::rt();
    let conf = moto.sdk();
    let (cfn, lambda) = (aws_sdk_cloudformation::Client::new(&conf), aws_sdk_lambda::Client::new(&conf));
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());

    // The first deploy (the build is fresh): creates the deployment bucket, uploads, creates
    // the stack.
    let run = moto.sls(&demo, &["deploy", "--yes", "--output", "json"]);
    run.status(0);
    let first = report(&run);
    assert_eq!(first["status"], "deployed", "{}", run.stderr);
    assert!(first["changes"].as_array().unwrap().iter().any(|c| c["logical_id"] == "ApiFunction"));
    assert_eq!(moto.stack_status("demo-dev").as_deref(), Some("CREATE_COMPLETE"));
    let f = rt.block_on(lambda.get_function().function_name("demo-dev-api").send()).unwrap();
    let c = f.configuration().unwrap();
    assert_eq!(c.runtime().unwrap().as_str(), "provided.al2023");
    assert_eq!(c.memory_size(), Some(256));
    // moto's CloudFormation drops `Architectures` when it creates the function, so the
    // architecture is checked in the template the stack holds.
    let held = rt.block_on(cfn.get_template().stack_name("demo-dev").send()).unwrap();
    let held: serde_json::Value = serde_json::from_str(held.template_body().unwrap()).unwrap();
    assert_eq!(held["Resources"]["ApiFunction"]["Properties"]["Architectures"][0], "arm64");
    let objects = rt.block_on(s3.list_objects_v2().bucket(ARTIFACTS).prefix("demo-dev/api/").send()).unwrap();
    assert_eq!(objects.contents().len(), 1, "one artifact, keyed by its hash");

    // Nothing changed: nothing uploaded, no change set, and diff agrees.
    let run = moto.sls(&demo, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0);
    let noop = report(&run);
    assert_eq!(noop["status"], "unchanged");
    assert!(noop["uploads"].as_array().unwrap().iter().all(|u| u["uploaded"] == false));
    moto.sls(&demo, &["diff", "--skip-build", "--exit-code"]).status(0).stderr_has("is up to date");
}

#[test]
fn a_code_change_ships_with_deploy_function_and_the_next_full_deploy_reconciles_it() {
    let (moto, t) = deployed_http_api();
    let demo = t.path().join("demo");
    let rt = common::rt();
    let conf = moto.sdk();
    let (cfn, lambda) = (aws_sdk_cloudformation::Client::new(&conf), aws_sdk_lambda::Client::new(&conf));
    let code = || {
        let f = rt.block_on(lambda.get_function().function_name("demo-dev-api").send()).unwrap();
        f.configuration().unwrap().code_sha256().unwrap().to_string()
    };
    let code_before = code();

    // diff shows the change; `deploy --function` pushes only the code.
    let main = demo.join("api/src/main.rs");
    let src = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, src.replace("Hello, {name}!", "Hi, {name}!")).unwrap();
    moto.sls(&demo, &["diff", "--exit-code"]).status(3).stdout_has("~ code of api");
    let run = moto.sls(&demo, &["deploy", "--function", "api", "--output", "json"]);
    run.status(0).stderr_has("next full `sls-rs deploy` reconciles");
    assert_eq!(run.json()["status"], "code-updated");
    let code_fast = code();
    assert_ne!(code_fast, code_before);

    // The next full deploy reconciles the stack, which still names the old artifact.
    let run = moto.sls(&demo, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0);
    let reconcile = report(&run);
    assert_eq!(reconcile["status"], "deployed", "{}", run.stderr);
    assert_eq!(reconcile["uploads"][0]["uploaded"], false, "the code-only deploy uploaded it already");
    let params = rt.block_on(cfn.describe_stacks().stack_name("demo-dev").send()).unwrap();
    let key = params.stacks()[0].parameters().iter().find(|p| p.parameter_key() == Some("ApiArtifactKey")).unwrap();
    assert_eq!(key.parameter_value(), reconcile["uploads"][0]["key"].as_str());

    // Another change through a full deploy: the new artifact is uploaded, the code changes.
    std::fs::write(&main, src.replace("Hello, {name}!", "Hey, {name}!")).unwrap();
    let run = moto.sls(&demo, &["deploy", "--yes", "--output", "json"]);
    run.status(0);
    let update = report(&run);
    assert_eq!(update["status"], "deployed", "{}", run.stderr);
    assert_eq!(update["uploads"][0]["uploaded"], true);
    assert_ne!(code(), code_fast);
}

#[test]
fn a_changed_setting_shows_in_diff_with_both_values_and_info_shows_what_is_deployed() {
    let (moto, t) = deployed_http_api();
    let demo = t.path().join("demo");

    // diff names the property inside the resource, with both values; the stack is untouched.
    let yaml = demo.join("sls.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, config.replacen("memory: 256", "memory: 512", 1)).unwrap();
    let run = moto.sls(&demo, &["diff", "--skip-build", "--exit-code"]);
    run.status(3).stdout_has("~ ApiFunction\n    MemorySize: 256 → 512\n");
    let run = moto.sls(&demo, &["diff", "--skip-build", "--output", "json"]);
    run.status(0);
    let change = &run.json()["properties"]["ApiFunction"][0];
    assert_eq!(
        (&change["path"], &change["old"], &change["new"]),
        (&"Properties.MemorySize".into(), &256.into(), &512.into())
    );

    let info = moto.sls(&demo, &["info", "--output", "json"]);
    info.status(0);
    let info = info.json();
    assert_eq!(info["status"], "CREATE_COMPLETE");
    assert_eq!(info["functions"][0]["function"], "api");
    assert_eq!(info["functions"][0]["memory"], 256, "info shows the deployed value, not the edited one");
}

#[test]
fn invoke_prints_exactly_what_the_deployed_function_answered() {
    let (moto, t) = deployed_http_api();
    // Through the Lambda API: moto answers with what it was given to answer.
    let answer = r#"{"statusCode":200,"body":"hello from lambda"}"#;
    moto.queue_lambda_result(answer);
    let run = moto.sls(&t.path().join("demo"), &["invoke", "-f", "api", "--event", "http"]);
    run.status(0);
    assert_eq!(run.stdout.trim_end(), answer);
}

#[test]
fn logs_show_what_was_logged_then_follow_new_lines_until_ctrl_c() {
    let (moto, t) = deployed_http_api();
    let demo = t.path().join("demo");
    let rt = common::rt();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk());
    let group = "/aws/lambda/demo-dev-api";
    let _ = rt.block_on(logs.create_log_group().log_group_name(group).send());
    rt.block_on(logs.create_log_stream().log_group_name(group).log_stream_name("s1").send()).unwrap();
    let put = |msg: &str| put_log(&rt, &logs, group, msg);

    // Nothing logged yet: said on stderr, for which function and since when; stdout stays empty.
    let run = moto.sls(&demo, &["logs", "-f", "api", "--since", "1h"]);
    run.status(0).stderr_has("no log events for `api` since ").stderr_has("(--since 1h)");
    assert_eq!(run.stdout, "");
    put(r#"{"level":"INFO","fields":{"message":"first line","user":"ada"}}"#);
    let run = moto.sls(&demo, &["logs", "-f", "api", "--since", "1h"]);
    run.status(0).stdout_has("INFO  first line user=ada");

    let (child, rx) =
        spawn_lines(moto.command(&demo).args(["logs", "-f", "api", "--tail", "--since", "1h", "--output", "json"]));
    let first = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the existing line");
    assert!(first.contains("first line"), "{first}");
    put("second line");
    let second = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the new line while following");
    assert!(second.contains("second line"), "{second}");
    assert!(rx.recv_timeout(std::time::Duration::from_secs(3)).is_err(), "a line was shown twice");
    // Ctrl-C is how following ends: a clean exit. moto has no Live Tail, so this was the
    // polling fallback, and the user is told why.
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let run = Run::from(child.wait_with_output().unwrap());
    run.status(0).stderr_has("live tail unavailable").stderr_has("polling");
    // The endpoint is moto, not AWS: the message names what was tried instead.
    assert!(!run.stderr.contains("cannot reach AWS"), "{}", run.stderr);
}

#[test]
fn remove_deletes_the_stack_and_its_artifacts_and_a_second_remove_is_fine() {
    let (moto, t) = deployed_http_api();
    let demo = t.path().join("demo");
    let rt = common::rt();
    let conf = moto.sdk();
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());

    let run = moto.sls(&demo, &["remove", "--yes", "--output", "json"]);
    run.status(0);
    assert_eq!(run.json()["status"], "removed");
    let gone = moto.stack_status("demo-dev");
    assert!(gone.is_none() || gone.as_deref() == Some("DELETE_COMPLETE"), "{gone:?}");
    let objects = rt.block_on(s3.list_objects_v2().bucket(ARTIFACTS).prefix("demo-dev/").send()).unwrap();
    assert!(objects.contents().is_empty(), "artifacts left behind");

    moto.sls(&demo, &["remove", "--yes"]).status(0).stderr_has("does not exist; nothing to remove");
}

#[test]
fn remove_needs_yes_without_a_terminal() {
    let moto = Moto::start();
    let t = Test::new().file("demo/sls.yaml", "service: demo\n");
    let demo = t.path().join("demo");
    moto.sls(&demo, &["remove"]).status(2).stderr_has("pass --yes");
}

#[test]
fn unreachable_endpoint_and_missing_region_are_clear() {
    let t = Test::new().file("demo/sls.yaml", "service: demo\n");
    let out = common::command(&t.path().join("demo"))
        .args(["info"])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .unwrap();
    Run::from(out).status(1).stderr_has("cannot reach AWS");

    let out = common::command(&t.path().join("demo"))
        .args(["info"])
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .output()
        .unwrap();
    Run::from(out).status(2).stderr_has("no AWS region is set").stderr_has("--region");
}

#[test]
fn ctrl_c_during_a_deploy_exits_130_and_says_what_was_left() {
    // An endpoint that accepts connections and never answers: the deploy waits on it.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let t = Test::new().file("demo/sls.yaml", "service: demo\n");
    let child = common::command(&t.path().join("demo"))
        .args(["deploy", "--yes", "--skip-build"])
        .env("AWS_ENDPOINT_URL", format!("http://{}", silent.local_addr().unwrap()))
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_REGION", "us-east-1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first request arriving means the deploy is under way, and sls-rs listens for Ctrl-C
    // from before it sends anything.
    let (_held, _) = silent.accept().unwrap();
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    Run::from(child.wait_with_output().unwrap()).status(130).stderr_has("interrupted; demo-dev was not changed");
}

#[test]
fn buckets_with_data_retained_stages_and_large_templates() {
    let moto = Moto::start();
    // No functions: nothing to build, so these deploys exercise only the stack handling.
    let pad = "x".repeat(60_000);
    let yaml = format!(
        "service: data\nresources:\n  buckets:\n    files: {{}}\n  tables:\n    users: {{ key: id }}\nstages:\n  prod: {{ removal: retain }}\n\
         cloudformation:\n  Resources:\n    Notes:\n      Type: AWS::SNS::Topic\n      Metadata:\n        padding: {pad}\n"
    );
    let t = Test::new().file("demo/sls.yaml", &yaml);
    let demo = t.path().join("demo");
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    let cfn = aws_sdk_cloudformation::Client::new(&conf);

    // Over CloudFormation's inline limit, the template goes through the deployment bucket.
    let run = moto.sls(&demo, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0);
    assert_eq!(report(&run)["status"], "deployed", "{}", run.stderr);
    let templates = rt
        .block_on(s3.list_objects_v2().bucket("sls-rs-123456789012-us-east-1").prefix("data-dev/templates/").send())
        .unwrap();
    assert_eq!(templates.contents().len(), 1, "the large template was not uploaded");

    let bucket = "data-dev-files-123456789012";
    rt.block_on(s3.put_object().bucket(bucket).key("report.csv").body(b"a,b\n".to_vec().into()).send()).unwrap();
    let dynamodb = aws_sdk_dynamodb::Client::new(&conf);
    let item = aws_sdk_dynamodb::types::AttributeValue::S("ada".into());
    rt.block_on(dynamodb.put_item().table_name("data-dev-users").item("id", item).send()).unwrap();
    let kept = |why: &str| {
        let still = rt.block_on(cfn.describe_stacks().stack_name("data-dev").send()).unwrap();
        assert_eq!(still.stacks()[0].stack_status().unwrap().as_str(), "CREATE_COMPLETE", "{why}");
    };
    // `--yes` answers the confirmation, never the question about data: every holder is listed.
    let run = moto.sls(&demo, &["remove", "--yes"]);
    run.status(1)
        .stderr_has(&format!("bucket {bucket}: 1 object(s)"))
        .stderr_has("table data-dev-users: about 1 item(s)")
        .stderr_has("--delete-data");
    kept("refused, so nothing was deleted");
    // Consent to buckets is not consent to tables.
    let run = moto.sls(&demo, &["remove", "--yes", "--empty-buckets"]);
    run.status(1).stderr_has("table data-dev-users").stderr_has("nothing was removed");
    kept("a table holding items needs --delete-data");
    assert!(!run.stderr.contains(bucket), "buckets were consented to: {}", run.stderr);
    let run = moto.sls(&demo, &["remove", "--yes", "--delete-data", "--output", "json"]);
    run.status(0);
    assert_eq!(run.json()["emptied_buckets"][0][1], 1);
    assert!(rt.block_on(dynamodb.describe_table().table_name("data-dev-users").send()).is_err(), "table deleted");

    // A versioned bucket whose objects were all deleted still holds their versions.
    let versioned =
        Test::new().file("demo/sls.yaml", "service: vers\nresources:\n  buckets:\n    docs: { versioning: true }\n");
    moto.sls(&versioned.path().join("demo"), &["deploy", "--yes", "--skip-build"]).status(0);
    let docs = "vers-dev-docs-123456789012";
    // moto's CloudFormation ignores VersioningConfiguration; turn it on as AWS would have.
    let on = aws_sdk_s3::types::VersioningConfiguration::builder()
        .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
        .build();
    rt.block_on(s3.put_bucket_versioning().bucket(docs).versioning_configuration(on).send()).unwrap();
    for body in ["v1", "v2"] {
        rt.block_on(s3.put_object().bucket(docs).key("a.txt").body(body.as_bytes().to_vec().into()).send()).unwrap();
    }
    rt.block_on(s3.delete_object().bucket(docs).key("a.txt").send()).unwrap();
    let listed = rt.block_on(s3.list_objects_v2().bucket(docs).send()).unwrap();
    assert_eq!(listed.key_count(), Some(0), "no current object: a plain listing says empty");
    let run = moto.sls(&versioned.path().join("demo"), &["remove", "--yes"]);
    run.status(1).stderr_has(&format!("bucket {docs}: 0 object(s), 2 older version(s), 1 delete marker(s)"));
    let run = moto.sls(&versioned.path().join("demo"), &["remove", "--yes", "--delete-data"]);
    run.status(0);
    assert!(rt.block_on(s3.head_bucket().bucket(docs).send()).is_err(), "the versioned bucket was deleted");

    // On a `removal: retain` stage the data resources outlive the stack, and remove says so.
    moto.sls(&demo, &["deploy", "--stage", "prod", "--yes", "--skip-build"]).status(0);
    let run = moto.sls(&demo, &["remove", "--stage", "prod", "--yes"]);
    run.status(0).stdout_has("kept (removal: retain)  FilesBucket").stdout_has("UsersTable");
}

use faults::{json_error, query_error, s3_error, Fault, Faults};

/// A function whose zip is already "built" (a real zip, recorded as `build` records it), so a
/// deploy with `--skip-build` uploads it without compiling anything.
fn prebuilt(t: &Test, function: &str) {
    prebuilt_on(t, "dev", function)
}

/// `prebuilt` for another stage.
pub(crate) fn prebuilt_on(t: &Test, stage: &str, function: &str) {
    use std::io::Write;
    let dir = t.path().join(format!("demo/.sls/{stage}/artifacts"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("bootstrap", zip::write::SimpleFileOptions::default().unix_permissions(0o755)).unwrap();
    zip.write_all(b"#!/bin/sh\necho not really a handler\n").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(dir.join(format!("{function}.zip")), &bytes).unwrap();
    let sha = sls_rs::build::artifact::sha256_hex(&bytes);
    let state = serde_json::json!({ function: {
        "arch": "arm64", "release": true, "binary_sha256": sha, "sha256": sha, "size": bytes.len()
    }});
    std::fs::write(dir.join("state.json"), state.to_string()).unwrap();
}

/// sls-rs with the fault proxy as its endpoint.
fn through(t: &Test, faults: &Faults, moto: &Moto, args: &[&str]) -> Run {
    Run::from(via_faults(t, moto, faults).args(args).output().unwrap())
}

const FLAKY: &str = "service: flaky\nfunctions:\n  nightly:\n    events: [{ schedule: rate(1 day) }]\n";

#[test]
fn a_deploy_through_5xx_and_throttling_completes_and_uploads_once() {
    let moto = Moto::start();
    let faults = Faults::start(&moto.endpoint);
    let t = Test::new().file("demo/sls.yaml", FLAKY);
    prebuilt(&t, "nightly");
    let upload = |c: &faults::Call| c.method == "PUT" && c.path.contains("/flaky-dev/nightly/");
    faults.inject(2, Fault::Error(503, s3_error("SlowDown", "Please reduce your request rate.")), upload);
    faults.inject(1, Fault::Error(400, query_error("Throttling", "Rate exceeded")), |c| c.is("CreateChangeSet"));
    faults.inject(2, Fault::Error(500, query_error("InternalFailure", "try again")), |c| c.is("DescribeStacks"));
    faults.inject(1, Fault::Error(503, query_error("ServiceUnavailable", "busy")), |c| c.is("ExecuteChangeSet"));

    let run = through(&t, &faults, &moto, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0);
    assert_eq!(report(&run)["status"], "deployed", "{}", run.stderr);
    let calls = faults.calls();
    assert_eq!(calls.iter().filter(|c| c.injected).count(), 6, "every fault was met: {calls:#?}");
    let stored: Vec<_> = calls.iter().filter(|c| upload(c) && !c.injected).collect();
    assert_eq!(stored.len(), 1, "the artifact reached S3 once: {stored:#?}");

    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    assert_eq!(moto.stack_status("flaky-dev").as_deref(), Some("CREATE_COMPLETE"));
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    let objects = rt
        .block_on(s3.list_objects_v2().bucket("sls-rs-123456789012-us-east-1").prefix("flaky-dev/nightly/").send())
        .unwrap();
    assert_eq!(objects.contents().len(), 1);
    let lambda = aws_sdk_lambda::Client::new(&conf);
    rt.block_on(lambda.get_function().function_name("flaky-dev-nightly").send()).expect("the function exists");
}

#[test]
fn an_endpoint_dying_mid_deploy_says_where_the_stack_is_and_a_rerun_finishes() {
    let moto = Moto::start();
    let faults = Faults::start(&moto.endpoint);
    let t = Test::new().file("demo/sls.yaml", FLAKY);
    prebuilt(&t, "nightly");
    // The change set is made; from its execution on, nothing answers.
    let dead = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = dead.clone();
    faults.inject(usize::MAX, Fault::Drop, move |c| {
        if c.is("ExecuteChangeSet") {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        flag.load(std::sync::atomic::Ordering::SeqCst)
    });
    let run = through(&t, &faults, &moto, &["deploy", "--yes", "--skip-build"]);
    run.status(1)
        .stderr_has("cannot reach AWS")
        .stderr_has("flaky-dev may be changing")
        .stderr_has("Run `sls-rs deploy --stage dev` again");
    assert!(dead.load(std::sync::atomic::Ordering::SeqCst), "the deploy never executed its change set");
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let status = || moto.stack_status("flaky-dev");
    // The execution never reached CloudFormation: a stack made for a change set nobody ran.
    assert_eq!(status().as_deref(), Some("REVIEW_IN_PROGRESS"));

    // The endpoint is back: the same command finishes the job (a stack in REVIEW_IN_PROGRESS
    // is not busy, and waiting for it to settle would never end).
    faults.clear();
    let run = through(&t, &faults, &moto, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0).stderr_has("was never created (REVIEW_IN_PROGRESS");
    assert_eq!(report(&run)["status"], "deployed", "{}", run.stderr);
    assert_eq!(status().as_deref(), Some("CREATE_COMPLETE"));
    let lambda = aws_sdk_lambda::Client::new(&conf);
    rt.block_on(lambda.get_function().function_name("flaky-dev-nightly").send()).expect("the function exists");
}

#[test]
fn a_remove_whose_bucket_listing_is_denied_keeps_everything() {
    let moto = Moto::start();
    let faults = Faults::start(&moto.endpoint);
    let t = Test::new().file("demo/sls.yaml", "service: kept\nresources:\n  buckets:\n    files: {}\n");
    let demo = t.path().join("demo");
    moto.sls(&demo, &["deploy", "--yes", "--skip-build"]).status(0);
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    let bucket = "kept-dev-files-123456789012";
    rt.block_on(s3.put_object().bucket(bucket).key("a.csv").body(b"a\n".to_vec().into()).send()).unwrap();

    let listing = move |c: &faults::Call| c.method == "GET" && c.path.contains(bucket) && c.query.contains("versions");
    faults.inject(usize::MAX, Fault::Error(403, s3_error("AccessDenied", "Access Denied")), listing);
    // Even with consent to delete data, what could not be inspected is not deleted.
    let run = through(&t, &faults, &moto, &["remove", "--yes", "--delete-data"]);
    run.status(1).stderr_has(bucket).stderr_has("AccessDenied");
    assert!(faults.calls().iter().any(|c| listing(c) && c.injected), "the listing was never tried");
    assert!(!faults.calls().iter().any(|c| c.is("DeleteStack")), "DeleteStack was sent");
    assert_eq!(moto.stack_status("kept-dev").as_deref(), Some("CREATE_COMPLETE"));
    rt.block_on(s3.head_object().bucket(bucket).key("a.csv").send()).expect("the object is still there");
}

#[test]
fn following_logs_through_throttling_misses_and_repeats_nothing() {
    let moto = Moto::start();
    let faults = Faults::start(&moto.endpoint);
    let t = Test::new().file("demo/sls.yaml", FLAKY);
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let group = "/aws/lambda/flaky-dev-nightly";
    rt.block_on(logs.create_log_group().log_group_name(group).send()).unwrap();
    rt.block_on(logs.create_log_stream().log_group_name(group).log_stream_name("s1").send()).unwrap();
    let put = |msg: &str| put_log(&rt, &logs, group, msg);
    put("line one");
    let (child, rx) = spawn_lines(
        via_faults(&t, &moto, &faults).args(["logs", "-f", "nightly", "--tail", "--since", "1h", "--output", "json"]),
    );
    let wait = std::time::Duration::from_secs(30);
    assert!(rx.recv_timeout(wait).expect("the first line").contains("line one"));
    // More throttling than the SDK retries: the follower has to ride it out itself.
    let throttled = json_error("ThrottlingException", "Rate exceeded");
    faults.inject(8, Fault::Error(400, throttled), |c| c.is("FilterLogEvents"));
    put("line two");
    assert!(rx.recv_timeout(wait).expect("the line sent while throttled").contains("line two"));
    put("line three");
    assert!(rx.recv_timeout(wait).expect("the line after").contains("line three"));
    assert!(rx.recv_timeout(std::time::Duration::from_secs(3)).is_err(), "a line was shown twice");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let run = Run::from(child.wait_with_output().unwrap());
    run.status(0).stderr_has("ThrottlingException").stderr_has("still following");
    let throttles = faults.calls().iter().filter(|c| c.is("FilterLogEvents") && c.injected).count();
    assert_eq!(throttles, 8, "every throttle was met");
}

#[test]
fn a_deploy_killed_mid_update_is_finished_by_the_next_one() {
    let moto = Moto::start();
    let faults = Faults::start(&moto.endpoint);
    let t = Test::new().file("demo/sls.yaml", FLAKY);
    prebuilt(&t, "nightly");
    through(&t, &faults, &moto, &["deploy", "--yes", "--skip-build"]).status(0);

    // An update whose execution is held at the proxy; sls-rs is killed (no Ctrl-C handler,
    // no clean-up) while it waits for the answer.
    let with_queue = format!("{FLAKY}resources:\n  queues:\n    jobs: {{}}\n");
    std::fs::write(t.path().join("demo/sls.yaml"), with_queue).unwrap();
    faults.inject(1, Fault::Delay(std::time::Duration::from_secs(60)), |c| c.is("ExecuteChangeSet"));
    let mut cmd = via_faults(&t, &moto, &faults);
    cmd.args(["deploy", "--yes", "--skip-build"]).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    common::wait::eventually("the deploy to reach its execution", std::time::Duration::from_secs(60), || {
        faults.calls().iter().any(|c| c.is("ExecuteChangeSet") && c.injected).then_some(())
    });
    child.kill().unwrap();
    child.wait().unwrap();
    faults.clear();
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let cfn = aws_sdk_cloudformation::Client::new(&conf);
    let waiting = |cfn: &aws_sdk_cloudformation::Client| {
        let out = rt.block_on(cfn.list_change_sets().stack_name("flaky-dev").send()).unwrap();
        let current = rt.block_on(cfn.describe_stacks().stack_name("flaky-dev").send()).unwrap();
        let id = current.stacks()[0].stack_id().unwrap().to_string();
        out.summaries()
            .iter()
            .filter(|s| s.stack_id() == Some(&id))
            .filter(|s| s.execution_status().map(|e| e.as_str()) == Some("AVAILABLE"))
            .count()
    };
    assert_eq!(waiting(&cfn), 1, "the killed deploy left its change set");

    let run = through(&t, &faults, &moto, &["deploy", "--yes", "--skip-build", "--output", "json"]);
    run.status(0).stderr_has("left by a deploy that did not finish");
    assert_eq!(report(&run)["status"], "deployed", "{}", run.stderr);
    assert_eq!(waiting(&cfn), 0, "a change set is still waiting");
    let sqs = aws_sdk_sqs::Client::new(&conf);
    rt.block_on(sqs.get_queue_url().queue_name("flaky-dev-jobs").send()).expect("the update went through");
}

/// A change CloudFormation can only make by replacing a table or a queue is called out by
/// `diff` before any deploy: a table keeping its name cannot be replaced at all, a queue that
/// becomes FIFO is a new, empty queue and the old one is deleted with its messages.
#[test]
fn diff_calls_out_replacing_a_table_or_a_queue() {
    let moto = Moto::start();
    let yaml = "service: demo\nresources:\n  tables:\n    users: { key: id }\n  queues:\n    jobs: {}\n";
    let t = Test::new().file("demo/sls.yaml", yaml);
    let demo = t.path().join("demo");
    // Resources alone: nothing to build, and no Cargo workspace needed (it once failed here).
    let run = moto.sls(&demo, &["deploy", "--yes"]);
    run.status(0);

    std::fs::write(t.path().join("demo/sls.yaml"), yaml.replace("key: id", "key: email")).unwrap();
    let run = moto.sls(&demo, &["diff", "--exit-code"]);
    run.status(3).stdout_has("~ UsersTable  (replaced: KeySchema changes)\n");
    run.stderr_has("UsersTable must be replaced (KeySchema changes) but keeps its name: CloudFormation will refuse");

    std::fs::write(t.path().join("demo/sls.yaml"), yaml.replace("jobs: {}", "jobs: { fifo: true }")).unwrap();
    let run = moto.sls(&demo, &["diff", "--exit-code"]);
    run.status(3).stdout_has("~ JobsQueue  (replaced: FifoQueue, QueueName changes)\n");
    run.stderr_has("JobsQueue will be REPLACED: CloudFormation makes a new, empty one and DELETES the old one");
    let json = moto.sls(&demo, &["diff", "--output", "json"]);
    json.status(0);
    let r = &json.json()["replacements"][0];
    assert_eq!((&r["id"], &r["data"], &r["refused"]), (&"JobsQueue".into(), &true.into(), &false.into()), "{r}");
}

/// A diff ends up in CI logs and pull requests: the value of a variable whose name looks
/// secret is `***` on both sides, in human and JSON output; others show as they are.
#[test]
fn diff_never_shows_a_secret_looking_value() {
    let moto = Moto::start();
    let yaml = |password: &str, level: &str| {
        format!(
            "service: demo\nfunctions:\n  nightly:\n    env: {{ DB_PASSWORD: {password}, RUST_LOG: {level} }}\n    events: [{{ schedule: rate(1 day) }}]\n"
        )
    };
    let t = Test::new().file("demo/sls.yaml", &yaml("hunter2-old", "info"));
    let demo = t.path().join("demo");
    prebuilt(&t, "nightly");
    moto.sls(&demo, &["deploy", "--yes", "--skip-build"]).status(0);

    std::fs::write(t.path().join("demo/sls.yaml"), yaml("hunter3-new", "warn")).unwrap();
    let human = moto.sls(&demo, &["diff", "--skip-build"]);
    human.status(0).stdout_has("Environment.Variables.DB_PASSWORD: \"***\" → \"***\"");
    human.stdout_has("Environment.Variables.RUST_LOG: \"info\" → \"warn\"");
    let json = moto.sls(&demo, &["diff", "--skip-build", "--output", "json"]);
    json.status(0);
    for run in [&human, &json] {
        for secret in ["hunter2-old", "hunter3-new"] {
            assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "{secret} shown:\n{}", run.stdout);
        }
    }
    let changes = json.json()["properties"]["NightlyFunction"].to_string();
    assert!(changes.contains("\"***\"") && changes.contains("\"warn\""), "{changes}");
}
