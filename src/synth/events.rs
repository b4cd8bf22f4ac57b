//! Synthesis: non-HTTP event sources — SQS and DynamoDB stream mappings, S3 upload
//! notifications, EventBridge schedules and patterns, SNS subscriptions — with the permission
//! each service needs to invoke the function.

use super::cfn::{get_att, r#ref, sub, Props, Resource};
use super::http::Permission;
use super::Ctx;
use crate::config::model::{EventKind, ResourceKind};
use crate::plan::names::pascal;
use crate::plan::FunctionPlan;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EventSourceMapping {
    event_source_arn: Value,
    function_name: Value,
    batch_size: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum_batching_window_in_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    starting_position: Option<String>,
    function_response_types: Vec<&'static str>,
    enabled: bool,
}
impl Props for EventSourceMapping {
    const TYPE: &'static str = "AWS::Lambda::EventSourceMapping";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Rule {
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_pattern: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_bus_name: Option<String>,
    state: &'static str,
    targets: Vec<Value>,
}
impl Props for Rule {
    const TYPE: &'static str = "AWS::Events::Rule";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Subscription {
    topic_arn: Value,
    protocol: &'static str,
    endpoint: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_policy: Option<Value>,
}
impl Props for Subscription {
    const TYPE: &'static str = "AWS::SNS::Subscription";
}

pub(super) fn add_all(ctx: &mut Ctx) {
    let plan = ctx.plan;
    for (decl, f) in plan.each_function() {
        let (base, fn_id) = (&f.ids.base, &f.ids.function);
        // The mapping validates the role's permissions when it is created, so wait for the role.
        let role_id = &f.ids.role;
        for e in &decl.events {
            match &e.kind {
                EventKind::Http { .. } => {}
                EventKind::Queue { queue, batch_size, batch_window } => {
                    let Some(source) = ctx.resource(ResourceKind::Queue, queue) else { continue };
                    let id = ctx.unique_id(&format!("{base}{}QueueMapping", pascal(queue)));
                    let mapping = EventSourceMapping {
                        event_source_arn: get_att(&source.logical_id, "Arn"),
                        function_name: r#ref(fn_id),
                        batch_size: *batch_size,
                        maximum_batching_window_in_seconds: *batch_window,
                        starting_position: None,
                        function_response_types: vec!["ReportBatchItemFailures"],
                        enabled: true,
                    };
                    ctx.add(id, Resource::new(mapping).depends_on([role_id.clone()]));
                }
                EventKind::Stream { table, batch_size, starting_position } => {
                    let Some(source) = ctx.resource(ResourceKind::Table, table) else { continue };
                    let id = ctx.unique_id(&format!("{base}{}StreamMapping", pascal(table)));
                    let mapping = EventSourceMapping {
                        event_source_arn: get_att(&source.logical_id, "StreamArn"),
                        function_name: r#ref(fn_id),
                        batch_size: *batch_size,
                        maximum_batching_window_in_seconds: None,
                        starting_position: Some(starting_position.as_str().to_string()),
                        function_response_types: vec!["ReportBatchItemFailures"],
                        enabled: true,
                    };
                    ctx.add(id, Resource::new(mapping).depends_on([role_id.clone()]));
                }
                EventKind::Upload { bucket, prefix, suffix } => add_upload(ctx, f, bucket, prefix, suffix),
                EventKind::Schedule { expression, enabled, input } => {
                    let id = ctx.unique_id(&format!("{base}Schedule"));
                    let mut target = json!({"Arn": get_att(fn_id, "Arn"), "Id": format!("{base}Target")});
                    if let Some(input) = input {
                        target["Input"] = Value::String(input.to_string());
                    }
                    let rule = Rule {
                        name: String::new(),
                        description: format!("{expression} -> {}", f.name),
                        schedule_expression: Some(expression.to_string()),
                        event_pattern: None,
                        event_bus_name: None,
                        state: if *enabled { "ENABLED" } else { "DISABLED" },
                        targets: vec![target],
                    };
                    add_rule(ctx, f, id, rule);
                }
                EventKind::EventBridge { pattern, bus } => {
                    let id = ctx.unique_id(&format!("{base}EventRule"));
                    let rule = Rule {
                        name: String::new(),
                        description: format!("events -> {}", f.name),
                        schedule_expression: None,
                        event_pattern: Some(pattern.clone()),
                        event_bus_name: bus.clone(),
                        state: "ENABLED",
                        targets: vec![json!({"Arn": get_att(fn_id, "Arn"), "Id": format!("{base}Target")})],
                    };
                    add_rule(ctx, f, id, rule);
                }
                EventKind::Topic { topic, filter_policy } => {
                    let Some(target) = ctx.resource(ResourceKind::Topic, topic) else { continue };
                    let topic_id = target.logical_id.clone();
                    let id = ctx.unique_id(&format!("{base}{}Subscription", pascal(topic)));
                    let sub_ = Subscription {
                        topic_arn: r#ref(&topic_id),
                        protocol: "lambda",
                        endpoint: get_att(fn_id, "Arn"),
                        filter_policy: filter_policy.clone(),
                    };
                    ctx.add(&id, Resource::new(sub_));
                    let perm = Permission::invoke(f, "sns.amazonaws.com", r#ref(&topic_id));
                    ctx.add(format!("{id}Permission"), Resource::new(perm));
                }
            }
        }
    }
}

fn add_rule(ctx: &mut Ctx, function: &FunctionPlan, id: String, mut rule: Rule) {
    rule.name = crate::plan::names::rule_name(&ctx.plan.stack_name, &id, rule.event_bus_name.as_deref());
    ctx.add(&id, Resource::new(rule));
    let perm = Permission::invoke(function, "events.amazonaws.com", get_att(&id, "Arn"));
    ctx.add(format!("{id}Permission"), Resource::new(perm));
}

/// Adds the notification to the bucket itself; the bucket waits for the permission, and the
/// permission names the bucket by its computed ARN, so there is no cycle.
fn add_upload(ctx: &mut Ctx, function: &FunctionPlan, bucket: &str, prefix: &Option<String>, suffix: &Option<String>) {
    let Some(target) = ctx.resource(ResourceKind::Bucket, bucket) else { return };
    let perm_id = ctx.unique_id(&format!("{}{}UploadPermission", function.ids.base, pascal(bucket)));
    let mut perm = Permission::invoke(
        function,
        "s3.amazonaws.com",
        sub(&format!("arn:${{AWS::Partition}}:s3:::{}", target.physical_name)),
    );
    perm.source_account = Some(r#ref("AWS::AccountId"));
    ctx.add(&perm_id, Resource::new(perm));

    let mut rules = Vec::new();
    if let Some(p) = prefix {
        rules.push(json!({"Name": "prefix", "Value": p}));
    }
    if let Some(s) = suffix {
        rules.push(json!({"Name": "suffix", "Value": s}));
    }
    let mut config = json!({"Event": "s3:ObjectCreated:*", "Function": get_att(&function.ids.function, "Arn")});
    if !rules.is_empty() {
        config["Filter"] = json!({"S3Key": {"Rules": rules}});
    }
    if let Some(res) = ctx.template.resources.get_mut(&target.logical_id) {
        let notif = &mut res.properties["NotificationConfiguration"];
        if notif.is_null() {
            *notif = json!({"LambdaConfigurations": []});
        }
        if let Some(list) = notif["LambdaConfigurations"].as_array_mut() {
            list.push(config);
        }
        res.depends_on.push(perm_id);
        res.depends_on.sort();
    }
}
