//! Synthesis: the HTTP API — one API Gateway v2 HTTP API per stack, an integration per function,
//! a route per `http` event with its auth, the `$default` stage with throttling and access
//! logs, and the permissions that let it invoke.

use super::cfn::{get_att, join, r#ref, sub, tag_list, Props, Resource};
use super::function::LogGroup;
use super::resources::output_of;
use super::Ctx;
use crate::config::api::{Auth, Throttle};
use crate::config::model::EventKind;
use crate::plan::names::pascal;
use crate::plan::{FunctionPlan, API_ACCESS_LOGS_ID, API_AUTHORIZER_ID, API_ID, API_STAGE_ID};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Api {
    name: String,
    protocol_type: &'static str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<String, String>,
}
impl Props for Api {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Api";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Integration {
    api_id: Value,
    integration_type: &'static str,
    integration_uri: Value,
    payload_format_version: &'static str,
}
impl Props for Integration {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Integration";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Route {
    api_id: Value,
    route_key: String,
    target: Value,
    authorization_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorizer_id: Option<Value>,
}
impl Props for Route {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Route";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Stage {
    api_id: Value,
    stage_name: &'static str,
    auto_deploy: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_route_settings: Option<Value>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    route_settings: serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_log_settings: Option<Value>,
}
impl Props for Stage {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Stage";
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Authorizer {
    api_id: Value,
    name: &'static str,
    authorizer_type: &'static str,
    identity_source: Vec<&'static str>,
    jwt_configuration: Value,
}
impl Props for Authorizer {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Authorizer";
}

/// One JSON line per request: who, what, how it ended, and how long it took.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","latencyMs":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}"#;

fn throttling(t: Throttle) -> Value {
    json!({"ThrottlingRateLimit": t.rate, "ThrottlingBurstLimit": t.burst})
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Permission {
    pub action: &'static str,
    pub function_name: Value,
    pub principal: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_account: Option<Value>,
    pub source_arn: Value,
}
impl Props for Permission {
    const TYPE: &'static str = "AWS::Lambda::Permission";
}

impl Permission {
    pub(super) fn invoke(function: &FunctionPlan, principal: &'static str, source_arn: Value) -> Self {
        Permission {
            action: "lambda:InvokeFunction",
            function_name: get_att(&function.ids.function, "Arn"),
            principal,
            source_account: None,
            source_arn,
        }
    }
}

pub(super) fn add(ctx: &mut Ctx) {
    let config = &ctx.plan.config;
    let routes: Vec<(&FunctionPlan, &str, &str, Auth, Option<Throttle>)> = ctx
        .plan
        .each_function()
        .flat_map(|(decl, f)| {
            decl.events.iter().filter_map(move |e| match &e.kind {
                EventKind::Http { method, path, auth, throttle } => {
                    Some((f, method.as_str(), path.as_str(), config.api.auth_of(*auth), *throttle))
                }
                _ => None,
            })
        })
        .collect();
    if routes.is_empty() {
        return;
    }
    let api = Api { name: ctx.plan.stack_name.clone(), protocol_type: "HTTP", tags: ctx.plan.tags.clone() };
    ctx.add(API_ID, Resource::new(api));
    let plan = ctx.plan;
    let Some(api_plan) = &plan.api else { return };
    let access_log_settings = api_plan.log_group.clone().map(|log_group_name| {
        let retention = config.effective(&ctx.plan.stage, &Default::default()).log_retention;
        let logs = LogGroup { log_group_name, retention_in_days: retention, tags: tag_list(&ctx.plan.tags) };
        ctx.add(API_ACCESS_LOGS_ID, Resource::new(logs));
        json!({"DestinationArn": get_att(API_ACCESS_LOGS_ID, "Arn"), "Format": ACCESS_LOG_FORMAT})
    });
    let route_settings = routes
        .iter()
        .filter_map(|(_, method, path, _, throttle)| Some((format!("{method} {path}"), throttling((*throttle)?))))
        .collect();
    let stage = Stage {
        api_id: r#ref(API_ID),
        stage_name: "$default",
        auto_deploy: true,
        default_route_settings: config.api.throttle.map(throttling),
        route_settings,
        access_log_settings,
    };
    ctx.add(API_STAGE_ID, Resource::new(stage));
    if let Some(jwt) = config.api.jwt.as_ref().filter(|_| routes.iter().any(|r| r.3 == Auth::Jwt)) {
        let authorizer = Authorizer {
            api_id: r#ref(API_ID),
            name: "jwt",
            authorizer_type: "JWT",
            identity_source: vec!["$request.header.Authorization"],
            jwt_configuration: json!({"Issuer": jwt.issuer, "Audience": jwt.audience}),
        };
        ctx.add(API_AUTHORIZER_ID, Resource::new(authorizer));
    }
    let mut integrated: Vec<&str> = Vec::new();
    for (function, method, path, auth, _) in routes {
        let integration_id = &function.ids.integration;
        if !integrated.contains(&function.name.as_str()) {
            integrated.push(&function.name);
            let integration = Integration {
                api_id: r#ref(API_ID),
                integration_type: "AWS_PROXY",
                integration_uri: get_att(&function.ids.function, "Arn"),
                payload_format_version: "2.0",
            };
            ctx.add(integration_id, Resource::new(integration));
            let source = sub(&format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{API_ID}}}/*"
            ));
            ctx.add(
                &function.ids.http_permission,
                Resource::new(Permission::invoke(function, "apigateway.amazonaws.com", source)),
            );
        }
        let path_id = if path == "/" { "Root".to_string() } else { pascal(&path.replace('+', "Proxy")) };
        let route_id = ctx.unique_id(&format!("Route{}{path_id}", pascal(&method.to_ascii_lowercase())));
        let route = Route {
            api_id: r#ref(API_ID),
            route_key: format!("{method} {path}"),
            target: join("/", vec![Value::String("integrations".into()), r#ref(integration_id)]),
            authorization_type: auth.authorization_type(),
            authorizer_id: (auth == Auth::Jwt).then(|| r#ref(API_AUTHORIZER_ID)),
        };
        ctx.add(route_id, Resource::new(route));
    }
    output_of(ctx, &api_plan.url);
}
