//! Beside the pipeline — CI credentials: the role a CI provider deploys with, made or updated
//! as a CloudFormation stack of its own (`ci github`), trusting one repository through the
//! account's OIDC provider and allowed to deploy exactly the project's stacks. Idempotent:
//! run again, it changes only what differs.

mod boundary;
#[cfg(test)]
mod eval;
pub(crate) mod github;
mod grants;
pub(crate) mod policy;
pub(crate) mod scope;

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
pub(crate) enum Status {
    Created,
    Updated,
    Unchanged,
    Removed,
    /// `--remove` found no stack.
    Absent,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct Report {
    pub stack: String,
    pub status: Status,
    pub role_arn: Option<String>,
    pub provider_arn: Option<String>,
    /// Made now, because the account had none.
    pub provider_created: bool,
    pub subject: String,
    /// Template resource types the role does not cover (raw `cloudformation:` of other kinds).
    pub uncovered: Vec<String>,
    /// Resources of covered kinds the role cannot deploy: names it cannot know beforehand,
    /// raw roles without the stack's path and boundary.
    pub unnamed: Vec<String>,
    /// An earlier version's stack for the same repository and stage, still there.
    pub legacy_stack: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CiError {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("the stack {stack} ended {status}: {reason}")]
    Failed { stack: String, status: String, reason: String },
    #[error("CloudFormation refused the change set: {0}")]
    Refused(String),
    #[error("the stack {stack} holds the role of repository {recorded}, not {asked}")]
    OtherRepository { stack: String, recorded: String, asked: String },
    #[error("{stack} already has a permissions boundary, made by another CI stack ({about})")]
    BoundaryTaken { stack: String, about: String },
}

/// Each stack's boundary must be this CI stack's own, or not exist yet: two CI roles deploying
/// one stack would each hand its roles their own boundary.
async fn check_boundaries(aws: &Aws, name: &str, exists: bool, stacks: &[String]) -> Result<(), CiError> {
    let caller = aws.caller().await?;
    let ours: Vec<String> = if exists {
        let resources = stack::resources(&aws.cfn, name).await?;
        resources.iter().filter_map(|r| r.physical_resource_id().map(str::to_string)).collect()
    } else {
        Vec::new()
    };
    for stack in stacks {
        let arn = crate::deploy::boundary::arn(&caller, stack);
        let found = aws.iam.get_policy().policy_arn(&arn).send().await.map_err(CallError::from);
        match found {
            Ok(got) if !ours.contains(&arn) => {
                let about = got.policy().and_then(|p| p.description()).unwrap_or("no description").to_string();
                return Err(CiError::BoundaryTaken { stack: stack.clone(), about });
            }
            Ok(_) => {}
            Err(e) if e.code() == Some("NoSuchEntity") => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// A CI stack may only ever hold one repository's role: a stack recording another (or none) is
/// never updated or removed in this one's name. GitHub's names ignore case.
fn check_owner(stack: &str, state: &stack::StackState, repo: &str) -> Result<(), CiError> {
    let recorded = state.tags.get(github::REPOSITORY_TAG).cloned().unwrap_or_default();
    if recorded.eq_ignore_ascii_case(repo) {
        return Ok(());
    }
    let recorded = if recorded.is_empty() { "(none recorded)".to_string() } else { recorded };
    Err(CiError::OtherRepository { stack: stack.to_string(), recorded, asked: repo.to_string() })
}

/// The account's OIDC provider for GitHub Actions, made when it has none. It is shared by
/// every repository and role of the account, so it lives outside any stack (and `--remove`
/// leaves it): IAM allows one per issuer.
pub(crate) async fn ensure_provider(aws: &Aws) -> Result<(String, bool), CallError> {
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

/// Creates or updates the CI stack `name` for `repo` from `template` (which holds the
/// boundaries of `boundaries`' stacks) and returns the role's ARN.
pub(crate) async fn apply(
    aws: &Aws,
    name: &str,
    repo: &str,
    template: &str,
    boundaries: &[String],
    provider: &str,
) -> Result<(Status, String), CiError> {
    let started = SystemTime::now();
    let mut existing = stack::describe(&aws.cfn, name).await?;
    if let Some(state) = &existing {
        check_owner(name, state, repo)?;
    }
    check_boundaries(aws, name, existing.is_some(), boundaries).await?;
    let tags = BTreeMap::from([(github::REPOSITORY_TAG.to_string(), repo.to_string())]);
    let tags = &tags;
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
        name: crate::plan::names::ci_change_set(
            started.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs(),
        ),
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

/// Deletes the CI stack of `repo` (and so the role); the account's OIDC provider stays.
pub(crate) async fn remove(aws: &Aws, name: &str, repo: &str) -> Result<Status, CiError> {
    let Some(state) = stack::describe(&aws.cfn, name).await? else {
        return Ok(Status::Absent);
    };
    check_owner(name, &state, repo)?;
    let started = SystemTime::now();
    stack::delete_stack(&aws.cfn, name).await?;
    let done = watch::wait(&aws.cfn, name, started, Default::default(), &mut |_| {}).await?;
    if done.status != crate::aws::status::StackStatus::DeleteComplete {
        return Err(CiError::Failed { stack: name.into(), status: done.status.as_str().into(), reason: done.cause() });
    }
    Ok(Status::Removed)
}

/// An earlier version's stack for this repository and stage (named without the hash), left
/// over: its role still trusts the repository until it is deleted.
pub(crate) async fn legacy(aws: &Aws, repo: &str, stage: &str) -> Result<Option<String>, CallError> {
    let name = github::legacy_stack_name(repo, stage);
    let found = stack::describe(&aws.cfn, &name).await?;
    let ours = found.is_some_and(|s| s.tags.get(github::REPOSITORY_TAG).is_some_and(|r| r.eq_ignore_ascii_case(repo)));
    Ok(ours.then_some(name))
}

/// The lines that put the role into GitHub, each value one shell word, safe to paste.
pub(crate) fn gh_commands(trust: &Trust, role_arn: &str, region: &str) -> Vec<String> {
    let env = match &trust.runs {
        github::Runs::Environment(e) => format!(" --env {}", github::shell_word(e)),
        github::Runs::Branch(_) => String::new(),
    };
    let (repo, arn, region) =
        (github::shell_word(&trust.repo), github::shell_word(role_arn), github::shell_word(region));
    vec![
        format!("gh secret set AWS_DEPLOY_ROLE_ARN --repo {repo}{env} --body {arn}"),
        format!("gh variable set AWS_REGION --repo {repo}{env} --body {region}"),
    ]
}
