//! CI credentials, tested the way IAM would judge them: a small evaluator of the policies
//! `ci github` writes (Allow and Deny statements, `*`/`?` patterns, the condition operators the
//! policies use) and, with it, every way we know for a deploy role to give itself or anyone
//! more than it holds — each asked as a request IAM would see, each refused.

use super::github::{self, Runs, Trust};
use super::scope::StackScope;
use serde_json::Value;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";

#[derive(Debug, PartialEq)]
pub(crate) enum Decision {
    Allow,
    /// No statement allows it.
    NotAllowed,
    /// A statement refuses it, whatever else allows it.
    Denied,
}

/// One request: an action on a resource, with the condition keys IAM would set for it.
pub(crate) struct Request<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a [(&'a str, &'a str)],
}

/// The text of a policy value with the account, region and partition filled in.
fn text(v: &Value) -> Vec<String> {
    let one = |v: &Value| -> String {
        let s = v.get("Fn::Sub").unwrap_or(v).as_str().unwrap_or_else(|| panic!("not text: {v}"));
        s.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", REGION).replace("${AWS::AccountId}", ACCOUNT)
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect(),
        other => vec![one(other)],
    }
}

/// IAM's wildcards: `*` any run of characters, `?` any one.
fn glob(pattern: &str, value: &str, case_insensitive: bool) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = if case_insensitive {
        (pattern.to_lowercase().chars().collect(), value.to_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), value.chars().collect())
    };
    let (mut pi, mut vi, mut star, mut mark) = (0, 0, None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn conditions_hold(condition: &Value, context: &[(&str, &str)]) -> bool {
    let Some(ops) = condition.as_object() else { return true };
    ops.iter().all(|(op, keys)| {
        keys.as_object().expect("condition keys").iter().all(|(key, wanted)| {
            let wanted = text(wanted);
            let given: Vec<&str> = context.iter().filter(|(k, _)| k == key).map(|(_, v)| *v).collect();
            let matches = |f: &dyn Fn(&str, &str) -> bool| given.iter().any(|g| wanted.iter().any(|w| f(w, g)));
            match op.as_str() {
                "StringEquals" | "ArnEquals" => matches(&|w, g| w == g),
                "StringLike" | "ArnLike" => matches(&|w, g| glob(w, g, false)),
                other => panic!("the evaluator does not know the operator {other}"),
            }
        })
    })
}

pub(crate) fn decide(statements: &[Value], req: &Request) -> Decision {
    let mut allowed = false;
    for st in statements {
        let actions = match &st["Action"] {
            Value::String(a) => vec![a.clone()],
            Value::Array(a) => a.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
            other => panic!("Action {other}"),
        };
        assert!(st.get("NotAction").is_none() && st.get("NotResource").is_none(), "not evaluated: {st}");
        let action = actions.iter().any(|a| glob(a, req.action, true));
        let resource = text(&st["Resource"]).iter().any(|r| glob(r, req.resource, false));
        if !(action && resource && conditions_hold(&st["Condition"], req.context)) {
            continue;
        }
        match st["Effect"].as_str() {
            Some("Deny") => return Decision::Denied,
            Some("Allow") => allowed = true,
            other => panic!("Effect {other:?}"),
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::NotAllowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The fixture with every kind of resource, planned and synthesized for `stage`.
    fn scope(stage: &str) -> StackScope {
        let text = include_str!("../../tests/fixtures/full.yaml");
        let root = std::path::Path::new(".");
        let plan = crate::plan::from_str(text, std::path::Path::new("sls.yaml"), root, stage).expect("plans");
        let synthesis = crate::synth::synthesize(&plan).expect("synthesizes");
        StackScope::of(&plan.stack_name, &serde_json::to_value(&synthesis.template).unwrap(), vec![])
    }

    struct Fixture {
        role: Vec<Value>,
        boundary: Vec<Value>,
    }

    /// The deploy role's statements (every managed policy together) and the boundary of
    /// `shop-prod`, as the CI stack holds them.
    fn prod() -> Fixture {
        let trust = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        let made = github::template(&trust, &[scope("prod")]).expect("a template");
        let doc = serde_json::to_value(&made.template).unwrap();
        Fixture { role: role_statements(&doc), boundary: boundary_statements(&doc) }
    }

    /// Everything the deploy role may do: its inline policy and its managed ones together.
    fn role_statements(template: &Value) -> Vec<Value> {
        let resources = template["Resources"].as_object().unwrap();
        let inline = resources["DeployRole"]["Properties"]["Policies"].as_array().cloned().unwrap_or_default();
        let managed = resources.iter().filter(|(id, _)| id.starts_with("DeployPolicy")).map(|(_, r)| &r["Properties"]);
        inline
            .iter()
            .chain(managed)
            .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().cloned().unwrap())
            .collect()
    }

    fn boundary_statements(template: &Value) -> Vec<Value> {
        let resources = template["Resources"].as_object().unwrap();
        let boundaries = resources.iter().filter(|(id, _)| id.starts_with("Boundary"));
        boundaries
            .flat_map(|(_, r)| r["Properties"]["PolicyDocument"]["Statement"].as_array().cloned().unwrap())
            .collect()
    }

    const BOUNDARY: &str = "arn:aws:iam::123456789012:policy/sls-rs-boundary/shop-prod";
    const STACK_ROLE: &str = "arn:aws:iam::123456789012:role/sls-rs/shop-prod/shop-prod-ApiRole-1A2B";

    fn ask(statements: &[Value], action: &str, resource: &str, context: &[(&str, &str)]) -> Decision {
        decide(statements, &Request { action, resource, context })
    }

    #[test]
    fn every_role_sls_rs_synthesizes_is_one_the_deploy_role_may_make() {
        assert!(scope("prod").unbounded().is_empty());
        assert!(scope("prod").computed().is_empty());
    }

    #[test]
    fn the_evaluator_matches_as_iam_does() {
        assert!(glob("arn:aws:s3:::b-*/*", "arn:aws:s3:::b-1/k/x", false));
        assert!(!glob("arn:aws:s3:::B-*", "arn:aws:s3:::b-1", false));
        assert!(glob("iam:Create*", "IAM:createrole", true));
        assert!(glob("a?c", "abc", false) && !glob("a?c", "ac", false));
        let st = vec![
            json!({ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }),
            json!({ "Effect": "Deny", "Action": ["s3:DeleteBucket"], "Resource": ["arn:aws:s3:::keep"] }),
        ];
        assert_eq!(ask(&st, "s3:DeleteBucket", "arn:aws:s3:::keep", &[]), Decision::Denied);
        assert_eq!(ask(&st, "s3:DeleteBucket", "arn:aws:s3:::other", &[]), Decision::Allow);
        assert_eq!(ask(&st, "sqs:SendMessage", "arn:aws:s3:::other", &[]), Decision::NotAllowed);
    }

    #[test]
    fn a_role_can_be_made_only_with_the_stacks_boundary() {
        let f = prod();
        let with = [("iam:PermissionsBoundary", BOUNDARY)];
        assert_eq!(ask(&f.role, "iam:CreateRole", STACK_ROLE, &with), Decision::Allow);
        assert_eq!(ask(&f.role, "iam:CreateRole", STACK_ROLE, &[]), Decision::NotAllowed, "no boundary");
        let admin = [("iam:PermissionsBoundary", "arn:aws:iam::aws:policy/AdministratorAccess")];
        assert_eq!(ask(&f.role, "iam:CreateRole", STACK_ROLE, &admin), Decision::NotAllowed, "another boundary");
        let elsewhere = "arn:aws:iam::123456789012:role/admin";
        assert_eq!(ask(&f.role, "iam:CreateRole", elsewhere, &with), Decision::NotAllowed, "outside the path");
        let other_stack = "arn:aws:iam::123456789012:role/sls-rs/shop-prod-eu/x";
        assert_eq!(ask(&f.role, "iam:CreateRole", other_stack, &with), Decision::NotAllowed, "another stack's path");
    }

    #[test]
    fn a_roles_permissions_change_only_while_it_carries_the_boundary() {
        let f = prod();
        let with = [("iam:PermissionsBoundary", BOUNDARY)];
        for action in ["iam:PutRolePolicy", "iam:DeleteRolePolicy"] {
            assert_eq!(ask(&f.role, action, STACK_ROLE, &with), Decision::Allow, "{action}");
            assert_eq!(ask(&f.role, action, STACK_ROLE, &[]), Decision::NotAllowed, "{action} without boundary");
        }
        // A boundary can be put on a stack role, only this one; never taken off.
        assert_eq!(ask(&f.role, "iam:PutRolePermissionsBoundary", STACK_ROLE, &with), Decision::Allow);
        let other = [("iam:PermissionsBoundary", "arn:aws:iam::123456789012:policy/mine")];
        assert_eq!(ask(&f.role, "iam:PutRolePermissionsBoundary", STACK_ROLE, &other), Decision::NotAllowed);
        assert_eq!(ask(&f.role, "iam:DeleteRolePermissionsBoundary", STACK_ROLE, &with), Decision::Denied);
        // Managed policies (AdministratorAccess) are never attached, and trust never rewritten.
        for action in ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy"] {
            assert_ne!(ask(&f.role, action, STACK_ROLE, &with), Decision::Allow, "{action}");
        }
    }

    #[test]
    fn the_boundary_itself_cannot_be_changed_deleted_or_replaced() {
        let f = prod();
        for action in [
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:DeletePolicy",
            "iam:TagPolicy",
        ] {
            assert_eq!(ask(&f.role, action, BOUNDARY, &[]), Decision::Denied, "{action}");
        }
        assert_eq!(ask(&f.role, "iam:GetPolicy", BOUNDARY, &[]), Decision::Allow, "deploy looks it up");
        assert_ne!(ask(&f.role, "iam:CreatePolicy", "arn:aws:iam::123456789012:policy/x", &[]), Decision::Allow);
    }

    #[test]
    fn roles_pass_only_to_lambda_and_only_the_stacks_own() {
        let f = prod();
        let lambda = [("iam:PassedToService", "lambda.amazonaws.com")];
        assert_eq!(ask(&f.role, "iam:PassRole", STACK_ROLE, &lambda), Decision::Allow);
        for service in ["ec2.amazonaws.com", "cloudformation.amazonaws.com", "codebuild.amazonaws.com"] {
            let to = [("iam:PassedToService", service)];
            assert_eq!(ask(&f.role, "iam:PassRole", STACK_ROLE, &to), Decision::NotAllowed, "{service}");
        }
        for role in ["arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/sls-rs-ci/deploy"] {
            assert_eq!(ask(&f.role, "iam:PassRole", role, &lambda), Decision::NotAllowed, "{role}");
        }
    }

    #[test]
    fn the_deploy_role_cannot_touch_itself_users_or_keys() {
        let f = prod();
        let own = "arn:aws:iam::123456789012:role/sls-rs-ci/sls-rs-github-acme-shop-DeployRole-X";
        for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"] {
            assert_eq!(ask(&f.role, action, own, &[("iam:PermissionsBoundary", BOUNDARY)]), Decision::NotAllowed);
        }
        let user = "arn:aws:iam::123456789012:user/x";
        for action in ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy"] {
            assert_eq!(ask(&f.role, action, user, &[]), Decision::NotAllowed, "{action}");
        }
        let function_role = STACK_ROLE;
        assert_eq!(ask(&f.role, "sts:AssumeRole", function_role, &[]), Decision::NotAllowed);
    }

    #[test]
    fn functions_open_only_to_the_services_the_templates_name() {
        let f = prod();
        let api = "arn:aws:lambda:eu-west-1:123456789012:function:shop-prod-api";
        for principal in ["apigateway.amazonaws.com", "s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com"] {
            let by = [("lambda:Principal", principal)];
            assert_eq!(ask(&f.role, "lambda:AddPermission", api, &by), Decision::Allow, "{principal}");
        }
        for principal in ["*", "210987654321", "arn:aws:iam::210987654321:root"] {
            let by = [("lambda:Principal", principal)];
            assert_eq!(ask(&f.role, "lambda:AddPermission", api, &by), Decision::NotAllowed, "{principal}");
        }
        assert_ne!(ask(&f.role, "lambda:CreateFunctionUrlConfig", api, &[]), Decision::Allow);
    }

    #[test]
    fn stacks_and_the_deployment_bucket_are_deployed_not_administered() {
        let f = prod();
        let bucket = "arn:aws:s3:::sls-rs-123456789012-eu-west-1";
        assert_eq!(ask(&f.role, "s3:PutObject", &format!("{bucket}/shop-prod/api/abc.zip"), &[]), Decision::Allow);
        assert_eq!(ask(&f.role, "s3:GetBucketLocation", bucket, &[]), Decision::Allow);
        for (action, resource) in [
            ("s3:PutObject", format!("{bucket}/users-prod/api/abc.zip")),
            ("s3:PutObject", format!("{bucket}/shop-prod-eu/api/abc.zip")),
            ("s3:ListBucket", bucket.to_string()),
            ("s3:PutBucketPolicy", bucket.to_string()),
            ("s3:PutBucketPublicAccessBlock", bucket.to_string()),
            ("s3:PutLifecycleConfiguration", bucket.to_string()),
            ("s3:DeleteBucket", bucket.to_string()),
        ] {
            assert_eq!(ask(&f.role, action, &resource, &[]), Decision::NotAllowed, "{action} {resource}");
        }
        let stack = |s: &str| format!("arn:aws:cloudformation:eu-west-1:123456789012:stack/{s}/1");
        assert_eq!(ask(&f.role, "cloudformation:CreateChangeSet", &stack("shop-prod"), &[]), Decision::Allow);
        for other in ["shop-prod-eu", "sls-rs-bootstrap", "sls-rs-github-acme-shop-1234abcd-prod"] {
            for action in ["cloudformation:CreateChangeSet", "cloudformation:CreateStack", "cloudformation:DeleteStack"]
            {
                assert_eq!(ask(&f.role, action, &stack(other), &[]), Decision::NotAllowed, "{action} {other}");
            }
        }
    }

    /// Every ARN of `scope`'s named resources, as AWS writes them.
    fn arns_of(scope: &StackScope) -> Vec<(String, String)> {
        let resolve = |n: &str| n.replace("${AWS::AccountId}", ACCOUNT);
        scope
            .resources
            .iter()
            .filter_map(|r| {
                let super::super::scope::NameOf::Given(name) = &r.name else { return None };
                let name = resolve(name);
                let arn = match r.kind.as_str() {
                    "AWS::Lambda::Function" => format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"),
                    "AWS::DynamoDB::Table" => format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"),
                    "AWS::SQS::Queue" => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
                    "AWS::SNS::Topic" => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}"),
                    "AWS::S3::Bucket" => format!("arn:aws:s3:::{name}"),
                    "AWS::Logs::LogGroup" => format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}"),
                    "AWS::Events::Rule" => format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/{name}"),
                    _ => return None,
                };
                Some((r.kind.clone(), arn))
            })
            .collect()
    }

    /// The action CloudFormation calls to make each kind.
    fn creates(kind: &str) -> &'static str {
        match kind {
            "AWS::Lambda::Function" => "lambda:CreateFunction",
            "AWS::DynamoDB::Table" => "dynamodb:CreateTable",
            "AWS::SQS::Queue" => "sqs:CreateQueue",
            "AWS::SNS::Topic" => "sns:CreateTopic",
            "AWS::S3::Bucket" => "s3:CreateBucket",
            "AWS::Logs::LogGroup" => "logs:CreateLogGroup",
            "AWS::Events::Rule" => "events:PutRule",
            other => panic!("{other}"),
        }
    }

    #[test]
    fn each_grant_names_exactly_its_own_stages_resources() {
        // Stage `prod-eu`'s names start with stage `prod`'s (`shop-prod-` + `eu-api`): a
        // `shop-prod-*` pattern would hand prod's role the other stage.
        let f = prod();
        let (mine, theirs) = (arns_of(&scope("prod")), arns_of(&scope("prod-eu")));
        assert!(mine.len() > 15 && theirs.len() == mine.len(), "{} {}", mine.len(), theirs.len());
        for (kind, arn) in &mine {
            assert_eq!(ask(&f.role, creates(kind), arn, &[]), Decision::Allow, "prod's own {arn}");
        }
        for (kind, arn) in &theirs {
            assert_eq!(ask(&f.role, creates(kind), arn, &[]), Decision::NotAllowed, "prod-eu's {arn}");
            assert_ne!(ask(&f.boundary, "dynamodb:GetItem", arn, &[]), Decision::Allow, "boundary: {arn}");
        }
    }

    #[test]
    fn a_service_named_in_capitals_gets_grants_that_match_what_aws_names() {
        let text = include_str!("../../tests/fixtures/full.yaml").replacen("service: shop", "service: Shop", 1);
        let plan = crate::plan::from_str(&text, std::path::Path::new("sls.yaml"), std::path::Path::new("."), "prod")
            .expect("plans");
        let template = serde_json::to_value(crate::synth::synthesize(&plan).unwrap().template).unwrap();
        let scope = StackScope::of(&plan.stack_name, &template, vec![]);
        let trust = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        let doc =
            serde_json::to_value(github::template(&trust, std::slice::from_ref(&scope)).unwrap().template).unwrap();
        let role = role_statements(&doc);
        let bucket = format!("arn:aws:s3:::shop-prod-uploads-{ACCOUNT}");
        assert_eq!(ask(&role, "s3:CreateBucket", &bucket, &[]), Decision::Allow, "S3 lower-cases names");
        let function = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:Shop-prod-api");
        assert_eq!(ask(&role, "lambda:CreateFunction", &function, &[]), Decision::Allow);
        for (kind, arn) in arns_of(&scope) {
            assert_eq!(ask(&role, creates(&kind), &arn, &[]), Decision::Allow, "{arn}");
        }
    }

    #[test]
    fn the_boundary_holds_what_functions_use_and_nothing_of_iam() {
        let f = prod();
        let table = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/shop-prod-users");
        for action in ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"] {
            assert_eq!(ask(&f.boundary, action, &table, &[]), Decision::Allow, "{action}");
        }
        assert_eq!(ask(&f.boundary, "dynamodb:Query", &format!("{table}/index/byEmail"), &[]), Decision::Allow);
        assert_eq!(ask(&f.boundary, "dynamodb:GetRecords", &format!("{table}/stream/2026"), &[]), Decision::Allow);
        let objects = format!("arn:aws:s3:::shop-prod-uploads-{ACCOUNT}/images/a.png");
        assert_eq!(ask(&f.boundary, "s3:GetObject", &objects, &[]), Decision::Allow);
        assert_eq!(ask(&f.boundary, "xray:PutTraceSegments", "*", &[]), Decision::Allow, "audit is traced");
        for action in
            ["iam:PassRole", "iam:CreateRole", "sts:AssumeRole", "lambda:UpdateFunctionCode", "s3:PutBucketPolicy"]
        {
            assert_eq!(ask(&f.boundary, action, "*", &[]), Decision::NotAllowed, "{action}");
        }
        assert_eq!(ask(&f.boundary, "dynamodb:DeleteTable", &table, &[]), Decision::NotAllowed);
        let foreign = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/billing-prod-invoices");
        assert_eq!(ask(&f.boundary, "dynamodb:GetItem", &foreign, &[]), Decision::NotAllowed);
    }

    #[test]
    fn every_function_role_sls_rs_writes_fits_inside_its_boundary() {
        // The roles' own statements, each action on each resource they name, must all be
        // allowed by the boundary, or the boundary would silently take a function's rights.
        let text = include_str!("../../tests/fixtures/full.yaml");
        let plan =
            crate::plan::from_str(text, std::path::Path::new("sls.yaml"), std::path::Path::new("."), "prod").unwrap();
        let template = serde_json::to_value(crate::synth::synthesize(&plan).unwrap().template).unwrap();
        let scope = StackScope::of(&plan.stack_name, &template, vec![]);
        let arn_of = |id: &str, attr: &str| -> String {
            let named = scope.resources.iter().find(|r| r.logical_id == id).expect("a resource");
            let super::super::scope::NameOf::Given(name) = &named.name else { panic!("{id} has no name") };
            let name = name.replace("${AWS::AccountId}", ACCOUNT);
            match (named.kind.as_str(), attr) {
                ("AWS::DynamoDB::Table", "StreamArn") => {
                    format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}/stream/2026-01-01T00:00:00.000")
                }
                ("AWS::DynamoDB::Table", _) => format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"),
                ("AWS::SQS::Queue", _) => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
                ("AWS::SNS::Topic", _) => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}"),
                ("AWS::Logs::LogGroup", _) => format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}:*"),
                (kind, attr) => panic!("{kind}.{attr}"),
            }
        };
        // A statement's resource as the ARN of one concrete thing it names.
        let resolve = |r: &Value| -> String {
            if let Some(s) = r.as_str() {
                return s.to_string();
            }
            if let Some(att) = r.get("Fn::GetAtt") {
                return arn_of(att[0].as_str().unwrap(), att[1].as_str().unwrap());
            }
            if let Some(id) = r.get("Ref").and_then(Value::as_str) {
                return arn_of(id, "Arn"); // a topic's Ref is its ARN
            }
            let mut text = r["Fn::Sub"].as_str().expect("a Fn::Sub").to_string();
            while let Some(at) = text.find("${") {
                let end = at + text[at..].find('}').unwrap();
                let var = &text[at + 2..end];
                let value = match var {
                    "AWS::Partition" => "aws".to_string(),
                    "AWS::AccountId" => ACCOUNT.to_string(),
                    "AWS::Region" => REGION.to_string(),
                    other => {
                        let (id, attr) = other.split_once('.').expect("Id.Attr");
                        arn_of(id, attr)
                    }
                };
                text.replace_range(at..=end, &value);
            }
            text.replace("/*", "/one")
        };
        let f = prod();
        let mut checked = 0;
        for (id, r) in template["Resources"].as_object().unwrap() {
            if r["Type"] != "AWS::IAM::Role" {
                continue;
            }
            for policy in r["Properties"]["Policies"].as_array().unwrap() {
                for st in policy["PolicyDocument"]["Statement"].as_array().unwrap() {
                    for action in st["Action"].as_array().unwrap() {
                        for resource in st["Resource"].as_array().unwrap() {
                            let arn = resolve(resource);
                            let action = action.as_str().unwrap();
                            assert_eq!(ask(&f.boundary, action, &arn, &[]), Decision::Allow, "{id}: {action} on {arn}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }
}
