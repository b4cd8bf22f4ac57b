//! Pipeline stage 3 — synth: a plan (and the artifacts it expects) → a CloudFormation template
//! and manifest. Pure: no files, no network, same input → same bytes. It renders the names and
//! ids the plan resolved; it derives none of its own.

pub mod bootstrap;
pub(crate) mod cfn;
mod events;
mod function;
mod http;
pub(crate) mod iam;
mod raw;
mod raw_check;
mod resources;

use crate::config::Problem;
pub(crate) use crate::plan::DEPLOYMENT_BUCKET_PARAM;
use crate::plan::{Plan, ResourcePlan, HAS_BOUNDARY_CONDITION, PERMISSIONS_BOUNDARY_PARAM};
use cfn::{Parameter, Resource, Template};
use serde::Serialize;
use std::collections::BTreeMap;

/// CloudFormation's hard limit on resources in one stack.
pub(crate) const MAX_RESOURCES: usize = 500;
/// Past this we warn, so a growing service learns before it hits the wall.
pub(crate) const WARN_RESOURCES: usize = 450;
pub(crate) const MAX_OUTPUTS: usize = 200;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Synthesis {
    pub template: Template,
    pub manifest: Manifest,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What deploy needs besides the template: the stack and the code artifacts it must upload.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Manifest {
    pub service: String,
    pub stage: String,
    pub stack_name: String,
    pub region: Option<String>,
    pub template: String,
    pub resource_count: usize,
    pub artifacts: Vec<Artifact>,
    pub tags: BTreeMap<String, String>,
    /// Other services' outputs the template takes as parameters: which producer stack and
    /// output fills each, so `package` stays offline and `deploy` knows what to read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<crate::plan::ReferencePlan>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Artifact {
    pub function: String,
    pub function_name: String,
    pub package: String,
    pub bin: String,
    pub arch: String,
    /// Where `build` writes the zip, relative to the project root.
    pub path: String,
    /// The template parameter that receives the artifact's S3 key at deploy time.
    pub parameter: String,
    /// Filled in once `build` has produced the zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl Manifest {
    /// Records built artifacts (function → (sha256, size)); functions not built keep `None`.
    pub(crate) fn record_artifacts(&mut self, built: &BTreeMap<String, (String, u64)>) {
        for a in &mut self.artifacts {
            if let Some((sha, size)) = built.get(&a.function) {
                a.sha256 = Some(sha.clone());
                a.size = Some(*size);
            }
        }
    }
}

/// Synthesis failures that point into `sls.yaml` (e.g. a raw resource colliding with ours).
#[derive(Debug)]
pub struct SynthError {
    pub problems: Vec<Problem>,
}

pub(crate) struct Ctx<'a> {
    pub plan: &'a Plan,
    pub template: Template,
}

impl<'a> Ctx<'a> {
    pub(crate) fn add(&mut self, id: impl Into<String>, resource: Resource) {
        self.template.resources.insert(id.into(), resource);
    }

    /// The declared resource a function's event or `uses` names. A name nothing declares has
    /// been reported by validation, so synthesis never runs with one; it makes nothing for it.
    pub(crate) fn resource(&self, kind: crate::config::ResourceKind, name: &str) -> Option<&'a ResourcePlan> {
        self.plan.resource(kind, name)
    }

    /// A logical id not yet in the template: `base`, else `base2`, `base3`, ...
    pub(crate) fn unique_id(&self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while self.template.resources.contains_key(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        id
    }
}

pub fn synthesize(plan: &Plan) -> Result<Synthesis, SynthError> {
    let (config, stage, stack_name) = (&plan.config, &plan.stage, &plan.stack_name);
    let mut ctx = Ctx {
        plan,
        template: Template {
            format_version: "2010-09-09",
            description: format!("{stack_name}: service {} on stage {stage}, deployed by sls-rs", config.service),
            parameters: BTreeMap::new(),
            mappings: BTreeMap::new(),
            conditions: BTreeMap::new(),
            resources: BTreeMap::new(),
            outputs: BTreeMap::new(),
        },
    };
    ctx.template.parameters.insert(
        DEPLOYMENT_BUCKET_PARAM.into(),
        Parameter {
            kind: "String".into(),
            description: Some("S3 bucket holding the function artifacts".into()),
            extra: Default::default(),
        },
    );
    if !plan.functions.is_empty() {
        add_boundary_parameter(&mut ctx.template);
    }
    for r in &plan.references {
        let about = format!("output `{}` of service `{}` ({}), read by sls-rs deploy", r.output, r.service, r.stack);
        let parameter = Parameter { kind: "String".into(), description: Some(about), extra: Default::default() };
        ctx.template.parameters.insert(r.parameter.clone(), parameter);
    }
    resources::add_all(&mut ctx);
    let artifacts = plan.each_function().map(|(decl, f)| function::add(&mut ctx, decl, f)).collect();
    http::add(&mut ctx);
    events::add_all(&mut ctx);
    raw::merge(&mut ctx)?;
    let mut warnings = check_limits(&ctx.template).map_err(|p| SynthError { problems: vec![p] })?;
    warnings.extend(queues_without_dead_letter(plan));

    let manifest = Manifest {
        service: config.service.clone(),
        stage: stage.clone(),
        stack_name: stack_name.clone(),
        region: plan.region.clone(),
        template: "template.json".into(),
        resource_count: ctx.template.resources.len(),
        artifacts,
        tags: plan.tags.clone(),
        references: plan.references.clone(),
    };
    Ok(Synthesis { template: ctx.template, manifest, warnings })
}

/// The permissions boundary every function role carries when one is given: `ci github` makes it,
/// `deploy` passes it, and without one the roles are as they would be with no parameter.
fn add_boundary_parameter(template: &mut Template) {
    let mut extra = serde_json::Map::new();
    extra.insert("Default".into(), serde_json::Value::String(String::new()));
    template.parameters.insert(
        PERMISSIONS_BOUNDARY_PARAM.into(),
        Parameter {
            kind: "String".into(),
            description: Some(
                "ARN of the managed policy every function role carries as its permissions boundary (set by sls-rs deploy when `sls-rs ci github` made one); empty for none".into(),
            ),
            extra,
        },
    );
    template.conditions.insert(
        HAS_BOUNDARY_CONDITION.into(),
        serde_json::json!({ "Fn::Not": [{ "Fn::Equals": [{ "Ref": PERMISSIONS_BOUNDARY_PARAM }, ""] }] }),
    );
}

/// A role's `PermissionsBoundary`: the parameter's policy, or no property at all.
pub(crate) fn permissions_boundary() -> serde_json::Value {
    serde_json::json!({ "Fn::If": [HAS_BOUNDARY_CONDITION, { "Ref": PERMISSIONS_BOUNDARY_PARAM }, { "Ref": "AWS::NoValue" }] })
}

fn check_limits(template: &Template) -> Result<Vec<String>, Problem> {
    let n = template.resources.len();
    let at = crate::config::yaml::Span { line: 1, col: 1, ..Default::default() };
    if n > MAX_RESOURCES {
        return Err(Problem::new(
            at,
            format!("this stage needs {n} CloudFormation resources; one stack holds at most {MAX_RESOURCES}"),
        )
        .help("split the service: move some functions into a second service (see the `microservices` template)"));
    }
    if template.outputs.len() > MAX_OUTPUTS {
        return Err(Problem::new(
            at,
            format!("this stage has {} outputs; CloudFormation allows {MAX_OUTPUTS}", template.outputs.len()),
        )
        .help("split the service into smaller ones"));
    }
    let mut warnings = Vec::new();
    if n >= WARN_RESOURCES {
        warnings.push(format!("{n} of {MAX_RESOURCES} CloudFormation resources used; plan to split the service before it reaches the limit"));
    }
    Ok(warnings)
}

/// A consumed queue with no dead-letter queue redelivers a message its handler keeps failing
/// until the message expires — days of failed invocations, then the message is gone.
fn queues_without_dead_letter(plan: &Plan) -> Vec<String> {
    let consumed: std::collections::BTreeSet<&str> = plan
        .config
        .functions
        .iter()
        .flat_map(|f| &f.events)
        .filter_map(|e| match &e.kind {
            crate::config::EventKind::Queue { queue, .. } => Some(queue.as_str()),
            _ => None,
        })
        .collect();
    let queues = &plan.config.resources.queues;
    consumed
        .into_iter()
        .filter(|q| queues.get(*q).is_some_and(|q| q.dead_letter.is_none()))
        .map(|q| {
            format!("queue `{q}` has no dead-letter queue: a message its handler keeps failing is retried until it expires, then lost; add `dead_letter: {{ max_receives: 3 }}` to `resources.queues.{q}`")
        })
        .collect()
}

/// The template as it is written to disk: pretty JSON with a trailing newline.
pub fn to_json(template: &Template) -> String {
    let mut s = serde_json::to_string_pretty(template).expect("templates serialize");
    s.push('\n');
    s
}
