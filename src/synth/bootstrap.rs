//! Synthesis: the bootstrap stack — sls-rs's own deployment bucket, one per account and region,
//! hardened like every bucket sls-rs makes, TLS-only, with old artifacts expired.

use super::cfn::{get_att, r#ref, Output, Resource, Template};
use super::resources::{Bucket, BucketPolicy};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const BUCKET_ID: &str = "DeploymentBucket";

/// The bootstrap template for the bucket `name`, expiring artifacts after `expiry_days`.
pub fn template(name: &str, expiry_days: u32) -> Template {
    let bucket = Bucket {
        lifecycle_configuration: Some(
            json!({"Rules": [{"Id": "expire-old-artifacts", "Status": "Enabled", "ExpirationInDays": expiry_days}]}),
        ),
        ..Bucket::hardened(Value::String(name.to_string()))
    };
    let policy = BucketPolicy::tls_only(BUCKET_ID, get_att(BUCKET_ID, "Arn"));
    // Retained: deleting the bootstrap stack must never take every stage's artifacts with it.
    let resources = BTreeMap::from([
        (BUCKET_ID.to_string(), Resource::new(bucket).retain(true)),
        (format!("{BUCKET_ID}Policy"), Resource::new(policy)),
    ]);
    Template {
        format_version: "2010-09-09",
        description: "sls-rs deployment bucket for this account and region".into(),
        parameters: BTreeMap::new(),
        mappings: BTreeMap::new(),
        conditions: BTreeMap::new(),
        resources,
        outputs: BTreeMap::from([("BucketName".to_string(), Output::new(r#ref(BUCKET_ID), "the deployment bucket"))]),
    }
}
