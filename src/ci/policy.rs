//! Beside the pipeline — CI credentials: what `sls-rs deploy` needs to deploy some stacks, as
//! IAM policy statements, each action scoped to those stacks' names (functions, tables,
//! queues, topics and buckets `<stack>-*`, roles under the path `/sls-rs/<stack>/`, log groups
//! of its functions). Pure: the account and region stay `${AWS::AccountId}`/`${AWS::Region}`
//! for CloudFormation to fill in.

use super::grants::{BUCKET_CONFIG, GRANTS};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One stack the role may deploy, and the resource types its template holds.
#[derive(Debug, Clone)]
pub struct StackScope {
    pub stack: String,
    pub types: BTreeSet<String>,
}

/// The statements, and the template resource types no grant covers (raw `cloudformation:`
/// resources of other services), which the user must allow themselves.
pub fn statements(scopes: &[StackScope]) -> (Vec<Value>, Vec<String>) {
    let present: BTreeSet<&str> = scopes.iter().flat_map(|s| s.types.iter().map(String::as_str)).collect();
    let mut out = vec![stacks(scopes), deployment_bucket(scopes), bootstrap()];
    for grant in GRANTS {
        if grant.types.iter().any(|t| present.contains(t)) {
            out.push(statement(
                grant.sid,
                &grant.actions.concat(),
                scopes.iter().flat_map(|s| (grant.resources)(&s.stack)).collect(),
            ));
            if let Some(extra) = grant.with {
                out.push(extra(scopes));
            }
        }
    }
    let covered: BTreeSet<&str> = GRANTS.iter().flat_map(|g| g.types.iter().copied()).collect();
    let uncovered = present.iter().filter(|t| !covered.contains(*t)).map(|t| t.to_string()).collect();
    (out, uncovered)
}

pub(super) fn arn(service: &str, rest: &str) -> String {
    format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}")
}

pub(super) fn statement(sid: &str, actions: &[&str], resources: Vec<String>) -> Value {
    let resources: Vec<Value> = resources.into_iter().map(|r| json!({ "Fn::Sub": r })).collect();
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

const BOOTSTRAP_BUCKET: &str = "arn:${AWS::Partition}:s3:::sls-rs-${AWS::AccountId}-${AWS::Region}";

/// Code and large templates go to `<bucket>/<stack>/...`, content-addressed.
fn deployment_bucket(scopes: &[StackScope]) -> Value {
    let objects = scopes.iter().map(|s| format!("{BOOTSTRAP_BUCKET}/{}/*", s.stack));
    // HeadObject answers 403 instead of 404 without ListBucket, so "not uploaded yet" needs it.
    let actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"];
    statement("DeploymentBucket", &actions, objects.chain([BOOTSTRAP_BUCKET.to_string()]).collect())
}

/// The first deploy in an account and region makes the deployment bucket's stack.
fn bootstrap() -> Value {
    let stack = arn("cloudformation", &format!("stack/{}/*", crate::deploy::bucket::BOOTSTRAP_STACK));
    let stack_actions =
        ["cloudformation:CreateStack", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"];
    statement("Bootstrap", &[&stack_actions[..], BUCKET_CONFIG].concat(), vec![stack, BOOTSTRAP_BUCKET.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Statements AWS accepts only with `"Resource": "*"`: their actions have no resource type
    /// (see the Service Authorization Reference), so nothing narrower would ever match.
    const ANY_RESOURCE: &[&str] = &["CreateEventSourceMappings", "DescribeLogGroups", "AccessLogDelivery"];
    /// Statements whose resources name the account's and region's, not the stacks': ids AWS
    /// picks at random (HTTP APIs, event source mappings).
    const ACCOUNT_WIDE: &[&str] = &["EventSourceMappings", "HttpApis"];

    fn scope(stack: &str, types: &[&str]) -> StackScope {
        StackScope { stack: stack.into(), types: types.iter().map(|t| t.to_string()).collect() }
    }

    fn everything() -> Vec<StackScope> {
        let types: Vec<&str> = GRANTS.iter().flat_map(|g| g.types.iter().copied()).collect();
        vec![scope("shop-prod", &types), scope("users-prod", &["AWS::Lambda::Function"])]
    }

    fn resources(st: &Value) -> Vec<String> {
        match &st["Resource"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => {
                items.iter().map(|r| r["Fn::Sub"].as_str().expect("a Fn::Sub ARN").to_string()).collect()
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
            assert_eq!(st["Effect"], "Allow");
        }
    }

    #[test]
    fn every_resource_is_the_stacks_own_or_a_documented_exception() {
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
                    [format!("{st}-"), format!("/{st}/"), format!("/{st}:")].iter().any(|p| r.contains(p.as_str()))
                        || r.ends_with(&format!("/{st}"))
                });
                let deployment =
                    r.contains("sls-rs-${AWS::AccountId}-${AWS::Region}") || r.contains("stack/sls-rs-bootstrap/");
                assert!(own || deployment || ACCOUNT_WIDE.contains(&sid), "{sid}: {r} is not scoped to the stacks");
                assert!(r.starts_with("arn:${AWS::Partition}:"), "{sid}: {r}");
                if !r.starts_with("arn:${AWS::Partition}:s3:::") && !r.contains(":apigateway:") {
                    assert!(r.contains("${AWS::AccountId}"), "{sid}: {r} names no account");
                }
            }
        }
        // `*` only where a condition narrows it, or where AWS allows nothing else.
        let create = statements.iter().find(|s| s["Sid"] == "CreateEventSourceMappings").unwrap();
        let functions = create["Condition"]["StringLike"]["lambda:FunctionArn"].to_string();
        assert!(functions.contains("function:shop-prod-*") && functions.contains("function:users-prod-*"));
    }

    #[test]
    fn roles_pass_only_to_lambda_and_only_the_stacks_own() {
        let (statements, _) = statements(&everything());
        let passing: Vec<&Value> =
            statements.iter().filter(|s| s["Action"].as_array().unwrap().iter().any(|a| a == "iam:PassRole")).collect();
        assert_eq!(passing.len(), 1);
        let pass = passing[0];
        assert_eq!(pass["Action"], json!(["iam:PassRole"]));
        assert_eq!(pass["Condition"]["StringEquals"]["iam:PassedToService"], "lambda.amazonaws.com");
        assert_eq!(
            resources(pass),
            [
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sls-rs/shop-prod/*",
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sls-rs/users-prod/*"
            ]
        );
    }

    #[test]
    fn only_the_kinds_the_templates_hold_are_granted_and_the_rest_is_reported() {
        let (statements, uncovered) =
            statements(&[scope("api-dev", &["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::CloudWatch::Alarm"])]);
        let sids: Vec<&str> = statements.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
        assert_eq!(
            sids,
            ["Stacks", "DeploymentBucket", "Bootstrap", "Functions", "FunctionRoles", "PassFunctionRoles"]
        );
        assert_eq!(uncovered, ["AWS::CloudWatch::Alarm"]);
    }
}
