//! The `thumbnail` function: runs for every `.png` uploaded under `images/` in the `uploads`
//! bucket. It plans the thumbnail key; fetching and resizing is yours to add (UPLOADS_BUCKET
//! names the bucket, and `uses: { uploads: read-write }` grants access).

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

/// `images/cat.png` → `thumbnails/cat.png`.
fn thumbnail_key(key: &str) -> Option<String> {
    let name = key.strip_prefix("images/")?;
    (!name.is_empty()).then(|| format!("thumbnails/{name}"))
}

fn plan(event: &S3Event) -> Vec<(String, String)> {
    event
        .records
        .iter()
        .filter_map(|r| {
            // S3 URL-encodes keys in events (spaces arrive as `+`).
            let key = r.s3.object.key.as_deref()?.replace('+', " ");
            Some((key.clone(), thumbnail_key(&key)?))
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    run(service_fn(|event: LambdaEvent<S3Event>| async move {
        let planned = plan(&event.payload);
        for (from, to) in &planned {
            tracing::info!(%from, %to, "thumbnail planned");
        }
        Ok::<_, Error>(serde_json::json!({ "planned": planned.len() }))
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as S3 sends it (trimmed of fields the handler does not read).
    fn record(key: &str) -> serde_json::Value {
        serde_json::json!({
            "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
            "eventTime": "2026-11-27T03:00:00.000Z", "eventName": "ObjectCreated:Put",
            "userIdentity": {"principalId": "AWS:EXAMPLE"},
            "requestParameters": {"sourceIPAddress": "203.0.113.7"},
            "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8"},
            "s3": {
                "s3SchemaVersion": "1.0", "configurationId": "thumbnail",
                "bucket": {"name": "uploads", "ownerIdentity": {"principalId": "EXAMPLE"}, "arn": "arn:aws:s3:::uploads"},
                "object": {"key": key, "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}
            }
        })
    }

    #[test]
    fn plans_a_thumbnail_per_image() {
        let event: S3Event =
            serde_json::from_value(serde_json::json!({ "Records": [record("images/my+cat.png"), record("other/x.png")] })).unwrap();
        assert_eq!(plan(&event), vec![("images/my cat.png".to_string(), "thumbnails/my cat.png".to_string())]);
    }
}
