//! `sls-rs dev` with local AWS services: real handlers, a real moto server, real triggers. What
//! happened is checked through the SDK against the endpoint and through what handlers wrote,
//! not only through what sls-rs says.

use crate::common::{self, dev, moto};

use common::{rt, wait::eventually, Test};
use dev::{get, post, Dev};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An SDK config for the endpoint `dev` reported, signed as the local account.
fn sdk(endpoint: &str) -> aws_config::SdkConfig {
    let creds = aws_credential_types::Credentials::new("000000000000", "x", None, None, "test");
    rt().block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .load(),
    )
}

/// A resource's address on the endpoint, from `dev`'s `local_aws` event.
fn address(local_aws: &Value, name: &str) -> String {
    let r = local_aws["resources"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap();
    r["address"].as_str().unwrap().to_string()
}

#[test]
fn the_generated_event_driven_backend_runs_end_to_end() {
    let t = Test::new().args(["new", "demo", "--template", "event-driven", "--arch", "x86_64"]);
    t.run().status(0);
    let mut cmd = common::command(&t.path().join("demo"));
    cmd.args(["dev", "--port", "0", "--output", "json", "--no-watch"]);
    let mut dev = Dev::start_json(cmd);
    let local_aws = dev.events(|e| e["event"] == "local_aws").pop().expect("dev reports its local AWS endpoint");
    assert_eq!(local_aws["started"], true);
    let endpoint = local_aws["url"].as_str().unwrap().to_string();
    let table = address(&local_aws, "users");
    let bucket = address(&local_aws, "uploads");
    let conf = sdk(&endpoint);

    // Sign-up → queue → worker → table, seen through the SDK, not through sls-rs.
    let (status, body) = post(&format!("{}/signups", dev.base), r#"{"email":"ada@example.com","name":"Ada"}"#);
    assert_eq!(status, 202, "{body}");
    let dynamodb = aws_sdk_dynamodb::Client::new(&conf);
    let item = eventually("the worker to store the user", Duration::from_secs(30), || {
        let key = aws_sdk_dynamodb::types::AttributeValue::S("ada@example.com".into());
        let got = rt().block_on(dynamodb.get_item().table_name(&table).key("id", key).send()).unwrap();
        got.item
    });
    assert_eq!(item["name"].as_s().unwrap(), "Ada");
    assert_eq!(
        get(&format!("{}/users/ada@example.com", dev.base)),
        (200, r#"{"id":"ada@example.com","name":"Ada"}"#.into())
    );
    let worked =
        dev.wait_event(|e| e["event"] == "triggered" && e["function"] == "signup-worker", Duration::from_secs(10));
    assert_eq!(
        (&worked["cause"]["trigger"], &worked["cause"]["queue"], &worked["result"]),
        (&"queue".into(), &"signups".into(), &"ok".into())
    );
    // The worker's invocation continues the trace of the request whose handler sent the message.
    let request = dev.events(|e| e["event"] == "request" && e["path"] == "/signups").pop().unwrap();
    assert!(request["trace"].as_str().is_some_and(|t| t.starts_with("1-")), "{request}");
    assert_eq!((&worked["trace"], &worked["caused"]), (&request["trace"], &true.into()));

    // An image under images/ runs the thumbnail handler once; a text file elsewhere does not.
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    for key in ["docs/x.txt", "images/x.png"] {
        let put = s3.put_object().bucket(&bucket).key(key).body(b"data".to_vec().into());
        rt().block_on(put.send()).unwrap();
    }
    let thumb = dev.wait_event(|e| e["event"] == "triggered" && e["function"] == "thumbnail", Duration::from_secs(30));
    assert_eq!(
        (&thumb["cause"]["key"], &thumb["cause"]["size"], &thumb["result"]),
        (&"images/x.png".into(), &4.into(), &"ok".into())
    );
    dev.drain(Duration::from_secs(2));
    assert_eq!(dev.events(|e| e["function"] == "thumbnail" && e["event"] == "triggered").len(), 1);

    // Any schedule can be fired now; the nightly job answers with its report.
    let (status, body) = post(&format!("{}/__sls/schedule/nightly", dev.base), "");
    assert_eq!(status, 200);
    assert!(body.contains(r#""report":"nightly-"#), "{body}");
    assert_eq!(post(&format!("{}/__sls/schedule/api", dev.base), "").0, 404);

    // The read-only view agrees with the SDK, keys S3's XML cannot carry raw included.
    let odd = format!("docs/{} +x.txt", common::pty::HOSTILE);
    rt().block_on(s3.put_object().bucket(&bucket).key(&odd).body(b"x".to_vec().into()).send()).unwrap();
    let state: Value = serde_json::from_str(&get(&format!("{}/__sls/state", dev.base)).1).unwrap();
    assert_eq!(state["endpoint"], local_aws["url"], "the endpoint itself, not the proxy in front of it");
    assert_eq!(state["tables"][0]["items"], 1);
    assert_eq!(state["buckets"][0]["objects"], 3, "{state}");
    let keys: Vec<&str> = state["buckets"][0]["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, [odd.as_str(), "docs/x.txt", "images/x.png"], "in S3's order, by bytes");
    assert_eq!(state["queues"][0]["messages"], 0);
    drop(dev);

    // Ctrl-C stopped the endpoint `dev` started.
    let port = endpoint.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    eventually("the local endpoint to stop", Duration::from_secs(10), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err().then_some(())
    });

    // For people, on a terminal: an object key is shown escaped in the line of the upload it
    // triggered (the handlers are built: this starts in seconds).
    let mut s = common::pty::Session::start(&t.path().join("demo"), vec![], &["dev", "--port", "0", "--no-watch"]);
    s.expect_within("listening on http://", common::dev::FIRST_BUILD);
    let url = s.screen.split("local AWS at ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap().to_string();
    let conf = sdk(&url);
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    let key = format!("images/{}.png", common::pty::HOSTILE);
    rt().block_on(s3.put_object().bucket(&bucket).key(&key).body(b"data".to_vec().into()).send()).unwrap();
    s.expect_within("→ thumbnail", Duration::from_secs(30));
    s.interrupt();
    let (_, screen) = s.finish();
    let line = screen.lines().find(|l| l.contains("→ thumbnail")).unwrap();
    assert!(line.contains("upload ") && line.contains("images/\\x1b]0;pwned\\x07"), "{line}");
    common::pty::shows_escaped(&screen);
}

#[test]
fn a_project_root_runs_every_service_against_one_endpoint() {
    let t = Test::new().args(["new", "shop", "--template", "microservices", "--arch", "x86_64"]);
    t.run().status(0);
    let mut cmd = common::command(&t.path().join("shop"));
    cmd.args(["dev", "--port", "0", "--output", "json", "--no-watch"]);
    let mut dev = Dev::start_json(cmd);
    let mut api = |service: &str| {
        let listening = |e: &Value| e["event"] == "listening" && e["service"] == service;
        let found = dev.events(listening).pop();
        let event = found.unwrap_or_else(|| dev.wait_event(listening, Duration::from_secs(10)));
        event["url"].as_str().unwrap().to_string()
    };
    let (users, orders) = (api("users"), api("orders"));
    assert_ne!(users, orders, "each service's API has its own address, as on AWS");
    let local_aws = dev.events(|e| e["event"] == "local_aws").pop().expect("one local endpoint for both");
    let conf = sdk(local_aws["url"].as_str().unwrap());

    // users-api stores the user and sends the sign-up to the orders service's queue, whose URL
    // it got as SIGNUPS_QUEUE_URL from orders' local output; orders' worker takes it from there.
    let (status, body) = dev::put(&format!("{users}/users/ada"), r#"{"name":"Ada"}"#);
    assert_eq!(status, 200, "{body}");
    let key = aws_sdk_dynamodb::types::AttributeValue::S("ada".into());
    let table = address(&local_aws, "users/users");
    let got = rt().block_on(aws_sdk_dynamodb::Client::new(&conf).get_item().table_name(&table).key("id", key).send());
    assert_eq!(got.unwrap().item.expect("stored")["name"].as_s().unwrap(), "Ada");
    let worked = dev
        .wait_event(|e| e["event"] == "triggered" && e["function"] == "orders/signup-worker", Duration::from_secs(30));
    assert_eq!((&worked["cause"]["queue"], &worked["result"]), (&"signups".into(), &"ok".into()));
    let request = dev.events(|e| e["event"] == "request" && e["path"] == "/users/ada").pop().unwrap();
    assert_eq!((&worked["trace"], &worked["caused"]), (&request["trace"], &true.into()));

    // Admin endpoints reach every service's functions: by label, or by a name only one has.
    let state: Value = serde_json::from_str(&get(&format!("{orders}/__sls/state")).1).unwrap();
    let queues: Vec<&str> = state["queues"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert_eq!(queues, ["orders/orders", "orders/signups"]);
    let event = r#"{"Records":[{"messageId":"m1","body":"{\"id\":\"bo\",\"name\":\"Bo\"}"}]}"#;
    for name in ["orders/signup-worker", "signup-worker"] {
        let (status, body) = post(&format!("{users}/__sls/invoke/{name}"), event);
        assert_eq!((status, body.as_str()), (200, r#"{"batchItemFailures":[]}"#), "{name}");
    }
    assert_eq!(post(&format!("{users}/__sls/invoke/nope"), "{}").0, 404);
}

/// One handler binary for every trigger: it appends each event to `$PROBE_DIR/<name>.jsonl`
/// with its `VERSION`, fails SQS messages whose body starts with `fail`, and aborts on `crash`.
const PROBE: &str = r#"use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};
use std::io::Write;

const VERSION: &str = "v1";

async fn handle(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let mut failures = Vec::new();
    for r in event.payload["Records"].as_array().into_iter().flatten() {
        match r["body"].as_str() {
            Some("crash") => std::process::abort(),
            Some(b) if b.starts_with("fail") => failures.push(json!({ "itemIdentifier": r["messageId"] })),
            _ => {}
        }
    }
    let name = std::env::var("AWS_LAMBDA_FUNCTION_NAME")?;
    let file = format!("{}/{name}.jsonl", std::env::var("PROBE_DIR")?);
    let mut out = std::fs::OpenOptions::new().create(true).append(true).open(file)?;
    writeln!(out, "{}", json!({ "version": VERSION, "event": event.payload }))?;
    Ok(json!({ "batchItemFailures": failures }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handle)).await
}
"#;

fn probe_project(t: &Test, probe_dir: &Path) -> PathBuf {
    let root = t.path().join("probe");
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"probe\"]\nresolver = \"2\"\n".to_string()),
        (
            "probe/Cargo.toml",
            "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlambda_runtime = \"1\"\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\"] }\n".into(),
        ),
        ("probe/src/main.rs", PROBE.to_string()),
        (
            "sls.yaml",
            format!(
                "service: probe
defaults: {{ arch: x86_64, timeout: 2, env: {{ PROBE_DIR: {} }} }}
functions:
  worker:
    package: probe
    events:
      - queue: jobs
        batch_size: 10
  ordered:
    package: probe
    events:
      - queue: steps
        batch_size: 1
  changes:
    package: probe
    events:
      - stream: items
        batch_size: 10
  notified:
    package: probe
    events:
      - topic: news
  shop:
    package: probe
    events:
      - eventbridge: {{ source: [shop] }}
resources:
  tables:
    items: {{ key: id, stream: new_and_old_images }}
  queues:
    jobs: {{ visibility_timeout: 2, dead_letter: {{ max_receives: 2 }} }}
    steps: {{ fifo: true }}
  topics:
    news: {{}}
",
                probe_dir.display()
            ),
        ),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

/// What a probe function was given, in order: (version, event).
fn probed(dir: &Path, function: &str) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(dir.join(format!("probe-dev-{function}.jsonl"))).unwrap_or_default();
    // The probe may be appending a line as this reads: only whole lines count.
    let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    whole
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["version"].as_str().unwrap().to_string(), v["event"].clone()))
        .collect()
}

/// Every SQS message body the worker was given, in order.
fn bodies(dir: &Path) -> Vec<(String, String)> {
    let records = probed(dir, "worker").into_iter().flat_map(|(version, event)| {
        let records = event["Records"].as_array().cloned().unwrap_or_default();
        records.into_iter().map(move |r| (version.clone(), r["body"].as_str().unwrap().to_string()))
    });
    records.collect()
}

#[test]
fn triggers_follow_lambda_semantics_on_a_user_run_endpoint() {
    let moto = moto::Moto::start();
    let t = Test::new();
    let probe_dir = t.path().join("probed");
    std::fs::create_dir_all(&probe_dir).unwrap();
    let root = probe_project(&t, &probe_dir);
    let mut cmd = common::command(&root);
    cmd.args(["dev", "--port", "0", "--output", "json", "--aws-endpoint", &moto.endpoint]);
    let mut dev = Dev::start_json(cmd);
    let local_aws = dev.events(|e| e["event"] == "local_aws").pop().unwrap();
    assert_eq!(local_aws["started"], false, "dev must use the endpoint it was given");
    let conf = sdk(&moto.endpoint);
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let jobs = address(&local_aws, "jobs");
    let send = |body: &str| rt().block_on(sqs.send_message().queue_url(&jobs).message_body(body).send()).unwrap();
    let state: Value = serde_json::from_str(&get(&format!("{}/__sls/state", dev.base)).1).unwrap();
    let dlq = state["queues"][0]["dead_letter"]["url"].as_str().unwrap().to_string();
    let dead_letters = || {
        let got = rt().block_on(sqs.receive_message().queue_url(&dlq).max_number_of_messages(10).send()).unwrap();
        got.messages.unwrap_or_default().into_iter().map(|m| m.body.unwrap()).collect::<Vec<_>>()
    };

    // A failed message of a batch is redelivered alone, then moves to the dead-letter queue;
    // the others are deleted after one delivery.
    for body in ["ok-1", "fail-1", "ok-2"] {
        send(body);
    }
    let dead = eventually("fail-1 in the dead-letter queue", Duration::from_secs(30), || {
        Some(dead_letters()).filter(|d| !d.is_empty())
    });
    assert_eq!(dead, ["fail-1"]);
    let seen: Vec<String> = bodies(&probe_dir).into_iter().map(|(_, b)| b).collect();
    assert_eq!(seen.iter().filter(|b| *b == "fail-1").count(), 2, "{seen:?}");
    assert_eq!(seen.iter().filter(|b| b.starts_with("ok-")).count(), 2, "{seen:?}");
    dev.wait_event(
        |e| e["function"] == "worker" && e["result"] == "partial_failure" && e["dead_lettered"] == 1,
        Duration::from_secs(5),
    );

    // A crash fails the batch: it comes back, the instance is replaced, and the next works.
    send("crash");
    let crashed = dev.wait_event(|e| e["function"] == "worker" && e["result"] == "error", Duration::from_secs(30));
    assert_eq!(crashed["error_type"], "Runtime.ExitError");
    eventually("crash in the dead-letter queue", Duration::from_secs(30), || {
        Some(dead_letters()).filter(|d| d.contains(&"crash".to_string()))
    });
    send("ok-3");
    eventually("ok-3 handled by a fresh instance", Duration::from_secs(30), || {
        bodies(&probe_dir).iter().any(|(_, b)| b == "ok-3").then_some(())
    });

    // A FIFO queue's messages of one group are handled in the order they were sent.
    let steps = address(&local_aws, "steps");
    for i in 0..6 {
        let msg = sqs.send_message().queue_url(&steps).message_body(format!("step-{i}")).message_group_id("g");
        rt().block_on(msg.message_deduplication_id(format!("d{i}")).send()).unwrap();
    }
    let order = eventually("six steps", Duration::from_secs(30), || {
        let got: Vec<String> = probed(&probe_dir, "ordered")
            .into_iter()
            .map(|(_, e)| e["Records"][0]["body"].as_str().unwrap().to_string())
            .collect();
        (got.len() >= 6).then_some(got)
    });
    assert_eq!(order, (0..6).map(|i| format!("step-{i}")).collect::<Vec<_>>());

    // Table writes reach the stream handler in order, with old and new images.
    let dynamodb = aws_sdk_dynamodb::Client::new(&conf);
    let table = address(&local_aws, "items");
    let s = |v: &str| aws_sdk_dynamodb::types::AttributeValue::S(v.into());
    rt().block_on(async {
        dynamodb.put_item().table_name(&table).item("id", s("a")).item("n", s("one")).send().await.unwrap();
        dynamodb.put_item().table_name(&table).item("id", s("a")).item("n", s("two")).send().await.unwrap();
        dynamodb.delete_item().table_name(&table).key("id", s("a")).send().await.unwrap();
    });
    let changes = eventually("three stream records", Duration::from_secs(30), || {
        let records: Vec<Value> = probed(&probe_dir, "changes")
            .into_iter()
            .flat_map(|(_, e)| e["Records"].as_array().cloned().unwrap_or_default())
            .collect();
        (records.len() >= 3).then_some(records)
    });
    let names: Vec<&str> = changes.iter().map(|r| r["eventName"].as_str().unwrap()).collect();
    assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"]);
    assert_eq!(changes[1]["dynamodb"]["OldImage"]["n"]["S"], "one");
    assert_eq!(changes[1]["dynamodb"]["NewImage"]["n"]["S"], "two");
    assert_eq!(changes[0]["eventSource"], "aws:dynamodb");
    let streamed = dev.wait_event(|e| e["function"] == "changes" && e["event"] == "triggered", Duration::from_secs(5));
    assert_eq!(streamed["caused"], false, "the test's own writes carry no trace: {streamed}");

    // A topic message and a matching event each reach their function; other events do not.
    let sns = aws_sdk_sns::Client::new(&conf);
    rt().block_on(sns.publish().topic_arn(address(&local_aws, "news")).message("hello").send()).unwrap();
    let events = aws_sdk_eventbridge::Client::new(&conf);
    for source in ["other", "shop"] {
        let entry = aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
            .source(source)
            .detail_type("order placed")
            .detail(r#"{"order":"o-1"}"#)
            .build();
        rt().block_on(events.put_events().entries(entry).send()).unwrap();
    }
    let notified = eventually("the topic message", Duration::from_secs(30), || probed(&probe_dir, "notified").pop());
    assert_eq!(notified.1["Records"][0]["Sns"]["Message"], "hello");
    let shop = eventually("the shop event", Duration::from_secs(30), || probed(&probe_dir, "shop").pop());
    assert_eq!((&shop.1["source"], &shop.1["detail"]["order"]), (&"shop".into(), &"o-1".into()));
    dev.drain(Duration::from_secs(1));
    assert_eq!(probed(&probe_dir, "shop").len(), 1, "only the matching event is delivered");

    // Messages keep flowing while the worker is edited: each is handled once, by the old code
    // or the new, and what is sent after the swap meets the new code.
    let main = root.join("probe/src/main.rs");
    let sender = {
        let (sqs, jobs) = (sqs.clone(), jobs.clone());
        std::thread::spawn(move || {
            for i in 0..30 {
                rt().block_on(sqs.send_message().queue_url(&jobs).message_body(format!("seq-{i}")).send()).unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    std::fs::write(&main, PROBE.replace(r#"VERSION: &str = "v1""#, r#"VERSION: &str = "v2""#)).unwrap();
    dev.wait_event(|e| e["event"] == "swapped", Duration::from_secs(300));
    sender.join().unwrap();
    for i in 30..35 {
        send(&format!("seq-{i}"));
    }
    let flowed = eventually("all 35 messages handled", Duration::from_secs(60), || {
        let seq: Vec<(String, String)> =
            bodies(&probe_dir).into_iter().filter(|(_, b)| b.starts_with("seq-")).collect();
        (seq.len() >= 35).then_some(seq)
    });
    dev.drain(Duration::from_secs(3));
    let flowed_again: Vec<_> = bodies(&probe_dir).into_iter().filter(|(_, b)| b.starts_with("seq-")).collect();
    assert_eq!(flowed.len(), flowed_again.len(), "a message was handled twice: {flowed_again:?}");
    for i in 0..35 {
        let handled: Vec<_> = flowed.iter().filter(|(_, b)| *b == format!("seq-{i}")).collect();
        assert_eq!(handled.len(), 1, "seq-{i}: {flowed:?}");
        if i >= 30 {
            assert_eq!(handled[0].0, "v2", "seq-{i} was sent after the swap");
        }
    }
}

#[test]
fn a_remote_endpoint_needs_explicit_consent() {
    let t = Test::new();
    let mut cmd = common::command(t.path());
    cmd.args(["dev", "--aws-endpoint", "https://sqs.eu-west-1.amazonaws.com"]);
    let run = common::Run::from(cmd.output().unwrap());
    run.status(2).stderr_has("is not on this machine").stderr_has("--remote");
}
