//! Beside the pipeline — local: real handlers on this machine, no Docker and no AWS. A Lambda
//! Runtime API per instance (`invoke --local`) and an HTTP API emulator with warm instances
//! and rebuild-on-save (`dev`).

pub(crate) mod compile;
pub(crate) mod dev;
pub(crate) mod events;
pub mod http_api;
pub(crate) mod instance;
mod pool;
mod runtime_api;

pub use crate::plan::names::LOCAL_ACCOUNT;
use crate::plan::{EnvValue, FunctionPlan, Plan};
use instance::{Outcome, Spec};
use std::path::PathBuf;

/// How a function is started locally: its planned settings and environment, with resources
/// named as they would be on AWS (so code reading `USERS_TABLE` sees a realistic value).
pub fn spec_for(plan: &Plan, f: &FunctionPlan, binary: PathBuf, region: &str, log_prefix: Option<String>) -> Spec {
    let env = f
        .env
        .iter()
        .map(|(k, v)| {
            let value = match v {
                EnvValue::Text(text) => text.clone(),
                EnvValue::Resource { kind, name } => {
                    plan.resource(*kind, name).map(|r| r.env_value(region, LOCAL_ACCOUNT)).unwrap_or_default()
                }
            };
            (k.clone(), value)
        })
        .collect();
    Spec {
        function: f.name.clone(),
        physical_name: f.physical_name.clone(),
        log_group: f.log_group.clone(),
        binary,
        env,
        memory: f.settings.memory,
        timeout: f.settings.timeout,
        region: region.to_string(),
        log_prefix,
    }
}

/// Lambda's REPORT line for an invocation.
pub fn report_line(outcome: &Outcome, memory: u32) -> String {
    let ms = outcome.duration.as_secs_f64() * 1000.0;
    let used = outcome.max_memory_mb.map(|m| format!("{m} MB")).unwrap_or_else(|| "n/a".into());
    format!(
        "REPORT RequestId: {}\tDuration: {ms:.2} ms\tBilled Duration: {} ms\tMemory Size: {memory} MB\tMax Memory Used: {used}",
        outcome.request_id,
        ms.ceil() as u64
    )
}
