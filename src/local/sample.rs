//! Local runtime: realistic sample events for `invoke --event <kind>`, shaped by what the
//! function declares (its route, queue, bucket, table, topic or pattern).

use crate::config::model::{EventKind, Function, Method, ResourceKind};
use crate::local::LOCAL_ACCOUNT;
use crate::plan::{names, Plan};
use serde_json::{json, Value};

/// The JSON a sample request or message carries: fields a person-shaped record would have.
pub(crate) const SAMPLE_BODY: &str = r#"{"email":"ada@example.com","name":"Ada"}"#;

/// The kinds of sample event, named as the event sources name themselves (`sqs`, not `queue`):
/// what `invoke --event` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleEvent {
    Http,
    Sqs,
    S3,
    Schedule,
    Sns,
    Dynamodb,
    Eventbridge,
}

impl SampleEvent {
    /// The sample kind an event declaration corresponds to.
    pub(crate) fn of(e: &EventKind) -> SampleEvent {
        match e {
            EventKind::Http { .. } => SampleEvent::Http,
            EventKind::Queue { .. } => SampleEvent::Sqs,
            EventKind::Upload { .. } => SampleEvent::S3,
            EventKind::Schedule { .. } => SampleEvent::Schedule,
            EventKind::Topic { .. } => SampleEvent::Sns,
            EventKind::Stream { .. } => SampleEvent::Dynamodb,
            EventKind::EventBridge { .. } => SampleEvent::Eventbridge,
        }
    }
}

pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub region: &'a str,
    /// For `http`: the declared route (method, path) to sample; the first declared when `None`.
    pub route: Option<(Method, &'a str)>,
    pub now: crate::host::clock::Timestamp,
}

/// A sample event of `kind` for `f`, using the first matching declaration for names.
pub(crate) fn sample(kind: SampleEvent, f: &Function, ctx: &Ctx) -> Value {
    let chosen = |e: &EventKind| match (e, ctx.route) {
        (EventKind::Http { method, path, .. }, Some((m, p))) => *method == m && path == p,
        _ => true,
    };
    let decl = f.events.iter().map(|e| &e.kind).find(|e| SampleEvent::of(e) == kind && chosen(e));
    // A declared resource's local name; a made-up one when the function declares no such event.
    let name = |kind: ResourceKind, n: &str| match ctx.plan.resource(kind, n) {
        Some(r) => r.name_in(LOCAL_ACCOUNT),
        None => names::physical_name(&ctx.plan.config.service, &ctx.plan.stage, n),
    };
    let (region, iso) = (ctx.region, ctx.now.iso());
    let arn = |svc: &str, res: &str| format!("arn:aws:{svc}:{region}:{LOCAL_ACCOUNT}:{res}");
    match kind {
        SampleEvent::Http => {
            let (method, path) = match decl {
                Some(EventKind::Http { method, path, .. }) => (*method, path.clone()),
                _ => (Method::Get, "/".to_string()),
            };
            // A request is made with a real method: `ANY` routes take a GET.
            let method = if method == Method::Any { Method::Get } else { method };
            let route =
                crate::local::http::api::Route { method, path: path.clone(), function: f.name.clone(), auth: None };
            let concrete = route.example_path();
            let params = route.matches(method.as_str(), &concrete).unwrap_or_default();
            // A request that carries a body gets one a sign-up or order handler would accept.
            let (headers, body) = match method {
                Method::Post | Method::Put | Method::Patch => {
                    (vec![("content-type".to_string(), "application/json".to_string())], Some(SAMPLE_BODY.as_bytes()))
                }
                _ => (Vec::new(), None),
            };
            crate::local::http::api::request_event(
                &route,
                &params,
                method.as_str(),
                &concrete,
                "",
                &headers,
                body,
                &ctx.now,
            )
        }
        SampleEvent::Sqs => {
            let queue = match decl {
                Some(EventKind::Queue { queue, .. }) => name(ResourceKind::Queue, queue),
                _ => name(ResourceKind::Queue, "queue"),
            };
            json!({"Records": [{
                "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                "body": SAMPLE_BODY,
                "attributes": {
                    "ApproximateReceiveCount": "1", "SentTimestamp": ctx.now.millis().to_string(),
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": ctx.now.millis().to_string()
                },
                "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs", "eventSourceARN": arn("sqs", &queue), "awsRegion": region
            }]})
        }
        SampleEvent::S3 => {
            let (bucket, key) = match decl {
                Some(EventKind::Upload { bucket, prefix, suffix }) => (
                    name(ResourceKind::Bucket, bucket),
                    format!("{}example{}", prefix.as_deref().unwrap_or(""), suffix.as_deref().unwrap_or(".txt")),
                ),
                _ => ("bucket".to_string(), "example.txt".to_string()),
            };
            json!({"Records": [{
                "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region, "eventTime": iso,
                "eventName": "ObjectCreated:Put", "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
                "s3": {
                    "s3SchemaVersion": "1.0", "configurationId": "sls-rs-local",
                    "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": format!("arn:aws:s3:::{bucket}")},
                    "object": {"key": key, "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}
                }
            }]})
        }
        SampleEvent::Schedule => {
            let rule = format!("{}-{}-schedule", ctx.plan.config.service, f.name);
            let mut event = json!({
                "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
                "source": "aws.events", "account": LOCAL_ACCOUNT, "time": iso, "region": region,
                "resources": [arn("events", &format!("rule/{rule}"))], "detail": {}
            });
            if let Some(EventKind::Schedule { input: Some(input), .. }) = decl {
                event = input.clone();
            }
            event
        }
        SampleEvent::Sns => {
            let topic = match decl {
                Some(EventKind::Topic { topic, .. }) => name(ResourceKind::Topic, topic),
                _ => name(ResourceKind::Topic, "topic"),
            };
            let topic_arn = arn("sns", &topic);
            json!({"Records": [{
                "EventSource": "aws:sns", "EventVersion": "1.0",
                "EventSubscriptionArn": format!("{topic_arn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"),
                "Sns": {
                    "Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e", "TopicArn": topic_arn,
                    "Subject": "example", "Message": "{\"kind\":\"placed\",\"order\":\"o-1\"}", "Timestamp": iso,
                    "SignatureVersion": "1", "Signature": "EXAMPLE", "SigningCertUrl": "https://sns.example/cert.pem",
                    "UnsubscribeUrl": "https://sns.example/unsubscribe", "MessageAttributes": {}
                }
            }]})
        }
        SampleEvent::Dynamodb => {
            let table = match decl {
                Some(EventKind::Stream { table, .. }) => name(ResourceKind::Table, table),
                _ => name(ResourceKind::Table, "table"),
            };
            json!({"Records": [{
                "eventID": "c4ca4238a0b923820dcc509a6f75849b", "eventName": "INSERT", "eventVersion": "1.1",
                "eventSource": "aws:dynamodb", "awsRegion": region,
                "dynamodb": {
                    "ApproximateCreationDateTime": ctx.now.millis() / 1000,
                    "Keys": {"id": {"S": "ada@example.com"}},
                    "NewImage": {"id": {"S": "ada@example.com"}, "name": {"S": "Ada"}},
                    "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"
                },
                "eventSourceARN": arn("dynamodb", &format!("table/{table}/stream/2026-01-01T00:00:00.000"))
            }]})
        }
        SampleEvent::Eventbridge => {
            let first = |key: &str| match decl {
                Some(EventKind::EventBridge { pattern, .. }) => pattern[key][0].as_str().map(str::to_string),
                _ => None,
            };
            json!({
                "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                "detail-type": first("detail-type").unwrap_or_else(|| "Example".into()),
                "source": first("source").unwrap_or_else(|| format!("{}.local", ctx.plan.config.service)),
                "account": LOCAL_ACCOUNT, "time": iso, "region": region, "resources": [], "detail": {}
            })
        }
    }
}
