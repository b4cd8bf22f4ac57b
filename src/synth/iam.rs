//! Synthesis: least-privilege IAM — exactly the actions a function's `uses` and events need, on
//! exactly the resources involved. No `*` actions; no `*` resources but for the actions that
//! take none (X-Ray's, DynamoDB's ListStreams).

use super::cfn::{get_att, sub, Statement};
use super::resources::arn;
use super::Ctx;
use crate::config::model::{Access, EventKind, Function, ResourceKind};
use crate::plan::{FailurePlan, FailureQueue, FunctionPlan, RemoteUsePlan, ResourcePlan};
use serde_json::Value;

pub(crate) const TABLE_READ: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
];
pub(crate) const TABLE_WRITE: &[&str] =
    &["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
pub(crate) const QUEUE_READ: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
];
pub(crate) const QUEUE_WRITE: &[&str] = &["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"];
pub(crate) const BUCKET_LIST: &[&str] = &["s3:ListBucket"];
pub(crate) const OBJECT_READ: &[&str] = &["s3:GetObject"];
pub(crate) const OBJECT_WRITE: &[&str] = &["s3:DeleteObject", "s3:PutObject"];
pub(crate) const TOPIC_READ: &[&str] = &["sns:GetTopicAttributes"];
pub(crate) const TOPIC_WRITE: &[&str] = &["sns:Publish"];
pub(crate) const STREAM_READ: &[&str] =
    &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"];
pub(crate) const LOGS: &[&str] = &["logs:CreateLogStream", "logs:PutLogEvents"];
/// X-Ray takes no resource-level permissions: these two are granted on `*` or not at all.
pub(crate) const XRAY: &[&str] = &["xray:PutTelemetryRecords", "xray:PutTraceSegments"];
pub(crate) const SEND: &[&str] = &["sqs:SendMessage"];
/// Takes no resource-level permissions, like X-Ray's.
pub(crate) const LIST_STREAMS: &[&str] = &["dynamodb:ListStreams"];

/// The queue a function's failed asynchronous events go to.
pub(crate) fn failure_queue_arn(ctx: &Ctx, failure: &FailurePlan) -> Option<Value> {
    match &failure.queue {
        FailureQueue::Own { logical_id, .. } => Some(get_att(logical_id, "Arn")),
        FailureQueue::Declared(name) => ctx.resource(ResourceKind::Queue, name).map(arn),
    }
}

/// The statements for the function declared as `decl` and planned as `f`.
pub(crate) fn statements(ctx: &Ctx, decl: &Function, f: &FunctionPlan) -> Vec<Statement> {
    let mut out = vec![Statement::allow(LOGS, vec![get_att(&f.ids.log_group, "Arn")])];
    for u in &decl.uses {
        let Some(kind) = ctx.plan.config.resources.kind_of(&u.resource) else { continue };
        out.extend(ctx.resource(kind, &u.resource).map(|r| for_access(r, u.access)).unwrap_or_default());
    }
    for r in &f.remote {
        out.extend(for_remote(r));
    }
    if let Some(queue) = f.on_failure.as_ref().and_then(|failure| failure_queue_arn(ctx, failure)) {
        // Lambda sends to the destination with the function's own role.
        out.push(Statement::allow(SEND, vec![queue]));
    }
    if f.settings.tracing {
        out.push(Statement::allow(XRAY, vec![Value::String("*".into())]));
    }
    for e in &decl.events {
        match &e.kind {
            EventKind::Queue { queue, .. } => {
                let Some(queue) = ctx.resource(ResourceKind::Queue, queue) else { continue };
                out.push(Statement::allow(QUEUE_READ, vec![arn(queue)]))
            }
            EventKind::Stream { table, .. } => {
                let Some(table) = ctx.resource(ResourceKind::Table, table) else { continue };
                let id = &table.logical_id;
                out.push(Statement::allow(STREAM_READ, vec![get_att(id, "StreamArn")]));
                // ListStreams names no resource (IAM's Service Authorization Reference): `*`
                // or never allowed. It only lists streams' ARNs.
                out.push(Statement::allow(LIST_STREAMS, vec![Value::String("*".into())]));
            }
            _ => {}
        }
    }
    merge(out)
}

fn for_access(r: &ResourcePlan, access: Access) -> Vec<Statement> {
    let base = arn(r);
    let pick = |read, write| pick(access, read, write);
    match r.kind {
        ResourceKind::Table => {
            let id = &r.logical_id;
            let indexes = sub(&format!("${{{id}.Arn}}/index/*"));
            let mut resources = vec![base.clone()];
            if access.reads() {
                resources.push(indexes);
            }
            vec![statement(pick(TABLE_READ, TABLE_WRITE), resources)]
        }
        ResourceKind::Queue => vec![statement(pick(QUEUE_READ, QUEUE_WRITE), vec![base])],
        ResourceKind::Topic => vec![statement(pick(TOPIC_READ, TOPIC_WRITE), vec![base])],
        ResourceKind::Bucket => {
            let objects = sub(&format!("arn:${{AWS::Partition}}:s3:::{}/*", r.physical_name));
            let mut out = vec![statement(pick(OBJECT_READ, OBJECT_WRITE), vec![objects])];
            if access.reads() {
                out.push(statement(BUCKET_LIST.to_vec(), vec![base]));
            }
            out
        }
    }
}

/// Another service's resource: the same actions, on the ARN its stack output gave.
fn for_remote(r: &RemoteUsePlan) -> Vec<Statement> {
    let arn = super::cfn::r#ref(&r.arn_parameter);
    let under = |suffix: &str| sub(&format!("${{{}}}{suffix}", r.arn_parameter));
    let pick = |read, write| pick(r.access, read, write);
    match r.kind {
        ResourceKind::Table => {
            let mut resources = vec![arn];
            if r.access.reads() {
                resources.push(under("/index/*"));
            }
            vec![statement(pick(TABLE_READ, TABLE_WRITE), resources)]
        }
        ResourceKind::Queue => vec![statement(pick(QUEUE_READ, QUEUE_WRITE), vec![arn])],
        ResourceKind::Topic => vec![statement(pick(TOPIC_READ, TOPIC_WRITE), vec![arn])],
        ResourceKind::Bucket => {
            let mut out = vec![statement(pick(OBJECT_READ, OBJECT_WRITE), vec![under("/*")])];
            if r.access.reads() {
                out.push(statement(BUCKET_LIST.to_vec(), vec![arn]));
            }
            out
        }
    }
}

/// The read actions, the write ones, or both, as `access` says.
fn pick(access: Access, read: &'static [&'static str], write: &'static [&'static str]) -> Vec<&'static str> {
    let mut actions = Vec::new();
    if access.reads() {
        actions.extend_from_slice(read);
    }
    if access.writes() {
        actions.extend_from_slice(write);
    }
    actions
}

fn statement(mut actions: Vec<&'static str>, resource: Vec<Value>) -> Statement {
    actions.sort();
    actions.dedup();
    Statement { effect: "Allow", action: actions, resource }
}

/// Joins statements on the same resources, so the policy reads one block per resource.
fn merge(statements: Vec<Statement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for s in statements {
        match out.iter_mut().find(|o| o.resource == s.resource) {
            Some(o) => {
                o.action.extend(s.action);
                o.action.sort();
                o.action.dedup();
            }
            None => out.push(s),
        }
    }
    out
}
