//! Local runtime: what `sls-rs dev` reports as it runs — typed events the command renders as
//! lines on stderr, or NDJSON on stdout with `--output json`.

pub(crate) use crate::local::triggers::{Cause, Delivery};
use std::sync::Arc;

/// A resource on the local endpoint, with a command that shows what it holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct LocalResource {
    pub kind: &'static str,
    pub name: String,
    /// Its name (queue: URL; topic: ARN) on the endpoint.
    pub address: String,
    pub inspect: String,
}

/// What `dev` does as it runs; the command decides how each is shown (lines on stderr, or
/// NDJSON on stdout with `--output json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum DevEvent {
    Built {
        handlers: usize,
        seconds: f64,
    },
    Route {
        method: String,
        base: String,
        path: String,
        function: String,
        /// The route's auth on AWS (`iam`, `jwt`), which `dev` does not check.
        #[serde(skip_serializing_if = "Option::is_none")]
        auth: Option<&'static str>,
    },
    /// A listener is up: a service's API (`service` names it at a project root), or the
    /// admin endpoints alone.
    Listening {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<String>,
    },
    /// Outputs of other services (`orders.SignupsQueueUrl`) no service in this `dev` gives:
    /// the variables made from them are empty.
    OutputsMissing {
        references: Vec<String>,
        /// Whether `dev` runs a whole project (so the outputs are not known locally at all).
        project_root: bool,
    },
    /// The AWS endpoint handlers talk to, and what `dev` created there.
    LocalAws {
        url: String,
        /// Whether `dev` started it (and will stop it, state and all).
        started: bool,
        log: Option<String>,
        resources: Vec<LocalResource>,
        seconds: f64,
    },
    /// `--host` beyond loopback: other machines reach the handlers (and, with
    /// `--expose-control`, the control routes).
    Exposed {
        host: String,
        control: bool,
    },
    /// `--remote`: queues are read on an endpoint that is not this machine.
    Remote {
        url: String,
        account: String,
        region: String,
    },
    /// A trigger ran a function.
    Triggered {
        function: String,
        cause: Cause,
        ms: u128,
        trace: String,
        /// Whether the trace continues an earlier invocation's (this one is its child).
        caused: bool,
        #[serde(flatten)]
        delivery: Delivery,
    },
    /// A trigger cannot read its source (said once until it can again).
    TriggerTrouble {
        function: String,
        what: String,
        reason: String,
    },
    /// An HTTP request answered; `function` is `None` when no route matched.
    Request {
        method: String,
        path: String,
        function: Option<String>,
        status: u16,
        ms: u128,
        /// The trace the handler ran under; what it causes carries it on.
        trace: Option<String>,
    },
    /// An event posted to `/__sls/invoke/<function>` handled.
    Invoked {
        function: String,
        ms: u128,
        trace: String,
    },
    HandlerError {
        function: String,
        error_type: String,
        message: String,
    },
    StartFailed {
        function: String,
        reason: String,
    },
    /// Another sls-rs build holds the target directory the handlers are built in.
    WaitingForBuild {
        target_dir: String,
    },
    Rebuilding,
    Swapped {
        seconds: f64,
    },
    /// The previous handlers keep serving; `output` is cargo's when it has something to say.
    RebuildFailed {
        reason: String,
        output: Option<String>,
    },
    WatchUnavailable {
        reason: String,
    },
    Stopped,
}

/// Where `dev` sends its events.
pub(crate) type Reporter = Arc<dyn Fn(DevEvent) + Send + Sync>;
