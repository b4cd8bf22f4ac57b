//! Config stage, the shape of sls.yaml: what invokes a function — each event kind's keys.

use super::{Field, Range, Shape, Table, AUTH, THROTTLE};

pub(crate) const BATCH_SIZE: Range = Range { min: 1, max: 10_000, unit: "" };
pub(crate) const BATCH_WINDOW: Range = Range { min: 0, max: 300, unit: " s" };
pub(crate) const STARTING_POSITION: &[&str] = &["latest", "trim_horizon"];

pub(crate) const HTTP_EVENT: Table = Table {
    id: "http_event",
    at: "events[] (http)",
    fields: &[
        Field::new("http", Shape::Text, "`METHOD /path`: a route on the stack's HTTP API. Methods: GET POST PUT PATCH DELETE HEAD OPTIONS ANY; parameters `{id}`; a greedy `{proxy+}` last.").required(),
        Field::new("auth", Shape::Choice(AUTH), "Who may call this route; overrides `api.auth`."),
        Field::new("throttle", Shape::Table(&THROTTLE), "This route's limit; overrides `api.throttle`."),
    ],
};
pub(crate) const QUEUE_EVENT: Table = Table {
    id: "queue_event",
    at: "events[] (queue)",
    fields: &[
        Field::new("queue", Shape::Text, "A declared queue whose messages invoke the function, in batches; failed messages are retried (`ReportBatchItemFailures`).").required(),
        Field::new("batch_size", Shape::Whole(BATCH_SIZE), "Messages per invocation (1–10000; over 10 needs `batch_window`).").default("10"),
        Field::new("batch_window", Shape::Whole(BATCH_WINDOW), "Seconds to gather a batch (0–300)."),
    ],
};
pub(crate) const UPLOAD_EVENT: Table = Table {
    id: "upload_event",
    at: "events[] (upload)",
    fields: &[
        Field::new("upload", Shape::Text, "A declared bucket: each object created in it invokes the function.")
            .required(),
        Field::new("prefix", Shape::Text, "Only keys starting with this."),
        Field::new("suffix", Shape::Text, "Only keys ending with this."),
    ],
};
pub(crate) const SCHEDULE_EVENT: Table = Table {
    id: "schedule_event",
    at: "events[] (schedule)",
    fields: &[
        Field::new("schedule", Shape::Text, "`rate(1 day)` or `cron(0 12 * * ? *)`: an EventBridge schedule rule.")
            .required(),
        Field::new("enabled", Shape::Bool, "`false` keeps the rule but stops it.").default("true"),
        Field::new("input", Shape::Json, "JSON passed as the event instead of EventBridge's."),
    ],
};
pub(crate) const TOPIC_EVENT: Table = Table {
    id: "topic_event",
    at: "events[] (topic)",
    fields: &[
        Field::new("topic", Shape::Text, "A declared topic the function subscribes to.").required(),
        Field::new("filter_policy", Shape::Json, "An SNS filter policy on message attributes."),
    ],
};
pub(crate) const STREAM_EVENT: Table = Table {
    id: "stream_event",
    at: "events[] (stream)",
    fields: &[
        Field::new("stream", Shape::Text, "A declared table with `stream:` whose changes invoke the function.")
            .required(),
        Field::new("batch_size", Shape::Whole(BATCH_SIZE), "Records per invocation (1–10000).").default("100"),
        Field::new("starting_position", Shape::Choice(STARTING_POSITION), "Where a new mapping starts reading.")
            .default("latest"),
    ],
};
pub(crate) const PATTERN: Table = Table {
    id: "event_pattern",
    at: "events[].eventbridge",
    fields: &[
        Field::new("source", Shape::TextOrList, "Event sources to match, e.g. `[aws.s3]`."),
        Field::new("detail-type", Shape::TextOrList, "Detail types to match."),
        Field::new("detail", Shape::Json, "A pattern on the event's detail."),
        Field::new("account", Shape::TextOrList, "Accounts to match."),
        Field::new("region", Shape::TextOrList, "Regions to match."),
        Field::new("resources", Shape::TextOrList, "Resource ARNs to match."),
        Field::new("bus", Shape::Text, "The event bus; default: the account's default bus."),
    ],
};
pub(crate) const EVENTBRIDGE_EVENT: Table = Table {
    id: "eventbridge_event",
    at: "events[] (eventbridge)",
    fields: &[Field::new("eventbridge", Shape::Table(&PATTERN), "An EventBridge rule with this pattern.").required()],
};

/// Each event starts with its kind, the first key of its table.
pub(super) const EVENT_SHAPES: &[Shape] = &[
    Shape::Table(&HTTP_EVENT),
    Shape::Table(&QUEUE_EVENT),
    Shape::Table(&UPLOAD_EVENT),
    Shape::Table(&SCHEDULE_EVENT),
    Shape::Table(&TOPIC_EVENT),
    Shape::Table(&STREAM_EVENT),
    Shape::Table(&EVENTBRIDGE_EVENT),
];

/// The event kinds' tables, in the order `EVENT_SHAPES` lists them (the schema's order).
pub(crate) fn events() -> impl Iterator<Item = &'static Table> {
    EVENT_SHAPES.iter().filter_map(|s| match s {
        Shape::Table(t) => Some(*t),
        _ => None,
    })
}
