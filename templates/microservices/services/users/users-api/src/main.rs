//! `users-api`: `GET /users/{id}` reads a user, `PUT /users/{id}` with `{"name": ...}` stores one
//! and tells the orders service about it (its `signups` queue).

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{run, service_fn, Error, Request, RequestExt};
use serde_json::json;
use shared::respond;

/// The user's name from a PUT body.
fn name_from(body: &[u8]) -> Result<String, String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    match v["name"].as_str().map(str::trim) {
        Some(name) if !name.is_empty() => Ok(name.to_string()),
        _ => Err("expected {\"name\": \"...\"}".into()),
    }
}

struct Ctx {
    db: aws_sdk_dynamodb::Client,
    table: String,
    sqs: aws_sdk_sqs::Client,
    signups: String,
}

async fn handler(ctx: &Ctx, event: Request) -> Result<lambda_http::Response<lambda_http::Body>, Error> {
    let Some(id) = event.path_parameters_ref().and_then(|p| p.first("id")).map(str::to_owned) else {
        return respond(404, json!({ "error": "not found" }));
    };
    match event.method().as_str() {
        "PUT" => match name_from(event.body().as_ref()) {
            Ok(name) => {
                let (db, table) = (&ctx.db, &ctx.table);
                db.put_item().table_name(table).item("id", AttributeValue::S(id.clone())).item("name", AttributeValue::S(name.clone())).send().await.map_err(shared::explain)?;
                let signup = serde_json::to_string(&shared::SignUp { id: id.clone(), name: name.clone() })?;
                ctx.sqs.send_message().queue_url(&ctx.signups).message_body(signup).send().await.map_err(shared::explain)?;
                respond(200, json!({ "id": id, "name": name }))
            }
            Err(e) => respond(400, json!({ "error": e })),
        },
        _ => {
            let out = ctx.db.get_item().table_name(&ctx.table).key("id", AttributeValue::S(id.clone())).send().await.map_err(shared::explain)?;
            match out.item().and_then(|i| i.get("name")).and_then(|n| n.as_s().ok()) {
                Some(name) => respond(200, json!({ "id": id, "name": name })),
                None => respond(404, json!({ "error": format!("no user {id}") })),
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    let config = aws_config::load_from_env().await;
    let ctx = Ctx {
        db: aws_sdk_dynamodb::Client::new(&config),
        table: shared::env("USERS_TABLE"),
        sqs: aws_sdk_sqs::Client::new(&config),
        // Set from the orders stack's output at deploy time.
        signups: shared::env("SIGNUPS_QUEUE_URL"),
    };
    run(service_fn(|event| handler(&ctx, event))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_name_from_the_body() {
        assert_eq!(name_from(br#"{"name":" Ada "}"#).unwrap(), "Ada");
        assert!(name_from(br#"{"name":""}"#).is_err());
        assert!(name_from(b"nope").is_err());
    }
}
