//! Config stage, step 2: the node tree → the typed model (top level, settings, resources).

use super::diagnostic::Problem;
use super::functions::read_function;
use super::model::*;
use super::reader::Reader;
use super::shape::{self, LOG_RETENTION_DAYS};
use super::yaml::Node;
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn read_config(
    r: &mut Reader,
    root: &Node,
    file: &Path,
    project_root: &Path,
    source: std::sync::Arc<String>,
) -> Option<Config> {
    let entries = r.entries(root, "sls.yaml", &shape::SERVICE);
    let get = |k: &str| entries.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);

    let service = match get("service") {
        Some(node) => r.string(node, "service").map(|s| check_service(r, node, s)),
        None => {
            r.report(
                Problem::new(root.span.start(), "`service` is missing")
                    .help("add a line like `service: my-api` (it names the stack: {service}-{stage})"),
            );
            None
        }
    };
    let region = get("region").and_then(|n| r.string(n, "region"));
    let defaults = get("defaults").map(|n| read_settings(r, n, "defaults", &shape::SETTINGS)).unwrap_or_default();
    let resources = get("resources").map(|n| read_resources(r, n)).unwrap_or_default();
    let mut stages = BTreeMap::new();
    if let Some(node) = get("stages") {
        for (name, value) in r.any_entries(node, "stages") {
            stages.insert(name.to_string(), read_settings(r, value, &format!("stages.{name}"), &shape::SETTINGS));
        }
    }
    let mut functions = Vec::new();
    if let Some(node) = get("functions") {
        for (name, span, value) in r.keyed_entries(node, "functions") {
            functions.push(read_function(r, name, span, value));
        }
    }
    let api = get("api").map(|n| super::api::read_api(r, n)).unwrap_or_default();
    let cloudformation = get("cloudformation").cloned();
    Some(Config {
        file: file.to_path_buf(),
        root: project_root.to_path_buf(),
        source,
        service: service?,
        region,
        defaults,
        functions,
        resources,
        stages,
        api,
        cloudformation,
        references: std::mem::take(&mut r.references),
    })
}

fn check_service(r: &mut Reader, node: &Node, s: String) -> String {
    if let Err(help) = super::names::check_service(&s) {
        r.report(Problem::new(node.span, format!("`{s}` is not a valid service name")).help(help));
    }
    s
}

pub(super) fn read_settings(r: &mut Reader, node: &Node, path: &str, table: &shape::Table) -> Settings {
    let mut s = Settings::default();
    for (key, value) in r.entries(node, path, table) {
        let p = format!("{path}.{key}");
        match key {
            "arch" => s.arch = r.choice(value, &p, &Arch::NAMES).and_then(|a| Arch::parse(&a)),
            "memory" => s.memory = r.uint(value, &p, shape::MEMORY),
            "timeout" => s.timeout = r.uint(value, &p, shape::TIMEOUT),
            "log_retention" => s.log_retention = read_retention(r, value, &p),
            "env" => s.env = read_env(r, value, &p),
            "tags" => s.tags = read_tags(r, value, &p),
            "removal" => {
                s.removal = r.choice(value, &p, shape::REMOVAL).map(|v| {
                    if v == "retain" {
                        Removal::Retain
                    } else {
                        Removal::Destroy
                    }
                })
            }
            "region" => s.region = r.string(value, &p),
            "tracing" => s.tracing = r.choice(value, &p, shape::TRACING).map(|t| t == "active"),
            _ => {}
        }
    }
    s
}

fn read_retention(r: &mut Reader, node: &Node, path: &str) -> Option<u32> {
    let days = r.uint(node, path, shape::Range { min: 1, max: 3653, unit: " days" })?;
    if LOG_RETENTION_DAYS.contains(&days) {
        return Some(days);
    }
    let nearest = LOG_RETENTION_DAYS.iter().min_by_key(|d| d.abs_diff(days)).copied().unwrap_or(14);
    r.report(
        Problem::new(node.span, format!("`{path}`: CloudWatch Logs cannot keep logs for {days} days"))
            .help(format!("did you mean `{nearest}`? allowed: {LOG_RETENTION_DAYS:?}")),
    );
    None
}

/// Tags as AWS takes them: keys of at most 128 characters not starting with `aws:` (reserved
/// for AWS's own), values of at most 256, each reported where it is written.
fn read_tags(r: &mut Reader, node: &Node, path: &str) -> BTreeMap<String, String> {
    let tags = r.string_map(node, path);
    for (k, v) in node.as_map().unwrap_or_default() {
        let Some(key) = k.as_scalar() else { continue };
        if key.to_ascii_lowercase().starts_with("aws:") {
            r.report(
                Problem::new(
                    k.span,
                    format!("tag `{key}` uses the `aws:` prefix, which AWS reserves for its own tags"),
                )
                .help("name it without `aws:`, e.g. with your company's prefix"),
            );
        } else if key.chars().count() > 128 || key.is_empty() {
            let n = key.chars().count();
            r.report(Problem::new(k.span, format!("tag keys have 1–128 characters; this one has {n}")));
        }
        if let Some(value) = v.as_scalar().filter(|v| v.chars().count() > 256) {
            let n = value.chars().count();
            r.report(Problem::new(v.span, format!("tag values have at most 256 characters; this one has {n}")));
        }
    }
    tags
}

fn read_env(r: &mut Reader, node: &Node, path: &str) -> BTreeMap<String, String> {
    let env = r.string_map(node, path);
    for (_, v) in node.as_map().unwrap_or_default() {
        if let Some(text) = v.as_scalar() {
            let found = super::refs::find(text, v.span);
            r.references.extend(found);
        }
    }
    // Each name is reported at its own key; `string_map` has already reported malformed entries.
    let keys = node.as_map().unwrap_or_default().iter().filter_map(|(k, _)| Some((k.as_scalar()?, k.span)));
    for (k, span) in keys {
        let valid = k.starts_with(|c: char| c.is_ascii_alphabetic())
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid || k.starts_with("AWS_") {
            r.report(
                Problem::new(span, format!("`{k}` cannot be a Lambda environment variable"))
                    .help("use letters, digits and `_`, starting with a letter; names starting with `AWS_` are reserved by Lambda"),
            );
        }
    }
    env
}

fn read_resources(r: &mut Reader, node: &Node) -> Resources {
    let mut res = Resources::default();
    for (key, value) in r.entries(node, "resources", &shape::RESOURCES) {
        for (name, span, body) in r.keyed_entries(value, &format!("resources.{key}")) {
            let path = format!("resources.{key}.{name}");
            if let Some(other) = res.kind_of(name) {
                r.report(
                    Problem::new(span, format!("`{name}` is already declared as a {}", other.noun()))
                        .help("resource names must be unique across tables, queues, buckets and topics"),
                );
                continue;
            }
            check_resource_name(r, span, name);
            match key {
                "tables" => {
                    if let Some(t) = read_table(r, body, &path, span) {
                        res.tables.insert(name.to_string(), t);
                    }
                }
                "queues" => {
                    res.queues.insert(name.to_string(), read_queue(r, body, &path, span));
                }
                "buckets" => {
                    let mut b = Bucket { span, versioning: false };
                    for (k, v) in r.entries(body, &path, &shape::BUCKET) {
                        b.versioning = r.boolean(v, &format!("{path}.{k}")).unwrap_or(false);
                    }
                    res.buckets.insert(name.to_string(), b);
                }
                _ => {
                    let mut t = Topic { span, display_name: None };
                    for (k, v) in r.entries(body, &path, &shape::TOPIC) {
                        t.display_name = r.string(v, &format!("{path}.{k}"));
                    }
                    res.topics.insert(name.to_string(), t);
                }
            }
        }
    }
    res
}

fn check_resource_name(r: &mut Reader, span: super::yaml::Span, name: &str) {
    let ok = name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        r.report(
            Problem::new(span, format!("`{name}` is not a valid resource name"))
                .help("use lowercase letters, digits and `-`, starting with a letter, at most 40 characters: the name must work for S3 buckets, SQS queues and DynamoDB tables alike"),
        );
    }
}

fn read_key_attr(r: &mut Reader, node: &Node, path: &str) -> Option<KeyAttr> {
    let text = r.string(node, path)?;
    let (name, letter) = text.split_once(':').unwrap_or((&text, "S"));
    match KeyType::parse(letter).filter(|_| !name.is_empty()) {
        Some(kind) => Some(KeyAttr { name: name.to_string(), kind }),
        None => {
            r.report(
                Problem::new(node.span, format!("`{text}` is not a key attribute"))
                    .help("write `name` (a string key) or `name:S`, `name:N`, `name:B` for string, number or binary"),
            );
            None
        }
    }
}

fn read_table(r: &mut Reader, node: &Node, path: &str, span: super::yaml::Span) -> Option<Table> {
    let mut key = None;
    let mut table = Table {
        span,
        key: KeyAttr { name: String::new(), kind: KeyType::String },
        sort: None,
        stream: None,
        ttl: None,
        point_in_time_recovery: None,
    };
    for (k, v) in r.entries(node, path, &shape::TABLE) {
        let p = format!("{path}.{k}");
        match k {
            "key" => key = read_key_attr(r, v, &p),
            "sort" => table.sort = read_key_attr(r, v, &p),
            "stream" => table.stream = r.choice(v, &p, shape::TABLE_STREAM).map(|s| s.to_uppercase()),
            "ttl" => table.ttl = r.string(v, &p),
            _ => table.point_in_time_recovery = r.boolean(v, &p),
        }
    }
    if key.is_none() && node.get("key").is_none() {
        r.report(
            Problem::new(span, format!("table `{path}` has no `key`"))
                .help("add `key: id` (the partition key attribute; `id:N` for a number)"),
        );
    }
    table.key = key?;
    Some(table)
}

fn read_queue(r: &mut Reader, node: &Node, path: &str, span: super::yaml::Span) -> Queue {
    let mut q = Queue { span, visibility_timeout: None, retention: None, delay: None, fifo: false, dead_letter: None };
    for (k, v) in r.entries(node, path, &shape::QUEUE) {
        let p = format!("{path}.{k}");
        match k {
            "visibility_timeout" => q.visibility_timeout = r.uint(v, &p, shape::VISIBILITY_TIMEOUT),
            "retention" => q.retention = r.uint(v, &p, shape::RETENTION),
            "delay" => q.delay = r.uint(v, &p, shape::DELAY),
            "fifo" => q.fifo = r.boolean(v, &p).unwrap_or(false),
            _ => {
                let mut max_receives = 3;
                for (dk, dv) in r.entries(v, &p, &shape::DEAD_LETTER) {
                    max_receives = r.uint(dv, &format!("{p}.{dk}"), shape::MAX_RECEIVES).unwrap_or(3);
                }
                q.dead_letter = Some(DeadLetter { max_receives });
            }
        }
    }
    q
}
