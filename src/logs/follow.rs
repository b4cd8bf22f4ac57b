//! Following logs: CloudWatch Logs Live Tail where the service offers it, paced
//! `FilterLogEvents` otherwise (or once a session ends), and the bookkeeping that keeps the
//! switch between them from showing a line twice or skipping one.

use super::live::{self, Live};
use super::{fetch, LogLine};
use crate::aws::{Backoff, CallError};
use aws_sdk_cloudwatchlogs::Client;
use std::collections::HashMap;
use std::time::Duration;

/// How far back each poll reaches behind the newest line shown. Streams are ingested
/// independently, so a line stamped a little before the newest one can arrive after it;
/// polling from exactly the newest timestamp would lose it.
const LATE: i64 = 10_000;

/// Lines carry no id common to Live Tail and `FilterLogEvents`, so a line is known by where
/// and when it was logged and what it says.
type Key = (String, String, i64, String);

fn key(l: &LogLine) -> Key {
    (l.function.clone(), l.stream.clone(), l.timestamp, l.message.clone())
}

/// How many copies of each line have been shown. Counting, not a set: a handler that logs
/// the same text twice in one millisecond has two lines, and both are shown.
#[derive(Default)]
pub(super) struct Shown {
    counts: HashMap<Key, usize>,
}

impl Shown {
    /// `batch` is everything from some time on, as one poll returns it: the lines in it
    /// beyond the copies already shown.
    pub(super) fn unseen_in_batch(&mut self, batch: &[LogLine]) -> Vec<LogLine> {
        let mut in_batch: HashMap<Key, usize> = HashMap::new();
        let mut fresh = Vec::new();
        for l in batch {
            let k = key(l);
            let n = in_batch.entry(k.clone()).or_default();
            *n += 1;
            let shown = self.counts.entry(k).or_default();
            if *n > *shown {
                *shown += 1;
                fresh.push(l.clone());
            }
        }
        fresh
    }

    /// A streamed line is new unless the history fetched when the session opened already had
    /// it; each line of that history excuses exactly one streamed copy.
    pub(super) fn unseen_streamed(&mut self, line: &LogLine, credit: &mut HashMap<Key, usize>) -> bool {
        let k = key(line);
        if let Some(c) = credit.get_mut(&k).filter(|c| **c > 0) {
            *c -= 1;
            return false;
        }
        *self.counts.entry(k).or_default() += 1;
        true
    }

    /// Polls never again return lines older than `from`; keeping their counts would only grow.
    fn forget_before(&mut self, from: i64) {
        self.counts.retain(|k, _| k.2 >= from);
    }
}

/// How to follow.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Live Tail, polling when it is unavailable or ends; `endpoint` is the custom endpoint the
    /// clients use (moto, LocalStack), `None` for AWS itself.
    Live { endpoint: Option<String> },
    /// Polling only.
    Poll,
}

/// Shows `groups` (function, log group) from `since` on and keeps following until the
/// future is dropped (Ctrl-C). `note` gets what the user should know on stderr: a session
/// that could not open or ended, sampling by the service.
pub async fn follow(
    client: &Client,
    groups: &[(String, String)],
    since: i64,
    filter: Option<&str>,
    mode: Mode,
    emit: &mut (dyn FnMut(&LogLine) + Send),
    note: &(dyn Fn(&str) + Sync),
) -> Result<(), CallError> {
    let mut shown = Shown::default();
    let mut newest = since;
    let mut show = |l: &LogLine, newest: &mut i64| {
        emit(l);
        *newest = (*newest).max(l.timestamp);
    };
    // The session opens before the history is read: Live Tail only carries what arrives
    // after it starts, so the other order would leave a gap between the two.
    let (session, endpoint) = match mode {
        Mode::Live { endpoint } => (Some(live::open(client, groups, filter).await), endpoint),
        Mode::Poll => (None, None),
    };
    match session {
        Some(Ok(mut session)) => {
            let history = fetch(client, groups, since, filter).await?;
            shown.unseen_in_batch(&history).iter().for_each(|l| show(l, &mut newest));
            let mut credit = shown.counts.clone();
            let mut warned = false;
            loop {
                match session.recv().await {
                    Some(Live::Line(l)) if shown.unseen_streamed(&l, &mut credit) => show(&l, &mut newest),
                    Some(Live::Line(_)) => {}
                    Some(Live::Sampled) if !warned => {
                        warned = true;
                        note("more than 500 lines a second match: CloudWatch shows a sample; narrow with --filter");
                    }
                    Some(Live::Sampled) => {}
                    Some(Live::Ended(why)) => {
                        note(&format!("live tail ended ({why}); polling for new lines instead"));
                        break;
                    }
                    None => {
                        note("live tail ended; polling for new lines instead");
                        break;
                    }
                }
            }
        }
        Some(Err(why)) => {
            let why = match endpoint.as_deref().filter(|_| why.is_unreachable()) {
                Some(endpoint) => unreachable_endpoint(endpoint, &why),
                None => why.to_string(),
            };
            note(&format!("live tail unavailable ({why}); polling for new lines instead"))
        }
        None => {}
    }
    let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(3));
    let mut troubled = false;
    loop {
        let from = (newest - LATE).max(since);
        shown.forget_before(from);
        // Throttling outlasting the SDK's retries is no reason to stop following: the next
        // poll reads from the same place, and what it already showed is not shown again.
        let lines = match fetch(client, groups, from, filter).await {
            Ok(lines) => {
                if std::mem::take(&mut troubled) {
                    note("CloudWatch Logs answers again");
                }
                lines
            }
            Err(why) if why.is_transient() => {
                if !std::mem::replace(&mut troubled, true) {
                    note(&format!("{why}; still following, trying again"));
                }
                tokio::time::sleep(backoff.next(false)).await;
                continue;
            }
            Err(why) => return Err(why),
        };
        let fresh = shown.unseen_in_batch(&lines);
        fresh.iter().for_each(|l| show(l, &mut newest));
        tokio::time::sleep(backoff.next(!fresh.is_empty())).await;
    }
}

/// The SDK sends Live Tail to a `stream-` prefixed host of the endpoint, which a local endpoint
/// (moto, LocalStack) does not answer on: name the host actually tried, not "AWS".
fn unreachable_endpoint(endpoint: &str, why: &CallError) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let detail = why.to_string();
    let detail = detail.strip_prefix("cannot reach AWS: ").unwrap_or(&detail);
    format!("cannot reach {scheme}://stream-{rest}, the host the SDK uses for Live Tail on {endpoint}: {detail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(stream: &str, ts: i64, msg: &str) -> LogLine {
        LogLine { function: "api".into(), timestamp: ts, message: msg.into(), stream: stream.into() }
    }

    #[test]
    fn an_unreachable_live_tail_names_the_stream_host_it_tried() {
        let why = CallError::other("cannot reach AWS: failed to lookup address information");
        assert_eq!(
            unreachable_endpoint("http://localhost:5000", &why),
            "cannot reach http://stream-localhost:5000, the host the SDK uses for Live Tail on \
             http://localhost:5000: failed to lookup address information"
        );
    }

    #[test]
    fn overlapping_polls_show_each_line_once_and_real_repeats_twice() {
        let mut shown = Shown::default();
        let first = vec![line("a", 1, "x"), line("a", 1, "x")];
        assert_eq!(shown.unseen_in_batch(&first).len(), 2, "the same text twice is two lines");
        let second = vec![line("a", 1, "x"), line("a", 1, "x"), line("b", 0, "late"), line("a", 2, "y")];
        let fresh = shown.unseen_in_batch(&second);
        assert_eq!(fresh, vec![line("b", 0, "late"), line("a", 2, "y")]);
        assert!(shown.unseen_in_batch(&second).is_empty());
    }

    #[test]
    fn streamed_lines_already_in_the_history_are_skipped_once() {
        let mut shown = Shown::default();
        shown.unseen_in_batch(&[line("a", 5, "boot")]);
        let mut credit = shown.counts.clone();
        assert!(!shown.unseen_streamed(&line("a", 5, "boot"), &mut credit), "history overlap");
        assert!(shown.unseen_streamed(&line("a", 5, "boot"), &mut credit), "a second, real copy");
        assert!(shown.unseen_streamed(&line("a", 6, "next"), &mut credit));
        // Polling after the session counts what the session showed.
        let poll = vec![line("a", 5, "boot"), line("a", 5, "boot"), line("a", 6, "next"), line("a", 7, "new")];
        assert_eq!(shown.unseen_in_batch(&poll), vec![line("a", 7, "new")]);
    }

    #[test]
    fn forgetting_keeps_what_polls_can_still_return() {
        let mut shown = Shown::default();
        shown.unseen_in_batch(&[line("a", 1, "old"), line("a", 20, "new")]);
        shown.forget_before(10);
        assert!(shown.unseen_in_batch(&[line("a", 20, "new")]).is_empty());
        assert_eq!(shown.counts.len(), 1);
    }
}
