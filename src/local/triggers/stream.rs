//! Local runtime: table stream → function as Lambda's stream poller does it — each shard read in
//! order from its starting position, a batch delivered at a time, and a failed batch retried
//! (with growing pauses) until it succeeds, holding back the records after it: a fix saved
//! meanwhile is rebuilt and swapped in, and the retry then runs the new code.

use super::{error_of, payloads, Cause, Ctx, Delivery, Mark, Source, Trigger};
use crate::local::endpoint::tracer::item_key;
use aws_sdk_dynamodbstreams::types::ShardIteratorType;
use std::time::Duration;

/// How often an idle shard is read; Lambda reads about four times a second.
const IDLE: Duration = Duration::from_millis(200);

pub(crate) async fn poll(ctx: &Ctx, t: &Trigger) {
    let Source::Stream { table, arn, batch_size, from_start } = &t.source else { return };
    let streams = &ctx.clients.streams;
    let what = format!("the stream of table `{table}`");
    let mut down = false;
    // The shard being read; when it closes, its child is read from its start.
    let mut shard: Option<String> = None;
    let mut iterator = String::new();
    loop {
        if iterator.is_empty() {
            let kind =
                if *from_start || shard.is_some() { ShardIteratorType::TrimHorizon } else { ShardIteratorType::Latest };
            match next_shard(ctx, arn, shard.as_deref(), kind).await {
                Ok(Some((id, it))) => (shard, iterator) = (Some(id), it),
                Ok(None) => {}
                Err(reason) => ctx.trouble(&t.function, &what, Some(reason), &mut down),
            }
            if iterator.is_empty() {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        }
        let got = streams.get_records().shard_iterator(&iterator).limit(*batch_size as i32).send().await;
        let page = match got {
            Ok(page) => page,
            Err(e) => {
                ctx.trouble(&t.function, &what, Some(crate::aws::explain(&e)), &mut down);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        ctx.trouble(&t.function, "", None, &mut down);
        let records = page.records();
        if !records.is_empty() {
            let event = serde_json::json!({
                "Records": records.iter().map(|r| payloads::stream_record(r, arn, &ctx.region)).collect::<Vec<_>>()
            });
            let name = |r: Option<&aws_sdk_dynamodbstreams::types::Record>| {
                r.and_then(|r| r.event_name()).map(|n| n.as_str().to_string()).unwrap_or_default()
            };
            let cause = || Cause::Stream {
                table: table.clone(),
                records: records.len(),
                first: name(records.first()),
                last: name(records.last()),
            };
            let table_name = arn.split(":table/").nth(1).and_then(|t| t.split('/').next()).unwrap_or("").to_string();
            let marks: Vec<Mark> = event["Records"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| Mark::Item { table: table_name.clone(), key: item_key(&r["dynamodb"]["Keys"]) })
                .collect();
            let mut pause = Duration::from_secs(1);
            loop {
                let answer = ctx.invoke(&t.function, &event, &marks).await;
                match &answer.result {
                    Ok(_) => {
                        ctx.triggered(&t.function, cause(), &answer, Delivery::Ok);
                        break;
                    }
                    Err(doc) => {
                        let (error_type, message) = error_of(doc);
                        let delivery = Delivery::Error { error_type, message, dead_lettered: 0, retry: true };
                        ctx.triggered(&t.function, cause(), &answer, delivery);
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(Duration::from_secs(30));
                    }
                }
            }
        }
        // No next iterator: the shard is closed; its child is found above.
        iterator = page.next_shard_iterator().unwrap_or_default().to_string();
        if records.is_empty() {
            tokio::time::sleep(IDLE).await;
        }
    }
}

/// The shard to read after `closed` (the stream's first one when `None`) and an iterator on it;
/// `None` while there is none yet.
async fn next_shard(
    ctx: &Ctx,
    arn: &str,
    closed: Option<&str>,
    kind: ShardIteratorType,
) -> Result<Option<(String, String)>, String> {
    let streams = &ctx.clients.streams;
    let described = streams.describe_stream().stream_arn(arn).send().await.map_err(|e| crate::aws::explain(&e))?;
    let shards = described.stream_description().map(|d| d.shards()).unwrap_or_default();
    let next = match closed {
        None => shards.iter().find(|s| s.parent_shard_id().is_none()).or(shards.first()),
        Some(closed) => shards.iter().find(|s| s.parent_shard_id() == Some(closed)),
    };
    let Some(id) = next.and_then(|s| s.shard_id()) else { return Ok(None) };
    let got = streams.get_shard_iterator().stream_arn(arn).shard_id(id).shard_iterator_type(kind).send().await;
    let iterator = got.map_err(|e| crate::aws::explain(&e))?.shard_iterator().map(str::to_string);
    Ok(iterator.map(|it| (id.to_string(), it)))
}
