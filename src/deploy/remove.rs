//! Deploy stage, in reverse: delete a stack with progress, clean its artifacts out of the
//! deployment bucket, never destroy data (objects, items) without consent, and say what was
//! kept.

use super::bucket::DeploymentBucket;
use super::data::{self, Held};
use super::watch::{self, StackEvent};
use crate::aws::status::StackStatus;
use crate::aws::{Aws, CallError};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Removed,
    /// There was no such stack.
    Absent,
}

#[derive(Debug, serde::Serialize)]
pub struct Removal {
    pub status: Outcome,
    pub stack: String,
    /// Logical ids of resources kept by `DeletionPolicy: Retain`.
    pub retained: Vec<String>,
    pub emptied_buckets: Vec<(String, usize)>,
    pub artifacts_deleted: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error(transparent)]
    Aws(#[from] CallError),
    /// Data the removal would destroy that was not consented to; nothing was deleted.
    #[error("{} hold data: {}", .0.len(), .0.iter().map(|h| h.to_string()).collect::<Vec<_>>().join("; "))]
    DataHeld(Vec<Held>),
    #[error("removing stack {stack} failed: it ended {status}")]
    Failed { stack: String, status: StackStatus, failures: Vec<StackEvent> },
    /// A bucket or table the stack would delete could not be inspected: it may hold data, so
    /// nothing is removed.
    #[error(transparent)]
    Unchecked(#[from] data::Unchecked),
}

/// Which data the user agreed to destroy.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Consent {
    pub buckets: bool,
    pub tables: bool,
}

impl Consent {
    pub(crate) fn covers(&self, h: &Held) -> bool {
        if h.holding.is_table() {
            self.tables
        } else {
            self.buckets
        }
    }
}

/// What removing a stack would destroy and keep.
#[derive(Debug, Default)]
pub(crate) struct Inspection {
    /// Every bucket and table it would delete that is not empty.
    pub held: Vec<Held>,
    /// Logical ids of resources kept by `DeletionPolicy: Retain`.
    pub retained: Vec<String>,
}

/// What removing `stack` would destroy and keep; `None` when there is no such stack.
pub(crate) async fn inspect(aws: &Aws, stack: &str) -> Result<Option<Inspection>, RemoveError> {
    if super::stack::describe(&aws.cfn, stack).await?.is_none() {
        return Ok(None);
    }
    let body = super::stack::current_template(&aws.cfn, stack).await?;
    let template: serde_json::Value = body.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let retained = |id: &str| template["Resources"][id]["DeletionPolicy"] == "Retain";
    // Every page: a resource past the first page of the listing is checked like the others.
    let resources = super::stack::resources(&aws.cfn, stack).await?;
    let mut held = Vec::new();
    for r in &resources {
        let (Some(id), Some(name)) = (r.logical_resource_id(), r.physical_resource_id()) else { continue };
        if retained(id) {
            continue;
        }
        let found = match r.resource_type() {
            Some("AWS::S3::Bucket") => data::bucket(aws, id, name).await?,
            Some("AWS::DynamoDB::Table") => data::table(aws, id, name).await?,
            _ => None,
        };
        held.extend(found);
    }
    let resources = template["Resources"].as_object().into_iter().flatten();
    let retained = resources.filter(|(id, _)| retained(id)).map(|(id, _)| id.clone()).collect();
    Ok(Some(Inspection { held, retained }))
}

pub async fn remove(
    aws: &Aws,
    stack: &str,
    consent: Consent,
    notice: &(dyn Fn(super::Notice) + Sync),
    on_event: &mut (dyn FnMut(&StackEvent) + Send),
) -> Result<Removal, RemoveError> {
    let mut removal = Removal {
        status: Outcome::Absent,
        stack: stack.to_string(),
        retained: Vec::new(),
        emptied_buckets: Vec::new(),
        artifacts_deleted: 0,
    };
    // Inspected here, right before deleting, whatever the caller saw earlier.
    let Some(Inspection { held, retained }) = inspect(aws, stack).await? else { return Ok(removal) };
    let refused: Vec<Held> = held.iter().filter(|h| !consent.covers(h)).cloned().collect();
    if !refused.is_empty() {
        return Err(RemoveError::DataHeld(refused));
    }
    removal.retained = retained;
    // Tables go with the stack; buckets must be empty for CloudFormation to delete them.
    for h in held.iter().filter(|h| !h.holding.is_table()) {
        notice(super::Notice::Emptying { held: h.clone() });
        let deleted = data::empty_bucket(aws, &h.name).await?;
        removal.emptied_buckets.push((h.name.clone(), deleted));
    }

    let since = SystemTime::now();
    super::stack::delete_stack(&aws.cfn, stack).await?;
    let done = watch::wait(&aws.cfn, stack, since, Default::default(), on_event).await?;
    if done.status != StackStatus::DeleteComplete {
        return Err(RemoveError::Failed { stack: stack.to_string(), status: done.status, failures: done.failures });
    }
    removal.status = Outcome::Removed;

    // The stack's own artifacts go too; other stacks' stay.
    let account = aws.account_id().await?;
    let deploy_bucket = super::bucket::DeploymentBucket::of(&account, &aws.region);
    if let Ok(keys) = list_keys(aws, &deploy_bucket, &crate::plan::names::artifact_prefix(stack)).await {
        delete_keys(aws, &deploy_bucket, &keys).await?;
        removal.artifacts_deleted = keys.len();
    }
    Ok(removal)
}

type ListError = aws_sdk_s3::error::SdkError<
    aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error,
    aws_sdk_s3::config::http::HttpResponse,
>;

/// The keys under `prefix` in the deployment bucket.
async fn list_keys(aws: &Aws, bucket: &DeploymentBucket, prefix: &str) -> Result<Vec<String>, ListError> {
    let mut keys = Vec::new();
    let mut token = None;
    loop {
        let out = aws
            .s3
            .list_objects_v2()
            .bucket(&bucket.name)
            .expected_bucket_owner(&bucket.owner)
            .prefix(prefix)
            .set_continuation_token(token)
            .send()
            .await?;
        keys.extend(out.contents().iter().filter_map(|o| o.key().map(str::to_string)));
        token = out.next_continuation_token().map(str::to_string);
        if token.is_none() {
            return Ok(keys);
        }
    }
}

async fn delete_keys(aws: &Aws, bucket: &DeploymentBucket, keys: &[String]) -> Result<(), CallError> {
    for chunk in keys.chunks(1000) {
        let objects: Vec<ObjectIdentifier> =
            chunk.iter().filter_map(|k| ObjectIdentifier::builder().key(k).build().ok()).collect();
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| CallError::other(e.to_string()))?;
        aws.s3.delete_objects().bucket(&bucket.name).expected_bucket_owner(&bucket.owner).delete(delete).send().await?;
    }
    Ok(())
}
