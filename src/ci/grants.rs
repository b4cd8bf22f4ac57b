//! Beside the pipeline — CI credentials: for each kind of resource sls-rs puts in a template,
//! what CloudFormation does with the deploying role's rights to make, change and delete it,
//! on exactly the resources the templates name.

use super::policy::{arn, statement};
use super::scope::StackScope;
use serde_json::{json, Value};

pub(super) struct Grant {
    pub sid: &'static str,
    /// The template resource types it lets CloudFormation manage.
    pub types: &'static [&'static str],
    pub actions: &'static [&'static str],
    /// The ARNs it names in one stack.
    pub resources: fn(&StackScope) -> Vec<String>,
    /// The condition its statement carries, if any.
    pub condition: Option<fn(&[StackScope]) -> Value>,
    /// Statements that go with it and cannot share its resources.
    pub with: &'static [fn(&[StackScope]) -> Value],
}

const FUNCTION_TYPES: &[&str] = &["AWS::Lambda::Function", "AWS::Lambda::EventInvokeConfig"];

pub(super) const GRANTS: &[Grant] = &[
    Grant {
        sid: "Functions",
        types: FUNCTION_TYPES,
        actions: &[
            "lambda:CreateFunction",
            "lambda:DeleteFunction",
            "lambda:GetFunction",
            "lambda:GetFunctionConfiguration",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
            "lambda:GetFunctionCodeSigningConfig",
            "lambda:GetRuntimeManagementConfig",
            "lambda:ListTags",
            "lambda:TagResource",
            "lambda:UntagResource",
            "lambda:PutFunctionConcurrency",
            "lambda:DeleteFunctionConcurrency",
            "lambda:GetPolicy",
            "lambda:PutFunctionEventInvokeConfig",
            "lambda:UpdateFunctionEventInvokeConfig",
            "lambda:DeleteFunctionEventInvokeConfig",
            "lambda:GetFunctionEventInvokeConfig",
        ],
        resources: functions,
        condition: None,
        with: &[],
    },
    Grant {
        sid: "FunctionPermissions",
        types: &["AWS::Lambda::Permission"],
        // Who may invoke a function: only the services the templates let in (`invokers`), so no
        // deploy can open a function to another account.
        actions: &["lambda:AddPermission"],
        resources: functions,
        condition: Some(invokers),
        with: &[remove_permissions],
    },
    Grant {
        sid: "FunctionRoles",
        types: &["AWS::IAM::Role"],
        // Making a role or changing what it may do needs the stack's boundary on it: see
        // `policy::bounded_roles`.
        actions: &[
            "iam:GetRole",
            "iam:DeleteRole",
            "iam:UpdateRole",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:GetRolePolicy",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
        ],
        resources: roles,
        condition: None,
        with: &[pass_role],
    },
    Grant {
        sid: "LogGroups",
        types: &["AWS::Logs::LogGroup"],
        actions: &[
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy",
            "logs:TagResource",
            "logs:UntagResource",
            "logs:ListTagsForResource",
            "logs:TagLogGroup",
            "logs:ListTagsLogGroup",
        ],
        resources: |s| {
            s.names(&["AWS::Logs::LogGroup"])
                .into_iter()
                .flat_map(|(g, _)| [arn("logs", &format!("log-group:{g}")), arn("logs", &format!("log-group:{g}:*"))])
                .collect()
        },
        condition: None,
        with: &[describe_log_groups],
    },
    Grant {
        sid: "EventSourceMappings",
        types: &["AWS::Lambda::EventSourceMapping"],
        // Mappings have random ids, so these name the account's and region's; creating one is
        // limited to these stacks' functions by the condition in `create_mappings`.
        actions: &[
            "lambda:GetEventSourceMapping",
            "lambda:UpdateEventSourceMapping",
            "lambda:DeleteEventSourceMapping",
        ],
        resources: |_| vec![arn("lambda", "event-source-mapping:*")],
        condition: None,
        with: &[create_mappings, list_mappings],
    },
    Grant {
        sid: "Tables",
        types: &["AWS::DynamoDB::Table"],
        actions: &[
            "dynamodb:CreateTable",
            "dynamodb:DeleteTable",
            "dynamodb:DescribeTable",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive",
            "dynamodb:DescribeTimeToLive",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:TagResource",
            "dynamodb:UntagResource",
            "dynamodb:ListTagsOfResource",
        ],
        resources: |s| named(s, &["AWS::DynamoDB::Table"], |t| arn("dynamodb", &format!("table/{t}"))),
        condition: None,
        with: &[],
    },
    Grant {
        sid: "Queues",
        types: &["AWS::SQS::Queue", "AWS::SQS::QueuePolicy"],
        actions: &[
            "sqs:CreateQueue",
            "sqs:DeleteQueue",
            "sqs:GetQueueAttributes",
            "sqs:SetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:TagQueue",
            "sqs:UntagQueue",
            "sqs:ListQueueTags",
        ],
        resources: |s| named(s, &["AWS::SQS::Queue"], |q| arn("sqs", q)),
        condition: None,
        with: &[],
    },
    Grant {
        sid: "Topics",
        types: &["AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy"],
        actions: &[
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:TagResource",
            "sns:UntagResource",
            "sns:ListTagsForResource",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
        ],
        resources: |s| named(s, &["AWS::SNS::Topic"], |t| arn("sns", t)),
        condition: None,
        with: &[subscriptions],
    },
    Grant {
        sid: "Buckets",
        types: &["AWS::S3::Bucket", "AWS::S3::BucketPolicy"],
        actions: &[
            "s3:CreateBucket",
            "s3:DeleteBucket",
            "s3:PutBucketPolicy",
            "s3:GetBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutEncryptionConfiguration",
            "s3:GetEncryptionConfiguration",
            "s3:PutBucketPublicAccessBlock",
            "s3:GetBucketPublicAccessBlock",
            "s3:PutBucketOwnershipControls",
            "s3:GetBucketOwnershipControls",
            "s3:PutLifecycleConfiguration",
            "s3:GetLifecycleConfiguration",
            "s3:PutBucketTagging",
            "s3:GetBucketTagging",
            "s3:PutBucketVersioning",
            "s3:GetBucketVersioning",
            "s3:PutBucketNotification",
            "s3:GetBucketNotification",
            "s3:GetBucketLocation",
        ],
        resources: |s| named(s, &["AWS::S3::Bucket"], |b| format!("arn:${{AWS::Partition}}:s3:::{b}")),
        condition: None,
        with: &[],
    },
    Grant {
        sid: "Rules",
        types: &["AWS::Events::Rule"],
        actions: &[
            "events:PutRule",
            "events:DeleteRule",
            "events:DescribeRule",
            "events:EnableRule",
            "events:DisableRule",
            "events:PutTargets",
            "events:RemoveTargets",
            "events:ListTargetsByRule",
            "events:TagResource",
            "events:UntagResource",
            "events:ListTagsForResource",
        ],
        resources: |s| {
            let rules = s.names(&["AWS::Events::Rule"]).into_iter();
            rules
                .map(|(name, r)| match &r.bus {
                    Some(bus) => arn("events", &format!("rule/{bus}/{name}")),
                    None => arn("events", &format!("rule/{name}")),
                })
                .collect()
        },
        condition: None,
        with: &[],
    },
    Grant {
        sid: "HttpApis",
        types: &[
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Authorizer",
        ],
        // API Gateway names APIs by random ids: these are the account's APIs in this region.
        actions: &["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
        resources: |_| {
            let paths = ["/apis", "/apis/*", "/tags/*"];
            paths.iter().map(|p| format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::{p}")).collect()
        },
        condition: None,
        with: &[log_delivery],
    },
];

/// Each named resource of `kinds` as `arn(name)`.
fn named(s: &StackScope, kinds: &[&str], arn: impl Fn(&str) -> String) -> Vec<String> {
    s.names(kinds).into_iter().map(|(n, _)| arn(&n)).collect()
}

/// A function's ARN, and its versions' and aliases' (`function:<name>:<qualifier>`), which IAM
/// names apart.
pub(super) fn functions(s: &StackScope) -> Vec<String> {
    s.names(&["AWS::Lambda::Function"])
        .into_iter()
        .flat_map(|(f, _)| [arn("lambda", &format!("function:{f}")), arn("lambda", &format!("function:{f}:*"))])
        .collect()
}

/// The stack's roles, by their IAM path (`/sls-rs/<stack>/`, which holds exactly one stack's:
/// a stack name cannot hold `/`).
pub(super) fn roles(s: &StackScope) -> Vec<String> {
    let path = crate::plan::names::role_path(&s.stack);
    vec![format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{path}*")]
}

/// Only to Lambda, only the stacks' own function roles.
fn pass_role(scopes: &[StackScope]) -> Value {
    let mut st = statement("PassFunctionRoles", &["iam:PassRole"], scopes.iter().flat_map(roles).collect());
    st["Condition"] = json!({ "StringEquals": { "iam:PassedToService": "lambda.amazonaws.com" } });
    st
}

/// The services the templates' Lambda permissions name, and no one else.
fn invokers(scopes: &[StackScope]) -> Value {
    let principals: std::collections::BTreeSet<&str> =
        scopes.iter().flat_map(|s| &s.resources).filter_map(|r| r.principal.as_deref()).collect();
    json!({ "StringEquals": { "lambda:Principal": principals } })
}

/// Taking a permission away opens nothing; AWS has no condition on whom it names.
fn remove_permissions(scopes: &[StackScope]) -> Value {
    statement("RemoveFunctionPermissions", &["lambda:RemovePermission"], scopes.iter().flat_map(functions).collect())
}

fn create_mappings(scopes: &[StackScope]) -> Value {
    let functions: Vec<Value> = scopes.iter().flat_map(functions).map(|f| json!({ "Fn::Sub": f })).collect();
    json!({
        "Sid": "CreateEventSourceMappings",
        "Effect": "Allow",
        "Action": ["lambda:CreateEventSourceMapping"],
        "Resource": "*",
        "Condition": { "ArnLike": { "lambda:FunctionArn": functions } },
    })
}

/// Names no resource: `*` or never allowed. It only lists mappings.
fn list_mappings(_: &[StackScope]) -> Value {
    json!({ "Sid": "ListEventSourceMappings", "Effect": "Allow", "Action": ["lambda:ListEventSourceMappings"], "Resource": "*" })
}

/// A subscription's own actions name no resource (IAM's Service Authorization Reference):
/// `*` or never allowed. They change whom a topic delivers to, never who may do what.
fn subscriptions(_: &[StackScope]) -> Value {
    json!({
        "Sid": "Subscriptions",
        "Effect": "Allow",
        "Action": ["sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"],
        "Resource": "*",
    })
}

fn describe_log_groups(_: &[StackScope]) -> Value {
    json!({ "Sid": "DescribeLogGroups", "Effect": "Allow", "Action": ["logs:DescribeLogGroups"], "Resource": "*" })
}

/// HTTP API access logs: API Gateway sets up delivery to the log group with the caller's rights.
fn log_delivery(_: &[StackScope]) -> Value {
    json!({
        "Sid": "AccessLogDelivery",
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
        ],
        "Resource": "*",
    })
}
