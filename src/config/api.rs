//! Config stage, step 2 (HTTP API): the `api:` section — who may call the routes (`auth`), how
//! fast (`throttle`) and whether calls are logged (`access_logs`) — and the per-route options
//! of an `http` event that override it.

use super::diagnostic::Problem;
use super::reader::Reader;
use super::shape;
use super::yaml::{Node, Span};

/// How callers of a route prove who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Public: anyone may call.
    None,
    /// Signed with AWS credentials (SigV4) allowed `execute-api:Invoke` on the route.
    Iam,
    /// A bearer token from the issuer in `api.jwt`.
    Jwt,
}

impl Auth {
    pub(crate) const ALL: [Auth; 3] = [Auth::None, Auth::Iam, Auth::Jwt];

    /// As sls.yaml spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Iam => "iam",
            Auth::Jwt => "jwt",
        }
    }

    /// API Gateway's `AuthorizationType`.
    pub(crate) fn authorization_type(self) -> &'static str {
        match self {
            Auth::None => "NONE",
            Auth::Iam => "AWS_IAM",
            Auth::Jwt => "JWT",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    pub issuer: String,
    pub audience: Vec<String>,
    pub span: Span,
}

/// Requests per second (steady) and burst, as API Gateway throttles a stage or route.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub rate: u32,
    pub burst: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The routes' default; a route's own `auth` wins.
    pub auth: Auth,
    pub auth_span: Option<Span>,
    pub jwt: Option<Jwt>,
    pub throttle: Option<Throttle>,
    /// JSON access logs to `/aws/http-api/<stack>`; on unless turned off.
    pub access_logs: bool,
}

impl Api {
    /// A route's auth: its own `auth`, else the API's.
    pub(crate) fn auth_of(&self, route: Option<Auth>) -> Auth {
        route.unwrap_or(self.auth)
    }
}

impl Default for Api {
    fn default() -> Self {
        Api { auth: Auth::None, auth_span: None, jwt: None, throttle: None, access_logs: true }
    }
}

pub(crate) fn read_api(r: &mut Reader, node: &Node) -> Api {
    let mut api = Api::default();
    for (k, v) in r.entries(node, "api", &shape::API) {
        let p = format!("api.{k}");
        match k {
            "auth" => {
                if let Some(auth) = read_auth(r, v, &p) {
                    (api.auth, api.auth_span) = (auth, Some(v.span));
                }
            }
            "jwt" => api.jwt = read_jwt(r, v, &p),
            "throttle" => api.throttle = read_throttle(r, v, &p),
            _ => api.access_logs = r.boolean(v, &p).unwrap_or(true),
        }
    }
    api
}

pub(crate) fn read_auth(r: &mut Reader, node: &Node, path: &str) -> Option<Auth> {
    let name = r.choice(node, path, &Auth::ALL.map(Auth::name))?;
    Auth::ALL.into_iter().find(|a| a.name() == name)
}

fn read_jwt(r: &mut Reader, node: &Node, path: &str) -> Option<Jwt> {
    let (mut issuer, mut audience) = (None, Vec::new());
    for (k, v) in r.entries(node, path, &shape::JWT) {
        let p = format!("{path}.{k}");
        if k == "issuer" {
            issuer = r.string(v, &p);
            if issuer.as_deref().is_some_and(|i| !i.starts_with("https://")) {
                r.report(
                    Problem::new(v.span, "a JWT issuer is an `https://` URL")
                        .help("e.g. `https://cognito-idp.eu-west-1.amazonaws.com/<user pool id>`"),
                );
            }
        } else {
            audience = r.string_list(v, &p);
        }
    }
    if issuer.is_none() || audience.is_empty() {
        r.report(
            Problem::new(node.span, "`api.jwt` needs an `issuer` and an `audience`")
                .help("write `jwt: { issuer: https://…, audience: [<client id>] }`"),
        );
        return None;
    }
    Some(Jwt { issuer: issuer?, audience, span: node.span })
}

pub(crate) fn read_throttle(r: &mut Reader, node: &Node, path: &str) -> Option<Throttle> {
    let (mut rate, mut burst) = (None, None);
    for (k, v) in r.entries(node, path, &shape::THROTTLE) {
        let p = format!("{path}.{k}");
        if k == "rate" {
            rate = r.uint(v, &p, shape::RATE);
        } else {
            burst = r.uint(v, &p, shape::BURST);
        }
    }
    if node.get("rate").is_none() || node.get("burst").is_none() {
        r.report(
            Problem::new(node.span, format!("`{path}` needs a `rate` and a `burst`"))
                .help("e.g. `throttle: { rate: 100, burst: 50 }` (requests per second, and how many at once)"),
        );
    }
    Some(Throttle { rate: rate?, burst: burst? })
}
