//! `invoke --local` and `dev` on a generated project: the real handler in a real process,
//! through our Runtime API and HTTP API emulation. Handlers are edited to fail, crash and hang.

use crate::common::{self, dev};
use common::Test;
use dev::{agent, get, Dev};
use sls_rs::host::clock::Timestamp;
use sls_rs::local::http::api as http_api;
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
    let method = sls_rs::config::Method::Get;
    let route = http_api::Route { method, path: path.into(), function: "api".into(), auth: None };
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

/// A raw HTTP/1.1 exchange with `base` (`http://host:port`), so headers a browser would send
/// (or a rebinding attacker's `Host`) can be set exactly: the status, the headers, the body.
fn raw(base: &str, request: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn request(method: &str, path: &str, host: &str, headers: &[&str], body: &str) -> String {
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn dev_answers_only_this_machine_and_never_a_web_page() {
    let t = project();
    let mut cmd = sls(&t, &["dev", "--port", "0", "--no-watch", "--allow-host", "dev.example.test"]);
    cmd.env("AWS_SECRET_ACCESS_KEY", "the-developers-real-secret").env("AWS_ACCESS_KEY_ID", "AKIAREALKEY");
    let mut dev = Dev::start(cmd);
    let base = dev.base.clone();
    let port = base.rsplit(':').next().unwrap().to_string();

    // Only names of this machine (and the one allowed) are answered, on every route: a page
    // whose name an attacker rebinds to 127.0.0.1 gets nothing.
    for host in ["evil.example.com", "evil.example.com:80", "localhost.evil.example.com", "192.168.1.5"] {
        for path in ["/hello/x", "/__sls/state"] {
            let (status, _, body) = raw(&base, &request("GET", path, host, &[], ""));
            assert_eq!(status, 403, "{host}{path}: {body}");
            assert!(body.contains("answers only this machine's names"), "{body}");
        }
    }
    for host in
        [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "dev.example.test".into()]
    {
        let (status, _, body) = raw(&base, &request("GET", "/hello/x", &host, &[], ""));
        assert_eq!((status, body.as_str()), (200, r#"{"message":"Hello, x!"}"#), "{host}");
    }

    // A page elsewhere posts a "simple" request (no preflight) to run a handler: refused, and
    // the handler never runs; its preflight gets no CORS grant.
    let host = format!("127.0.0.1:{port}");
    let cross = ["Origin: https://evil.example.com", "Content-Type: text/plain"];
    let (status, head, _) = raw(&base, &request("POST", "/__sls/invoke/api", &host, &cross, r#"{"a":1}"#));
    assert_eq!(status, 403);
    assert!(!head.contains("access-control-allow"), "{head}");
    let preflight = ["Origin: https://evil.example.com", "Access-Control-Request-Method: POST"];
    let (status, head, _) = raw(&base, &request("OPTIONS", "/__sls/invoke/api", &host, &preflight, ""));
    assert_eq!(status, 403);
    assert!(!head.contains("access-control-allow"), "{head}");
    dev.drain(Duration::from_secs(1));
    assert!(!dev.seen.iter().any(|l| l.starts_with("invoke api")), "the handler ran: {:?}", dev.seen);
    // From this machine (curl, a script) it is answered, as before.
    let (status, head, _) = raw(&base, &request("POST", "/__sls/invoke/api", &host, &[], r#"{"a":1}"#));
    assert_eq!(status, 200);
    assert!(head.contains("x-amz-function-error"), "{head}");
    // Lambda's own limit on an event, with Lambda's own words.
    let big = format!("\"{}\"", "x".repeat(6 * 1024 * 1024));
    let (status, head, body) = raw(&base, &request("POST", "/__sls/invoke/api", &host, &[], &big));
    assert_eq!(status, 413, "{body}");
    assert!(head.contains("requestentitytoolargeexception"), "{head}");
    assert!(body.contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation"), "{body}");

    // A client that sends half its headers and stops is let go, not kept forever.
    let started = Instant::now();
    let (status, _, _) = raw(&base, "GET /hello/x HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    assert_eq!(status, 0, "no answer to half a request");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(25), "the half-sent request was kept {took:?}");

    // The local AWS endpoint dev started holds none of the developer's credentials.
    let moto = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let parent =
                stat.rsplit(')').next().and_then(|r| r.split_whitespace().nth(1)).and_then(|p| p.parse::<u32>().ok());
            let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            parent == Some(dev.pid()) && cmdline.contains("moto_server")
        })
        .expect("dev started moto");
    let environ = std::fs::read(format!("/proc/{moto}/environ")).unwrap();
    let environ = String::from_utf8_lossy(&environ);
    assert!(!environ.contains("the-developers-real-secret") && !environ.contains("AKIAREALKEY"), "{environ}");
    assert!(environ.contains("AWS_ACCESS_KEY_ID=000000000000"), "{environ}");
    drop(dev);

    // Listening beyond loopback says so loudly; an address is a name it answers, and the
    // control routes stay this machine's.
    let dev = Dev::start(sls(&t, &["dev", "--port", "0", "--no-watch", "--no-local-aws", "--host", "0.0.0.0"]));
    assert!(
        dev.seen.iter().any(|l| l.contains("every handler is reachable from other machines")
            && l.contains("control routes (/__sls/*) still answer only this machine")),
        "{:?}",
        dev.seen
    );
    let port = dev.base.rsplit(':').next().unwrap().to_string();
    let local = format!("http://127.0.0.1:{port}");
    let (status, _, _) = raw(&local, &request("GET", "/hello/x", &format!("192.168.1.5:{port}"), &[], ""));
    assert_eq!(status, 200);
    let (status, _, _) = raw(&local, &request("GET", "/hello/x", "evil.example.com", &[], ""));
    assert_eq!(status, 403);
}
