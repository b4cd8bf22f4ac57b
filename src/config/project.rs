//! Config stage: the project file — a root `sls.yaml` that lists services instead of
//! functions. Each service keeps its own `sls.yaml`; this file says where they are and which
//! must be deployed before which beyond what their references already say.

use super::diagnostic::{suggest, Problem};
use super::reader::Reader;
use super::shape;
use super::yaml::{Node, Span};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub(crate) struct Project {
    /// The file as shown in messages, and the directory service paths are relative to.
    pub file: PathBuf,
    pub root: PathBuf,
    pub source: Arc<String>,
    /// In file order.
    pub services: Vec<ServiceEntry>,
}

#[derive(Debug, Clone)]
pub(crate) struct ServiceEntry {
    /// The key under `services:`, which references name (`${users.outputs.X}`).
    pub key: String,
    /// As written, relative to the project root.
    pub path: String,
    pub depends_on: Vec<(String, Span)>,
}

impl Project {
    pub(crate) fn dir(&self, s: &ServiceEntry) -> PathBuf {
        self.root.join(&s.path)
    }

    pub(crate) fn service(&self, key: &str) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| s.key == key)
    }
}

/// Whether a parsed `sls.yaml` is a project file: it lists `services:`.
pub(crate) fn is_project(node: &Node) -> bool {
    node.get("services").is_some()
}

/// Reads a project file; every problem (unknown keys, missing directories, unknown
/// `depends_on`) is reported, located.
pub(crate) fn read(node: &Node, file: &Path, root: &Path, source: Arc<String>) -> (Project, Vec<Problem>) {
    let mut r = Reader::default();
    let mut services = Vec::new();
    for (key, value) in r.entries(node, "sls.yaml", &shape::PROJECT) {
        debug_assert_eq!(key, "services");
        for (name, span, body) in r.keyed_entries(value, "services") {
            if let Some(entry) = read_service(&mut r, name, span, body, root) {
                services.push(entry);
            }
        }
    }
    if services.is_empty() && r.problems.is_empty() {
        r.report(
            Problem::new(node.span.start(), "the project lists no services")
                .help("add `services: { users: { path: services/users } }`, one entry per directory with an sls.yaml"),
        );
    }
    let keys: Vec<&str> = services.iter().map(|s: &ServiceEntry| s.key.as_str()).collect();
    for s in &services {
        for (dep, span) in &s.depends_on {
            if dep == &s.key {
                r.report(Problem::new(*span, format!("`{dep}` cannot depend on itself")));
            } else if !keys.contains(&dep.as_str()) {
                let help = suggest(dep, &keys, "services");
                r.report(
                    Problem::new(*span, format!("no service called `{dep}`")).label("not in `services`").help(help),
                );
            }
        }
    }
    let project = Project { file: file.to_path_buf(), root: root.to_path_buf(), source, services };
    let mut problems = r.problems;
    problems.sort_by_key(|p| p.span.offset);
    (project, problems)
}

fn read_service(r: &mut Reader, key: &str, span: Span, body: &Node, root: &Path) -> Option<ServiceEntry> {
    let valid = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        r.report(Problem::new(span, format!("`{key}` is not a valid service key")).help(
            "use letters, digits, `-` and `_`, starting with a letter: references name it as `${key.outputs.Name}`",
        ));
    }
    // `users: services/users` is the short form of `users: { path: services/users }`.
    let (path, path_span, depends_on) = match body.as_scalar() {
        Some(p) => (Some(p.to_string()), body.span, Vec::new()),
        None => {
            let path = format!("services.{key}");
            let mut found = (None, body.span, Vec::new());
            for (k, v) in r.entries(body, &path, &shape::SERVICE_ENTRY) {
                match k {
                    "path" => found = (r.string(v, &format!("{path}.path")), v.span, found.2),
                    _ => {
                        let deps = v.as_seq().map(|s| s.to_vec()).unwrap_or_else(|| vec![v.clone()]);
                        for (i, d) in deps.iter().enumerate() {
                            let at = if v.as_seq().is_some() { format!("[{i}]") } else { String::new() };
                            match d.as_scalar() {
                                Some(name) => found.2.push((name.to_string(), d.span)),
                                None => r.report(
                                    Problem::new(d.span, format!("`{path}.depends_on{at}` is not a service key"))
                                        .help("write `depends_on: [users]`"),
                                ),
                            }
                        }
                    }
                }
            }
            if found.0.is_none() && body.get("path").is_none() {
                r.report(
                    Problem::new(span, format!("service `{key}` has no `path`"))
                        .help(format!("add `path: services/{key}`: the directory holding its sls.yaml")),
                );
            }
            found
        }
    };
    let path = path?;
    let dir = root.join(&path);
    if !super::FILE_NAMES.iter().any(|n| dir.join(n).is_file()) {
        let what = if dir.is_dir() { "has no sls.yaml" } else { "is not a directory" };
        r.report(
            Problem::new(path_span, format!("`{path}` {what}"))
                .label("service directory")
                .help("each service is a directory with its own sls.yaml (`sls-rs new` writes one)"),
        );
        return None;
    }
    Some(ServiceEntry { key: key.to_string(), path, depends_on })
}

/// Each service's key and directory as a project file writes them, unchecked: for the tools
/// that must work on a project whose file is not valid yet.
pub(crate) fn service_paths(node: &Node) -> Vec<(&str, &str)> {
    let services = node.get("services").and_then(Node::as_map).unwrap_or_default();
    fn path(v: &Node) -> Option<&str> {
        v.as_scalar().or_else(|| v.get("path").and_then(Node::as_scalar))
    }
    services.iter().filter_map(|(k, v)| Some((k.as_scalar()?, path(v)?))).collect()
}

/// The project file above `dir` (or in it) that lists `dir` as a service, with that
/// service's key: how a service run on its own learns its producers.
pub(crate) fn enclosing(dir: &Path) -> Option<(PathBuf, String)> {
    let dir = dir.canonicalize().ok()?;
    for candidate in dir.ancestors().skip(1) {
        let Some(file) = super::FILE_NAMES.iter().map(|n| candidate.join(n)).find(|p| p.is_file()) else { continue };
        let Ok(text) = super::read_text(&file, &file) else { continue };
        let Ok(Some(node)) = super::yaml::parse(&text) else { continue };
        if !is_project(&node) {
            continue;
        }
        let (key, _) = service_paths(&node)
            .into_iter()
            .find(|(_, path)| candidate.join(path).canonicalize().ok().as_deref() == Some(dir.as_path()))?;
        return Some((file, key.to_string()));
    }
    None
}
