//! `sls-rs invoke --local`: one event → the function's real handler on this machine →
//! its response on stdout, its logs and a REPORT line on stderr.

use crate::cli::{Global, InvokeArgs};
use crate::config::Method;
use crate::config::{diagnostic, Function};
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::local::sample::SampleEvent;
use crate::local::{self, runtime::instance::Instance, sample as events};
use crate::plan::{FunctionPlan, Plan};
use crate::ui::Ui;
use std::io::Read;
use std::sync::Arc;

pub(super) fn run(global: &Global, process: &Process, args: &InvokeArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global, process)?;
    let (decl, f) = super::find_function(&plan, &args.function)?;
    let region = super::local_region(global, process, &plan);
    let payload = event_payload(process, args, decl, &plan, &region)?;
    if !args.local {
        return remote(global, process, &plan, f, payload, args.log, ui);
    }

    let ws =
        crate::build::Workspace::load(&plan.config.root, process).map_err(|e| Error::failed(e.to_string(), None))?;
    ws.check(&plan).map_err(|e| super::workspace_error(&plan.config, e))?;
    ui.note(format!("building {} ({})", f.name, if args.release { "release" } else { "debug" }));
    // Every handler of the service, as `dev` builds them: the same package selection means the
    // same dependency features, so switching between `dev` and this recompiles nothing.
    let all: Vec<&crate::plan::FunctionPlan> = plan.functions.iter().collect();
    let mut waiting = |dir: &std::path::Path| ui.note(super::steps::waiting_line(dir));
    let dir = local::runtime::compile::compile(&ws, &all, args.release, ui.verbose > 0, &mut waiting)
        .map_err(super::compile_error)?;
    let spec = local::spec_for(process, &plan, f, dir.join(&f.bin), &region, None, None);
    let memory = spec.memory;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::failed(e.to_string(), None))?;
    let outcome = rt.block_on(async {
        let mut instance = Instance::start(Arc::new(spec), 0).await?;
        Ok::<_, std::io::Error>(instance.invoke(payload, None).await)
    });
    let outcome = outcome.map_err(|e| Error::failed(format!("cannot start {}: {e}", f.name), None))?;
    ui.note(local::report_line(&outcome, memory));
    match outcome.result {
        Ok(body) => {
            show_payload(process, ui, &body);
            Ok(())
        }
        Err(doc) => {
            show_payload(process, ui, doc.to_string().as_bytes());
            Err(Error::failed(
                format!(
                    "{} failed: {}: {}",
                    f.name,
                    doc["errorType"].as_str().unwrap_or("Error"),
                    doc["errorMessage"].as_str().unwrap_or("")
                ),
                None,
            ))
        }
    }
}

/// Invokes the deployed function through the Lambda API.
fn remote(
    global: &Global,
    process: &Process,
    plan: &Plan,
    f: &FunctionPlan,
    payload: Vec<u8>,
    log: bool,
    ui: &Ui,
) -> Result<()> {
    let name = &f.physical_name;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, process, plan))?;
    let out = rt.block_on(crate::deploy::remote::invoke(&aws, name, payload, log)).map_err(|e| {
        Error::failed(format!("cannot invoke {name}: {e}"), Some("is the stage deployed? see `sls-rs info`".into()))
    })?;
    if let Some(tail) = &out.log_tail {
        ui.passthrough(tail);
    }
    let body = out.payload;
    show_payload(process, ui, &body);
    match out.function_error {
        Some(kind) => {
            let doc: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            Err(Error::failed(
                format!(
                    "{} failed ({kind}): {}",
                    f.name,
                    doc["errorMessage"].as_str().unwrap_or("see the payload above")
                ),
                None,
            ))
        }
        None => Ok(()),
    }
}

/// Pretty JSON, escaped, for a person at a terminal; the payload as it came for pipes.
fn show_payload(process: &Process, ui: &Ui, body: &[u8]) {
    let text = String::from_utf8_lossy(body).into_owned();
    if !process.stdout_tty {
        return ui.result_raw(text);
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => ui.result(serde_json::to_string_pretty(&v).unwrap_or(text)),
        Err(_) => ui.result(text),
    }
}

/// The route `--route` names, which must be one of `f`'s own.
fn declared_route(f: &Function, text: &str, kind: SampleEvent) -> Result<(Method, String)> {
    let declared: Vec<String> = f
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            crate::config::EventKind::Http { method, path, .. } => Some(format!("{method} {path}")),
            _ => None,
        })
        .collect();
    let help = || match declared.is_empty() {
        true => format!("`{}` declares no http event", f.name),
        false => format!("routes of `{}`: {}", f.name, diagnostic::one_of(&declared)),
    };
    if kind != SampleEvent::Http {
        return Err(Error::usage("--route goes with --event http", help()));
    }
    let (method, path) =
        crate::config::parse_route(text).map_err(|fix| Error::usage(format!("`{text}` is not a route"), fix))?;
    if !declared.contains(&format!("{method} {path}")) {
        return Err(Error::usage(format!("`{}` has no route `{method} {path}`", f.name), help()));
    }
    Ok((method, path))
}

/// The event in `source`, or `None` when it is larger than Lambda takes: never more than a
/// byte past the limit is read (a file's size, when it has one, is enough to tell).
fn read_event(source: impl Read, known_size: Option<u64>) -> std::io::Result<Option<Vec<u8>>> {
    let limit = local::MAX_INVOKE_PAYLOAD as u64;
    if known_size.is_some_and(|s| s > limit) {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    source.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(Some(bytes).filter(|b| b.len() as u64 <= limit))
}

fn too_large() -> Error {
    Error::usage(local::payload_too_large(), "send a smaller event; large data belongs in S3, passed by key")
}

fn event_payload(process: &Process, args: &InvokeArgs, f: &Function, plan: &Plan, region: &str) -> Result<Vec<u8>> {
    let bytes = if let Some(data) = &args.data {
        data.clone().into_bytes()
    } else if let Some(path) = &args.path {
        let cannot = |e: std::io::Error| {
            Error::usage(format!("cannot read {}: {e}", path.display()), "pass a JSON file with --path")
        };
        let file = std::fs::File::open(path).map_err(cannot)?;
        let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        read_event(file, size).map_err(cannot)?.ok_or_else(too_large)?
    } else if let Some(kind) = args.event.or(args.route.as_ref().map(|_| SampleEvent::Http)) {
        let route = match &args.route {
            Some(text) => Some(declared_route(f, text, kind)?),
            None => None,
        };
        let route = route.as_ref().map(|(m, p)| (*m, p.as_str()));
        let ctx = events::Ctx { plan, region, route, now: crate::host::clock::Timestamp::now() };
        events::sample(kind, f, &ctx).to_string().into_bytes()
    } else if !process.stdin_tty {
        let buf = read_event(std::io::stdin().lock(), None)
            .map_err(|e| Error::failed(format!("cannot read stdin: {e}"), None))?
            .ok_or_else(too_large)?;
        if buf.iter().all(u8::is_ascii_whitespace) {
            b"{}".to_vec()
        } else {
            buf
        }
    } else {
        b"{}".to_vec()
    };
    // Lambda refuses a larger event before any function runs, in these words.
    if bytes.len() > local::MAX_INVOKE_PAYLOAD {
        return Err(too_large());
    }
    serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| {
        Error::usage(
            format!("the event is not JSON: {e}"),
            "pass JSON with --data, --path or on stdin, or use --event <kind>",
        )
    })?;
    Ok(bytes)
}
