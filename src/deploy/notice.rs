//! Deploy stage: what a deploy or a removal tells whoever runs it besides the stack's own
//! events — each a value, so the command decides how it reads (a line, a row of the live view,
//! an NDJSON event); the core never writes a word of it.

use crate::deploy::data::Held;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// The account and region have no deployment bucket: its bootstrap stack is being made.
    CreatingBucket { bucket: String, stack: String },
    /// Another operation holds the stack; the deploy waits for it to finish.
    Waiting { stack: String, status: String },
    /// The stack can only be deleted (why: a failed first create, an empty review stack); it
    /// is, and the deploy creates it afresh.
    Clearing { stack: String, why: String },
    /// A change set an earlier deploy left waiting is deleted first.
    LeftoverChangeSet { name: String },
    /// Whether `ci github` made a permissions boundary for the stack cannot be read: the
    /// roles are deployed without one.
    BoundaryUnreadable { arn: String, reason: String },
    /// A bucket the removal was allowed to empty is being emptied.
    Emptying { held: Held },
}
