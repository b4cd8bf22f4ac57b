//! Synthesis: typed CloudFormation — the template document, its resources, and intrinsics.
//! Property structs serialize with CloudFormation's PascalCase names; maps are ordered so the
//! same config always gives the same bytes.

use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: &'static str,
    pub description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: BTreeMap<String, Value>,
    pub resources: BTreeMap<String, Resource>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, Output>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub properties: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<&'static str>,
    /// Attributes only raw resources carry (`Condition`, `Metadata`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// A typed property set for one CloudFormation resource type.
pub(crate) trait Props: Serialize {
    const TYPE: &'static str;
}

impl Resource {
    pub(crate) fn new<P: Props>(props: P) -> Self {
        Resource {
            kind: P::TYPE.to_string(),
            properties: serde_json::to_value(props).expect("property structs serialize"),
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            extra: serde_json::Map::new(),
        }
    }

    pub(crate) fn depends_on(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.depends_on.extend(ids);
        self.depends_on.sort();
        self.depends_on.dedup();
        self
    }

    /// Keeps the resource (and its data) when it is removed from the stack or replaced.
    pub(crate) fn retain(mut self, yes: bool) -> Self {
        if yes {
            self.deletion_policy = Some("Retain");
            self.update_replace_policy = Some("Retain");
        }
        self
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    pub value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl Output {
    pub(crate) fn new(value: Value, description: impl Into<String>) -> Self {
        Output { value, description: Some(description.into()), extra: serde_json::Map::new() }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Tag {
    pub key: String,
    pub value: String,
}

pub(crate) fn tag_list(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter().map(|(k, v)| Tag { key: k.clone(), value: v.clone() }).collect()
}

pub(crate) fn r#ref(id: &str) -> Value {
    json!({ "Ref": id })
}

pub(crate) fn get_att(id: &str, attr: &str) -> Value {
    json!({ "Fn::GetAtt": [id, attr] })
}

pub(crate) fn sub(text: &str) -> Value {
    json!({ "Fn::Sub": text })
}

pub(crate) fn join(sep: &str, parts: Vec<Value>) -> Value {
    json!({ "Fn::Join": [sep, parts] })
}

/// An IAM policy statement: the actions on exactly these resources.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Statement {
    pub effect: &'static str,
    pub action: Vec<&'static str>,
    pub resource: Vec<Value>,
}

impl Statement {
    pub(crate) fn allow(action: &[&'static str], resource: Vec<Value>) -> Self {
        Statement { effect: "Allow", action: action.to_vec(), resource }
    }
}

pub(crate) fn policy_document(statements: Vec<Statement>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}
