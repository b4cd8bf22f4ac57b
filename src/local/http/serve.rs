//! Local runtime: how `dev`'s listeners answer HTTP — each connection served by hyper with a
//! deadline for its request headers (so an idle or half-sent connection is closed, not kept
//! forever), and a guard in front of every route. A web page the developer opens can reach
//! `127.0.0.1:3000` too: the guard answers only requests that name this machine (so DNS
//! rebinding gets nothing), refuses cross-origin requests to the `/__sls/*` control routes
//! (a simple POST needs no preflight, so the Origin header is what tells), and keeps those
//! routes to this machine's own connections unless asked.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

/// How long a client may take to send a request's headers, and how long a kept-alive
/// connection may sit idle between requests.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Who may talk to a listener.
#[derive(Debug, Clone, Default)]
pub(crate) struct Guard {
    /// Host names the user allows besides this machine's (`--allow-host`).
    pub hosts: Vec<String>,
    /// Any IP address is a name the listener answers to (it listens beyond loopback): an
    /// address cannot be rebound the way a DNS name can.
    pub any_ip: bool,
    /// Answer the control routes from other machines too (`--expose-control`).
    pub expose_control: bool,
    /// Only programs talk to it (the runtime API, the tracing proxy): anything a browser
    /// sends (`Origin`, `Sec-Fetch-Site`) is refused on every route.
    pub internal: bool,
}

/// The routes that drive `dev` itself rather than the user's API.
pub(crate) const CONTROL_PREFIX: &str = "/__sls/";

impl Guard {
    /// Whether a `Host` header names this listener acceptably.
    pub(crate) fn host_allowed(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(host, |(h, _)| h),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.any_ip,
            // RFC 6761: `localhost` and every name under it are this machine, and no resolver
            // may answer them otherwise.
            Err(_) => {
                name == "localhost"
                    || name.ends_with(".localhost")
                    || self.hosts.iter().any(|h| h.trim_end_matches('.').eq_ignore_ascii_case(&name))
            }
        }
    }

    /// Why `req` from `peer` is refused, if it is.
    pub(crate) fn refusal(&self, req: &Request, peer: Option<SocketAddr>) -> Option<(StatusCode, String)> {
        let headers = req.headers();
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let Some(host) = host else {
            return Some((StatusCode::BAD_REQUEST, "a Host header is required".into()));
        };
        if !self.host_allowed(host) {
            let shown = crate::ui::escape::line(host);
            let why = format!("dev answers only this machine's names, not {shown}: pass --allow-host NAME to add one");
            return Some((StatusCode::FORBIDDEN, why));
        }
        let origin = headers.get(header::ORIGIN).map(|o| o.to_str().unwrap_or("?"));
        let fetch_site = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok());
        let from_browser = origin.is_some() || fetch_site.is_some();
        if self.internal && from_browser {
            return Some((StatusCode::FORBIDDEN, "not for browsers".into()));
        }
        if !req.uri().path().starts_with(CONTROL_PREFIX) {
            return None;
        }
        // Same origin: the page was served by this listener under this very name.
        let same_origin = origin.is_none_or(|o| o.eq_ignore_ascii_case(&format!("http://{host}")));
        let same_site = fetch_site.is_none_or(|s| s == "same-origin" || s == "none");
        if req.method() == Method::OPTIONS || !same_origin || !same_site {
            let why =
                "dev's control routes refuse requests from web pages; call them from this machine (curl, a script)";
            return Some((StatusCode::FORBIDDEN, why.into()));
        }
        let local_peer = peer.is_some_and(|p| p.ip().is_loopback());
        if !self.expose_control && !local_peer {
            let why = "dev's control routes answer only this machine; pass --expose-control to answer others";
            return Some((StatusCode::FORBIDDEN, why.into()));
        }
        None
    }
}

/// The guard as a layer: refused requests get the reason as API Gateway words errors, and no
/// CORS grant.
async fn check(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    match guard.refusal(&req, peer) {
        Some((status, why)) => {
            let body = serde_json::json!({ "message": why }).to_string();
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = status;
            resp.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
            resp
        }
        None => next.run(req).await,
    }
}

/// `router` behind `guard`.
pub(crate) fn guarded(router: Router, guard: Guard) -> Router {
    router.layer(axum::middleware::from_fn_with_state(Arc::new(guard), check))
}

/// Serves an internal endpoint (handlers' runtime API, the tracing proxy) for as long as the
/// returned task runs: programs only, this machine only.
pub(crate) fn spawn_internal(listener: tokio::net::TcpListener, router: Router) -> tokio::task::JoinHandle<()> {
    let router = guarded(router, Guard { internal: true, ..Default::default() });
    let (keep, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = keep;
        let _ = serve(listener, router, stop).await;
    })
}

/// Serves `router` on `listener` until `stop` turns true, then lets requests in flight finish.
/// Each request carries its connection's peer address (`ConnectInfo`).
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: the listener itself is fine.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let (router, mut stop) = (router.clone(), stop.clone());
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(req.map(Body::new))
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        // Finished connections are reaped as new ones come, so the set stays small.
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};
    use std::io::{Read, Write};

    fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request {
        let mut r = axum::http::Request::builder().method(method).uri(path);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(Body::empty()).unwrap()
    }

    fn local() -> Option<SocketAddr> {
        Some("127.0.0.1:5000".parse().unwrap())
    }

    #[test]
    fn only_this_machines_names_are_answered() {
        let guard = Guard { hosts: vec!["dev.example.test".into()], ..Default::default() };
        for ok in [
            "localhost",
            "localhost:3000",
            "LOCALHOST:3000",
            "app.localhost:3000",
            "127.0.0.1:3000",
            "127.1.2.3",
            "[::1]:3000",
            "localhost.:3000",
            "dev.example.test:3000",
        ] {
            assert!(guard.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example.com",
            "evil.example.com:3000",
            "localhost.evil.example.com",
            "127.0.0.1.nip.io:3000",
            "192.168.1.5:3000",
            "[fe80::1]:3000",
            "0.0.0.0:3000",
            "",
        ] {
            assert!(!guard.host_allowed(bad), "{bad}");
        }
        // Listening beyond loopback: any address, still no foreign name.
        let wide = Guard { any_ip: true, ..Default::default() };
        assert!(wide.host_allowed("192.168.1.5:3000") && !wide.host_allowed("evil.example.com"));
    }

    #[test]
    fn web_pages_cannot_drive_the_control_routes() {
        let guard = Guard::default();
        let host = ("host", "127.0.0.1:3000");
        // A page elsewhere posting a "simple" request, its preflight, a sandboxed frame, a
        // fetch the browser marks cross-site: each refused.
        for headers in [
            vec![host, ("origin", "https://evil.example.com")],
            vec![host, ("origin", "null")],
            vec![host, ("origin", "http://localhost:3000")],
            vec![host, ("sec-fetch-site", "cross-site")],
            vec![host, ("sec-fetch-site", "same-site")],
        ] {
            let r = request("POST", "/__sls/invoke/api", &headers);
            assert_eq!(guard.refusal(&r, local()).map(|(s, _)| s), Some(StatusCode::FORBIDDEN), "{headers:?}");
        }
        let preflight = request("OPTIONS", "/__sls/invoke/api", &[host, ("origin", "http://127.0.0.1:3000")]);
        assert!(guard.refusal(&preflight, local()).is_some());
        // curl, a script, the same page: answered.
        for headers in [vec![host], vec![host, ("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "same-origin")]]
        {
            assert_eq!(guard.refusal(&request("POST", "/__sls/invoke/api", &headers), local()), None, "{headers:?}");
        }
        // The user's own routes follow API Gateway: a cross-origin request reaches them.
        let api = request("POST", "/signups", &[host, ("origin", "https://app.example.com")]);
        assert_eq!(guard.refusal(&api, local()), None);
        // From another machine, only with --expose-control.
        let remote = Some("192.168.1.9:5000".parse().unwrap());
        let wide = Guard { any_ip: true, ..Default::default() };
        let r = request("GET", "/__sls/state", &[("host", "192.168.1.5:3000")]);
        assert!(wide.refusal(&r, remote).is_some_and(|(_, why)| why.contains("--expose-control")));
        let exposed = Guard { any_ip: true, expose_control: true, ..Default::default() };
        assert_eq!(exposed.refusal(&r, remote), None);
        // Programs only: whatever a browser sends is refused everywhere.
        let internal = Guard { internal: true, ..Default::default() };
        let browser =
            request("POST", "/2018-06-01/runtime/invocation/x/response", &[host, ("origin", "http://a.test")]);
        assert!(internal.refusal(&browser, local()).is_some());
        assert_eq!(internal.refusal(&request("GET", "/", &[host]), local()), None);
    }

    /// A connection that sends part of its headers and stops, and one that sends nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_and_idle_connections_are_closed() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = guarded(
            Router::new().route("/", get(|| async { "ok" })).route("/x", post(|| async { "x" })),
            Guard::default(),
        );
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        let server = tokio::spawn(serve(listener, router, stop));
        let started = std::time::Instant::now();
        let waited = tokio::task::spawn_blocking(move || {
            let mut half = std::net::TcpStream::connect(addr).unwrap();
            half.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").unwrap();
            let idle = std::net::TcpStream::connect(addr).unwrap();
            let closed = |mut s: std::net::TcpStream| {
                s.set_read_timeout(Some(HEADER_TIMEOUT * 3)).unwrap();
                let mut buf = Vec::new();
                // The server closes it: end of stream (or a reset), not our read timeout.
                match s.read_to_end(&mut buf) {
                    Ok(_) => true,
                    Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
                }
            };
            (closed(half), closed(idle))
        });
        let (half, idle) = waited.await.unwrap();
        assert!(half && idle, "half-sent: {half}, idle: {idle}");
        let took = started.elapsed();
        assert!(took >= HEADER_TIMEOUT && took < HEADER_TIMEOUT * 3, "{took:?}");
        // A normal request is answered meanwhile.
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200") && out.ends_with("ok"), "{out}");
        stop_tx.send(true).unwrap();
        server.await.unwrap().unwrap();
    }
}
