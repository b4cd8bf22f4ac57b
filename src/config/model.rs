//! Config stage: the validated shape of `sls.yaml` that every later stage reads.

use super::yaml::{Node, Span};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// The config file as the user named it (for messages) and the project root it lives in.
    pub file: PathBuf,
    pub root: PathBuf,
    /// The file's text, so later stages can point at a line too.
    pub source: std::sync::Arc<String>,
    pub service: String,
    pub region: Option<String>,
    pub defaults: Settings,
    pub functions: Vec<Function>,
    pub resources: Resources,
    pub stages: BTreeMap<String, Settings>,
    /// The HTTP API's auth, throttling and access logs.
    pub api: super::api::Api,
    /// Raw CloudFormation merged into the template, tags intact.
    pub cloudformation: Option<Node>,
    /// Other services' outputs this one's environment names, in file order.
    pub references: Vec<super::refs::Reference>,
}

impl Config {
    /// Whether anything here needs another service of the project: outputs or resources.
    pub(crate) fn reads_other_services(&self) -> bool {
        !self.references.is_empty() || self.functions.iter().any(|f| !f.remote_uses.is_empty())
    }
}

/// Settings that `defaults`, a stage and a function can each set; the most specific wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub arch: Option<Arch>,
    pub memory: Option<u32>,
    pub timeout: Option<u32>,
    pub log_retention: Option<u32>,
    pub env: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    /// Only meaningful for `defaults` and stages.
    pub removal: Option<Removal>,
    pub region: Option<String>,
    /// X-Ray active tracing (`tracing: active`).
    pub tracing: Option<bool>,
}

/// A Lambda architecture; Lambda's names (`arm64`, `x86_64`) are its text and JSON forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    Arm64,
    X86_64,
}

impl Arch {
    pub(crate) const ALL: [Arch; 2] = [Arch::Arm64, Arch::X86_64];
    pub(crate) const NAMES: [&'static str; 2] = ["arm64", "x86_64"];

    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Arm64 => "arm64",
            Arch::X86_64 => "x86_64",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The Rust target that builds for it on Lambda's Amazon Linux.
    pub(crate) fn rust_target(self) -> &'static str {
        match self {
            Arch::Arm64 => "aarch64-unknown-linux-gnu",
            Arch::X86_64 => "x86_64-unknown-linux-gnu",
        }
    }
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Destroy,
    Retain,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub span: Span,
    /// The cargo package holding the handler (defaults to the function's name) and its binary.
    pub package: String,
    pub bin: Option<String>,
    pub settings: Settings,
    pub uses: Vec<Use>,
    pub events: Vec<Event>,
    /// Reserved concurrency: at most this many instances, and that many kept for it alone.
    pub concurrency: Option<u32>,
    /// Other services' resources (`users.signups: write`), checked by the project graph.
    pub remote_uses: Vec<RemoteUse>,
    /// Where failed asynchronous invocations go, when not to a queue of the function's own.
    pub on_failure: Option<(OnFailure, Span)>,
}

/// `on_failure:` — a declared queue, or `none` to let failed events go (after Lambda's retries).
#[derive(Debug, Clone, PartialEq)]
pub enum OnFailure {
    None,
    Queue(String),
}

impl EventKind {
    /// Lambda runs these asynchronously: a failure after its two retries is lost unless the
    /// function has an on-failure destination.
    pub(crate) fn is_async(&self) -> bool {
        matches!(
            self,
            EventKind::Upload { .. }
                | EventKind::Schedule { .. }
                | EventKind::Topic { .. }
                | EventKind::EventBridge { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct RemoteUse {
    /// The producer's key in the project, and its resource's name there.
    pub service: String,
    pub resource: String,
    pub access: Access,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Read,
    Write,
    ReadWrite,
}

impl Access {
    pub(crate) fn reads(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }

    pub(crate) fn writes(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

#[derive(Debug, Clone)]
pub struct Use {
    pub resource: String,
    pub access: Access,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    pub span: Span,
}

/// A route's method: one of API Gateway's, or `ANY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Any,
}

impl Method {
    pub(crate) const ALL: [Method; 8] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
        Method::Any,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Any => "ANY",
        }
    }

    /// `get`, `GET`, `Get` → `Method::Get`.
    pub(crate) fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether a request made with `method` takes a route declared with this one.
    pub(crate) fn accepts(self, method: &str) -> bool {
        self == Method::Any || self.as_str().eq_ignore_ascii_case(method)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a new stream mapping starts reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartingPosition {
    Latest,
    TrimHorizon,
}

impl StartingPosition {
    /// As Lambda spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StartingPosition::Latest => "LATEST",
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Http { method: Method, path: String, auth: Option<super::api::Auth>, throttle: Option<super::api::Throttle> },
    Queue { queue: String, batch_size: u32, batch_window: Option<u32> },
    Upload { bucket: String, prefix: Option<String>, suffix: Option<String> },
    Schedule { expression: super::schedule::Schedule, enabled: bool, input: Option<serde_json::Value> },
    Topic { topic: String, filter_policy: Option<serde_json::Value> },
    Stream { table: String, batch_size: u32, starting_position: StartingPosition },
    EventBridge { pattern: serde_json::Value, bus: Option<String> },
}

impl EventKind {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            EventKind::Http { .. } => "http",
            EventKind::Queue { .. } => "queue",
            EventKind::Upload { .. } => "upload",
            EventKind::Schedule { .. } => "schedule",
            EventKind::Topic { .. } => "topic",
            EventKind::Stream { .. } => "stream",
            EventKind::EventBridge { .. } => "eventbridge",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub tables: BTreeMap<String, Table>,
    pub queues: BTreeMap<String, Queue>,
    pub buckets: BTreeMap<String, Bucket>,
    pub topics: BTreeMap<String, Topic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Table,
    Queue,
    Bucket,
    Topic,
}

impl ResourceKind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            ResourceKind::Table => "table",
            ResourceKind::Queue => "queue",
            ResourceKind::Bucket => "bucket",
            ResourceKind::Topic => "topic",
        }
    }
}

impl Resources {
    /// The kind of the declared resource called `name`, if any.
    pub(crate) fn kind_of(&self, name: &str) -> Option<ResourceKind> {
        if self.tables.contains_key(name) {
            Some(ResourceKind::Table)
        } else if self.queues.contains_key(name) {
            Some(ResourceKind::Queue)
        } else if self.buckets.contains_key(name) {
            Some(ResourceKind::Bucket)
        } else if self.topics.contains_key(name) {
            Some(ResourceKind::Topic)
        } else {
            None
        }
    }

    pub(crate) fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .tables
            .keys()
            .chain(self.queues.keys())
            .chain(self.buckets.keys())
            .chain(self.topics.keys())
            .map(String::as_str)
            .collect();
        names.sort();
        names
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyAttr {
    pub name: String,
    pub kind: KeyType,
}

/// A key attribute's DynamoDB scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    Number,
    Binary,
}

impl KeyType {
    /// DynamoDB's letter for it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }

    pub(crate) fn parse(letter: &str) -> Option<KeyType> {
        [KeyType::String, KeyType::Number, KeyType::Binary].into_iter().find(|k| k.as_str() == letter)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub span: Span,
    pub key: KeyAttr,
    pub sort: Option<KeyAttr>,
    /// DynamoDB `StreamViewType` (e.g. `NEW_AND_OLD_IMAGES`), when a stream is on.
    pub stream: Option<String>,
    pub ttl: Option<String>,
    /// Point-in-time recovery; unset means on for retained stages only.
    pub point_in_time_recovery: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Queue {
    pub span: Span,
    pub visibility_timeout: Option<u32>,
    pub retention: Option<u32>,
    pub delay: Option<u32>,
    pub fifo: bool,
    pub dead_letter: Option<DeadLetter>,
}

#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub max_receives: u32,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub span: Span,
    pub versioning: bool,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub span: Span,
    pub display_name: Option<String>,
}
