//! Beside the pipeline — local: real handlers on this machine, no Docker and no AWS. A Lambda
//! Runtime API per instance (`invoke --local`) and an HTTP API emulator with warm instances
//! and rebuild-on-save (`dev`).

pub mod clock;
pub mod compile;
pub mod dev;
pub mod events;
pub mod http_api;
pub mod instance;
pub mod pool;
pub mod runtime_api;

use crate::config::names::{function_name, resource_env_var, resource_name};
use crate::config::{Config, Function, ResourceKind};
use instance::{Outcome, Spec};
use std::path::PathBuf;

/// The account id in the names of local stand-ins for AWS resources.
pub const LOCAL_ACCOUNT: &str = "000000000000";

/// How a function is started locally: its settings on `stage`, and the names its resources
/// would have on AWS (so code reading `USERS_TABLE` sees a realistic value).
pub fn spec_for(
    config: &Config,
    stage: &str,
    f: &Function,
    binary: PathBuf,
    region: &str,
    log_prefix: Option<String>,
) -> Spec {
    let settings = config.effective(stage, &f.settings);
    let mut env = settings.env.clone();
    env.insert("SLS_SERVICE".into(), config.service.clone());
    env.insert("SLS_STAGE".into(), stage.to_string());
    for u in &f.uses {
        let Some(kind) = config.resources.kind_of(&u.resource) else { continue };
        let name = resource_name(&config.service, stage, &u.resource);
        let value = match kind {
            ResourceKind::Table => name,
            ResourceKind::Queue => format!("https://sqs.{region}.amazonaws.com/{LOCAL_ACCOUNT}/{name}"),
            ResourceKind::Bucket => format!("{}-{LOCAL_ACCOUNT}", name.to_ascii_lowercase()),
            ResourceKind::Topic => format!("arn:aws:sns:{region}:{LOCAL_ACCOUNT}:{name}"),
        };
        env.insert(resource_env_var(kind, &u.resource), value);
    }
    Spec {
        function: f.name.clone(),
        physical_name: function_name(&config.service, stage, &f.name),
        binary,
        env,
        memory: settings.memory,
        timeout: settings.timeout,
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
