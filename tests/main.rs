//! The integration tests, in one binary: cargo runs test binaries one after another, so
//! separate ones (14 of them) left a core idle whenever one binary's last long test ran alone
//! — a build waiting on moto, a `dev` waiting for Ctrl-C — and linked the SDK 14 times. In one
//! binary the long builds and the tests that mostly wait share the two cores of CI.
//!
//! Each module is what was one binary: run one with `cargo test --test integration deploy::`.

mod common;
mod gen;

mod build;
mod ci;
mod cli;
mod completion;
mod config_errors;
mod deploy;
mod deploy_replay;
mod examples;
mod graph;
mod local;
mod local_services;
mod logs_replay;
mod new_projects;
mod release;
mod schema;
mod services;
mod synth;
mod terminal;
