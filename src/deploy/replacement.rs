//! Deploy stage (read-only, for `diff`): whether a change makes CloudFormation replace a
//! resource — a new one made, the old one deleted — read from the resource types'
//! create-only properties as the CloudFormation registry schemas list them. (`deploy` reads
//! the same from its change set; `diff` stays read-only and needs no upload.)

use super::changes::PropertyChange;

/// Create-only properties of the types sls-rs synthesizes, from the registry schemas
/// (`createOnlyProperties`); tests compare this table with cfn-lint's copy of those schemas.
pub const CREATE_ONLY: &[(&str, &[&str])] = &[
    ("AWS::ApiGatewayV2::Api", &["ProtocolType"]),
    ("AWS::ApiGatewayV2::Authorizer", &["ApiId"]),
    ("AWS::ApiGatewayV2::Integration", &["ApiId"]),
    ("AWS::ApiGatewayV2::Route", &["ApiId"]),
    ("AWS::ApiGatewayV2::Stage", &["StageName", "ApiId"]),
    ("AWS::DynamoDB::Table", &["TableName", "ImportSourceSpecification"]),
    ("AWS::Events::Rule", &["Name"]),
    ("AWS::IAM::Role", &["Path", "RoleName"]),
    ("AWS::Lambda::EventInvokeConfig", &["FunctionName", "Qualifier"]),
    (
        "AWS::Lambda::EventSourceMapping",
        &["EventSourceArn", "StartingPosition", "StartingPositionTimestamp", "SelfManagedEventSource"],
    ),
    ("AWS::Lambda::Function", &["FunctionName", "PackageType", "TenancyConfig"]),
    (
        "AWS::Lambda::Permission",
        &[
            "FunctionName",
            "FunctionUrlAuthType",
            "InvokedViaFunctionUrl",
            "SourceAccount",
            "SourceArn",
            "Principal",
            "PrincipalOrgID",
            "Action",
            "EventSourceToken",
        ],
    ),
    ("AWS::Logs::LogGroup", &["LogGroupName"]),
    ("AWS::S3::Bucket", &["BucketName", "BucketNamePrefix", "BucketNamespace"]),
    ("AWS::S3::BucketPolicy", &["Bucket"]),
    ("AWS::SNS::Subscription", &["Endpoint", "Protocol", "TopicArn"]),
    ("AWS::SNS::Topic", &["TopicName", "FifoTopic"]),
    ("AWS::SQS::Queue", &["FifoQueue", "QueueName"]),
];

/// Replacements the resource documentation names beyond the registry schema: a table's key
/// cannot change in place ("KeySchema — Update requires: Replacement").
const DOCUMENTED: &[(&str, &[&str])] = &[("AWS::DynamoDB::Table", &["KeySchema"])];

/// The property that names a resource: a resource with a name of its own cannot be replaced
/// under the same name, so CloudFormation fails the update instead.
const NAME: &[(&str, &str)] = &[
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SNS::Topic", "TopicName"),
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
    ("AWS::Events::Rule", "Name"),
];

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Replacement {
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The changed properties that force it (`Type` when the type itself changes).
    pub because: Vec<String>,
    /// A table, bucket or queue: what it holds does not move to the new one.
    pub data: bool,
    /// The old one is kept (`UpdateReplacePolicy: Retain`, from `removal: retain`).
    pub kept: bool,
    /// It keeps its name, which CloudFormation cannot do for a replaced resource: the deploy
    /// would fail ("cannot update a stack when a custom-named resource requires replacing").
    pub refused: bool,
}

/// Whether changing `old` into `new` (one resource, as in the template) replaces it.
pub(crate) fn replacement(
    id: &str,
    old: &serde_json::Value,
    new: &serde_json::Value,
    changes: &[PropertyChange],
) -> Option<Replacement> {
    let resource_type = new["Type"].as_str().unwrap_or_default();
    let mut because = Vec::new();
    if old["Type"] != new["Type"] {
        because.push("Type".to_string());
    }
    let create_only = CREATE_ONLY.iter().chain(DOCUMENTED).filter(|(t, _)| *t == resource_type).flat_map(|(_, p)| *p);
    for property in create_only {
        let touched = changes.iter().any(|c| {
            let rest = c.path.strip_prefix("Properties.").and_then(|p| p.strip_prefix(*property));
            rest.is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
        });
        if touched {
            because.push(property.to_string());
        }
    }
    if because.is_empty() {
        return None;
    }
    let data = matches!(resource_type, "AWS::DynamoDB::Table" | "AWS::S3::Bucket" | "AWS::SQS::Queue");
    let name = NAME.iter().find(|(t, _)| *t == resource_type).map(|(_, n)| *n);
    let refused = name.is_some_and(|n| !new["Properties"][n].is_null() && !because.iter().any(|b| b == n));
    let kept = new["UpdateReplacePolicy"] == "Retain";
    Some(Replacement { id: id.to_string(), resource_type: resource_type.to_string(), because, data, kept, refused })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::changes::property_changes;
    use serde_json::json;

    fn check(old: serde_json::Value, new: serde_json::Value) -> Option<Replacement> {
        replacement("R", &old, &new, &property_changes(&old, &new))
    }

    #[test]
    fn a_setting_changes_in_place() {
        let old = json!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "f", "MemorySize": 256}});
        let new = json!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "f", "MemorySize": 512}});
        assert_eq!(check(old, new), None);
    }

    #[test]
    fn a_new_key_replaces_a_table_and_its_kept_name_makes_cloudformation_refuse() {
        let table = |key: &str| {
            json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "users",
                "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]}})
        };
        let r = check(table("id"), table("email")).unwrap();
        assert_eq!((r.because, r.data, r.refused), (vec!["KeySchema".to_string()], true, true));
    }

    #[test]
    fn a_renamed_queue_is_replaced_and_starts_empty() {
        let queue = |name: &str| json!({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}});
        let r = check(queue("a"), queue("a.fifo")).unwrap();
        assert_eq!((r.because, r.data, r.refused), (vec!["QueueName".to_string()], true, false));
    }

    #[test]
    fn a_property_whose_name_starts_like_a_create_only_one_is_not_it() {
        // `TableNameSuffix` is not `TableName`.
        let old = json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableNameSuffix": "a"}});
        let new = json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableNameSuffix": "b"}});
        assert_eq!(check(old, new), None);
    }
}
