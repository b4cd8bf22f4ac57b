//! `invoke --local` and `dev` on a generated project: the real handler in a real process,
//! through our Runtime API and HTTP API emulation. Handlers are edited to fail, crash and hang.

use crate::common::{self, dev};
use common::Test;
use dev::{agent, get, Dev};
use sls_rs::clock::Timestamp;
use sls_rs::local::http_api;
use std::process::Command;
use std::time::{Duration, Instant};

/// The http-api template, with extra routes whose handlers fail, abort and overrun a 2 s timeout.
fn project() -> Test {
    let t = Test::new().args(["new", "demo", "--template", "http-api", "--arch", "x86_64"]);
    t.run().status(0);
    let yaml = t.path().join("demo/sls.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let text = text.replace("  api:\n", "  api:\n    timeout: 2\n").replace(
        "      - http: POST /hello\n",
        "      - http: POST /hello\n      - http: GET /fail\n      - http: GET /crash\n      - http: GET /sleep\n      - http: GET /hostile\n",
    );
    std::fs::write(&yaml, text).unwrap();
    let main = t.path().join("demo/api/src/main.rs");
    let src = std::fs::read_to_string(&main).unwrap();
    let hooks = "async fn handler(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        \"/fail\" => return Err(\"deliberate failure\".into()),
        \"/crash\" => std::process::abort(),
        \"/sleep\" => std::thread::sleep(std::time::Duration::from_secs(6)),
        \"/hostile\" => {
            println!(\"out {HOSTILE}\");
            eprintln!(\"err {HOSTILE}\");
            return Err(\"failed {HOSTILE}\".into());
        }
        _ => {}
    }";
    let hooks = hooks.replace("{HOSTILE}", &common::pty::HOSTILE.escape_default().to_string());
    std::fs::write(&main, src.replace("async fn handler(event: Request) -> Result<Response<Body>, Error> {", &hooks))
        .unwrap();
    t
}

fn sls(t: &Test, args: &[&str]) -> Command {
    let mut cmd = common::command(&t.path().join("demo"));
    cmd.args(args);
    cmd
}

fn invoke(t: &Test, args: &[&str]) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let run = common::Run::from(sls(t, &[&["invoke", "--local", "-f", "api"][..], args].concat()).output().unwrap());
    (run.code(), run.stdout, run.stderr, started.elapsed())
}

/// An API Gateway event for `GET path`, written to a file for `--path`.
fn event_file(t: &Test, path: &str) -> String {
    let route = http_api::Route { method: "GET".into(), path: path.into(), function: "api".into(), auth: None };
    let event = http_api::request_event(&route, &Default::default(), "GET", path, "", &[], None, &Timestamp::now());
    let file = t.path().join(format!("event{}.json", path.replace('/', "-")));
    std::fs::write(&file, event.to_string()).unwrap();
    file.display().to_string()
}

#[test]
fn invoke_local_runs_the_real_handler() {
    let t = project();
    let (code, stdout, stderr, _) = invoke(&t, &["--event", "http"]);
    assert_eq!(code, 0, "{stderr}");
    let resp: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(resp["statusCode"], 200);
    assert_eq!(resp["body"], r#"{"message":"Hello, name-1!"}"#);
    assert!(stderr.contains("REPORT RequestId:") && stderr.contains("Max Memory Used:"), "{stderr}");

    // Another declared route, chosen by name: a POST carries a body the handler accepts.
    let (code, stdout, stderr, _) = invoke(&t, &["--route", "POST /hello"]);
    assert_eq!(code, 0, "{stderr}");
    let resp: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((&resp["statusCode"], &resp["body"]), (&201.into(), &r#"{"message":"Welcome, Ada!"}"#.into()));
    let (code, _, stderr, _) = invoke(&t, &["--route", "DELETE /hello"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`api` has no route `DELETE /hello`") && stderr.contains("`POST /hello`"), "{stderr}");

    let (code, stdout, stderr, _) = invoke(&t, &["--path", &event_file(&t, "/fail")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("deliberate failure") && stderr.contains("deliberate failure"), "{stdout}\n{stderr}");

    let (code, stdout, _, _) = invoke(&t, &["--path", &event_file(&t, "/crash")]);
    assert_eq!(code, 1);
    assert!(stdout.contains("Runtime.ExitError"), "{stdout}");

    let (code, stdout, _, took) = invoke(&t, &["--path", &event_file(&t, "/sleep")]);
    assert_eq!(code, 1);
    assert!(stdout.contains("Sandbox.Timedout") && stdout.contains("Task timed out after 2.00 seconds"), "{stdout}");
    assert!(took < Duration::from_secs(6), "the 2 s timeout was not enforced ({took:?})");

    let (code, _, stderr, _) = invoke(&t, &["--data", "not json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("the event is not JSON"));

    // On a terminal, what the handler prints and the error it returns are shown escaped: its
    // log lines, the error line, and the payload.
    let hostile = event_file(&t, "/hostile");
    let (code, screen) =
        common::pty::run(&t.path().join("demo"), vec![], &["invoke", "--local", "-f", "api", "--path", &hostile]);
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("out \\x1b]0;pwned") && screen.contains("err \\x1b]0;pwned"), "{screen}");
    common::pty::shows_escaped(&screen);
}

#[test]
fn dev_serves_routes_concurrently_and_reloads_on_save() {
    let t = project();
    let mut dev = Dev::start(sls(&t, &["dev", "--port", "0"]));
    let base = dev.base.clone();

    let handles: Vec<_> = (0..8)
        .map(|i| {
            let url = format!("{base}/hello/p{i}");
            std::thread::spawn(move || get(&url))
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap(), (200, format!(r#"{{"message":"Hello, p{i}!"}}"#)));
    }

    let mut resp = agent().post(&format!("{base}/hello")).send(r#"{"name":"grace"}"#).unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.body_mut().read_to_string().unwrap(), r#"{"message":"Welcome, grace!"}"#);

    assert_eq!(get(&format!("{base}/nope")), (404, r#"{"message":"Not Found"}"#.into()));
    // Over API Gateway's 10 MB payload limit: 413, and the handler never sees an empty body.
    let mut resp = agent().post(&format!("{base}/hello")).send(&vec![b'x'; 10 * 1024 * 1024 + 1][..]).unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    assert_eq!(resp.body_mut().read_to_string().unwrap(), r#"{"message":"Request Entity Too Large"}"#);
    let resp = agent().delete(&format!("{base}/hello")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 405);

    // A crashed handler answers 500 and is replaced by a fresh instance.
    assert_eq!(get(&format!("{base}/crash")).0, 500);
    assert_eq!(get(&format!("{base}/hello/again")).0, 200);

    // Any event can be sent to any function, like Lambda's Invoke API.
    let resp = agent().post(&format!("{base}/__sls/invoke/api")).send(r#"{"not":"http"}"#).unwrap();
    assert_eq!(resp.headers()["x-amz-function-error"], "Unhandled");

    let main = t.path().join("demo/api/src/main.rs");
    let src = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, src.replace("Hello, {name}!", "Howdy, {name}!")).unwrap();
    dev.wait_for("handlers swapped", Duration::from_secs(300));
    assert_eq!(get(&format!("{base}/hello/ada")), (200, r#"{"message":"Howdy, ada!"}"#.into()));
    drop(dev);

    // With --output json the same story is NDJSON on stdout, one event a line.
    let mut dev = Dev::start_json(sls(&t, &["dev", "--port", "0", "--output", "json"]));
    assert_eq!(get(&format!("{}/hello/json", dev.base)).0, 200);
    let line = dev.wait_for(r#""event":"request""#, Duration::from_secs(30));
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (&event["method"], &event["path"], &event["function"], &event["status"]),
        (&"GET".into(), &"/hello/json".into(), &"api".into(), &200.into())
    );
}
