//! Pipeline stage 5 — deploy: manifest + template + artifacts → the deployment bucket →
//! a change set → the stack, watched to the end. Also what removes it again.

pub(crate) mod boundary;
pub mod bucket;
pub(crate) mod changes;
pub(crate) mod code;
pub(crate) mod data;
pub(crate) mod notice;
pub(crate) mod order;
pub mod outputs;
pub(crate) mod project;
pub(crate) mod remote;
pub mod remove;
pub mod replacement;
pub mod stack;
pub mod watch;

use crate::aws::status::{Phase, StackStatus};
use crate::aws::{Aws, CallError};
use crate::plan::PERMISSIONS_BOUNDARY_PARAM;
use crate::synth::{Manifest, DEPLOYMENT_BUCKET_PARAM};
use stack::{Change, ChangeSet, TemplateSource};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Instant, SystemTime};
use watch::StackEvent;

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error(transparent)]
    Aws(#[from] CallError),
    #[error("function `{0}` has no built artifact")]
    NotBuilt(String),
    #[error("no function `{0}` in the manifest")]
    UnknownFunction(String),
    #[error("cannot read {}: {source}", path.display())]
    Artifact { path: std::path::PathBuf, source: std::io::Error },
    #[error("an upload stopped: {0}")]
    Upload(#[from] tokio::task::JoinError),
    #[error("stack {stack} is busy ({status})")]
    Busy { stack: String, status: StackStatus },
    #[error("deploy failed: stack {stack} ended {status}")]
    Failed { stack: String, status: StackStatus, failures: Vec<StackEvent>, reason: Option<String> },
    #[error("CloudFormation refused the change set: {0}")]
    Refused(String),
    #[error("CloudFormation found nothing to create in the template")]
    NothingToCreate,
    #[error("the deployment bucket {bucket} exists but is not account {account}'s (or this account may not use it)")]
    BucketNotOwned { bucket: String, account: String },
    #[error("the bootstrap stack ended {status}: {reason}")]
    Bootstrap { status: StackStatus, reason: String },
    #[error("Lambda rejected the code of {function}: {reason}")]
    CodeRejected { function: String, reason: String },
    #[error("{0} did not finish updating its code")]
    CodeUpdateTimedOut(String),
    #[error(
        "service `{service}` is not deployed on this stage (no stack {stack}), and this service reads its outputs"
    )]
    ProducerMissing { service: String, stack: String },
    #[error("stack {stack} (service `{service}`) has no output `{output}`")]
    OutputMissing { service: String, stack: String, output: String },
    #[error("the template is not JSON: {0}")]
    Template(#[from] serde_json::Error),
}

/// How far a deploy got, so that whoever stops it half-way knows what is left behind.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Step {
    /// AWS holds nothing of this deploy yet but content-addressed artifacts, harmless to keep.
    #[default]
    Preparing,
    /// A change set is being made or waits for review; `creating` when it also made the empty
    /// stack that holds it.
    Reviewing { change_set: String, creating: bool },
    /// CloudFormation applies the change set and carries on whether we watch or not.
    Executing,
}

pub use notice::Notice;

/// How the deploy talks to whoever runs it.
pub struct Hooks<'a> {
    pub notice: &'a (dyn Fn(Notice) + Sync),
    /// Kept up to date as the deploy moves on; read after an interruption.
    pub step: &'a std::sync::Mutex<Step>,
    pub event: &'a mut (dyn FnMut(&StackEvent) + Send),
    /// Shown the planned changes; false cancels the deploy.
    pub confirm: &'a mut (dyn FnMut(&[Change]) -> bool + Send),
}

pub struct Options {
    /// Fail at once when the stack is busy instead of waiting for it.
    pub no_wait: bool,
}

/// Deploys the stack. Other services' outputs its template reads are read from their stacks
/// first, so a changed output changes this stack's parameters and redeploys it.
pub async fn deploy(
    aws: &Aws,
    manifest: &Manifest,
    template: &str,
    root: &Path,
    opts: &Options,
    hooks: Hooks<'_>,
) -> Result<Report, DeployError> {
    let inputs = outputs::resolve(aws, &manifest.references).await?;
    deploy_with(aws, manifest, template, root, opts, &inputs, hooks).await
}

/// How a deploy ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Deployed,
    /// Nothing differed from the stack: no change set was executed.
    Unchanged,
    /// The change set was declined at the prompt and taken back.
    Cancelled,
}

#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub status: Outcome,
    pub stack: String,
    #[serde(serialize_with = "crate::aws::status::serialize_opt")]
    pub stack_status: Option<StackStatus>,
    pub changes: Vec<Change>,
    pub uploads: Vec<bucket::Upload>,
    pub outputs: BTreeMap<String, String>,
    /// Seconds per phase: upload, cloudformation.
    pub phases: BTreeMap<&'static str, f64>,
}

async fn deploy_with(
    aws: &Aws,
    manifest: &Manifest,
    template: &str,
    root: &Path,
    opts: &Options,
    inputs: &BTreeMap<String, String>,
    hooks: Hooks<'_>,
) -> Result<Report, DeployError> {
    let stack_name = manifest.stack_name.clone();
    let mut phases = BTreeMap::new();
    let t = Instant::now();
    let caller = aws.caller().await?;
    // A stack of resources alone has no roles, and no boundary parameter to fill in.
    let declared: serde_json::Value = serde_json::from_str(template)?;
    let has_roles = declared["Parameters"].get(PERMISSIONS_BOUNDARY_PARAM).is_some();
    let lookup = async {
        match has_roles {
            true => boundary::find(aws, &caller, &stack_name).await.map(Some),
            false => Ok(None),
        }
    };
    let (bucket, found) = tokio::join!(bucket::ensure(aws, &caller.account, hooks.notice), lookup);
    let (bucket, _) = bucket?;
    let mut parameters = inputs.clone();
    parameters.insert(DEPLOYMENT_BUCKET_PARAM.to_string(), bucket.name.clone());
    if let Some(found) = found? {
        let arn = match found {
            boundary::Found::Boundary(arn) => arn,
            boundary::Found::None => String::new(),
            boundary::Found::Unreadable { arn, reason } => {
                (hooks.notice)(Notice::BoundaryUnreadable { arn, reason });
                String::new()
            }
        };
        parameters.insert(PERMISSIONS_BOUNDARY_PARAM.to_string(), arn);
    }
    let mut artifacts = Vec::new();
    for a in &manifest.artifacts {
        let sha = a.sha256.as_ref().ok_or_else(|| DeployError::NotBuilt(a.function.clone()))?;
        let key = crate::plan::names::artifact_key(&manifest.stack_name, &a.function, sha);
        parameters.insert(a.parameter.clone(), key.clone());
        artifacts.push((a.function.clone(), root.join(&a.path), key));
    }
    let uploads = bucket::upload_artifacts(aws, &bucket, artifacts).await?;
    phases.insert("upload", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut existing = stack::describe(&aws.cfn, &stack_name).await?;
    if let Some(s) = existing.as_ref().filter(|s| Phase::of_stack(&s.status).working()) {
        if opts.no_wait {
            return Err(DeployError::Busy { stack: stack_name, status: s.status.clone() });
        }
        (hooks.notice)(Notice::Waiting { stack: stack_name.clone(), status: s.status.to_string() });
        watch::wait(&aws.cfn, &stack_name, SystemTime::now(), Default::default(), &mut |_| {}).await?;
        existing = stack::describe(&aws.cfn, &stack_name).await?;
    }
    // A stack that holds nothing and can only be deleted goes, and this deploy creates it afresh.
    if let Some(why) = existing.as_ref().and_then(stack::only_deletable) {
        (hooks.notice)(Notice::Clearing { stack: stack_name.clone(), why: why.to_string() });
        let since = SystemTime::now();
        stack::delete_stack(&aws.cfn, &stack_name).await?;
        watch::wait(&aws.cfn, &stack_name, since, Default::default(), &mut |_| {}).await?;
        existing = None;
    }
    if existing.is_some() {
        for left in stack::leftover_change_sets(&aws.cfn, &stack_name).await? {
            (hooks.notice)(Notice::LeftoverChangeSet { name: left.clone() });
            match stack::delete_change_set(&aws.cfn, &stack_name, &left).await {
                Err(e) if e.code() == Some("ChangeSetNotFound") => {}
                other => other?,
            }
        }
    }
    let report = |status, changes, stack_status, outputs, phases| Report {
        status,
        stack: stack_name.clone(),
        stack_status,
        changes,
        uploads: uploads.clone(),
        outputs,
        phases,
    };
    if let Some(s) = &existing {
        if stack::unchanged(&aws.cfn, &stack_name, s, template, &parameters).await? {
            phases.insert("cloudformation", t.elapsed().as_secs_f64());
            return Ok(report(Outcome::Unchanged, Vec::new(), Some(s.status.clone()), s.outputs.clone(), phases));
        }
    }
    let source = if template.len() > bucket::INLINE_TEMPLATE_LIMIT {
        let key =
            crate::plan::names::template_key(&stack_name, &crate::build::artifact::sha256_hex(template.as_bytes()));
        TemplateSource::Url(bucket::upload_template(aws, &bucket, &key, template).await?)
    } else {
        TemplateSource::Body(template.to_string())
    };
    let name = crate::plan::names::change_set(
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_millis(),
    );
    let reviewing = Step::Reviewing { change_set: name.clone(), creating: existing.is_none() };
    set_step(&hooks, reviewing.clone());
    let request = stack::ChangeSetRequest {
        stack: &stack_name,
        create: existing.is_none(),
        template: &source,
        parameters: &parameters,
        tags: &manifest.tags,
        name,
    };
    let (id, changes) = match stack::create_change_set(&aws.cfn, request).await? {
        ChangeSet::NoChanges => {
            phases.insert("cloudformation", t.elapsed().as_secs_f64());
            let Some(s) = existing else { return Err(DeployError::NothingToCreate) };
            return Ok(report(Outcome::Unchanged, Vec::new(), Some(s.status), s.outputs, phases));
        }
        ChangeSet::Ready { id, changes } => (id, changes),
    };
    if !(hooks.confirm)(&changes) {
        abandon(aws, &stack_name, &reviewing).await?;
        set_step(&hooks, Step::Preparing);
        return Ok(report(Outcome::Cancelled, changes, None, BTreeMap::new(), phases));
    }
    let since = SystemTime::now();
    // Set before the request goes out: stopped mid-request, "it may be running" is the safe guess.
    set_step(&hooks, Step::Executing);
    stack::execute(&aws.cfn, &stack_name, &id).await?;
    let done = watch::wait(&aws.cfn, &stack_name, since, Default::default(), hooks.event).await?;
    phases.insert("cloudformation", t.elapsed().as_secs_f64());
    if !done.succeeded() {
        return Err(DeployError::Failed {
            stack: stack_name,
            status: done.status,
            failures: done.failures,
            reason: done.reason,
        });
    }
    let outputs = stack::describe(&aws.cfn, &stack_name).await?.map(|s| s.outputs).unwrap_or_default();
    Ok(report(Outcome::Deployed, changes, Some(done.status), outputs, phases))
}

fn set_step(hooks: &Hooks<'_>, step: Step) {
    *hooks.step.lock().unwrap_or_else(|e| e.into_inner()) = step;
}

/// Takes back what a deploy stopped at `step` left waiting: its change set, and the empty
/// stack a first deploy's change set made. Nothing to do at any other step.
pub async fn abandon(aws: &Aws, stack_name: &str, step: &Step) -> Result<(), CallError> {
    if let Step::Reviewing { change_set, creating } = step {
        // Stopped before CloudFormation had the change set: nothing to delete.
        match stack::delete_change_set(&aws.cfn, stack_name, change_set).await {
            Err(e) if e.code() == Some("ChangeSetNotFound") || e.is_missing_stack() => {}
            other => other?,
        }
        if *creating {
            stack::delete_stack(&aws.cfn, stack_name).await?;
        }
    }
    Ok(())
}

/// A hint for a resource failure reason, for the messages CloudFormation users meet most.
pub(crate) fn hint_for(reason: &str) -> Option<&'static str> {
    let r = reason.to_ascii_lowercase();
    if r.contains("already exists") {
        Some("a resource with this name exists outside the stack: delete it, or rename the function/resource in sls.yaml")
    } else if r.contains("not authorized") || r.contains("accessdenied") || r.contains("access denied") {
        Some("the deploying credentials lack a permission: see the action named in the message")
    } else if r.contains("rate exceeded") || r.contains("throttl") {
        Some("AWS throttled the request; deploy again in a minute")
    } else if r.contains("limit exceeded") || r.contains("limitexceeded") {
        Some("an account quota was reached: request an increase in Service Quotas or remove unused resources")
    } else if r.contains("s3 error") || r.contains("nosuchkey") {
        Some("the code artifact was not found: run `sls-rs build` and deploy again")
    } else {
        None
    }
}
