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

pub async fn serve(plan: Plan, ws: Workspace, opts: Options) -> Result<(), DevError> {
    let started = Instant::now();
    let project = Arc::new(Project { plan, region: opts.region.clone(), ws, release: opts.release, echo: opts.echo });
    let specs = tokio::task::block_in_place(|| project.compile())?;
    eprintln!("built {} handler(s) in {:.1} s", specs.len(), started.elapsed().as_secs_f64());
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
    let app = Arc::new(App { routes, pools });

    let addr = format!("{}:{}", opts.host, opts.port);
    let listener =
        tokio::net::TcpListener::bind(&addr).await.map_err(|source| DevError::Bind { addr: addr.clone(), source })?;
    let local = listener.local_addr().map_err(|e| DevError::Other(e.to_string()))?;
    for r in &app.routes {
        eprintln!("  {:<7} http://{local}{:<30} → {}", r.method, r.path, r.function);
    }
    eprintln!("  POST    http://{local}/__sls/invoke/<function>    any event, any function");
    eprintln!("listening on http://{local} (Ctrl-C to stop)");

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
            eprintln!("rebuilt in {:.1} s; handlers swapped", t.elapsed().as_secs_f64());
            Ok(())
        };
        watch(watch_root, rebuild);
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
    eprintln!("stopped");
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
        Match::NotFound => ("-".to_string(), http_api::error_response(404, "Not Found")),
        Match::MethodNotAllowed => ("-".to_string(), http_api::error_response(405, "Method Not Allowed")),
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
                    eprintln!(
                        "{method} {path} → {} {} {} ms",
                        route.function,
                        resp.status,
                        started.elapsed().as_millis()
                    );
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
                &super::clock::Timestamp::now(),
            );
            let resp = match app.pools[&route.function].invoke(event.to_string().into_bytes()).await {
                Ok(outcome) => match outcome.result {
                    Ok(payload) => http_api::response_from(&payload),
                    Err(doc) => {
                        eprintln!(
                            "[{}] {}: {}",
                            route.function,
                            doc["errorType"].as_str().unwrap_or("Error"),
                            doc["errorMessage"].as_str().unwrap_or("")
                        );
                        http_api::error_response(500, "Internal Server Error")
                    }
                },
                Err(e) => {
                    eprintln!("[{}] cannot start the handler: {e}", route.function);
                    http_api::error_response(502, "Bad Gateway")
                }
            };
            (route.function.clone(), resp)
        }
    };
    eprintln!("{method} {path} → {label} {} {} ms", resp.status, started.elapsed().as_millis());
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
            eprintln!("invoke {function} {} ms", outcome.duration.as_millis());
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
fn watch<F>(root: PathBuf, rebuild: F)
where
    F: Fn() -> Result<(), super::compile::CompileError> + Send + 'static,
{
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return eprintln!("warning: cannot watch for changes ({e}); restart `sls-rs dev` after editing"),
    };
    if let Err(e) = watcher.watch(&root, RecursiveMode::Recursive) {
        return eprintln!("warning: cannot watch {} ({e})", root.display());
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
            eprintln!("change detected; rebuilding");
            if let Err(e) = rebuild() {
                match e {
                    super::compile::CompileError::Failed { output } => {
                        eprintln!("{output}\nbuild failed; still serving the previous handlers")
                    }
                    other => eprintln!("{other}; still serving the previous handlers"),
                }
            }
        }
    });
}
