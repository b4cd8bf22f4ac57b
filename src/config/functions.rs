//! Config stage, step 2 (functions): a function's settings, `uses` and events, with route and
//! schedule syntax checked where they are written.

use super::diagnostic::{one_of, Problem};
use super::model::*;
use super::parse::read_settings;
use super::reader::{to_json, Reader};
use super::yaml::{Node, Span};

const FUNCTION_KEYS: &[&str] =
    &["package", "bin", "arch", "memory", "timeout", "log_retention", "env", "tags", "uses", "events", "concurrency"];
const EVENT_KINDS: &[&str] = &["http", "queue", "upload", "schedule", "topic", "stream", "eventbridge"];
pub const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

pub fn read_function(r: &mut Reader, name: &str, span: Span, node: &Node) -> Function {
    let path = format!("functions.{name}");
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        r.report(
            Problem::new(span, format!("`{name}` is not a valid function name"))
                .help("use letters, digits, `-` and `_`"),
        );
    }
    let settings = read_settings(r, node, &path, FUNCTION_KEYS);
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
            // Lambda's own bounds: 0 stops the function; more than the account's quota is
            // refused by AWS at deploy, which names the quota.
            "concurrency" => f.concurrency = r.uint(v, &p, 0, 1_000_000, ""),
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
        let level = match r.choice(access, &format!("{path}.{resource}"), &["read", "write", "read-write"]).as_deref() {
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

fn read_event(r: &mut Reader, node: &Node, path: &str) -> Option<Event> {
    let Some(kind) =
        node.as_map().and_then(|m| m.iter().find_map(|(k, _)| k.as_scalar().filter(|k| EVENT_KINDS.contains(k))))
    else {
        let first = node.as_map().and_then(|m| m.first()).and_then(|(k, _)| k.as_scalar()).unwrap_or("");
        let help = match super::diagnostic::did_you_mean(first, EVENT_KINDS.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("an event starts with one of {}", one_of(EVENT_KINDS)),
        };
        r.report(Problem::new(node.span, format!("`{path}` is not an event")).help(help));
        return None;
    };
    let options: &[&str] = match kind {
        "queue" => &["queue", "batch_size", "batch_window"],
        "upload" => &["upload", "prefix", "suffix"],
        "schedule" => &["schedule", "enabled", "input"],
        "topic" => &["topic", "filter_policy"],
        "stream" => &["stream", "batch_size", "starting_position"],
        other => EVENT_KINDS.iter().find(|k| **k == other).map(std::slice::from_ref).unwrap_or(&[]),
    };
    let entries = r.entries(node, path, options);
    let get = |k: &str| entries.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let value = get(kind)?;
    let p = |k: &str| format!("{path}.{k}");
    let kind = match kind {
        "http" => {
            let (method, route) = read_route(r, value, &p("http"))?;
            EventKind::Http { method, path: route }
        }
        "queue" => EventKind::Queue {
            queue: r.string(value, &p("queue"))?,
            batch_size: get("batch_size").and_then(|n| r.uint(n, &p("batch_size"), 1, 10_000, "")).unwrap_or(10),
            batch_window: get("batch_window").and_then(|n| r.uint(n, &p("batch_window"), 0, 300, " s")),
        },
        "upload" => EventKind::Upload {
            bucket: r.string(value, &p("upload"))?,
            prefix: get("prefix").and_then(|n| r.string(n, &p("prefix"))),
            suffix: get("suffix").and_then(|n| r.string(n, &p("suffix"))),
        },
        "schedule" => {
            let expression = r.string(value, &p("schedule"))?;
            if let Err(help) = check_schedule(&expression) {
                r.report(Problem::new(value.span, format!("`{expression}` is not a schedule expression")).help(help));
            }
            EventKind::Schedule {
                expression,
                enabled: get("enabled").and_then(|n| r.boolean(n, &p("enabled"))).unwrap_or(true),
                input: get("input").map(to_json),
            }
        }
        "topic" => {
            EventKind::Topic { topic: r.string(value, &p("topic"))?, filter_policy: get("filter_policy").map(to_json) }
        }
        "stream" => EventKind::Stream {
            table: r.string(value, &p("stream"))?,
            batch_size: get("batch_size").and_then(|n| r.uint(n, &p("batch_size"), 1, 10_000, "")).unwrap_or(100),
            starting_position: get("starting_position")
                .and_then(|n| r.choice(n, &p("starting_position"), &["latest", "trim_horizon"]))
                .unwrap_or_else(|| "latest".into())
                .to_uppercase(),
        },
        _ => read_eventbridge(r, value, &p("eventbridge"))?,
    };
    // Problems about an event point at what it names (`queue: signups` → `signups`).
    Some(Event { kind, span: value.span })
}

fn read_eventbridge(r: &mut Reader, node: &Node, path: &str) -> Option<EventKind> {
    let keys = ["source", "detail-type", "detail", "account", "region", "resources", "bus"];
    let entries = r.entries(node, path, &keys);
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
fn read_route(r: &mut Reader, node: &Node, path: &str) -> Option<(String, String)> {
    let text = r.string(node, path)?;
    match parse_route(&text) {
        Ok(route) => Some(route),
        Err(help) => {
            r.report(Problem::new(node.span, format!("`{text}` is not a valid route")).help(help));
            None
        }
    }
}

pub fn parse_route(text: &str) -> Result<(String, String), String> {
    let mut parts = text.split_whitespace();
    let (Some(method), Some(route), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err("write a route as `METHOD /path`, e.g. `GET /users/{id}`".into());
    };
    let upper = method.to_ascii_uppercase();
    if !HTTP_METHODS.contains(&upper.as_str()) {
        return Err(format!("the method must be one of {}", one_of(HTTP_METHODS)));
    }
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

/// EventBridge's `rate(...)` and `cron(...)` grammar, checked before CloudFormation rejects it.
pub fn check_schedule(expr: &str) -> Result<(), String> {
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err("write `rate(5 minutes)`, `rate(1 hour)` or `rate(2 days)`".into());
        };
        let n: u64 = n.parse().ok().filter(|n| *n > 0).ok_or("the rate must be a positive whole number")?;
        let base = unit.trim_end_matches('s');
        if !["minute", "hour", "day"].contains(&base) {
            return Err(format!("`{unit}` is not a unit: use minute(s), hour(s) or day(s)"));
        }
        let want = if n == 1 { base.to_string() } else { format!("{base}s") };
        if unit != want {
            return Err(format!("EventBridge wants `rate({n} {want})`"));
        }
        return Ok(());
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {}",
                fields.len()
            ));
        }
        if (fields[2] == "?") == (fields[4] == "?") {
            return Err(
                "exactly one of day-of-month (3rd field) and day-of-week (5th) must be `?`, e.g. `cron(0 12 * * ? *)`"
                    .into(),
            );
        }
        for (i, field) in fields.iter().enumerate() {
            check_cron_field(i, field)?;
        }
        return Ok(());
    }
    Err("use `rate(1 day)` or `cron(0 12 * * ? *)`".into())
}

/// Each cron field's name and range, as EventBridge documents them.
const CRON_FIELDS: [(&str, u32, u32); 6] = [
    ("minutes", 0, 59),
    ("hours", 0, 23),
    ("day-of-month", 1, 31),
    ("month", 1, 12),
    ("day-of-week", 1, 7),
    ("year", 1970, 2199),
];
const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One cron field: lists of `*`, values, ranges and steps within the field's range, plus the
/// `?`, `L`, `W` and `#` forms where EventBridge allows them.
fn check_cron_field(i: usize, field: &str) -> Result<(), String> {
    let (name, min, max) = CRON_FIELDS[i];
    let value = |s: &str| -> Option<u32> {
        let named = match i {
            3 => MONTHS.iter().position(|m| m.eq_ignore_ascii_case(s)),
            4 => DAYS.iter().position(|d| d.eq_ignore_ascii_case(s)),
            _ => None,
        };
        named.map(|n| n as u32 + 1).or_else(|| s.parse().ok())
    };
    let bad = |item: &str| format!("cron {name} (field {}): `{item}` is not within {min}–{max}", i + 1);
    let in_range = |s: &str| value(s).is_some_and(|v| (min..=max).contains(&v));
    for item in field.split(',') {
        let ok = match item {
            "*" => true,
            "?" => i == 2 || i == 4,
            "L" | "LW" if i == 2 => true,
            "L" if i == 4 => true,
            _ if i == 2 && item.ends_with('W') => in_range(&item[..item.len() - 1]),
            _ if i == 4 && item.ends_with('L') => in_range(&item[..item.len() - 1]),
            _ if i == 4 && item.contains('#') => item
                .split_once('#')
                .is_some_and(|(d, n)| in_range(d) && n.parse::<u32>().is_ok_and(|n| (1..=5).contains(&n))),
            _ => {
                let (range, step) = match item.split_once('/') {
                    Some((r, s)) => (r, Some(s)),
                    None => (item, None),
                };
                let step_ok = step.is_none_or(|s| s.parse::<u32>().is_ok_and(|s| s > 0 && s <= max));
                let range_ok = range == "*"
                    || match range.split_once('-') {
                        Some((a, b)) => in_range(a) && in_range(b),
                        None => in_range(range),
                    };
                step_ok && range_ok
            }
        };
        if !ok {
            return Err(bad(item));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(parse_route("get /users/{id}").unwrap(), ("GET".into(), "/users/{id}".into()));
        assert_eq!(parse_route("ANY /{proxy+}").unwrap().1, "/{proxy+}");
        assert!(parse_route("GET users").unwrap_err().contains("start with `/`"));
        assert!(parse_route("FETCH /x").is_err());
        assert!(parse_route("GET /{a+}/b").unwrap_err().contains("last segment"));
        assert!(parse_route("GET /a/").is_err());
        assert!(parse_route("GET /a/{id").is_err());
    }

    #[test]
    fn schedules() {
        assert!(check_schedule("rate(1 day)").is_ok());
        assert!(check_schedule("rate(5 minutes)").is_ok());
        assert!(check_schedule("rate(1 days)").unwrap_err().contains("rate(1 day)"));
        assert!(check_schedule("cron(0 12 * * ? *)").is_ok());
        assert!(check_schedule("cron(0 12 * * *)").is_err());
        assert!(check_schedule("cron(0 12 * * MON *)").is_err());
        assert!(check_schedule("every day").is_err());
        for ok in [
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(0 18 L * ? *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(30 2 15W JAN,JUL ? 2030)",
        ] {
            assert!(check_schedule(ok).is_ok(), "{ok}: {:?}", check_schedule(ok));
        }
        assert_eq!(check_schedule("cron(0 25 * * ? *)").unwrap_err(), "cron hours (field 2): `25` is not within 0–23");
        assert!(check_schedule("cron(60 1 * * ? *)").unwrap_err().contains("minutes"));
        assert!(check_schedule("cron(0 1 32 * ? *)").unwrap_err().contains("day-of-month"));
        assert!(check_schedule("cron(0 1 ? 13 MON *)").unwrap_err().contains("month"));
        assert!(check_schedule("cron(0 1 ? * FUNDAY *)").unwrap_err().contains("day-of-week"));
        assert!(check_schedule("cron(0 1 * * ? 1969)").unwrap_err().contains("year"));
        assert!(check_schedule("cron(0/0 1 * * ? *)").is_err());
        assert!(check_schedule("rate(0 minutes)").unwrap_err().contains("positive"));
    }
}
