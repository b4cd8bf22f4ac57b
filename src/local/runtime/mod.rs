//! Local runtime — handlers on this machine: built for it with cargo, each instance a real
//! process behind a Lambda Runtime API of its own, warm instances pooled per function, with
//! Lambda's clock (init limit, timeout) and its error documents.

pub(crate) mod compile;
pub(crate) mod instance;
pub(crate) mod pool;
mod runtime_api;
