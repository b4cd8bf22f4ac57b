//! Beside the pipeline — this machine: the external tools sls-rs runs and where they live,
//! files written so that nothing is left half-written or written through a link, the UTC
//! clock, git, Ctrl-C, and the checks `doctor` makes of all of it.

pub mod clock;
pub(crate) mod doctor;
pub(crate) mod files;
pub(crate) mod git;
pub mod process;
pub(crate) mod signal;
pub mod tools;
