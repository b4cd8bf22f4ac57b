//! Beside the pipeline — CI credentials: the permissions boundary of one stack, the most any of
//! its function roles may ever do, whatever a deploy puts in their policies. `ci github` makes
//! it in its own stack, so the deploy role, which may only make and change roles that carry it,
//! can never give a role more. It allows what sls-rs grants functions (`synth::iam`'s actions,
//! read and write alike, so a changed `uses` needs no new boundary), on exactly the resources
//! of the stack and of the stacks it reads outputs from.

use super::policy::{arn, statement};
use super::scope::StackScope;
use crate::synth::iam::{
    BUCKET_LIST, LIST_STREAMS, LOGS, OBJECT_READ, OBJECT_WRITE, QUEUE_READ, QUEUE_WRITE, SEND, STREAM_READ, TABLE_READ,
    TABLE_WRITE, TOPIC_READ, TOPIC_WRITE, XRAY,
};
use serde_json::{json, Value};

/// The boundary's statements for `scope`, which may read the resources of `others`.
pub(super) fn statements(scope: &StackScope, others: &[&StackScope]) -> Vec<Value> {
    let all: Vec<&StackScope> = std::iter::once(scope).chain(others.iter().copied()).collect();
    let names = |kind: &str| -> Vec<String> { all.iter().flat_map(|s| s.names(&[kind])).map(|(n, _)| n).collect() };
    let mut out = Vec::new();
    let mut add = |sid: &str, groups: &[&[&'static str]], resources: Vec<String>| {
        if resources.is_empty() {
            return;
        }
        let mut actions: Vec<&str> = groups.concat();
        actions.sort();
        actions.dedup();
        out.push(statement(sid, &actions, resources));
    };
    let groups = names("AWS::Logs::LogGroup");
    add("Logs", &[LOGS], groups.iter().map(|g| arn("logs", &format!("log-group:{g}:*"))).collect());
    let tables = names("AWS::DynamoDB::Table");
    let table_arns = |suffix: &str| -> Vec<String> {
        tables.iter().map(|t| arn("dynamodb", &format!("table/{t}{suffix}"))).collect()
    };
    add("Tables", &[TABLE_READ, TABLE_WRITE], [table_arns(""), table_arns("/index/*")].concat());
    add("TableStreams", &[STREAM_READ], table_arns("/stream/*"));
    let queues = names("AWS::SQS::Queue");
    add("Queues", &[QUEUE_READ, QUEUE_WRITE, SEND], queues.iter().map(|q| arn("sqs", q)).collect());
    let buckets = names("AWS::S3::Bucket");
    let s3 = |suffix: &str| -> Vec<String> {
        buckets.iter().map(|b| format!("arn:${{AWS::Partition}}:s3:::{b}{suffix}")).collect()
    };
    add("Buckets", &[BUCKET_LIST], s3(""));
    add("Objects", &[OBJECT_READ, OBJECT_WRITE], s3("/*"));
    let topics = names("AWS::SNS::Topic");
    add("Topics", &[TOPIC_READ, TOPIC_WRITE], topics.iter().map(|t| arn("sns", t)).collect());
    if !tables.is_empty() {
        // Names no resource: `*` or nothing, as in the roles themselves.
        add("ListStreams", &[LIST_STREAMS], vec!["*".into()]);
    }
    if all.iter().flat_map(|s| &s.resources).any(|r| r.traced) {
        add("Tracing", &[XRAY], vec!["*".into()]);
    }
    out
}

/// The managed policy document, and its size as IAM counts it (each policy may hold 6,144
/// characters, whitespace aside).
pub(super) const MANAGED_POLICY_LIMIT: usize = 6_144;

pub(super) fn document(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}
