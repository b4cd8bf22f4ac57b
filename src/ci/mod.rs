//! Beside the pipeline — CI credentials: the role a CI provider deploys with, made or updated
//! as a CloudFormation stack of its own (`ci github`), trusting one repository through the
//! account's OIDC provider and allowed to deploy exactly the project's stacks. Idempotent:
//! run again, it changes only what differs.

pub mod github;
mod grants;
pub mod policy;

use crate::aws::{Aws, CallError};
use crate::deploy::stack::{self, ChangeSet, ChangeSetRequest, TemplateSource};
use crate::deploy::watch;
use github::{Trust, ISSUER_HOST};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// GitHub's OIDC certificate thumbprints. IAM no longer checks them for GitHub (it trusts the
/// issuer's certificate authority), but older API versions require the list.
const THUMBPRINTS: &[&str] = &["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Created,
    Updated,
    Unchanged,
    Removed,
    /// `--remove` found no stack.
    Absent,
}

#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub stack: String,
    pub status: Status,
    pub role_arn: Option<String>,
    pub provider_arn: Option<String>,
    /// Made now, because the account had none.
    pub provider_created: bool,
    pub subject: String,
    /// Template resource types the role does not cover (raw `cloudformation:` of other kinds).
    pub uncovered: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CiError {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("the stack {stack} ended {status}: {reason}")]
    Failed { stack: String, status: String, reason: String },
    #[error("CloudFormation refused the change set: {0}")]
    Refused(String),
}

/// The account's OIDC provider for GitHub Actions, made when it has none. It is shared by
/// every repository and role of the account, so it lives outside any stack (and `--remove`
/// leaves it): IAM allows one per issuer.
pub async fn ensure_provider(aws: &Aws) -> Result<(String, bool), CallError> {
    let listed = aws.iam.list_open_id_connect_providers().send().await.map_err(CallError::from)?;
    let suffix = format!("/{ISSUER_HOST}");
    let existing = listed.open_id_connect_provider_list().iter().filter_map(|p| p.arn()).find(|a| a.ends_with(&suffix));
    if let Some(arn) = existing {
        return Ok((arn.to_string(), false));
    }
    let created = aws
        .iam
        .create_open_id_connect_provider()
        .url(format!("https://{ISSUER_HOST}"))
        .client_id_list(github::AUDIENCE)
        .set_thumbprint_list(Some(THUMBPRINTS.iter().map(|t| t.to_string()).collect()))
        .send()
        .await
        .map_err(CallError::from)?;
    let arn = created.open_id_connect_provider_arn().ok_or_else(|| CallError::other("IAM returned no provider ARN"))?;
    Ok((arn.to_string(), true))
}

/// Creates or updates the CI stack `name` from `template` and returns the role's ARN.
pub async fn apply(
    aws: &Aws,
    name: &str,
    template: &str,
    provider: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(Status, String), CiError> {
    let started = SystemTime::now();
    let mut existing = stack::describe(&aws.cfn, name).await?;
    if existing.as_ref().and_then(stack::only_deletable).is_some() {
        stack::delete_stack(&aws.cfn, name).await?;
        watch::wait(&aws.cfn, name, started, Default::default(), &mut |_| {}).await?;
        existing = None;
    }
    let parameters = BTreeMap::from([(github::PROVIDER_PARAMETER.to_string(), provider.to_string())]);
    if let Some(state) = &existing {
        // As deploy does: an unchanged stack needs no change set (which CloudFormation would
        // fail, or refuse outright).
        let settled = state.status.as_str().ends_with("_COMPLETE");
        if settled && stack::unchanged(&aws.cfn, name, state, template, &parameters).await? {
            return Ok((Status::Unchanged, role_arn(aws, name).await?));
        }
    }
    let source = TemplateSource::Body(template.to_string());
    let request = ChangeSetRequest {
        stack: name,
        create: existing.is_none(),
        template: &source,
        parameters: &parameters,
        tags,
        name: format!("sls-rs-ci-{}", started.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs()),
    };
    let status = match stack::create_change_set(&aws.cfn, request).await {
        Ok(ChangeSet::NoChanges) => Status::Unchanged,
        Ok(ChangeSet::Ready { id, .. }) => {
            stack::execute(&aws.cfn, name, &id).await?;
            let done = watch::wait(&aws.cfn, name, started, Default::default(), &mut |_| {}).await?;
            if !done.succeeded() {
                return Err(CiError::Failed {
                    stack: name.into(),
                    status: done.status.as_str().into(),
                    reason: done.cause(),
                });
            }
            if existing.is_none() {
                Status::Created
            } else {
                Status::Updated
            }
        }
        Err(crate::deploy::DeployError::Aws(e)) => return Err(e.into()),
        Err(other) => return Err(CiError::Refused(other.to_string())),
    };
    Ok((status, role_arn(aws, name).await?))
}

/// Read from IAM by the role's name (the stack's physical id): CloudFormation outputs are not
/// needed, and the ARN IAM gives has the right partition and path.
async fn role_arn(aws: &Aws, name: &str) -> Result<String, CallError> {
    let resources = stack::resources(&aws.cfn, name).await?;
    let role = resources
        .iter()
        .find(|r| r.logical_resource_id() == Some(github::ROLE_ID))
        .and_then(|r| r.physical_resource_id())
        .ok_or_else(|| CallError::other(format!("the stack {name} has no {}", github::ROLE_ID)))?;
    let got = aws.iam.get_role().role_name(role).send().await.map_err(CallError::from)?;
    Ok(got.role().map(|r| r.arn().to_string()).unwrap_or_default())
}

/// Deletes the CI stack (and so the role); the account's OIDC provider stays.
pub async fn remove(aws: &Aws, name: &str) -> Result<Status, CiError> {
    if stack::describe(&aws.cfn, name).await?.is_none() {
        return Ok(Status::Absent);
    }
    let started = SystemTime::now();
    stack::delete_stack(&aws.cfn, name).await?;
    let done = watch::wait(&aws.cfn, name, started, Default::default(), &mut |_| {}).await?;
    if done.status.as_str() != "DELETE_COMPLETE" {
        return Err(CiError::Failed { stack: name.into(), status: done.status.as_str().into(), reason: done.cause() });
    }
    Ok(Status::Removed)
}

/// The request that made this report, for the lines that put the role into GitHub.
pub fn gh_commands(trust: &Trust, role_arn: &str, region: &str) -> Vec<String> {
    let env = match &trust.runs {
        github::Runs::Environment(e) => format!(" --env {e}"),
        github::Runs::Branch(_) => String::new(),
    };
    vec![
        format!("gh secret set AWS_DEPLOY_ROLE_ARN --repo {}{env} --body {role_arn}", trust.repo),
        format!("gh variable set AWS_REGION --repo {}{env} --body {region}", trust.repo),
    ]
}
