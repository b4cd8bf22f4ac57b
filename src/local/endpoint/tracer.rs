//! Local runtime: the causal chain between invocations. Handlers reach the local endpoint
//! through this pass-through proxy. A call that carries an invocation's trace (the SDK sends
//! `x-amzn-trace-id` from the `_X_AMZN_TRACE_ID` the runtime sets) leaves a mark on what it
//! created — a message, an object, a notification, an event, an item change — and the trigger
//! that delivers it continues that trace, so `dev` can show the invocation as a child.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::response::Response;
use futures_util::StreamExt;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Something a traced call created, as a trigger later sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Mark {
    Message(String),
    Notification(String),
    Event(String),
    Object {
        bucket: String,
        key: String,
    },
    /// A table's item, by its key attributes in DynamoDB JSON (sorted, so both sides agree).
    Item {
        table: String,
        key: String,
    },
}

/// Remembered marks; old ones are forgotten past a bound, so a long session stays small.
pub(crate) struct Tracer {
    marks: Mutex<HashMap<Mark, String>>,
    /// Table name on the endpoint → its key attribute names.
    keys: BTreeMap<String, Vec<String>>,
    /// Traced calls the endpoint has not answered yet. The endpoint may deliver what such a
    /// call created (a long-polling receive wakes at once) before the proxy reads the answer
    /// that names it, so a trigger finding no mark waits for these to settle.
    inflight: std::sync::atomic::AtomicUsize,
    settled: tokio::sync::Notify,
}

/// Longest a trigger waits for traced calls in flight before delivering untraced.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// Counts a traced call in flight for as long as it lives.
struct InFlight<'a>(&'a Tracer);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.inflight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        self.0.settled.notify_waiters();
    }
}

const MAX_MARKS: usize = 100_000;

impl Tracer {
    pub(crate) fn new(keys: BTreeMap<String, Vec<String>>) -> Tracer {
        Tracer { marks: Mutex::default(), keys, inflight: Default::default(), settled: Default::default() }
    }

    /// The trace that created any of `marks`, waiting (briefly) for traced calls still in
    /// flight, whose marks may be the ones missing.
    pub(crate) async fn find_settled(&self, marks: &[Mark]) -> Option<String> {
        if marks.is_empty() {
            return None;
        }
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if let Some(trace) = marks.iter().find_map(|m| self.find(m)) {
                return Some(trace);
            }
            if self.inflight.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                return None;
            }
            tokio::time::timeout_at(deadline, settled).await.ok()?;
        }
    }

    /// The trace that created `mark`, if a traced call did.
    fn find(&self, mark: &Mark) -> Option<String> {
        self.marks.lock().ok()?.get(mark).cloned()
    }

    fn record(&self, marks: Vec<Mark>, trace: &str) {
        let Ok(mut map) = self.marks.lock() else { return };
        if map.len() + marks.len() > MAX_MARKS {
            map.clear();
        }
        for m in marks {
            map.insert(m, trace.to_string());
        }
    }

    /// What a successful call created, from its request and response.
    fn marks(&self, method: &str, path: &str, target: Option<&str>, req: &[u8], resp: &[u8]) -> Vec<Mark> {
        let json = |b: &[u8]| serde_json::from_slice::<Value>(b).unwrap_or_default();
        let strings = |v: &Value, list: &str, field: &str| -> Vec<String> {
            let items = v[list].as_array().cloned().unwrap_or_default();
            items.iter().filter_map(|e| e[field].as_str().map(str::to_string)).collect()
        };
        match target.map(|t| t.rsplit('.').next().unwrap_or(t)) {
            Some("SendMessage") => {
                json(resp)["MessageId"].as_str().map(|id| Mark::Message(id.into())).into_iter().collect()
            }
            Some("SendMessageBatch") => {
                strings(&json(resp), "Successful", "MessageId").into_iter().map(Mark::Message).collect()
            }
            Some("PutEvents") => strings(&json(resp), "Entries", "EventId").into_iter().map(Mark::Event).collect(),
            Some(op @ ("PutItem" | "UpdateItem" | "DeleteItem")) => {
                let r = json(req);
                let table = r["TableName"].as_str().unwrap_or("").to_string();
                let attrs = if op == "PutItem" { &r["Item"] } else { &r["Key"] };
                let names = self.keys.get(&table).cloned().unwrap_or_default();
                let key: BTreeMap<&str, &Value> =
                    names.iter().filter_map(|n| Some((n.as_str(), attrs.get(n)?))).collect();
                vec![Mark::Item { table, key: serde_json::to_string(&key).unwrap_or_default() }]
            }
            Some(_) => Vec::new(),
            // SNS speaks the query protocol; S3 is REST.
            None if req.starts_with(b"Action=Publish&") || req.windows(15).any(|w| w == b"&Action=Publish") => {
                let text = String::from_utf8_lossy(resp);
                let id = text.split("<MessageId>").nth(1).and_then(|r| r.split("</MessageId>").next());
                id.map(|id| Mark::Notification(id.to_string())).into_iter().collect()
            }
            None if method == "PUT" => {
                let mut parts = path.trim_start_matches('/').splitn(2, '/');
                match (parts.next(), parts.next()) {
                    (Some(bucket), Some(key)) if !key.is_empty() => {
                        vec![Mark::Object {
                            bucket: bucket.to_string(),
                            key: crate::local::http::api::percent_decode(key),
                        }]
                    }
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        }
    }
}

/// The canonical form of a stream record's `Keys`, as `Mark::Item` holds it.
pub(crate) fn item_key(keys: &Value) -> String {
    let sorted: BTreeMap<&String, &Value> = keys.as_object().into_iter().flatten().collect();
    serde_json::to_string(&sorted).unwrap_or_default()
}

/// `Root=1-…;Parent=…;Sampled=0` → `1-…`.
pub(crate) fn root_of(header: &str) -> Option<String> {
    header.split(';').find_map(|p| p.trim().strip_prefix("Root=")).filter(|r| !r.is_empty()).map(str::to_string)
}

struct Proxy {
    upstream: String,
    client: Client<HttpConnector, Body>,
    tracer: Arc<Tracer>,
}

/// How much of a request or response the tracer reads to find what a call created: a
/// DynamoDB item (400 KB), a message or event (1 MiB at most) and their answers fit. Bodies
/// pass through as they come, whatever their size (an object upload may be gigabytes): only
/// this much of each is kept.
const READ_FOR_MARKS: usize = 1024 * 1024 + 64 * 1024;

/// Starts the proxy in front of `upstream` (an `http://` endpoint); returns its URL, which is
/// an IP address so the S3 client in handlers uses path-style addressing.
pub(crate) async fn start(upstream: &str, tracer: Arc<Tracer>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let proxy = Arc::new(Proxy { upstream: upstream.trim_end_matches('/').to_string(), client, tracer });
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    crate::local::http::serve::spawn_internal(listener, app);
    Ok(url)
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let failed = |status: u16, why: String| {
        let mut resp = Response::new(Body::from(why));
        *resp.status_mut() = axum::http::StatusCode::from_u16(status).unwrap_or_default();
        resp
    };
    // The request streams on to the endpoint; its first bytes are kept for the marks.
    let kept = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&kept);
    let stream = body.into_data_stream().map(move |chunk| {
        if let (Ok(bytes), Ok(mut kept)) = (&chunk, keep.lock()) {
            let room = READ_FOR_MARKS.saturating_sub(kept.len());
            kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        chunk
    });
    let path_and_query = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut out = hyper::Request::builder().method(parts.method.clone()).uri(format!("{}{path_and_query}", p.upstream));
    for (k, v) in &parts.headers {
        out = out.header(k, v);
    }
    let Ok(out) = out.body(Body::from_stream(stream)) else { return failed(400, "bad request".into()) };
    let trace = parts.headers.get("x-amzn-trace-id").and_then(|v| v.to_str().ok()).and_then(root_of);
    let _inflight = trace.is_some().then(|| {
        p.tracer.inflight.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlight(&p.tracer)
    });
    let resp = match p.client.request(out).await {
        Ok(resp) => resp,
        Err(e) => return failed(502, format!("the local AWS endpoint did not answer: {e}")),
    };
    let (rparts, rbody) = resp.into_parts();
    let Some(trace) = trace.filter(|_| rparts.status.is_success()) else {
        return Response::from_parts(rparts, Body::new(rbody));
    };
    // What a call created is named in its answer (a message id): small, and read whole; an
    // answer too large to be one (an object's content) passes through unread.
    let length = rparts.headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    if length.is_none_or(|n: usize| n > READ_FOR_MARKS) {
        let request = kept.lock().map(|k| k.clone()).unwrap_or_default();
        let marks = p.tracer.marks(parts.method.as_str(), parts.uri.path(), target(&parts), &request, b"");
        p.tracer.record(marks, &trace);
        return Response::from_parts(rparts, Body::new(rbody));
    }
    let Ok(rbody) = to_bytes(Body::new(rbody), READ_FOR_MARKS).await else {
        return failed(502, "broken response".into());
    };
    let request = kept.lock().map(|k| k.clone()).unwrap_or_default();
    let marks = p.tracer.marks(parts.method.as_str(), parts.uri.path(), target(&parts), &request, &rbody);
    p.tracer.record(marks, &trace);
    // Marks are recorded before `_inflight` drops and wakes triggers waiting for them.
    Response::from_parts(rparts, Body::from(rbody))
}

fn target(parts: &axum::http::request::Parts) -> Option<&str> {
    parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracer() -> Tracer {
        Tracer::new(BTreeMap::from([("users".to_string(), vec!["id".to_string()])]))
    }

    #[test]
    fn a_sent_message_is_marked_with_its_id() {
        let marks = tracer().marks("POST", "/", Some("AmazonSQS.SendMessage"), b"{}", br#"{"MessageId":"m-1"}"#);
        assert_eq!(marks, [Mark::Message("m-1".into())]);
    }

    #[test]
    fn an_item_is_marked_by_its_key_whatever_else_it_holds() {
        let put = br#"{"TableName":"users","Item":{"name":{"S":"Ada"},"id":{"S":"ada@example.com"}}}"#;
        let marks = tracer().marks("POST", "/", Some("DynamoDB_20120810.PutItem"), put, b"{}");
        let key = item_key(&serde_json::json!({"id": {"S": "ada@example.com"}}));
        assert_eq!(marks, [Mark::Item { table: "users".into(), key }]);
    }

    #[test]
    fn uploads_and_notifications_are_marked() {
        let t = tracer();
        let put = t.marks("PUT", "/bucket/images/my%20cat.png", None, b"png", b"");
        assert_eq!(put, [Mark::Object { bucket: "bucket".into(), key: "images/my cat.png".into() }]);
        let publish =
            t.marks("POST", "/", None, b"Action=Publish&TopicArn=x", b"<PublishResult><MessageId>n-1</MessageId>");
        assert_eq!(publish, [Mark::Notification("n-1".into())]);
        assert!(t.marks("PUT", "/bucket", None, b"", b"").is_empty(), "creating a bucket is not an upload");
    }

    #[tokio::test]
    async fn a_trigger_waits_for_a_traced_call_in_flight_to_name_its_message() {
        let t = std::sync::Arc::new(tracer());
        t.inflight.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let answer = {
            let t = std::sync::Arc::clone(&t);
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                t.record(vec![Mark::Message("m-1".into())], "1-abc");
                drop(InFlight(&t));
            })
        };
        assert_eq!(t.find_settled(&[Mark::Message("m-1".into())]).await.as_deref(), Some("1-abc"));
        answer.await.unwrap();
        // Nothing in flight: an unknown message is untraced at once.
        assert_eq!(t.find_settled(&[Mark::Message("m-2".into())]).await, None);
    }

    /// The process's peak resident memory so far, in KiB (`VmHWM`).
    fn peak_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// An upload far larger than any mark needs passes through to the endpoint whole while
    /// the proxy holds a bounded part of it, and its trace still marks the object.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_large_upload_streams_through_and_is_never_held_whole() {
        const MIB: usize = 1024 * 1024;
        const CHUNKS: usize = 512;
        // The endpoint: counts what arrives, a chunk at a time.
        let sink = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink_url = format!("http://{}", sink.local_addr().unwrap());
        let count = axum::Router::new().fallback(|body: Body| async move {
            let mut stream = body.into_data_stream();
            let mut n = 0;
            while let Some(Ok(chunk)) = stream.next().await {
                n += chunk.len();
            }
            n.to_string()
        });
        tokio::spawn(async move { axum::serve(sink, count).await.unwrap() });
        let tracer = std::sync::Arc::new(tracer());
        let proxy = start(&sink_url, std::sync::Arc::clone(&tracer)).await.unwrap();

        let before = peak_kib();
        let chunk = axum::body::Bytes::from(vec![b'x'; MIB]);
        let chunks = futures_util::stream::iter((0..CHUNKS).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
        let request = hyper::Request::builder()
            .method("PUT")
            .uri(format!("{proxy}/bucket/big.bin"))
            .header("host", proxy.trim_start_matches("http://"))
            .header("content-length", (CHUNKS * MIB).to_string())
            .header("x-amzn-trace-id", "Root=1-abc;Sampled=0")
            .body(Body::from_stream(chunks))
            .unwrap();
        let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build_http::<Body>();
        let resp = client.request(request).await.unwrap();
        let body = to_bytes(Body::new(resp.into_body()), 64).await.unwrap();
        assert_eq!(body, (CHUNKS * MIB).to_string(), "the endpoint got every byte");
        let grew = peak_kib().saturating_sub(before) / 1024;
        assert!(grew < 128, "the proxy's peak memory grew {grew} MiB for a {CHUNKS} MiB upload");
        let mark = Mark::Object { bucket: "bucket".into(), key: "big.bin".into() };
        assert_eq!(tracer.find_settled(&[mark]).await.as_deref(), Some("1-abc"));
    }

    #[test]
    fn the_root_is_read_from_a_trace_header() {
        assert_eq!(root_of("Root=1-5f2a-abc;Parent=123;Sampled=0").as_deref(), Some("1-5f2a-abc"));
        assert_eq!(root_of("Parent=1"), None);
    }
}
