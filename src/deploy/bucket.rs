//! Deploy stage: the deployment bucket (one per account and region, made by a small bootstrap
//! stack: encrypted, private, TLS-only, old artifacts expired) and content-addressed uploads
//! that skip what is already there.

use super::DeployError;
use crate::aws::{Aws, CallError};
use aws_sdk_s3::primitives::ByteStream;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::plan::names::BOOTSTRAP_STACK;
/// Artifacts are content-addressed and never overwritten, so expiring old ones is safe for
/// anything deployed within this window (CloudFormation rollbacks reuse the previous key).
pub(crate) const ARTIFACT_EXPIRY_DAYS: u32 = 90;
/// Above this, CloudFormation wants the template from S3 instead of inline.
pub(crate) const INLINE_TEMPLATE_LIMIT: usize = 51_200;

/// The deployment bucket and the account that must own it. Its name is predictable, so
/// another account could create it first and receive the code: every call to it says whose
/// it must be (`ExpectedBucketOwner`), and S3 refuses the call otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentBucket {
    pub name: String,
    pub owner: String,
}

impl DeploymentBucket {
    pub(crate) fn of(account: &str, region: &str) -> DeploymentBucket {
        DeploymentBucket { name: crate::plan::names::deployment_bucket(account, region), owner: account.to_string() }
    }
}

pub(crate) fn bootstrap_template(bucket: &str) -> String {
    crate::synth::to_json(&crate::synth::bootstrap::template(bucket, ARTIFACT_EXPIRY_DAYS))
}

/// Makes sure the deployment bucket exists and is this account's; returns it and whether it
/// was created now.
pub async fn ensure(
    aws: &Aws,
    account: &str,
    notice: &(dyn Fn(super::Notice) + Sync),
) -> Result<(DeploymentBucket, bool), DeployError> {
    let ours = DeploymentBucket::of(account, &aws.region);
    let bucket = ours.name.clone();
    // GetBucketLocation rather than HeadBucket: it needs only `s3:GetBucketLocation`, where
    // HeadBucket needs `s3:ListBucket` on the whole bucket, which a CI role need not have.
    let located = aws.s3.get_bucket_location().bucket(&bucket).expected_bucket_owner(account).send().await;
    match located {
        Ok(_) => return Ok((ours, false)),
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {}
        // 403: the bucket exists and is someone else's (or this account may not use it).
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 403) => {
            return Err(DeployError::BucketNotOwned { bucket, account: account.to_string() });
        }
        Err(e) => return Err(CallError::from(e).into()),
    }
    notice(super::Notice::CreatingBucket { bucket: bucket.clone(), stack: BOOTSTRAP_STACK.to_string() });
    let started = SystemTime::now();
    if super::stack::describe(&aws.cfn, BOOTSTRAP_STACK).await?.is_some() {
        // A bootstrap stack without its bucket (deleted by hand): start it over.
        super::stack::delete_stack(&aws.cfn, BOOTSTRAP_STACK).await?;
        super::watch::wait(&aws.cfn, BOOTSTRAP_STACK, started, Default::default(), &mut |_| {}).await?;
    }
    aws.cfn
        .create_stack()
        .stack_name(BOOTSTRAP_STACK)
        .template_body(bootstrap_template(&bucket))
        .send()
        .await
        .map_err(CallError::from)?;
    let done = super::watch::wait(&aws.cfn, BOOTSTRAP_STACK, started, Default::default(), &mut |_| {}).await?;
    if !done.succeeded() {
        return Err(DeployError::Bootstrap { reason: done.cause(), status: done.status });
    }
    Ok((ours, true))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Upload {
    pub function: String,
    pub key: String,
    pub uploaded: bool,
    pub size: u64,
}

/// Uploads each (function, local zip, key) unless the key already exists; all at once.
pub(crate) async fn upload_artifacts(
    aws: &Aws,
    bucket: &DeploymentBucket,
    artifacts: Vec<(String, PathBuf, String)>,
) -> Result<Vec<Upload>, DeployError> {
    let mut tasks: tokio::task::JoinSet<Result<Upload, DeployError>> = tokio::task::JoinSet::new();
    for (function, path, key) in artifacts {
        let (s3, bucket, owner) = (aws.s3.clone(), bucket.name.clone(), bucket.owner.clone());
        tasks.spawn(async move {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let there = s3.head_object().bucket(&bucket).key(&key).expected_bucket_owner(&owner).send().await;
            if there.is_ok() {
                return Ok(Upload { function, key, uploaded: false, size });
            }
            let body = match ByteStream::from_path(&path).await {
                Ok(body) => body,
                Err(e) => {
                    let source = std::io::Error::other(e);
                    return Err(DeployError::Artifact { path, source });
                }
            };
            s3.put_object()
                .bucket(&bucket)
                .expected_bucket_owner(&owner)
                .key(&key)
                .body(body)
                .content_type("application/zip")
                .send()
                .await
                .map_err(CallError::from)?;
            Ok(Upload { function, key, uploaded: true, size })
        });
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        out.push(done??);
    }
    out.sort_by(|a, b| a.function.cmp(&b.function));
    Ok(out)
}

/// Puts a large template in the bucket and returns the URL CloudFormation reads it from.
pub(crate) async fn upload_template(
    aws: &Aws,
    bucket: &DeploymentBucket,
    key: &str,
    body: &str,
) -> Result<String, CallError> {
    let (owner, bucket) = (&bucket.owner, &bucket.name);
    aws.s3
        .put_object()
        .bucket(bucket)
        .expected_bucket_owner(owner)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .content_type("application/json")
        .send()
        .await?;
    Ok(match &aws.endpoint {
        Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
        None => format!("https://{bucket}.s3.{}.amazonaws.com/{key}", aws.region),
    })
}
