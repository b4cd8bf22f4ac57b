//! Local runtime: table stream → function as Lambda's stream poller does it — each shard read in
//! order from its starting position, a batch delivered at a time, and a failed batch retried
//! (with growing pauses) until it succeeds, holding back the records after it: a fix saved
//! meanwhile is rebuilt and swapped in, and the retry then runs the new code.

use super::super::tracer::item_key;
use super::{error_of, shapes, Cause, Ctx, Delivery, Mark, Source, Trigger};
use aws_sdk_dynamodbstreams::types::ShardIteratorType;
use std::time::Duration;

/// How often an idle shard is read; Lambda reads about four times a second.
const IDLE: Duration = Duration::from_millis(200);

pub(super) async fn poll(ctx: &Ctx, t: &Trigger) {
    let Source::Stream { table, arn, batch_size, from_start } = &t.source else { return };
    let streams = &ctx.clients.streams;
    let what = format!("the stream of table `{table}`");
    let mut down = false;
    let mut iterator = loop {
        match first_iterator(ctx, arn, *from_start).await {
            Ok(Some(it)) => break it,
            Ok(None) => return,
            Err(reason) => ctx.trouble(&t.function, &what, Some(reason), &mut down),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    loop {
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
                "Records": records.iter().map(|r| shapes::stream_record(r, arn, &ctx.region)).collect::<Vec<_>>()
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
        match page.next_shard_iterator() {
            Some(next) => iterator = next.to_string(),
            None => return, // the shard is closed
        }
        if records.is_empty() {
            tokio::time::sleep(IDLE).await;
        }
    }
}

/// An iterator on the stream's first shard at the configured position; `None` when it has none.
async fn first_iterator(ctx: &Ctx, arn: &str, from_start: bool) -> Result<Option<String>, String> {
    let streams = &ctx.clients.streams;
    let described = streams.describe_stream().stream_arn(arn).send().await.map_err(|e| crate::aws::explain(&e))?;
    let shard = described.stream_description().and_then(|d| d.shards().first()).and_then(|s| s.shard_id());
    let Some(shard) = shard else { return Ok(None) };
    let kind = if from_start { ShardIteratorType::TrimHorizon } else { ShardIteratorType::Latest };
    let got = streams.get_shard_iterator().stream_arn(arn).shard_id(shard).shard_iterator_type(kind).send().await;
    Ok(got.map_err(|e| crate::aws::explain(&e))?.shard_iterator().map(str::to_string))
}
