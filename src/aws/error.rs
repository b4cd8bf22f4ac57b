//! AWS plumbing: a failed AWS call as a value — the service's error code and message when it
//! sent one, a readable reason, and the SDK error kept as the source.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::error::Error as StdError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct CallError {
    /// The request never got an answer (connection refused, name not resolved, timed out).
    unreachable: bool,
    code: Option<String>,
    message: Option<String>,
    reason: String,
    #[source]
    source: Option<BoxError>,
}

impl CallError {
    /// A failure that is not an SDK error (e.g. a response missing a field we need).
    pub(crate) fn other(reason: impl Into<String>) -> CallError {
        CallError { unreachable: false, code: None, message: None, reason: reason.into(), source: None }
    }

    pub(crate) fn is_unreachable(&self) -> bool {
        self.unreachable
    }

    /// The service's error code (`ValidationError`, `AccessDenied`, ...), when it answered.
    pub(crate) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Worth trying again later: no answer, throttling, or the service's own trouble — as
    /// opposed to a refusal (access denied, bad request) that will not change by itself.
    pub(crate) fn is_transient(&self) -> bool {
        const TRANSIENT: &[&str] = &[
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "ProvisionedThroughputExceededException",
            "SlowDown",
            "ServiceUnavailable",
            "ServiceUnavailableException",
            "InternalFailure",
            "InternalError",
            "InternalServerError",
        ];
        self.unreachable || self.code().is_some_and(|c| TRANSIENT.contains(&c))
    }

    /// CloudFormation has no error code of its own for a stack that is not there: it answers
    /// `ValidationError` with "Stack with id … does not exist" (and likewise for change sets).
    pub(crate) fn is_missing_stack(&self) -> bool {
        self.code() == Some("ValidationError") && self.message.as_deref().is_some_and(|m| m.contains("does not exist"))
    }
}

impl<E, R> From<aws_sdk_cloudformation::error::SdkError<E, R>> for CallError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    fn from(err: aws_sdk_cloudformation::error::SdkError<E, R>) -> CallError {
        use aws_sdk_cloudformation::error::SdkError;
        let (code, message) = match err.as_service_error() {
            Some(e) => (e.code().map(str::to_string), e.message().map(str::to_string)),
            None => (None, None),
        };
        let unreachable = matches!(err, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_));
        CallError { unreachable, code, message, reason: explain(&err), source: Some(Box::new(err)) }
    }
}

/// An SDK error as one readable line: the service's code and message when there is one,
/// and the transport's reason (connection refused, timeout) when there is not.
pub(crate) fn explain<E, R>(err: &aws_sdk_cloudformation::error::SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + StdError + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_cloudformation::error::SdkError;
    match err {
        SdkError::ServiceError(e) => {
            let e = e.err();
            match (e.code(), e.message()) {
                (Some(c), Some(m)) => format!("{c}: {m}"),
                (Some(c), None) => c.to_string(),
                _ => e.to_string(),
            }
        }
        SdkError::DispatchFailure(d) => {
            let mut msg = "cannot reach AWS".to_string();
            let mut source: Option<&dyn StdError> = StdError::source(err);
            while let Some(s) = source {
                msg = format!("cannot reach AWS: {s}");
                source = s.source();
            }
            if d.is_timeout() {
                msg.push_str(" (timed out)");
            }
            msg
        }
        SdkError::TimeoutError(_) => "AWS did not answer in time".into(),
        other => other.to_string(),
    }
}
