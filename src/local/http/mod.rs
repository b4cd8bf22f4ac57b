//! Local runtime — the HTTP side of `dev`: API Gateway's HTTP API as it behaves (routes, the
//! payload 2.0 event, the response mapping), `dev`'s own control routes (`/__sls/*`), and how
//! every listener serves connections and guards who may talk to it.

pub(crate) mod admin;
pub mod api;
pub(crate) mod listener;
pub(crate) mod serve;
