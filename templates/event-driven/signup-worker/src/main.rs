//! The `signup-worker` function: stores each queued sign-up as a user. Failed messages are
//! reported one by one (`ReportBatchItemFailures`), so only they are retried.

use aws_lambda_events::event::sqs::SqsEvent;
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Serialize;
use shared::Signup;

#[derive(Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct BatchResponse {
    batch_item_failures: Vec<ItemFailure>,
}

#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct ItemFailure {
    item_identifier: String,
}

/// Where users go; a trait so the batch logic is tested without AWS.
trait Users {
    async fn put(&self, signup: &Signup) -> Result<(), String>;
}

struct Table {
    client: aws_sdk_dynamodb::Client,
    name: String,
}

impl Users for Table {
    async fn put(&self, s: &Signup) -> Result<(), String> {
        self.client
            .put_item()
            .table_name(&self.name)
            .item("id", AttributeValue::S(s.email.clone()))
            .item("name", AttributeValue::S(s.name.clone()))
            .send()
            .await
            .map(|_| ())
            .map_err(shared::explain)
    }
}

async fn handle(users: &impl Users, event: SqsEvent) -> BatchResponse {
    let mut response = BatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let outcome = match Signup::parse(record.body.as_deref().unwrap_or("").as_bytes()) {
            Ok(signup) => users.put(&signup).await,
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            tracing::warn!(message_id = %id, error = %e, "sign-up not stored");
            response.batch_item_failures.push(ItemFailure { item_identifier: id });
        }
    }
    response
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    let config = aws_config::load_from_env().await;
    let table = Table { client: aws_sdk_dynamodb::Client::new(&config), name: shared::env("USERS_TABLE") };
    run(service_fn(|event: LambdaEvent<SqsEvent>| {
        let table = &table;
        async move { Ok::<_, Error>(handle(table, event.payload).await) }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Memory(Mutex<Vec<Signup>>);

    impl Users for Memory {
        async fn put(&self, s: &Signup) -> Result<(), String> {
            self.0.lock().unwrap().push(s.clone());
            Ok(())
        }
    }

    #[tokio::test]
    async fn stores_good_messages_and_reports_bad_ones() {
        let event: SqsEvent = serde_json::from_value(serde_json::json!({
            "Records": [
                {"messageId": "m1", "body": "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}"},
                {"messageId": "m2", "body": "not json"}
            ]
        }))
        .unwrap();
        let users = Memory::default();
        let response = handle(&users, event).await;
        assert_eq!(users.0.lock().unwrap().len(), 1);
        assert_eq!(response.batch_item_failures, vec![ItemFailure { item_identifier: "m2".into() }]);
    }
}
