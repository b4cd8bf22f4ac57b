//! Synthesis: one function — its Lambda, its own IAM role, its log group, and the environment
//! variables that tell the handler where its resources are.

use super::cfn::{get_att, policy_document, r#ref, tag_list, Parameter, Props, Resource, Tag};
use super::resources::{env_value as resource_env, output_of};
use super::{iam, Artifact, Ctx, DEPLOYMENT_BUCKET_PARAM};
use crate::config::model::Function;
use crate::plan::{EnvPart, EnvValue, FailureQueue, FunctionPlan};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LambdaFunction {
    function_name: String,
    description: String,
    role: Value,
    runtime: &'static str,
    handler: &'static str,
    architectures: Vec<&'static str>,
    memory_size: u32,
    timeout: u32,
    code: Value,
    environment: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserved_concurrent_executions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracing_config: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for LambdaFunction {
    const TYPE: &'static str = "AWS::Lambda::Function";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Role {
    path: String,
    permissions_boundary: Value,
    assume_role_policy_document: Value,
    policies: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for Role {
    const TYPE: &'static str = "AWS::IAM::Role";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EventInvokeConfig {
    function_name: Value,
    qualifier: &'static str,
    destination_config: Value,
}
impl Props for EventInvokeConfig {
    const TYPE: &'static str = "AWS::Lambda::EventInvokeConfig";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct LogGroup {
    pub log_group_name: String,
    pub retention_in_days: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}
impl Props for LogGroup {
    const TYPE: &'static str = "AWS::Logs::LogGroup";
}

/// Other services' outputs arrive as template parameters: a `Ref` when the value is just one,
/// else `Fn::Sub` with the surrounding text escaped (`${` is `${!` in `Fn::Sub`).
fn outputs_value(parts: &[EnvPart]) -> Value {
    if let [EnvPart::Parameter(id)] = parts {
        return r#ref(id);
    }
    let text: String = parts
        .iter()
        .map(|p| match p {
            EnvPart::Text(t) => t.replace("${", "${!"),
            EnvPart::Parameter(id) => format!("${{{id}}}"),
        })
        .collect();
    super::cfn::sub(&text)
}

pub(super) fn add(ctx: &mut Ctx, decl: &Function, f: &FunctionPlan) -> Artifact {
    let ids = &f.ids;
    let mut tags = ctx.plan.tags.clone();
    tags.extend(f.settings.tags.clone());
    let tags = tag_list(&tags);

    ctx.add(
        &ids.log_group,
        Resource::new(LogGroup {
            log_group_name: f.log_group.clone(),
            retention_in_days: f.settings.log_retention,
            tags: tags.clone(),
        }),
    );

    let statements = iam::statements(ctx, decl, f);
    let role = Role {
        path: ctx.plan.role_path.clone(),
        permissions_boundary: super::permissions_boundary(),
        assume_role_policy_document: json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        }),
        policies: vec![
            json!({"PolicyName": format!("{}-policy", f.physical_name), "PolicyDocument": policy_document(statements)}),
        ],
        tags: tags.clone(),
    };
    ctx.add(&ids.role, Resource::new(role));

    let env: BTreeMap<&String, Value> = f
        .env
        .iter()
        .filter_map(|(k, v)| {
            let value = match v {
                EnvValue::Text(text) => Value::String(text.clone()),
                EnvValue::Resource { kind, name } => resource_env(ctx.resource(*kind, name)?),
                EnvValue::Outputs(parts) => outputs_value(parts),
            };
            Some((k, value))
        })
        .collect();

    ctx.template.parameters.insert(
        ids.artifact_parameter.clone(),
        Parameter {
            kind: "String".into(),
            description: Some(format!("S3 key of the `{}` artifact", f.name)),
            extra: Default::default(),
        },
    );
    let lambda = LambdaFunction {
        function_name: f.physical_name.clone(),
        description: format!("{} ({} on {})", f.name, ctx.plan.config.service, ctx.plan.stage),
        role: get_att(&ids.role, "Arn"),
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: vec![f.settings.arch.as_str()],
        memory_size: f.settings.memory,
        timeout: f.settings.timeout,
        code: json!({"S3Bucket": r#ref(DEPLOYMENT_BUCKET_PARAM), "S3Key": r#ref(&ids.artifact_parameter)}),
        environment: json!({ "Variables": env }),
        reserved_concurrent_executions: decl.concurrency,
        tracing_config: f.settings.tracing.then(|| json!({"Mode": "Active"})),
        tags: tags.clone(),
    };
    // The log group must exist first, or Lambda creates one without retention on first run.
    ctx.add(&ids.function, Resource::new(lambda).depends_on([ids.log_group.clone()]));
    if let Some(failure) = &f.on_failure {
        if let FailureQueue::Own { logical_id, physical_name } = &failure.queue {
            ctx.add(logical_id, super::resources::holding_queue(physical_name, false, tags, ctx.plan.retain));
        }
        if let Some(destination) = iam::failure_queue_arn(ctx, failure) {
            let config = EventInvokeConfig {
                function_name: r#ref(&ids.function),
                qualifier: "$LATEST",
                destination_config: json!({"OnFailure": {"Destination": destination}}),
            };
            ctx.add(&failure.invoke_config_id, Resource::new(config));
        }
    }
    for o in &f.outputs {
        output_of(ctx, o);
    }

    Artifact {
        function: f.name.clone(),
        function_name: f.physical_name.clone(),
        package: f.package.clone(),
        bin: f.bin.clone(),
        arch: f.settings.arch.as_str().to_string(),
        path: f.artifact_path.clone(),
        parameter: ids.artifact_parameter.clone(),
        sha256: None,
        size: None,
    }
}
