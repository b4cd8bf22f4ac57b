//! Deploy stage, in reverse: delete a stack with progress, clean its artifacts out of the
//! deployment bucket, never empty a bucket of user data unless asked, and say what was kept.

use super::watch::{self, StackEvent};
use crate::aws::status::StackStatus;
use crate::aws::{explain, Aws, CallError};
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
    #[error("bucket(s) hold data: {}", .0.iter().map(|(b, n)| format!("{b} ({n} objects)")).collect::<Vec<_>>().join(", "))]
    BucketsNotEmpty(Vec<(String, usize)>),
    #[error("removing stack {stack} failed: it ended {status}")]
    Failed { stack: String, status: StackStatus, failures: Vec<StackEvent> },
    /// A bucket the stack would delete could not be listed: it may hold data, so nothing is removed.
    #[error("could not check whether bucket {bucket} holds data: {reason}")]
    Unchecked { bucket: String, reason: String },
}

pub async fn remove(
    aws: &Aws,
    stack: &str,
    empty_buckets: bool,
    say: &(dyn Fn(&str) + Sync),
    on_event: &mut (dyn FnMut(&StackEvent) + Send),
) -> Result<Removal, RemoveError> {
    let mut removal = Removal {
        status: Outcome::Absent,
        stack: stack.to_string(),
        retained: Vec::new(),
        emptied_buckets: Vec::new(),
        artifacts_deleted: 0,
    };
    if super::stack::describe(&aws.cfn, stack).await?.is_none() {
        return Ok(removal);
    }
    let template: serde_json::Value = super::stack::current_template(&aws.cfn, stack)
        .await?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let retained = |id: &str| template["Resources"][id]["DeletionPolicy"] == "Retain";
    removal.retained = template["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(id, _)| retained(id))
        .map(|(id, _)| id.clone())
        .collect();

    // Buckets CloudFormation would delete must be empty; find the ones that are not, first.
    // Every page: a bucket past the first page of resources is checked like the others.
    let resources = super::stack::resources(&aws.cfn, stack).await?;
    let mut full = Vec::new();
    for r in &resources {
        let (Some(id), Some(bucket)) = (r.logical_resource_id(), r.physical_resource_id()) else { continue };
        if r.resource_type() != Some("AWS::S3::Bucket") || retained(id) {
            continue;
        }
        // A listing that failed proves nothing about the data: stop before anything is deleted.
        // Only a bucket that is already gone counts as empty.
        let keys = match list_keys(aws, bucket, None).await {
            Ok(keys) => keys,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_bucket()) => Vec::new(),
            Err(e) => return Err(RemoveError::Unchecked { bucket: bucket.to_string(), reason: explain(&e) }),
        };
        if !keys.is_empty() {
            full.push((bucket.to_string(), keys));
        }
    }
    if !full.is_empty() && !empty_buckets {
        return Err(RemoveError::BucketsNotEmpty(full.iter().map(|(b, k)| (b.clone(), k.len())).collect()));
    }
    for (bucket, keys) in full {
        say(&format!("emptying bucket {bucket} ({} objects)", keys.len()));
        delete_keys(aws, &bucket, &keys).await?;
        removal.emptied_buckets.push((bucket, keys.len()));
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
    let deploy_bucket = super::bucket::bucket_name(&account, &aws.region);
    if let Ok(keys) = list_keys(aws, &deploy_bucket, Some(&format!("{stack}/"))).await {
        delete_keys(aws, &deploy_bucket, &keys).await?;
        removal.artifacts_deleted = keys.len();
    }
    Ok(removal)
}

type ListError = aws_sdk_s3::error::SdkError<
    aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error,
    aws_sdk_s3::config::http::HttpResponse,
>;

async fn list_keys(aws: &Aws, bucket: &str, prefix: Option<&str>) -> Result<Vec<String>, ListError> {
    let mut keys = Vec::new();
    let mut token = None;
    loop {
        let out = aws
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .set_prefix(prefix.map(str::to_string))
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

async fn delete_keys(aws: &Aws, bucket: &str, keys: &[String]) -> Result<(), CallError> {
    for chunk in keys.chunks(1000) {
        let objects: Vec<ObjectIdentifier> =
            chunk.iter().filter_map(|k| ObjectIdentifier::builder().key(k).build().ok()).collect();
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| CallError::other(e.to_string()))?;
        aws.s3.delete_objects().bucket(bucket).delete(delete).send().await?;
    }
    Ok(())
}
