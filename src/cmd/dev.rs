//! `sls-rs dev`: config → native builds → the local HTTP API with warm handlers, rebuilt on save.

use crate::cli::{DevArgs, Global};
use crate::error::{Error, Result};
use crate::local::dev::{self, DevEvent};
use crate::ui::Ui;

pub fn run(global: &Global, args: &DevArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let ws = crate::build::Workspace::load(&plan.config.root).map_err(|e| Error::failed(e.to_string(), None))?;
    ws.check(&plan).map_err(|e| super::workspace_error(&plan.config, e))?;
    let opts = dev::Options {
        host: args.host.clone(),
        port: args.port,
        release: args.release,
        max_instances: args.max_instances,
        watch: !args.no_watch,
        region: super::local_region(global, &plan),
        echo: ui.verbose > 0,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed(e.to_string(), None))?;
    let report: dev::Reporter = {
        let ui = ui.clone();
        std::sync::Arc::new(move |e| show(&ui, &e))
    };
    rt.block_on(dev::serve(plan, ws, opts, report)).map_err(|e| match e {
        dev::DevError::Compile(c) => super::compile_error(c),
        dev::DevError::Bind { addr, source } => {
            Error::failed(format!("cannot listen on {addr}: {source}"), Some("pick another port with --port".into()))
        }
        other => Error::failed(other.to_string(), None),
    })
}

/// One line on stderr per event for people (quiet with `-q`, save failures); NDJSON on stdout
/// with `--output json`.
fn show(ui: &Ui, e: &DevEvent) {
    if ui.json {
        ui.result(serde_json::to_string(e).unwrap_or_default());
        return;
    }
    let line = match e {
        DevEvent::Built { handlers, seconds } => format!("built {handlers} handler(s) in {seconds:.1} s"),
        DevEvent::Route { method, base, path, function } => format!("  {method:<7} {base}{path:<30} → {function}"),
        DevEvent::Listening { url } => format!(
            "  POST    {url}/__sls/invoke/<function>    any event, any function\nlistening on {url} (Ctrl-C to stop)"
        ),
        DevEvent::Request { method, path, function, status, ms } => {
            format!("{method} {path} → {} {status} {ms} ms", function.as_deref().unwrap_or("-"))
        }
        DevEvent::Invoked { function, ms } => format!("invoke {function} {ms} ms"),
        DevEvent::HandlerError { function, error_type, message } => {
            return ui.passthrough(format!("[{function}] {error_type}: {message}"))
        }
        DevEvent::StartFailed { function, reason } => {
            return ui.passthrough(format!("[{function}] cannot start the handler: {reason}"))
        }
        DevEvent::Rebuilding => "change detected; rebuilding".into(),
        DevEvent::Swapped { seconds } => format!("rebuilt in {seconds:.1} s; handlers swapped"),
        DevEvent::RebuildFailed { reason, output } => {
            let output = output.as_deref().map(|o| format!("{o}\n")).unwrap_or_default();
            return ui.passthrough(format!("{output}{reason}; still serving the previous handlers"));
        }
        DevEvent::WatchUnavailable { reason } => {
            return ui.warn(format!("cannot watch for changes ({reason}); restart `sls-rs dev` after editing"))
        }
        DevEvent::Stopped => "stopped".into(),
    };
    ui.note(line);
}
