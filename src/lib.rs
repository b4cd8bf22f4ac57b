//! sls-rs: config → plan → synth → build → deploy, with scaffold, local, logs and ui beside
//! them. Public here is only what `main.rs`, the integration tests and the fuzz check call,
//! and the types those items name; everything else is `pub(crate)` at most, and
//! `unreachable_pub` (an error under clippy's `-D warnings`) refuses a `pub` that nothing
//! outside the crate can reach.
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
