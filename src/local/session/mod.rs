//! Local runtime — a `dev` session: what it runs (every service's functions and the workspaces
//! they build in), how it serves them and swaps them on save, and the events it reports.

pub(crate) mod dev;
pub(crate) mod report;
pub(crate) mod units;
mod watch;
