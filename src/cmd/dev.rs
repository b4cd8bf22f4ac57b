//! `sls-rs dev`: config → native builds → the local HTTP API with warm handlers, rebuilt on save.

use crate::cli::{DevArgs, Global};
use crate::error::{Error, Result};
use crate::local::dev;
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
    rt.block_on(dev::serve(plan, ws, opts)).map_err(|e| match e {
        dev::DevError::Compile(c) => super::compile_error(c),
        dev::DevError::Bind { addr, source } => {
            Error::failed(format!("cannot listen on {addr}: {source}"), Some("pick another port with --port".into()))
        }
        other => Error::failed(other.to_string(), None),
    })
}
