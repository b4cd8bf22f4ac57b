//! Errors every command can end with, and the exit code each maps to:
//! 0 ok, 1 the operation failed, 2 usage or config error, 130 interrupted.

use crate::config::{ConfigDiagnostics, LoadError};
use miette::Diagnostic;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] LoadError),

    #[error("{message}")]
    #[diagnostic(code(sls::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(sls::failed))]
    Failed {
        message: String,
        #[help]
        help: Option<String>,
    },

    /// Failed in a tool whose own messages say why (cargo): `main` shows them as the tool wrote
    /// them, then this error.
    #[error("{message}")]
    #[diagnostic(code(sls::failed))]
    ToolFailed {
        message: String,
        #[help]
        help: Option<String>,
        output: String,
    },

    /// Failed, and the command's result (on stdout) already says how: no second JSON document.
    #[error("{message}")]
    #[diagnostic(code(sls::failed))]
    Reported {
        message: String,
        #[help]
        help: Option<String>,
    },

    /// Not a failure: an exit code that answers a question (`diff --exit-code`).
    #[error("exit {0}")]
    #[diagnostic(code(sls::exit))]
    Exit(i32),

    #[error("interrupted")]
    #[diagnostic(code(sls::interrupted))]
    Interrupted,
}

impl From<ConfigDiagnostics> for Error {
    fn from(d: ConfigDiagnostics) -> Self {
        Error::Config(LoadError::Invalid(d))
    }
}

impl From<crate::aws::CallError> for Error {
    fn from(e: crate::aws::CallError) -> Self {
        Error::failed(e.to_string(), Some("check the endpoint, your network and your credentials".into()))
    }
}

/// `headline`, then one indented line per detail: the error carries what used to be printed
/// beside it, so mapping an error never writes anything itself.
pub(crate) fn with_details(headline: impl Into<String>, details: impl IntoIterator<Item = String>) -> String {
    let mut message = headline.into();
    for d in details {
        message.push_str("\n  ");
        message.push_str(&d);
    }
    message
}

impl Error {
    pub(crate) fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage { message: message.into(), help: Some(help.into()) }
    }

    pub(crate) fn failed(message: impl Into<String>, help: Option<String>) -> Self {
        Error::Failed { message: message.into(), help }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Usage { .. } => 2,
            Error::Failed { .. } | Error::ToolFailed { .. } | Error::Reported { .. } => 1,
            Error::Interrupted => 130,
            Error::Exit(code) => *code,
        }
    }

    /// The error as JSON for `--output json`; `None` when the result already carried it.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        if matches!(self, Error::Reported { .. } | Error::Exit(_)) {
            return None;
        }
        Some(self.json_document())
    }

    fn json_document(&self) -> serde_json::Value {
        if let Error::Config(LoadError::Invalid(d)) = self {
            return d.to_json();
        }
        let help = self.help().map(|h| h.to_string());
        serde_json::json!({ "ok": false, "error": self.to_string(), "help": help })
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;
