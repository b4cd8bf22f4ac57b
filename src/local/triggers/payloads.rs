//! Local runtime: the events Lambda builds from what the endpoint holds — an SQS record from a
//! received message, S3/SNS/EventBridge events from what arrived on a relay queue, a DynamoDB
//! stream record from the streams API — field for field as AWS sends them.

use super::{Cause, Mark, Relay};
use aws_sdk_sqs::types::{Message, MessageAttributeValue};
use serde_json::{json, Map, Value};

/// A received SQS message as a record of Lambda's SQS event.
pub(crate) fn sqs_record(m: &Message, queue_arn: &str, region: &str) -> Value {
    let attributes: Map<String, Value> =
        m.attributes().into_iter().flatten().map(|(k, v)| (k.as_str().to_string(), Value::String(v.clone()))).collect();
    let message_attributes: Map<String, Value> =
        m.message_attributes().into_iter().flatten().map(|(k, v)| (k.clone(), message_attribute(v))).collect();
    json!({
        "messageId": m.message_id(),
        "receiptHandle": m.receipt_handle(),
        "body": m.body().unwrap_or(""),
        "attributes": attributes,
        "messageAttributes": message_attributes,
        "md5OfBody": m.md5_of_body(),
        "md5OfMessageAttributes": m.md5_of_message_attributes(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    })
}

/// Lambda's camel-cased form of a message attribute.
fn message_attribute(v: &MessageAttributeValue) -> Value {
    use base64::Engine;
    let b64 = |b: &aws_smithy_types::Blob| Value::String(base64::engine::general_purpose::STANDARD.encode(b.as_ref()));
    json!({
        "stringValue": v.string_value(),
        "binaryValue": v.binary_value().map(b64),
        "stringListValues": v.string_list_values(),
        "binaryListValues": v.binary_list_values().iter().map(b64).collect::<Vec<_>>(),
        "dataType": v.data_type(),
    })
}

/// The event a relayed message stands for, what to call its cause, and the mark a traced call
/// would have left on it; `None` for messages that are not events (S3's `s3:TestEvent` when
/// notifications are configured).
pub(crate) fn from_relay(relay: &Relay, body: &Value, region: &str, account: &str) -> Option<(Value, Cause, Mark)> {
    match relay {
        Relay::Upload { bucket } => {
            let mut records = body.get("Records")?.as_array()?.clone();
            let first = records.first()?.clone();
            // The endpoint's record lacks fields S3 sends; handlers deserialising the full
            // shape (aws_lambda_events) should not trip on a local difference.
            for r in &mut records {
                if let Some(key) = r.pointer_mut("/s3/object/key") {
                    *key = Value::String(s3_key_encoding(&url_decode(key.as_str().unwrap_or(""))));
                }
                fill(
                    r,
                    json!({
                        "userIdentity": {"principalId": format!("AWS:{account}")},
                        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                        "responseElements": {"x-amz-request-id": "sls-rs-local", "x-amz-id-2": "sls-rs-local"},
                        "s3": {"bucket": {"ownerIdentity": {"principalId": account}}, "object": {"sequencer": "0000000000000000"}}
                    }),
                );
            }
            let object = &first["s3"]["object"];
            let key = url_decode(object["key"].as_str().unwrap_or(""));
            let mark =
                Mark::Object { bucket: first["s3"]["bucket"]["name"].as_str().unwrap_or("").into(), key: key.clone() };
            let cause = Cause::Upload { bucket: bucket.clone(), key, size: object["size"].as_u64().unwrap_or(0) };
            Some((json!({ "Records": records }), cause, mark))
        }
        Relay::Topic { topic } => {
            let field = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
            let topic_arn = field("TopicArn");
            let message_id = field("MessageId").as_str().unwrap_or("").to_string();
            let record = json!({
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": format!("{}:{}", topic_arn.as_str().unwrap_or(""), crate::local::runtime::instance::request_id()),
                "Sns": {
                    "Type": field("Type"), "MessageId": message_id, "TopicArn": topic_arn,
                    "Subject": field("Subject"), "Message": field("Message"), "Timestamp": field("Timestamp"),
                    "SignatureVersion": field("SignatureVersion"), "Signature": field("Signature"),
                    "SigningCertUrl": field("SigningCertURL"), "UnsubscribeUrl": field("UnsubscribeURL"),
                    "MessageAttributes": body.get("MessageAttributes").cloned().unwrap_or_else(|| json!({})),
                }
            });
            body.get("Message")?;
            let mark = Mark::Notification(message_id.clone());
            Some((json!({ "Records": [record] }), Cause::Topic { topic: topic.clone(), message_id }, mark))
        }
        Relay::EventBridge { bus } => {
            body.get("detail-type")?;
            let mut event = body.clone();
            fill(
                &mut event,
                json!({"version": "0", "account": account, "region": region, "resources": [], "detail": {}}),
            );
            let text = |k: &str| body[k].as_str().unwrap_or("").to_string();
            let cause =
                Cause::EventBridge { bus: bus.clone(), source: text("source"), detail_type: text("detail-type") };
            Some((event, cause, Mark::Event(text("id"))))
        }
    }
}

/// A key as S3 writes it in events: form-encoded (space as `+`), with `/` left as it is.
/// The endpoint may encode differently (moto encodes `/` too); handlers match on prefixes.
fn s3_key_encoding(key: &str) -> String {
    let mut out = String::new();
    for b in key.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Undoes form encoding (`+` is a space; a literal `+` arrives as `%2B`).
fn url_decode(text: &str) -> String {
    crate::local::http::api::percent_decode(&text.replace('+', " "))
}

/// Adds `defaults`' fields that `target` lacks, recursively; never overwrites.
fn fill(target: &mut Value, defaults: Value) {
    let (Some(t), Value::Object(d)) = (target.as_object_mut(), defaults) else { return };
    for (k, v) in d {
        match t.get_mut(&k) {
            Some(existing) if existing.is_object() && v.is_object() => fill(existing, v),
            Some(_) => {}
            None => {
                t.insert(k, v);
            }
        }
    }
}

/// A stream record as a record of Lambda's DynamoDB event.
pub(crate) fn stream_record(r: &aws_sdk_dynamodbstreams::types::Record, stream_arn: &str, region: &str) -> Value {
    let mut change = Map::new();
    if let Some(d) = r.dynamodb() {
        if let Some(t) = d.approximate_creation_date_time() {
            change.insert("ApproximateCreationDateTime".into(), json!(t.secs()));
        }
        for (key, image) in [("Keys", d.keys()), ("NewImage", d.new_image()), ("OldImage", d.old_image())] {
            if let Some(image) = image {
                change.insert(key.into(), item(image));
            }
        }
        change.insert("SequenceNumber".into(), json!(d.sequence_number()));
        change.insert("SizeBytes".into(), json!(d.size_bytes()));
        change.insert("StreamViewType".into(), json!(d.stream_view_type().map(|v| v.as_str())));
    }
    json!({
        "eventID": r.event_id(),
        "eventName": r.event_name().map(|n| n.as_str()),
        "eventVersion": r.event_version().unwrap_or("1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": change,
        "eventSourceARN": stream_arn,
    })
}

fn item(image: &std::collections::HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>) -> Value {
    Value::Object(image.iter().map(|(k, v)| (k.clone(), attribute(v))).collect())
}

/// DynamoDB's JSON form of an attribute value (`{"S": "x"}`, `{"N": "1"}`, …).
fn attribute(v: &aws_sdk_dynamodbstreams::types::AttributeValue) -> Value {
    use aws_sdk_dynamodbstreams::types::AttributeValue as A;
    use base64::Engine;
    let b64 = |b: &aws_smithy_types::Blob| base64::engine::general_purpose::STANDARD.encode(b.as_ref());
    match v {
        A::S(s) => json!({ "S": s }),
        A::N(n) => json!({ "N": n }),
        A::B(b) => json!({ "B": b64(b) }),
        A::Ss(ss) => json!({ "SS": ss }),
        A::Ns(ns) => json!({ "NS": ns }),
        A::Bs(bs) => json!({ "BS": bs.iter().map(b64).collect::<Vec<_>>() }),
        A::M(m) => json!({ "M": item(m) }),
        A::L(l) => json!({ "L": l.iter().map(attribute).collect::<Vec<_>>() }),
        A::Null(n) => json!({ "NULL": n }),
        A::Bool(b) => json!({ "BOOL": b }),
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sns_envelope_becomes_a_lambda_sns_record() {
        let body = json!({
            "Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:eu-west-1:000000000000:t",
            "Message": "hello", "Timestamp": "2026-11-27T03:00:00.000Z", "SignatureVersion": "1",
            "Signature": "sig", "SigningCertURL": "https://cert", "UnsubscribeURL": "https://unsub"
        });
        let (event, cause, mark) =
            from_relay(&Relay::Topic { topic: "t".into() }, &body, "eu-west-1", "000000000000").unwrap();
        assert_eq!(mark, Mark::Notification("m-1".into()), "a traced publish is found by its message id");
        let sns = &event["Records"][0]["Sns"];
        assert_eq!(sns["Message"], "hello");
        assert_eq!(sns["SigningCertUrl"], "https://cert");
        assert_eq!(event["Records"][0]["EventSource"], "aws:sns");
        assert_eq!(cause, Cause::Topic { topic: "t".into(), message_id: "m-1".into() });
    }

    #[test]
    fn s3_test_events_are_not_uploads() {
        let body = json!({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"});
        assert!(from_relay(&Relay::Upload { bucket: "b".into() }, &body, "eu-west-1", "0").is_none());
    }

    #[test]
    fn an_upload_record_gains_the_fields_the_endpoint_left_out() {
        // moto form-encodes `/` as well; S3 leaves it.
        let body = json!({"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "images%2Fmy+cat%C3%A9.png", "size": 3}}}]});
        let (event, cause, _) =
            from_relay(&Relay::Upload { bucket: "uploads".into() }, &body, "eu-west-1", "0").unwrap();
        let r = &event["Records"][0];
        assert_eq!(r["s3"]["object"]["key"], "images/my+cat%C3%A9.png");
        assert!(r["s3"]["object"]["sequencer"].is_string() && r["userIdentity"]["principalId"].is_string());
        assert_eq!(cause, Cause::Upload { bucket: "uploads".into(), key: "images/my caté.png".into(), size: 3 });
    }
}
