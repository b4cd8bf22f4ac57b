//! Config stage, the shape of sls.yaml: the resources functions use and the HTTP API's settings.

use super::{Field, Range, Shape, Table};

pub(crate) const TABLE_STREAM: &[&str] = &["new_image", "old_image", "new_and_old_images", "keys_only"];
pub(crate) const VISIBILITY_TIMEOUT: Range = Range { min: 0, max: 43_200, unit: " s" };
pub(crate) const RETENTION: Range = Range { min: 60, max: 1_209_600, unit: " s" };
pub(crate) const DELAY: Range = Range { min: 0, max: 900, unit: " s" };
pub(crate) const MAX_RECEIVES: Range = Range { min: 1, max: 1000, unit: "" };
pub(crate) const AUTH: &[&str] = &["none", "iam", "jwt"];
/// API Gateway's account default is 10,000 requests/s with a 5,000 burst: more is a quota
/// increase, not a setting.
pub(crate) const RATE: Range = Range { min: 1, max: 10_000, unit: " requests/s" };
pub(crate) const BURST: Range = Range { min: 1, max: 5_000, unit: " requests" };

pub(crate) const TABLE: Table = Table {
    id: "table",
    at: "resources.tables.<name>",
    fields: &[
        Field::new("key", Shape::Text, "The partition key: `name` (a string) or `name:S`, `name:N`, `name:B`.")
            .required(),
        Field::new("sort", Shape::Text, "The sort key, written like `key`."),
        Field::new(
            "stream",
            Shape::Choice(TABLE_STREAM),
            "Turns on the table's stream with what each record holds (for `stream` events).",
        ),
        Field::new("ttl", Shape::Text, "The attribute holding expiry times (epoch seconds)."),
        Field::new(
            "point_in_time_recovery",
            Shape::Bool,
            "Continuous backups; default: on for retained stages, off elsewhere.",
        ),
    ],
};
pub(crate) const DEAD_LETTER: Table = Table {
    id: "dead_letter",
    at: "resources.queues.<name>.dead_letter",
    fields: &[Field::new(
        "max_receives",
        Shape::Whole(MAX_RECEIVES),
        "Failed receives before a message moves to the `{name}-dlq` queue (1–1000).",
    )
    .default("3")],
};
pub(crate) const QUEUE: Table = Table {
    id: "queue",
    at: "resources.queues.<name>",
    fields: &[
        Field::new("visibility_timeout", Shape::Whole(VISIBILITY_TIMEOUT), "Seconds a received message stays hidden (0–43200); default: six times the longest consumer's timeout, at least 30."),
        Field::new("retention", Shape::Whole(RETENTION), "Seconds a message is kept (60–1209600).").default("345600"),
        Field::new("delay", Shape::Whole(DELAY), "Seconds before a new message can be received (0–900).").default("0"),
        Field::new("fifo", Shape::Bool, "A FIFO queue: ordered per message group, deduplicated.").default("false"),
        Field::new("dead_letter", Shape::Table(&DEAD_LETTER), "Adds a `{name}-dlq` queue (14 days' retention) for messages that keep failing."),
    ],
};
pub(crate) const BUCKET: Table = Table {
    id: "bucket",
    at: "resources.buckets.<name>",
    fields: &[Field::new("versioning", Shape::Bool, "Keep every version of every object.").default("false")],
};
pub(crate) const TOPIC: Table = Table {
    id: "topic",
    at: "resources.topics.<name>",
    fields: &[Field::new("display_name", Shape::Text, "The topic's display name (SMS senders show it).")],
};
pub(crate) const RESOURCES: Table = Table {
    id: "resources",
    at: "resources",
    fields: &[
        Field::new("tables", Shape::Named(&Shape::Table(&TABLE)), "DynamoDB tables, on demand and encrypted. Names: lowercase letters, digits and `-`, unique across all kinds."),
        Field::new("queues", Shape::Named(&Shape::Table(&QUEUE)), "SQS queues, encrypted."),
        Field::new("buckets", Shape::Named(&Shape::Table(&BUCKET)), "S3 buckets: encrypted, private, TLS only."),
        Field::new("topics", Shape::Named(&Shape::Table(&TOPIC)), "SNS topics, encrypted."),
    ],
};

pub(crate) const THROTTLE: Table = Table {
    id: "throttle",
    at: "api.throttle, events[].throttle",
    fields: &[
        Field::new("rate", Shape::Whole(RATE), "Requests per second, steady (1–10000).").required(),
        Field::new("burst", Shape::Whole(BURST), "Requests at once (1–5000).").required(),
    ],
};

pub(crate) const JWT: Table = Table {
    id: "jwt",
    at: "api.jwt",
    fields: &[
        Field::new("issuer", Shape::Text, "The token issuer, an `https://` URL.").required(),
        Field::new("audience", Shape::TextOrList, "Accepted audiences (client ids).").required(),
    ],
};
pub(crate) const API: Table = Table {
    id: "api",
    at: "api",
    fields: &[
        Field::new("auth", Shape::Choice(AUTH), "The routes' default: `none` (public), `iam` (SigV4-signed, `execute-api:Invoke`) or `jwt` (a bearer token from `jwt.issuer`).").default("none"),
        Field::new("jwt", Shape::Table(&JWT), "The JWT authorizer for `auth: jwt`."),
        Field::new("throttle", Shape::Table(&THROTTLE), "The stage's default limit for every route."),
        Field::new("access_logs", Shape::Bool, "JSON access logs in `/aws/http-api/{service}-{stage}`, kept `log_retention` days.").default("true"),
    ],
};
