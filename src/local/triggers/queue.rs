//! Local runtime: queue → function as Lambda's SQS poller does it — long-poll, gather a batch
//! (up to `batch_size`, within the batch window), deliver it, delete what succeeded, leave the
//! rest to return after the visibility timeout (and, past `max_receives`, to the endpoint's
//! redrive into the dead-letter queue). Relay queues carry uploads, topic messages and matching
//! events; each of those is one asynchronous invocation, retried twice as Lambda retries them.

use super::{error_of, payloads, Cause, Ctx, Delivery, Mark, Relay, Source, Trigger};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Longest long-poll SQS allows; a message that arrives meanwhile is returned at once.
const LONG_POLL: i32 = 20;
/// Lambda invokes an asynchronous event at most three times.
const ASYNC_ATTEMPTS: u32 = 3;

pub(crate) async fn poll(ctx: &Ctx, t: &Trigger) {
    let Source::Queue { name, url, arn, batch_size, window, max_receives, .. } = &t.source else { return };
    let mut down = false;
    loop {
        let batch = match gather(ctx, url, *batch_size as usize, Duration::from_secs(u64::from(*window))).await {
            Ok(batch) => batch,
            Err(reason) => {
                ctx.trouble(&t.function, &format!("queue `{name}`"), Some(reason), &mut down);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        ctx.trouble(&t.function, "", None, &mut down);
        if batch.is_empty() {
            continue;
        }
        let records: Vec<_> = batch.iter().map(|m| payloads::sqs_record(m, arn, &ctx.region)).collect();
        let marks: Vec<Mark> = batch.iter().filter_map(|m| m.message_id()).map(|id| Mark::Message(id.into())).collect();
        let answer = ctx.invoke(&t.function, &serde_json::json!({ "Records": records }), &marks).await;
        let ids: Vec<&str> = batch.iter().map(|m| m.message_id().unwrap_or("")).collect();
        let failed = match &answer.result {
            Ok(payload) => failed_items(payload, &ids),
            Err(_) => ids.iter().map(|s| s.to_string()).collect(),
        };
        let done: Vec<&Message> = batch.iter().filter(|m| !failed.contains(m.message_id().unwrap_or(""))).collect();
        delete(ctx, url, &done).await;
        // The endpoint moves a message to the dead-letter queue when it would be received once
        // more than `max_receives` allows; these have had their last chance.
        let dead_lettered = batch
            .iter()
            .filter(|m| failed.contains(m.message_id().unwrap_or("")))
            .filter(|m| max_receives.is_some_and(|max| receive_count(m) >= max))
            .count();
        let delivery = match &answer.result {
            Err(doc) => {
                let (error_type, message) = error_of(doc);
                Delivery::Error { error_type, message, dead_lettered, retry: dead_lettered < batch.len() }
            }
            Ok(_) if failed.is_empty() => Delivery::Ok,
            Ok(_) => Delivery::PartialFailure { failed: failed.len(), of: batch.len(), dead_lettered },
        };
        ctx.triggered(&t.function, Cause::Queue { queue: name.clone(), messages: batch.len() }, &answer, delivery);
    }
}

/// Up to `size` messages: waits for the first, then gathers more for at most `window`.
async fn gather(ctx: &Ctx, url: &str, size: usize, window: Duration) -> Result<Vec<Message>, String> {
    let mut batch: Vec<Message> = Vec::new();
    let mut until: Option<Instant> = None;
    loop {
        let wait = match until {
            None => LONG_POLL,
            Some(end) => end.saturating_duration_since(Instant::now()).as_secs() as i32,
        };
        let want = (size - batch.len()).min(10) as i32;
        let got = receive(ctx, url, want, wait).await?;
        let full_page = got.len() as i32 == want;
        batch.extend(got);
        if batch.is_empty() {
            return Ok(batch);
        }
        let end = *until.get_or_insert_with(|| Instant::now() + window);
        // Without a window, Lambda takes what one poll returns unless the queue has more ready.
        if batch.len() >= size || (Instant::now() >= end && !full_page) {
            return Ok(batch);
        }
    }
}

async fn receive(ctx: &Ctx, url: &str, max: i32, wait: i32) -> Result<Vec<Message>, String> {
    let got = ctx
        .clients
        .sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(max.clamp(1, 10))
        .wait_time_seconds(wait.clamp(0, LONG_POLL))
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .message_attribute_names("All")
        .send()
        .await
        .map_err(|e| crate::aws::explain(&e))?;
    Ok(got.messages.unwrap_or_default())
}

/// The ids of a batch's failed messages, from a `ReportBatchItemFailures` response. As Lambda
/// does, a response naming a message that is not in the batch fails the whole batch.
fn failed_items(payload: &[u8], ids: &[&str]) -> BTreeSet<String> {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(payload) else { return BTreeSet::new() };
    let Some(items) = doc.get("batchItemFailures").and_then(|v| v.as_array()) else { return BTreeSet::new() };
    let named: Option<BTreeSet<String>> =
        items.iter().map(|i| i["itemIdentifier"].as_str().filter(|id| ids.contains(id)).map(str::to_string)).collect();
    named.unwrap_or_else(|| ids.iter().map(|s| s.to_string()).collect())
}

fn receive_count(m: &Message) -> u32 {
    let attrs = m.attributes();
    let count = attrs.and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount));
    count.and_then(|c| c.parse().ok()).unwrap_or(1)
}

async fn delete(ctx: &Ctx, url: &str, messages: &[&Message]) {
    for chunk in messages.chunks(10) {
        let entries: Vec<_> = chunk
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let handle = m.receipt_handle()?;
                DeleteMessageBatchRequestEntry::builder().id(i.to_string()).receipt_handle(handle).build().ok()
            })
            .collect();
        // A delete that fails leaves the message to come back: delivered twice, never lost.
        let _ = ctx.clients.sqs.delete_message_batch().queue_url(url).set_entries(Some(entries)).send().await;
    }
}

pub(crate) async fn relay(ctx: &Ctx, function: &str, url: &str, relay: &Relay) {
    let mut down = false;
    loop {
        let messages = match receive(ctx, url, 10, LONG_POLL).await {
            Ok(m) => m,
            Err(reason) => {
                ctx.trouble(function, "a relay queue", Some(reason), &mut down);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        ctx.trouble(function, "", None, &mut down);
        for m in messages {
            let body: serde_json::Value = serde_json::from_str(m.body().unwrap_or("")).unwrap_or_default();
            let Some((event, cause, mark)) = payloads::from_relay(relay, &body, &ctx.region, &ctx.account) else {
                // S3's test event when notifications are set up, or something not ours.
                delete(ctx, url, &[&m]).await;
                continue;
            };
            let answer = ctx.invoke(function, &event, &[mark]).await;
            let delivery = match &answer.result {
                Ok(_) => Delivery::Ok,
                Err(doc) => {
                    let (error_type, message) = error_of(doc);
                    Delivery::Error { error_type, message, dead_lettered: 0, retry: receive_count(&m) < ASYNC_ATTEMPTS }
                }
            };
            if !matches!(delivery, Delivery::Error { retry: true, .. }) {
                delete(ctx, url, &[&m]).await;
            }
            ctx.triggered(function, cause, &answer, delivery);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::failed_items;

    #[test]
    fn a_partial_batch_response_fails_only_the_named_messages() {
        let failed = failed_items(br#"{"batchItemFailures":[{"itemIdentifier":"b"}]}"#, &["a", "b", "c"]);
        assert_eq!(failed.into_iter().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn no_failures_or_a_plain_payload_means_all_succeeded() {
        assert!(failed_items(br#"{"batchItemFailures":[]}"#, &["a"]).is_empty());
        assert!(failed_items(b"null", &["a"]).is_empty());
        assert!(failed_items(b"\"done\"", &["a"]).is_empty());
    }

    #[test]
    fn naming_an_unknown_or_empty_id_fails_the_whole_batch() {
        assert_eq!(failed_items(br#"{"batchItemFailures":[{"itemIdentifier":"zz"}]}"#, &["a", "b"]).len(), 2);
        assert_eq!(failed_items(br#"{"batchItemFailures":[{"itemIdentifier":""}]}"#, &["a", "b"]).len(), 2);
    }
}
