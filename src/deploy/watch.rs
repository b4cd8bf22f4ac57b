//! Deploy stage: following a stack operation to its end — new stack events as they happen,
//! polled quickly at first and more slowly while nothing changes, and the first failures
//! (the cause, not the cascade) when it goes wrong.

use super::aws::explain;
use aws_sdk_cloudformation::Client;
use std::collections::HashSet;
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StackEvent {
    pub id: String,
    pub timestamp: f64,
    pub logical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: Option<String>,
}

impl StackEvent {
    pub fn failed(&self) -> bool {
        self.status.ends_with("_FAILED")
            && !self.reason.as_deref().is_some_and(|r| r.contains("cancelled") || r.contains("canceled"))
    }
}

#[derive(Debug)]
pub struct Finished {
    pub status: String,
    pub reason: Option<String>,
    /// Failed resources in the order they failed; the first is usually the cause.
    pub failures: Vec<StackEvent>,
}

impl Finished {
    pub fn succeeded(&self) -> bool {
        matches!(self.status.as_str(), "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE")
    }
}

/// Poll intervals: 0.5 s, growing by half each quiet poll up to 4 s, back to fast on news.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
    current: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff { first, max, current: first }
    }

    pub fn next(&mut self, saw_news: bool) -> Duration {
        self.current = if saw_news { self.first } else { (self.current.mul_f64(1.5)).min(self.max) };
        self.current
    }
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff::new(Duration::from_millis(500), Duration::from_secs(4))
    }
}

pub fn in_progress(status: &str) -> bool {
    status.ends_with("_IN_PROGRESS")
}

/// Follows `stack` until it leaves `*_IN_PROGRESS`, reporting events newer than `since`.
/// A stack that disappears counts as `DELETE_COMPLETE`.
pub async fn wait(
    cfn: &Client,
    stack: &str,
    since: SystemTime,
    mut backoff: Backoff,
    on_event: &mut (dyn FnMut(&StackEvent) + Send),
) -> Result<Finished, String> {
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
            None => ("DELETE_COMPLETE".to_string(), None),
        };
        if !in_progress(&status) {
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
) -> Result<Vec<StackEvent>, String> {
    let out = match cfn.describe_stack_events().stack_name(stack).send().await {
        Ok(out) => out,
        Err(e) if explain(&e).contains("does not exist") => return Ok(Vec::new()),
        Err(e) => return Err(explain(&e)),
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
                status: e.resource_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_when_quiet_and_resets_on_news() {
        let mut b = Backoff::default();
        let quiet: Vec<u128> = (0..6).map(|_| b.next(false).as_millis()).collect();
        assert_eq!(quiet, vec![750, 1125, 1687, 2531, 3796, 4000]);
        assert_eq!(b.next(true).as_millis(), 500);
    }
}
