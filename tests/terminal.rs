//! sls-rs on a real terminal (a pseudo-terminal): `new` asks what to make, deploy and remove
//! ask before changing anything (against moto), the live view draws, and Ctrl-C at any
//! question exits 130 with nothing left behind.

use crate::common::{self, moto, pty};

use crate::common::Test;
use moto::Moto;
use pty::Session;
use std::time::Duration;

#[test]
fn deploy_and_remove_ask_first_and_show_progress_on_a_terminal() {
    let moto = Moto::start();
    let t = Test::new().file("term/sls.yaml", "service: term\nresources:\n  queues:\n    jobs: {}\n");
    let dir = t.path().join("term");

    // The plan, then one key: `n` leaves nothing behind, not even the empty stack that a
    // first change set creates.
    let mut s = Session::start(&dir, moto.env(), &["deploy", "--skip-build"]);
    s.expect("AWS::SQS::Queue");
    s.expect("Deploy these");
    s.press("n");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("deploy cancelled; nothing was changed"), "{screen}");
    assert_eq!(moto.stack_status("term-dev"), None, "a cancelled first deploy left a stack");

    // Ctrl-C at the prompt is an interruption (exit 130) that also leaves nothing behind.
    let mut s = Session::start(&dir, moto.env(), &["deploy", "--skip-build"]);
    s.expect("Deploy these");
    s.press("\x03");
    let (code, screen) = s.finish();
    assert_eq!(code, 130, "{screen}");
    assert!(screen.contains("interrupted; term-dev was not changed"), "{screen}");
    assert_eq!(moto.stack_status("term-dev"), None, "an interrupted first deploy left a stack");

    // `y`: the live view draws each resource's end as a marked line.
    let mut s = Session::start(&dir, moto.env(), &["deploy", "--skip-build"]);
    s.expect("Deploy these");
    s.press("y");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("✓ term-dev") && screen.contains("CREATE_COMPLETE"), "{screen}");
    assert!(screen.contains("deployed term-dev"), "{screen}");
    assert_eq!(moto.stack_status("term-dev").as_deref(), Some("CREATE_COMPLETE"));

    // Remove asks too; `n` or Ctrl-C keeps the stack, `y` removes it.
    let mut s = Session::start(&dir, moto.env(), &["remove"]);
    s.expect("Remove stack term-dev and everything in it?");
    s.press("n");
    let (code, screen) = s.finish();
    assert_eq!((code, moto.stack_status("term-dev").as_deref()), (0, Some("CREATE_COMPLETE")), "{screen}");
    assert!(screen.contains("nothing removed"), "{screen}");
    let mut s = Session::start(&dir, moto.env(), &["remove"]);
    s.expect("Remove stack term-dev");
    s.press("\x03");
    let (code, screen) = s.finish();
    assert_eq!((code, moto.stack_status("term-dev").as_deref()), (130, Some("CREATE_COMPLETE")), "{screen}");
    let mut s = Session::start(&dir, moto.env(), &["remove"]);
    s.expect("Remove stack term-dev");
    s.press("y");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    let gone = moto.stack_status("term-dev");
    assert!(gone.is_none() || gone.as_deref() == Some("DELETE_COMPLETE"), "{gone:?}\n{screen}");

    // (Same moto.) A project's deploy asks once, then draws a row per service.
    a_project_deploy_draws_a_row_per_service(&moto);
}

fn a_project_deploy_draws_a_row_per_service(moto: &Moto) {
    let t = Test::new()
        .file("proj/sls.yaml", "services:\n  inbox: inbox\n  audit: { path: audit, depends_on: [inbox] }\n")
        .file("proj/inbox/sls.yaml", "service: term-inbox\nresources:\n  queues:\n    mail: {}\n")
        .file("proj/audit/sls.yaml", "service: term-audit\nresources:\n  tables:\n    trail: { key: id }\n");
    let mut s = Session::start(&t.path().join("proj"), moto.env(), &["deploy", "--skip-build"]);
    s.expect("Deploy them?");
    s.press("y");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("✓ inbox done"), "{screen}");
    assert!(screen.contains("✓ audit done"), "{screen}");
    assert!(screen.contains("audit waiting for inbox"), "a row says what it waits for: {screen}");
    assert!(!screen.contains("[inbox] deploying"), "rows, not the plain lines of a non-terminal: {screen}");
    for stack in ["term-inbox-dev", "term-audit-dev"] {
        assert_eq!(moto.stack_status(stack).as_deref(), Some("CREATE_COMPLETE"), "{stack}");
    }

    // Removing a table that holds items is a second question, which shows what would go.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let dynamodb = aws_sdk_dynamodb::Client::new(&rt.block_on(moto.sdk_config()));
    let item = aws_sdk_dynamodb::types::AttributeValue::S("e1".into());
    rt.block_on(dynamodb.put_item().table_name("term-audit-dev-trail").item("id", item).send()).unwrap();
    let mut s = Session::start(&t.path().join("proj"), moto.env(), &["remove"]);
    s.expect("and everything in it?");
    s.press("y");
    s.expect("[audit] table term-audit-dev-trail: about 1 item(s)");
    s.expect("Destroy it?");
    s.press("n");
    let (code, screen) = s.finish();
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("nothing was removed"), "{screen}");
    assert_eq!(moto.stack_status("term-audit-dev").as_deref(), Some("CREATE_COMPLETE"), "{screen}");
    let mut s = Session::start(&t.path().join("proj"), moto.env(), &["remove"]);
    s.expect("and everything in it?");
    s.press("y");
    s.expect("Destroy it?");
    s.press("y");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    for stack in ["term-inbox-dev", "term-audit-dev"] {
        let gone = moto.stack_status(stack);
        assert!(gone.is_none() || gone.as_deref() == Some("DELETE_COMPLETE"), "{stack}: {gone:?}\n{screen}");
    }
}

#[test]
fn new_asks_for_template_and_architecture_and_ctrl_c_writes_nothing() {
    let t = Test::new();
    let mut s = Session::start(t.path(), Vec::new(), &["new", "shop"]);
    s.expect("Template");
    s.press("\r"); // the first, http-api
    s.expect("Architecture");
    s.press("\x1b[B"); // down: x86_64
    s.press("\r");
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    let yaml = std::fs::read_to_string(t.path().join("shop/sls.yaml")).unwrap();
    assert!(yaml.contains("x86_64"), "{yaml}");
    assert!(t.path().join("shop/api/src/main.rs").exists() || t.path().join("shop/Cargo.toml").exists());

    let mut s = Session::start(t.path(), Vec::new(), &["new", "other"]);
    s.expect("Template");
    s.press("\x03");
    let (code, screen) = s.finish();
    assert_eq!(code, 130, "{screen}");
    assert!(screen.ends_with("\x1b[?25h\r\n") || screen.contains("\x1b[?25h"), "the cursor is shown again: {screen:?}");
    assert!(!t.path().join("other").exists(), "an interrupted `new` wrote files");
}

/// On a terminal `build` shows one live line with the crate cargo is on (redrawn in place),
/// not the plain line every ten seconds it prints elsewhere, and clears it for the results.
#[test]
fn build_shows_what_cargo_compiles_on_one_live_line() {
    let t = Test::new().args(["new", "demo", "--template", "http-api", "--arch", "arm64"]);
    t.run().status(0);
    // The dependencies are built (tests/build.rs shares the target dir); this project's own
    // crate is not, so cargo has something to say.
    let target = common::shared_target().display().to_string();
    let mut s = Session::start(&t.path().join("demo"), vec![("CARGO_TARGET_DIR", target)], &["build"]);
    // Long only when another test's build holds the target directory first.
    s.expect_within("compiling for arm64: ", Duration::from_secs(15 * 60));
    let (code, screen) = s.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("crate(s) so far)"), "the live line: {screen}");
    assert!(!screen.contains("crate(s) so far, "), "not the plain lines of a non-terminal: {screen}");
    assert!(screen.contains("built       api"), "{screen}");
}

/// Log lines are what anything wrote: on a terminal `logs` shows their control characters
/// escaped, in plain lines and in the fields of JSON lines it decodes, whose `\u001b` is a
/// raw ESC once decoded.
#[test]
fn log_lines_reach_the_terminal_escaped() {
    let moto = Moto::start();
    let t = Test::new().file("demo/sls.yaml", "service: demo\nfunctions:\n  api:\n    events: [{ http: GET / }]\n");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&rt.block_on(moto.sdk_config()));
    let group = "/aws/lambda/demo-dev-api";
    rt.block_on(logs.create_log_group().log_group_name(group).send()).unwrap();
    rt.block_on(logs.create_log_stream().log_group_name(group).log_stream_name("s1").send()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let json = serde_json::json!({ "level": "INFO", "fields": { "message": format!("json {}", pty::HOSTILE), "key": pty::HOSTILE } });
    let events = [format!("plain {}", pty::HOSTILE), json.to_string()]
        .map(|m| aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(now).message(m).build().unwrap());
    let put = logs.put_log_events().log_group_name(group).log_stream_name("s1").set_log_events(Some(events.to_vec()));
    rt.block_on(put.send()).unwrap();

    let (code, screen) = pty::run(&t.path().join("demo"), moto.env(), &["logs", "-f", "api", "--since", "1h"]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("plain \\x1b]0;pwned") && screen.contains("json \\x1b]0;pwned"), "{screen}");
    assert!(screen.contains("key=\\x1b]0;pwned"), "{screen}");
    pty::shows_escaped(&screen);
}
