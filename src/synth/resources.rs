//! Synthesis: the declared data resources — DynamoDB tables, SQS queues, S3 buckets, SNS topics —
//! and the ids, ARNs and names other parts of the template refer to them by.

use super::cfn::{get_att, r#ref, sub, tag_list, Output, Props, Resource, Tag};
use super::Ctx;
use crate::config::model::{EventKind, ResourceKind};
use crate::config::names::{bucket_name_template, pascal};
use serde::Serialize;
use serde_json::{json, Value};

pub fn logical_id(kind: ResourceKind, name: &str) -> String {
    let suffix = match kind {
        ResourceKind::Table => "Table",
        ResourceKind::Queue => "Queue",
        ResourceKind::Bucket => "Bucket",
        ResourceKind::Topic => "Topic",
    };
    format!("{}{suffix}", pascal(name))
}

/// The ARN of a declared resource, built so it never creates a dependency cycle.
pub fn arn(ctx: &Ctx, kind: ResourceKind, name: &str) -> Value {
    match kind {
        ResourceKind::Bucket => sub(&format!("arn:${{AWS::Partition}}:s3:::{}", bucket_name(ctx, name))),
        ResourceKind::Topic => r#ref(&logical_id(kind, name)),
        _ => get_att(&logical_id(kind, name), "Arn"),
    }
}

pub fn bucket_name(ctx: &Ctx, name: &str) -> String {
    bucket_name_template(&ctx.config.service, ctx.stage, name)
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Table {
    table_name: String,
    billing_mode: &'static str,
    attribute_definitions: Vec<Value>,
    key_schema: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_specification: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    point_in_time_recovery_specification: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_to_live_specification: Option<Value>,
    #[serde(rename = "SSESpecification")]
    sse_specification: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for Table {
    const TYPE: &'static str = "AWS::DynamoDB::Table";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Queue {
    queue_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fifo_queue: Option<bool>,
    visibility_timeout: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_retention_period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redrive_policy: Option<Value>,
    sqs_managed_sse_enabled: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for Queue {
    const TYPE: &'static str = "AWS::SQS::Queue";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bucket {
    pub bucket_name: Value,
    pub bucket_encryption: Value,
    pub public_access_block_configuration: Value,
    pub ownership_controls: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versioning_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
impl Props for Bucket {
    const TYPE: &'static str = "AWS::S3::Bucket";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Topic {
    topic_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for Topic {
    const TYPE: &'static str = "AWS::SNS::Topic";
}

pub fn add_all(ctx: &mut Ctx) {
    let config = ctx.config;
    let tags = tag_list(&ctx.tags);
    for (name, t) in &config.resources.tables {
        let mut attrs = vec![json!({"AttributeName": t.key.name, "AttributeType": t.key.kind})];
        let mut schema = vec![json!({"AttributeName": t.key.name, "KeyType": "HASH"})];
        if let Some(sort) = &t.sort {
            attrs.push(json!({"AttributeName": sort.name, "AttributeType": sort.kind}));
            schema.push(json!({"AttributeName": sort.name, "KeyType": "RANGE"}));
        }
        let id = logical_id(ResourceKind::Table, name);
        let props = Table {
            table_name: ctx.name(name),
            billing_mode: "PAY_PER_REQUEST",
            attribute_definitions: attrs,
            key_schema: schema,
            stream_specification: t.stream.as_ref().map(|v| json!({"StreamViewType": v})),
            point_in_time_recovery_specification: ctx.retain.then(|| json!({"PointInTimeRecoveryEnabled": true})),
            time_to_live_specification: t.ttl.as_ref().map(|a| json!({"AttributeName": a, "Enabled": true})),
            sse_specification: json!({"SSEEnabled": true}),
            tags: tags.clone(),
        };
        ctx.add(&id, Resource::new(props).retain(ctx.retain));
        output(ctx, &format!("{id}Name"), r#ref(&id), &format!("table `{name}`"));
        output(ctx, &format!("{id}Arn"), get_att(&id, "Arn"), &format!("table `{name}` ARN"));
    }
    for (name, q) in &config.resources.queues {
        let id = logical_id(ResourceKind::Queue, name);
        let suffix = if q.fifo { ".fifo" } else { "" };
        let redrive = q.dead_letter.as_ref().map(|dl| {
            let dlq_id = format!("{id}DeadLetter");
            let dlq = Queue {
                queue_name: format!("{}-dlq{suffix}", ctx.name(name)),
                fifo_queue: q.fifo.then_some(true),
                visibility_timeout: 30,
                message_retention_period: Some(1_209_600),
                delay_seconds: None,
                redrive_policy: None,
                sqs_managed_sse_enabled: true,
                tags: tags.clone(),
            };
            ctx.add(&dlq_id, Resource::new(dlq).retain(ctx.retain));
            output(ctx, &format!("{dlq_id}Url"), r#ref(&dlq_id), &format!("dead-letter queue of `{name}`"));
            json!({"deadLetterTargetArn": get_att(&dlq_id, "Arn"), "maxReceiveCount": dl.max_receives})
        });
        let props = Queue {
            queue_name: format!("{}{suffix}", ctx.name(name)),
            fifo_queue: q.fifo.then_some(true),
            visibility_timeout: q.visibility_timeout.unwrap_or_else(|| default_visibility(ctx, name)),
            message_retention_period: q.retention,
            delay_seconds: q.delay,
            redrive_policy: redrive,
            sqs_managed_sse_enabled: true,
            tags: tags.clone(),
        };
        ctx.add(&id, Resource::new(props).retain(ctx.retain));
        output(ctx, &format!("{id}Url"), r#ref(&id), &format!("queue `{name}` URL"));
        output(ctx, &format!("{id}Arn"), get_att(&id, "Arn"), &format!("queue `{name}` ARN"));
    }
    for (name, b) in &config.resources.buckets {
        let id = logical_id(ResourceKind::Bucket, name);
        let props = Bucket {
            bucket_name: sub(&bucket_name(ctx, name)),
            bucket_encryption: json!({"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
            public_access_block_configuration: json!({
                "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true
            }),
            ownership_controls: json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
            versioning_configuration: b.versioning.then(|| json!({"Status": "Enabled"})),
            notification_configuration: None,
            tags: tags.clone(),
        };
        ctx.add(&id, Resource::new(props).retain(ctx.retain));
        output(ctx, &format!("{id}Name"), r#ref(&id), &format!("bucket `{name}`"));
        output(ctx, &format!("{id}Arn"), get_att(&id, "Arn"), &format!("bucket `{name}` ARN"));
    }
    for (name, t) in &config.resources.topics {
        let id = logical_id(ResourceKind::Topic, name);
        let props = Topic { topic_name: ctx.name(name), display_name: t.display_name.clone(), tags: tags.clone() };
        ctx.add(&id, Resource::new(props));
        output(ctx, &format!("{id}Arn"), r#ref(&id), &format!("topic `{name}` ARN"));
    }
}

/// AWS advises six times the consumer's timeout, so a slow batch is not delivered twice.
fn default_visibility(ctx: &Ctx, queue: &str) -> u32 {
    let consumers = ctx
        .config
        .functions
        .iter()
        .filter(|f| f.events.iter().any(|e| matches!(&e.kind, EventKind::Queue { queue: q, .. } if q == queue)));
    consumers.map(|f| ctx.config.effective(ctx.stage, &f.settings).timeout * 6).max().unwrap_or(30).clamp(30, 43_200)
}

pub fn output(ctx: &mut Ctx, key: &str, value: Value, description: &str) {
    ctx.template.outputs.insert(key.to_string(), Output::new(value, description));
}
