//! A fault-injecting HTTP proxy between sls-rs and the moto server: each call is recognised by
//! its AWS operation, and a rule can answer the next N matching calls with an error status
//! (5xx, throttling, access denied), a delay, or a dropped connection, instead of (or before)
//! forwarding them. Every call is logged with what happened to it, for the tests' assertions.
#![allow(dead_code)] // each test binary uses a different part

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::response::Response;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One call as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub query: String,
    /// The operation, for protocols that name it (`CreateChangeSet`, `FilterLogEvents`).
    pub action: Option<String>,
    /// The status sent back: the endpoint's or the injected one; 0 while a call is held, and
    /// for a dropped one.
    pub status: u16,
    pub injected: bool,
}

impl Call {
    pub fn is(&self, action: &str) -> bool {
        self.action.as_deref() == Some(action)
    }
}

#[derive(Clone)]
pub enum Fault {
    /// An AWS error: status, and the body AWS would send (see `query_error`, `json_error`).
    Error(u16, String),
    /// Held this long, then forwarded.
    Delay(Duration),
    /// The connection is closed without an answer.
    Drop,
}

type Matcher = Box<dyn Fn(&Call) -> bool + Send>;

struct Rule {
    matches: Matcher,
    fault: Fault,
    left: usize,
}

#[derive(Default)]
struct Shared {
    rules: Mutex<Vec<Rule>>,
    log: Mutex<Vec<Call>>,
}

pub struct Faults {
    /// The proxy's URL, to give sls-rs as its endpoint.
    pub url: String,
    shared: Arc<Shared>,
    _runtime: tokio::runtime::Runtime,
}

/// A query-protocol error (CloudFormation, STS, SQS-query): `Throttling`, `AccessDenied`, ...
pub fn query_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-1</RequestId></ErrorResponse>"
    )
}

/// An S3 (REST-XML) error.
pub fn s3_error(code: &str, message: &str) -> String {
    format!("<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-1</RequestId></Error>")
}

/// A JSON-protocol error (CloudWatch Logs, DynamoDB).
pub fn json_error(code: &str, message: &str) -> String {
    format!(r#"{{"__type":"{code}","message":"{message}"}}"#)
}

impl Faults {
    /// Starts the proxy in front of `upstream` (moto's `http://localhost:<port>`).
    pub fn start(upstream: &str) -> Faults {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let shared = Arc::new(Shared::default());
        let listener = runtime.block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0))).unwrap();
        // `localhost`, as moto wants in the S3 URLs of templates.
        let url = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        let state =
            Arc::new(Proxy { upstream: upstream.trim_end_matches('/').to_string(), client, shared: shared.clone() });
        let app = axum::Router::new().fallback(forward).with_state(state);
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Faults { url, shared, _runtime: runtime }
    }

    /// Answers the next `times` calls that `matches` picks with `fault`. Rules are tried in
    /// the order they were added; a call takes at most one fault.
    pub fn inject(&self, times: usize, fault: Fault, matches: impl Fn(&Call) -> bool + Send + 'static) {
        self.shared.rules.lock().unwrap().push(Rule { matches: Box::new(matches), fault, left: times });
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Forgets the rules not used up.
    pub fn clear(&self) {
        self.shared.rules.lock().unwrap().clear();
    }
}

struct Proxy {
    upstream: String,
    client: Client<HttpConnector, Full<axum::body::Bytes>>,
    shared: Arc<Shared>,
}

/// The operation a request names: `X-Amz-Target` (JSON protocols) or `Action=` (query).
fn action_of(target: Option<&str>, body: &[u8]) -> Option<String> {
    if let Some(t) = target {
        return t.rsplit('.').next().map(str::to_string);
    }
    let body = std::str::from_utf8(body).ok()?;
    body.split('&').find_map(|kv| kv.strip_prefix("Action=")).map(str::to_string)
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let target = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    let mut call = Call {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        action: action_of(target, &body),
        status: 0,
        injected: false,
    };
    let fault = {
        let mut rules = p.shared.rules.lock().unwrap();
        rules.iter_mut().find(|r| r.left > 0 && (r.matches)(&call)).map(|r| {
            r.left -= 1;
            r.fault.clone()
        })
    };
    // Logged as it arrives, so a test can act while a call is held; answered when it is.
    call.injected = fault.is_some();
    let index = {
        let mut log = p.shared.log.lock().unwrap();
        log.push(call);
        log.len() - 1
    };
    let answered = |status: u16| p.shared.log.lock().unwrap()[index].status = status;
    match fault {
        Some(Fault::Error(status, body)) => {
            answered(status);
            let kind = if body.starts_with('{') { "application/x-amz-json-1.1" } else { "text/xml" };
            return Response::builder().status(status).header("content-type", kind).body(Body::from(body)).unwrap();
        }
        Some(Fault::Drop) => {
            // A body that fails mid-way makes hyper close the connection without an answer.
            let broken =
                futures_util::stream::once(async { Err::<axum::body::Bytes, _>(std::io::Error::other("dropped")) });
            return Response::builder().status(200).body(Body::from_stream(broken)).unwrap();
        }
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let path_and_query = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut out = hyper::Request::builder().method(parts.method.clone()).uri(format!("{}{path_and_query}", p.upstream));
    for (k, v) in &parts.headers {
        out = out.header(k, v);
    }
    let resp = match p.client.request(out.body(Full::new(body)).unwrap()).await {
        Ok(resp) => resp,
        Err(_) => {
            answered(502);
            return Response::builder().status(502).body(Body::empty()).unwrap();
        }
    };
    let (rparts, rbody) = resp.into_parts();
    let rbody = rbody.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    answered(rparts.status.as_u16());
    Response::from_parts(rparts, Body::from(rbody))
}
