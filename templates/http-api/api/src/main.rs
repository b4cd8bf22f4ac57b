//! The `api` function: every HTTP route of this service lands here (see `sls.yaml`).

use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
struct Greeting {
    name: String,
}

async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let name = event.path_parameters_ref().and_then(|p| p.first("name")).map(str::to_owned);
    match (event.method().as_str(), name) {
        ("GET", Some(name)) => respond(200, json!({ "message": format!("Hello, {name}!") })),
        ("POST", _) => match serde_json::from_slice::<Greeting>(event.body().as_ref()) {
            Ok(g) => respond(201, json!({ "message": format!("Welcome, {}!", g.name) })),
            Err(e) => respond(400, json!({ "error": format!("expected {{\"name\": \"...\"}}: {e}") })),
        },
        _ => respond(404, json!({ "error": "not found" })),
    }
}

fn respond(status: u16, body: serde_json::Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::Text(body.to_string()))?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .json()
        .without_time() // CloudWatch stamps every line already
        .init();
    run(service_fn(handler)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::http;
    use std::collections::HashMap;

    fn request(method: &str, path: &str, body: &str) -> Request {
        http::Request::builder()
            .method(method)
            .uri(path)
            .body(Body::from(body))
            .unwrap()
    }

    fn json_body(resp: &Response<Body>) -> serde_json::Value {
        serde_json::from_slice(resp.body().as_ref()).unwrap()
    }

    #[tokio::test]
    async fn greets_by_path_parameter() {
        let req = request("GET", "/hello/ada", "")
            .with_path_parameters(HashMap::from([("name".to_string(), "ada".to_string())]));
        let resp = handler(req).await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(json_body(&resp)["message"], "Hello, ada!");
    }

    #[tokio::test]
    async fn welcomes_a_posted_name_and_rejects_bad_json() {
        let resp = handler(request("POST", "/hello", r#"{"name":"grace"}"#)).await.unwrap();
        assert_eq!(resp.status(), 201);
        assert_eq!(json_body(&resp)["message"], "Welcome, grace!");
        let resp = handler(request("POST", "/hello", "nope")).await.unwrap();
        assert_eq!(resp.status(), 400);
    }
}
