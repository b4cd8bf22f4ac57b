//! Beside the pipeline — CI credentials: for each kind of resource sls-rs puts in a template,
//! what CloudFormation does with the deploying role's rights to make, change and delete it,
//! named by the stack's own names wherever AWS allows.

use super::policy::{arn, statement, StackScope};
use serde_json::{json, Value};

/// What CloudFormation does to a bucket sls-rs makes (hardened, maybe versioned, notifying).
pub(super) const BUCKET_CONFIG: &[&str] = &[
    "s3:CreateBucket",
    "s3:PutBucketPolicy",
    "s3:GetBucketPolicy",
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
];

pub(super) struct Grant {
    pub sid: &'static str,
    /// The template resource types it lets CloudFormation manage.
    pub types: &'static [&'static str],
    /// In groups, so a group can be shared (the bucket settings the bootstrap stack needs too).
    pub actions: &'static [&'static [&'static str]],
    pub resources: fn(&str) -> Vec<String>,
    /// A statement that goes with it and cannot share its resources.
    pub with: Option<fn(&[StackScope]) -> Value>,
}

pub(super) const GRANTS: &[Grant] = &[
    Grant {
        sid: "Functions",
        types: &["AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Lambda::EventInvokeConfig"],
        actions: &[&[
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
            "lambda:AddPermission",
            "lambda:RemovePermission",
            "lambda:GetPolicy",
            "lambda:PutFunctionEventInvokeConfig",
            "lambda:UpdateFunctionEventInvokeConfig",
            "lambda:DeleteFunctionEventInvokeConfig",
            "lambda:GetFunctionEventInvokeConfig",
        ]],
        resources: |stack| vec![arn("lambda", &format!("function:{stack}-*"))],
        with: None,
    },
    Grant {
        sid: "FunctionRoles",
        types: &["AWS::IAM::Role"],
        actions: &[&[
            "iam:CreateRole",
            "iam:DeleteRole",
            "iam:GetRole",
            "iam:UpdateRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy",
            "iam:GetRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:TagRole",
            "iam:UntagRole",
        ]],
        resources: role,
        with: Some(pass_role),
    },
    Grant {
        sid: "LogGroups",
        types: &["AWS::Logs::LogGroup"],
        actions: &[&[
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy",
            "logs:TagResource",
            "logs:UntagResource",
            "logs:ListTagsForResource",
            "logs:TagLogGroup",
            "logs:ListTagsLogGroup",
        ]],
        resources: |stack| {
            let groups = [format!("/aws/lambda/{stack}-*"), format!("/aws/http-api/{stack}")];
            groups
                .iter()
                .flat_map(|g| [arn("logs", &format!("log-group:{g}")), arn("logs", &format!("log-group:{g}:*"))])
                .collect()
        },
        with: Some(describe_log_groups),
    },
    Grant {
        sid: "EventSourceMappings",
        types: &["AWS::Lambda::EventSourceMapping"],
        // Mappings have random ids, so these name the account's and region's; creating one is
        // limited to this stack's functions by the condition in `create_mappings`.
        actions: &[&[
            "lambda:GetEventSourceMapping",
            "lambda:UpdateEventSourceMapping",
            "lambda:DeleteEventSourceMapping",
            "lambda:ListEventSourceMappings",
        ]],
        resources: |_| vec![arn("lambda", "event-source-mapping:*")],
        with: Some(create_mappings),
    },
    Grant {
        sid: "Tables",
        types: &["AWS::DynamoDB::Table"],
        actions: &[&[
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
        ]],
        resources: |stack| vec![arn("dynamodb", &format!("table/{stack}-*"))],
        with: None,
    },
    Grant {
        sid: "Queues",
        types: &["AWS::SQS::Queue", "AWS::SQS::QueuePolicy"],
        actions: &[&[
            "sqs:CreateQueue",
            "sqs:DeleteQueue",
            "sqs:GetQueueAttributes",
            "sqs:SetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:TagQueue",
            "sqs:UntagQueue",
            "sqs:ListQueueTags",
        ]],
        resources: |stack| vec![arn("sqs", &format!("{stack}-*"))],
        with: None,
    },
    Grant {
        sid: "Topics",
        types: &["AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy"],
        actions: &[&[
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:TagResource",
            "sns:UntagResource",
            "sns:ListTagsForResource",
            "sns:Subscribe",
            "sns:Unsubscribe",
            "sns:GetSubscriptionAttributes",
            "sns:SetSubscriptionAttributes",
            "sns:ListSubscriptionsByTopic",
        ]],
        resources: |stack| vec![arn("sns", &format!("{stack}-*"))],
        with: None,
    },
    Grant {
        sid: "Buckets",
        types: &["AWS::S3::Bucket", "AWS::S3::BucketPolicy"],
        actions: &[
            BUCKET_CONFIG,
            &[
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:PutBucketVersioning",
                "s3:GetBucketVersioning",
                "s3:PutBucketNotification",
                "s3:GetBucketNotification",
                "s3:GetBucketLocation",
            ],
        ],
        resources: |stack| vec![format!("arn:${{AWS::Partition}}:s3:::{stack}-*")],
        with: None,
    },
    Grant {
        sid: "Rules",
        types: &["AWS::Events::Rule"],
        actions: &[&[
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
        ]],
        // Rules on the default bus, and on any other bus the config names.
        resources: |stack| vec![arn("events", &format!("rule/{stack}-*")), arn("events", &format!("rule/*/{stack}-*"))],
        with: None,
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
        actions: &[&["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]],
        resources: |_| {
            let paths = ["/apis", "/apis/*", "/tags/*"];
            paths.iter().map(|p| format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::{p}")).collect()
        },
        with: Some(log_delivery),
    },
];

fn role(stack: &str) -> Vec<String> {
    let path = crate::plan::names::role_path(stack);
    vec![format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{path}*")]
}

/// Only to Lambda, only the stacks' own function roles.
fn pass_role(scopes: &[StackScope]) -> Value {
    let mut st =
        statement("PassFunctionRoles", &["iam:PassRole"], scopes.iter().flat_map(|s| role(&s.stack)).collect());
    st["Condition"] = json!({ "StringEquals": { "iam:PassedToService": "lambda.amazonaws.com" } });
    st
}

fn create_mappings(scopes: &[StackScope]) -> Value {
    let functions: Vec<Value> =
        scopes.iter().map(|s| json!({ "Fn::Sub": arn("lambda", &format!("function:{}-*", s.stack)) })).collect();
    json!({
        "Sid": "CreateEventSourceMappings",
        "Effect": "Allow",
        "Action": ["lambda:CreateEventSourceMapping"],
        "Resource": "*",
        "Condition": { "StringLike": { "lambda:FunctionArn": functions } },
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
