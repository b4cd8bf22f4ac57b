//! `logs --tail` against replayed CloudWatch Logs responses: moto has no Live Tail, so the
//! streaming session (its overlap with history, sampling, its end) is shown here with
//! event-stream frames encoded as the service sends them.

use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsOutput;
use aws_sdk_cloudwatchlogs::types::{FilteredLogEvent, LogGroup};
use aws_sdk_cloudwatchlogs::Client;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use serde_json::json;
use sls_rs::logs::{self, LogLine};
use std::sync::Mutex;
use std::time::Duration;

const API: &str = "/aws/lambda/shop-dev-api";
const WORKER: &str = "/aws/lambda/shop-dev-worker";

fn groups() -> Vec<(String, String)> {
    vec![("api".into(), API.into()), ("worker".into(), WORKER.into())]
}

fn arn(group: &str) -> String {
    format!("arn:aws:logs:eu-west-1:123456789012:log-group:{group}")
}

fn frame(kind: &str, name: &str, payload: serde_json::Value) -> Vec<u8> {
    let type_header = if kind == "event" { ":event-type" } else { ":exception-type" };
    let message = Message::new(serde_json::to_vec(&payload).unwrap())
        .add_header(Header::new(":message-type", HeaderValue::String(kind.to_string().into())))
        .add_header(Header::new(type_header, HeaderValue::String(name.to_string().into())))
        .add_header(Header::new(":content-type", HeaderValue::String("application/json".into())));
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
    out
}

fn live_event(group: &str, stream: &str, ts: i64, message: &str) -> serde_json::Value {
    json!({"logGroupIdentifier": arn(group), "logStreamName": stream, "timestamp": ts, "message": message,
           "ingestionTime": ts + 5})
}

fn filtered(stream: &str, ts: i64, message: &str) -> FilteredLogEvent {
    FilteredLogEvent::builder().log_stream_name(stream).timestamp(ts).message(message).event_id(format!("{ts}")).build()
}

fn history_rule(group: &'static str, first: Vec<FilteredLogEvent>, later: Vec<FilteredLogEvent>) -> Rule {
    mock!(Client::filter_log_events)
        .match_requests(move |r| r.log_group_name() == Some(group))
        .sequence()
        .output(move || FilterLogEventsOutput::builder().set_events(Some(first.clone())).build())
        .output(move || FilterLogEventsOutput::builder().set_events(Some(later.clone())).build())
        .repeatedly()
        .build()
}

fn describe_rule() -> Rule {
    mock!(Client::describe_log_groups).then_output(|| {
        let group = |name: &str| LogGroup::builder().log_group_name(name).log_group_arn(arn(name)).build();
        aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput::builder()
            .log_groups(group(API))
            .log_groups(group(WORKER))
            .build()
    })
}

/// Follows for a while, then stops as Ctrl-C would: what was shown, and what was noted.
async fn follow_for(client: &Client, mode: logs::Mode, secs: u64) -> (Vec<String>, Vec<String>) {
    let shown = Mutex::new(Vec::new());
    let notes = Mutex::new(Vec::new());
    let mut emit = |l: &LogLine| shown.lock().unwrap().push(format!("{} {}", l.function, l.message));
    let note = |m: &str| notes.lock().unwrap().push(m.to_string());
    let groups = groups();
    let run = logs::follow(client, &groups, 0, None, mode, &mut emit, &note);
    let stopped = tokio::time::timeout(Duration::from_secs(secs), run).await;
    assert!(stopped.is_err(), "following ended by itself: {stopped:?}");
    (shown.into_inner().unwrap(), notes.into_inner().unwrap())
}

#[tokio::test]
async fn live_tail_joins_history_without_repeats_then_falls_back_to_polling() {
    let mut body = frame(
        "event",
        "sessionStart",
        json!({"requestId": "r1", "sessionId": "s1",
        "logGroupIdentifiers": [arn(API), arn(WORKER)]}),
    );
    // The session repeats a line the history already showed, then brings new ones.
    body.extend(frame(
        "event",
        "sessionUpdate",
        json!({"sessionMetadata": {"sampled": false}, "sessionResults": [
            live_event(API, "s1", 1_000, "cold start"),
            live_event(WORKER, "w1", 2_000, "worker started"),
        ]}),
    ));
    body.extend(frame(
        "event",
        "sessionUpdate",
        json!({"sessionMetadata": {"sampled": true}, "sessionResults": [
            live_event(API, "s1", 3_000, r#"{"level":"WARN","fields":{"message":"slow order","ms":900}}"#),
        ]}),
    ));
    body.extend(frame(
        "exception",
        "SessionTimeoutException",
        json!({"__type": "SessionTimeoutException", "message": "Session timed out after 3 hours"}),
    ));
    let start = mock!(Client::start_live_tail)
        .then_http_response(move || HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from(body.clone())));
    let api = history_rule(
        API,
        vec![filtered("s1", 1_000, "cold start")],
        vec![
            filtered("s1", 1_000, "cold start"),
            filtered("s1", 3_000, r#"{"level":"WARN","fields":{"message":"slow order","ms":900}}"#),
            filtered("s1", 4_000, "after the session"),
        ],
    );
    let worker = history_rule(WORKER, vec![], vec![filtered("w1", 2_000, "worker started")]);
    let client = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[&describe_rule(), &start, &api, &worker]);

    let (shown, notes) = follow_for(&client, logs::Mode::Live { endpoint: None }, 3).await;
    assert_eq!(
        shown,
        [
            "api cold start",
            "worker worker started",
            r#"api {"level":"WARN","fields":{"message":"slow order","ms":900}}"#,
            "api after the session",
        ]
    );
    assert!(start.num_calls() == 1 && api.num_calls() >= 2, "history, then polls after the session");
    assert_eq!(notes.iter().filter(|n| n.contains("sample")).count(), 1, "{notes:?}");
    let ended = notes.iter().find(|n| n.contains("live tail ended")).expect("the end of the session is told");
    assert!(ended.contains("timed out") && ended.contains("polling"), "{ended}");
}

#[tokio::test]
async fn without_live_tail_permission_it_polls_and_says_why() {
    let denied = mock!(Client::start_live_tail).then_http_response(|| {
        let body =
            json!({"__type": "AccessDeniedException", "message": "not authorized to perform logs:StartLiveTail"});
        HttpResponse::new(StatusCode::try_from(400).unwrap(), SdkBody::from(body.to_string()))
    });
    let api = history_rule(
        API,
        vec![filtered("s1", 1_000, "one")],
        vec![filtered("s1", 1_000, "one"), filtered("s1", 1_500, "two")],
    );
    let worker = history_rule(WORKER, vec![], vec![]);
    let client = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[&describe_rule(), &denied, &api, &worker]);

    let (shown, notes) = follow_for(&client, logs::Mode::Live { endpoint: None }, 2).await;
    assert_eq!(shown, ["api one", "api two"]);
    assert!(notes.iter().any(|n| n.contains("live tail unavailable") && n.contains("logs:StartLiveTail")), "{notes:?}");
}

#[tokio::test]
async fn a_function_that_never_ran_is_polled_too() {
    let only_api = mock!(Client::describe_log_groups).then_output(|| {
        aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput::builder()
            .log_groups(LogGroup::builder().log_group_name(API).log_group_arn(arn(API)).build())
            .build()
    });
    let api = history_rule(API, vec![], vec![filtered("s1", 10, "up")]);
    let worker = history_rule(WORKER, vec![], vec![filtered("w1", 20, "first run")]);
    let client = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[&only_api, &api, &worker]);

    let (shown, notes) = follow_for(&client, logs::Mode::Live { endpoint: None }, 2).await;
    assert_eq!(shown, ["api up", "worker first run"]);
    assert!(notes.iter().any(|n| n.contains(WORKER) && n.contains("does not exist")), "{notes:?}");
}

#[tokio::test]
async fn poll_mode_never_opens_a_session() {
    let start = mock!(Client::start_live_tail)
        .then_http_response(|| HttpResponse::new(StatusCode::try_from(500).unwrap(), SdkBody::from("{}")));
    let api = history_rule(API, vec![filtered("s1", 1_000, "one")], vec![filtered("s1", 1_000, "one")]);
    let worker = history_rule(WORKER, vec![], vec![filtered("w1", 1_200, "two")]);
    let client = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[&describe_rule(), &start, &api, &worker]);
    let (shown, notes) = follow_for(&client, logs::Mode::Poll, 2).await;
    assert_eq!(shown, ["api one", "worker two"]);
    assert_eq!(start.num_calls(), 0, "--poll must not start a billed Live Tail session");
    assert!(notes.is_empty(), "{notes:?}");
}
