//! Config stage, step 2 (functions): a function's settings, `uses` and events, with route and
//! schedule syntax checked where they are written.

use super::diagnostic::{one_of, Problem};
use super::model::*;
use super::parse::read_settings;
use super::reader::{to_json, Reader};
use super::schedule::Schedule;
use super::shape::{self, Table};
use super::yaml::{Node, Span};

pub(super) fn read_function(r: &mut Reader, name: &str, span: Span, node: &Node) -> Function {
    let path = format!("functions.{name}");
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        r.report(
            Problem::new(span, format!("`{name}` is not a valid function name"))
                .help("use letters, digits, `-` and `_`"),
        );
    }
    let settings = read_settings(r, node, &path, &shape::FUNCTION);
    let mut f = Function {
        name: name.to_string(),
        span,
        package: name.to_string(),
        bin: None,
        settings,
        uses: Vec::new(),
        events: Vec::new(),
        remote_uses: Vec::new(),
        concurrency: None,
        on_failure: None,
    };
    // Settings were read above; here only the keys that are a function's own.
    let entries: Vec<_> = node.as_map().map(|m| m.to_vec()).unwrap_or_default();
    for (k, v) in &entries {
        let key = k.as_scalar().unwrap_or_default();
        let p = format!("{path}.{key}");
        match key {
            "package" => f.package = cargo_name(r, v, &p, "package").unwrap_or(f.package),
            "bin" => f.bin = cargo_name(r, v, &p, "binary"),
            "uses" => (f.uses, f.remote_uses) = read_uses(r, v, &p),
            "events" => f.events = read_events(r, v, &p),
            "concurrency" => f.concurrency = r.uint(v, &p, shape::CONCURRENCY),
            "on_failure" => {
                f.on_failure = r.string(v, &p).map(|q| {
                    let target = if q == "none" { OnFailure::None } else { OnFailure::Queue(q) };
                    (target, v.span)
                })
            }
            _ => {}
        }
    }
    f
}

/// This service's resources, and (`users.signups`) other services' in the same project.
fn read_uses(r: &mut Reader, node: &Node, path: &str) -> (Vec<Use>, Vec<RemoteUse>) {
    let mut uses = Vec::new();
    let mut remote = Vec::new();
    for (resource, access) in r.any_entries(node, path) {
        let level = match r.choice(access, &format!("{path}.{resource}"), shape::ACCESS).as_deref() {
            Some("read") => Access::Read,
            Some("write") => Access::Write,
            Some(_) => Access::ReadWrite,
            None => continue,
        };
        let span = node.key_span(resource).unwrap_or(access.span);
        match resource.split_once('.') {
            Some((service, name)) => {
                remote.push(RemoteUse { service: service.to_string(), resource: name.to_string(), access: level, span })
            }
            None => uses.push(Use { resource: resource.to_string(), access: level, span }),
        }
    }
    (uses, remote)
}

fn read_events(r: &mut Reader, node: &Node, path: &str) -> Vec<Event> {
    if node.is_null() {
        return Vec::new();
    }
    let Some(items) = node.as_seq() else {
        r.report(
            Problem::new(node.span, format!("`{path}` must be a list"))
                .help("write each event as `- http: GET /path`, `- queue: name`, ..."),
        );
        return Vec::new();
    };
    items.iter().enumerate().filter_map(|(i, item)| read_event(r, item, &format!("{path}[{i}]"))).collect()
}

/// An event's kind is the first key of its table (`http`, `queue`, ...).
fn kind_of(table: &Table) -> &'static str {
    table.fields[0].name
}

fn read_event(r: &mut Reader, node: &Node, path: &str) -> Option<Event> {
    let keys = node.as_map().unwrap_or_default().iter().filter_map(|(k, _)| k.as_scalar());
    let Some(table) = keys.clone().find_map(|k| shape::events().find(|t| kind_of(t) == k)) else {
        let kinds: Vec<&str> = shape::events().map(kind_of).collect();
        let first = keys.clone().next().unwrap_or("");
        let help = match super::diagnostic::did_you_mean(first, kinds.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("an event starts with one of {}", one_of(&kinds)),
        };
        r.report(Problem::new(node.span, format!("`{path}` is not an event")).help(help));
        return None;
    };
    let kind = kind_of(table);
    let entries = r.entries(node, path, table);
    let get = |k: &str| entries.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let value = get(kind)?;
    let p = |k: &str| format!("{path}.{k}");
    let kind = match kind {
        "http" => {
            let (method, route) = read_route(r, value, &p("http"))?;
            let auth = get("auth").and_then(|n| super::api::read_auth(r, n, &p("auth")));
            let throttle = get("throttle").and_then(|n| super::api::read_throttle(r, n, &p("throttle")));
            EventKind::Http { method, path: route, auth, throttle }
        }
        "queue" => EventKind::Queue {
            queue: r.string(value, &p("queue"))?,
            batch_size: get("batch_size").and_then(|n| r.uint(n, &p("batch_size"), shape::BATCH_SIZE)).unwrap_or(10),
            batch_window: get("batch_window").and_then(|n| r.uint(n, &p("batch_window"), shape::BATCH_WINDOW)),
        },
        "upload" => EventKind::Upload {
            bucket: r.string(value, &p("upload"))?,
            prefix: get("prefix").and_then(|n| r.string(n, &p("prefix"))),
            suffix: get("suffix").and_then(|n| r.string(n, &p("suffix"))),
        },
        "schedule" => {
            let text = r.string(value, &p("schedule"))?;
            // Its other settings are checked too, whether or not the expression is good.
            let enabled = get("enabled").and_then(|n| r.boolean(n, &p("enabled"))).unwrap_or(true);
            let input = get("input").map(to_json);
            match Schedule::parse(&text) {
                Ok(expression) => EventKind::Schedule { expression, enabled, input },
                Err(help) => {
                    r.report(Problem::new(value.span, format!("`{text}` is not a schedule expression")).help(help));
                    return None;
                }
            }
        }
        "topic" => {
            EventKind::Topic { topic: r.string(value, &p("topic"))?, filter_policy: get("filter_policy").map(to_json) }
        }
        "stream" => EventKind::Stream {
            table: r.string(value, &p("stream"))?,
            batch_size: get("batch_size").and_then(|n| r.uint(n, &p("batch_size"), shape::BATCH_SIZE)).unwrap_or(100),
            starting_position: match get("starting_position")
                .and_then(|n| r.choice(n, &p("starting_position"), shape::STARTING_POSITION))
                .as_deref()
            {
                Some("trim_horizon") => StartingPosition::TrimHorizon,
                _ => StartingPosition::Latest,
            },
        },
        _ => read_eventbridge(r, value, &p("eventbridge"))?,
    };
    // Problems about an event point at what it names (`queue: signups` → `signups`).
    Some(Event { kind, span: value.span })
}

fn read_eventbridge(r: &mut Reader, node: &Node, path: &str) -> Option<EventKind> {
    let entries = r.entries(node, path, &shape::PATTERN);
    let mut pattern = serde_json::Map::new();
    let mut bus = None;
    for (k, v) in entries {
        match k {
            "bus" => bus = r.string(v, &format!("{path}.bus")),
            "detail" => {
                pattern.insert(k.to_string(), to_json(v));
            }
            _ => {
                let list = r.string_list(v, &format!("{path}.{k}"));
                pattern.insert(k.to_string(), serde_json::json!(list));
            }
        }
    }
    if pattern.is_empty() {
        r.report(
            Problem::new(node.span, format!("`{path}` matches nothing"))
                .help("give at least one of `source`, `detail-type` or `detail`"),
        );
        return None;
    }
    Some(EventKind::EventBridge { pattern: serde_json::Value::Object(pattern), bus })
}

/// `METHOD /path` → (method, path), with the path checked the way API Gateway checks routes.
fn read_route(r: &mut Reader, node: &Node, path: &str) -> Option<(Method, String)> {
    let text = r.string(node, path)?;
    match parse_route(&text) {
        Ok(route) => Some(route),
        Err(help) => {
            r.report(Problem::new(node.span, format!("`{text}` is not a valid route")).help(help));
            None
        }
    }
}

pub(crate) fn parse_route(text: &str) -> Result<(Method, String), String> {
    let mut parts = text.split_whitespace();
    let (Some(method), Some(route), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err("write a route as `METHOD /path`, e.g. `GET /users/{id}`".into());
    };
    let Some(upper) = Method::parse(method) else {
        let all = Method::ALL.map(Method::as_str);
        return Err(format!("the method must be one of {}", one_of(&all)));
    };
    if !route.starts_with('/') {
        return Err(format!("paths start with `/`: `{upper} /{route}`"));
    }
    if route.len() > 1 && route.ends_with('/') {
        return Err(format!("remove the trailing `/`: `{upper} {}`", route.trim_end_matches('/')));
    }
    let segments: Vec<&str> = if route == "/" { Vec::new() } else { route[1..].split('/').collect() };
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            return Err("the path has an empty segment (`//`)".into());
        }
        if let Some(inner) = seg.strip_prefix('{') {
            let Some(name) = inner.strip_suffix('}') else {
                return Err(format!("`{seg}` opens a parameter but does not close it: write `{{name}}`"));
            };
            let (name, greedy) = name.strip_suffix('+').map_or((name, false), |n| (n, true));
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{seg}` is not a path parameter: use letters, digits and `_` inside braces"));
            }
            if greedy && i + 1 != segments.len() {
                return Err(format!("`{seg}` is greedy, so it must be the last segment"));
            }
        } else if seg.contains(['{', '}']) {
            return Err(format!("`{seg}`: a parameter must be a whole segment, like `/{{id}}`"));
        } else if !seg.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:@!$&'()*,;=".contains(c)) {
            return Err(format!("`{seg}` has characters that are not allowed in a route"));
        }
    }
    Ok((upper, route.to_string()))
}

/// A cargo package or binary name: letters, digits, `-` and `_`, not starting with a digit —
/// never a path, which would send the build (and its zip) somewhere else.
fn cargo_name(r: &mut Reader, node: &Node, path: &str, what: &str) -> Option<String> {
    let name = r.string(node, path)?;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        r.report(
            Problem::new(node.span, format!("`{name}` is not a cargo {what} name")).help(
                "use letters, digits, `-` and `_` (at most 64), starting with a letter: the name in its Cargo.toml",
            ),
        );
        return None;
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(parse_route("get /users/{id}").unwrap(), (Method::Get, "/users/{id}".into()));
        assert_eq!(parse_route("ANY /{proxy+}").unwrap().1, "/{proxy+}");
        assert!(parse_route("GET users").unwrap_err().contains("start with `/`"));
        assert!(parse_route("FETCH /x").is_err());
        assert!(parse_route("GET /{a+}/b").unwrap_err().contains("last segment"));
        assert!(parse_route("GET /a/").is_err());
        assert!(parse_route("GET /a/{id").is_err());
    }
}
