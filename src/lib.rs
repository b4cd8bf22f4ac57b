//! sls-rs: config → synth → build → deploy, with scaffold, local, logs and ui beside them.

pub mod aws;
pub mod build;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod deploy;
pub mod doctor;
pub mod error;
pub mod files;
pub mod local;
pub mod logs;
pub mod plan;
pub mod scaffold;
pub mod synth;
pub mod tools;
pub mod ui;
pub mod ui_progress;
pub mod ui_prompt;
