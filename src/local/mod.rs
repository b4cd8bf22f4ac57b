//! Beside the pipeline — local: real handlers on this machine, no Docker and no AWS: the
//! runtime (instances behind a Lambda Runtime API; `invoke --local`), sample events, and for
//! `dev` the HTTP side, the local AWS endpoint, the triggers between them and the session that
//! runs it all.

pub(crate) mod endpoint;
pub mod http;
pub(crate) mod runtime;
pub(crate) mod sample;
pub(crate) mod session;
pub(crate) mod triggers;

pub(crate) use crate::plan::names::LOCAL_ACCOUNT;

/// The largest event Lambda takes in a synchronous invocation, and what it says past it.
pub(crate) const MAX_INVOKE_PAYLOAD: usize = 6 * 1024 * 1024;
pub(crate) fn payload_too_large() -> String {
    format!("Request must be smaller than {MAX_INVOKE_PAYLOAD} bytes for the InvokeFunction operation")
}
use crate::plan::{EnvPart, EnvValue, FunctionPlan, Plan};
use runtime::instance::{Outcome, Spec};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A local AWS endpoint as handlers see it: where each resource is there, and the variables
/// (endpoint, credentials) that point the SDK at it.
#[derive(Debug, Clone)]
pub(crate) struct LocalEnv {
    /// A resource's logical id → its variable's value on the endpoint (a queue's real URL).
    pub addresses: BTreeMap<String, String>,
    pub account: String,
    pub env: Vec<(String, String)>,
    /// Whether the developer's own AWS settings reach handlers: only for a `--remote`
    /// endpoint, which needs real credentials; a local one gets its own.
    pub inherit_aws: bool,
    /// Other services' outputs by template parameter id, where they run in the same `dev`.
    pub inputs: BTreeMap<String, String>,
}

/// How a function is started locally: its planned settings and environment. Resources are
/// where `local` put them; without local services, named as they would be on AWS (so code
/// reading `USERS_TABLE` sees a realistic value).
pub(crate) fn spec_for(
    process: &crate::host::process::Process,
    plan: &Plan,
    f: &FunctionPlan,
    binary: PathBuf,
    region: &str,
    log_prefix: Option<String>,
    local: Option<&LocalEnv>,
) -> Spec {
    let account = local.map_or(LOCAL_ACCOUNT, |l| l.account.as_str());
    let mut env: BTreeMap<String, String> = f
        .env
        .iter()
        .map(|(k, v)| {
            let value = match v {
                EnvValue::Text(text) => text.clone(),
                EnvValue::Resource { kind, name } => plan
                    .resource(*kind, name)
                    .map(|r| {
                        let there = local.and_then(|l| l.addresses.get(&r.logical_id));
                        there.cloned().unwrap_or_else(|| r.env_value(region, account))
                    })
                    .unwrap_or_default(),
                // Another service's output: its local address when it runs in this `dev`.
                EnvValue::Outputs(parts) => parts
                    .iter()
                    .map(|p| match p {
                        EnvPart::Text(t) => t.as_str(),
                        EnvPart::Parameter(id) => local.and_then(|l| l.inputs.get(id)).map_or("", String::as_str),
                    })
                    .collect(),
            };
            (k.clone(), value)
        })
        .collect();
    env.extend(local.into_iter().flat_map(|l| l.env.iter().cloned()));
    Spec {
        physical_name: f.physical_name.clone(),
        log_group: f.log_group.clone(),
        binary,
        env,
        memory: f.settings.memory,
        timeout: f.settings.timeout,
        region: region.to_string(),
        log_prefix,
        inherited: runtime::instance::inherited(process, local.is_none_or(|l| l.inherit_aws)),
    }
}

/// Lambda's REPORT line for an invocation.
pub(crate) fn report_line(outcome: &Outcome, memory: u32) -> String {
    let ms = outcome.duration.as_secs_f64() * 1000.0;
    let used = outcome.max_memory_mb.map(|m| format!("{m} MB")).unwrap_or_else(|| "n/a".into());
    format!(
        "REPORT RequestId: {}\tDuration: {ms:.2} ms\tBilled Duration: {} ms\tMemory Size: {memory} MB\tMax Memory Used: {used}",
        outcome.request_id,
        ms.ceil() as u64
    )
}
