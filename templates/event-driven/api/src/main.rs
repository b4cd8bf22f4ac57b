//! The `api` function: `POST /signups` queues a sign-up, `GET /users/{id}` reads a user.

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};
use serde_json::json;
use shared::Signup;

struct Clients {
    sqs: aws_sdk_sqs::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    queue_url: String,
    table: String,
}

async fn handler(clients: &Clients, event: Request) -> Result<Response<Body>, Error> {
    let id = event.path_parameters_ref().and_then(|p| p.first("id")).map(str::to_owned);
    match (event.method().as_str(), id) {
        ("POST", _) => match Signup::parse(event.body().as_ref()) {
            Ok(signup) => {
                let body = serde_json::to_string(&signup)?;
                clients.sqs.send_message().queue_url(&clients.queue_url).message_body(body).send().await.map_err(shared::explain)?;
                respond(202, json!({ "queued": signup.email }))
            }
            Err(e) => respond(400, json!({ "error": e })),
        },
        ("GET", Some(id)) => {
            let item = clients.dynamodb.get_item().table_name(&clients.table).key("id", AttributeValue::S(id.clone())).send().await.map_err(shared::explain)?;
            match item.item() {
                Some(item) => {
                    let name = item.get("name").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
                    respond(200, json!({ "id": id, "name": name }))
                }
                None => respond(404, json!({ "error": format!("no user {id}") })),
            }
        }
        _ => respond(404, json!({ "error": "not found" })),
    }
}

fn respond(status: u16, body: serde_json::Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder().status(status).header("content-type", "application/json").body(Body::Text(body.to_string()))?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    let config = aws_config::load_from_env().await;
    let clients = Clients {
        sqs: aws_sdk_sqs::Client::new(&config),
        dynamodb: aws_sdk_dynamodb::Client::new(&config),
        queue_url: shared::env("SIGNUPS_QUEUE_URL"),
        table: shared::env("USERS_TABLE"),
    };
    run(service_fn(|event| handler(&clients, event))).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::http;

    fn offline_clients() -> Clients {
        // Points at a closed port: a test that reaches AWS fails instead of calling it.
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .endpoint_url("http://127.0.0.1:9")
            .region(aws_config::Region::new("us-east-1"))
            .build();
        Clients {
            sqs: aws_sdk_sqs::Client::new(&config),
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            queue_url: "http://127.0.0.1:9/queue".into(),
            table: "users".into(),
        }
    }

    #[tokio::test]
    async fn rejects_a_bad_signup_before_queueing() {
        let req = http::Request::builder().method("POST").uri("/signups").body(Body::from(r#"{"email":"x"}"#)).unwrap();
        let resp = handler(&offline_clients(), req).await.unwrap();
        assert_eq!(resp.status(), 400);
        let body: serde_json::Value = serde_json::from_slice(resp.body().as_ref()).unwrap();
        assert!(body["error"].as_str().unwrap().contains("email"));
    }

    #[tokio::test]
    async fn an_aws_failure_explains_itself() {
        let signup = r#"{"email":"ada@example.com","name":"Ada"}"#;
        let req = http::Request::builder().method("POST").uri("/signups").body(Body::from(signup)).unwrap();
        let err = handler(&offline_clients(), req).await.unwrap_err().to_string();
        // Not just "dispatch failure" (the SDK error's own message): its causes follow, here
        // that these offline clients have no credentials to sign with.
        assert!(err.starts_with("dispatch failure: ") && err.contains("credentials"), "{err}");
    }

    #[tokio::test]
    async fn unknown_routes_are_404() {
        let req = http::Request::builder().method("DELETE").uri("/x").body(Body::Empty).unwrap();
        assert_eq!(handler(&offline_clients(), req).await.unwrap().status(), 404);
    }
}
