//! Deploy stage: following a stack operation to its end — new stack events as they happen,
//! polled quickly at first and more slowly while nothing changes, and the first failures
//! (the cause, not the cascade) when it goes wrong.

use crate::aws::status::{Phase, ResourceStatus, StackStatus};
use crate::aws::{Backoff, CallError};
use aws_sdk_cloudformation::Client;
use std::collections::HashSet;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StackEvent {
    pub id: String,
    pub timestamp: f64,
    pub logical_id: String,
    pub resource_type: String,
    #[serde(serialize_with = "crate::aws::status::serialize")]
    pub status: ResourceStatus,
    pub reason: Option<String>,
}

impl StackEvent {
    pub(crate) fn phase(&self) -> Phase {
        Phase::of_resource(&self.status)
    }

    /// A failure of its own: resources cancelled because another failed are the cascade.
    pub(crate) fn failed(&self) -> bool {
        self.phase() == Phase::Failed
            && !self.reason.as_deref().is_some_and(|r| r.contains("cancelled") || r.contains("canceled"))
    }
}

#[derive(Debug)]
pub(crate) struct Finished {
    pub status: StackStatus,
    pub reason: Option<String>,
    /// Failed resources in the order they failed; the first is usually the cause.
    pub failures: Vec<StackEvent>,
}

impl Finished {
    pub(crate) fn succeeded(&self) -> bool {
        Phase::of_stack(&self.status) == Phase::Complete
    }

    /// Why it did not succeed: the first resource's failure, else the stack's own reason.
    pub(crate) fn cause(&self) -> String {
        self.failures.first().and_then(|f| f.reason.clone()).or_else(|| self.reason.clone()).unwrap_or_default()
    }
}

/// Follows `stack` until it leaves `*_IN_PROGRESS`, reporting events newer than `since`.
/// A stack that disappears counts as `DELETE_COMPLETE`.
pub(crate) async fn wait(
    cfn: &Client,
    stack: &str,
    since: SystemTime,
    mut backoff: Backoff,
    on_event: &mut (dyn FnMut(&StackEvent) + Send),
) -> Result<Finished, CallError> {
    let since = since.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs_f64();
    let mut seen = HashSet::new();
    let mut failures = Vec::new();
    loop {
        let events = new_events(cfn, stack, since, &mut seen).await?;
        for e in &events {
            if e.failed() {
                failures.push(e.clone());
            }
            on_event(e);
        }
        let (status, reason) = match super::stack::describe(cfn, stack).await? {
            Some(s) => (s.status, s.reason),
            None => (StackStatus::DeleteComplete, None),
        };
        // Just after a change set is executed, a new stack can still read REVIEW_IN_PROGRESS.
        let phase = Phase::of_stack(&status);
        if !phase.working() && phase != Phase::Reviewing {
            // Events can trail the status change; one more read catches the last ones.
            for e in new_events(cfn, stack, since, &mut seen).await.unwrap_or_default() {
                if e.failed() {
                    failures.push(e.clone());
                }
                on_event(&e);
            }
            return Ok(Finished { status, reason, failures });
        }
        tokio::time::sleep(backoff.next(!events.is_empty())).await;
    }
}

async fn new_events(
    cfn: &Client,
    stack: &str,
    since: f64,
    seen: &mut HashSet<String>,
) -> Result<Vec<StackEvent>, CallError> {
    let out = match cfn.describe_stack_events().stack_name(stack).send().await.map_err(CallError::from) {
        Ok(out) => out,
        Err(e) if e.is_missing_stack() => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    // Newest first, as CloudFormation returns them; the first page holds anything new.
    let mut fresh: Vec<StackEvent> = out
        .stack_events()
        .iter()
        .filter_map(|e| {
            let ts = e.timestamp().map(|t| t.as_secs_f64()).unwrap_or(0.0);
            let id = e.event_id().unwrap_or_default().to_string();
            (ts >= since - 1.0 && !seen.contains(&id)).then(|| StackEvent {
                id,
                timestamp: ts,
                logical_id: e.logical_resource_id().unwrap_or_default().to_string(),
                resource_type: e.resource_type().unwrap_or_default().to_string(),
                status: e.resource_status().cloned().unwrap_or_else(|| ResourceStatus::from("")),
                reason: e.resource_status_reason().map(str::to_string),
            })
        })
        .collect();
    fresh.reverse();
    for e in &fresh {
        seen.insert(e.id.clone());
    }
    Ok(fresh)
}
