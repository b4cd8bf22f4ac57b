//! Local runtime: one warm function instance — the real `bootstrap` process with Lambda's
//! environment and its own Runtime API — and what happens to one invocation: a response, a
//! function error, a crash (`Runtime.ExitError`) or a timeout (`Sandbox.Timedout`).

use crate::local::runtime::runtime_api::{Invocation, Reply, RuntimeApi};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Everything needed to start instances of one function.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub physical_name: String,
    pub log_group: String,
    pub binary: PathBuf,
    pub env: BTreeMap<String, String>,
    pub memory: u32,
    pub timeout: u32,
    pub region: String,
    /// Prefix for the handler's log lines (`dev` labels them; `invoke` does not).
    pub log_prefix: Option<String>,
    /// What the handler inherits of sls-rs's own environment (`inherited`).
    pub inherited: BTreeMap<String, String>,
}

/// The variables of `process` a handler inherits: its PATH and HOME and, when `aws` (the
/// developer's AWS settings pass through: not when the handler is pointed at a local endpoint
/// with credentials of its own), credentials and endpoints, so a handler run locally can reach
/// AWS (or an emulator) as the developer can.
pub(crate) fn inherited(process: &crate::host::process::Process, aws: bool) -> BTreeMap<String, String> {
    process
        .vars()
        .filter_map(|(k, v)| Some((k.to_str()?.to_string(), v.to_str()?.to_string())))
        .filter(|(k, _)| PASS_THROUGH.contains(&k.as_str()) || k.starts_with("AWS_ENDPOINT_URL_"))
        .filter(|(k, _)| aws || !k.starts_with("AWS_"))
        .collect()
}

impl Spec {
    pub(crate) fn arn(&self) -> String {
        format!("arn:aws:lambda:{}:{}:function:{}", self.region, crate::local::LOCAL_ACCOUNT, self.physical_name)
    }
}

#[derive(Debug)]
pub(crate) struct Outcome {
    pub request_id: String,
    /// The response payload, or Lambda's error document.
    pub result: Result<Vec<u8>, serde_json::Value>,
    pub duration: Duration,
    pub max_memory_mb: Option<u64>,
    /// False when the instance died or was stopped and must not be reused.
    pub reusable: bool,
    /// The X-Ray trace root the invocation ran under (`1-5f2a…-…`).
    pub trace: String,
}

pub(crate) struct Instance {
    api: RuntimeApi,
    child: Child,
    spec: Arc<Spec>,
    pub generation: u64,
}

/// Lambda gives a new instance's init ten seconds, apart from the function's timeout.
const INIT_LIMIT: Duration = Duration::from_secs(10);

/// Environment variables a process inherits from us: credentials and endpoints, so a handler
/// run locally can reach AWS (or an emulator) as the developer can.
const PASS_THROUGH: &[&str] = &[
    "PATH",
    "HOME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "RUST_BACKTRACE",
];

impl Instance {
    pub(crate) async fn start(spec: Arc<Spec>, generation: u64) -> std::io::Result<Instance> {
        let api = RuntimeApi::start().await?;
        let mut cmd = Command::new(&spec.binary);
        cmd.env_clear();
        cmd.envs(&spec.inherited)
            .envs(&spec.env)
            .env("AWS_LAMBDA_RUNTIME_API", api.addr.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", &spec.physical_name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", spec.memory.to_string())
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", &spec.log_group)
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]sls-rs")
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
            .env("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023")
            .env("AWS_REGION", &spec.region)
            .env("AWS_DEFAULT_REGION", &spec.region)
            .env("LAMBDA_TASK_ROOT", spec.binary.parent().unwrap_or(&spec.binary))
            .env("_HANDLER", "bootstrap")
            .env("TZ", ":UTC")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn()?;
        forward_logs(child.stdout.take(), spec.log_prefix.clone());
        forward_logs(child.stderr.take(), spec.log_prefix.clone());
        Ok(Instance { api, child, spec, generation })
    }

    /// Runs one invocation; `trace` continues the trace of whatever caused it (a new one when
    /// `None`), so the handler's own AWS calls carry it on.
    pub(crate) async fn invoke(&mut self, payload: Vec<u8>, trace: Option<String>) -> Outcome {
        let request_id = request_id();
        let started = Instant::now();
        let timeout = Duration::from_secs(u64::from(self.spec.timeout));
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
        // The request id's 32 hex digits give the new root its id and the segment its parent.
        let hex = request_id.replace('-', "");
        let root = trace.unwrap_or_else(|| format!("1-{:08x}-{}", now_ms / 1000, &hex[..24]));
        let parent = &hex[16..32];
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (taken_tx, taken) = tokio::sync::oneshot::channel();
        let invocation = Invocation {
            request_id: request_id.clone(),
            payload,
            timeout,
            function_arn: self.spec.arn(),
            trace_id: format!("Root={root};Parent={parent};Sampled=0"),
            reply: tx,
            taken: taken_tx,
        };
        let outcome = |result, reusable, mem| Outcome {
            request_id: request_id.clone(),
            result,
            duration: started.elapsed(),
            max_memory_mb: mem,
            reusable,
            trace: root.clone(),
        };
        if self.api.sender.send(invocation).await.is_err() {
            return outcome(Err(exit_error(&request_id, "the runtime API stopped")), false, None);
        }
        // As on Lambda, a new instance's init has a limit of its own and the function's timeout
        // runs from when the runtime takes the event: a loaded machine starting the process
        // slowly must not time out a first invocation Lambda would run.
        tokio::select! {
            _ = taken => {}
            status = self.child.wait() => {
                return outcome(Err(exited(&self.api, &request_id, status)), false, None);
            }
            _ = tokio::time::sleep(INIT_LIMIT) => {
                let why = format!("init did not finish within {} seconds", INIT_LIMIT.as_secs());
                return outcome(Err(self.time_out(&request_id, &why)), false, None);
            }
        }
        tokio::select! {
            reply = rx => {
                let mem = peak_memory_mb(self.child.id());
                match reply {
                    Ok(Reply::Response(body)) => outcome(Ok(body), true, mem),
                    Ok(Reply::Error(doc)) => outcome(Err(doc), true, mem),
                    Err(_) => outcome(Err(exit_error(&request_id, "the invocation was dropped")), false, mem),
                }
            }
            status = self.child.wait() => {
                outcome(Err(exited(&self.api, &request_id, status)), false, None)
            }
            _ = tokio::time::sleep(timeout) => {
                let why = format!("Task timed out after {:.2} seconds", timeout.as_secs_f64());
                outcome(Err(self.time_out(&request_id, &why)), false, None)
            }
        }
    }

    /// Gives up on an invocation that ran out of time, as Lambda does: the instance is killed
    /// and the caller gets `Sandbox.Timedout`.
    fn time_out(&mut self, request_id: &str, why: &str) -> serde_json::Value {
        self.api.abandon(request_id);
        let _ = self.child.start_kill();
        serde_json::json!({ "errorType": "Sandbox.Timedout", "errorMessage": format!("RequestId: {request_id} Error: {why}") })
    }
}

/// What an invocation gets when its instance exits (or cannot be waited for): the init error
/// the runtime reported, if it did, else why the process ended.
fn exited(api: &RuntimeApi, request_id: &str, status: std::io::Result<std::process::ExitStatus>) -> serde_json::Value {
    api.abandon(request_id);
    let why = match status {
        Ok(s) => describe_exit(s),
        Err(e) => e.to_string(),
    };
    api.init_error().unwrap_or_else(|| exit_error(request_id, &format!("Runtime exited with error: {why}")))
}

fn exit_error(request_id: &str, why: &str) -> serde_json::Value {
    serde_json::json!({ "errorType": "Runtime.ExitError", "errorMessage": format!("RequestId: {request_id} Error: {why}") })
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(6)) => "signal: aborted (a panic with panic = \"abort\"?)".to_string(),
        (None, Some(sig)) => format!("signal: {sig}"),
        _ => status.to_string(),
    }
}

/// The process's peak resident memory (VmHWM), as Lambda's REPORT line shows it.
fn peak_memory_mb(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let kb: u64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb.div_ceil(1024))
}

fn forward_logs<R: tokio::io::AsyncRead + Unpin + Send + 'static>(pipe: Option<R>, prefix: Option<String>) {
    let Some(pipe) = pipe else { return };
    tokio::spawn(async move {
        let mut lines = BufReader::new(pipe).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            // The handler's own text: it may print anything, a terminal must not act on it.
            let line = crate::ui::escape::line(&line);
            match &prefix {
                Some(p) => eprintln!("{p} {line}"),
                None => eprintln!("{line}"),
            }
        }
    });
}

/// A version-4-shaped id, unique within this process and across runs.
pub(crate) fn request_id() -> String {
    use sha2::{Digest, Sha256};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
    let h = Sha256::digest(format!("{t}-{n}-{}", std::process::id()));
    let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A runtime written in sh and curl that takes `init` seconds to start, then answers.
    fn slow_runtime(dir: &std::path::Path, init: u32) -> PathBuf {
        let path = dir.join("bootstrap");
        let api = "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation";
        let script = format!(
            "#!/bin/sh\nsleep {init}\nwhile :; do\n  id=$(curl -sS -D - -o /dev/null {api}/next \
             | tr -d '\\r' | sed -n 's/^lambda-runtime-aws-request-id: //Ip')\n  \
             curl -sS -X POST -d '\"done\"' {api}/$id/response >/dev/null\ndone\n"
        );
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn a_slow_init_does_not_count_against_the_functions_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let spec = Spec {
            physical_name: "demo-dev-api".into(),
            log_group: "/aws/lambda/demo-dev-api".into(),
            binary: slow_runtime(dir.path(), 2),
            env: BTreeMap::new(),
            memory: 128,
            timeout: 1,
            region: "us-east-1".into(),
            log_prefix: None,
            // The runtime is `sh` and `curl`, found through this process's PATH.
            inherited: inherited(&crate::host::process::Process::from_os(), false),
        };
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let outcome = rt.block_on(async {
            let mut instance = Instance::start(Arc::new(spec), 0).await.unwrap();
            instance.invoke(b"{}".to_vec(), None).await
        });
        assert_eq!(outcome.result.unwrap(), b"\"done\"", "two seconds of init, then a one-second timeout");
    }

    #[test]
    fn request_ids_look_like_uuids_and_differ() {
        let a = super::request_id();
        let b = super::request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }
}
