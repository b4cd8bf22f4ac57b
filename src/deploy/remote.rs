//! Deploy stage, after the fact: what a deployed stage is (stack status, outputs, each
//! function as Lambda sees it) and invoking a deployed function — for `info` and `invoke`.

use super::stack::{self, StackState};
use crate::aws::{Aws, CallError};
use base64::Engine;

/// One function as Lambda reports it, or why it could not be read.
#[derive(Debug, serde::Serialize)]
pub(crate) struct FunctionInfo {
    pub function: String,
    pub name: String,
    #[serde(flatten)]
    pub state: Option<FunctionState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct FunctionState {
    pub arch: Option<String>,
    pub memory: Option<i32>,
    pub timeout: Option<i32>,
    pub code_size: i64,
    pub last_modified: Option<String>,
}

/// The stack's state and each (function, deployed name) as Lambda has it; `None` when the
/// stack does not exist.
pub(crate) async fn info(
    aws: &Aws,
    stack_name: &str,
    functions: &[(&str, &str)],
) -> Result<Option<(StackState, Vec<FunctionInfo>)>, CallError> {
    let Some(state) = stack::describe(&aws.cfn, stack_name).await? else { return Ok(None) };
    let mut rows = Vec::new();
    for (function, name) in functions {
        let state = match aws.lambda.get_function().function_name(*name).send().await {
            Ok(out) => {
                let c = out.configuration();
                Ok(FunctionState {
                    arch: c.and_then(|c| c.architectures().first()).map(|a| a.as_str().to_string()),
                    memory: c.and_then(|c| c.memory_size()),
                    timeout: c.and_then(|c| c.timeout()),
                    code_size: c.map(|c| c.code_size()).unwrap_or_default(),
                    last_modified: c.and_then(|c| c.last_modified()).map(str::to_string),
                })
            }
            // One unreadable function is shown on its row, not a reason to show nothing.
            Err(e) => Err(CallError::from(e).to_string()),
        };
        let (state, error) = match state {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        rows.push(FunctionInfo { function: function.to_string(), name: name.to_string(), state, error });
    }
    Ok(Some((state, rows)))
}

/// What a deployed function answered.
#[derive(Debug)]
pub(crate) struct Invoked {
    pub payload: Vec<u8>,
    /// `Unhandled` or `Handled` when the handler failed.
    pub function_error: Option<String>,
    /// The last 4 KB of the invocation's log, when asked for.
    pub log_tail: Option<String>,
}

pub(crate) async fn invoke(aws: &Aws, name: &str, payload: Vec<u8>, log: bool) -> Result<Invoked, CallError> {
    let mut call = aws.lambda.invoke().function_name(name).payload(aws_smithy_types::Blob::new(payload));
    if log {
        call = call.log_type(aws_sdk_lambda::types::LogType::Tail);
    }
    let out = call.send().await?;
    let log_tail = out
        .log_result()
        .and_then(|l| base64::engine::general_purpose::STANDARD.decode(l).ok())
        .map(|tail| String::from_utf8_lossy(&tail).trim_end().to_string());
    Ok(Invoked {
        payload: out.payload().map(|p| p.as_ref().to_vec()).unwrap_or_default(),
        function_error: out.function_error().map(str::to_string),
        log_tail,
    })
}
