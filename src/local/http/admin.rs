//! Local runtime: `dev`'s own endpoints beside the API — invoke any function with any event,
//! fire a schedule now, and a read-only view of what the local endpoint holds.

use super::listener::{into_response, App};
use crate::config::ResourceKind;
use crate::local::http::api::{self as http_api, HttpResponse};
use crate::local::session::dev::DevEvent;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};
use std::sync::Arc;

/// Invokes any function with the posted event, like Lambda's Invoke API: the payload comes
/// back as it is, and a function error is flagged with `X-Amz-Function-Error`.
pub(crate) async fn invoke_any(
    State(app): State<Arc<App>>,
    Path(function): Path<String>,
    body: axum::body::Body,
) -> Response {
    let Some((function, pool)) = app.project.resolve(&function).and_then(|l| app.pools.get(&l).map(|p| (l, p))) else {
        return into_response(http_api::error_response(404, &format!("no function called {function}")));
    };
    // Lambda refuses an event over its limit before any function runs, and so does this.
    let body = match axum::body::to_bytes(body, crate::local::MAX_INVOKE_PAYLOAD).await {
        Ok(body) => body,
        Err(_) => {
            let mut resp = http_api::error_response(413, &crate::local::payload_too_large());
            resp.headers.push(("x-amzn-errortype".into(), "RequestEntityTooLargeException".into()));
            return into_response(resp);
        }
    };
    match pool.invoke(body.to_vec(), None).await {
        Ok(outcome) => {
            let (ms, trace) = (outcome.duration.as_millis(), outcome.trace.clone());
            (app.report)(DevEvent::Invoked { function: function.clone(), ms, trace });
            invoke_response(outcome.result)
        }
        Err(e) => into_response(http_api::error_response(502, &e.to_string())),
    }
}

/// Runs a function's schedule now, with the event the schedule sends; answers with the
/// handler's payload (or its error document and `X-Amz-Function-Error`).
pub(crate) async fn fire_schedule(State(app): State<Arc<App>>, Path(function): Path<String>) -> Response {
    let Some((ctx, triggers)) = &app.triggers else {
        return into_response(http_api::error_response(
            409,
            "schedules run only with local services (not with --no-local-aws)",
        ));
    };
    let function = app.project.resolve(&function).unwrap_or(function);
    let schedule = triggers.iter().find_map(|t| match &t.source {
        crate::local::triggers::Source::Schedule { expression, input, .. } if t.function == function => {
            Some((expression, input))
        }
        _ => None,
    });
    let Some((expression, input)) = schedule else {
        return into_response(http_api::error_response(404, &format!("`{function}` has no schedule")));
    };
    invoke_response(crate::local::triggers::schedule::fire(ctx, &function, expression, input.as_ref(), true).await)
}

/// Lambda's Invoke answer: the payload as it is, or the error document flagged with
/// `X-Amz-Function-Error`.
fn invoke_response(result: Result<Vec<u8>, Value>) -> Response {
    let mut resp = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Vec::new(),
    };
    match result {
        Ok(payload) => resp.body = payload,
        Err(doc) => {
            resp.headers.push(("x-amz-function-error".into(), "Unhandled".into()));
            resp.body = doc.to_string().into_bytes();
        }
    }
    into_response(resp)
}

/// What the local endpoint holds now: queue depths (and their dead-letter queues'), table item
/// counts, bucket object counts and their first keys. Read-only: nothing is received, so
/// nothing is taken.
pub(crate) async fn state(State(app): State<Arc<App>>) -> Response {
    let Some((ctx, _)) = &app.triggers else {
        return into_response(http_api::error_response(409, "no local services (started with --no-local-aws)"));
    };
    let c = &ctx.clients;
    let (mut queues, mut tables, mut buckets) = (Vec::new(), Vec::new(), Vec::new());
    let resources: Vec<_> =
        app.project.units.iter().flat_map(|u| u.plan.resources.iter().map(move |r| (u, r))).collect();
    for (u, r) in resources {
        let Some(address) = u.local.as_ref().and_then(|l| l.addresses.get(&r.logical_id)) else { continue };
        let local = u.local.as_ref().expect("has an address");
        let name = u.label(&r.name);
        match r.kind {
            ResourceKind::Queue => {
                let mut q = json!({ "name": name, "url": address });
                q.as_object_mut().expect("object").extend(depth(c, address).await);
                if let Some(dlq) = r.dead_letter.as_ref().and_then(|d| local.addresses.get(&d.logical_id)) {
                    let mut d = serde_json::Map::from_iter([("url".to_string(), json!(dlq))]);
                    d.extend(depth(c, dlq).await);
                    q["dead_letter"] = Value::Object(d);
                }
                queues.push(q);
            }
            ResourceKind::Table => {
                let scan = c.dynamodb.scan().table_name(address).select(aws_sdk_dynamodb::types::Select::Count);
                let items = match scan.into_paginator().send().try_collect().await {
                    Ok(pages) => json!(pages.iter().map(|p| p.count()).sum::<i32>()),
                    Err(e) => json!({ "error": crate::aws::explain(&e) }),
                };
                tables.push(json!({ "name": name, "table": address, "items": items }));
            }
            ResourceKind::Bucket => {
                // A key may hold characters S3's XML cannot carry (control characters): asked
                // to, S3 sends every key URL-encoded.
                let url = aws_sdk_s3::types::EncodingType::Url;
                let list = c.s3.list_objects_v2().bucket(address).encoding_type(url).into_paginator().send();
                let mut bucket = json!({ "name": name, "bucket": address });
                match list.try_collect().await {
                    Ok(pages) => {
                        let keys = pages.iter().flat_map(|p| p.contents()).filter_map(|o| o.key());
                        // S3 encodes a space as `+` (and a `+` as `%2B`).
                        let keys: Vec<String> = keys
                            .take(MAX_KEYS)
                            .map(|k| crate::local::http::api::percent_decode(&k.replace('+', " ")))
                            .collect();
                        bucket["objects"] = json!(pages.iter().map(|p| p.key_count().unwrap_or(0)).sum::<i32>());
                        bucket["keys"] = json!(keys);
                    }
                    Err(e) => bucket["objects"] = json!({ "error": crate::aws::explain(&e) }),
                }
                buckets.push(bucket);
            }
            ResourceKind::Topic => {}
        }
    }
    let doc = json!({ "endpoint": ctx.endpoint, "queues": queues, "tables": tables, "buckets": buckets });
    let headers = vec![("content-type".into(), "application/json".into())];
    into_response(HttpResponse { status: 200, headers, body: serde_json::to_vec_pretty(&doc).unwrap_or_default() })
}

/// How many of a bucket's keys the view lists (it counts them all).
const MAX_KEYS: usize = 100;

/// A queue's visible and in-flight message counts.
async fn depth(c: &crate::local::endpoint::services::Clients, url: &str) -> serde_json::Map<String, Value> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let got = c.sqs.get_queue_attributes().queue_url(url).attribute_names(A::All).send().await;
    let mut out = serde_json::Map::new();
    match got {
        Ok(a) => {
            let attrs = a.attributes.unwrap_or_default();
            let count = |k: &A| attrs.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            out.insert("messages".into(), json!(count(&A::ApproximateNumberOfMessages)));
            out.insert("in_flight".into(), json!(count(&A::ApproximateNumberOfMessagesNotVisible)));
        }
        Err(e) => {
            out.insert("error".into(), json!(crate::aws::explain(&e)));
        }
    }
    out
}
