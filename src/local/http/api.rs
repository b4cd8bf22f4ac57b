//! Local runtime: the HTTP API the way API Gateway (v2, payload 2.0) behaves — route matching
//! with path parameters, `{proxy+}` and `ANY`; the request event; the response mapping.

use crate::config::Method;
use crate::host::clock::Timestamp;
use base64::Engine;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub function: String,
    /// `iam` or `jwt` when the route is not public: API Gateway checks it, `dev` does not.
    pub auth: Option<&'static str>,
}

#[derive(Debug, PartialEq)]
pub(crate) enum Match<'a> {
    Found(&'a Route, BTreeMap<String, String>),
    /// The path exists but not for this method.
    MethodNotAllowed,
    NotFound,
}

impl Route {
    fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// Path parameters when `path` fits this route's pattern (method ignored unless given).
    pub(crate) fn matches(&self, method: &str, path: &str) -> Option<BTreeMap<String, String>> {
        if !self.method.accepts(method) {
            return None;
        }
        self.matches_path(path)
    }

    fn matches_path(&self, path: &str) -> Option<BTreeMap<String, String>> {
        let pattern = self.segments();
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut params = BTreeMap::new();
        for (i, seg) in pattern.iter().enumerate() {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
                if i >= parts.len() {
                    return None;
                }
                params.insert(name.to_string(), parts[i..].join("/"));
                return Some(params);
            }
            let part = parts.get(i)?;
            match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    params.insert(name.to_string(), percent_decode(part));
                }
                None if seg == part => {}
                None => return None,
            }
        }
        (parts.len() == pattern.len()).then_some(params)
    }

    /// Static segments outrank parameters, which outrank a greedy tail; a named method
    /// outranks `ANY`.
    fn rank(&self) -> (Vec<u8>, u8) {
        let segs = self
            .segments()
            .iter()
            .map(|s| {
                if s.ends_with("+}") {
                    0
                } else if s.starts_with('{') {
                    1
                } else {
                    2
                }
            })
            .collect();
        (segs, u8::from(self.method != Method::Any))
    }

    /// A concrete path for this route, for sample events.
    pub(crate) fn example_path(&self) -> String {
        let parts: Vec<String> = self
            .segments()
            .iter()
            .map(|s| {
                if s.starts_with('{') {
                    s.trim_matches(|c| c == '{' || c == '}' || c == '+').to_string() + "-1"
                } else {
                    s.to_string()
                }
            })
            .collect();
        format!("/{}", parts.join("/"))
    }
}

pub(crate) fn route<'a>(routes: &'a [Route], method: &str, path: &str) -> Match<'a> {
    let best = routes
        .iter()
        .filter_map(|r| r.matches(method, path).map(|p| (r, p)))
        .max_by(|a, b| a.0.rank().cmp(&b.0.rank()));
    match best {
        Some((r, params)) => Match::Found(r, params),
        None if routes.iter().any(|r| r.matches_path(path).is_some()) => Match::MethodNotAllowed,
        None => Match::NotFound,
    }
}

/// The API Gateway payload 2.0 event for one request.
#[allow(clippy::too_many_arguments)]
pub fn request_event(
    route: &Route,
    params: &BTreeMap<String, String>,
    method: &str,
    path: &str,
    raw_query: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    now: &Timestamp,
) -> Value {
    let mut hmap: Map<String, Value> = Map::new();
    let mut cookies = Vec::new();
    for (k, v) in headers {
        let k = k.to_ascii_lowercase();
        if k == "cookie" {
            cookies.extend(v.split(';').map(|c| Value::String(c.trim().to_string())).filter(|c| c != ""));
            continue;
        }
        let joined = match hmap.get(&k).and_then(Value::as_str) {
            Some(prev) => format!("{prev},{v}"),
            None => v.clone(),
        };
        hmap.insert(k, Value::String(joined));
    }
    let mut query: Map<String, Value> = Map::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")));
        let joined = match query.get(&k).and_then(Value::as_str) {
            Some(prev) => format!("{prev},{v}"),
            None => v,
        };
        query.insert(k, Value::String(joined));
    }
    let route_key = format!("{} {}", route.method, route.path);
    let user_agent = hmap.get("user-agent").cloned().unwrap_or(Value::String(String::new()));
    let mut event = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": hmap,
        "requestContext": {
            "accountId": crate::local::LOCAL_ACCOUNT, "apiId": "local", "domainName": "localhost", "domainPrefix": "localhost",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": user_agent},
            "requestId": format!("local-{}", now.millis()), "routeKey": route_key, "stage": "$default",
            "time": now.apigw(), "timeEpoch": now.millis() as u64
        },
        "isBase64Encoded": false
    });
    if !cookies.is_empty() {
        event["cookies"] = Value::Array(cookies);
    }
    if !query.is_empty() {
        event["queryStringParameters"] = Value::Object(query);
    }
    if !params.is_empty() {
        event["pathParameters"] = json!(params);
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        match std::str::from_utf8(body) {
            Ok(text) => event["body"] = Value::String(text.to_string()),
            Err(_) => {
                event["body"] = Value::String(base64::engine::general_purpose::STANDARD.encode(body));
                event["isBase64Encoded"] = Value::Bool(true);
            }
        }
    }
    event
}

/// An HTTP response as API Gateway builds it from a handler's payload.
#[derive(Debug, PartialEq)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub(crate) fn response_from(payload: &[u8]) -> HttpResponse {
    let json_reply = |body: Vec<u8>| HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    };
    let Ok(value) = serde_json::from_slice::<Value>(payload) else {
        return json_reply(payload.to_vec());
    };
    let Some(status) = value.get("statusCode").and_then(Value::as_u64) else {
        // No statusCode: API Gateway answers 200 with the payload as a JSON body.
        return json_reply(payload.to_vec());
    };
    let mut headers = Vec::new();
    for (k, v) in value["headers"].as_object().into_iter().flatten() {
        headers.push((k.to_ascii_lowercase(), scalar(v)));
    }
    for (k, vs) in value["multiValueHeaders"].as_object().into_iter().flatten() {
        for v in vs.as_array().into_iter().flatten() {
            headers.push((k.to_ascii_lowercase(), scalar(v)));
        }
    }
    for c in value["cookies"].as_array().into_iter().flatten() {
        headers.push(("set-cookie".into(), scalar(c)));
    }
    let text = value["body"].as_str().unwrap_or_default();
    let body = if value["isBase64Encoded"].as_bool() == Some(true) {
        base64::engine::general_purpose::STANDARD.decode(text).unwrap_or_default()
    } else {
        text.as_bytes().to_vec()
    };
    HttpResponse { status: u16::try_from(status).unwrap_or(502), headers, body }
}

fn scalar(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

pub(crate) fn error_response(status: u16, message: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({ "message": message }).to_string().into_bytes(),
    }
}

/// Undoes URL percent-encoding (`%2F` → `/`); invalid escapes stay as they are.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(method: &str, path: &str, function: &str) -> Route {
        Route { method: Method::parse(method).unwrap(), path: path.into(), function: function.into(), auth: None }
    }

    #[test]
    fn most_specific_route_wins() {
        let routes = vec![
            r("GET", "/users/{id}", "byid"),
            r("GET", "/users/me", "me"),
            r("ANY", "/{proxy+}", "fallback"),
            r("POST", "/users", "create"),
        ];
        let Match::Found(found, params) = route(&routes, "GET", "/users/42") else { panic!() };
        assert_eq!((found.function.as_str(), params["id"].as_str()), ("byid", "42"));
        assert!(matches!(route(&routes, "GET", "/users/me"), Match::Found(r, _) if r.function == "me"));
        let Match::Found(found, params) = route(&routes, "DELETE", "/a/b/c") else { panic!() };
        assert_eq!((found.function.as_str(), params["proxy"].as_str()), ("fallback", "a/b/c"));
        assert!(matches!(route(&routes, "POST", "/users"), Match::Found(r, _) if r.function == "create"));
        let only = vec![r("POST", "/users", "create")];
        assert_eq!(route(&only, "GET", "/users"), Match::MethodNotAllowed);
        assert_eq!(route(&only, "GET", "/nope"), Match::NotFound);
    }

    #[test]
    fn builds_a_payload_2_event() {
        let route = r("GET", "/users/{id}", "api");
        let params = BTreeMap::from([("id".to_string(), "a b".to_string())]);
        let headers =
            vec![("Cookie".into(), "a=1; b=2".into()), ("X-Thing".into(), "1".into()), ("x-thing".into(), "2".into())];
        let e = request_event(
            &route,
            &params,
            "GET",
            "/users/a%20b",
            "q=1&q=2&x=%2F",
            &headers,
            Some(b"\xff\x00"),
            &Timestamp { millis: 0 },
        );
        assert_eq!(e["routeKey"], "GET /users/{id}");
        assert_eq!(e["cookies"], json!(["a=1", "b=2"]));
        assert_eq!(e["headers"]["x-thing"], "1,2");
        assert_eq!(e["queryStringParameters"], json!({"q": "1,2", "x": "/"}));
        assert_eq!(e["pathParameters"]["id"], "a b");
        assert_eq!(e["isBase64Encoded"], true);
        assert_eq!(e["requestContext"]["stage"], "$default");
    }

    #[test]
    fn maps_responses_like_api_gateway() {
        let r = response_from(
            br#"{"statusCode":201,"headers":{"X-A":"1"},"cookies":["s=1"],"body":"aGk=","isBase64Encoded":true}"#,
        );
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"hi");
        assert!(r.headers.contains(&("set-cookie".into(), "s=1".into())));
        assert!(r.headers.contains(&("x-a".into(), "1".into())));
        let plain = response_from(br#"{"ok":true}"#);
        assert_eq!((plain.status, plain.body.as_slice()), (200, br#"{"ok":true}"#.as_slice()));
    }
}
