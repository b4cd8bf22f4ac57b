//! Code every service shares: the order message, JSON responses, logging, configuration.

use lambda_http::{Body, Error, Response};
use serde::{Deserialize, Serialize};

/// An order, as `orders-api` queues it and `order-worker` processes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub user_id: String,
    pub sku: String,
    pub quantity: u32,
}

impl Order {
    pub fn parse(body: &[u8]) -> Result<Order, String> {
        let order: Order = serde_json::from_slice(body).map_err(|e| format!("expected {{\"user_id\", \"sku\", \"quantity\"}}: {e}"))?;
        if order.quantity == 0 || order.quantity > 100 {
            return Err(format!("quantity {} is outside 1–100", order.quantity));
        }
        Ok(order)
    }
}

/// A new user, as `users-api` sends it to the orders service's `signups` queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUp {
    pub id: String,
    pub name: String,
}

pub fn respond(status: u16, body: serde_json::Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder().status(status).header("content-type", "application/json").body(Body::Text(body.to_string()))?)
}

/// An error with every cause on one line (`dispatch failure: io error: Connection refused`).
/// The AWS SDK's own message names only the outermost, which explains nothing on its own, so
/// handlers return this instead of the SDK error itself.
pub fn explain(error: impl std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The environment variable `name`, which sls-rs sets for every resource a function `uses`.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: add the resource to `uses` in sls.yaml"))
}

pub fn init_logging() {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).json().without_time().init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_names_every_cause() {
        #[derive(Debug)]
        struct Dispatch(std::io::Error);
        impl std::fmt::Display for Dispatch {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("dispatch failure")
            }
        }
        impl std::error::Error for Dispatch {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        assert_eq!(explain(Dispatch(refused)), "dispatch failure: Connection refused");
    }

    #[test]
    fn orders_are_checked() {
        assert!(Order::parse(br#"{"user_id":"u1","sku":"tea","quantity":2}"#).is_ok());
        assert!(Order::parse(br#"{"user_id":"u1","sku":"tea","quantity":0}"#).unwrap_err().contains("outside"));
        assert!(Order::parse(b"[]").is_err());
    }
}
