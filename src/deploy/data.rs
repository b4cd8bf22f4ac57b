//! Deploy stage, in reverse: the data a stack removal would destroy — every object version and
//! delete marker of its buckets, the items of its tables — found before anything is deleted.
//! An inspection that fails is an error, never "empty".

use crate::aws::{explain, Aws, CallError};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};

/// A data resource that is not empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Held {
    pub logical_id: String,
    /// The bucket's or table's name.
    pub name: String,
    #[serde(flatten)]
    pub holding: Holding,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Holding {
    /// Every version counts: a versioned bucket whose objects were deleted still holds them.
    Bucket { objects: usize, old_versions: usize, delete_markers: usize },
    /// DynamoDB's item count is refreshed about every six hours, so it is approximate; a scan
    /// of one item tells a table that merely looks empty from one that is.
    Table { approximate_items: i64 },
}

impl Holding {
    pub(crate) fn is_table(&self) -> bool {
        matches!(self, Holding::Table { .. })
    }
}

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.holding {
            Holding::Bucket { objects, old_versions, delete_markers } => {
                write!(f, "bucket {}: {objects} object(s)", self.name)?;
                if old_versions + delete_markers > 0 {
                    write!(f, ", {old_versions} older version(s), {delete_markers} delete marker(s)")?;
                }
                Ok(())
            }
            Holding::Table { approximate_items } if *approximate_items > 0 => {
                write!(
                    f,
                    "table {}: about {approximate_items} item(s) (DynamoDB's count, refreshed every ~6 h)",
                    self.name
                )
            }
            Holding::Table { .. } => write!(f, "table {}: holds items (DynamoDB has not counted them yet)", self.name),
        }
    }
}

/// Why a resource could not be inspected: the removal stops there.
#[derive(Debug, thiserror::Error)]
#[error("could not check whether {what} holds data: {reason}")]
pub struct Unchecked {
    pub what: String,
    pub reason: String,
}

/// One version or delete marker: what emptying a bucket deletes.
type Version = (String, Option<String>);

/// Every version and delete marker in `bucket`; `None` when the bucket is already gone.
async fn versions(aws: &Aws, bucket: &str) -> Result<Option<(Vec<Version>, usize, usize, usize)>, Unchecked> {
    let (mut all, mut objects, mut old, mut markers) = (Vec::new(), 0, 0, 0);
    // ListObjectVersions has no paginator in the SDK: two markers carry the position.
    let (mut key_marker, mut version_marker) = (None, None);
    loop {
        let list = aws
            .s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.take())
            .set_version_id_marker(version_marker.take());
        let page = match list.send().await {
            Ok(page) => page,
            Err(e) if e.as_service_error().is_some_and(|e| e.meta().code() == Some("NoSuchBucket")) => return Ok(None),
            Err(e) => return Err(Unchecked { what: format!("bucket {bucket}"), reason: explain(&e) }),
        };
        for v in page.versions() {
            if v.is_latest() == Some(false) {
                old += 1;
            } else {
                objects += 1;
            }
            all.extend(v.key().map(|k| (k.to_string(), v.version_id().map(str::to_string))));
        }
        for m in page.delete_markers() {
            markers += 1;
            all.extend(m.key().map(|k| (k.to_string(), m.version_id().map(str::to_string))));
        }
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
        if key_marker.is_none() && version_marker.is_none() {
            break;
        }
    }
    Ok(Some((all, objects, old, markers)))
}

/// What a bucket holds, if anything.
pub(crate) async fn bucket(aws: &Aws, logical_id: &str, bucket: &str) -> Result<Option<Held>, Unchecked> {
    let Some((all, objects, old_versions, delete_markers)) = versions(aws, bucket).await? else { return Ok(None) };
    Ok((!all.is_empty()).then(|| Held {
        logical_id: logical_id.to_string(),
        name: bucket.to_string(),
        holding: Holding::Bucket { objects, old_versions, delete_markers },
    }))
}

/// What a table holds, if anything.
pub(crate) async fn table(aws: &Aws, logical_id: &str, table: &str) -> Result<Option<Held>, Unchecked> {
    let failed = |e: &dyn std::fmt::Display| Unchecked { what: format!("table {table}"), reason: e.to_string() };
    let gone = |code: Option<&str>| code == Some("ResourceNotFoundException");
    let scan = aws.dynamodb.scan().table_name(table).limit(1).select(aws_sdk_dynamodb::types::Select::Count);
    let any = match scan.send().await {
        Ok(out) => out.count() > 0 || out.last_evaluated_key().is_some(),
        Err(e) if gone(e.as_service_error().and_then(|e| e.meta().code())) => return Ok(None),
        Err(e) => return Err(failed(&explain(&e))),
    };
    if !any {
        return Ok(None);
    }
    let described = aws.dynamodb.describe_table().table_name(table).send().await.map_err(|e| failed(&explain(&e)))?;
    let approximate_items = described.table().and_then(|t| t.item_count()).unwrap_or(0);
    Ok(Some(Held {
        logical_id: logical_id.to_string(),
        name: table.to_string(),
        holding: Holding::Table { approximate_items },
    }))
}

/// Deletes every version and delete marker in `bucket`, so CloudFormation can delete it.
pub(crate) async fn empty_bucket(aws: &Aws, bucket: &str) -> Result<usize, CallError> {
    let all = match versions(aws, bucket).await {
        Ok(Some((all, ..))) => all,
        Ok(None) => return Ok(0),
        Err(e) => return Err(CallError::other(e.to_string())),
    };
    for chunk in all.chunks(1000) {
        let objects: Vec<ObjectIdentifier> = chunk
            .iter()
            .filter_map(|(k, v)| ObjectIdentifier::builder().key(k).set_version_id(v.clone()).build().ok())
            .collect();
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| CallError::other(e.to_string()))?;
        let out = aws.s3.delete_objects().bucket(bucket).delete(delete).send().await?;
        if let Some(e) = out.errors().first() {
            let reason = format!("{}: {}", e.key().unwrap_or(""), e.message().unwrap_or("not deleted"));
            return Err(CallError::other(format!("emptying bucket {bucket}: {reason}")));
        }
    }
    Ok(all.len())
}
