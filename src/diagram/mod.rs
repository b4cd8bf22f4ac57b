//! Beside the pipeline: the backend as its users draw it — entry points, functions and data as
//! nodes, every trigger (event → function) and every `uses` grant (function → resource) as an
//! edge, a group per service — computed from the plans, then rendered as Mermaid, DOT or SVG.

pub(crate) mod dot;
mod layout;
pub(crate) mod mermaid;
pub(crate) mod svg;

use crate::config::{Access, EventKind, ResourceKind};
use crate::plan::{FailureQueue, Plan};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Diagram {
    /// One per service, producers first; `service` is `None` for a service on its own.
    pub groups: Vec<Group>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Group {
    pub service: Option<String>,
    pub nodes: Vec<Node>,
}

/// Labels are names from `sls.yaml`, never the stage's physical names: the same picture for
/// every stage, fit for a README.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Node {
    /// Safe in every output format: letters, digits and `_` only.
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NodeKind {
    Route,
    Schedule,
    /// An EventBridge rule (`events:` with a pattern).
    Rule,
    Function,
    Table,
    Queue,
    Bucket,
    Topic,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
    pub kind: EdgeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EdgeKind {
    /// What invokes a function: a route, a schedule, a rule, or a resource's events.
    Trigger,
    /// A function's access to a resource (`uses`), its own service's or another's.
    Uses,
    /// Where a function's failed asynchronous events or a queue's dead letters go.
    Failure,
}

impl NodeKind {
    fn of(kind: ResourceKind) -> NodeKind {
        match kind {
            ResourceKind::Table => NodeKind::Table,
            ResourceKind::Queue => NodeKind::Queue,
            ResourceKind::Bucket => NodeKind::Bucket,
            ResourceKind::Topic => NodeKind::Topic,
        }
    }

    /// Fill and outline, the same in every format; `None` for entry points, drawn plain.
    pub(crate) fn colours(self) -> Option<(&'static str, &'static str)> {
        match self {
            NodeKind::Route | NodeKind::Schedule | NodeKind::Rule => None,
            NodeKind::Function => Some(("#fff1e0", "#e8710a")),
            NodeKind::Table => Some(("#e8f0fe", "#1a73e8")),
            NodeKind::Bucket => Some(("#e6f4ea", "#188038")),
            NodeKind::Queue => Some(("#fce8f3", "#b80672")),
            NodeKind::Topic => Some(("#f3e8fd", "#8430ce")),
        }
    }

    pub(crate) const ALL: [NodeKind; 8] = [
        NodeKind::Route,
        NodeKind::Schedule,
        NodeKind::Rule,
        NodeKind::Function,
        NodeKind::Table,
        NodeKind::Queue,
        NodeKind::Bucket,
        NodeKind::Topic,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NodeKind::Route => "route",
            NodeKind::Schedule => "schedule",
            NodeKind::Rule => "rule",
            NodeKind::Function => "function",
            NodeKind::Table => "table",
            NodeKind::Queue => "queue",
            NodeKind::Bucket => "bucket",
            NodeKind::Topic => "topic",
        }
    }
}

pub(crate) fn access_label(access: Access) -> &'static str {
    match access {
        Access::Read => "read",
        Access::Write => "write",
        Access::ReadWrite => "read/write",
    }
}

impl Diagram {
    /// The diagram of services planned for one stage, keyed as in the project (`None` alone).
    pub(crate) fn of(services: &[(Option<String>, &Plan)]) -> Diagram {
        let mut d = Diagram { groups: Vec::new(), edges: Vec::new() };
        for (s, (key, plan)) in services.iter().enumerate() {
            let mut g = Group { service: key.clone(), nodes: Vec::new() };
            // By kind as well as name: a queue and a table may share a name.
            let resource = |kind: Option<ResourceKind>, name: &str| {
                let kind = kind.or_else(|| plan.config.resources.kind_of(name))?;
                let i = plan.resources.iter().position(|r| r.kind == kind && r.name == name)?;
                Some(format!("s{s}_r{i}"))
            };
            for (i, r) in plan.resources.iter().enumerate() {
                g.nodes.push(Node { id: format!("s{s}_r{i}"), label: r.name.clone(), kind: NodeKind::of(r.kind) });
                if r.dead_letter.is_some() {
                    let id = format!("s{s}_r{i}_dlq");
                    g.nodes.push(Node { id: id.clone(), label: format!("{} DLQ", r.name), kind: NodeKind::Queue });
                    d.edges.push(edge(format!("s{s}_r{i}"), id, "dead letters", EdgeKind::Failure));
                }
            }
            for (f, (decl, fp)) in plan.config.functions.iter().zip(&plan.functions).enumerate() {
                let id = format!("s{s}_f{f}");
                g.nodes.push(Node { id: id.clone(), label: fp.name.clone(), kind: NodeKind::Function });
                for (e, event) in decl.events.iter().enumerate() {
                    let own = format!("s{s}_f{f}_e{e}");
                    let (drawn, label) = source(&event.kind);
                    let from = match drawn {
                        Source::Own(kind, text) => {
                            g.nodes.push(Node { id: own.clone(), label: text, kind });
                            Some(own)
                        }
                        Source::Resource(kind, name) => resource(Some(kind), &name),
                    };
                    if let Some(from) = from {
                        d.edges.push(edge(from, id.clone(), &label, EdgeKind::Trigger));
                    }
                }
                for u in &decl.uses {
                    if let Some(to) = resource(None, &u.resource) {
                        d.edges.push(edge(id.clone(), to, access_label(u.access), EdgeKind::Uses));
                    }
                }
                for r in &fp.remote {
                    let producer = services.iter().position(|(k, _)| k.as_deref() == Some(&r.service));
                    let at = producer.and_then(|p| {
                        services[p]
                            .1
                            .resources
                            .iter()
                            .position(|x| x.kind == r.kind && x.name == r.resource)
                            .map(|i| format!("s{p}_r{i}"))
                    });
                    if let Some(to) = at {
                        d.edges.push(edge(id.clone(), to, access_label(r.access), EdgeKind::Uses));
                    }
                }
                match fp.on_failure.as_ref().map(|f| &f.queue) {
                    Some(FailureQueue::Own { .. }) => {
                        let q = format!("s{s}_f{f}_failures");
                        g.nodes.push(Node {
                            id: q.clone(),
                            label: format!("{} failures", fp.name),
                            kind: NodeKind::Queue,
                        });
                        d.edges.push(edge(id.clone(), q, "on failure", EdgeKind::Failure));
                    }
                    Some(FailureQueue::Declared(name)) => {
                        if let Some(q) = resource(Some(ResourceKind::Queue), name) {
                            d.edges.push(edge(id.clone(), q, "on failure", EdgeKind::Failure));
                        }
                    }
                    None => {}
                }
            }
            d.groups.push(g);
        }
        d
    }

    pub(crate) fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.groups.iter().flat_map(|g| &g.nodes)
    }
}

/// What an event is drawn as: a node of its own (a route, a schedule, a rule) or an edge from
/// one of the service's resources.
enum Source {
    Own(NodeKind, String),
    Resource(ResourceKind, String),
}

/// How an event is drawn, and the label of its edge to the function.
fn source(event: &EventKind) -> (Source, String) {
    match event {
        EventKind::Http { method, path, .. } => {
            (Source::Own(NodeKind::Route, format!("{method} {path}")), String::new())
        }
        EventKind::Schedule { expression, .. } => {
            (Source::Own(NodeKind::Schedule, expression.to_string()), String::new())
        }
        EventKind::EventBridge { pattern, bus } => {
            let bus = bus.as_deref().unwrap_or("default");
            let what = pattern["source"].as_array().and_then(|s| s.first()).and_then(|s| s.as_str());
            let text = match what {
                Some(src) => format!("{src} events on {bus}"),
                None => format!("events on {bus}"),
            };
            (Source::Own(NodeKind::Rule, text), String::new())
        }
        EventKind::Queue { queue, batch_size, .. } => {
            (Source::Resource(ResourceKind::Queue, queue.clone()), format!("batch {batch_size}"))
        }
        EventKind::Upload { bucket, prefix, suffix } => {
            let keys = format!("{}*{}", prefix.as_deref().unwrap_or(""), suffix.as_deref().unwrap_or(""));
            let label = if keys == "*" { "upload".into() } else { format!("upload {keys}") };
            (Source::Resource(ResourceKind::Bucket, bucket.clone()), label)
        }
        EventKind::Topic { topic, filter_policy } => {
            let label = if filter_policy.is_some() { "filtered".into() } else { String::new() };
            (Source::Resource(ResourceKind::Topic, topic.clone()), label)
        }
        EventKind::Stream { table, .. } => (Source::Resource(ResourceKind::Table, table.clone()), "stream".into()),
    }
}

fn edge(from: String, to: String, label: &str, kind: EdgeKind) -> Edge {
    Edge { from, to, label: label.to_string(), kind }
}
