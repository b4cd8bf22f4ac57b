//! sls-rs: config → plan → synth → build → deploy, with scaffold, local, logs and ui beside
//! them. Public here is only what `main.rs` and the integration tests use (`unreachable_pub`
//! keeps every other item `pub(crate)` at most).
#![warn(unreachable_pub)]

pub mod aws;
pub mod build;
mod ci;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod deploy;
mod diagram;
pub mod error;
pub mod host;
pub mod local;
pub mod logs;
mod pipeline;
pub mod plan;
mod scaffold;
pub mod synth;
pub mod ui;
