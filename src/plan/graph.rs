//! Plan stage: a project of services as one graph — every service planned for the stage, each
//! reference checked against its producer's outputs, edges from references and `depends_on`,
//! cycles refused — all before any AWS call, every problem in every file reported at once.

use super::{EnvPart, EnvValue, Plan, ReferencePlan, RemoteUsePlan, ResourcePlan};
use crate::config::project::{self, Project};
use crate::config::yaml::Span;
use crate::config::{diagnostic, ConfigDiagnostics, LoadError, Problem};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub project: Project,
    pub stage: String,
    /// In the project file's order.
    pub services: Vec<Service>,
    /// Producers before their consumers; ties in file order.
    pub order: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub key: String,
    pub plan: Plan,
    /// The services this one needs deployed first (indices), and why.
    pub needs: Vec<(usize, Why)>,
}

/// Why one service comes after another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    /// It reads this output.
    Output(String),
    /// It uses this resource.
    Uses(String),
    DependsOn,
}

/// An edge as the user wrote it, for locating a cycle.
struct Edge {
    from: usize,
    to: usize,
    file: usize,
    span: Span,
}

/// Loads the project file at `path` (shown as `shown_as`) and every service it lists.
pub(crate) fn load(path: &Path, shown_as: &Path, stage: &str) -> Result<Graph, LoadError> {
    let text = crate::config::read_text(path, shown_as)?;
    let root = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let source = Arc::new(text);
    let node = match crate::config::yaml::parse(&source) {
        Ok(Some(node)) => node,
        // Not a project after all: the single-service loader reports it as it always has.
        _ => return Err(LoadError::NotFound(path.to_path_buf())),
    };
    let (project, root_problems) = project::read(&node, shown_as, root, Arc::clone(&source));
    let shown_dir = shown_as.parent().unwrap_or(Path::new(""));
    let mut failures: Vec<ConfigDiagnostics> = Vec::new();
    let mut services = Vec::new();
    for entry in &project.services {
        let dir = project.dir(entry);
        let file = crate::config::locate(None, &dir)?;
        let shown = shown_dir.join(&entry.path).join(file.file_name().unwrap_or_default());
        match super::load(&file, &shown, stage) {
            Ok(plan) => services.push(Service { key: entry.key.clone(), plan, needs: Vec::new() }),
            Err(LoadError::Invalid(d)) => failures.push(d),
            Err(other) => return Err(other),
        }
    }
    let mut root_problems = root_problems;
    let mut per_service: Vec<Vec<Problem>> = vec![Vec::new(); services.len()];
    let mut edges = Vec::new();
    if failures.is_empty() && root_problems.is_empty() {
        link(&project, &mut services, &mut per_service, &mut edges);
        let cycle = find_cycle(services.len(), &edges);
        if let Some(cycle) = cycle {
            let names: Vec<&str> = cycle.iter().map(|&e| services[edges[e].from].key.as_str()).collect();
            let closing = &edges[*cycle.last().expect("a cycle has edges")];
            let problem = Problem::new(
                closing.span,
                format!("services depend on each other in a cycle: {} → `{}`", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → "), names[0]),
            )
            .label("closes the cycle")
            .help("a service cannot need its own outputs, even through others: drop one of these references, or move what both need into a service of its own");
            match closing.file {
                0 => root_problems.push(problem),
                n => per_service[n - 1].push(problem),
            }
        }
    }
    let mut all = Vec::new();
    if !root_problems.is_empty() {
        all.push(ConfigDiagnostics::new(shown_as.display().to_string(), Arc::clone(&project.source), root_problems));
    }
    all.extend(failures);
    for (s, problems) in services.iter().zip(per_service) {
        if !problems.is_empty() {
            all.push(s.plan.config.diagnostics(problems));
        }
    }
    if !all.is_empty() {
        return Err(LoadError::Invalid(ConfigDiagnostics::merge(all)));
    }
    let order = topological(&services);
    Ok(Graph { project, stage: stage.to_string(), services, order })
}

/// Checks each reference against its producer, fills in the producer's stack, and records
/// the edges references and `depends_on` make.
fn link(project: &Project, services: &mut [Service], problems: &mut [Vec<Problem>], edges: &mut Vec<Edge>) {
    let keys: Vec<String> = services.iter().map(|s| s.key.clone()).collect();
    let outputs: Vec<BTreeSet<String>> = services.iter().map(|s| s.plan.output_keys()).collect();
    let stacks: Vec<String> = services.iter().map(|s| s.plan.stack_name.clone()).collect();
    let producers: Vec<Vec<ResourcePlan>> = services.iter().map(|s| s.plan.resources.clone()).collect();
    for (i, s) in services.iter_mut().enumerate() {
        for r in &s.plan.config.references {
            let Some(j) = keys.iter().position(|k| *k == r.service) else {
                let help = diagnostic::suggest(&r.service, &keys, "the project's services");
                problems[i]
                    .push(Problem::new(r.span, format!("no service called `{}` in the project", r.service)).help(help));
                continue;
            };
            if i == j {
                problems[i].push(
                    Problem::new(r.span, format!("`{}` refers to its own output `{}`", r.service, r.output))
                        .help("within a service, name the resource in `uses:` instead: sls-rs sets its variable"),
                );
                continue;
            }
            let known = &outputs[j];
            if !known.contains(&r.output) {
                let known: Vec<&String> = known.iter().collect();
                let help = diagnostic::suggest(&r.output, &known, &format!("`{}` has", r.service));
                problems[i].push(
                    Problem::new(r.span, format!("service `{}` has no output `{}`", r.service, r.output)).help(help),
                );
                continue;
            }
            edges.push(Edge { from: i, to: j, file: i + 1, span: r.span });
            if !s.needs.iter().any(|(n, why)| *n == j && *why == Why::Output(r.output.clone())) {
                s.needs.push((j, Why::Output(r.output.clone())));
            }
        }
        link_remote_uses(i, s, &producers, &keys, &mut problems[i], edges);
        for p in &mut s.plan.references {
            if let Some(j) = keys.iter().position(|k| *k == p.service) {
                p.stack = stacks[j].clone();
            }
        }
    }
    for (i, entry) in project.services.iter().enumerate() {
        for (dep, span) in &entry.depends_on {
            if let Some(j) = keys.iter().position(|k| k == dep) {
                edges.push(Edge { from: i, to: j, file: 0, span: *span });
                services[i].needs.push((j, Why::DependsOn));
            }
        }
    }
}

/// `uses: { users.signups: write }`: the producer's resource becomes two references (where it
/// is, for the variable; its ARN, for IAM), the variable, and an edge.
fn link_remote_uses(
    i: usize,
    s: &mut Service,
    producers: &[Vec<ResourcePlan>],
    keys: &[String],
    problems: &mut Vec<Problem>,
    edges: &mut Vec<Edge>,
) {
    let plan = &mut s.plan;
    for (decl, f) in plan.config.functions.iter().zip(plan.functions.iter_mut()) {
        for u in &decl.remote_uses {
            let Some(j) = keys.iter().position(|k| *k == u.service).filter(|&j| j != i) else {
                let help = match diagnostic::did_you_mean(&u.service, keys.iter().map(String::as_str)) {
                    Some(k) if k != s.key => format!("did you mean `{k}`?"),
                    _ => format!(
                        "write `{}.<resource>` with another service of the project: {}",
                        "service",
                        diagnostic::one_of(keys)
                    ),
                };
                let what = if u.service == s.key {
                    "is this service: name its resource without the prefix".to_string()
                } else {
                    "is not a service of the project".to_string()
                };
                problems.push(Problem::new(u.span, format!("`{}` {what}", u.service)).help(help));
                continue;
            };
            let Some(r) = producers[j].iter().find(|r| r.name == u.resource) else {
                let names: Vec<&str> = producers[j].iter().map(|r| r.name.as_str()).collect();
                let help = match diagnostic::did_you_mean(&u.resource, names.iter().copied()) {
                    Some(n) => format!("did you mean `{}.{n}`?", u.service),
                    None => format!("`{}` declares: {}", u.service, diagnostic::one_of(&names)),
                };
                problems.push(
                    Problem::new(u.span, format!("service `{}` declares no resource `{}`", u.service, u.resource))
                        .help(help),
                );
                continue;
            };
            // The first output of each resource says where it is; the one named `…Arn` is its ARN.
            let value = &r.outputs[0].key;
            let arn = r.outputs.iter().find(|o| o.key.ends_with("Arn")).map_or(value, |o| &o.key);
            let mut parameter = |output: &str| {
                let parameter = super::names::reference_parameter(&u.service, output);
                if !plan.references.iter().any(|p| p.parameter == parameter) {
                    plan.references.push(ReferencePlan {
                        service: u.service.clone(),
                        output: output.to_string(),
                        parameter: parameter.clone(),
                        stack: String::new(),
                    });
                }
                parameter
            };
            let var = super::names::resource_env_var(r.kind, &r.name);
            if f.env.contains_key(&var) {
                problems.push(
                    Problem::new(
                        u.span,
                        format!("`{}.{}` would set `{var}`, which `{}` already has", u.service, u.resource, f.name),
                    )
                    .help("a resource of this service has the same name: rename one of them"),
                );
                continue;
            }
            let (value_parameter, arn_parameter) = (parameter(value), parameter(arn));
            f.env.insert(var, EnvValue::Outputs(vec![EnvPart::Parameter(value_parameter.clone())]));
            f.remote.push(RemoteUsePlan {
                service: u.service.clone(),
                resource: r.name.clone(),
                kind: r.kind,
                access: u.access,
                value_parameter,
                arn_parameter,
            });
            edges.push(Edge { from: i, to: j, file: i + 1, span: u.span });
            if !s.needs.iter().any(|(n, why)| *n == j && *why == Why::Uses(r.name.clone())) {
                s.needs.push((j, Why::Uses(r.name.clone())));
            }
        }
    }
}

/// The edges of one cycle, in order, if the graph has any.
fn find_cycle(n: usize, edges: &[Edge]) -> Option<Vec<usize>> {
    // 0 unseen, 1 on the current path, 2 done.
    fn visit(v: usize, edges: &[Edge], state: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        state[v] = 1;
        for (e, edge) in edges.iter().enumerate().filter(|(_, e)| e.from == v) {
            path.push(e);
            match state[edge.to] {
                1 => {
                    let start = path.iter().position(|&p| edges[p].from == edge.to).unwrap_or(0);
                    return Some(path[start..].to_vec());
                }
                0 => {
                    if let Some(c) = visit(edge.to, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
            path.pop();
        }
        state[v] = 2;
        None
    }
    let mut state = vec![0u8; n];
    (0..n).find_map(|v| if state[v] == 0 { visit(v, edges, &mut state, &mut Vec::new()) } else { None })
}

fn topological(services: &[Service]) -> Vec<usize> {
    let mut order = Vec::new();
    let mut placed = vec![false; services.len()];
    while order.len() < services.len() {
        let next = (0..services.len())
            .find(|&i| !placed[i] && services[i].needs.iter().all(|(j, _)| placed[*j]))
            .expect("cycles are refused before ordering");
        placed[next] = true;
        order.push(next);
    }
    order
}

impl Graph {
    pub(crate) fn index(&self, key: &str) -> Option<usize> {
        self.services.iter().position(|s| s.key == key)
    }

    /// Indices of the services `i` needs, directly.
    pub(crate) fn needs(&self, i: usize) -> BTreeSet<usize> {
        self.services[i].needs.iter().map(|(j, _)| *j).collect()
    }

    /// Everything `start` needs, transitively (not including `start`).
    pub(crate) fn dependencies(&self, start: &BTreeSet<usize>) -> BTreeSet<usize> {
        self.closure(start, |g, i| g.needs(i).into_iter().collect())
    }

    /// Everything that needs `start`, transitively (not including `start`).
    pub(crate) fn dependents(&self, start: &BTreeSet<usize>) -> BTreeSet<usize> {
        self.closure(start, |g, i| (0..g.services.len()).filter(|&j| g.needs(j).contains(&i)).collect())
    }

    fn closure(&self, start: &BTreeSet<usize>, next: impl Fn(&Graph, usize) -> Vec<usize>) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<usize> = start.iter().copied().collect();
        while let Some(i) = todo.pop() {
            for j in next(self, i) {
                if !start.contains(&j) && seen.insert(j) {
                    todo.push(j);
                }
            }
        }
        seen
    }
}

/// Which services a root command acts on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    /// Service keys named with `--service` (all when empty and no `changed` list).
    pub services: Vec<String>,
    pub with_dependencies: bool,
    pub with_dependents: bool,
    /// Paths changed since a git ref, relative to the project root: the services holding them
    /// are picked (a change outside every service, in shared code, picks all) with dependents.
    pub changed: Option<Vec<std::path::PathBuf>>,
}

impl Graph {
    /// The selected services, or the unknown key that was named.
    pub(crate) fn select(&self, s: &Selection) -> Result<BTreeSet<usize>, String> {
        let mut picked = BTreeSet::new();
        for key in &s.services {
            picked.insert(self.index(key).ok_or_else(|| key.clone())?);
        }
        let mut with_dependents = s.with_dependents;
        if let Some(changed) = &s.changed {
            for path in changed {
                // `./services/users` and `services/users` are the same directory to git.
                let dir = |e: &project::ServiceEntry| -> std::path::PathBuf {
                    Path::new(&e.path).components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
                };
                let owner = self.project.services.iter().position(|e| path.starts_with(dir(e)));
                match owner {
                    Some(i) => {
                        picked.insert(i);
                    }
                    // Shared crates, the workspace manifest, the lock file: any service may build
                    // differently. The per-service no-op check keeps unchanged stacks untouched.
                    None if touches_code(path) => picked.extend(0..self.services.len()),
                    None => {}
                }
            }
            // What changed can change outputs others read.
            with_dependents = true;
        } else if s.services.is_empty() {
            picked.extend(0..self.services.len());
        }
        let mut out = picked.clone();
        if s.with_dependencies {
            out.extend(self.dependencies(&picked));
        }
        if with_dependents {
            out.extend(self.dependents(&picked));
        }
        Ok(out)
    }
}

/// Whether a changed file outside every service can change what services build.
fn touches_code(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    matches!(name, "Cargo.toml" | "Cargo.lock" | "build.rs" | "rust-toolchain.toml" | "rust-toolchain")
        || ext == "rs"
        || path.components().any(|c| c.as_os_str() == "src")
}
