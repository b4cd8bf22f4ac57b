//! Deploy stage: the stack itself — its state, its current template, and change sets: create,
//! summarise (added / modified / removed, replacements flagged), execute or discard.

use super::DeployError;
use crate::aws::status::{Phase, StackStatus};
use crate::aws::{Backoff, CallError};
use aws_sdk_cloudformation::types::{
    Capability, ChangeAction, ChangeSetStatus, ChangeSetType, ExecutionStatus, Parameter, Replacement,
    StackResourceSummary, Tag,
};
use aws_sdk_cloudformation::Client;
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct StackState {
    pub status: StackStatus,
    pub reason: Option<String>,
    pub outputs: BTreeMap<String, String>,
    pub parameters: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
}

/// The stack's state, or `None` when it does not exist.
pub async fn describe(cfn: &Client, stack: &str) -> Result<Option<StackState>, CallError> {
    let out = match cfn.describe_stacks().stack_name(stack).send().await.map_err(CallError::from) {
        Ok(out) => out,
        Err(e) if e.is_missing_stack() => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(s) = out.stacks().first() else { return Ok(None) };
    Ok(Some(StackState {
        status: s.stack_status().cloned().unwrap_or_else(|| StackStatus::from("")),
        reason: s.stack_status_reason().map(str::to_string),
        outputs: s
            .outputs()
            .iter()
            .filter_map(|o| Some((o.output_key()?.to_string(), o.output_value()?.to_string())))
            .collect(),
        parameters: s
            .parameters()
            .iter()
            .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value()?.to_string())))
            .collect(),
        tags: s.tags().iter().filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string()))).collect(),
    }))
}

/// The template the stack was last deployed with.
pub(crate) async fn current_template(cfn: &Client, stack: &str) -> Result<Option<String>, CallError> {
    let out = cfn
        .get_template()
        .stack_name(stack)
        .template_stage(aws_sdk_cloudformation::types::TemplateStage::Original)
        .send()
        .await?;
    Ok(out.template_body().map(str::to_string))
}

/// Every resource of the stack, every page of them.
pub(crate) async fn resources(cfn: &Client, stack: &str) -> Result<Vec<StackResourceSummary>, CallError> {
    let pages = cfn.list_stack_resources().stack_name(stack).into_paginator().items().send();
    pages.collect::<Result<Vec<_>, _>>().await.map_err(CallError::from)
}

/// Where CloudFormation reads the template from.
#[derive(Debug, Clone)]
pub(crate) enum TemplateSource {
    Body(String),
    Url(String),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    #[serde(serialize_with = "crate::aws::status::serialize")]
    pub action: ChangeAction,
    pub logical_id: String,
    pub resource_type: String,
    /// `True`, `Conditional` or `False`, for modifications.
    #[serde(serialize_with = "crate::aws::status::serialize_opt")]
    pub replacement: Option<Replacement>,
}

#[derive(Debug)]
pub(crate) enum ChangeSet {
    NoChanges,
    Ready { id: String, changes: Vec<Change> },
}

pub(crate) struct ChangeSetRequest<'a> {
    pub stack: &'a str,
    pub create: bool,
    pub template: &'a TemplateSource,
    pub parameters: &'a BTreeMap<String, String>,
    pub tags: &'a BTreeMap<String, String>,
    pub name: String,
}

pub(crate) async fn create_change_set(cfn: &Client, req: ChangeSetRequest<'_>) -> Result<ChangeSet, DeployError> {
    let mut call = cfn
        .create_change_set()
        .stack_name(req.stack)
        .change_set_name(&req.name)
        .change_set_type(if req.create { ChangeSetType::Create } else { ChangeSetType::Update })
        .capabilities(Capability::CapabilityIam)
        .capabilities(Capability::CapabilityNamedIam)
        .description("sls-rs deploy");
    call = match req.template {
        TemplateSource::Body(b) => call.template_body(b),
        TemplateSource::Url(u) => call.template_url(u),
    };
    for (k, v) in req.parameters {
        call = call.parameters(Parameter::builder().parameter_key(k).parameter_value(v).build());
    }
    for (k, v) in req.tags {
        call = call.tags(Tag::builder().key(k).value(v).build());
    }
    let created = call.send().await.map_err(CallError::from)?;
    let id = created.id().unwrap_or(&req.name).to_string();
    let mut backoff = Backoff::new(Duration::from_millis(300), Duration::from_secs(3));
    loop {
        let d = cfn
            .describe_change_set()
            .change_set_name(&id)
            .stack_name(req.stack)
            .send()
            .await
            .map_err(CallError::from)?;
        match d.status() {
            Some(ChangeSetStatus::CreateComplete) => {
                let changes = d
                    .changes()
                    .iter()
                    .filter_map(|c| c.resource_change())
                    .map(|rc| Change {
                        action: rc.action().cloned().unwrap_or_else(|| ChangeAction::from("")),
                        logical_id: rc.logical_resource_id().unwrap_or_default().to_string(),
                        resource_type: rc.resource_type().unwrap_or_default().to_string(),
                        replacement: rc.replacement().cloned(),
                    })
                    .collect::<Vec<_>>();
                // CloudFormation fails a change set that changes nothing, so a complete one is
                // executed even when its list is empty (a parameter-only update can look so).
                return Ok(ChangeSet::Ready { id, changes });
            }
            Some(ChangeSetStatus::Failed) => {
                let reason = d.status_reason().unwrap_or("no reason given").to_string();
                let _ = delete_change_set(cfn, req.stack, &id).await;
                if reason.contains("didn't contain changes") || reason.contains("No updates are to be performed") {
                    return Ok(ChangeSet::NoChanges);
                }
                return Err(DeployError::Refused(reason));
            }
            _ => tokio::time::sleep(backoff.next(false)).await,
        }
    }
}

pub(crate) async fn execute(cfn: &Client, stack: &str, id: &str) -> Result<(), CallError> {
    cfn.execute_change_set().change_set_name(id).stack_name(stack).send().await?;
    Ok(())
}

/// Change sets an earlier deploy made and never executed or deleted (it was killed, or lost
/// the endpoint): sls-rs names its own `sls-rs-<millis>`, so others' are left alone. Each is
/// checked to belong to `stack` and not to have run: some endpoints (moto) list every stack's
/// change sets, executed ones included, whatever `StackName` asks for.
pub(crate) async fn leftover_change_sets(cfn: &Client, stack: &str) -> Result<Vec<String>, CallError> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let out = cfn.list_change_sets().stack_name(stack).set_next_token(token).send().await?;
        names.extend(
            out.summaries()
                .iter()
                .filter(|s| s.stack_name() == Some(stack))
                .filter(|s| {
                    !matches!(
                        s.execution_status(),
                        Some(ExecutionStatus::ExecuteComplete | ExecutionStatus::ExecuteInProgress)
                    )
                })
                .filter_map(|s| s.change_set_name())
                .filter(|n| crate::plan::names::is_our_change_set(n))
                .map(str::to_string),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(names);
        }
    }
}

pub(crate) async fn delete_change_set(cfn: &Client, stack: &str, id: &str) -> Result<(), CallError> {
    cfn.delete_change_set().change_set_name(id).stack_name(stack).send().await?;
    Ok(())
}

pub(crate) async fn delete_stack(cfn: &Client, stack: &str) -> Result<(), CallError> {
    cfn.delete_stack().stack_name(stack).send().await?;
    Ok(())
}

/// Why a stack can only be deleted before anything is deployed to it, when it can: it holds
/// nothing, and CloudFormation takes no change set for it but a create.
pub(crate) fn only_deletable(state: &StackState) -> Option<&'static str> {
    match Phase::of_stack(&state.status) {
        Phase::Reviewing => Some("was never created (REVIEW_IN_PROGRESS: a deploy stopped before executing its change set); deleting the empty stack to create it"),
        _ if state.status == StackStatus::RollbackComplete => {
            Some("failed its first create (ROLLBACK_COMPLETE); deleting it to create it again")
        }
        _ => None,
    }
}

/// Whether `state`'s stack already runs `template` with `parameters`, so a deploy has nothing to
/// send. Only the parameters this template declares count: one the template dropped shows in
/// the template comparison (and some endpoints keep reporting it after it is gone).
pub(crate) async fn unchanged(
    cfn: &Client,
    stack: &str,
    state: &StackState,
    template: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<bool, CallError> {
    let deployed: BTreeMap<&String, &String> =
        state.parameters.iter().filter(|(k, _)| parameters.contains_key(*k)).collect();
    if deployed != parameters.iter().collect::<BTreeMap<_, _>>() {
        return Ok(false);
    }
    Ok(current_template(cfn, stack).await?.is_some_and(|current| same_template(&current, template)))
}

/// Same JSON, whatever the formatting: CloudFormation may hand a template back re-serialised.
pub(crate) fn same_template(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
