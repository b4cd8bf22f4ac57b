//! Deploy stage, fast path: new code for one function without CloudFormation — upload,
//! `UpdateFunctionCode`, wait until Lambda has it. The next full deploy reconciles the stack.

use super::{bucket, DeployError};
use crate::aws::{Aws, Backoff, CallError};
use crate::synth::Manifest;
use aws_sdk_lambda::types::LastUpdateStatus;
use std::path::Path;
use std::time::Duration;

pub(crate) async fn update_code(
    aws: &Aws,
    manifest: &Manifest,
    function: &str,
    root: &Path,
) -> Result<bucket::Upload, DeployError> {
    let a = manifest
        .artifacts
        .iter()
        .find(|a| a.function == function)
        .ok_or_else(|| DeployError::UnknownFunction(function.to_string()))?;
    let sha = a.sha256.as_ref().ok_or_else(|| DeployError::NotBuilt(function.to_string()))?;
    let account = aws.account_id().await?;
    let bucket = bucket::DeploymentBucket::of(&account, &aws.region);
    let key = crate::plan::names::artifact_key(&manifest.stack_name, function, sha);
    let uploads =
        bucket::upload_artifacts(aws, &bucket, vec![(function.to_string(), root.join(&a.path), key.clone())]).await?;
    aws.lambda
        .update_function_code()
        .function_name(&a.function_name)
        .s3_bucket(&bucket.name)
        .s3_key(&key)
        .send()
        .await
        .map_err(CallError::from)?;
    let mut backoff = Backoff::new(Duration::from_millis(300), Duration::from_secs(2));
    for _ in 0..120 {
        let conf = aws
            .lambda
            .get_function_configuration()
            .function_name(&a.function_name)
            .send()
            .await
            .map_err(CallError::from)?;
        match conf.last_update_status() {
            Some(LastUpdateStatus::Successful) | None => return Ok(uploads.into_iter().next().expect("one upload")),
            Some(LastUpdateStatus::Failed) => {
                return Err(DeployError::CodeRejected {
                    function: a.function_name.clone(),
                    reason: conf.last_update_status_reason().unwrap_or("no reason given").to_string(),
                })
            }
            _ => tokio::time::sleep(backoff.next(false)).await,
        }
    }
    Err(DeployError::CodeUpdateTimedOut(a.function_name.clone()))
}

#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Diff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
    /// What changes inside each modified resource, by logical id.
    pub properties: std::collections::BTreeMap<String, Vec<super::changes::PropertyChange>>,
    /// Modified resources CloudFormation will replace rather than update.
    pub replacements: Vec<super::replacement::Replacement>,
    /// Functions whose code differs from what the stack runs.
    pub code: Vec<String>,
    /// Other services' outputs whose value differs from the one the stack was deployed with.
    pub inputs: Vec<InputChange>,
    pub stack_exists: bool,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct InputChange {
    pub service: String,
    pub output: String,
    pub deployed: Option<String>,
    /// `None` when the producer's stack does not have it (yet).
    pub now: Option<String>,
}

impl Diff {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.modified.is_empty()
            && self.code.is_empty()
            && self.inputs.is_empty()
    }
}

/// What a deploy would change, read-only: template resources compared one by one, code by
/// the artifact keys (which hold the content hash) the stack was given.
pub(crate) async fn diff(aws: &Aws, manifest: &Manifest, template: &str) -> Result<Diff, DeployError> {
    let new: serde_json::Value = serde_json::from_str(template)?;
    let Some(state) = super::stack::describe(&aws.cfn, &manifest.stack_name).await? else {
        let added = new["Resources"].as_object().map(|r| r.keys().cloned().collect()).unwrap_or_default();
        let code = manifest.artifacts.iter().map(|a| a.function.clone()).collect();
        return Ok(Diff { added, code, ..Diff::default() });
    };
    let old: serde_json::Value = super::stack::current_template(&aws.cfn, &manifest.stack_name)
        .await?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let empty = serde_json::Map::new();
    let (old_r, new_r) =
        (old["Resources"].as_object().unwrap_or(&empty), new["Resources"].as_object().unwrap_or(&empty));
    let mut d = Diff { stack_exists: true, ..Diff::default() };
    for (id, res) in new_r {
        match old_r.get(id) {
            None => d.added.push(id.clone()),
            Some(prev) if prev != res => {
                let changes = super::changes::property_changes(prev, res);
                d.replacements.extend(super::replacement::replacement(id, prev, res, &changes));
                d.modified.push(id.clone());
                d.properties.insert(id.clone(), super::changes::masked(changes));
            }
            _ => {}
        }
    }
    d.removed = old_r.keys().filter(|id| !new_r.contains_key(*id)).cloned().collect();
    for a in &manifest.artifacts {
        let key = a.sha256.as_ref().map(|sha| crate::plan::names::artifact_key(&manifest.stack_name, &a.function, sha));
        if key.is_none() || state.parameters.get(&a.parameter) != key.as_ref() {
            d.code.push(a.function.clone());
        }
    }
    let mut producers = std::collections::BTreeMap::new();
    for r in &manifest.references {
        if !producers.contains_key(&r.stack) {
            producers.insert(r.stack.clone(), super::outputs::read(aws, &r.stack).await?.unwrap_or_default());
        }
        let now = producers[&r.stack].get(&r.output).cloned();
        let deployed = state.parameters.get(&r.parameter).cloned();
        if now != deployed {
            d.inputs.push(InputChange { service: r.service.clone(), output: r.output.clone(), deployed, now });
        }
    }
    Ok(d)
}
