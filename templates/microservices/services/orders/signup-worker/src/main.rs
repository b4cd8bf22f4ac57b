//! `signup-worker`: welcomes each user the users service signed up (their first cart would
//! start here); a message that is not a sign-up is reported for retry, then dead-lettered.

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Serialize;
use shared::SignUp;

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchResponse {
    batch_item_failures: Vec<serde_json::Value>,
}

fn handle(event: &SqsEvent) -> BatchResponse {
    let mut response = BatchResponse::default();
    for record in &event.records {
        match serde_json::from_str::<SignUp>(record.body.as_deref().unwrap_or("")) {
            Ok(s) => tracing::info!(user = %s.id, name = %s.name, "welcome"),
            Err(e) => {
                tracing::warn!(error = %e, "not a sign-up");
                response.batch_item_failures.push(serde_json::json!({ "itemIdentifier": record.message_id }));
            }
        }
    }
    response
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    run(service_fn(|event: LambdaEvent<SqsEvent>| async move { Ok::<_, Error>(handle(&event.payload)) })).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_only_what_is_not_a_sign_up() {
        let event: SqsEvent = serde_json::from_value(serde_json::json!({"Records": [
            {"messageId": "ok", "body": "{\"id\":\"u1\",\"name\":\"Ada\"}"},
            {"messageId": "bad", "body": "{}"}
        ]}))
        .unwrap();
        assert_eq!(handle(&event).batch_item_failures, vec![serde_json::json!({"itemIdentifier": "bad"})]);
    }
}
