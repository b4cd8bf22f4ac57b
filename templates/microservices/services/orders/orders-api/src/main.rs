//! `orders-api`: `POST /orders` checks an order and queues it for `order-worker`.

use lambda_http::{run, service_fn, Error, Request};
use serde_json::json;
use shared::{respond, Order};

/// The queue message for a request body, or the 400 message.
fn message_for(body: &[u8]) -> Result<String, String> {
    let order = Order::parse(body)?;
    serde_json::to_string(&order).map_err(|e| e.to_string())
}

async fn handler(sqs: &aws_sdk_sqs::Client, queue_url: &str, event: Request) -> Result<lambda_http::Response<lambda_http::Body>, Error> {
    match message_for(event.body().as_ref()) {
        Ok(message) => {
            let sent = sqs.send_message().queue_url(queue_url).message_body(message).send().await.map_err(shared::explain)?;
            respond(202, json!({ "queued": sent.message_id() }))
        }
        Err(e) => respond(400, json!({ "error": e })),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    let sqs = aws_sdk_sqs::Client::new(&aws_config::load_from_env().await);
    let queue_url = shared::env("ORDERS_QUEUE_URL");
    run(service_fn(|event| handler(&sqs, &queue_url, event))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_valid_orders_only() {
        let msg = message_for(br#"{"user_id":"u1","sku":"tea","quantity":3}"#).unwrap();
        assert_eq!(Order::parse(msg.as_bytes()).unwrap().quantity, 3);
        assert!(message_for(br#"{"user_id":"u1"}"#).is_err());
    }
}
