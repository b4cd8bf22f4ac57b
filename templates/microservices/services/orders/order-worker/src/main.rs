//! `order-worker`: processes queued orders; bad messages are reported for retry one by one.

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Serialize;
use shared::Order;

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchResponse {
    batch_item_failures: Vec<serde_json::Value>,
}

fn handle(event: &SqsEvent) -> BatchResponse {
    let mut response = BatchResponse::default();
    for record in &event.records {
        match Order::parse(record.body.as_deref().unwrap_or("").as_bytes()) {
            Ok(order) => tracing::info!(user = %order.user_id, sku = %order.sku, quantity = order.quantity, "order processed"),
            Err(e) => {
                tracing::warn!(error = %e, "order rejected");
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
    fn reports_only_the_bad_message() {
        let event: SqsEvent = serde_json::from_value(serde_json::json!({"Records": [
            {"messageId": "ok", "body": "{\"user_id\":\"u\",\"sku\":\"s\",\"quantity\":1}"},
            {"messageId": "bad", "body": "{}"}
        ]}))
        .unwrap();
        let r = handle(&event);
        assert_eq!(r.batch_item_failures, vec![serde_json::json!({"itemIdentifier": "bad"})]);
    }
}
