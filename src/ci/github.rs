//! Beside the pipeline — CI credentials for GitHub Actions: whom the deploy role trusts (one
//! repository's workflows, on one branch or in one environment, through GitHub's OIDC
//! provider) and the stack that holds the role. Pure: no AWS call.

use super::policy::{self, StackScope};
use crate::synth::cfn::{Output, Parameter, Props, Resource, Tag, Template};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const ISSUER_HOST: &str = "token.actions.githubusercontent.com";
pub const AUDIENCE: &str = "sts.amazonaws.com";
/// The role's IAM path: deploy roles sls-rs made for CI, apart from the stacks' own roles.
pub const ROLE_PATH: &str = "/sls-rs-ci/";
/// An inline policy (all of a role's together) may hold 10,240 characters, whitespace aside.
const INLINE_POLICY_LIMIT: usize = 10_240;

/// Which workflow runs may assume the role: GitHub puts it in the token's `sub` claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runs {
    /// Jobs that declare `environment: <name>` (the generated workflow's deploy job: `prod`).
    Environment(String),
    /// Jobs on pushes to this branch that declare no environment.
    Branch(String),
}

#[derive(Debug, Clone)]
pub struct Trust {
    /// `owner/name`.
    pub repo: String,
    pub runs: Runs,
}

impl Trust {
    pub fn subject(&self) -> String {
        match &self.runs {
            Runs::Environment(env) => format!("repo:{}:environment:{env}", self.repo),
            Runs::Branch(branch) => format!("repo:{}:ref:refs/heads/{branch}", self.repo),
        }
    }

    /// Exactly this repository and branch or environment: `StringEquals`, never a wildcard.
    pub fn assume_role_policy(&self, provider: Value) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Federated": provider },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": { "StringEquals": {
                    format!("{ISSUER_HOST}:aud"): AUDIENCE,
                    format!("{ISSUER_HOST}:sub"): self.subject(),
                } },
            }],
        })
    }
}

/// `owner/name`, as GitHub allows them: letters, digits, `-`, `_` and `.`.
pub fn check_repo(repo: &str) -> Result<(), String> {
    let ok_part = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    match repo.split_once('/') {
        Some((owner, name)) if ok_part(owner) && ok_part(name) && !name.contains('/') => Ok(()),
        _ => Err(format!("`{repo}` is not a GitHub repository: write it as `owner/name`")),
    }
}

/// The CI stack of a repository and stage: `sls-rs-github-<owner>-<name>-<stage>`.
pub fn stack_name(repo: &str, stage: &str) -> String {
    let repo: String = repo.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("sls-rs-github-{repo}-{stage}")
}

pub const ROLE_ID: &str = "DeployRole";

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct DeployRole {
    path: &'static str,
    description: String,
    max_session_duration: u32,
    assume_role_policy_document: Value,
    policies: Vec<Value>,
    tags: Vec<Tag>,
}
impl Props for DeployRole {
    const TYPE: &'static str = "AWS::IAM::Role";
}
pub const PROVIDER_PARAMETER: &str = "GitHubOidcProvider";

/// The stack: the deploy role, trusting `trust`, allowed to deploy `scopes`. The OIDC provider
/// is a parameter: it is the account's, shared by every repository, so no stack owns it.
pub fn template(trust: &Trust, scopes: &[StackScope]) -> Result<(Template, Vec<String>), String> {
    let (statements, uncovered) = policy::statements(scopes);
    let document = json!({ "Version": "2012-10-17", "Statement": statements });
    let size = expanded_size(&document);
    if size > INLINE_POLICY_LIMIT {
        return Err(format!(
            "the deploy policy for {} stacks would be {size} characters; IAM allows {INLINE_POLICY_LIMIT} per role",
            scopes.len()
        ));
    }
    let stacks: Vec<&str> = scopes.iter().map(|s| s.stack.as_str()).collect();
    let role = DeployRole {
        path: ROLE_PATH,
        description: format!("sls-rs deploy from GitHub Actions: {} ({})", trust.subject(), stacks.join(", ")),
        max_session_duration: 3600,
        assume_role_policy_document: trust.assume_role_policy(json!({ "Ref": PROVIDER_PARAMETER })),
        policies: vec![json!({ "PolicyName": "sls-rs-deploy", "PolicyDocument": document })],
        tags: vec![Tag { key: "sls-rs:repository".into(), value: trust.repo.clone() }],
    };
    let resource = Resource::new(role);
    let provider = Parameter {
        kind: "String".into(),
        description: Some(format!("The account's OIDC provider for {ISSUER_HOST}")),
        extra: serde_json::Map::new(),
    };
    let template = Template {
        format_version: "2010-09-09",
        description: format!("sls-rs: the role GitHub Actions deploys with ({})", trust.subject()),
        parameters: BTreeMap::from([(PROVIDER_PARAMETER.to_string(), provider)]),
        mappings: BTreeMap::new(),
        conditions: BTreeMap::new(),
        resources: BTreeMap::from([(ROLE_ID.to_string(), resource)]),
        outputs: BTreeMap::from([(
            "RoleArn".to_string(),
            Output::new(json!({ "Fn::GetAtt": [ROLE_ID, "Arn"] }), "role-to-assume in the workflow"),
        )]),
    };
    Ok((template, uncovered))
}

/// The policy's size as IAM counts it: whitespace aside, with the account, region and
/// partition filled in (their longest forms).
fn expanded_size(document: &Value) -> usize {
    let text = serde_json::to_string(document).expect("serializes");
    let text = text.replace("{\"Fn::Sub\":", "").replace("\"}", "\"");
    text.replace("${AWS::AccountId}", "123456789012")
        .replace("${AWS::Region}", "ap-southeast-5")
        .replace("${AWS::Partition}", "aws-us-gov")
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_trusts_exactly_one_repository_and_environment_or_branch() {
        let env = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        let doc = env.assume_role_policy(json!("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"));
        let st = &doc["Statement"][0];
        assert_eq!(st["Action"], "sts:AssumeRoleWithWebIdentity");
        let equals = &st["Condition"]["StringEquals"];
        assert_eq!(equals["token.actions.githubusercontent.com:sub"], "repo:acme/shop:environment:prod");
        assert_eq!(equals["token.actions.githubusercontent.com:aud"], "sts.amazonaws.com");
        assert!(st["Condition"].get("StringLike").is_none(), "no wildcard subject");
        let branch = Trust { repo: "acme/shop".into(), runs: Runs::Branch("main".into()) };
        assert_eq!(branch.subject(), "repo:acme/shop:ref:refs/heads/main");
    }

    #[test]
    fn repositories_are_owner_and_name() {
        assert!(check_repo("acme/shop.api").is_ok());
        for bad in ["acme", "acme/", "/shop", "acme/shop/x", "acme/sh op", "*/shop"] {
            assert!(check_repo(bad).is_err(), "{bad}");
        }
        assert_eq!(stack_name("acme/shop.api", "prod"), "sls-rs-github-acme-shop-api-prod");
    }

    #[test]
    fn a_policy_over_iams_limit_is_refused_before_any_call() {
        let trust = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        let types = ["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Logs::LogGroup", "AWS::SQS::Queue"];
        let scope = |i: usize| StackScope {
            stack: format!("service-number-{i}-prod"),
            types: types.iter().map(|t| t.to_string()).collect(),
        };
        assert!(template(&trust, &[scope(0), scope(1)]).is_ok());
        let many: Vec<StackScope> = (0..40).map(scope).collect();
        assert!(template(&trust, &many).unwrap_err().contains("IAM allows 10240"));
    }
}
