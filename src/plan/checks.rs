//! Plan stage: checks on what the plan derives — logical ids that two declarations would share
//! and physical names over AWS limits — so they are reported where the user wrote the name,
//! against exactly the ids and names synthesis will emit.

use super::names::*;
use super::{
    Plan, API_ACCESS_LOGS_ID, API_AUTHORIZER_ID, API_ID, API_STAGE_ID, DEPLOYMENT_BUCKET_PARAM, HAS_BOUNDARY_CONDITION,
    PERMISSIONS_BOUNDARY_PARAM,
};
use crate::config::yaml::Span;
use crate::config::{Problem, ResourceKind};
use std::collections::BTreeMap;

/// The length of the 12-digit account id that replaces the placeholder in bucket names.
const ACCOUNT_ID_LEN: usize = 12;

pub(super) fn check(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_lengths(plan, &mut problems);
    check_ids(plan, &mut problems);
    check_environments(plan, &mut problems);
    problems
}

/// Lambda refuses a function whose variables (names and values) exceed 4 KB in all.
const MAX_ENVIRONMENT: usize = 4096;
/// Prefixes S3 refuses in bucket names (general purpose bucket naming rules).
const RESERVED_BUCKET_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];

fn reserved_prefix(bucket: &str) -> Option<&'static str> {
    RESERVED_BUCKET_PREFIXES.iter().copied().find(|p| bucket.starts_with(p))
}

/// Each function's environment against Lambda's limit, counting the variables sls-rs derives
/// (resource names and URLs at their length on AWS; another service's value as its text only,
/// so the estimate errs low).
fn check_environments(plan: &Plan, problems: &mut Vec<Problem>) {
    use super::{EnvPart, EnvValue};
    let account = "0".repeat(ACCOUNT_ID_LEN);
    for f in &plan.functions {
        let size: usize = f
            .env
            .iter()
            .map(|(k, v)| {
                k.len()
                    + match v {
                        EnvValue::Text(t) => t.len(),
                        EnvValue::Resource { kind, name } => {
                            plan.resource(*kind, name).map_or(0, |r| r.env_value("us-east-1", &account).len())
                        }
                        EnvValue::Outputs(parts) => parts
                            .iter()
                            .map(|p| match p {
                                EnvPart::Text(t) => t.len(),
                                EnvPart::Parameter(_) => 0,
                            })
                            .sum(),
                    }
            })
            .sum();
        if size > MAX_ENVIRONMENT {
            problems.push(
                Problem::new(
                    f.span,
                    format!("`{}`'s environment is {size} bytes; Lambda allows {MAX_ENVIRONMENT} in all", f.name),
                )
                .help("keep large values out of variables: put them in a bucket, a table or SSM Parameter Store"),
            );
        }
    }
}

fn check_lengths(plan: &Plan, problems: &mut Vec<Problem>) {
    for f in &plan.functions {
        if let Some(super::FailurePlan { queue: super::FailureQueue::Own { physical_name, .. }, .. }) = &f.on_failure {
            if physical_name.len() > MAX_QUEUE_NAME {
                problems.push(
                    Problem::new(
                        f.span,
                        format!(
                            "`{}`'s failure queue `{physical_name}` is {} characters; SQS allows {MAX_QUEUE_NAME}",
                            f.name,
                            physical_name.len()
                        ),
                    )
                    .help(
                        "shorten the function's key, or send failures to a declared queue with `on_failure: <queue>`",
                    ),
                );
            }
        }
        let len = f.physical_name.len();
        if len > MAX_FUNCTION_NAME {
            problems.push(
                Problem::new(
                    f.span,
                    format!("`{}` is {len} characters; Lambda allows {MAX_FUNCTION_NAME}", f.physical_name),
                )
                .help("shorten the function's key, the service or the stage name"),
            );
        }
    }
    let stage = &plan.stage;
    for r in &plan.resources {
        let names = std::iter::once(&r.physical_name).chain(r.dead_letter.as_ref().map(|d| &d.physical_name));
        for name in names {
            let len = name.replace(ACCOUNT_PLACEHOLDER, &"0".repeat(ACCOUNT_ID_LEN)).len();
            let problem = match r.kind {
                ResourceKind::Bucket if len > MAX_BUCKET_NAME => Problem::new(
                    r.span,
                    format!("bucket `{}` would get a {len}-character name on stage `{stage}`; S3 allows {MAX_BUCKET_NAME}", r.name),
                )
                .help("bucket names are `{service}-{stage}-{name}-{account id}`: shorten the bucket's key or the service name"),
                ResourceKind::Queue if len > MAX_QUEUE_NAME => Problem::new(
                    r.span,
                    format!("queue name `{name}` is {len} characters; SQS allows {MAX_QUEUE_NAME}"),
                )
                .help("shorten the queue's key or the service name"),
                ResourceKind::Table if len > MAX_TABLE_NAME => Problem::new(
                    r.span,
                    format!("table name `{name}` is {len} characters; DynamoDB allows {MAX_TABLE_NAME}"),
                )
                .help("shorten the table's key"),
                ResourceKind::Topic if len > MAX_TOPIC_NAME => Problem::new(
                    r.span,
                    format!("topic name `{name}` is {len} characters; SNS allows {MAX_TOPIC_NAME}"),
                )
                .help("shorten the topic's key"),
                ResourceKind::Bucket if reserved_prefix(name).is_some() => Problem::new(
                    r.span,
                    format!(
                        "bucket `{}` would be named `{}…`: S3 reserves that prefix",
                        r.name,
                        reserved_prefix(name).unwrap_or_default()
                    ),
                )
                .help("bucket names start with the service name: rename the service"),
                _ => continue,
            };
            problems.push(problem);
        }
    }
}

/// Every logical id and parameter the template will hold for a declaration, claimed by it.
fn check_ids(plan: &Plan, problems: &mut Vec<Problem>) {
    // Who holds each id; sls-rs's own ids are held from the start.
    let mut owners: BTreeMap<&str, &str> = BTreeMap::from([
        (DEPLOYMENT_BUCKET_PARAM, "the deployment bucket"),
        (PERMISSIONS_BOUNDARY_PARAM, "the roles' permissions boundary"),
        (HAS_BOUNDARY_CONDITION, "the roles' permissions boundary"),
    ]);
    if plan.functions.iter().any(|f| f.http) {
        owners.insert(API_ID, "the HTTP API");
        owners.insert(API_STAGE_ID, "the HTTP API");
        owners.insert(API_ACCESS_LOGS_ID, "the HTTP API");
        owners.insert(API_AUTHORIZER_ID, "the HTTP API");
    }
    let mut claims: Vec<(&str, &str, Span)> = Vec::new();
    for f in &plan.functions {
        let ids = &f.ids;
        claims.extend(
            [&ids.function, &ids.role, &ids.log_group, &ids.artifact_parameter]
                .map(|id| (id.as_str(), f.name.as_str(), f.span)),
        );
        if f.http {
            claims.extend([&ids.integration, &ids.http_permission].map(|id| (id.as_str(), f.name.as_str(), f.span)));
        }
        if let Some(failure) = &f.on_failure {
            claims.push((&failure.invoke_config_id, &f.name, f.span));
            if let super::FailureQueue::Own { logical_id, .. } = &failure.queue {
                claims.push((logical_id, &f.name, f.span));
            }
        }
    }
    for r in &plan.resources {
        claims.push((&r.logical_id, &r.name, r.span));
        if let Some(d) = &r.dead_letter {
            claims.push((&d.logical_id, &r.name, r.span));
        }
        if let Some(id) = &r.policy_id {
            claims.push((id, &r.name, r.span));
        }
    }
    for (id, name, span) in claims {
        match owners.get(id) {
            Some(other) if *other != name => problems.push(
                Problem::new(span, format!("`{name}` and `{other}` both become `{id}` in CloudFormation"))
                    .help("rename one: names that differ only in `-`, `_` or case collide"),
            ),
            Some(_) => {}
            None => {
                owners.insert(id, name);
            }
        }
    }
}
