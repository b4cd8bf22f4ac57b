//! Beside the pipeline — CI credentials: what `sls-rs deploy` needs to deploy some stacks, as
//! IAM policy statements on exactly those stacks' resources. The role can make and change only
//! roles that carry their stack's permissions boundary, pass them only to Lambda, and never
//! touch the boundaries themselves: it cannot give anything more than the boundaries allow.
//! Pure: the account and region stay `${AWS::AccountId}`/`${AWS::Region}` for CloudFormation.

use super::grants::{roles, GRANTS};
use super::scope::StackScope;
use crate::plan::names;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The statements, and the template resource types no grant covers (raw `cloudformation:`
/// resources of other services), which the user must allow themselves.
pub(crate) fn statements(scopes: &[StackScope]) -> (Vec<Value>, Vec<String>) {
    let present: BTreeSet<&str> = scopes.iter().flat_map(StackScope::types).collect();
    let mut out = vec![stacks(scopes)];
    out.extend(deployment_bucket(scopes));
    for grant in GRANTS {
        if grant.types.iter().any(|t| present.contains(t)) {
            let mut st =
                statement(grant.sid, grant.actions, scopes.iter().flat_map(|s| (grant.resources)(s)).collect());
            if let Some(condition) = grant.condition {
                st["Condition"] = condition(scopes);
            }
            out.push(st);
            out.extend(grant.with.iter().map(|extra| extra(scopes)));
        }
    }
    if present.contains("AWS::IAM::Role") {
        out.extend(bounded_roles(scopes));
    }
    let covered: BTreeSet<&str> = GRANTS.iter().flat_map(|g| g.types.iter().copied()).collect();
    let uncovered = present.iter().filter(|t| !covered.contains(*t)).map(|t| t.to_string()).collect();
    (out, uncovered)
}

pub(super) fn arn(service: &str, rest: &str) -> String {
    format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}")
}

/// The ARN of a stack's permissions boundary.
pub(crate) fn boundary_arn(stack: &str) -> String {
    format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:{}", names::boundary_policy(stack))
}

fn resource(r: String) -> Value {
    if r == "*" {
        Value::String(r)
    } else {
        json!({ "Fn::Sub": r })
    }
}

pub(super) fn statement(sid: &str, actions: &[&str], resources: Vec<String>) -> Value {
    let resources: Vec<Value> = resources.into_iter().map(resource).collect();
    json!({ "Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources })
}

/// The change sets, events and outputs of the stacks (outputs also feed the services that read
/// them); a failed first create is deleted before the next try.
fn stacks(scopes: &[StackScope]) -> Value {
    let actions = [
        "cloudformation:CreateChangeSet",
        "cloudformation:DescribeChangeSet",
        "cloudformation:ExecuteChangeSet",
        "cloudformation:DeleteChangeSet",
        "cloudformation:ListChangeSets",
        "cloudformation:DescribeStacks",
        "cloudformation:DescribeStackEvents",
        "cloudformation:DescribeStackResources",
        "cloudformation:ListStackResources",
        "cloudformation:GetTemplate",
        "cloudformation:DeleteStack",
    ];
    statement(
        "Stacks",
        &actions,
        scopes.iter().map(|s| arn("cloudformation", &format!("stack/{}/*", s.stack))).collect(),
    )
}

/// Code and large templates go to `<bucket>/<stack>/...`, content-addressed. `ci github` made
/// the bucket, so a deploy only checks it is the account's (GetBucketLocation with the expected
/// owner) and reads and writes its own stacks' keys: it can neither list the bucket nor change
/// its settings. A key not there answers 403 without `s3:ListBucket`, and is then uploaded.
fn deployment_bucket(scopes: &[StackScope]) -> [Value; 2] {
    let bucket = names::deployment_bucket("${AWS::AccountId}", "${AWS::Region}");
    let bucket = format!("arn:${{AWS::Partition}}:s3:::{bucket}");
    let objects = scopes.iter().map(|s| format!("{bucket}/{}*", names::artifact_prefix(&s.stack))).collect();
    [
        statement("DeploymentObjects", &["s3:GetObject", "s3:PutObject"], objects),
        statement("DeploymentBucket", &["s3:GetBucketLocation"], vec![bucket]),
    ]
}

/// Making a role, or changing what it may do, only with the stack's boundary on it; the
/// boundaries are readable (deploy looks its stack's up) and never changeable.
fn bounded_roles(scopes: &[StackScope]) -> Vec<Value> {
    let roles: Vec<String> = scopes.iter().flat_map(roles).collect();
    let boundaries: Vec<String> = scopes.iter().map(|s| boundary_arn(&s.stack)).collect();
    let subbed: Vec<Value> = boundaries.iter().cloned().map(resource).collect();
    let mut bounded = statement(
        "BoundedFunctionRoles",
        &["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"],
        roles.clone(),
    );
    bounded["Condition"] = json!({ "StringEquals": { "iam:PermissionsBoundary": subbed } });
    let read = statement("ReadBoundaries", &["iam:GetPolicy"], boundaries.clone());
    let mut keep_boundary = statement("KeepRoleBoundaries", &["iam:DeleteRolePermissionsBoundary"], roles);
    keep_boundary["Effect"] = json!("Deny");
    let mut keep_policies = statement(
        "KeepBoundaryPolicies",
        &[
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
        ],
        boundaries,
    );
    keep_policies["Effect"] = json!("Deny");
    vec![bounded, read, keep_boundary, keep_policies]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::scope::{NameOf, Named};

    /// Statements AWS accepts only with `"Resource": "*"`: their actions have no resource type
    /// (see the Service Authorization Reference), so nothing narrower would ever match.
    const ANY_RESOURCE: &[&str] = &[
        "CreateEventSourceMappings",
        "ListEventSourceMappings",
        "DescribeLogGroups",
        "AccessLogDelivery",
        "Subscriptions",
    ];
    /// Statements whose resources name the account's and region's, not the stacks': ids AWS
    /// picks at random (HTTP APIs, event source mappings), and the deployment bucket itself,
    /// which a deploy only locates.
    const ACCOUNT_WIDE: &[&str] = &["EventSourceMappings", "HttpApis", "DeploymentBucket"];

    fn named(kind: &str, id: &str, name: &str) -> Named {
        let name = NameOf::Given(name.into());
        Named {
            kind: kind.into(),
            logical_id: id.into(),
            name,
            bus: None,
            traced: false,
            principal: None,
            unbounded: false,
        }
    }

    fn scope(stack: &str, types: &[&str]) -> StackScope {
        let resources =
            types.iter().enumerate().map(|(i, t)| named(t, &format!("R{i}"), &format!("{stack}-r{i}"))).collect();
        StackScope { stack: stack.into(), resources, reads: vec![] }
    }

    fn everything() -> Vec<StackScope> {
        let types: Vec<&str> = GRANTS.iter().flat_map(|g| g.types.iter().copied()).collect();
        vec![scope("shop-prod", &types), scope("users-prod", &["AWS::Lambda::Function", "AWS::IAM::Role"])]
    }

    fn resources(st: &Value) -> Vec<String> {
        match &st["Resource"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => {
                items.iter().map(|r| r.get("Fn::Sub").unwrap_or(r).as_str().expect("text").to_string()).collect()
            }
            other => panic!("resource {other}"),
        }
    }

    #[test]
    fn no_action_is_a_wildcard_and_every_one_is_a_service_action() {
        let (statements, _) = statements(&everything());
        for st in &statements {
            for action in st["Action"].as_array().unwrap() {
                let action = action.as_str().unwrap();
                let (service, name) = action.split_once(':').expect("service:Action");
                assert!(!action.contains('*') && !service.is_empty() && !name.is_empty(), "{action}");
            }
        }
    }

    #[test]
    fn every_resource_is_a_stacks_own_or_a_documented_exception() {
        let scopes = everything();
        let (statements, _) = statements(&scopes);
        for st in &statements {
            let sid = st["Sid"].as_str().unwrap();
            for r in resources(st) {
                if r == "*" {
                    assert!(ANY_RESOURCE.contains(&sid), "{sid}: `*` without a reason");
                    continue;
                }
                let own = scopes.iter().any(|s| {
                    let st = &s.stack;
                    [format!(":{st}-r"), format!("/{st}-r"), format!("/{st}/"), format!(":::{st}-r"), format!("/{st}")]
                        .iter()
                        .any(|p| r.contains(p.as_str()))
                });
                assert!(own || ACCOUNT_WIDE.contains(&sid), "{sid}: {r} is not a stack's own");
                assert!(r.starts_with("arn:${AWS::Partition}:"), "{sid}: {r}");
            }
        }
    }

    #[test]
    fn only_the_kinds_the_templates_hold_are_granted_and_the_rest_is_reported() {
        let (statements, uncovered) =
            statements(&[scope("api-dev", &["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::CloudWatch::Alarm"])]);
        let sids: Vec<&str> = statements.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
        assert_eq!(
            sids,
            [
                "Stacks",
                "DeploymentObjects",
                "DeploymentBucket",
                "Functions",
                "FunctionRoles",
                "PassFunctionRoles",
                "BoundedFunctionRoles",
                "ReadBoundaries",
                "KeepRoleBoundaries",
                "KeepBoundaryPolicies"
            ]
        );
        assert_eq!(uncovered, ["AWS::CloudWatch::Alarm"]);
    }
}
