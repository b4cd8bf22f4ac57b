//! Local runtime: the event sources sls-rs runs itself, as Lambda's pollers and AWS's
//! notifications would — queue → function (batches, partial failures, redrive), uploads, topic
//! messages and matching events (through relay queues), table streams and schedules — each
//! delivery the event Lambda would send, each outcome reported as a `DevEvent`.

mod payloads;
mod queue;
pub(crate) mod schedule;
mod stream;

use crate::local::endpoint::services::Clients;
use crate::local::endpoint::tracer::Mark;
use crate::local::runtime::pool::Pool;
use crate::local::session::dev::{DevEvent, Reporter};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// One event source of one function.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub function: String,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub(crate) enum Source {
    Queue {
        name: String,
        url: String,
        arn: String,
        batch_size: u32,
        window: u32,
        max_receives: Option<u32>,
    },
    /// Uploads, topic messages and matching events, which the endpoint sends to a relay queue.
    Relay {
        url: String,
        relay: Relay,
    },
    Stream {
        table: String,
        arn: String,
        batch_size: u32,
        from_start: bool,
    },
    Schedule {
        expression: Box<crate::config::Schedule>,
        enabled: bool,
        input: Option<serde_json::Value>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Relay {
    Upload { bucket: String },
    Topic { topic: String },
    EventBridge { bus: String },
}

/// What started an invocation, as the `dev` log shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "trigger", rename_all = "snake_case")]
pub(crate) enum Cause {
    Queue {
        queue: String,
        messages: usize,
    },
    Upload {
        bucket: String,
        key: String,
        size: u64,
    },
    Topic {
        topic: String,
        message_id: String,
    },
    #[serde(rename = "eventbridge")]
    EventBridge {
        bus: String,
        source: String,
        detail_type: String,
    },
    Stream {
        table: String,
        records: usize,
        first: String,
        last: String,
    },
    Schedule {
        expression: String,
        manual: bool,
    },
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub(crate) enum Delivery {
    Ok,
    /// Some messages of a batch failed (`batchItemFailures`); they return to the queue, and
    /// `dead_lettered` of them have used their last receive and move to the dead-letter queue.
    PartialFailure {
        failed: usize,
        of: usize,
        dead_lettered: usize,
    },
    /// The handler failed, crashed or timed out; what it was given will be delivered again
    /// (`retry`) or, for a queue batch, `dead_lettered` of its messages move on.
    Error {
        error_type: String,
        message: String,
        dead_lettered: usize,
        retry: bool,
    },
}

/// What every trigger task shares.
pub(crate) struct Ctx {
    /// The endpoint itself (handlers reach a local one through the tracing proxy instead).
    pub endpoint: String,
    pub clients: Clients,
    /// Which trace created what a trigger delivers.
    pub tracer: Arc<crate::local::endpoint::tracer::Tracer>,
    pub region: String,
    pub account: String,
    pub pools: BTreeMap<String, Arc<Pool>>,
    pub report: Reporter,
    /// Concurrent pollers per queue, as Lambda runs several (each waits for an instance).
    pub pollers: usize,
}

/// Starts a task per trigger; abort them to stop.
pub(crate) fn spawn_all(ctx: Arc<Ctx>, triggers: &[Trigger]) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    let copies = |t: &Trigger| if matches!(t.source, Source::Queue { .. }) { ctx.pollers.max(1) } else { 1 };
    for t in triggers.iter().flat_map(|t| std::iter::repeat_n(t, copies(t))) {
        let (ctx, t) = (Arc::clone(&ctx), t.clone());
        tasks.push(tokio::spawn(async move {
            match &t.source {
                Source::Queue { .. } => queue::poll(&ctx, &t).await,
                Source::Relay { url, relay } => queue::relay(&ctx, &t.function, url, relay).await,
                Source::Stream { .. } => stream::poll(&ctx, &t).await,
                Source::Schedule { expression, enabled, input } => {
                    schedule::run(&ctx, &t.function, expression, *enabled, input.as_ref()).await
                }
            }
        }));
    }
    tasks
}

/// The handler's answer to one delivery: its payload, or Lambda's error document.
pub(crate) struct Answer {
    pub result: Result<Vec<u8>, serde_json::Value>,
    pub ms: u128,
    pub trace: String,
    /// Whether the trace continued the one that caused the delivery.
    pub caused: bool,
}

impl Ctx {
    /// Runs `function` on `event` on a warm instance (the current build's, after a swap),
    /// continuing the trace of what `marks` were created by, if any was traced.
    pub(crate) async fn invoke(&self, function: &str, event: &serde_json::Value, marks: &[Mark]) -> Answer {
        let started = Instant::now();
        let cause = self.tracer.find_settled(marks).await;
        let caused = cause.is_some();
        let (result, trace) = match self.pools.get(function) {
            Some(pool) => match pool.invoke(event.to_string().into_bytes(), cause.clone()).await {
                Ok(outcome) => (outcome.result, outcome.trace),
                Err(e) => {
                    let doc = serde_json::json!({"errorType": "Runtime.StartError", "errorMessage": e.to_string()});
                    (Err(doc), cause.unwrap_or_default())
                }
            },
            None => {
                let doc = serde_json::json!({"errorType": "Runtime.Unknown", "errorMessage": "no such function"});
                (Err(doc), cause.unwrap_or_default())
            }
        };
        Answer { result, ms: started.elapsed().as_millis(), trace, caused }
    }

    pub(crate) fn triggered(&self, function: &str, cause: Cause, answer: &Answer, delivery: Delivery) {
        (self.report)(DevEvent::Triggered {
            function: function.to_string(),
            cause,
            ms: answer.ms,
            trace: answer.trace.clone(),
            caused: answer.caused,
            delivery,
        });
    }

    /// A source that cannot be read right now; said once per outage, not once per poll.
    pub(crate) fn trouble(&self, function: &str, what: &str, error: Option<String>, shown: &mut bool) {
        match error {
            Some(reason) if !*shown => {
                *shown = true;
                (self.report)(DevEvent::TriggerTrouble { function: function.into(), what: what.into(), reason });
            }
            Some(_) => {}
            None => *shown = false,
        }
    }
}

/// The error document's type and message, for reporting.
pub(crate) fn error_of(doc: &serde_json::Value) -> (String, String) {
    let field = |k: &str| doc[k].as_str().unwrap_or("").to_string();
    let kind = field("errorType");
    (if kind.is_empty() { "Error".into() } else { kind }, field("errorMessage"))
}
