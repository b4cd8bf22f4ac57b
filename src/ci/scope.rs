//! Beside the pipeline — CI credentials: what one stack's template holds, as the deploy role and
//! the permissions boundary must name it. Each resource by its own name, read from the template
//! sls-rs synthesized (where the naming rules put it): a pattern such as `<stack>-*` would also
//! name other stages' resources (`shop-prod-*` matches stage `prod-eu`'s `shop-prod-eu-api`,
//! since stage names may hold `-`), and case-sensitive ARNs must be written as the names are.

use serde_json::Value;
use std::collections::BTreeSet;

/// One stack the role may deploy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StackScope {
    pub stack: String,
    /// Every resource of its template.
    pub resources: Vec<Named>,
    /// The stacks whose outputs it reads: its functions may use their resources.
    pub reads: Vec<String>,
}

/// A resource of the template and what it will be called on AWS.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Named {
    pub kind: String,
    pub logical_id: String,
    pub name: NameOf,
    /// An EventBridge rule's bus, when not the default one.
    pub bus: Option<String>,
    /// A function traced with X-Ray (its role then writes segments).
    pub traced: bool,
    /// Whom a Lambda permission lets invoke a function (`s3.amazonaws.com`, ...).
    pub principal: Option<String>,
    /// A role the deploy role cannot make: not under the stack's path, or without the
    /// stack's boundary (a raw `cloudformation:` role).
    pub unbounded: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NameOf {
    /// The name the template gives it, with `${AWS::AccountId}`, `${AWS::Region}` and
    /// `${AWS::Partition}` left for the CI stack's `Fn::Sub`.
    Given(String),
    /// None given: CloudFormation calls it `<stack>-<logical id>-<random>`.
    Generated,
    /// Computed in a way the role cannot know beforehand (a parameter, another resource).
    Computed,
}

/// The property holding each named type's physical name.
const NAME_PROPERTY: &[(&str, &str)] = &[
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SNS::Topic", "TopicName"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::Events::Rule", "Name"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
];

/// Pseudo parameters the CI stack's own `Fn::Sub` fills in the same way.
const SAME_IN_ANY_STACK: &[&str] = &["${AWS::AccountId}", "${AWS::Region}", "${AWS::Partition}"];

impl StackScope {
    /// The scope of `stack` from its synthesized template (as JSON).
    pub(crate) fn of(stack: &str, template: &Value, reads: Vec<String>) -> StackScope {
        let resources = template["Resources"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(id, r)| {
                let kind = r["Type"].as_str().unwrap_or_default().to_string();
                let props = &r["Properties"];
                let name = match NAME_PROPERTY.iter().find(|(t, _)| *t == kind) {
                    Some((_, key)) => name_of(stack, &props[*key]),
                    None => NameOf::Generated,
                };
                let bus = props["EventBusName"].as_str().map(|b| b.rsplit('/').next().unwrap_or(b).to_string());
                let bus = bus.filter(|b| b != "default");
                let traced = props["TracingConfig"]["Mode"] == "Active";
                let principal = props["Principal"].as_str().filter(|_| kind == "AWS::Lambda::Permission");
                let unbounded = kind == "AWS::IAM::Role"
                    && (props["Path"].as_str() != Some(&crate::plan::names::role_path(stack))
                        || props["PermissionsBoundary"] != crate::synth::permissions_boundary());
                let principal = principal.map(str::to_string);
                Named { kind, logical_id: id.clone(), name, bus, traced, principal, unbounded }
            })
            .collect();
        StackScope { stack: stack.to_string(), resources, reads }
    }

    pub(crate) fn types(&self) -> BTreeSet<&str> {
        self.resources.iter().map(|r| r.kind.as_str()).collect()
    }

    /// The names of its resources of these types, as ARN-ready text: the given name, else the
    /// pattern of the name CloudFormation generates. Computed names are left out (and reported
    /// by `computed`).
    pub(crate) fn names(&self, kinds: &[&str]) -> Vec<(String, &Named)> {
        self.resources
            .iter()
            .filter(|r| kinds.contains(&r.kind.as_str()))
            .filter_map(|r| {
                let name = match &r.name {
                    NameOf::Given(n) => n.clone(),
                    // S3 lower-cases the names it generates.
                    NameOf::Generated if r.kind == "AWS::S3::Bucket" => {
                        format!("{}-{}-*", self.stack, r.logical_id).to_ascii_lowercase()
                    }
                    NameOf::Generated => format!("{}-{}-*", self.stack, r.logical_id),
                    NameOf::Computed => return None,
                };
                Some((name, r))
            })
            .collect()
    }

    /// Roles of the template the deploy role may not make: `(logical id, why)`.
    pub(crate) fn unbounded(&self) -> Vec<&str> {
        self.resources.iter().filter(|r| r.unbounded).map(|r| r.logical_id.as_str()).collect()
    }

    /// Resources of named types whose names the role cannot know: `(logical id, type)`.
    pub(crate) fn computed(&self) -> Vec<(&str, &str)> {
        let named: Vec<&str> = NAME_PROPERTY.iter().map(|(t, _)| *t).collect();
        self.resources
            .iter()
            .filter(|r| r.name == NameOf::Computed && named.contains(&r.kind.as_str()))
            .map(|r| (r.logical_id.as_str(), r.kind.as_str()))
            .collect()
    }
}

/// A name property's value: text, or `Fn::Sub` text whose only variables are the stack's name
/// and the pseudo parameters every stack of the account and region fills in alike.
fn name_of(stack: &str, value: &Value) -> NameOf {
    let text = match value {
        Value::Null => return NameOf::Generated,
        Value::String(s) => return NameOf::Given(s.replace("${", "${!")),
        other => match other.get("Fn::Sub").and_then(Value::as_str) {
            Some(t) => t.replace("${AWS::StackName}", stack),
            None => return NameOf::Computed,
        },
    };
    let mut rest = text.as_str();
    while let Some(at) = rest.find("${") {
        let var = &rest[at..];
        if let Some(escaped) = var.strip_prefix("${!") {
            rest = escaped;
            continue;
        }
        match SAME_IN_ANY_STACK.iter().find(|p| var.starts_with(**p)) {
            Some(p) => rest = &var[p.len()..],
            None => return NameOf::Computed,
        }
    }
    NameOf::Given(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_come_from_the_template_as_written() {
        let template = json!({ "Resources": {
            "ApiFunction": { "Type": "AWS::Lambda::Function",
                "Properties": { "FunctionName": "Shop-prod-api", "TracingConfig": { "Mode": "Active" } } },
            "UploadsBucket": { "Type": "AWS::S3::Bucket",
                "Properties": { "BucketName": { "Fn::Sub": "shop-prod-uploads-${AWS::AccountId}" } } },
            "Alarms": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": { "Fn::Sub": "${AWS::StackName}-alarms" } } },
            "Raw": { "Type": "AWS::SQS::Queue", "Properties": {} },
            "RawBucket": { "Type": "AWS::S3::Bucket" },
            "FromParam": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Ref": "Name" } } },
            "RawRole": { "Type": "AWS::IAM::Role", "Properties": { "Path": "/sls-rs/Shop-prod/" } },
            "Orders": { "Type": "AWS::Events::Rule",
                "Properties": { "Name": "Shop-prod-1a2b3c", "EventBusName": "arn:aws:events:eu-west-1:1:event-bus/orders" } },
        } });
        let scope = StackScope::of("Shop-prod", &template, vec![]);
        let names = |kind: &str| -> Vec<String> {
            let mut names: Vec<String> = scope.names(&[kind]).into_iter().map(|(n, _)| n).collect();
            names.sort();
            names
        };
        assert_eq!(names("AWS::Lambda::Function"), ["Shop-prod-api"]);
        assert_eq!(
            names("AWS::S3::Bucket"),
            ["shop-prod-rawbucket-*", "shop-prod-uploads-${AWS::AccountId}"],
            "S3 names are written as S3 has them"
        );
        assert_eq!(names("AWS::SNS::Topic"), ["Shop-prod-alarms"]);
        assert_eq!(names("AWS::SQS::Queue"), ["Shop-prod-Raw-*"]);
        assert_eq!(scope.computed(), [("FromParam", "AWS::SQS::Queue")]);
        assert_eq!(scope.unbounded(), ["RawRole"], "a role without the boundary cannot be made by CI");
        let rule = scope.resources.iter().find(|r| r.logical_id == "Orders").unwrap();
        assert_eq!(rule.bus.as_deref(), Some("orders"));
        assert!(scope.resources.iter().any(|r| r.traced));
    }
}
