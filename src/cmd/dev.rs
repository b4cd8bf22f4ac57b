//! `sls-rs dev`: config → native builds → the local HTTP API with warm handlers, rebuilt on save.

use crate::build::workspace::WorkspaceError;
use crate::cli::{DevArgs, Global};
use crate::config::{Config, ConfigDiagnostics};
use crate::error::{Error, Result};
use crate::local::{compile::CompileError, dev};
use crate::ui::Ui;

pub fn run(global: &Global, args: &DevArgs, ui: &Ui) -> Result<()> {
    let config = super::load_config(global)?;
    let ws = crate::build::Workspace::load(&config.root).map_err(|e| Error::failed(e.to_string(), None))?;
    ws.check(&config).map_err(|e| workspace_error(&config, e))?;
    let opts = dev::Options {
        host: args.host.clone(),
        port: args.port,
        release: args.release,
        max_instances: args.max_instances,
        watch: !args.no_watch,
        region: super::invoke::region(global, &config),
        echo: ui.verbose > 0,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed(e.to_string(), None))?;
    rt.block_on(dev::serve(config, global.stage.clone(), ws, opts)).map_err(|e| match e {
        dev::DevError::Compile(c) => compile_error(c),
        dev::DevError::Bind { addr, source } => {
            Error::failed(format!("cannot listen on {addr}: {source}"), Some("pick another port with --port".into()))
        }
        other => Error::failed(other.to_string(), None),
    })
}

pub(crate) fn workspace_error(config: &Config, e: WorkspaceError) -> Error {
    match e {
        WorkspaceError::Missing(problems) => {
            ConfigDiagnostics::new(config.file.display().to_string(), config.source.clone(), problems).into()
        }
        other => Error::failed(other.to_string(), None),
    }
}

pub(crate) fn compile_error(e: CompileError) -> Error {
    match e {
        CompileError::Failed { output } => {
            eprintln!("{output}");
            Error::failed("cargo build failed", Some("cargo's messages are above".into()))
        }
        other => Error::failed(other.to_string(), None),
    }
}
