//! Synthesis: one function — its Lambda, its own IAM role, its log group, and the environment
//! variables that tell the handler where its resources are.

use super::cfn::{get_att, policy_document, r#ref, sub, tag_list, Parameter, Props, Resource, Tag};
use super::resources::{bucket_name, logical_id, output};
use super::{iam, Artifact, Ctx, DEPLOYMENT_BUCKET_PARAM};
use crate::config::model::{Function, ResourceKind};
use crate::config::names::{function_name, pascal, resource_env_var};
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for LambdaFunction {
    const TYPE: &'static str = "AWS::Lambda::Function";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Role {
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
struct LogGroup {
    log_group_name: String,
    retention_in_days: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}
impl Props for LogGroup {
    const TYPE: &'static str = "AWS::Logs::LogGroup";
}

pub fn function_id(name: &str) -> String {
    format!("{}Function", pascal(name))
}

/// The value of the environment variable that announces a used resource.
fn resource_env(ctx: &Ctx, kind: ResourceKind, name: &str) -> (String, Value) {
    let value = match kind {
        ResourceKind::Bucket => sub(&bucket_name(ctx, name)),
        _ => r#ref(&logical_id(kind, name)),
    };
    (resource_env_var(kind, name), value)
}

pub fn add(ctx: &mut Ctx, f: &Function) -> Artifact {
    let settings = ctx.config.effective(ctx.stage, &f.settings);
    let base = pascal(&f.name);
    let (fn_id, role_id, log_id) = (function_id(&f.name), format!("{base}Role"), format!("{base}LogGroup"));
    let physical = function_name(&ctx.config.service, ctx.stage, &f.name);
    let mut tags = ctx.tags.clone();
    tags.extend(settings.tags.clone());
    let tags = tag_list(&tags);

    ctx.add(
        &log_id,
        Resource::new(LogGroup {
            log_group_name: format!("/aws/lambda/{physical}"),
            retention_in_days: settings.log_retention,
            tags: tags.clone(),
        }),
    );

    let statements = iam::statements(ctx, f, &log_id);
    let role = Role {
        assume_role_policy_document: json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        }),
        policies: vec![
            json!({"PolicyName": format!("{physical}-policy"), "PolicyDocument": policy_document(statements)}),
        ],
        tags: tags.clone(),
    };
    ctx.add(&role_id, Resource::new(role));

    let mut env: BTreeMap<String, Value> =
        settings.env.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    env.insert("SLS_SERVICE".into(), Value::String(ctx.config.service.clone()));
    env.insert("SLS_STAGE".into(), Value::String(ctx.stage.to_string()));
    for u in &f.uses {
        if let Some(kind) = ctx.config.resources.kind_of(&u.resource) {
            let (k, v) = resource_env(ctx, kind, &u.resource);
            env.insert(k, v);
        }
    }

    let parameter = format!("{base}ArtifactKey");
    ctx.template.parameters.insert(
        parameter.clone(),
        Parameter {
            kind: "String".into(),
            description: Some(format!("S3 key of the `{}` artifact", f.name)),
            extra: Default::default(),
        },
    );
    let lambda = LambdaFunction {
        function_name: physical.clone(),
        description: format!("{} ({} on {})", f.name, ctx.config.service, ctx.stage),
        role: get_att(&role_id, "Arn"),
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: vec![settings.arch.as_str()],
        memory_size: settings.memory,
        timeout: settings.timeout,
        code: json!({"S3Bucket": r#ref(DEPLOYMENT_BUCKET_PARAM), "S3Key": r#ref(&parameter)}),
        environment: json!({ "Variables": env }),
        tags,
    };
    // The log group must exist first, or Lambda creates one without retention on first run.
    ctx.add(&fn_id, Resource::new(lambda).depends_on([log_id]));
    output(ctx, &format!("{base}FunctionName"), r#ref(&fn_id), &format!("function `{}`", f.name));

    Artifact {
        function: f.name.clone(),
        function_name: physical,
        package: f.package.clone(),
        bin: f.bin.clone().unwrap_or_else(|| f.package.clone()),
        arch: settings.arch.as_str().to_string(),
        path: format!(".sls/{}/artifacts/{}.zip", ctx.stage, f.name),
        parameter,
        sha256: None,
        size: None,
    }
}
