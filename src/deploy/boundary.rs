//! Deploy stage: the permissions boundary `ci github` made for a stack, when there is one. Its
//! function roles then carry it: a CI deploy role may only make roles that do, so a deploy from
//! CI needs it, and a deploy from anywhere else keeps the roles as CI left them.

use crate::aws::{Aws, CallError, Caller};

/// Whether the stack has a boundary, and what to tell the user when that cannot be known.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    Boundary(String),
    None,
    /// The credentials may not read it (`iam:GetPolicy`): deploying without one, which works for
    /// anyone allowed to make roles without a boundary.
    Unreadable {
        arn: String,
        reason: String,
    },
}

/// The ARN of `stack`'s boundary in the caller's account and partition.
pub(crate) fn arn(caller: &Caller, stack: &str) -> String {
    format!("arn:{}:iam::{}:{}", caller.partition, caller.account, crate::plan::names::boundary_policy(stack))
}

pub(crate) async fn find(aws: &Aws, caller: &Caller, stack: &str) -> Result<Found, CallError> {
    let arn = arn(caller, stack);
    match aws.iam.get_policy().policy_arn(&arn).send().await.map_err(CallError::from) {
        Ok(_) => Ok(Found::Boundary(arn)),
        Err(e) if e.code() == Some("NoSuchEntity") => Ok(Found::None),
        Err(e) if matches!(e.code(), Some("AccessDenied" | "AccessDeniedException")) => {
            Ok(Found::Unreadable { arn, reason: e.to_string() })
        }
        Err(e) => Err(e),
    }
}
