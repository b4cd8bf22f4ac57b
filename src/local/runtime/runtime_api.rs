//! Local runtime: the Lambda Runtime API one function instance talks to — `/next` long-polls
//! for an event, `/response` and `/error` finish it, `/init/error` reports a failed start.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// One event for the instance, and where its outcome goes.
pub(super) struct Invocation {
    pub request_id: String,
    pub payload: Vec<u8>,
    /// The function's timeout, which runs from when the runtime takes the event (`next`).
    pub timeout: std::time::Duration,
    pub function_arn: String,
    pub trace_id: String,
    pub reply: oneshot::Sender<Reply>,
    /// Told when the runtime takes the event: its init, if any, is over.
    pub taken: oneshot::Sender<()>,
}

/// What the handler said about an invocation.
#[derive(Debug)]
pub(super) enum Reply {
    Response(Vec<u8>),
    /// The error document (`errorType`, `errorMessage`) as the runtime posted it.
    Error(serde_json::Value),
}

#[derive(Clone)]
struct Shared {
    inbox: Arc<tokio::sync::Mutex<mpsc::Receiver<Invocation>>>,
    inflight: Arc<Mutex<HashMap<String, oneshot::Sender<Reply>>>>,
    init_error: Arc<Mutex<Option<serde_json::Value>>>,
}

/// A running Runtime API endpoint on a loopback port.
pub(super) struct RuntimeApi {
    pub addr: std::net::SocketAddr,
    pub sender: mpsc::Sender<Invocation>,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl RuntimeApi {
    pub(super) async fn start() -> std::io::Result<RuntimeApi> {
        let (sender, receiver) = mpsc::channel(1);
        let shared = Shared {
            inbox: Arc::new(tokio::sync::Mutex::new(receiver)),
            inflight: Arc::default(),
            init_error: Arc::default(),
        };
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let server = crate::local::http::serve::spawn_internal(listener, app);
        Ok(RuntimeApi { addr, sender, shared, server })
    }

    /// The error the runtime reported at start-up, if it did.
    pub(super) fn init_error(&self) -> Option<serde_json::Value> {
        self.shared.init_error.lock().ok()?.clone()
    }

    /// Forgets an invocation whose instance died or timed out.
    pub(super) fn abandon(&self, request_id: &str) {
        if let Ok(mut map) = self.shared.inflight.lock() {
            map.remove(request_id);
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn next(State(s): State<Shared>) -> Response {
    // Held open until an event arrives, as Lambda does; the runtime client expects that.
    let invocation = s.inbox.lock().await.recv().await;
    let Some(inv) = invocation else {
        return (StatusCode::GONE, "shutting down").into_response();
    };
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set("lambda-runtime-aws-request-id", &inv.request_id);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    set("lambda-runtime-deadline-ms", &(now + inv.timeout).as_millis().to_string());
    set("lambda-runtime-invoked-function-arn", &inv.function_arn);
    set("lambda-runtime-trace-id", &inv.trace_id);
    set("content-type", "application/json");
    if let Ok(mut map) = s.inflight.lock() {
        map.insert(inv.request_id.clone(), inv.reply);
    }
    let _ = inv.taken.send(());
    (StatusCode::OK, headers, inv.payload).into_response()
}

fn finish(s: &Shared, id: &str, reply: Reply) -> Response {
    match s.inflight.lock().ok().and_then(|mut m| m.remove(id)) {
        Some(tx) => {
            let _ = tx.send(reply);
            (StatusCode::ACCEPTED, r#"{"status":"OK"}"#).into_response()
        }
        None => (StatusCode::BAD_REQUEST, r#"{"errorType":"InvalidRequestID","errorMessage":"unknown request id"}"#)
            .into_response(),
    }
}

async fn response(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Response {
    finish(&s, &id, Reply::Response(body.to_vec()))
}

async fn error(State(s): State<Shared>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    finish(&s, &id, Reply::Error(error_document(&headers, &body)))
}

async fn init_error(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Ok(mut e) = s.init_error.lock() {
        *e = Some(error_document(&headers, &body));
    }
    (StatusCode::ACCEPTED, r#"{"status":"OK"}"#).into_response()
}

/// The posted error body, falling back to the `Lambda-Runtime-Function-Error-Type` header.
fn error_document(headers: &HeaderMap, body: &[u8]) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::json!({ "errorMessage": String::from_utf8_lossy(body) }));
    if doc.get("errorType").is_none() {
        let kind = headers
            .get("lambda-runtime-function-error-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("Runtime.Unknown");
        doc["errorType"] = serde_json::Value::String(kind.to_string());
    }
    doc
}
