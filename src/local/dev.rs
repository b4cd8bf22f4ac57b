//! Local runtime: `sls-rs dev` — the service's HTTP API on localhost, served by warm instances
//! of the real handlers, rebuilt and swapped on save without dropping the server.

use super::http_api::{self, HttpResponse, Match, Route};
use super::instance::Spec;
use super::pool::Pool;
use crate::build::Workspace;
use crate::config::EventKind;
use crate::plan::Plan;
use axum::body::{to_bytes, Body};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Options {
    pub host: String,
    pub port: u16,
    pub release: bool,
    pub max_instances: usize,
    pub watch: bool,
    pub region: String,
    pub echo: bool,
}

/// What `dev` does as it runs; the command decides how each is shown (lines on stderr, or
/// NDJSON on stdout with `--output json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DevEvent {
    Built {
        handlers: usize,
        seconds: f64,
    },
    Route {
        method: String,
        base: String,
        path: String,
        function: String,
    },
    Listening {
        url: String,
    },
    /// An HTTP request answered; `function` is `None` when no route matched.
    Request {
        method: String,
        path: String,
        function: Option<String>,
        status: u16,
        ms: u128,
    },
    /// An event posted to `/__sls/invoke/<function>` handled.
    Invoked {
        function: String,
        ms: u128,
    },
    HandlerError {
        function: String,
        error_type: String,
        message: String,
    },
    StartFailed {
        function: String,
        reason: String,
    },
    Rebuilding,
    Swapped {
        seconds: f64,
    },
    /// The previous handlers keep serving; `output` is cargo's when it has something to say.
    RebuildFailed {
        reason: String,
        output: Option<String>,
    },
    WatchUnavailable {
        reason: String,
    },
    Stopped,
}

/// Where `dev` sends its events.
pub type Reporter = Arc<dyn Fn(DevEvent) + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error(transparent)]
    Compile(#[from] super::compile::CompileError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

struct App {
    routes: Vec<Route>,
    pools: BTreeMap<String, Arc<Pool>>,
    report: Reporter,
}

/// Largest request body accepted, as API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// What rebuilding needs, shared with the watcher thread.
struct Project {
    plan: Plan,
    region: String,
    ws: Workspace,
    release: bool,
    echo: bool,
}

impl Project {
    fn compile(&self) -> Result<BTreeMap<String, Spec>, super::compile::CompileError> {
        let functions: Vec<_> = self.plan.functions.iter().collect();
        let binaries = super::compile::compile(&self.ws, &functions, self.release, self.echo)?;
        Ok(functions
            .into_iter()
            .map(|f| {
                let prefix = Some(format!("[{}]", f.name));
                let spec = super::spec_for(&self.plan, f, binaries[&f.name].clone(), &self.region, prefix);
                (f.name.clone(), spec)
            })
            .collect())
    }
}

pub async fn serve(plan: Plan, ws: Workspace, opts: Options, report: Reporter) -> Result<(), DevError> {
    let started = Instant::now();
    let project = Arc::new(Project { plan, region: opts.region.clone(), ws, release: opts.release, echo: opts.echo });
    let specs = tokio::task::block_in_place(|| project.compile())?;
    report(DevEvent::Built { handlers: specs.len(), seconds: started.elapsed().as_secs_f64() });
    let pools: BTreeMap<String, Arc<Pool>> =
        specs.into_iter().map(|(name, spec)| (name, Arc::new(Pool::new(spec, opts.max_instances)))).collect();
    let config = &project.plan.config;
    let routes: Vec<Route> = config
        .functions
        .iter()
        .flat_map(|f| {
            f.events.iter().filter_map(move |e| match &e.kind {
                EventKind::Http { method, path } => {
                    Some(Route { method: method.clone(), path: path.clone(), function: f.name.clone() })
                }
                _ => None,
            })
        })
        .collect();
    let app = Arc::new(App { routes, pools, report: Arc::clone(&report) });

    let addr = format!("{}:{}", opts.host, opts.port);
    let listener =
        tokio::net::TcpListener::bind(&addr).await.map_err(|source| DevError::Bind { addr: addr.clone(), source })?;
    let local = listener.local_addr().map_err(|e| DevError::Other(e.to_string()))?;
    for r in &app.routes {
        let (base, path) = (format!("http://{local}"), r.path.clone());
        report(DevEvent::Route { method: r.method.clone(), base, path, function: r.function.clone() });
    }
    report(DevEvent::Listening { url: format!("http://{local}") });

    if opts.watch {
        let app = Arc::clone(&app);
        let project = Arc::clone(&project);
        // The whole workspace, not just the service: handlers may use shared crates.
        let watch_root = project.ws.root.clone();
        let rebuild = move || -> Result<(), super::compile::CompileError> {
            let t = Instant::now();
            for (name, spec) in project.compile()? {
                app.pools[&name].replace(spec);
            }
            (app.report)(DevEvent::Swapped { seconds: t.elapsed().as_secs_f64() });
            Ok(())
        };
        watch(watch_root, rebuild, Arc::clone(&report));
    }

    let router = Router::new()
        .route("/__sls/invoke/{function}", post(invoke_any))
        .fallback(http_request)
        .with_state(Arc::clone(&app));
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| DevError::Other(e.to_string()))?;
    report(DevEvent::Stopped);
    Ok(())
}

async fn http_request(State(app): State<Arc<App>>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let (label, resp) = match http_api::route(&app.routes, &method, &path) {
        Match::NotFound => (None, http_api::error_response(404, "Not Found")),
        Match::MethodNotAllowed => (None, http_api::error_response(405, "Method Not Allowed")),
        Match::Found(route, params) => {
            // API Gateway refuses a payload over its limit without calling the function; so
            // do we, rather than hand the handler an empty body it never sent.
            let body = match to_bytes(req.into_body(), MAX_BODY).await {
                Ok(body) => body,
                Err(e) => {
                    let resp = if is_too_large(&e) {
                        http_api::error_response(413, "Request Entity Too Large")
                    } else {
                        http_api::error_response(400, &format!("cannot read the request body: {e}"))
                    };
                    (app.report)(DevEvent::Request {
                        method,
                        path,
                        function: Some(route.function.clone()),
                        status: resp.status,
                        ms: started.elapsed().as_millis(),
                    });
                    return into_response(resp);
                }
            };
            let event = http_api::request_event(
                route,
                &params,
                &method,
                &path,
                &query,
                &headers,
                Some(&body),
                &crate::clock::Timestamp::now(),
            );
            let resp = match app.pools[&route.function].invoke(event.to_string().into_bytes()).await {
                Ok(outcome) => match outcome.result {
                    Ok(payload) => http_api::response_from(&payload),
                    Err(doc) => {
                        (app.report)(DevEvent::HandlerError {
                            function: route.function.clone(),
                            error_type: doc["errorType"].as_str().unwrap_or("Error").to_string(),
                            message: doc["errorMessage"].as_str().unwrap_or("").to_string(),
                        });
                        http_api::error_response(500, "Internal Server Error")
                    }
                },
                Err(e) => {
                    let reason = e.to_string();
                    (app.report)(DevEvent::StartFailed { function: route.function.clone(), reason });
                    http_api::error_response(502, "Bad Gateway")
                }
            };
            (Some(route.function.clone()), resp)
        }
    };
    let ms = started.elapsed().as_millis();
    (app.report)(DevEvent::Request { method, path, function: label, status: resp.status, ms });
    into_response(resp)
}

/// Invokes any function with the posted event, like Lambda's Invoke API: the payload comes
/// back as it is, and a function error is flagged with `X-Amz-Function-Error`.
async fn invoke_any(State(app): State<Arc<App>>, Path(function): Path<String>, body: axum::body::Bytes) -> Response {
    let Some(pool) = app.pools.get(&function) else {
        return into_response(http_api::error_response(404, &format!("no function called {function}")));
    };
    match pool.invoke(body.to_vec()).await {
        Ok(outcome) => {
            (app.report)(DevEvent::Invoked { function: function.clone(), ms: outcome.duration.as_millis() });
            let mut resp = HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: Vec::new(),
            };
            match outcome.result {
                Ok(payload) => resp.body = payload,
                Err(doc) => {
                    resp.headers.push(("x-amz-function-error".into(), "Unhandled".into()));
                    resp.body = doc.to_string().into_bytes();
                }
            }
            into_response(resp)
        }
        Err(e) => into_response(http_api::error_response(502, &e.to_string())),
    }
}

fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

fn into_response(r: HttpResponse) -> Response {
    let mut resp = Response::new(Body::from(r.body));
    *resp.status_mut() = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (k, v) in r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            resp.headers_mut().append(k, v);
        }
    }
    resp
}

/// Watches the project's sources and calls `rebuild` once per burst of changes.
fn watch<F>(root: PathBuf, rebuild: F, report: Reporter)
where
    F: Fn() -> Result<(), super::compile::CompileError> + Send + 'static,
{
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return report(DevEvent::WatchUnavailable { reason: e.to_string() }),
    };
    if let Err(e) = watcher.watch(&root, RecursiveMode::Recursive) {
        return report(DevEvent::WatchUnavailable { reason: format!("{}: {e}", root.display()) });
    }
    std::thread::spawn(move || {
        let _watcher = watcher;
        let relevant = |e: &notify::Event| {
            !matches!(e.kind, notify::EventKind::Access(_))
                && e.paths.iter().any(|p| {
                    let ignored =
                        p.components().any(|c| matches!(c.as_os_str().to_str(), Some("target" | ".sls" | ".git")));
                    let source = p.extension().is_some_and(|x| x == "rs" || x == "toml") || p.ends_with("Cargo.lock");
                    !ignored && source
                })
        };
        while let Ok(event) = rx.recv() {
            if !event.as_ref().is_ok_and(relevant) {
                continue;
            }
            // Editors save in several steps; wait for the burst to end.
            while rx.recv_timeout(Duration::from_millis(250)).is_ok() {}
            report(DevEvent::Rebuilding);
            if let Err(e) = rebuild() {
                let failed = match e {
                    super::compile::CompileError::Failed { output } => {
                        DevEvent::RebuildFailed { reason: "build failed".into(), output: Some(output) }
                    }
                    other => DevEvent::RebuildFailed { reason: other.to_string(), output: None },
                };
                report(failed);
            }
        }
    });
}
