//! Pipeline stage 2 — plan: a validated config and a stage → every physical name, logical id,
//! effective setting, environment contract and artifact location, computed once. Synth renders
//! the plan; build, local, logs and deploy read it; nothing after this stage derives a name.

mod checks;
pub(crate) mod graph;
pub(crate) mod names;

use crate::config::yaml::Span;
use crate::config::{self, Arch, Config, Effective, Function, LoadError, Removal, ResourceKind};
use std::collections::BTreeMap;
use std::path::Path;

/// The id of the template parameter that receives the deployment bucket's name.
pub(crate) const DEPLOYMENT_BUCKET_PARAM: &str = "DeploymentBucket";
/// The template parameter naming the permissions boundary every function role carries (empty:
/// none), and the condition that tells which. `deploy` fills it in when `ci github` made the
/// stack's boundary, so a CI deploy role, which may only make roles that carry it, can deploy.
pub(crate) const PERMISSIONS_BOUNDARY_PARAM: &str = "PermissionsBoundary";
pub(crate) const HAS_BOUNDARY_CONDITION: &str = "HasPermissionsBoundary";
/// The HTTP API and its stage, when any function has a route.
pub(crate) const API_ID: &str = "HttpApi";
pub(crate) const API_STAGE_ID: &str = "HttpApiDefaultStage";
/// The HTTP API's access log group, and its JWT authorizer when a route uses one.
pub(crate) const API_ACCESS_LOGS_ID: &str = "HttpApiAccessLogs";
pub(crate) const API_AUTHORIZER_ID: &str = "HttpApiJwtAuthorizer";

/// One stage of one service, resolved.
#[derive(Debug, Clone)]
pub struct Plan {
    pub config: Config,
    pub stage: String,
    pub stack_name: String,
    /// The IAM path of every role the stack creates (`/sls-rs/<stack>/`).
    pub role_path: String,
    /// `--region` aside: the stage's region, else the project's.
    pub region: Option<String>,
    /// Data resources survive `remove` and replacement (`removal: retain`).
    pub retain: bool,
    /// Tags on every resource of the stage.
    pub tags: BTreeMap<String, String>,
    /// In the order of `config.functions`.
    pub functions: Vec<FunctionPlan>,
    /// Tables, queues, buckets, topics; each kind sorted by name.
    pub resources: Vec<ResourcePlan>,
    /// Other services' outputs this one takes as template parameters, one per output.
    pub references: Vec<ReferencePlan>,
    /// The HTTP API, when any function has a route.
    pub api: Option<ApiPlan>,
}

/// The HTTP API of a stack.
#[derive(Debug, Clone)]
pub struct ApiPlan {
    /// Its access logs' group (`/aws/http-api/<stack>`), when they are on.
    pub log_group: Option<String>,
    /// The output holding its URL.
    pub url: OutputPlan,
}

/// Another service's stack output, passed in as a template parameter at deploy time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReferencePlan {
    /// The producer's key in the project, and the output it must have.
    pub service: String,
    pub output: String,
    pub parameter: String,
    /// The producer's stack on this stage; known once the project is loaded.
    pub stack: String,
}

#[derive(Debug, Clone)]
pub struct FunctionPlan {
    /// The key under `functions:`.
    pub name: String,
    pub span: Span,
    pub physical_name: String,
    pub log_group: String,
    pub ids: FunctionIds,
    /// The cargo package and binary holding the handler.
    pub package: String,
    pub bin: String,
    pub settings: Effective,
    /// Every variable the handler gets: the user's and the ones sls-rs derives from `uses`.
    pub env: BTreeMap<String, EnvValue>,
    /// Where `build` writes the zip, relative to the project root.
    pub artifact_path: String,
    /// Whether the HTTP API routes to this function.
    pub http: bool,
    /// Other services' resources it uses; filled in by the project graph, which knows them.
    pub remote: Vec<RemoteUsePlan>,
    /// Where its failed asynchronous invocations go; `None` without async events or with
    /// `on_failure: none`.
    pub on_failure: Option<FailurePlan>,
    /// Its stack outputs: its name, and its own failure queue's URL when it has one.
    pub outputs: Vec<OutputPlan>,
}

/// An on-failure destination: Lambda sends it each asynchronous event that failed every retry,
/// with the error, so none vanishes.
#[derive(Debug, Clone, PartialEq)]
pub struct FailurePlan {
    /// The `AWS::Lambda::EventInvokeConfig` naming the destination.
    pub invoke_config_id: String,
    pub queue: FailureQueue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FailureQueue {
    /// A queue made for the function: `{service}-{stage}-{function}-failures`.
    Own { logical_id: String, physical_name: String },
    /// A queue declared under `resources.queues`.
    Declared(String),
}

/// Another service's resource a function uses: its kind, and the template parameters that
/// receive where it is (the variable's value) and its ARN (for the function's IAM policy).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteUsePlan {
    pub service: String,
    pub resource: String,
    pub kind: ResourceKind,
    pub access: config::Access,
    pub value_parameter: String,
    pub arn_parameter: String,
}

/// The CloudFormation logical ids of what one function brings.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionIds {
    /// `signup-worker` → `SignupWorker`, the stem event ids are built from.
    pub base: String,
    pub function: String,
    pub role: String,
    pub log_group: String,
    /// The template parameter receiving the artifact's S3 key.
    pub artifact_parameter: String,
    pub integration: String,
    pub http_permission: String,
}

/// The value of one environment variable.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvValue {
    Text(String),
    /// Where a used resource is: a table's or bucket's name, a queue's URL, a topic's ARN.
    Resource {
        kind: ResourceKind,
        name: String,
    },
    /// Text around other services' outputs, each filled in from a template parameter.
    Outputs(Vec<EnvPart>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnvPart {
    Text(String),
    /// The id of the template parameter holding the output.
    Parameter(String),
}

#[derive(Debug, Clone)]
pub struct ResourcePlan {
    pub kind: ResourceKind,
    pub name: String,
    pub span: Span,
    pub logical_id: String,
    /// The AWS name; a bucket's holds `${AWS::AccountId}` until the account is known.
    pub physical_name: String,
    pub dead_letter: Option<DeadLetterPlan>,
    /// A bucket's policy (TLS only).
    pub policy_id: Option<String>,
    /// A queue's visibility timeout in seconds: the declared one, else six times its slowest
    /// consumer's timeout as AWS advises (so a slow batch is not delivered twice).
    pub visibility_timeout: Option<u32>,
    pub outputs: Vec<OutputPlan>,
}

#[derive(Debug, Clone)]
pub struct DeadLetterPlan {
    pub logical_id: String,
    pub physical_name: String,
}

/// A stack output: the resource it reads and which of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputPlan {
    pub key: String,
    pub logical_id: String,
    pub value: OutputValue,
    pub description: String,
}

/// Which value of its resource an output carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutputValue {
    /// What CloudFormation's `Ref` gives for the type: a name, a queue's URL, a topic's ARN.
    Ref,
    /// An attribute (`Fn::GetAtt`), such as `Arn`.
    Attribute(&'static str),
    /// The HTTP API's invoke URL.
    ApiUrl,
}

impl OutputPlan {
    fn new(key: String, logical_id: &str, value: OutputValue, description: String) -> OutputPlan {
        OutputPlan { key, logical_id: logical_id.to_string(), value, description }
    }
}

/// Reads, validates and plans the config at `path` for `stage`; messages name it `shown_as`.
pub(crate) fn load(path: &Path, shown_as: &Path, stage: &str) -> Result<Plan, LoadError> {
    let text = config::read_text(path, shown_as)?;
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = if root.as_os_str().is_empty() { ".".into() } else { root };
    from_str(&text, shown_as, &root, stage)
}

/// `from_str` for the bytes of a file, decoded as `load` decodes them; no I/O.
pub fn from_bytes(bytes: &[u8], file: &Path, root: &Path, stage: &str) -> Result<Plan, LoadError> {
    from_str(&config::decode(bytes, file)?, file, root, stage)
}

/// Validates and plans config text; `file` is used in messages only. The plan's own checks
/// (ids that collide, names over AWS limits) are reported with the config's, all at once.
pub fn from_str(text: &str, file: &Path, root: &Path, stage: &str) -> Result<Plan, LoadError> {
    let mut draft = config::draft(text, file, root, stage);
    let plan = draft.config.take().map(|c| Plan::new(c, stage));
    let more = plan.as_ref().map(checks::check).unwrap_or_default();
    draft.finish(plan, more)
}

impl Plan {
    pub(crate) fn new(config: Config, stage: &str) -> Plan {
        let stack_name = names::stack_name(&config.service, stage);
        let resources = resources(&config, stage);
        let functions: Vec<FunctionPlan> = config.functions.iter().map(|f| function(&config, stage, f)).collect();
        let mut references: Vec<ReferencePlan> = Vec::new();
        for r in &config.references {
            if !references.iter().any(|p| p.service == r.service && p.output == r.output) {
                references.push(ReferencePlan {
                    service: r.service.clone(),
                    output: r.output.clone(),
                    parameter: names::reference_parameter(&r.service, &r.output),
                    stack: String::new(),
                });
            }
        }
        let api = functions.iter().any(|f: &FunctionPlan| f.http).then(|| ApiPlan {
            log_group: config.api.access_logs.then(|| names::api_log_group(&stack_name)),
            url: OutputPlan::new("ApiUrl".into(), API_ID, OutputValue::ApiUrl, "HTTP API endpoint".into()),
        });
        Plan {
            references,
            api,
            role_path: names::role_path(&stack_name),
            stack_name,
            region: config.region_for(stage).map(str::to_string),
            retain: config.removal(stage) == Removal::Retain,
            tags: config.stage_tags(stage),
            stage: stage.to_string(),
            functions,
            resources,
            config,
        }
    }

    /// Each function's declaration beside its plan.
    pub(crate) fn each_function(&self) -> impl Iterator<Item = (&Function, &FunctionPlan)> {
        self.config.functions.iter().zip(&self.functions)
    }

    pub(crate) fn function(&self, name: &str) -> Option<&FunctionPlan> {
        self.functions.iter().find(|f| f.name == name)
    }

    pub(crate) fn resource(&self, kind: ResourceKind, name: &str) -> Option<&ResourcePlan> {
        self.resources.iter().find(|r| r.kind == kind && r.name == name)
    }

    /// Every output sls-rs puts in the template: resources', functions', the API's.
    pub(crate) fn outputs(&self) -> impl Iterator<Item = &OutputPlan> {
        let resources = self.resources.iter().flat_map(|r| &r.outputs);
        let functions = self.functions.iter().flat_map(|f| &f.outputs);
        resources.chain(functions).chain(self.api.iter().map(|a| &a.url))
    }

    /// The keys of every output the stack will have, raw `cloudformation:` ones included:
    /// what other services may read.
    pub(crate) fn output_keys(&self) -> std::collections::BTreeSet<String> {
        let raw = self.config.cloudformation.as_ref().and_then(|c| c.get("Outputs")).and_then(|o| o.as_map());
        let raw = raw.into_iter().flatten().filter_map(|(k, _)| k.as_scalar().map(str::to_string));
        self.outputs().map(|o| o.key.clone()).chain(raw).collect()
    }

    pub(crate) fn artifacts_dir(&self) -> std::path::PathBuf {
        self.config.root.join(".sls").join(&self.stage).join("artifacts")
    }

    /// The functions built for each architecture, in a stable order.
    pub(crate) fn by_arch<'a>(&'a self, only: &[String]) -> BTreeMap<Arch, Vec<&'a FunctionPlan>> {
        let mut out: BTreeMap<Arch, Vec<&FunctionPlan>> = BTreeMap::new();
        for f in self.functions.iter().filter(|f| only.is_empty() || only.contains(&f.name)) {
            out.entry(f.settings.arch).or_default().push(f);
        }
        out
    }
}

impl ResourcePlan {
    /// The name once the account is known (only buckets' names depend on it).
    pub(crate) fn name_in(&self, account: &str) -> String {
        self.physical_name.replace(names::ACCOUNT_PLACEHOLDER, account)
    }

    pub(crate) fn arn(&self, region: &str, account: &str) -> String {
        let name = self.name_in(account);
        match self.kind {
            ResourceKind::Table => format!("arn:aws:dynamodb:{region}:{account}:table/{name}"),
            ResourceKind::Queue => format!("arn:aws:sqs:{region}:{account}:{name}"),
            ResourceKind::Bucket => format!("arn:aws:s3:::{name}"),
            ResourceKind::Topic => format!("arn:aws:sns:{region}:{account}:{name}"),
        }
    }

    /// What a handler finds in the resource's environment variable, outside CloudFormation.
    pub(crate) fn env_value(&self, region: &str, account: &str) -> String {
        match self.kind {
            ResourceKind::Table | ResourceKind::Bucket => self.name_in(account),
            ResourceKind::Queue => format!("https://sqs.{region}.amazonaws.com/{account}/{}", self.physical_name),
            ResourceKind::Topic => self.arn(region, account),
        }
    }
}

fn function(config: &Config, stage: &str, f: &Function) -> FunctionPlan {
    let base = names::pascal(&f.name);
    let physical_name = names::physical_name(&config.service, stage, &f.name);
    let settings = config.effective(stage, &f.settings);
    let mut env: BTreeMap<String, EnvValue> = settings.env.iter().map(|(k, v)| (k.clone(), env_value(v))).collect();
    env.insert("SLS_SERVICE".into(), EnvValue::Text(config.service.clone()));
    env.insert("SLS_STAGE".into(), EnvValue::Text(stage.to_string()));
    for u in &f.uses {
        if let Some(kind) = config.resources.kind_of(&u.resource) {
            env.insert(
                names::resource_env_var(kind, &u.resource),
                EnvValue::Resource { kind, name: u.resource.clone() },
            );
        }
    }
    let on_failure = on_failure(config, stage, f, &base);
    let function_id = format!("{base}Function");
    let mut outputs = vec![OutputPlan::new(
        format!("{base}FunctionName"),
        &function_id,
        OutputValue::Ref,
        format!("function `{}`", f.name),
    )];
    if let Some(FailureQueue::Own { logical_id, .. }) = on_failure.as_ref().map(|o| &o.queue) {
        let what = format!("failed events of `{}`", f.name);
        outputs.push(OutputPlan::new(format!("{logical_id}Url"), logical_id, OutputValue::Ref, what));
    }
    FunctionPlan {
        name: f.name.clone(),
        span: f.span,
        log_group: names::log_group(&physical_name),
        physical_name,
        ids: FunctionIds {
            function: function_id,
            role: format!("{base}Role"),
            log_group: format!("{base}LogGroup"),
            artifact_parameter: format!("{base}ArtifactKey"),
            integration: format!("{base}Integration"),
            http_permission: format!("{base}HttpPermission"),
            base,
        },
        package: f.package.clone(),
        bin: f.bin.clone().unwrap_or_else(|| f.package.clone()),
        settings,
        env,
        artifact_path: format!(".sls/{stage}/artifacts/{}.zip", f.name),
        http: f.events.iter().any(|e| matches!(e.kind, config::EventKind::Http { .. })),
        remote: Vec::new(),
        on_failure,
        outputs,
    }
}

fn on_failure(config: &Config, stage: &str, f: &Function, base: &str) -> Option<FailurePlan> {
    if !f.events.iter().any(|e| e.kind.is_async()) {
        return None;
    }
    let queue = match f.on_failure.as_ref().map(|(target, _)| target) {
        Some(config::OnFailure::None) => return None,
        Some(config::OnFailure::Queue(name)) => FailureQueue::Declared(name.clone()),
        None => FailureQueue::Own {
            logical_id: format!("{base}Failures"),
            physical_name: names::physical_name(&config.service, stage, &format!("{}-failures", f.name)),
        },
    };
    Some(FailurePlan { invoke_config_id: format!("{base}InvokeConfig"), queue })
}

fn env_value(text: &str) -> EnvValue {
    use config::refs::Piece;
    let pieces = config::refs::pieces(text);
    if !pieces.iter().any(|p| matches!(p, Piece::Output { .. })) {
        return EnvValue::Text(text.to_string());
    }
    let parts = pieces.into_iter().map(|p| match p {
        Piece::Text(t) => EnvPart::Text(t.to_string()),
        Piece::Output { service, output } => EnvPart::Parameter(names::reference_parameter(service, output)),
    });
    EnvValue::Outputs(parts.collect())
}

fn resources(config: &Config, stage: &str) -> Vec<ResourcePlan> {
    let (service, r) = (&config.service, &config.resources);
    let mut out = Vec::new();
    let mut add = |kind: ResourceKind, name: &str, span: Span, physical_name: String, dlq: Option<String>| {
        let id = names::resource_id(kind, name);
        let output = |suffix: &str, value, what: String| OutputPlan::new(format!("{id}{suffix}"), &id, value, what);
        let (noun, arn) = (kind.noun(), OutputValue::Attribute("Arn"));
        let mut outputs = match kind {
            ResourceKind::Table | ResourceKind::Bucket => vec![
                output("Name", OutputValue::Ref, format!("{noun} `{name}`")),
                output("Arn", arn, format!("{noun} `{name}` ARN")),
            ],
            ResourceKind::Queue => vec![
                output("Url", OutputValue::Ref, format!("queue `{name}` URL")),
                output("Arn", arn, format!("queue `{name}` ARN")),
            ],
            ResourceKind::Topic => vec![output("Arn", OutputValue::Ref, format!("topic `{name}` ARN"))],
        };
        let dead_letter = dlq.map(|physical_name| {
            let logical_id = format!("{id}DeadLetter");
            let what = format!("dead-letter queue of `{name}`");
            outputs.push(OutputPlan::new(format!("{logical_id}Url"), &logical_id, OutputValue::Ref, what));
            DeadLetterPlan { logical_id, physical_name }
        });
        out.push(ResourcePlan {
            policy_id: (kind == ResourceKind::Bucket).then(|| format!("{id}Policy")),
            kind,
            name: name.to_string(),
            span,
            logical_id: id,
            physical_name,
            dead_letter,
            visibility_timeout: (kind == ResourceKind::Queue)
                .then(|| r.queues[name].visibility_timeout.unwrap_or_else(|| default_visibility(config, stage, name))),
            outputs,
        });
    };
    for (name, t) in &r.tables {
        add(ResourceKind::Table, name, t.span, names::physical_name(service, stage, name), None);
    }
    for (name, q) in &r.queues {
        let queue = |dlq| names::queue_name(service, stage, name, q.fifo, dlq);
        add(ResourceKind::Queue, name, q.span, queue(false), q.dead_letter.as_ref().map(|_| queue(true)));
    }
    for (name, b) in &r.buckets {
        add(ResourceKind::Bucket, name, b.span, names::bucket_name(service, stage, name), None);
    }
    for (name, t) in &r.topics {
        add(ResourceKind::Topic, name, t.span, names::physical_name(service, stage, name), None);
    }
    out
}

/// AWS advises six times the consumer's timeout, so a slow batch is not delivered twice.
fn default_visibility(config: &Config, stage: &str, queue: &str) -> u32 {
    let consumers = config.functions.iter().filter(|f| {
        f.events.iter().any(|e| matches!(&e.kind, config::EventKind::Queue { queue: q, .. } if q == queue))
    });
    consumers.map(|f| config.effective(stage, &f.settings).timeout * 6).max().unwrap_or(30).clamp(30, 43_200)
}
