//! Local runtime — one `dev` listener: a service's HTTP API as API Gateway answers it (route,
//! payload limit, the event, the response mapping) and the control routes beside it, each
//! request handled by a warm instance of its function and reported as an event.

use crate::local::http::api::{self as http_api, Match, Route};
use crate::local::runtime::pool::Pool;
use crate::local::session::dev::{DevEvent, Project, Reporter};
use crate::local::triggers::{self, Trigger};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// One listener's view: its service's routes, and every function (admin endpoints reach all).
pub(crate) struct App {
    pub(crate) routes: Vec<Route>,
    pub(crate) pools: BTreeMap<String, Arc<Pool>>,
    pub(crate) report: Reporter,
    /// With local services: what triggers share, and every trigger (for firing schedules).
    pub(crate) triggers: Option<(Arc<triggers::Ctx>, Vec<Trigger>)>,
    pub(crate) project: Arc<Project>,
}

/// Largest request body accepted, as API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// The listener's routes: the control routes, then the API for everything else.
pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/__sls/invoke/{*function}", post(super::admin::invoke_any))
        .route("/__sls/schedule/{*function}", post(super::admin::fire_schedule))
        .route("/__sls/state", get(super::admin::state))
        .fallback(http_request)
        .with_state(Arc::new(app))
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
    // A caller's trace (API Gateway passes `X-Amzn-Trace-Id` on) is continued, as on AWS.
    let caller_trace = headers
        .iter()
        .find(|(k, _)| k == "x-amzn-trace-id")
        .and_then(|(_, v)| crate::local::endpoint::tracer::root_of(v));
    let mut trace = None;
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
                        trace: None,
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
                &crate::host::clock::Timestamp::now(),
            );
            let resp = match app.pools[&route.function].invoke(event.to_string().into_bytes(), caller_trace).await {
                Ok(outcome) => {
                    trace = Some(outcome.trace);
                    match outcome.result {
                        Ok(payload) => http_api::response_from(&payload),
                        Err(doc) => {
                            (app.report)(DevEvent::HandlerError {
                                function: route.function.clone(),
                                error_type: doc["errorType"].as_str().unwrap_or("Error").to_string(),
                                message: doc["errorMessage"].as_str().unwrap_or("").to_string(),
                            });
                            http_api::error_response(500, "Internal Server Error")
                        }
                    }
                }
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
    (app.report)(DevEvent::Request { method, path, function: label, status: resp.status, ms, trace });
    into_response(resp)
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

pub(crate) fn into_response(r: http_api::HttpResponse) -> Response {
    let mut resp = Response::new(Body::from(r.body));
    *resp.status_mut() = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (k, v) in r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            resp.headers_mut().append(k, v);
        }
    }
    resp
}
