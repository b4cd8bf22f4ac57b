//! Synthesis: the declared data resources — DynamoDB tables, SQS queues, S3 buckets, SNS topics —
//! and the ids, ARNs and names other parts of the template refer to them by.

use super::cfn::{get_att, join, r#ref, sub, tag_list, Output, Props, Resource, Tag};
use super::Ctx;
use crate::config::model::ResourceKind;
use crate::plan::{OutputPlan, OutputValue, ResourcePlan};
use serde::Serialize;
use serde_json::{json, Value};

/// The ARN of a declared resource, built so it never creates a dependency cycle.
pub(super) fn arn(r: &ResourcePlan) -> Value {
    match r.kind {
        ResourceKind::Bucket => sub(&format!("arn:${{AWS::Partition}}:s3:::{}", r.physical_name)),
        ResourceKind::Topic => r#ref(&r.logical_id),
        _ => get_att(&r.logical_id, "Arn"),
    }
}

/// Where the resource is, as its environment variable tells a handler.
pub(super) fn env_value(r: &ResourcePlan) -> Value {
    match r.kind {
        ResourceKind::Bucket => sub(&r.physical_name),
        _ => r#ref(&r.logical_id),
    }
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
pub(super) struct Bucket {
    pub bucket_name: Value,
    pub bucket_encryption: Value,
    pub public_access_block_configuration: Value,
    pub ownership_controls: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_configuration: Option<Value>,
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

impl Bucket {
    /// Every bucket sls-rs makes, the user's and its own deployment bucket: encrypted, never
    /// public, owned by the account (no ACLs).
    pub(super) fn hardened(bucket_name: Value) -> Bucket {
        Bucket {
            bucket_name,
            bucket_encryption: json!({"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
            public_access_block_configuration: json!({
                "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true
            }),
            ownership_controls: json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
            lifecycle_configuration: None,
            versioning_configuration: None,
            notification_configuration: None,
            tags: Vec::new(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct BucketPolicy {
    bucket: Value,
    policy_document: Value,
}
impl Props for BucketPolicy {
    const TYPE: &'static str = "AWS::S3::BucketPolicy";
}

impl BucketPolicy {
    /// Refuses every request to the bucket (`bucket_id`, whose ARN is `arn`) not made over TLS.
    pub(super) fn tls_only(bucket_id: &str, arn: Value) -> BucketPolicy {
        let objects = join("", vec![arn.clone(), Value::String("/*".into())]);
        BucketPolicy {
            bucket: r#ref(bucket_id),
            policy_document: json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [arn, objects],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }]}),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Topic {
    topic_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    /// SNS's AWS-managed key: messages are encrypted at rest, and Lambda subscribers need no
    /// key policy of ours.
    kms_master_key_id: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for Topic {
    const TYPE: &'static str = "AWS::SNS::Topic";
}

const SNS_MANAGED_KEY: &str = "alias/aws/sns";

/// A queue that holds what failed — a queue's dead letters, a function's failed asynchronous
/// events — kept as long as SQS allows so someone can look at them.
pub(super) fn holding_queue(name: &str, fifo: bool, tags: Vec<Tag>, retain: bool) -> Resource {
    Resource::new(Queue {
        queue_name: name.to_string(),
        fifo_queue: fifo.then_some(true),
        visibility_timeout: 30,
        message_retention_period: Some(1_209_600),
        delay_seconds: None,
        redrive_policy: None,
        sqs_managed_sse_enabled: true,
        tags,
    })
    .retain(retain)
}

pub(super) fn add_all(ctx: &mut Ctx) {
    let plan = ctx.plan;
    let config = &plan.config;
    let tags = tag_list(&plan.tags);
    for r in &plan.resources {
        let id = &r.logical_id;
        let resource = match r.kind {
            ResourceKind::Table => {
                let t = &config.resources.tables[&r.name];
                let mut attrs = vec![json!({"AttributeName": t.key.name, "AttributeType": t.key.kind.as_str()})];
                let mut schema = vec![json!({"AttributeName": t.key.name, "KeyType": "HASH"})];
                if let Some(sort) = &t.sort {
                    attrs.push(json!({"AttributeName": sort.name, "AttributeType": sort.kind.as_str()}));
                    schema.push(json!({"AttributeName": sort.name, "KeyType": "RANGE"}));
                }
                Resource::new(Table {
                    table_name: r.physical_name.clone(),
                    billing_mode: "PAY_PER_REQUEST",
                    attribute_definitions: attrs,
                    key_schema: schema,
                    stream_specification: t.stream.as_ref().map(|v| json!({"StreamViewType": v})),
                    point_in_time_recovery_specification: t
                        .point_in_time_recovery
                        .unwrap_or(plan.retain)
                        .then(|| json!({"PointInTimeRecoveryEnabled": true})),
                    time_to_live_specification: t.ttl.as_ref().map(|a| json!({"AttributeName": a, "Enabled": true})),
                    sse_specification: json!({"SSEEnabled": true}),
                    tags: tags.clone(),
                })
                .retain(plan.retain)
            }
            ResourceKind::Queue => {
                let q = &config.resources.queues[&r.name];
                let redrive = r.dead_letter.as_ref().zip(q.dead_letter.as_ref()).map(|(dlq, dl)| {
                    ctx.add(&dlq.logical_id, holding_queue(&dlq.physical_name, q.fifo, tags.clone(), plan.retain));
                    json!({"deadLetterTargetArn": get_att(&dlq.logical_id, "Arn"), "maxReceiveCount": dl.max_receives})
                });
                Resource::new(Queue {
                    queue_name: r.physical_name.clone(),
                    fifo_queue: q.fifo.then_some(true),
                    visibility_timeout: r.visibility_timeout.unwrap_or(30),
                    message_retention_period: q.retention,
                    delay_seconds: q.delay,
                    redrive_policy: redrive,
                    sqs_managed_sse_enabled: true,
                    tags: tags.clone(),
                })
                .retain(plan.retain)
            }
            ResourceKind::Bucket => {
                if let Some(policy_id) = &r.policy_id {
                    ctx.add(policy_id, Resource::new(BucketPolicy::tls_only(id, arn(r))));
                }
                Resource::new(Bucket {
                    versioning_configuration: config.resources.buckets[&r.name]
                        .versioning
                        .then(|| json!({"Status": "Enabled"})),
                    tags: tags.clone(),
                    ..Bucket::hardened(sub(&r.physical_name))
                })
                .retain(plan.retain)
            }
            ResourceKind::Topic => Resource::new(Topic {
                topic_name: r.physical_name.clone(),
                display_name: config.resources.topics[&r.name].display_name.clone(),
                kms_master_key_id: SNS_MANAGED_KEY,
                tags: tags.clone(),
            }),
        };
        ctx.add(id, resource);
        for o in &r.outputs {
            output_of(ctx, o);
        }
    }
}

/// Adds an output the plan declared.
pub(super) fn output_of(ctx: &mut Ctx, o: &OutputPlan) {
    let value = match o.value {
        OutputValue::Ref => r#ref(&o.logical_id),
        OutputValue::Attribute(attr) => get_att(&o.logical_id, attr),
        OutputValue::ApiUrl => {
            super::cfn::sub(&format!("https://${{{}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}", o.logical_id))
        }
    };
    ctx.template.outputs.insert(o.key.clone(), Output::new(value, &o.description));
}
