//! Local runtime — the local AWS endpoint: moto started (or one the user runs checked), the
//! stage's resources made there with their relays, and the tracing proxy handlers reach it
//! through.

pub(crate) mod provision;
pub(crate) mod services;
pub(crate) mod tracer;
