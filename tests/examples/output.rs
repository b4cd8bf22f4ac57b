//! docs/output.md shows what `--output json` prints for each command: every example there is
//! the output of the command named above it, run here against moto in a generated project, and
//! must keep its shape (the same keys and value types, lists by their first element). When a
//! shape changes on purpose, `SLS_RS_WRITE_DOCS=1 cargo test --test integration examples::output`
//! writes the examples again from the real output, keeping the prose around them.

use super::{common, Place, Sandbox};
use serde_json::Value;
use std::path::Path;

/// `<!-- output: <command> -->` followed by a json block: the command and the block's text.
fn documented(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find("<!-- output: ") {
        let after = &rest[at + "<!-- output: ".len()..];
        let (command, tail) = after.split_once(" -->").expect("an output marker ends with -->");
        let block = tail.split_once("```json\n").expect("a json block follows the marker").1;
        let (json, tail) = block.split_once("```").expect("the json block ends");
        out.push((command.to_string(), json.to_string()));
        rest = tail;
    }
    out
}

/// The JSON values a command printed: NDJSON lines and a final (pretty) document alike.
fn values(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text).into_iter::<Value>().map(|v| v.expect("stdout is JSON")).collect()
}

/// Keys and value types, recursively; a list by its first element.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::Array(a) => Value::Array(a.first().map(shape).into_iter().collect()),
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "bool".into(),
        Value::Null => "null".into(),
    }
}

/// Distinct line shapes in order of first appearance: a deploy's many stack events show once.
fn shapes(values: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for s in values.iter().map(shape) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// One example per distinct shape, each laid out as `printed` had it (an NDJSON line or a
/// pretty document).
fn example_text(values: &[Value], printed: &str) -> String {
    let mut seen = Vec::new();
    let mut text = String::new();
    for v in values {
        let s = shape(v);
        if seen.contains(&s) {
            continue;
        }
        seen.push(s);
        let line = v.to_string();
        let one = if printed.lines().any(|l| l == line) { line } else { serde_json::to_string_pretty(v).unwrap() };
        text.push_str(&one);
        text.push('\n');
    }
    text
}

#[test]
fn json_output_is_documented_as_printed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/output.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let examples = documented(&doc);
    assert!(examples.len() >= 12, "docs/output.md lost its examples: {}", examples.len());

    let mut sb = Sandbox::new();
    // A built http-api project (tests/build.rs compiled its dependencies) deployed on moto.
    let dir = sb.dir(Place::Project("http-api"));
    let fresh = sb.dir(Place::Empty);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&rt.block_on(sb.moto.sdk_config()));

    let mut rewritten = doc.clone();
    let mut failures = Vec::new();
    for (command, block) in &examples {
        // Log lines for `logs` to show: the deployed function's group exists by then.
        if command.starts_with("sls-rs logs") {
            let group = "/aws/lambda/demo-dev-api";
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
            let event = aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(now)
                .message(r#"{"level":"INFO","message":"signed up","email":"ada@example.com"}"#)
                .build()
                .unwrap();
            let _ = rt.block_on(logs.create_log_stream().log_group_name(group).log_stream_name("s1").send());
            rt.block_on(logs.put_log_events().log_group_name(group).log_stream_name("s1").log_events(event).send())
                .unwrap();
        }
        let at = if command.starts_with("sls-rs new ") { &fresh } else { &dir };
        let needs_aws = !command.starts_with("sls-rs new") && !command.contains("--local");
        let mut bash = std::process::Command::new("bash");
        bash.current_dir(at).stdin(std::process::Stdio::null());
        for (k, v) in sb.env(at, needs_aws) {
            match v {
                Some(v) => bash.env(k, v),
                None => bash.env_remove(k),
            };
        }
        let stdout = if command.starts_with("sls-rs dev") {
            dev_events(bash, command)
        } else {
            let out = common::Run::from(bash.args(["--norc", "--noprofile", "-c", command]).output().unwrap());
            if out.code() != 0 {
                failures.push(format!("`{command}` exited {}:\n{}", out.code(), out.stderr));
                continue;
            }
            out.stdout
        };
        let real = values(&stdout);
        let shown = values(block);
        if shapes(&real) != shapes(&shown) {
            failures.push(format!(
                "`{command}` printed another shape than docs/output.md shows:\nprinted:\n{}\ndocumented:\n{block}",
                example_text(&real, &stdout)
            ));
        }
        rewritten = rewritten.replacen(block.as_str(), &example_text(&real, &stdout), 1);
    }
    if std::env::var_os("SLS_RS_WRITE_DOCS").is_some() {
        std::fs::write(&path, rewritten).unwrap();
        failures.retain(|f| !f.contains("another shape"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What `dev --output json` prints in the http-api project while one request is served: it
/// runs until it listens, takes `GET /hello/ada`, and is stopped with Ctrl-C (on port 3000, as
/// written, so it holds that port's lock).
fn dev_events(mut bash: std::process::Command, command: &str) -> String {
    let _port = super::port_3000();
    // `exec`: Ctrl-C, sent to the child, reaches sls-rs itself.
    bash.args(["--norc", "--noprofile", "-c", &format!("exec {command}")]);
    let mut dev = super::dev::Dev::start_json(bash);
    let (status, _) = super::dev::get(&format!("{}/hello/ada", dev.base));
    assert_eq!(status, 200, "GET /hello/ada on `{command}`");
    dev.wait_event(|e| e["event"] == "request", std::time::Duration::from_secs(30));
    // Whether another build held the target directory depends on what else runs: not shown.
    let shown: Vec<&String> = dev.seen.iter().filter(|l| !l.contains(r#""event":"waiting_for_build""#)).collect();
    shown.iter().map(|l| format!("{l}\n")).collect()
}
