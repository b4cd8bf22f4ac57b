//! Config stage, step 3: checks that span the whole file — references between functions and
//! resources, duplicate routes, overlapping uploads, queue timeouts. Names and ids derived
//! from the config are checked by the plan, which derives them.

use super::diagnostic::{did_you_mean, one_of, Problem};
use super::model::*;
use super::yaml::Span;
use std::collections::BTreeMap;

pub(super) fn check(config: &Config, stage: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_references(config, &mut problems);
    check_routes(config, &mut problems);
    check_uploads(config, &mut problems);
    check_queues(config, stage, &mut problems);
    check_auth(config, &mut problems);
    check_on_failure(config, &mut problems);
    problems
}

fn missing(config: &Config, span: Span, name: &str, kind: ResourceKind, what: &str) -> Problem {
    let declared: Vec<&str> = match kind {
        ResourceKind::Table => config.resources.tables.keys().map(String::as_str).collect(),
        ResourceKind::Queue => config.resources.queues.keys().map(String::as_str).collect(),
        ResourceKind::Bucket => config.resources.buckets.keys().map(String::as_str).collect(),
        ResourceKind::Topic => config.resources.topics.keys().map(String::as_str).collect(),
    };
    let section = format!("resources.{}s", kind.noun());
    let help = match (did_you_mean(name, declared.iter().copied()), declared.is_empty()) {
        (Some(s), _) => format!("did you mean `{s}`?"),
        (None, true) => format!("no {} is declared: add `{section}: {{ {name}: {{}} }}`", kind.noun()),
        (None, false) => format!("declared {}s: {}; or add `{name}` under `{section}`", kind.noun(), one_of(&declared)),
    };
    Problem::new(span, format!("{what} `{name}` is not a declared {}", kind.noun())).label("undeclared").help(help)
}

fn check_references(config: &Config, problems: &mut Vec<Problem>) {
    let res = &config.resources;
    for f in &config.functions {
        for u in &f.uses {
            if res.kind_of(&u.resource).is_none() {
                let names = res.names();
                let help = match (did_you_mean(&u.resource, names.iter().copied()), names.is_empty()) {
                    (Some(s), _) => format!("did you mean `{s}`?"),
                    (None, true) => "nothing is declared under `resources:` yet".to_string(),
                    (None, false) => format!("declared resources: {}", one_of(&names)),
                };
                problems.push(
                    Problem::new(u.span, format!("`uses` names `{}`, which is not declared", u.resource))
                        .label("undeclared")
                        .help(help),
                );
            }
        }
        for e in &f.events {
            match &e.kind {
                EventKind::Queue { queue, .. } if !res.queues.contains_key(queue) => {
                    problems.push(missing(config, e.span, queue, ResourceKind::Queue, "queue event:"))
                }
                EventKind::Upload { bucket, .. } if !res.buckets.contains_key(bucket) => {
                    problems.push(missing(config, e.span, bucket, ResourceKind::Bucket, "upload event:"))
                }
                EventKind::Topic { topic, .. } if !res.topics.contains_key(topic) => {
                    problems.push(missing(config, e.span, topic, ResourceKind::Topic, "topic event:"))
                }
                EventKind::Stream { table, .. } => match res.tables.get(table) {
                    None => problems.push(missing(config, e.span, table, ResourceKind::Table, "stream event:")),
                    Some(t) if t.stream.is_none() => problems.push(
                        Problem::new(e.span, format!("table `{table}` has no stream to read"))
                            .help(format!("add `stream: new_and_old_images` to `resources.tables.{table}`")),
                    ),
                    _ => {}
                },
                _ => {}
            }
        }
    }
}

/// `jwt` (the API's default or a route's) needs the issuer and audience of `api.jwt`.
fn check_auth(config: &Config, problems: &mut Vec<Problem>) {
    use super::api::Auth;
    if config.api.jwt.is_some() {
        return;
    }
    let routes = config.functions.iter().flat_map(|f| &f.events).filter_map(|e| match &e.kind {
        EventKind::Http { auth, .. } => Some((config.api.auth_of(*auth), e.span)),
        _ => None,
    });
    let span = match config.api.auth_span.filter(|_| config.api.auth == Auth::Jwt) {
        Some(span) => Some(span),
        None => routes.into_iter().find(|(auth, _)| *auth == Auth::Jwt).map(|(_, span)| span),
    };
    if let Some(span) = span {
        problems.push(
            Problem::new(span, "`jwt` auth needs `api.jwt`: the issuer and audience tokens must come from")
                .help("add `api: { jwt: { issuer: https://…, audience: [<client id>] } }`"),
        );
    }
}

/// `on_failure` names a standard queue of this service, on a function invoked asynchronously.
fn check_on_failure(config: &Config, problems: &mut Vec<Problem>) {
    for f in &config.functions {
        let Some((target, span)) = &f.on_failure else { continue };
        if !f.events.iter().any(|e| e.kind.is_async()) {
            problems.push(
                Problem::new(*span, format!("function `{}` is never invoked asynchronously", f.name)).help(
                    "`on_failure` is for functions with upload, schedule, topic or eventbridge events; remove it",
                ),
            );
            continue;
        }
        let OnFailure::Queue(queue) = target else { continue };
        match config.resources.queues.get(queue) {
            None => problems.push(missing(config, *span, queue, ResourceKind::Queue, "on_failure:")),
            Some(q) if q.fifo => problems.push(
                Problem::new(
                    *span,
                    format!("queue `{queue}` is FIFO; Lambda sends failed events to standard queues only"),
                )
                .help(
                    "name a queue without `fifo: true`, or leave `on_failure` out to get a queue of the function's own",
                ),
            ),
            Some(_) => {}
        }
    }
}

fn check_routes(config: &Config, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<(super::Method, String), (&str, Span)> = BTreeMap::new();
    for f in &config.functions {
        for e in &f.events {
            if let EventKind::Http { method, path, .. } = &e.kind {
                // API Gateway treats `/users/{id}` and `/users/{name}` as the same route.
                let shape =
                    path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/");
                match seen.get(&(*method, shape.clone())) {
                    Some((other, at)) => problems.push(
                        Problem::new(e.span, format!("route `{method} {path}` is declared twice"))
                            .label("second declaration")
                            .help(format!("already handled by function `{other}` (line {}); remove one", at.line)),
                    ),
                    None => {
                        seen.insert((*method, shape), (&f.name, e.span));
                    }
                }
            }
        }
    }
}

/// S3 refuses two notifications on one bucket whose prefix and suffix filters overlap.
fn check_uploads(config: &Config, problems: &mut Vec<Problem>) {
    let mut seen: Vec<(&str, &Option<String>, &Option<String>, &str)> = Vec::new();
    let overlaps = |a: &Option<String>, b: &Option<String>, f: fn(&str, &str) -> bool| match (a, b) {
        (Some(a), Some(b)) => f(a, b) || f(b, a),
        _ => true,
    };
    for f in &config.functions {
        for e in &f.events {
            if let EventKind::Upload { bucket, prefix, suffix } = &e.kind {
                let clash = seen.iter().find(|(b, p, s, _)| {
                    b == bucket
                        && overlaps(p, prefix, |x, y| x.starts_with(y))
                        && overlaps(s, suffix, |x, y| x.ends_with(y))
                });
                if let Some((_, _, _, other)) = clash {
                    problems.push(
                        Problem::new(
                            e.span,
                            format!("this upload event overlaps another on bucket `{bucket}` (function `{other}`)"),
                        )
                        .help("S3 rejects overlapping notifications: give each a distinct `prefix` or `suffix`"),
                    );
                }
                seen.push((bucket, prefix, suffix, &f.name));
            }
        }
    }
}

fn check_queues(config: &Config, stage: &str, problems: &mut Vec<Problem>) {
    for f in &config.functions {
        let timeout = config.effective(stage, &f.settings).timeout;
        for e in &f.events {
            let EventKind::Queue { queue, batch_size, batch_window } = &e.kind else { continue };
            if *batch_size > 10 && batch_window.unwrap_or(0) == 0 {
                problems.push(
                    Problem::new(e.span, format!("a batch size of {batch_size} needs a batching window"))
                        .help("Lambda requires `batch_window` (seconds, 1–300) when `batch_size` is over 10"),
                );
            }
            let Some(q) = config.resources.queues.get(queue) else { continue };
            if let Some(vt) = q.visibility_timeout.filter(|vt| *vt < timeout) {
                problems.push(
                    Problem::new(
                        q.span,
                        format!(
                            "queue `{queue}` hides messages for {vt} s, less than the {timeout} s timeout of `{}`",
                            f.name
                        ),
                    )
                    .help(format!(
                        "Lambda refuses the mapping: set `visibility_timeout` to at least {timeout} (AWS suggests {})",
                        timeout * 6
                    )),
                );
            }
        }
    }
}
