//! Config stage: the shape of `sls.yaml` — every key, what it takes and what it means. The
//! reader checks configs against these tables and `sls-rs schema` publishes them as JSON Schema
//! (with docs/config.md's key reference), so `validate` and the editor cannot disagree.

mod events;
mod resources;

pub(crate) use events::*;
pub(crate) use resources::*;

/// A whole number's bounds, as Lambda, SQS or API Gateway set them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub min: u32,
    pub max: u32,
    /// Appended to numbers in messages: `" MB"`, `" s"`.
    pub unit: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// Any scalar, read as text (`8080` is `"8080"`).
    Text,
    /// A plain (unquoted) whole number.
    Whole(Range),
    /// A whole number from a fixed list.
    Numbers(&'static [u32]),
    /// A plain `true` or `false`.
    Bool,
    /// One of these words, exactly.
    Choice(&'static [&'static str]),
    /// A mapping with only these keys.
    Table(&'static Table),
    /// A mapping whose keys are names the user picks, each value of this shape.
    Named(&'static Shape),
    /// Text, or a list of texts.
    TextOrList,
    List(&'static Shape),
    /// Any one of these.
    AnyOf(&'static [Shape]),
    /// A mapping passed through as JSON (CloudFormation sections).
    Mapping,
    /// Any YAML, passed through as JSON.
    Json,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub shape: Shape,
    /// For hover in editors and docs/config.md's tables.
    pub doc: &'static str,
    /// As written in YAML; absent when the default depends on other settings.
    pub default: Option<&'static str>,
    pub required: bool,
}

impl Field {
    const fn new(name: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field { name, shape, doc, default: None, required: false }
    }
    const fn default(mut self, value: &'static str) -> Field {
        self.default = Some(value);
        self
    }
    const fn required(mut self) -> Field {
        self.required = true;
        self
    }
}

/// A closed mapping: its keys, and what docs and the schema call it.
#[derive(Debug)]
pub(crate) struct Table {
    /// The schema's definition name, and docs/config.md's anchor.
    pub id: &'static str,
    /// Where it is written, for docs/config.md's headings: `functions.<name>`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub at: &'static str,
    pub fields: &'static [Field],
}

impl Table {
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }
}

pub(crate) const MEMORY: Range = Range { min: 128, max: 10_240, unit: " MB" };
pub(crate) const TIMEOUT: Range = Range { min: 1, max: 900, unit: " s" };
/// CloudWatch Logs accepts only these retention periods (days).
pub(crate) const LOG_RETENTION_DAYS: &[u32] =
    &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
pub(crate) const REMOVAL: &[&str] = &["destroy", "retain"];
pub(crate) const TRACING: &[&str] = &["active", "off"];
pub(crate) const ACCESS: &[&str] = &["read", "write", "read-write"];
/// Lambda's own bounds: 0 stops the function; more than the account's quota is refused by AWS
/// at deploy, which names the quota.
pub(crate) const CONCURRENCY: Range = Range { min: 0, max: 1_000_000, unit: "" };

const ARCH: Field = Field::new(
    "arch",
    Shape::Choice(&crate::config::model::Arch::NAMES),
    "The CPU functions run on: `arm64` (Graviton, cheaper per ms) or `x86_64`.",
)
.default("arm64");
const MEMORY_FIELD: Field =
    Field::new("memory", Shape::Whole(MEMORY), "Memory in MB, 128–10240; Lambda gives CPU in proportion.")
        .default("256");
const TIMEOUT_FIELD: Field =
    Field::new("timeout", Shape::Whole(TIMEOUT), "Seconds an invocation may run, 1–900.").default("10");
const LOG_RETENTION: Field = Field::new(
    "log_retention",
    Shape::Numbers(LOG_RETENTION_DAYS),
    "Days CloudWatch Logs keeps the function's logs: one of the periods it accepts.",
)
.default("14");
const ENV: Field = Field::new("env", Shape::Named(&Shape::Text), "Environment variables: names of letters, digits and `_`, starting with a letter, not `AWS_*`. A value may read another service's output: `${orders.outputs.SignupsQueueUrl}`. Merged key by key: function > stage > defaults.");
const TAGS: Field = Field::new("tags", Shape::Named(&Shape::Text), "Tags put on every resource that takes them: keys of 1–128 characters not starting with `aws:`, values of at most 256. Merged key by key: function > stage > defaults.");
const TRACING_FIELD: Field = Field::new(
    "tracing",
    Shape::Choice(TRACING),
    "`active` turns on X-Ray active tracing (and lets the function write trace segments).",
)
.default("off");

pub(crate) const SETTINGS: Table = Table {
    id: "settings",
    at: "defaults, stages.<stage>",
    fields: &[
        ARCH,
        MEMORY_FIELD,
        TIMEOUT_FIELD,
        LOG_RETENTION,
        ENV,
        TAGS,
        Field::new("removal", Shape::Choice(REMOVAL), "`retain` keeps tables, queues and buckets when the stack is removed or a resource is replaced, and turns on point-in-time recovery for tables (unless a table says otherwise).").default("destroy"),
        Field::new("region", Shape::Text, "The AWS region to deploy to; else `--region`, `AWS_REGION` or the AWS profile's."),
        TRACING_FIELD,
    ],
};

pub(crate) const FUNCTION: Table = Table {
    id: "function",
    at: "functions.<name>",
    fields: &[
        Field::new("package", Shape::Text, "The cargo package holding the handler; default: the function's name."),
        Field::new("bin", Shape::Text, "The binary in that package; default: the package's name."),
        ARCH,
        MEMORY_FIELD,
        TIMEOUT_FIELD,
        LOG_RETENTION,
        ENV,
        TAGS,
        TRACING_FIELD,
        Field::new("uses", Shape::Named(&Shape::Choice(ACCESS)), "Resources the function may use — `read`, `write` or `read-write` — from which sls-rs derives its IAM policy and passes each name in an environment variable (`USERS_TABLE`). `service.resource` names another service's."),
        Field::new("events", Shape::List(&Shape::AnyOf(EVENT_SHAPES)), "What invokes the function: `http`, `queue`, `upload`, `schedule`, `topic`, `stream` or `eventbridge`."),
        Field::new("concurrency", Shape::Whole(CONCURRENCY), "Reserved concurrency: at most this many instances at once, kept for this function alone; `0` stops it."),
        Field::new("on_failure", Shape::Text, "Where failed asynchronous events (upload, schedule, topic, eventbridge) go: a declared standard queue, or `none`; default: a queue of the function's own."),
    ],
};

const SECTION: Shape = Shape::Mapping;
pub(crate) const CLOUDFORMATION: Table = Table {
    id: "cloudformation",
    at: "cloudformation",
    fields: &[
        Field::new(
            "Resources",
            SECTION,
            "Resources added to the template; a logical id sls-rs generates may not be reused.",
        ),
        Field::new("Outputs", SECTION, "Outputs added to the stack (and readable by other services)."),
        Field::new("Conditions", SECTION, "Conditions for your resources."),
        Field::new("Parameters", SECTION, "Parameters, with defaults (sls-rs passes none)."),
        Field::new("Mappings", SECTION, "Mappings for `!FindInMap`."),
    ],
};

pub(crate) const SERVICE: Table = Table {
    id: "service",
    at: "sls.yaml",
    fields: &[
        Field::new("service", Shape::Text, "The service's name: letters, digits and `-`, starting with a letter, at most 40. The stack is `{service}-{stage}`.").required(),
        Field::new("region", Shape::Text, "The AWS region; else `--region`, `AWS_REGION` or the AWS profile's."),
        Field::new("defaults", Shape::Table(&SETTINGS), "Settings for every function."),
        Field::new("functions", Shape::Named(&Shape::Table(&FUNCTION)), "The functions, by name (letters, digits, `-` and `_`)."),
        Field::new("resources", Shape::Table(&RESOURCES), "Tables, queues, buckets and topics the functions use."),
        Field::new("stages", Shape::Named(&Shape::Table(&SETTINGS)), "Settings per stage (`--stage`, default `dev`); names: lowercase letters, digits and `-`, at most 16."),
        Field::new("api", Shape::Table(&API), "The HTTP API's auth, limits and access logs."),
        Field::new("cloudformation", Shape::Table(&CLOUDFORMATION), "Raw CloudFormation merged into the template; short tags (`!Ref`, `!GetAtt A.B`, `!Sub`) work."),
    ],
};

pub(crate) const SERVICE_ENTRY: Table = Table {
    id: "service_entry",
    at: "services.<key>",
    fields: &[
        Field::new("path", Shape::Text, "The service's directory, holding its sls.yaml, relative to this file.")
            .required(),
        Field::new(
            "depends_on",
            Shape::TextOrList,
            "Services to deploy before this one, beyond what its references imply.",
        ),
    ],
};
pub(crate) const PROJECT: Table = Table {
    id: "project",
    at: "sls.yaml (project)",
    fields: &[Field::new(
        "services",
        Shape::Named(&Shape::AnyOf(&[Shape::Text, Shape::Table(&SERVICE_ENTRY)])),
        "The project's services by key (which references name: `${users.outputs.X}`): a directory, or `{ path, depends_on }`.",
    )
    .required()],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::api::Auth;

    #[test]
    fn auth_words_are_the_auth_type_names() {
        assert_eq!(AUTH, Auth::ALL.map(Auth::name));
    }

    #[test]
    fn every_event_starts_with_its_required_kind() {
        assert_eq!(events().count(), EVENT_SHAPES.len(), "every event shape is a table");
        for t in events() {
            assert!(t.fields[0].required, "{}", t.id);
            assert!(t.fields[1..].iter().all(|f| !f.required), "{}", t.id);
        }
    }
}
